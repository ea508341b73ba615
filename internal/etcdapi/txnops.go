package etcdapi

import "go/types"

// TooManyOpsError is the error etcd returns for a Txn over the limit
// (api/v3rpc/rpctypes ErrGRPCTooManyOps, the same text in 3.3 to 3.6).
const TooManyOpsError = "etcdserver: too many operations in txn request"

// Txn lists, as etcd's TxnRequest names them: Compare (If), Success (Then)
// and Failure (Else).
const (
	ListIf   = "If"
	ListThen = "Then"
	ListElse = "Else"
)

// TxnListArg is one argument of a Txn builder call that becomes a list of
// the TxnRequest.
type TxnListArg struct {
	Arg  int    // argument position, receiver excluded
	List string // ListIf, ListThen or ListElse
}

// TxnLists reports which arguments of fn become a Txn's If, Then or Else
// list: the variadic argument of Txn.If, Txn.Then and Txn.Else, and the three
// slices of OpTxn (op.go, v3.6.16; the same signatures in 3.3 and 3.4).
func TxnLists(fn *types.Func) []TxnListArg {
	op, ok := Lookup(fn)
	if !ok {
		return nil
	}
	switch op.Kind {
	case TxnIf:
		return []TxnListArg{{0, ListIf}}
	case TxnThen:
		return []TxnListArg{{0, ListThen}}
	case TxnElse:
		return []TxnListArg{{0, ListElse}}
	case MakeOp:
		if op.Name == "OpTxn" {
			return []TxnListArg{{0, ListIf}, {1, ListThen}, {2, ListElse}}
		}
	}
	return nil
}

// IsTxnList reports whether t is []clientv3.Op or []clientv3.Cmp: a slice
// that can become a Txn list.
func IsTxnList(t types.Type) bool {
	s, ok := types.Unalias(t).Underlying().(*types.Slice)
	if !ok {
		return false
	}
	_, a, name := NamedType(s.Elem())
	return a == AreaClient && (name == "Op" || name == "Cmp")
}

// IsOpCollection reports whether t is a slice of etcd operations or
// comparisons: a Txn list (IsTxnList) or a list of a TxnRequest
// ([]*etcdserverpb.Compare, []*etcdserverpb.RequestOp: its Compare,
// Success and Failure). Such a list is itself held to --max-txn-ops
// wherever a Txn carries it.
func IsOpCollection(t types.Type) bool {
	if IsTxnList(t) {
		return true
	}
	s, ok := types.Unalias(t).Underlying().(*types.Slice)
	if !ok {
		return false
	}
	_, a, name := NamedType(s.Elem())
	return a == AreaEtcdserverpb && (name == "Compare" || name == "RequestOp")
}
