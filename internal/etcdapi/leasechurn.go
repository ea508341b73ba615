package etcdapi

import "go/types"

// Lease costs the leasechurn pass quotes, read in etcd at v3.6 (the same
// in 3.3 to 3.5).
const (
	// LeaseRevokeRate is how many expired leases the leader revokes per
	// second at most (server/lease/lessor.go defaultLeaseRevokeRate); each
	// revoke is a LeaseRevoke raft proposal (server/etcdserver/server.go
	// revokeExpiredLeases), and expired leases queue behind the limit.
	LeaseRevokeRate = 1000

	// KeepAliveDivisor: a kept-alive lease is renewed every TTL/3
	// (client/v3/lease.go recvKeepAlive, nextKeepAlive).
	KeepAliveDivisor = 3
)

// LeaseGrantTTLArg is the TTL argument of Lease.Grant (receiver excluded).
const LeaseGrantTTLArg = 1

// LeaseGrantIDField is the field of a *LeaseGrantResponse that holds the
// new lease's ID.
const LeaseGrantIDField = "ID"

// IsGrant reports whether fn is Lease.Grant: a raft proposal that creates a
// lease every member's lessor keeps until it is revoked or expires.
func IsGrant(fn *types.Func) bool {
	op, ok := Lookup(fn)
	return ok && op.Kind == Grant
}

// IsRevoke reports whether fn is Lease.Revoke.
func IsRevoke(fn *types.Func) bool {
	op, ok := Lookup(fn)
	return ok && op.Kind == Revoke
}

// IsKeepAlive reports whether fn is Lease.KeepAlive (renewed until its
// context ends) or Lease.KeepAliveOnce (renewed once); the lease ID is
// argument LeaseIDArg.
func IsKeepAlive(fn *types.Func) (forever, ok bool) {
	op, found := Lookup(fn)
	if !found {
		return false, false
	}
	switch op.Kind {
	case KeepAlive:
		return true, true
	case KeepAliveOne:
		return false, true
	}
	return false, false
}

// IsWithLease reports whether fn is clientv3.WithLease, the OpOption that
// attaches a written key to a lease (argument 0).
func IsWithLease(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil || fn.Name() != "WithLease" || fn.Signature().Recv() != nil {
		return false
	}
	_, a := PackageArea(fn.Pkg().Path())
	return a == AreaClient
}

// IsLeaseID reports whether t is clientv3.LeaseID or a
// *clientv3.LeaseGrantResponse: a value that names a granted lease.
func IsLeaseID(t types.Type) bool {
	_, a, name := NamedType(t)
	return a == AreaClient && (name == "LeaseID" || name == "LeaseGrantResponse")
}
