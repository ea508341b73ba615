package etcdapi

import (
	"go/types"
)

// NamedType reports the era, area and name of t (or *t) when it is a named
// type declared in an etcd API package.
func NamedType(t types.Type) (Era, Area, string) {
	n := namedOf(t)
	if n == nil || n.Obj().Pkg() == nil {
		return EraNone, AreaNone, ""
	}
	e, a := PackageArea(n.Obj().Pkg().Path())
	if a == AreaNone {
		return EraNone, AreaNone, ""
	}
	return e, a, n.Obj().Name()
}

// ResourceOf reports which etcd resource a value of type t holds, if any.
func ResourceOf(t types.Type) Resource {
	if ch, ok := types.Unalias(t).Underlying().(*types.Chan); ok {
		if _, ok := types.Unalias(t).(*types.Named); !ok {
			// <-chan *LeaseKeepAliveResponse, <-chan GetResponse
			_, a, name := NamedType(ch.Elem())
			if a == AreaClient && name == "LeaseKeepAliveResponse" {
				return ResKeepAlive
			}
			if a == AreaClient && name == "GetResponse" {
				return ResObserve
			}
			return ResNone
		}
	}
	_, a, name := NamedType(t)
	switch {
	case a == AreaClient && name == "Client":
		return ResClient
	case a == AreaClient && name == "Watcher":
		return ResWatcher
	case a == AreaClient && name == "Lease":
		return ResLease
	case a == AreaClient && name == "WatchChan":
		return ResWatchChan
	case a == AreaConcurrency && name == "Session":
		return ResSession
	case a == AreaEmbed && name == "Etcd":
		return ResServer
	}
	return ResNone
}

// IsClient reports whether t is clientv3.Client or *clientv3.Client.
func IsClient(t types.Type) bool {
	_, a, name := NamedType(t)
	return a == AreaClient && name == "Client"
}

// IsKVLike reports whether t is one of the client interfaces through which keys
// are written (clientv3.KV, clientv3.Txn) or the Client that embeds them.
func IsKVLike(t types.Type) bool {
	_, a, name := NamedType(t)
	return a == AreaClient && (name == "KV" || name == "Txn" || name == "Client")
}

// IsOp reports whether t is clientv3.Op.
func IsOp(t types.Type) bool {
	_, a, name := NamedType(t)
	return a == AreaClient && name == "Op"
}

// Field roles of etcd request and config structs.
const (
	FieldKey   = "key"
	FieldValue = "value"
)

// RequestField reports whether v is the Key or Value field of the raw gRPC
// etcdserverpb.PutRequest, the way code that bypasses clientv3 writes a key.
func RequestField(v *types.Var) string {
	if v == nil || !v.IsField() || v.Pkg() == nil {
		return ""
	}
	if _, a := PackageArea(v.Pkg().Path()); a != AreaEtcdserverpb {
		return ""
	}
	switch v.Name() {
	case "Key":
		if structHasField(v, "PutRequest") {
			return FieldKey
		}
	case "Value":
		if structHasField(v, "PutRequest") {
			return FieldValue
		}
	}
	return ""
}

// structHasField reports whether field v is declared by the etcdserverpb struct typeName.
func structHasField(v *types.Var, typeName string) bool {
	obj := v.Pkg().Scope().Lookup(typeName)
	if obj == nil {
		return false
	}
	st, ok := obj.Type().Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for i := range st.NumFields() {
		if st.Field(i) == v {
			return true
		}
	}
	return false
}

// Embedded-server configuration fields that the nocompact pass follows.
const (
	ConfigCompactionMode      = "AutoCompactionMode"
	ConfigCompactionRetention = "AutoCompactionRetention"
	ConfigSnapshotCount       = "SnapshotCount"
)

// EmbedConfig reports the era of t when t is embed.Config or *embed.Config.
func EmbedConfig(t types.Type) (Era, bool) {
	e, a, name := NamedType(t)
	return e, a == AreaEmbed && name == "Config"
}

// ConfigField reports which embed.Config field v is (one of the Config*
// constants), or "" when v is not one the passes follow. coreos 3.3 spells
// the snapshot count SnapCount (embed/config.go, json "snapshot-count").
func ConfigField(v *types.Var) string {
	if v == nil || !v.IsField() || v.Pkg() == nil {
		return ""
	}
	if _, a := PackageArea(v.Pkg().Path()); a != AreaEmbed {
		return ""
	}
	name := v.Name()
	if name == "SnapCount" {
		name = ConfigSnapshotCount
	}
	switch name {
	case ConfigCompactionMode, ConfigCompactionRetention, ConfigSnapshotCount:
		if obj := v.Pkg().Scope().Lookup("Config"); obj != nil {
			if st, ok := obj.Type().Underlying().(*types.Struct); ok {
				for i := range st.NumFields() {
					if st.Field(i) == v {
						return name
					}
				}
			}
		}
	}
	return ""
}

// Embed36 reports whether the embed package embed (a 3.5+ path) is etcd 3.6 or
// later, which shares 3.5's import path. 3.6 added Config.ServerFeatureGate
// (server/embed/config.go, v3.6.16; absent in v3.5.35), and 3.6 changed the
// compaction and snapshot defaults.
func Embed36(embed *types.Package) bool {
	if embed == nil {
		return false
	}
	if e, a := PackageArea(embed.Path()); e != Era35 || a != AreaEmbed {
		return false
	}
	obj := embed.Scope().Lookup("Config")
	if obj == nil {
		return false
	}
	st, ok := obj.Type().Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for i := range st.NumFields() {
		if st.Field(i).Name() == "ServerFeatureGate" {
			return true
		}
	}
	return false
}
