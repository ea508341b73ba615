// Package use builds on model: facts cross the import.
package use

import "example.com/fixture/model"

// Layout returns what model.Blocks returns.
func Layout(n int) []model.Block { // want Layout:`grows\(0\): a slice filled in a loop over n`
	return model.Blocks(n)
}

// Pair returns a fixed layout and a growing one.
func Pair(n int) ([]model.Block, []model.Block) { // want Pair:`grows\(1\): a slice filled in a loop over n`
	return model.Ring(), model.Blocks(n)
}

// Small has nothing that grows.
func Small() []model.Block {
	return model.Ring()
}
