//fixture:handwritten TestTestsSkipped runs the default (tests not checked) in v36 only; the other eras check withtests with -include-tests.

// Package skipped writes a growing value only from its tests.
package skipped

// Names lists what a test writes.
func Names() []string { return nil }
