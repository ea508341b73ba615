package etcdapi

import "go/types"

// AuthTokenTTLSeconds is how long the server keeps a simple auth token that
// a client's Authenticate created (--auth-token-ttl; server/embed/config.go
// AuthTokenTTL 300 and server/auth/simple_token.go simpleTokenTTLDefault,
// v3.6.16). Authenticate is itself a raft request
// (server/etcdserver/v3_server.go raftRequestOnce), so with auth enabled
// every new client that logs in is one more raft entry.
const AuthTokenTTLSeconds = 300

// IsDial reports whether fn creates a new client connection:
// clientv3.New, NewFromURL or NewFromURLs.
func IsDial(fn *types.Func) bool {
	op, ok := Lookup(fn)
	return ok && op.Kind == Open && op.Result == ResClient
}

// DialConfigArg is the argument of a dial function (IsDial) that configures
// the client: the Config of New, the URL(s) of NewFromURL(s).
const DialConfigArg = 0

// IsClientConfig reports whether t is clientv3.Config or a pointer to it:
// what a dial is configured with, so a function returning one (clientv3's
// NewClientConfig from a ConfigSpec in 3.6, an application's own builder)
// builds the configuration from its arguments.
func IsClientConfig(t types.Type) bool {
	_, a, name := NamedType(t)
	return a == AreaClient && name == "Config"
}
