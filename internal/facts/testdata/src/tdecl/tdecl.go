// Package tdecl declares interfaces whose implementations it sees: its own
// (declared, promoted from an embedded tlib type, or an adapter of a
// function type) and tlib's that carry the fact.
package tdecl

import "tlib"

// Every implementation has the fact: they all agree.
type Sharer interface {
	Share() // want `all: tdecl.OwnA.Share tlib.OwnLib.Share; some: tdecl.OwnA.Share tlib.OwnLib.Share`
}

// plain's Keep has no fact: they do not all agree, but some have it.
// tlib.PlainLib, without a fact, is not seen; KeepFunc is an adapter.
type Keeper interface {
	Keep() // want `all: none; some: tdecl.OwnA.Keep tlib.OwnLib.Keep`
}

// CloseFunc, an adapter, says nothing: they all agree.
type Closer interface {
	Close() // want `all: tdecl.OwnA.Close; some: tdecl.OwnA.Close`
}

type OwnA struct{}

func (OwnA) Close() {} // want Close:"tdecl.OwnA.Close"

type CloseFunc func()

func (f CloseFunc) Close() { f() }

func (OwnA) Share() {} // want Share:"tdecl.OwnA.Share"

func (OwnA) Keep() {} // want Keep:"tdecl.OwnA.Keep"

// OwnB's Share and Keep are tlib.OwnLib's, with its fact.
type OwnB struct{ tlib.OwnLib }

type plain struct{}

func (plain) Keep() {}

type KeepFunc func()

func (f KeepFunc) Keep() { f() }

func Use(k Keeper) {
	k.Keep() // want `reachable: tdecl.OwnA.Keep tdecl.plain.Keep tlib.OwnLib.Keep`
}
