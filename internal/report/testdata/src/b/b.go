package b

func boom() {}
func fine() {}

func f() {
	fine() // want "visited fine"
	boom() // want `etcdlint internal error analysing boom \(skipped\): cannot analyse boom`
	fine() // want "visited fine"
}
