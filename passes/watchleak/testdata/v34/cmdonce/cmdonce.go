// Package cmdonce is a command line tool built on cobra: each command's
// function runs once and the process exits after it. Clients and watchers
// its commands leave open end with the process; a session does not end
// there when it still holds a lock, a leadership or a key under its lease,
// which etcd keeps until the lease's TTL runs out.
package cmdonce

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"
	clientv3 "go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/clientv3/concurrency"
)

var endpoints = []string{"127.0.0.1:2379"}

func dial() (*clientv3.Client, error) {
	return clientv3.New(clientv3.Config{Endpoints: endpoints, DialTimeout: 5 * time.Second})
}

// Root returns the tool's command tree.
func Root() *cobra.Command {
	root := &cobra.Command{Use: "ctl"}
	get := &cobra.Command{
		Use: "get KEY",
		RunE: func(cmd *cobra.Command, args []string) error {
			cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints})
			if err != nil {
				return err
			}
			resp, err := cli.Get(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			fmt.Println(resp.Kvs)
			return nil
		},
	}
	watch := &cobra.Command{Use: "watch KEY", Run: watchRun}
	hold := &cobra.Command{Use: "hold NAME", Run: holdRun}
	follow := &cobra.Command{Use: "follow ELECTION", Run: followRun}
	lead := &cobra.Command{Use: "lead ELECTION VALUE"}
	lead.RunE = leadRun
	claim := &cobra.Command{Use: "claim KEY", RunE: claimRun}
	scan := &cobra.Command{Use: "scan PREFIX...", Run: scanRun}
	unlock := &cobra.Command{Use: "unlock NAME...", Run: unlockRun}
	exclusive := &cobra.Command{Use: "exclusive NAME", RunE: exclusiveRun}
	reserve := &cobra.Command{Use: "reserve NAME", Run: reserveRun}
	root.AddCommand(get, watch, hold, follow, lead, claim, scan, unlock, exclusive, reserve)
	return root
}

// watchRun prints the changes of one key until the process is stopped.
func watchRun(cmd *cobra.Command, args []string) {
	cli, err := dial()
	if err != nil {
		os.Exit(1)
	}
	printChanges(cli, args[0])
}

// printChanges is called once, by watchRun: its watcher ends with the
// process.
func printChanges(cli *clientv3.Client, key string) {
	w := clientv3.NewWatcher(cli)
	for resp := range w.Watch(context.Background(), key) {
		fmt.Println(resp.Events)
	}
}

// holdRun takes a lock and leaves it held when it returns: etcd keeps the
// lock until the session's TTL runs out after the process is gone.
func holdRun(cmd *cobra.Command, args []string) {
	cli, err := dial()
	if err != nil {
		os.Exit(1)
	}
	s, err := concurrency.NewSession(cli, concurrency.WithTTL(30)) // want `session from concurrency.NewSession is never closed and the key of Mutex.Lock can still be held when this function returns`
	if err != nil {
		os.Exit(1)
	}
	m := concurrency.NewMutex(s, "/locks/"+args[0])
	if err := m.Lock(context.TODO()); err != nil {
		os.Exit(1)
	}
	fmt.Println("locked", m.Key())
}

// followRun only observes an election: nothing is put under the session's
// lease, so the lease left behind holds nothing.
func followRun(cmd *cobra.Command, args []string) {
	cli, err := dial()
	if err != nil {
		os.Exit(1)
	}
	if err := observeLeader(cli, args[0]); err != nil {
		os.Exit(1)
	}
}

func observeLeader(cli *clientv3.Client, name string) error {
	s, err := concurrency.NewSession(cli)
	if err != nil {
		return err
	}
	e := concurrency.NewElection(s, name)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for resp := range e.Observe(ctx) {
		fmt.Println(string(resp.Kvs[0].Value))
	}
	return nil
}

