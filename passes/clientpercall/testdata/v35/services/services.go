// Package services holds an application's etcd-backed components; each
// constructor dials its own client from the settings it is given.
package services

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// EtcdSettings say how to reach one etcd cluster.
type EtcdSettings struct {
	Endpoints []string
	Timeout   time.Duration
}

// Settings are the application's settings.
type Settings struct {
	Etcd     EtcdSettings // the cluster the services share
	Registry EtcdSettings // a cluster of its own for service discovery
}

// Registry registers service instances.
type Registry struct{ cli *clientv3.Client }

// NewRegistry dials the registry's client.
func NewRegistry(s EtcdSettings) (*Registry, error) { // want NewRegistry:`dials\(result=0 params=0\)`
	cli, err := clientv3.New(clientv3.Config{Endpoints: s.Endpoints, DialTimeout: s.Timeout})
	if err != nil {
		return nil, err
	}
	return &Registry{cli: cli}, nil
}

// Register writes an instance's key.
func (r *Registry) Register(ctx context.Context, name, addr string) error {
	_, err := r.cli.Put(ctx, "/services/"+name, addr)
	return err
}

// Locks hands out distributed locks.
type Locks struct{ cli *clientv3.Client }

// NewLocks dials the lock service's client.
func NewLocks(s *EtcdSettings) (*Locks, error) { // want NewLocks:`dials\(result=0 params=0\)`
	cli, err := clientv3.New(clientv3.Config{Endpoints: s.Endpoints, DialTimeout: s.Timeout})
	if err != nil {
		return nil, err
	}
	return &Locks{cli: cli}, nil
}

// Config watches the application's configuration.
type Config struct {
	cli    *clientv3.Client
	prefix string
}

// NewConfig dials the configuration watcher's client.
func NewConfig(endpoints []string, prefix string) (*Config, error) { // want NewConfig:`dials\(result=0 params=0\)`
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints})
	if err != nil {
		return nil, err
	}
	return &Config{cli: cli, prefix: prefix}, nil
}

// Close closes the watcher's client.
func (c *Config) Close() error { return c.cli.Close() }

// NewConfigWith builds the watcher on a client the caller shares.
func NewConfigWith(cli *clientv3.Client, prefix string) *Config {
	return &Config{cli: cli, prefix: prefix}
}

var (
	discoveryEndpoints = []string{"discovery:2379"}
	dataEndpoints      = []string{"data:2379"}
)

// NewDiscovery dials the discovery cluster the flags name.
func NewDiscovery(timeout time.Duration) (*Registry, error) { // want NewDiscovery:`dials\(result=0 params=0\)`
	cli, err := clientv3.New(clientv3.Config{Endpoints: discoveryEndpoints, DialTimeout: timeout})
	if err != nil {
		return nil, err
	}
	return &Registry{cli: cli}, nil
}

// NewData dials the data cluster the flags name.
func NewData(timeout time.Duration) (*Locks, error) { // want NewData:`dials\(result=0 params=0\)`
	cli, err := clientv3.New(clientv3.Config{Endpoints: dataEndpoints, DialTimeout: timeout})
	if err != nil {
		return nil, err
	}
	return &Locks{cli: cli}, nil
}
