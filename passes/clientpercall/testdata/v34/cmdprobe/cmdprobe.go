// Package cmdprobe is a cluster tool built on cobra: each command runs
// once and the process exits after it. A client it dials per member, with
// that member's own endpoint, is a probe of that member; the process ends
// the ones it leaves open. A client dialled again with the same settings
// on every iteration is still one connection too many per iteration.
package cmdprobe

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/spf13/cobra"
	clientv3 "go.etcd.io/etcd/clientv3"
)

var (
	endpoints = []string{"a:2379", "b:2379", "c:2379"}
	timeout   = 5 * time.Second
)

// Root returns the tool's commands.
func Root() *cobra.Command {
	root := &cobra.Command{Use: "cluster"}
	health := &cobra.Command{Use: "health", Run: healthRun}
	status := &cobra.Command{
		Use: "status",
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, ep := range endpoints {
				cli, err := clientv3.New(clientv3.Config{Endpoints: []string{ep}, DialTimeout: timeout})
				if err != nil {
					return err
				}
				st, err := cli.Status(cmd.Context(), ep)
				if err != nil {
					return err
				}
				fmt.Println(ep, st.Version)
			}
			return nil
		},
	}
	hashes := &cobra.Command{Use: "hashes"}
	hashes.RunE = hashesRun
	count := &cobra.Command{Use: "count PREFIX...", Run: countRun}
	root.AddCommand(health, status, hashes, count)
	return root
}

// healthRun checks every member at once, one goroutine and one client
// per member.
func healthRun(cmd *cobra.Command, args []string) {
	var wg sync.WaitGroup
	for _, ep := range endpoints {
		wg.Add(1)
		go func(ep string) {
			defer wg.Done()
			cli, err := clientv3.New(clientv3.Config{Endpoints: []string{ep}, DialTimeout: timeout})
			if err != nil {
				fmt.Println(ep, "unhealthy:", err)
				return
			}
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			_, err = cli.Get(ctx, "health")
			fmt.Println(ep, err == nil)
		}(ep)
	}
	wg.Wait()
}

// hashesRun asks a helper, which it calls once, to hash every member.
func hashesRun(cmd *cobra.Command, args []string) error {
	return hashEach(cmd.Context(), endpoints)
}

func hashEach(ctx context.Context, eps []string) error {
	cfg := clientv3.Config{DialTimeout: timeout}
	for _, ep := range eps {
		cfg.Endpoints = []string{ep}
		cli, err := clientv3.New(cfg)
		if err != nil {
			return err
		}
		resp, err := cli.HashKV(ctx, ep, 0)
		if err != nil {
			return err
		}
		fmt.Println(ep, resp.Hash)
	}
	return nil
}

// countRun dials the whole cluster again for every prefix: the same
// client each time.
func countRun(cmd *cobra.Command, args []string) {
	for _, p := range args {
		cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints, DialTimeout: timeout}) // want `a new etcd client is dialled on every iteration of this loop and never closed`
		if err != nil {
			return
		}
		resp, err := cli.Get(cmd.Context(), p, clientv3.WithPrefix(), clientv3.WithCountOnly())
		if err == nil {
			fmt.Println(p, resp.Count)
		}
	}
}

// Monitor is a library function that runs every period: a probe per
// member left open leaks a client per member on every call.
func Monitor(ctx context.Context, eps []string) map[string]bool {
	out := map[string]bool{}
	for _, ep := range eps {
		cli, err := clientv3.New(clientv3.Config{Endpoints: []string{ep}, DialTimeout: timeout}) // want `a new etcd client is dialled on every iteration of this loop and never closed`
		if err != nil {
			out[ep] = false
			continue
		}
		_, err = cli.Get(ctx, "health")
		out[ep] = err == nil
	}
	return out
}
