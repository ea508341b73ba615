package tcaller

import (
	"timpl"
	"tshape"
)

type OwnLocal struct{}

func (OwnLocal) Do() {} // want Do:"own"

type plain struct{}

func (plain) Do() {}

func Use(d tshape.Doer) {
	d.Do()             // want `callees: tcaller.OwnLocal.Do timpl.Own.Do`
	timpl.OwnHelper()  // want `callees: timpl.OwnHelper`
	timpl.Helper()     // want `callees: $`
	timpl.Plain{}.Do() // want `callees: $`
}
