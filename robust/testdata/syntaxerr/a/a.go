// Package a does not parse.
package a

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

func Alive(cli *clientv3.Client, node string) error {
	for {
		if _, err := cli.Put(context.Background(), "/nodes/"+node, "alive"; err != nil {
			return err
		}
		time.Sleep(10 * time.Second)
	}

func Half(cli *clientv3.Client) {
	cli.Put(context.Background(), "/k",
