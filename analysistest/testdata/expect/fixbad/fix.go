// Package fixbad holds a call whose fix its golden file shows.
package fixbad

func mark(string) {}

func calls() {
	mark("x") // want "mark x"
}
