package etcdapi

import "go/types"

// CmpTarget is what a Txn compare tests about a key: clientv3.Value,
// Version, CreateRevision, ModRevision and LeaseValue each return a Cmp on
// their key argument, which clientv3.Compare(cmp, result, v) completes
// (compare.go, the same functions from 3.3 to 3.6).
type CmpTarget int

const (
	CmpNone CmpTarget = iota
	CmpValue
	CmpVersion
	CmpCreateRevision
	CmpModRevision
	CmpLease
)

var cmpTargets = map[string]CmpTarget{
	"Value":          CmpValue,
	"Version":        CmpVersion,
	"CreateRevision": CmpCreateRevision,
	"ModRevision":    CmpModRevision,
	"LeaseValue":     CmpLease,
}

// CompareTarget reports which target fn builds a Cmp on, when fn is one of
// clientv3's Value, Version, CreateRevision, ModRevision or LeaseValue.
func CompareTarget(fn *types.Func) CmpTarget {
	if !isClientFunc(fn) {
		return CmpNone
	}
	return cmpTargets[fn.Name()]
}

// IsCompare reports whether fn is clientv3.Compare(cmp Cmp, result string,
// v any) Cmp.
func IsCompare(fn *types.Func) bool { return isClientFunc(fn) && fn.Name() == "Compare" }

// IsCmpRange reports whether fn is Cmp.WithPrefix or Cmp.WithRange: the same
// compare over a range of keys.
func IsCmpRange(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil || (fn.Name() != "WithPrefix" && fn.Name() != "WithRange") {
		return false
	}
	recv := fn.Signature().Recv()
	if recv == nil {
		return false
	}
	_, a, name := NamedType(recv.Type())
	return a == AreaClient && name == "Cmp"
}

// isClientFunc reports whether fn is a package-level function of the
// client package.
func isClientFunc(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil || fn.Signature().Recv() != nil {
		return false
	}
	_, a := PackageArea(fn.Pkg().Path())
	return a == AreaClient
}
