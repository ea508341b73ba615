package withtests

import (
	"testing"

	"go.etcd.io/etcd/server/v3/embed"
)

func TestEmbedded(t *testing.T) {
	cfg := embed.NewConfig() // want `without auto-compaction`
	cfg.Dir = t.TempDir()
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		t.Skip(err)
	}
	defer e.Close()
}
