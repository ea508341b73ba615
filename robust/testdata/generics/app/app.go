// Package app writes through the generic store.
package app

import (
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"example.com/fixture/store"
)

// Traffic writes one document that grows with every request ever seen.
func Traffic(cli *clientv3.Client, requests <-chan string) error {
	s := store.New[map[string]int](cli)
	counts := map[string]int{}
	for r := range requests {
		counts[r]++
		if err := s.Put("/status/traffic", counts); err != nil {
			return err
		}
	}
	return nil
}

// Heartbeat rewrites one key every second through the generic store.
func Heartbeat(cli *clientv3.Client) {
	s := store.New[string](cli)
	for {
		s.Put("/status/heartbeat", time.Now().String())
		time.Sleep(time.Second)
	}
}

// Names never writes etcd from a loop.
func Names(cli *clientv3.Client, ids []int) ([]string, error) {
	s := store.New[[]string](cli)
	return s.Get("/names")
}

// Lengths uses the generic helper that never touches etcd.
func Lengths(xs []string) []int {
	return store.Map(xs, func(s string) int { return len(s) })
}
