// Package feedstore keeps tables, sinks and changefeeds in etcd, one key
// each, each value the whole object.
package feedstore

import (
	"context"
	"encoding/json"

	clientv3 "go.etcd.io/etcd/client/v3"

	"example.com/fixture/catalog"
)

type Store struct {
	cli *clientv3.Client
}

// SaveTable writes a table's schema: its columns are those its statement
// declared (catalog.FromStatement), not a list the program grows.
func (s *Store) SaveTable(ctx context.Context, t *catalog.Table) error { // want SaveTable:`carries whole\(1\)`
	data, _ := json.Marshal(t)
	_, err := s.cli.Put(ctx, "/tables/"+t.Name, string(data))
	return err
}

// SaveSink writes a sink's configuration: its rules are the file's, copied
// (catalog.NewSinkConfig) or converted from the older format by the
// decoder.
func (s *Store) SaveSink(ctx context.Context, name string, c *catalog.SinkConfig) error { // want SaveSink:`carries whole\(2\)`
	data, _ := json.Marshal(c)
	_, err := s.cli.Put(ctx, "/sinks/"+name, string(data))
	return err
}

// SaveFeed rewrites the whole feed, every table it has followed
// (catalog.Feed.Follow appends one per event), under the feed's key.
func (s *Store) SaveFeed(ctx context.Context, f *catalog.Feed) error { // want SaveFeed:`carries whole\(1\)`
	data, _ := json.Marshal(f)
	_, err := s.cli.Put(ctx, "/feeds/"+f.ID, string(data)) // want `value written to etcd grows with catalog.Feed.Tables \(json.Marshal of f, whose Tables holds a slice appended to in a loop over created, set by catalog.Feed.Follow\)`
	return err
}

// Checkpoint sets every timestamp the feed has passed, from a helper of
// the catalog whose result grows with the time the feed has run, and
// rewrites the whole progress.
func (s *Store) Checkpoint(ctx context.Context, p *catalog.Progress, start, now uint64) error { // want Checkpoint:`carries whole\(1\)`
	p.Resolved = catalog.Ticks(start, now, 1)
	data, _ := json.Marshal(p)
	_, err := s.cli.Put(ctx, "/progress/"+p.Feed, string(data)) // want `value written to etcd grows with catalog.Progress.Resolved \(json.Marshal of p, whose Resolved holds a slice filled in a loop over now, set by feedstore.Store.Checkpoint\)`
	return err
}

// Claim records each node that takes the feed, from a goroutine, as
// owners change.
func (s *Store) Claim(ctx context.Context, o *catalog.Ownership, owners <-chan string) {
	go func() {
		for name := range owners {
			o.Owners = append(o.Owners, name)
		}
	}()
}

// Publish writes every owner the feed has had under the feed's key.
func (s *Store) Publish(ctx context.Context, o *catalog.Ownership) error { // want Publish:`carries whole\(1\)`
	data, _ := json.Marshal(o)
	_, err := s.cli.Put(ctx, "/owners/"+o.Feed, string(data)) // want `value written to etcd grows with catalog.Ownership.Owners \(json.Marshal of o, whose Owners holds a slice appended to in a loop over owners, set by feedstore.Store.Claim\)`
	return err
}

// SaveView writes the dashboard's view of a feed (catalog.View): a copy,
// one entry per table, of the feed's tables, which grow as the feed runs.
func (s *Store) SaveView(ctx context.Context, id string, p *catalog.Project) error { // want SaveView:`carries whole\(2\)`
	data, _ := json.Marshal(p)
	_, err := s.cli.Put(ctx, "/views/"+id, string(data)) // want `value written to etcd grows with catalog.Project.Tables \(json.Marshal of p, whose Tables holds a map filled in a loop over f.Tables, set by catalog.View\)`
	return err
}
