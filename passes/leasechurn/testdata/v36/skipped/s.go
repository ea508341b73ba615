//fixture:handwritten TestTestsSkipped runs the default (tests not checked) in v36 only; the other eras check withtests with -include-tests.

// Package withtests has in its tests a per-tick grant that is not reported by default.
package skipped
