package etcdapi

import (
	"go/types"
	"strings"
)

// How a watch ends, read in client/v3 watch.go at v3.6.16 (the Watch comment
// and WatchResponse; the same in 3.5.35, the 3.4 module and coreos 3.3.27):
// the WatchChan is closed when the watch's context ends, or when the server
// cancels the watch with a non-recoverable error (ErrCompacted when the
// requested revision was compacted, ErrNoLeader under WithRequireLeader).
// A receive from the closed channel yields a zero WatchResponse: no events,
// Canceled false, Err() nil. Before a server cancellation the client posts a
// last response with Canceled set and Err() non-nil, best effort: it is
// dropped when not read within closeSendErrTimeout (250 ms).

// WatchCloseSendErrTimeoutMillis is how long the client tries to deliver the last,
// error-carrying WatchResponse before it closes the channel without it
// (client/v3 watch.go closeSendErrTimeout, 3.4 to 3.6; coreos 3.3.27 has
// the same constant).
const WatchCloseSendErrTimeoutMillis = 250

// Fields and methods of clientv3.WatchResponse that tell why a watch ended.
const (
	WatchRespCanceled        = "Canceled"
	WatchRespCompactRevision = "CompactRevision"
	WatchRespErr             = "Err"
)

// IsWatchChan reports whether t is clientv3.WatchChan or the channel type
// it names (<-chan clientv3.WatchResponse).
func IsWatchChan(t types.Type) bool {
	if t == nil {
		return false
	}
	if _, a, name := NamedType(t); a == AreaClient && name == "WatchChan" {
		return true
	}
	ch, ok := types.Unalias(t).Underlying().(*types.Chan)
	return ok && IsWatchResponse(ch.Elem())
}

// IsWatchResponse reports whether t is clientv3.WatchResponse or a pointer to it.
func IsWatchResponse(t types.Type) bool {
	_, a, name := NamedType(t)
	return a == AreaClient && name == "WatchResponse"
}

// WatchEndCheck reports whether obj is one of the WatchResponse members
// that tell a watch's end: the Canceled and CompactRevision fields, the Err
// method.
func WatchEndCheck(obj types.Object) bool {
	if obj == nil || obj.Pkg() == nil {
		return false
	}
	if _, a := PackageArea(obj.Pkg().Path()); a != AreaClient {
		return false
	}
	switch o := obj.(type) {
	case *types.Var:
		if !o.IsField() || (o.Name() != WatchRespCanceled && o.Name() != WatchRespCompactRevision) {
			return false
		}
		return structHasField(o, "WatchResponse")
	case *types.Func:
		recv := o.Signature().Recv()
		return o.Name() == WatchRespErr && recv != nil && IsWatchResponse(recv.Type())
	}
	return false
}

// IsWithRev reports whether fn is clientv3.WithRev, the option that starts a
// watch (or reads) at a given revision (client/v3 op.go).
func IsWithRev(fn *types.Func) bool {
	return isClientFunc(fn) && fn.Name() == "WithRev"
}

// IsWithRequireLeader reports whether fn is clientv3.WithRequireLeader: a
// watch on such a context is cancelled with ErrNoLeader when its server
// loses the leader (client/v3 ctx.go, the Watch comment).
func IsWithRequireLeader(fn *types.Func) bool {
	return isClientFunc(fn) && fn.Name() == "WithRequireLeader"
}

// IsCompactedErr reports whether obj is etcd's compaction error, the one a
// watch from a compacted revision ends with: rpctypes.ErrCompacted (or its
// gRPC form ErrGRPCCompacted) in any era's v3rpc/rpctypes package.
func IsCompactedErr(obj types.Object) bool {
	if obj == nil || obj.Pkg() == nil {
		return false
	}
	path := trimVendor(obj.Pkg().Path())
	if !IsEtcdModule(path) || !strings.HasSuffix(path, "/rpctypes") {
		return false
	}
	return obj.Name() == "ErrCompacted" || obj.Name() == "ErrGRPCCompacted"
}

// IsWatchLike reports whether fn is a method with Watcher.Watch's
// signature, Watch(context.Context, string, ...OpOption) WatchChan: an
// application's own interface over the client (a narrower Watcher, a
// mock's target) whose calls open a watch like Watcher.Watch.
func IsWatchLike(fn *types.Func) bool {
	if fn == nil || fn.Name() != "Watch" || fn.Signature().Recv() == nil {
		return false
	}
	sig := fn.Signature()
	if sig.Params().Len() != 3 || !sig.Variadic() || sig.Results().Len() != 1 || !IsWatchChan(sig.Results().At(0).Type()) {
		return false
	}
	s, ok := sig.Params().At(2).Type().(*types.Slice)
	if !ok {
		return false
	}
	_, a, name := NamedType(s.Elem())
	return a == AreaClient && name == "OpOption"
}
