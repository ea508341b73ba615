// Package members is a cluster administration tool: one command per
// operation on each member, each member reached through a client pinned to
// that member's endpoint.
package members

import (
	"context"
	"errors"
	"fmt"
	"time"

	clientv3 "go.etcd.io/etcd/clientv3"
)

// Settings are the tool's connection settings, read from its flags.
type Settings struct {
	Endpoints []string
	Timeout   time.Duration
	User      string
}

func settingsFromFlags() *Settings {
	return &Settings{Endpoints: []string{"a:2379", "b:2379"}, Timeout: 5 * time.Second}
}

// connect dials a client from the settings.
func connect(s *Settings) (*clientv3.Client, error) { // want connect:`dials\(result=0 params=0\)`
	return clientv3.New(clientv3.Config{Endpoints: s.Endpoints, DialTimeout: s.Timeout, Username: s.User})
}

// clientConfig builds the client's configuration from the settings.
func clientConfig(s *Settings) (*clientv3.Config, error) {
	if len(s.Endpoints) == 0 {
		return nil, errors.New("no endpoints")
	}
	return &clientv3.Config{Endpoints: s.Endpoints, DialTimeout: s.Timeout}, nil
}

// mustDial dials from the configuration clientConfig builds.
func mustDial(s *Settings) *clientv3.Client { // want mustDial:`dials\(result=0 params=0\)`
	cfg, err := clientConfig(s)
	if err != nil {
		panic(err)
	}
	cli, err := clientv3.New(*cfg)
	if err != nil {
		panic(err)
	}
	return cli
}

// HashEach hashes each member's store through a client pinned to it.
func HashEach(ctx context.Context, eps []string) {
	s := settingsFromFlags()
	for _, ep := range eps {
		s.Endpoints = []string{ep}
		cli := mustDial(s)
		cli.HashKV(ctx, ep, 0)
		cli.Close()
	}
}

// StatusAll asks every member for its status through a client pinned to it.
func StatusAll(ctx context.Context) {
	s := settingsFromFlags()
	for _, ep := range s.Endpoints {
		s.Endpoints = []string{ep}
		cli, err := connect(s)
		if err != nil {
			continue
		}
		if st, err := cli.Status(ctx, ep); err == nil {
			fmt.Println(ep, st.Header.MemberId)
		}
		cli.Close()
	}
}

// DefragAll defragments each member given, one at a time.
func DefragAll(ctx context.Context, cfg *clientv3.Config, eps []string) error {
	for _, ep := range eps {
		cfg.Endpoints = []string{ep}
		cli, err := clientv3.New(*cfg)
		if err != nil {
			return err
		}
		_, err = cli.Defragment(ctx, ep)
		cli.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// FindLeader keeps the client of the member that leads and closes the others.
func FindLeader(ctx context.Context, eps []string) (*clientv3.Client, error) {
	cfg := settingsFromFlags()
	for _, ep := range eps {
		cfg.Endpoints = []string{ep}
		cli, err := connect(cfg)
		if err != nil {
			return nil, err
		}
		st, err := cli.Status(ctx, ep)
		if err == nil && st.Header.MemberId == st.Leader {
			return cli, nil
		}
		cli.Close()
	}
	return nil, fmt.Errorf("no leader among %v", eps)
}

// HashAll hashes each member's store concurrently, a goroutine per member
// with a copy of the settings.
func HashAll(ctx context.Context, base Settings) {
	for _, ep := range base.Endpoints {
		one := base
		one.Endpoints = []string{ep}
		go func(s Settings) {
			cli, err := connect(&s)
			if err != nil {
				return
			}
			defer cli.Close()
			cli.HashKV(ctx, ep, 0)
		}(one)
	}
}

// Reports.

// AlarmsAll asks each member for its alarms through a client dialled with
// all the endpoints each time: the client is the same, only the question
// changes.
func AlarmsAll(ctx context.Context) {
	s := settingsFromFlags()
	for _, ep := range s.Endpoints {
		s.Timeout = time.Second
		cli, err := connect(s) // want `members.connect dials a new etcd client on every call and this call runs on every iteration of this loop, with the same configuration each time`
		if err != nil {
			continue
		}
		cli.Status(ctx, ep)
		cli.Close()
	}
}

// VersionEach asks each member for its version through a client dialled
// with every endpoint each time.
func VersionEach(ctx context.Context, eps []string) {
	s := settingsFromFlags()
	for _, ep := range eps {
		cli := mustDial(s) // want `members.mustDial dials a new etcd client on every call and this call runs on every iteration of this loop, with the same configuration each time`
		cli.Status(ctx, ep)
		cli.Close()
	}
}

// LeakAll pins a client to each member and never closes it.
func LeakAll(ctx context.Context, cfg *clientv3.Config, eps []string) {
	for _, ep := range eps {
		cfg.Endpoints = []string{ep}
		cli, err := clientv3.New(*cfg) // want `a new etcd client is dialled on every iteration of this loop and never closed`
		if err != nil {
			continue
		}
		cli.Status(ctx, ep)
	}
}
