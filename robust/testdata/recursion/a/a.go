// Package a has recursive and mutually recursive wrappers around etcd writes.
package a

import (
	"context"
	"strings"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// f and g call each other and both write key: their facts must converge.
func f(cli *clientv3.Client, key, val string, n int) {
	cli.Put(context.Background(), key, val)
	if n > 0 {
		g(cli, key, val, n-1)
	}
}

func g(cli *clientv3.Client, key, val string, n int) {
	if n > 0 {
		f(cli, key, val+"!", n-1)
		return
	}
	cli.Put(context.Background(), key, val)
}

// Ping rewrites one key from a sleep loop through the recursive pair.
func Ping(cli *clientv3.Client) {
	for {
		f(cli, "/ping", "pong", 3)
		time.Sleep(time.Second)
	}
}

// walk writes every element of a path, recursing on the rest.
func walk(cli *clientv3.Client, parts []string) {
	if len(parts) == 0 {
		return
	}
	cli.Put(context.Background(), "/tree/"+strings.Join(parts, "/"), "dir")
	walk(cli, parts[1:])
}

// Tree writes the directories of p once.
func Tree(cli *clientv3.Client, p string) { walk(cli, strings.Split(p, "/")) }

// h1 -> h2 -> h3 -> h1 is a cycle of three wrappers; only h3 writes.
func h1(cli *clientv3.Client, k string, n int) {
	if n > 0 {
		h2(cli, k, n-1)
	}
}

func h2(cli *clientv3.Client, k string, n int) { h3(cli, k, n) }

func h3(cli *clientv3.Client, k string, n int) {
	cli.Put(context.Background(), k, "x")
	h1(cli, k, n)
}

// Tick rewrites one key every second through the three-function cycle.
func Tick(cli *clientv3.Client) {
	t := time.NewTicker(time.Second)
	for range t.C {
		h1(cli, "/tick", 2)
	}
}

// Fact is a recursive function that never touches etcd.
func Fact(n int) int {
	if n <= 1 {
		return 1
	}
	return n * Fact(n-1)
}
