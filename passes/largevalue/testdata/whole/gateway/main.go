// Command gateway wires the objects together.
package main

import (
	"context"

	clientv3 "go.etcd.io/etcd/client/v3"

	"example.com/fixture/chain"
	"example.com/fixture/chainstore"
	"example.com/fixture/cluster"
	"example.com/fixture/objects"
	"example.com/fixture/statussplit"
	"example.com/fixture/statussync"
	"example.com/fixture/syncer"
	"example.com/fixture/traffic"
)

func main() {
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{"127.0.0.1:2379"}})
	if err != nil {
		return
	}
	defer cli.Close()
	reg := &objects.Registry{}
	reg.Add(&objects.Entity{Name: "traffic", Obj: traffic.New()})
	(&syncer.Syncer{Cli: cli, Reg: reg}).Sync(context.Background())
	_ = &statussync.Controller{Cluster: cluster.New(cli), Reg: reg}
	_ = &statussplit.Controller{Cluster: cluster.New(cli), Reg: reg}
	go (&chain.Miner{Hooks: chain.Hooks{Publish: st.SaveIndex}}).Report(nil)
	chain.Follow(nil)
}

var st = &chainstore.Store{}

func init() {
	chain.OnBlock = st.SaveIndex
	chain.OnDrop = chainstore.Discard
}