// leadRun campaigns, and resigns before a successful return; a failure
// returns an error and the process exits with it.
func leadRun(cmd *cobra.Command, args []string) error {
	cli, err := dial()
	if err != nil {
		return err
	}
	s, err := concurrency.NewSession(cli)
	if err != nil {
		return err
	}
	e := concurrency.NewElection(s, args[0])
	if err := e.Campaign(cmd.Context(), args[1]); err != nil {
		return err
	}
	resp, err := e.Leader(cmd.Context())
	if err != nil {
		return fmt.Errorf("leader: %w", err)
	}
	if len(resp.Kvs) == 0 {
		return errors.New("leadership lost")
	}
	select {
	case <-cmd.Context().Done():
	case <-s.Done():
		return errors.New("session expired")
	}
	return e.Resign(context.TODO())
}

// claimRun puts a key under the session's lease and returns: the key
// outlives the process by the lease's TTL.
func claimRun(cmd *cobra.Command, args []string) error {
	cli, err := dial()
	if err != nil {
		return err
	}
	s, err := concurrency.NewSession(cli) // want `session from concurrency.NewSession is never closed and a key under its lease \(Session.Lease\) can still be held`
	if err != nil {
		return err
	}
	_, err = cli.Put(cmd.Context(), args[0], "mine", clientv3.WithLease(s.Lease()))
	return err
}

// scanRun reads each prefix through a helper it calls in a loop: the
// helper runs once per prefix, and each call leaks a client.
func scanRun(cmd *cobra.Command, args []string) {
	for _, p := range args {
		count(cmd.Context(), p)
	}
}

func count(ctx context.Context, prefix string) {
	cli, err := dial() // want `etcd client from cmdonce.dial is never closed`
	if err != nil {
		return
	}
	resp, err := cli.Get(ctx, prefix, clientv3.WithPrefix(), clientv3.WithCountOnly())
	if err != nil {
		return
	}
	fmt.Println(prefix, resp.Count)
}

// unlockRun opens a session per name in a loop, as a function that runs
// many times would: every iteration leaves a lease renewed until the
// process exits.
func unlockRun(cmd *cobra.Command, args []string) {
	cli, err := dial()
	if err != nil {
		os.Exit(1)
	}
	for _, name := range args {
		s, err := concurrency.NewSession(cli) // want `session from concurrency.NewSession is never closed and not handed off`
		if err != nil {
			continue
		}
		m := concurrency.NewMutex(s, name)
		if err := m.Lock(cmd.Context()); err == nil {
			m.Unlock(cmd.Context())
		}
	}
}

// exclusiveRun runs a step under a sync.Locker over the session and
// unlocks it when it returns.
func exclusiveRun(cmd *cobra.Command, args []string) error {
	cli, err := dial()
	if err != nil {
		return err
	}
	s, err := concurrency.NewSession(cli)
	if err != nil {
		return err
	}
	l := concurrency.NewLocker(s, "/exclusive/"+args[0])
	l.Lock()
	defer func() { l.Unlock() }()
	fmt.Println("holding", args[0])
	return nil
}

// reserveRun takes a sync.Locker over the session and returns holding it.
func reserveRun(cmd *cobra.Command, args []string) {
	cli, err := dial()
	if err != nil {
		return
	}
	s, err := concurrency.NewSession(cli) // want `session from concurrency.NewSession is never closed and the key of Locker.Lock can still be held`
	if err != nil {
		return
	}
	l := concurrency.NewLocker(s, "/reserve/"+args[0])
	l.Lock()
	fmt.Println("reserved", args[0])
}

// withLock is a library function, called as often as its callers like:
// the lock is released, but every call leaks the session's lease and
// keep-alive.
func withLock(ctx context.Context, cli *clientv3.Client, name string, f func()) error {
	s, err := concurrency.NewSession(cli) // want `session from concurrency.NewSession is never closed and not handed off`
	if err != nil {
		return err
	}
	m := concurrency.NewMutex(s, name)
	if err := m.Lock(ctx); err != nil {
		return err
	}
	defer m.Unlock(ctx)
	f()
	return nil
}

// Serve is a library function too: its client is never closed.
func Serve(ctx context.Context) error {
	cli, err := dial() // want `etcd client from cmdonce.dial is never closed`
	if err != nil {
		return err
	}
	return withLock(ctx, cli, "/serve", func() {})
}
