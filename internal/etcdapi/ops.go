package etcdapi

import (
	"fmt"
	"go/types"
)

// Kind is what an etcd API function or method does.
type Kind int

const (
	KindNone Kind = iota
	Put           // writes Value under Key (KV.Put, OpPut, STM.Put, Election.Campaign/Proclaim)
	Get
	Delete
	TxnStart     // KV.Txn: a transaction builder
	TxnIf        // Txn.If(cmps...)
	TxnThen      // Txn.Then(ops...)
	TxnElse      // Txn.Else(ops...)
	TxnCommit    // Txn.Commit
	Do           // KV.Do(op)
	MakeOp       // OpGet, OpDelete, OpTxn (OpPut is a Put)
	Compact      // KV.Compact: compacts the revision history
	Defragment   // Maintenance.Defragment
	Watch        // Watcher.Watch: returns a WatchChan
	Grant        // Lease.Grant
	Revoke       // Lease.Revoke
	KeepAlive    // Lease.KeepAlive: returns a channel to drain
	KeepAliveOne // Lease.KeepAliveOnce: no channel
	Observe      // Election.Observe: returns a channel
	Open         // creates a resource that must be closed (see Op.Result)
	Close        // releases the receiver (Client, Watcher, Lease, Session, Etcd .Close)
	Orphan       // Session.Orphan: stops the keep-alive without revoking
	Wrap         // namespace.NewKV/NewWatcher/NewLease, clientv3.NewKV: a view, nothing to close
	StartServer  // embed.StartEtcd
	NewConfig    // embed.NewConfig, embed.ConfigFromFile
	Lock         // Mutex.Lock/TryLock
	Unlock       // Mutex.Unlock
)

// Resource is an etcd object that holds goroutines, streams or a lease until released.
type Resource int

const (
	ResNone      Resource = iota
	ResClient             // *clientv3.Client: a connection and its goroutines
	ResWatcher            // clientv3.Watcher: watch streams
	ResLease              // clientv3.Lease: keep-alive goroutines
	ResWatchChan          // clientv3.WatchChan: one watch, released by cancelling its ctx
	ResKeepAlive          // <-chan *LeaseKeepAliveResponse: must be drained
	ResSession            // *concurrency.Session: a lease kept alive until Close
	ResObserve            // <-chan GetResponse from Election.Observe
	ResServer             // *embed.Etcd
)

var resourceNames = [...]string{"", "client", "watcher", "lease", "watch", "keepalive", "session", "observe", "server"}

func (r Resource) String() string {
	if int(r) < len(resourceNames) {
		return resourceNames[r]
	}
	return fmt.Sprintf("Resource(%d)", int(r))
}

// ParseResource is the inverse of Resource.String.
func ParseResource(s string) Resource {
	for i, n := range resourceNames {
		if n == s && i > 0 {
			return Resource(i)
		}
	}
	return ResNone
}

// Op describes one etcd API function or method. Argument positions count the
// signature's parameters, receiver excluded; -1 means none.
type Op struct {
	Kind   Kind
	Key    int      // the key argument
	Value  int      // the value argument
	Ctx    int      // the context argument that scopes the call or resource
	Result Resource // what the first result is, for Open/Watch/KeepAlive/Observe
	Recv   Resource // what the receiver is, for Close/Orphan
	Name   string   // e.g. "KV.Put", "concurrency.NewSession"
}

type opSpec struct {
	kind          Kind
	key, val, ctx int
	result, recv  Resource
}

func op(k Kind, key, val, ctx int) opSpec { return opSpec{kind: k, key: key, val: val, ctx: ctx} }

