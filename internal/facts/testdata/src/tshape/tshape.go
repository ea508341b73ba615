// Package tshape declares an interface and implements it nowhere.
package tshape

type Doer interface{ Do() }
