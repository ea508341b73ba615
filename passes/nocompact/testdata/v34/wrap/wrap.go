// Package wrap is the application's own layer over its embedded etcd.
package wrap

import (
	"errors"

	"go.etcd.io/etcd/embed"
)

// DefaultConfig returns etcd's defaults with the application's data directory.
func DefaultConfig(dir string) *embed.Config {
	cfg := embed.NewConfig()
	cfg.Dir = dir
	return cfg
}

// CompactingConfig returns a config that compacts every hour.
func CompactingConfig(dir string) *embed.Config {
	cfg := embed.NewConfig()
	cfg.Dir = dir
	cfg.AutoCompactionMode = embed.CompactorModePeriodic
	cfg.AutoCompactionRetention = "1h"
	return cfg
}

// EnableCompaction sets compaction on the caller's config.
func EnableCompaction(cfg *embed.Config, retention string) {
	cfg.AutoCompactionMode = embed.CompactorModePeriodic
	cfg.AutoCompactionRetention = retention
}

// Start starts etcd from the caller's config.
func Start(cfg *embed.Config) (*embed.Etcd, error) {
	return embed.StartEtcd(cfg)
}

// Node keeps a config until Run starts etcd from it.
type Node struct {
	cfg *embed.Config
	srv *embed.Etcd
}

func NewNode(cfg *embed.Config) *Node {
	return &Node{cfg: cfg}
}

func (n *Node) Run() (err error) {
	n.srv, err = embed.StartEtcd(n.cfg)
	return err
}

// Tuner adjusts a config before etcd starts.
type Tuner interface {
	Tune(cfg *embed.Config)
}

type periodic struct{ retention string }

func (p periodic) Tune(cfg *embed.Config) {
	cfg.AutoCompactionMode = embed.CompactorModePeriodic
	cfg.AutoCompactionRetention = p.retention
}

// Periodic returns a Tuner that compacts every retention.
func Periodic(retention string) Tuner { return periodic{retention} }

// Load returns etcd's defaults named after the node, or an error.
func Load(name string) (*embed.Config, error) {
	if name == "" {
		return nil, errEmptyName
	}
	cfg := embed.NewConfig()
	cfg.Name = name
	return cfg, nil
}

var errEmptyName = errors.New("empty name")
