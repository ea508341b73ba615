// Package server runs etcd inside the application.
package server

import (
	"go.etcd.io/etcd/server/v3/embed"
)

// Start starts an embedded etcd member storing its data in dir.
func Start(dir string) (*embed.Etcd, error) {
	cfg := embed.NewConfig()
	cfg.AutoCompactionMode = embed.CompactorModePeriodic
	cfg.AutoCompactionRetention = "1h"
	cfg.Dir = dir
	return embed.StartEtcd(cfg)
}
