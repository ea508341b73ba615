// Command gateway is a small API gateway that keeps its state in etcd. It
// is etcdlint's example: it makes the mistakes etcdlint exists to catch.
package main

import (
	"log"
	"net/url"
	"os"

	clientv3 "go.etcd.io/etcd/client/v3"

	"example.com/gateway/cluster"
	"example.com/gateway/stats"
	"example.com/gateway/store"
)

func main() {
	peer, _ := url.Parse("http://127.0.0.1:2380")
	client, _ := url.Parse("http://127.0.0.1:2379")
	etcd, err := cluster.Start(os.TempDir()+"/gateway.etcd", *peer, *client)
	if err != nil {
		log.Fatal(err)
	}
	defer etcd.Close()

	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{client.String()}})
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()

	s := &stats.Syncer{Store: store.New(cli, "/gateway"), Pipelines: loadPipelines}
	s.Run(nil)
}

func loadPipelines() []*stats.Pipeline {
	var out []*stats.Pipeline
	for i := 0; i < 1000; i++ {
		out = append(out, &stats.Pipeline{Name: "pipeline-" + string(rune('a'+i%26))})
	}
	return out
}
