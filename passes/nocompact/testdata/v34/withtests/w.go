// Package withtests starts embedded etcd servers only from test code.
package withtests

// Name is here so the package has a non-test file.
const Name = "withtests"
