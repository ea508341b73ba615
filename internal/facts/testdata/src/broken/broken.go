package broken

import "a"

func F() {
	a.Wrapper()
	undefined()
}
