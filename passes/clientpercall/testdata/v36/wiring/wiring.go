// Package wiring builds an application's components from its settings.
package wiring

import (
	"context"
	"errors"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"example.com/fixture/services"
	"example.com/fixture/wrap"
)

// App holds the components.
type App struct {
	Registry *services.Registry
	Locks    *services.Locks
	Config   *services.Config
}

// Build gives every component its own client to the one cluster.
func Build(s services.Settings) (*App, error) { // want Build:`dials\(result=0 params=0\)`
	reg, err := services.NewRegistry(s.Etcd)
	if err != nil {
		return nil, err
	}
	locks, err := services.NewLocks(&s.Etcd) // want `services.NewLocks dials its own etcd client from the same configuration as the call of services.NewRegistry before it: each component holds its own gRPC connection to the same cluster`
	if err != nil {
		return nil, err
	}
	return &App{Registry: reg, Locks: locks}, nil
}

// Stores opens a store for reads and one for writes on the same endpoints.
func Stores(endpoints []string) (r, w *wrap.Store, err error) { // want Stores:`dials\(result=1 params=0\)`
	if r, err = wrap.NewStore(endpoints); err != nil {
		return nil, nil, err
	}
	w, err = wrap.NewStore(endpoints) // want `wrap.NewStore dials its own etcd client from the same configuration as the call of wrap.NewStore before it`
	return r, w, err
}

// Opened opens its stores through the application's Dialer.
func Opened(d wrap.Dialer, endpoints []string) []*wrap.Store { // want Opened:`dials\(result=0 params=1\)`
	a, _ := d.Open(endpoints)
	b, _ := d.Open(endpoints) // want `Dialer.Open dials its own etcd client from the same configuration as the call of Dialer.Open before it`
	return []*wrap.Store{a, b}
}

// Background starts the registry and the lock service in the background.
func Background(s *services.Settings, ready chan<- *App) {
	go func() {
		reg, _ := services.NewRegistry(s.Etcd)
		locks, _ := services.NewLocks(&s.Etcd) // want `services.NewLocks dials its own etcd client from the same configuration as the call of services.NewRegistry before it`
		ready <- &App{Registry: reg, Locks: locks}
	}()
}

// Serve runs two configuration watchers, each on a client of its own to
// the same cluster, until ctx ends.
func Serve(ctx context.Context, s services.Settings) error { // want Serve:`dials\(releases params=1\)`
	app, err := services.NewConfig(s.Etcd.Endpoints, "/config/")
	if err != nil {
		return err
	}
	defer app.Close()
	flags, err := services.NewConfig(s.Etcd.Endpoints, "/flags/") // want `services.NewConfig dials its own etcd client from the same configuration as the call of services.NewConfig before it`
	if err != nil {
		return err
	}
	defer flags.Close()
	<-ctx.Done()
	return nil
}

// Twice builds the data cluster's lock service twice.
func Twice(timeout time.Duration) (a, b *services.Locks) { // want Twice:`dials\(result=1 params=0\)`
	a, _ = services.NewData(timeout)
	b, _ = services.NewData(2 * timeout) // want `services.NewData dials its own etcd client from the same configuration as the call of services.NewData before it`
	return a, b
}

// Negatives.

// Clusters reaches the discovery cluster and the data cluster with the
// same timeout.
func Clusters(timeout time.Duration) (*services.Registry, *services.Locks) { // want Clusters:`dials\(result=1 params=0\)`
	reg, _ := services.NewDiscovery(timeout)
	locks, _ := services.NewData(timeout)
	return reg, locks
}

// Separate gives discovery its own cluster.
func Separate(s services.Settings) (*App, error) { // want Separate:`dials\(result=0 params=0\)`
	reg, err := services.NewRegistry(s.Registry)
	if err != nil {
		return nil, err
	}
	locks, err := services.NewLocks(&s.Etcd)
	if err != nil {
		return nil, err
	}
	return &App{Registry: reg, Locks: locks}, nil
}

// Shared dials one client and gives it to the components.
func Shared(s services.Settings) (*App, *clientv3.Client, error) { // want Shared:`dials\(result=1 params=0\)`
	cli, err := clientv3.New(clientv3.Config{Endpoints: s.Etcd.Endpoints})
	if err != nil {
		return nil, nil, err
	}
	return &App{Config: services.NewConfigWith(cli, "/config/")}, cli, nil
}

// Reload closes the old watcher before it opens the new one.
func Reload(old *services.Config, s services.Settings) (*services.Config, error) { // want Reload:`dials\(result=0 params=1\)`
	old.Close()
	return services.NewConfig(s.Etcd.Endpoints, "/config/")
}

// Sequential checks the configuration with a watcher it closes, then opens
// the one it keeps.
func Sequential(endpoints []string) (*services.Config, error) { // want Sequential:`dials\(result=0 params=0\)`
	probe, err := services.NewConfig(endpoints, "/config/")
	if err != nil {
		return nil, err
	}
	probe.Close()
	return services.NewConfig(endpoints, "/config/")
}

// Fallback tries the primary cluster's settings twice, the second time
// only when the first dial failed.
func Fallback(s services.Settings) (*services.Registry, error) { // want Fallback:`dials\(result=0 params=0\)`
	reg, err := services.NewRegistry(s.Etcd)
	if err != nil {
		reg, err = services.NewRegistry(s.Etcd)
	}
	return reg, err
}

// Either builds the one component its kind names.
func Either(kind string, s services.Settings) (any, error) { // want Either:`dials\(result=0 params=1\)`
	switch kind {
	case "registry":
		return services.NewRegistry(s.Etcd)
	case "locks":
		return services.NewLocks(&s.Etcd)
	}
	return nil, errors.New("unknown kind")
}

// Retarget points the second store at other endpoints.
func Retarget(s services.Settings, other []string) (*wrap.Store, *wrap.Store) { // want Retarget:`dials\(result=1 params=0\)`
	a, _ := wrap.NewStore(s.Etcd.Endpoints)
	s.Etcd.Endpoints = other
	b, _ := wrap.NewStore(s.Etcd.Endpoints)
	return a, b
}
