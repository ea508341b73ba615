// Package testserver runs the embedded etcd the application's tests use. It
// exists for tests, so its server is test code: not checked unless
// -include-tests.
package testserver

import "go.etcd.io/etcd/embed"

// Start starts a server in dir that lives for one test.
func Start(dir string) (*embed.Etcd, error) {
	cfg := embed.NewConfig()
	cfg.Dir = dir
	return embed.StartEtcd(cfg)
}
