// Package a uses cgo beside etcd.
package a

/*
static int next_delay(int attempt) { return attempt < 5 ? attempt : 5; }
*/
import "C"

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Alive refreshes a status key from a sleep loop whose delay C computes.
func Alive(cli *clientv3.Client, node string) error {
	for i := 0; ; i++ {
		if _, err := cli.Put(context.Background(), "/nodes/status", "alive"); err != nil {
			return err
		}
		time.Sleep(time.Duration(C.next_delay(C.int(i))) * time.Second)
	}
}

// Once writes a single key.
func Once(cli *clientv3.Client) error {
	_, err := cli.Put(context.Background(), "/nodes/once", "1")
	return err
}
