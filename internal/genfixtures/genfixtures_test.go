package main

import (
	"strings"
	"testing"

	"github.com/etcdlint/etcdlint/internal/etcdapi"
)

// TestFixturesAreCurrent fails when a v35, v34 or v33 fixture file is not
// what the generator writes from its v36 file, or when an older-era file is
// neither generated nor marked hand-written; regenerate with
// `go generate ./analysistest`.
func TestFixturesAreCurrent(t *testing.T) {
	changes, problems, err := Plan("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		t.Errorf("%s is not current: run `go generate ./analysistest` (edit the v36 file, or mark this one %s)", c.Path, Marker)
	}
	for _, p := range problems {
		t.Error(p)
	}
	sets, err := Sets("../..")
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) == 0 {
		t.Fatal("no fixture sets found")
	}
}

const v36 = `// Package p is a fixture.
package p

import (
	"context"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/mvccpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"
	etcdembed "go.etcd.io/etcd/server/v3/embed"
)

var (
	_ = pb.PutRequest{}
	_ = mvccpb.PUT
	_ = rpctypes.ErrCompacted
	_ = concurrency.NewSession
	_ = context.Background
)

func f(cli *clientv3.Client) *etcdembed.Config {
	cfg := etcdembed.NewConfig()
	cfg.AutoCompactionMode = etcdembed.CompactorModePeriodic // want ` + "`SnapshotCount`" + `
	cfg.SnapshotCount = 10
	return &etcdembed.Config{SnapshotCount: 5, AutoCompactionMode: etcdembed.CompactorModeRevision}
}
`

const v33 = `// Package p is a fixture.
package p

import (
	"context"

	clientv3 "github.com/coreos/etcd/clientv3"
	"github.com/coreos/etcd/clientv3/concurrency"
	etcdembed "github.com/coreos/etcd/embed"
	"github.com/coreos/etcd/etcdserver/api/v3rpc/rpctypes"
	pb "github.com/coreos/etcd/etcdserver/etcdserverpb"
	"github.com/coreos/etcd/mvcc/mvccpb"
)

var (
	_ = pb.PutRequest{}
	_ = mvccpb.PUT
	_ = rpctypes.ErrCompacted
	_ = concurrency.NewSession
	_ = context.Background
)

func f(cli *clientv3.Client) *etcdembed.Config {
	cfg := etcdembed.NewConfig()
	cfg.AutoCompactionMode = "periodic" // want ` + "`SnapshotCount`" + `
	cfg.SnapCount = 10
	return &etcdembed.Config{SnapCount: 5, AutoCompactionMode: "revision"}
}
`

// TestRewrite: imports move to each era's packages (and are sorted again),
// 3.3's names replace the ones it lacks, comments stay as written.
func TestRewrite(t *testing.T) {
	got, err := Rewrite([]byte(v36), etcdapi.Era35)
	if err != nil || string(got) != v36 {
		t.Errorf("v35: got %v\n%s", err, got)
	}
	got, err = Rewrite([]byte(v36), etcdapi.EraCoreOS)
	if err != nil || string(got) != v33 {
		t.Errorf("v33: got %v\n%s", err, got)
	}
	got, err = Rewrite([]byte(v36), etcdapi.Era34)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"go.etcd.io/etcd/mvcc/mvccpb"`, `clientv3 "go.etcd.io/etcd/clientv3"`,
		`etcdembed "go.etcd.io/etcd/embed"`, `etcdembed.CompactorModePeriodic`, `cfg.SnapshotCount = 10`} {
		if !strings.Contains(string(got), want) {
			t.Errorf("v34: no %s in\n%s", want, got)
		}
	}
	_, err = Rewrite([]byte("package p\n\nimport _ \"go.etcd.io/etcd/server/v3/etcdserver\"\n"), etcdapi.Era34)
	if err == nil {
		t.Errorf("an etcd package with no known 3.4 path was rewritten")
	}
}

func TestHandwritten(t *testing.T) {
	for src, want := range map[string]string{
		"// Package a.\n//fixture:handwritten 3.3 logs nothing.\npackage a\n": "3.3 logs nothing.",
		"//fixture:handwritten\npackage a\n":                                  "",
	} {
		if ok, reason := Handwritten([]byte(src)); !ok || reason != want {
			t.Errorf("Handwritten(%q) = %v, %q", src, ok, reason)
		}
	}
	for _, src := range []string{"package a\n", "package a // fixture:handwritten x\n", "//fixture:handwrittenx\npackage a\n"} {
		if ok, _ := Handwritten([]byte(src)); ok {
			t.Errorf("Handwritten(%q) = true", src)
		}
	}
}
