package etcdapi

import (
	"go/types"
)

// Numbers the watchleak pass quotes, read in etcd's client at v3.6.16,
// v3.5.35, the 3.4 module and coreos v3.3.27 (identical in each).
const (
	// LeaseResponseChSize is the buffer of the channel Lease.KeepAlive
	// returns; once it is full the client drops further responses.
	// client/v3/lease.go LeaseResponseChSize.
	LeaseResponseChSize = 16

	// SessionDefaultTTL is the TTL in seconds of a concurrency.Session's
	// lease when WithTTL is not given. client/v3/concurrency/session.go
	// defaultSessionTTL.
	SessionDefaultTTL = 60
)

// KeepAliveFullWarning is what the client logs, at warning level, for every
// keep-alive response it drops because the channel is full (3.4 and later;
// coreos 3.3 drops the response silently). client/v3/lease.go sendKeepAliveLoop.
const KeepAliveFullWarning = "lease keepalive response queue is full; dropping response send"

// EraOf reports the era of the etcd package that declares fn.
func EraOf(fn *types.Func) Era {
	if fn == nil || fn.Pkg() == nil {
		return EraNone
	}
	e, _ := PackageArea(fn.Pkg().Path())
	return e
}

// KeepAliveWarns reports whether a client of era e logs KeepAliveFullWarning
// when a keep-alive channel is full (3.4 and later do; 3.3 does not).
func KeepAliveWarns(e Era) bool { return e == Era34 || e == Era35 }

// IsClientCtx reports whether fn is (*clientv3.Client).Ctx, the client's own
// context: it lives until the client is closed.
func IsClientCtx(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil || fn.Name() != "Ctx" {
		return false
	}
	if _, a := PackageArea(fn.Pkg().Path()); a != AreaClient {
		return false
	}
	recv := fn.Signature().Recv()
	return recv != nil && IsClient(recv.Type())
}

// DerivedCtx reports whether fn is an etcd function that returns a context
// derived from its argument at the returned position without adding a way to
// cancel it (clientv3.WithRequireLeader).
func DerivedCtx(fn *types.Func) (int, bool) {
	if fn == nil || fn.Pkg() == nil || fn.Signature().Recv() != nil {
		return 0, false
	}
	if _, a := PackageArea(fn.Pkg().Path()); a != AreaClient {
		return 0, false
	}
	if fn.Name() == "WithRequireLeader" {
		return 0, true
	}
	return 0, false
}

// LeaseIDArg is the position of the lease ID argument of Lease.KeepAlive,
// Lease.KeepAliveOnce and Lease.Revoke (receiver excluded): a Revoke of the
// same lease ends its keep-alive and closes the channel.
const LeaseIDArg = 1

// IsSessionWithContext reports whether fn is concurrency.WithContext, the
// session option that ends the session's keep-alive with the given context.
func IsSessionWithContext(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil || fn.Signature().Recv() != nil || fn.Name() != "WithContext" {
		return false
	}
	_, a := PackageArea(fn.Pkg().Path())
	return a == AreaConcurrency
}
