package main

import (
	clientv3 "go.etcd.io/etcd/client/v3"

	"example.com/fixture/impl"
	"example.com/fixture/writer"
)

func main() {
	cli, _ := clientv3.New(clientv3.Config{})
	writer.Publish(impl.EtcdSaver{Cli: cli}, "v")
	writer.Hooks{OnSave: impl.EtcdSaver{Cli: cli}.Save}.Fire("v")
	writer.Tick(nil)
}

func init() {
	writer.OnTick = impl.EtcdSaver{}.Save
}
