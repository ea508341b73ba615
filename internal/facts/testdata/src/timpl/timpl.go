// Package timpl implements tshape.Doer three times: with the table's own
// fact, with another fact only, and with none.
package timpl

type Own struct{}

func (Own) Do() {}

type Other struct{}

func (Other) Do() {}

type Plain struct{}

func (Plain) Do() {}

func OwnHelper() {}

func Helper() {}
