// Package tlib implements tdecl's interfaces from a package tdecl imports:
// once with the fact (OwnLib) and once without (PlainLib).
package tlib

type OwnLib struct{}

func (OwnLib) Share() {}

func (OwnLib) Keep() {}

type PlainLib struct{}

func (PlainLib) Keep() {}
