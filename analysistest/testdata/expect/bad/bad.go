// Package bad holds expectations that the marker analyzer does not meet.
package bad

func mark(string) {}

func Marked() {} // want Marked:"unmarked"

func calls() {
	mark("unexpected")
	mark("other") // want "mark something"
	// want "mark never"
}
