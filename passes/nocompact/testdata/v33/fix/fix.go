//fixture:handwritten the fixes and messages name each era's defaults (3.6 raised SnapshotCount's default, so its configs are reported differently).

// Package fix holds configs whose fixes are checked against fix.go.golden.
package fix

import (
	etcdembed "github.com/coreos/etcd/embed"
)

func start(dir string) (*etcdembed.Etcd, error) {
	cfg := etcdembed.NewConfig() // want `without auto-compaction`
	cfg.Dir = dir
	return etcdembed.StartEtcd(cfg)
}

func startEach(dirs []string) error {
	for _, d := range dirs {
		var c = etcdembed.NewConfig() // want `without auto-compaction`
		c.Dir = d
		if _, err := etcdembed.StartEtcd(c); err != nil {
			return err
		}
	}
	return nil
}

type holder struct{ cfg *etcdembed.Config }

func (h *holder) start() error {
	h.cfg = &etcdembed.Config{Name: "n"} // want `without auto-compaction`
	_, err := etcdembed.StartEtcd(h.cfg)
	return err
}

func startNoMode() (*etcdembed.Etcd, error) {
	cfg := etcdembed.NewConfig() // want `AutoCompactionRetention "1h" without AutoCompactionMode`
	cfg.AutoCompactionRetention = "1h"
	return etcdembed.StartEtcd(cfg)
}

func startBig() (*etcdembed.Etcd, error) {
	cfg := etcdembed.NewConfig() // want `SnapCount is left at etcd 3\.3's default of 100000 while raft entries may be 8 MiB each`
	cfg.AutoCompactionMode = "revision"
	cfg.AutoCompactionRetention = "10000"
	cfg.MaxRequestBytes = 8 << 20
	return etcdembed.StartEtcd(cfg)
}

// No fix: the config is not assigned to a variable.
func startInline() (*etcdembed.Etcd, error) {
	return etcdembed.StartEtcd(etcdembed.NewConfig()) // want `without auto-compaction`
}

// node builds its config in newNodeConfig and sets its storage in
// configure: the fix goes after the data directory there.
type node struct{ name, dir string }

func newNodeConfig() *etcdembed.Config {
	return etcdembed.NewConfig()
}

func (n *node) configure(ec *etcdembed.Config) *etcdembed.Config {
	ec.Name = n.name
	ec.Dir = n.dir // want `without auto-compaction`
	return ec
}

func (n *node) start() (*etcdembed.Etcd, error) {
	return etcdembed.StartEtcd(n.configure(newNodeConfig()))
}
