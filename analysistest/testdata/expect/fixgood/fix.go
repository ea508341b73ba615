// Package fixgood holds a call whose fix its golden file shows.
package fixgood

func mark(string) {}

func calls() {
	mark("x") // want "mark x"
}
