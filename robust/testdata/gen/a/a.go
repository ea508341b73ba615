// Package a is the seed of the generated fixtures (huge function, deep
// expression): the tests write gen.go beside it in a temp copy.
package a
