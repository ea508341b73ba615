package etcdapi

import "strings"

// eraMoves maps an import path of etcd 3.5+ (and the packages under it) to
// where the same package lives in the 3.4 module go.etcd.io/etcd; 3.3 and
// older hold the 3.4 layout under github.com/coreos/etcd/.
var eraMoves = []struct{ from, to string }{
	{"go.etcd.io/etcd/client/v3", "go.etcd.io/etcd/clientv3"},
	{"go.etcd.io/etcd/client/pkg/v3", "go.etcd.io/etcd/pkg"},
	{"go.etcd.io/etcd/server/v3/embed", "go.etcd.io/etcd/embed"},
	{"go.etcd.io/etcd/api/v3/etcdserverpb", "go.etcd.io/etcd/etcdserver/etcdserverpb"},
	{"go.etcd.io/etcd/api/v3/v3rpc/rpctypes", "go.etcd.io/etcd/etcdserver/api/v3rpc/rpctypes"},
	{"go.etcd.io/etcd/api/v3/mvccpb", "go.etcd.io/etcd/mvcc/mvccpb"},
	{"go.etcd.io/etcd/api/v3/authpb", "go.etcd.io/etcd/auth/authpb"},
}

// EraImportPath returns the import path in era e of the etcd 3.5+ package at
// path, and false for an etcd package whose place in e is not known here.
// A path outside etcd's modules is returned unchanged.
func EraImportPath(path string, e Era) (string, bool) {
	if !strings.HasPrefix(path, "go.etcd.io/etcd/") || e == Era35 {
		return path, true
	}
	for _, m := range eraMoves {
		if path != m.from && !strings.HasPrefix(path, m.from+"/") {
			continue
		}
		moved := m.to + path[len(m.from):]
		if e == EraCoreOS {
			moved = "github.com/coreos/etcd/" + strings.TrimPrefix(moved, "go.etcd.io/etcd/")
		}
		return moved, true
	}
	return "", false
}

// EraConstant returns, for a constant of the 3.5+ package area that era e
// does not declare, the Go expression of its value there: embed's
// CompactorModePeriodic and CompactorModeRevision came with 3.4, and 3.3's
// AutoCompactionMode takes the same strings.
func EraConstant(e Era, area Area, name string) (string, bool) {
	if e != EraCoreOS || area != AreaEmbed {
		return "", false
	}
	switch name {
	case "CompactorModePeriodic":
		return `"periodic"`, true
	case "CompactorModeRevision":
		return `"revision"`, true
	}
	return "", false
}

// EraConfigField returns the name in era e of the embed.Config field that
// 3.5+ calls name: 3.3's Config calls SnapshotCount SnapCount.
func EraConfigField(e Era, name string) string {
	if e == EraCoreOS && name == "SnapshotCount" {
		return "SnapCount"
	}
	return name
}
