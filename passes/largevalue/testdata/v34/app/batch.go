package app

import (
	"context"
	"encoding/json"
	"strconv"

	"example.com/fixture/cluster"
	"example.com/fixture/statussync"
	"example.com/fixture/supervise"
)

// PushStatuses gets every object's encoded status from its caller and
// writes them all in one request through the cluster interface.
func (s *Syncer) PushStatuses(statuses map[string]string) { // want PushStatuses:`^carries elems\(0\) batch\(0\)$`
	kvs := make(map[string]*string)
	for name, st := range statuses {
		kvs["/status/"+name] = &st
	}
	s.cluster.PutAllUnderLease(kvs) // want `all values written in one etcd request grow with statuses \(a map filled in a loop, with values of unknown size from the caller's statuses\): the request is one raft entry \(etcd keeps ≥5000 in memory\), rejected over 1.5 MiB \(server\) / 2 MiB \(client send limit\); write in chunks or one key per request`
}

// The fix: at most 16 statuses per request. Each status is still written
// as a value: callers that pass grown statuses are reported.
func (s *Syncer) PushStatusesChunked(statuses map[string]string) { // want PushStatusesChunked:`^carries elems\(0\)$`
	kvs := make(map[string]*string)
	for name, st := range statuses {
		kvs["/status/"+name] = &st
		if len(kvs) >= 16 {
			s.cluster.PutAllUnderLease(kvs)
			kvs = make(map[string]*string)
		}
	}
	if len(kvs) > 0 {
		s.cluster.PutAllUnderLease(kvs)
	}
}

// One request per status: the caller's map is not grown here.
func (s *Syncer) PushEach(statuses map[string]string) { // want PushEach:`^carries elems\(0\)$`
	for name, st := range statuses {
		s.cluster.PutUnderLease("/status/"+name, st)
	}
}

// Deletions only: every value is nil.
func (s *Syncer) DropStatuses(gone []string) {
	kvs := map[string]*string{}
	for _, name := range gone {
		kvs["/status/"+name] = nil
	}
	s.cluster.PutAllUnderLease(kvs)
}

// Many small values: counters.
func (s *Syncer) PushCounters() {
	kvs := map[string]*string{}
	for _, p := range s.pipelines {
		v := strconv.FormatInt(p.Requests, 10)
		kvs["/requests/"+p.Name] = &v
	}
	s.cluster.PutAllUnderLease(kvs)
}

// Object is a document: its labels are a map.
type Object struct {
	Name   string
	Labels map[string]string
}

type Docs struct {
	publisher *cluster.Publisher
	objects   []*Object
}

// Every object's document in one request through the struct method.
func (d *Docs) PublishAll(ctx context.Context) {
	docs := map[string][]byte{}
	for _, o := range d.objects {
		b, _ := json.Marshal(o)
		docs[o.Name] = b
	}
	d.publisher.PublishAll(ctx, docs) // want `all values written in one etcd request grow with d.objects \(a map filled in a loop, with encoded documents\)`
}

// The same documents, one request each, or in chunks.
func (d *Docs) PublishEach(ctx context.Context) {
	docs := map[string][]byte{}
	for _, o := range d.objects {
		b, _ := json.Marshal(o)
		docs[o.Name] = b
	}
	d.publisher.PublishEach(ctx, docs)
	d.publisher.PublishChunked(ctx, docs)
}

// A fixed-size record per object: many small values in one request.
func (d *Docs) PublishNames(ctx context.Context) {
	docs := map[string][]byte{}
	for _, o := range d.objects {
		b, _ := json.Marshal(struct {
			Name  string
			Count int
		}{o.Name, len(o.Labels)})
		docs[o.Name] = b
	}
	d.publisher.PublishAll(ctx, docs)
}

// Every object's record, encoded by the publisher, in one request.
func (d *Docs) PublishRecords(ctx context.Context) {
	var recs []cluster.Record
	for _, o := range d.objects {
		r := cluster.Record{Name: o.Name}
		for k, v := range o.Labels {
			r.Lines = append(r.Lines, k+"="+v)
		}
		recs = append(recs, r)
	}
	d.publisher.PublishRecords(ctx, recs...) // want `all values written in one etcd request grow with d.objects \(a slice filled in a loop, with documents\)`
}

// Three records at most: a loop with constant bounds.
func (d *Docs) PublishFirst(ctx context.Context) {
	var recs []cluster.Record
	for i := 0; i < 3 && i < len(d.objects); i++ {
		recs = append(recs, cluster.Record{Name: d.objects[i].Name})
	}
	d.publisher.PublishRecords(ctx, recs...)
}

// Every object's encoded status, gathered here and sent in one request by
// a function of another package. This package imports model, whose
// Traffic is a supervise.Object with a status that grows with its
// pipelines: that is the first thing wrong with the request.
func (s *Syncer) PublishObjects(objs []supervise.Object) error {
	docs := map[string]string{}
	for _, o := range objs {
		b, err := json.Marshal(o.Status())
		if err != nil {
			return err
		}
		docs[o.Name()] = string(b)
	}
	return statussync.Push(s.cluster, docs) // want `value written to etcd grows with t.pipelines \(json.Marshal of a struct holding a map filled in a loop, returned by model.Traffic.Status through supervise.Object.Status\)`
}

// Every reporter's encoded document, gathered here and sent in one
// request: no package this one imports implements Reporter, so what each
// document holds is not known, but how many there are is.
func (s *Syncer) PublishReports(rs []supervise.Reporter) error {
	docs := map[string]string{}
	for _, r := range rs {
		b, err := json.Marshal(r.Report())
		if err != nil {
			return err
		}
		docs[r.Name()] = string(b)
	}
	return statussync.Push(s.cluster, docs) // want `all values written in one etcd request grow with rs \(a map filled in a loop, with encoded documents\)`
}

// One document per request: the caller's statuses go out one by one, but
// model.Traffic's is one value that grows with its pipelines.
func (s *Syncer) PublishEachObject(objs []supervise.Object) {
	docs := map[string]string{}
	for _, o := range objs {
		b, _ := json.Marshal(o.Status())
		docs[o.Name()] = string(b)
	}
	s.PushEach(docs) // want `value written to etcd grows with t.pipelines`
}
