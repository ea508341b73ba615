// Package dep is a dependency of the command.
package dep

// Count returns the sum of 1..n.
func Count(n int) int {
	s := 0
	for i := 1; i <= n; i++ {
		s += i
	}
	return s
}
