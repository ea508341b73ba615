package a

func mark() {}

func f() {
	mark() // want "marked"

	//etcdlint:ignore marker checked by hand: bounded by the caller
	mark()

	mark() //etcdlint:ignore marker,hotkey same line, with a reason

	// want +1 "etcdlint:ignore directive for marker needs a reason"
	//etcdlint:ignore marker
	mark() // want "marked"

	//etcdlint:ignore marker nothing to suppress here // want "etcdlint:ignore directive for marker suppresses nothing"
	_ = 1

	//etcdlint:ignore hotkey another pass's directive is not ours to judge
	mark() // want "marked"

	// want +1 "malformed etcdlint:ignore directive"
	//etcdlint:ignore
	_ = 2
}