// ops, per area, keyed by "Recv.Method" or "Func". Argument positions were read
// in client/v3 (kv.go, op.go, watch.go, lease.go, client.go), concurrency,
// namespace, embed and etcdserverpb at v3.6.16; 3.4 and coreos 3.3 have the
// same signatures for every entry.
var ops = map[Area]map[string]opSpec{
	AreaClient: {
		"KV.Put":                 op(Put, 1, 2, 0),
		"KV.Get":                 op(Get, 1, -1, 0),
		"KV.Delete":              op(Delete, 1, -1, 0),
		"KV.Compact":             op(Compact, -1, -1, 0),
		"KV.Do":                  op(Do, -1, -1, 0),
		"KV.Txn":                 op(TxnStart, -1, -1, 0),
		"Txn.If":                 op(TxnIf, -1, -1, -1),
		"Txn.Then":               op(TxnThen, -1, -1, -1),
		"Txn.Else":               op(TxnElse, -1, -1, -1),
		"Txn.Commit":             op(TxnCommit, -1, -1, -1),
		"OpPut":                  op(Put, 0, 1, -1),
		"OpGet":                  op(MakeOp, 0, -1, -1),
		"OpDelete":               op(MakeOp, 0, -1, -1),
		"OpTxn":                  op(MakeOp, -1, -1, -1),
		"Maintenance.Defragment": op(Defragment, -1, -1, 0),
		"Watcher.Watch":          {kind: Watch, key: 1, val: -1, ctx: 0, result: ResWatchChan},
		"Watcher.Close":          {kind: Close, key: -1, val: -1, ctx: -1, recv: ResWatcher},
		"Lease.Grant":            op(Grant, -1, -1, 0),
		"Lease.Revoke":           op(Revoke, -1, -1, 0),
		"Lease.KeepAlive":        {kind: KeepAlive, key: -1, val: -1, ctx: 0, result: ResKeepAlive},
		"Lease.KeepAliveOnce":    op(KeepAliveOne, -1, -1, 0),
		"Lease.Close":            {kind: Close, key: -1, val: -1, ctx: -1, recv: ResLease},
		"Client.Close":           {kind: Close, key: -1, val: -1, ctx: -1, recv: ResClient},
		"New":                    {kind: Open, key: -1, val: -1, ctx: -1, result: ResClient},
		"NewFromURL":             {kind: Open, key: -1, val: -1, ctx: -1, result: ResClient},
		"NewFromURLs":            {kind: Open, key: -1, val: -1, ctx: -1, result: ResClient},
		"NewWatcher":             {kind: Open, key: -1, val: -1, ctx: -1, result: ResWatcher},
		"NewLease":               {kind: Open, key: -1, val: -1, ctx: -1, result: ResLease},
		"NewKV":                  op(Wrap, -1, -1, -1),
	},
	AreaConcurrency: {
		"NewSession":         {kind: Open, key: -1, val: -1, ctx: -1, result: ResSession},
		"Session.Close":      {kind: Close, key: -1, val: -1, ctx: -1, recv: ResSession},
		"Session.Orphan":     {kind: Orphan, key: -1, val: -1, ctx: -1, recv: ResSession},
		"Election.Campaign":  op(Put, -1, 1, 0),
		"Election.Proclaim":  op(Put, -1, 1, 0),
		"Election.Observe":   {kind: Observe, key: -1, val: -1, ctx: 0, result: ResObserve},
		"STM.Put":            op(Put, 0, 1, -1),
		"Mutex.Lock":         op(Lock, -1, -1, 0),
		"Mutex.TryLock":      op(Lock, -1, -1, 0),
		"Mutex.Unlock":       op(Unlock, -1, -1, 0),
		"NewMutex":           op(MakeOp, -1, -1, -1),
		"NewElection":        op(MakeOp, -1, -1, -1),
		"NewSTM":             op(MakeOp, -1, -1, -1),
		"NewSTMRepeatable":   op(MakeOp, -1, -1, -1),
		"NewSTMSerializable": op(MakeOp, -1, -1, -1),
	},
	AreaNamespace: {
		"NewKV":      op(Wrap, -1, -1, -1),
		"NewWatcher": op(Wrap, -1, -1, -1),
		"NewLease":   op(Wrap, -1, -1, -1),
	},
	AreaEmbed: {
		"StartEtcd":      {kind: StartServer, key: -1, val: -1, ctx: -1, result: ResServer},
		"NewConfig":      op(NewConfig, -1, -1, -1),
		"ConfigFromFile": op(NewConfig, -1, -1, -1),
		"Etcd.Close":     {kind: Close, key: -1, val: -1, ctx: -1, recv: ResServer},
	},
	AreaEtcdserverpb: {
		// The request's Key and Value fields carry the key and value; see PutRequestField.
		"KVClient.Put": op(Put, -1, -1, 0),
		"KVClient.Txn": op(TxnCommit, -1, -1, 0),
	},
}

// Lookup reports what the etcd API function or method fn does. It matches by
// the declaring package's import path and the receiver's named type, so look-alikes
// in other packages never match. Methods promoted from an embedded interface
// (cli.Put on *Client) resolve to the interface's method and match too.
func Lookup(fn *types.Func) (Op, bool) {
	if fn == nil || fn.Pkg() == nil {
		return Op{}, false
	}
	_, area := PackageArea(fn.Pkg().Path())
	if area == AreaNone {
		return Op{}, false
	}
	name := fn.Name()
	if recv := fn.Signature().Recv(); recv != nil {
		n := namedOf(recv.Type())
		if n == nil {
			return Op{}, false
		}
		name = n.Obj().Name() + "." + name
	}
	s, ok := ops[area][name]
	if !ok {
		return Op{}, false
	}
	qual := name
	if area == AreaConcurrency || area == AreaNamespace || area == AreaEmbed {
		qual = fn.Pkg().Name() + "." + name
	}
	return Op{Kind: s.kind, Key: s.key, Value: s.val, Ctx: s.ctx, Result: s.result, Recv: s.recv, Name: qual}, true
}

// Arg returns the position of a named argument, e.g. Arg("KV.Put.val") == 2
// (receiver excluded). It panics on a name it does not know, so that a typo in
// a pass fails its tests at once.
func Arg(name string) int {
	for _, byName := range ops {
		for fname, s := range byName {
			switch name {
			case fname + ".key":
				if s.key >= 0 {
					return s.key
				}
			case fname + ".val":
				if s.val >= 0 {
					return s.val
				}
			case fname + ".ctx":
				if s.ctx >= 0 {
					return s.ctx
				}
			}
		}
	}
	panic("etcdapi.Arg: unknown argument " + name)
}

func namedOf(t types.Type) *types.Named {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := types.Unalias(t).(*types.Named)
	return n
}

// Deferred reports a write that only builds an Op (clientv3.OpPut): it takes
// effect when a Txn or KV.Do that carries the Op is sent, not at the call.
func (o Op) Deferred() bool { return o.Kind == Put && o.Name == "OpPut" }
