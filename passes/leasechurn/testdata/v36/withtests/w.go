// Package withtests has a per-tick grant only in its tests.
package withtests
