package b

import "a"

func F() {
	a.Wrapper() // want "call of marked a.Wrapper"
	a.Plain()
	a.MarkRoot() // want "call of marked a.MarkRoot"
}
