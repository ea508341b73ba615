package a

import (
	"context"
	"encoding/json"

	clientv3 "go.etcd.io/etcd/clientv3"
)

// Every pipeline's document (its tags are a map) in one transaction.
func (g *Gateway) PublishDocs(ctx context.Context) {
	var ops []clientv3.Op
	for _, p := range g.pipelines {
		b, _ := json.Marshal(p)
		ops = append(ops, clientv3.OpPut("/pipelines/"+p.Name, string(b))) // want `all values written in one etcd request grow with g.pipelines \(a slice filled in a loop, with encoded documents\): the request is one raft entry`
	}
	g.cli.Txn(ctx).Then(ops...).Commit()
}

// The fix: at most 16 documents per transaction.
func (g *Gateway) PublishDocsChunked(ctx context.Context) {
	var ops []clientv3.Op
	for _, p := range g.pipelines {
		b, _ := json.Marshal(p)
		ops = append(ops, clientv3.OpPut("/pipelines/"+p.Name, string(b)))
		if len(ops) == 16 {
			g.cli.Txn(ctx).Then(ops...).Commit()
			ops = nil
		}
	}
	if len(ops) > 0 {
		g.cli.Txn(ctx).Then(ops...).Commit()
	}
}

// One request per document.
func (g *Gateway) PublishDocsDo(ctx context.Context) {
	for _, p := range g.pipelines {
		b, _ := json.Marshal(p)
		g.cli.Do(ctx, clientv3.OpPut("/pipelines/"+p.Name, string(b)))
	}
}

// Operations returned to the caller, which decides how to send them.
func (g *Gateway) DocOps() []clientv3.Op {
	var ops []clientv3.Op
	for _, p := range g.pipelines {
		b, _ := json.Marshal(p)
		ops = append(ops, clientv3.OpPut("/pipelines/"+p.Name, string(b)))
	}
	return ops
}
