package cluster

import (
	"context"
	"encoding/json"

	clientv3 "github.com/coreos/etcd/clientv3"
)

// Publisher writes documents for the rest of the application.
type Publisher struct {
	KV clientv3.KV
}

// PublishAll sends every document in one transaction.
func (p *Publisher) PublishAll(ctx context.Context, docs map[string][]byte) error { // want PublishAll:`^carries elems\(1\) batch\(1\)$`
	ops := make([]clientv3.Op, 0, len(docs))
	for name, doc := range docs {
		ops = append(ops, clientv3.OpPut("/docs/"+name, string(doc)))
	}
	_, err := p.KV.Txn(ctx).Then(ops...).Commit()
	return err
}

// PublishEach sends one request per document.
func (p *Publisher) PublishEach(ctx context.Context, docs map[string][]byte) error { // want PublishEach:`^carries elems\(1\)$`
	for name, doc := range docs {
		if _, err := p.KV.Put(ctx, "/docs/"+name, string(doc)); err != nil {
			return err
		}
	}
	return nil
}

// PublishChunked sends the documents 32 at a time.
func (p *Publisher) PublishChunked(ctx context.Context, docs map[string][]byte) error { // want PublishChunked:`^carries elems\(1\)$`
	var ops []clientv3.Op
	for name, doc := range docs {
		ops = append(ops, clientv3.OpPut("/docs/"+name, string(doc)))
		if len(ops) == 32 {
			if _, err := p.KV.Txn(ctx).Then(ops...).Commit(); err != nil {
				return err
			}
			ops = ops[:0]
		}
	}
	if len(ops) == 0 {
		return nil
	}
	_, err := p.KV.Txn(ctx).Then(ops...).Commit()
	return err
}

// PublishOneByOne sends each document in its own Do.
func (p *Publisher) PublishOneByOne(ctx context.Context, docs [][]byte) error { // want PublishOneByOne:`^carries elems\(1\)$`
	for i, doc := range docs {
		if _, err := p.KV.Do(ctx, clientv3.OpPut("/docs/"+string(rune('a'+i)), string(doc))); err != nil {
			return err
		}
	}
	return nil
}

// Record is a document: its lines are a slice.
type Record struct {
	Name  string
	Lines []string
}

// PublishRecords encodes every record and sends them in one transaction.
func (p *Publisher) PublishRecords(ctx context.Context, recs ...Record) error { // want PublishRecords:`^carries elems\(1\) batch\(1\)$`
	var ops []clientv3.Op
	for _, r := range recs {
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		ops = append(ops, clientv3.OpPut("/records/"+r.Name, string(b)))
	}
	_, err := p.KV.Txn(ctx).Then(ops...).Commit()
	return err
}
