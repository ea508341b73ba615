// Package etcdapi is the only place in etcdlint that knows etcd's API.
//
// Every pass asks this package whether a function, method, type or field
// belongs to etcd, and what role each argument plays (an etcd key, an etcd
// value, a context that scopes a resource). Matching is by import path and
// type, never by name alone: a local type named Client with a Put method is
// not etcd.
//
// Three generations of the client are recognised, each with its own import
// paths (see Era): go.etcd.io/etcd/client/v3 (3.5 and later),
// go.etcd.io/etcd/clientv3 (3.4) and github.com/coreos/etcd/clientv3 (3.3 and
// older), with their concurrency and namespace packages, the raw gRPC
// etcdserverpb KV client, and the matching embed packages for servers that
// run inside the program.
//
// The numbers that diagnostics quote are in limits.go, each with the place in
// etcd's source it was read from.
package etcdapi
