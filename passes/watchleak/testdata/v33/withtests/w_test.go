package withtests

import (
	"context"
	"testing"

	clientv3 "github.com/coreos/etcd/clientv3"
)

func TestWatchOnce(t *testing.T) {
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{"127.0.0.1:2379"}}) // want `etcd client from clientv3.New is never closed`
	if err != nil {
		t.Skip(err)
	}
	<-cli.Watch(context.Background(), "k")
}

func TestDialFails(t *testing.T) {
	if _, err := clientv3.New(clientv3.Config{}); err == nil { // want `etcd client from clientv3.New is never closed`
		t.Fatal("expected an error")
	}
}
