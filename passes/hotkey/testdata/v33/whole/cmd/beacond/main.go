// Command beacond wires the etcd backends into the beacon and the leader
// publisher.
package main

import (
	"context"
	"log"

	clientv3 "github.com/coreos/etcd/clientv3"

	"example.com/fixture/whole/beacon"
	"example.com/fixture/whole/etcdkv"
	"example.com/fixture/whole/etcdnotify"
	"example.com/fixture/whole/leader"
)

func main() {
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{"localhost:2379"}})
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	etcdkv.Register(cli)
	p, err := leader.New("etcd", "node-1")
	if err != nil {
		log.Fatal(err)
	}
	go p.Run(context.Background())
	beacon.New(etcdnotify.New(cli), "node-1").Run()
}
