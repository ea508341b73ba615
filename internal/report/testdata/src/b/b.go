package b

func boom() {}
func fine() {}

func f() {
	fine() // want "visited fine"
	boom() // want `etcdlint internal error analysing boom \(skipped\): assignment to entry in nil map`
	fine() // want "visited fine"
}
