// Package good holds expectations that the marker analyzer meets.
package good

func mark(string) {}

func Marked() {} // want Marked:"marked"

func calls() {
	mark("a") // want "mark a"
	mark("b") /* want "mark b" */
	// want +1 "mark c"
	mark("c")
	mark("d"); mark("e") // want "mark d" `mark e`
}
