// Package wrap is the application's own layer over its embedded etcd.
package wrap

import (
	"go.etcd.io/etcd/server/v3/embed"
)

// DefaultConfig returns etcd's defaults with the application's data directory.
func DefaultConfig(dir string) *embed.Config { // want DefaultConfig:`result\(0:fresh\)`
	cfg := embed.NewConfig()
	cfg.Dir = dir
	return cfg
}

// CompactingConfig returns a config that compacts every hour.
func CompactingConfig(dir string) *embed.Config { // want CompactingConfig:`result\(0:fresh sets\(mode="periodic",retention="1h"\)\)`
	cfg := embed.NewConfig()
	cfg.Dir = dir
	cfg.AutoCompactionMode = embed.CompactorModePeriodic
	cfg.AutoCompactionRetention = "1h"
	return cfg
}

// EnableCompaction sets compaction on the caller's config.
func EnableCompaction(cfg *embed.Config, retention string) { // want EnableCompaction:`param\(0:sets\(mode="periodic",retention\)\)`
	cfg.AutoCompactionMode = embed.CompactorModePeriodic
	cfg.AutoCompactionRetention = retention
}

// Start starts etcd from the caller's config.
func Start(cfg *embed.Config) (*embed.Etcd, error) { // want Start:`param\(0:starts\)`
	return embed.StartEtcd(cfg)
}

// Node keeps a config until Run starts etcd from it.
type Node struct {
	cfg *embed.Config
	srv *embed.Etcd
}

func NewNode(cfg *embed.Config) *Node { // want NewNode:`param\(0:starts\)`
	return &Node{cfg: cfg}
}

func (n *Node) Run() (err error) {
	n.srv, err = embed.StartEtcd(n.cfg)
	return err
}

// Tuner adjusts a config before etcd starts.
type Tuner interface {
	Tune(cfg *embed.Config) // want Tune:`param\(0:sets\(mode="periodic",retention\)\)`
}

type periodic struct{ retention string }

func (p periodic) Tune(cfg *embed.Config) { // want Tune:`param\(0:sets\(mode="periodic",retention\)\)`
	cfg.AutoCompactionMode = embed.CompactorModePeriodic
	cfg.AutoCompactionRetention = p.retention
}

// Periodic returns a Tuner that compacts every retention.
func Periodic(retention string) Tuner { return periodic{retention} }
