// Package flags holds configs whose reports depend on the pass's flags; the
// test counts the diagnostics under each setting.
package flags

import (
	"github.com/coreos/etcd/embed"
)

// small compacts and keeps the default request limit: its SnapshotCount is
// reported only with -snapshot-count=always.
func small() (*embed.Etcd, error) {
	cfg := embed.NewConfig()
	cfg.AutoCompactionMode = "periodic"
	cfg.AutoCompactionRetention = "1h"
	return embed.StartEtcd(cfg)
}

// big compacts but raises the request limit: its SnapshotCount is reported
// unless -snapshot-count=never.
func big() (*embed.Etcd, error) {
	cfg := embed.NewConfig()
	cfg.AutoCompactionMode = "periodic"
	cfg.AutoCompactionRetention = "1h"
	cfg.MaxRequestBytes = 4 << 20
	return embed.StartEtcd(cfg)
}

// plain never compacts; the fix spells -mode and -retention.
func plain() (*embed.Etcd, error) {
	cfg := embed.NewConfig()
	return embed.StartEtcd(cfg)
}
