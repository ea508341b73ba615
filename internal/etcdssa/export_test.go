package etcdssa

// FailDirectBuild makes the builder fail on packages built with their
// direct imports only, until the returned function restores it.
func FailDirectBuild() (restore func()) {
	failDirectBuild = true
	return func() { failDirectBuild = false }
}
