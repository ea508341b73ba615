package etcdapi

import "go/types"

// SessionKey is what a function of etcd's concurrency package does with a
// key under a Session's lease. Read in client/v3/concurrency (mutex.go,
// election.go, session.go, key.go) at v3.6.16; 3.5, 3.4 and coreos 3.3 have
// the same functions: Mutex.Lock puts the caller's key under the session's
// lease (s.Lease()) and Unlock deletes it; Election.Campaign puts the
// candidate's key under the lease and Resign deletes it; NewLocker wraps a
// Mutex in a sync.Locker; ResumeElection rebuilds an Election that already
// holds its key; Session.Lease returns the lease ID a program passes to
// WithLease to put its own keys under the session.
type SessionKey int

const (
	KeyNone    SessionKey = iota
	KeyHolder             // NewMutex, NewElection, NewLocker: acquires keys through its methods
	KeyHeld               // ResumeElection (a key already held), Session.Lease (the ID to attach keys to)
	KeyAcquire            // Mutex.Lock, Mutex.TryLock, Election.Campaign, Lock of a NewLocker's sync.Locker
	KeyRelease            // Mutex.Unlock, Election.Resign, Unlock of a NewLocker's sync.Locker
)

// SessionKeyOf reports what fn does with a key under a session's lease.
// sync.Locker's Lock and Unlock count (the value NewLocker returns); a
// caller asks only about calls on a value a KeyHolder returned.
func SessionKeyOf(fn *types.Func) SessionKey {
	if fn == nil || fn.Pkg() == nil {
		return KeyNone
	}
	recv := fn.Signature().Recv()
	if fn.Pkg().Path() == "sync" && recv != nil {
		if n, ok := types.Unalias(recv.Type()).(*types.Named); ok && n.Obj().Name() == "Locker" {
			switch fn.Name() {
			case "Lock":
				return KeyAcquire
			case "Unlock":
				return KeyRelease
			}
		}
		return KeyNone
	}
	if _, a := PackageArea(fn.Pkg().Path()); a != AreaConcurrency {
		return KeyNone
	}
	if recv == nil {
		switch fn.Name() {
		case "NewMutex", "NewElection", "NewLocker":
			return KeyHolder
		case "ResumeElection":
			return KeyHeld
		}
		return KeyNone
	}
	_, _, name := NamedType(recv.Type())
	switch name + "." + fn.Name() {
	case "Mutex.Lock", "Mutex.TryLock", "Election.Campaign":
		return KeyAcquire
	case "Mutex.Unlock", "Election.Resign":
		return KeyRelease
	case "Session.Lease":
		return KeyHeld
	}
	return KeyNone
}
