// Package withtests has in its tests a per-tick grant that is not reported by default.
package skipped
