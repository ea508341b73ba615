// Package withtests has a hot loop only in its test file.
package withtests

// Name is here so the package has a non-test file.
const Name = "withtests"
