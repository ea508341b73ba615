// Command beacond wires the etcd announcer into the beacon.
package main

import (
	"log"

	clientv3 "go.etcd.io/etcd/client/v3"

	"example.com/fixture/whole/beacon"
	"example.com/fixture/whole/etcdnotify"
)

func main() {
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{"localhost:2379"}})
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	beacon.New(etcdnotify.New(cli), "node-1").Run()
}
