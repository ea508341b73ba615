// Package wrap is the application's own layer over etcd.
package wrap

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/clientv3"
)

// StatusPrefix is where objects publish their status.
const StatusPrefix = "/runtime/status/"

// Cluster is what the application's controllers see of etcd.
type Cluster interface {
	PutUnderLease(key, value string) error
	Get(key string) (string, error)
}

type cluster struct {
	cli   *clientv3.Client
	lease clientv3.LeaseID
}

// NewCluster returns the etcd-backed Cluster.
func NewCluster(cli *clientv3.Client, lease clientv3.LeaseID) Cluster {
	return &cluster{cli: cli, lease: lease}
}

func (c *cluster) PutUnderLease(key, value string) error { // want PutUnderLease:`rewrites\("\{0\}"\) params\(0\)`
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_, err := c.cli.Put(ctx, key, value, clientv3.WithLease(c.lease))
	return err
}

func (c *cluster) Get(key string) (string, error) {
	resp, err := c.cli.Get(context.Background(), key)
	if err != nil || len(resp.Kvs) == 0 {
		return "", err
	}
	return string(resp.Kvs[0].Value), nil
}

// Store prefixes every key.
type Store struct {
	cli    *clientv3.Client
	prefix string
}

// NewStore returns a Store under prefix.
func NewStore(cli *clientv3.Client, prefix string) *Store { return &Store{cli: cli, prefix: prefix} }

// Set writes key under the store's prefix.
func (s *Store) Set(key, val string) error { // want Set:`rewrites\("…\{0\}"\) params\(-1,0\)`
	_, err := s.cli.Put(context.Background(), s.prefix+key, val)
	return err
}

// Beat writes a member's heartbeat key.
func Beat(cli *clientv3.Client, member string) error { // want Beat:`rewrites\("/members/\{1\}/heartbeat"\) params\(1\)`
	_, err := cli.Put(context.Background(), "/members/"+member+"/heartbeat", time.Now().String())
	return err
}

// Touch writes one fixed key.
func Touch(cli *clientv3.Client) { // want Touch:`rewrites\("/app/last-seen"\) params\(\)`
	cli.Put(context.Background(), "/app/last-seen", time.Now().String())
}

// Recorder writes only when the value changes, so it carries no fact.
type Recorder struct {
	cli  *clientv3.Client
	last string
}

// NewRecorder returns a Recorder.
func NewRecorder(cli *clientv3.Client) *Recorder { return &Recorder{cli: cli} }

// Record writes v unless it was the last value written.
func (r *Recorder) Record(v string) error {
	if v == r.last {
		return nil
	}
	if _, err := r.cli.Put(context.Background(), "/app/recorded", v); err != nil {
		return err
	}
	r.last = v
	return nil
}

// Status is written only after Mark, so Flush carries no fact.
type Status struct {
	cli   *clientv3.Client
	dirty bool
	val   string
}

// NewStatus returns a Status.
func NewStatus(cli *clientv3.Client) *Status { return &Status{cli: cli} }

// Mark records a new value to write.
func (s *Status) Mark(v string) { s.val, s.dirty = v, true }

// Flush writes the value if it was marked since the last flush.
func (s *Status) Flush() {
	if !s.dirty {
		return
	}
	s.cli.Put(context.Background(), "/app/status", s.val)
	s.dirty = false
}

// SaveAll writes one key per item: the key is not fixed by its parameters.
func SaveAll(cli *clientv3.Client, items map[string]string) { // want SaveAll:`rewrites\("/items/…"\) params\(1\) set each`
	for k, v := range items {
		cli.Put(context.Background(), "/items/"+k, v)
	}
}
