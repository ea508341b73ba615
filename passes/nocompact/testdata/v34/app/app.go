// Package app starts etcd through the wrap package.
package app

import (
	"go.etcd.io/etcd/embed"

	"example.com/fixture/wrap"
)

func startDefaults() (*embed.Etcd, error) {
	cfg := wrap.DefaultConfig("/var/lib/app") // want `embedded etcd started without auto-compaction`
	cfg.Name = "app"
	return embed.StartEtcd(cfg)
}

func startLoaded(name string) (*embed.Etcd, error) {
	cfg, err := wrap.Load(name) // want `without auto-compaction`
	if err != nil {
		return nil, err
	}
	return embed.StartEtcd(cfg)
}

func startThroughWrapper() (*embed.Etcd, error) {
	cfg := embed.NewConfig() // want `without auto-compaction`
	cfg.Name = "app"
	return wrap.Start(cfg)
}

func runNode() error {
	cfg := embed.NewConfig() // want `without auto-compaction`
	n := wrap.NewNode(cfg)
	return n.Run()
}

// Compaction set by the wrapper package, in all its forms.

func startCompactingDefaults() (*embed.Etcd, error) {
	return wrap.Start(wrap.CompactingConfig("/var/lib/app"))
}

func startEnabled(retention string) (*embed.Etcd, error) {
	cfg := wrap.DefaultConfig("/var/lib/app")
	wrap.EnableCompaction(cfg, retention)
	return embed.StartEtcd(cfg)
}

func runTuned(t wrap.Tuner) error {
	cfg := embed.NewConfig()
	t.Tune(cfg)
	return wrap.NewNode(cfg).Run()
}

func runPeriodic() error {
	cfg := embed.NewConfig()
	wrap.Periodic("2h").Tune(cfg)
	return wrap.NewNode(cfg).Run()
}

// buildOnly never starts etcd.
func buildOnly() string {
	return wrap.DefaultConfig("/tmp").Dir
}
