// Package statussync publishes the status of every supervised object.
package statussync

import (
	"encoding/json"
	"strconv"

	"example.com/fixture/cluster"
	"example.com/fixture/supervise"
)

type Syncer struct {
	cluster  cluster.Cluster
	registry *supervise.Registry
	last     map[string]string
}

// encode turns one object's status into its document.
func encode(o supervise.Object) (string, error) {
	b, err := json.Marshal(o.Status())
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// Collect encodes the status of every object (whose size this package
// cannot see: the objects are implemented elsewhere) and hands them all to
// push, which sends them in one request.
func (s *Syncer) Collect() {
	statuses := map[string]string{}
	visit := func(o supervise.Object) bool {
		doc, err := encode(o)
		if err != nil {
			return false
		}
		statuses[o.Name()] = doc
		return true
	}
	s.registry.WalkObjects(visit)
	s.push(statuses) // want `all values written in one etcd request grow with s.registry \(a map filled in a loop, with encoded documents\)`
}

// push gathers every status handed in into one request.
func (s *Syncer) push(statuses map[string]string) { // want push:`^carries elems\(0\) batch\(0\)$`
	kvs := make(map[string]*string, len(statuses))
	for name, doc := range statuses {
		kvs["/status/"+name] = &doc
	}
	s.last = statuses
	s.cluster.PutAllUnderLease(kvs) // want `all values written in one etcd request grow with statuses \(a map filled in a loop, with values of unknown size from the caller's statuses\)`
}

// Push is push for other packages.
func Push(c cluster.Cluster, statuses map[string]string) error { // want Push:`^carries elems\(1\) batch\(1\)$`
	kvs := map[string]*string{}
	for name, doc := range statuses {
		kvs["/status/"+name] = &doc
	}
	return c.PutAllUnderLease(kvs) // want `all values written in one etcd request grow with statuses`
}

// Counters hands push one number per object: many small values.
func (s *Syncer) Counters() {
	counts := map[string]string{}
	s.registry.WalkObjects(func(o supervise.Object) bool {
		counts[o.Name()] = strconv.Itoa(len(o.Name()))
		return true
	})
	s.push(counts)
}

// The fix: one request per object's status.
func (s *Syncer) CollectEach() {
	s.registry.WalkObjects(func(o supervise.Object) bool {
		doc, err := encode(o)
		if err != nil {
			return false
		}
		s.cluster.PutUnderLease("/status/"+o.Name(), doc)
		return true
	})
}

// Chunked: the statuses go to a wrapper that sends 16 at a time.
func (s *Syncer) CollectChunked() {
	statuses := map[string]string{}
	s.registry.WalkObjects(func(o supervise.Object) bool {
		doc, _ := encode(o)
		statuses[o.Name()] = doc
		return true
	})
	s.pushChunked(statuses)
}

func (s *Syncer) pushChunked(statuses map[string]string) { // want pushChunked:`^carries elems\(0\)$`
	kvs := map[string]*string{}
	for name, doc := range statuses {
		kvs["/status/"+name] = &doc
		if len(kvs) == 16 {
			s.cluster.PutAllUnderLease(kvs)
			kvs = map[string]*string{}
		}
	}
	s.cluster.PutAllUnderLease(kvs)
}
