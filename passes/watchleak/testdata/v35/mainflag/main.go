// Command mainflag opens a client for the life of the process.
package main

import (
	"context"
	"log"

	clientv3 "go.etcd.io/etcd/client/v3"
)

func main() {
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{"127.0.0.1:2379"}}) // want `etcd client from clientv3.New is never closed`
	if err != nil {
		log.Fatal(err)
	}
	if _, err := cli.Put(context.TODO(), "k", "v"); err != nil {
		log.Fatal(err)
	}
}
