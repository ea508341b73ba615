// Package withtests writes a growing value only from its tests.
package withtests

// Names lists what a test writes.
func Names(n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, "node")
	}
	return out
}
