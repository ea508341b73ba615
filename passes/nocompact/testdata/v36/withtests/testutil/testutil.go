// Package testutil helps the application's tests; with -include-tests its
// servers are checked as a _test.go file's are.
package testutil

import "go.etcd.io/etcd/server/v3/embed"

// Cluster starts a server in dir configured by the caller's config.
func Cluster(dir string, name string) (*embed.Etcd, error) {
	cfg := embed.NewConfig() // want `without auto-compaction`
	cfg.Name = name
	cfg.Dir = dir
	return startConfigured(cfg)
}

func startConfigured(cfg *embed.Config) (*embed.Etcd, error) {
	return embed.StartEtcd(cfg)
}
