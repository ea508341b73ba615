package a

func MarkRoot() {}

// Wrapper calls a marked function, so it is marked too.
func Wrapper() { MarkRoot() }

func Plain() {}
