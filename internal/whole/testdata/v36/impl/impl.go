// Package impl implements writer.Saver over etcd without importing writer.
package impl

import (
	"context"

	"go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

type EtcdSaver struct{ Cli *clientv3.Client }

func (s EtcdSaver) Save(key, val string) error {
	_, err := s.Cli.Put(context.Background(), key, val)
	return err
}

// Write makes EtcdSaver an io.Writer too.
func (s EtcdSaver) Write(b []byte) (int, error) {
	_, err := s.Cli.Put(context.Background(), "/log", string(b))
	return len(b), err
}

// Record keeps a request in etcd's own message type, and marshals itself
// as a protobuf message would: it uses etcd's types but does nothing to
// etcd.
type Record struct{ Req *etcdserverpb.PutRequest }

func (r *Record) Marshal() ([]byte, error) { return r.Req.Marshal() }
func (r *Record) Reset()                   { r.Req = nil }
func (r *Record) String() string           { return string(r.Req.Key) }
func (r *Record) ProtoMessage()            {}
