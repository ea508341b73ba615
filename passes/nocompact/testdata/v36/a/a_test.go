package a

import "go.etcd.io/etcd/server/v3/embed"

// startForTest starts a throwaway server for one test: test code, not
// checked unless -include-tests.
func startForTest(dir string) (*embed.Etcd, error) {
	cfg := embed.NewConfig()
	cfg.Dir = dir
	return embed.StartEtcd(cfg)
}

var _ = startForTest
