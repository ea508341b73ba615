// Command mainclean closes its session before it exits.
package main

import (
	"context"
	"log"

	clientv3 "go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/clientv3/concurrency"
)

func main() {
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{"127.0.0.1:2379"}})
	if err != nil {
		log.Fatal(err)
	}
	s, err := concurrency.NewSession(cli)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	e := concurrency.NewElection(s, "/leader")
	if err := e.Campaign(context.TODO(), "me"); err != nil {
		log.Print(err)
		return
	}
	<-s.Done()
}
