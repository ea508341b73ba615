package app

import (
	"context"
	"strconv"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"
)

// Publish writes its status from a function literal it calls on every
// tick: the literal's write runs once per tick.
func Publish(cli *clientv3.Client, node string) {
	for range time.Tick(5 * time.Second) {
		func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			cli.Put(ctx, "/nodes/"+node+"/status", "up") // want `etcd key "/nodes/…/status" is rewritten every 5s by this loop`
		}()
	}
}

// Spawn starts a goroutine per tick that rewrites the same key.
func Spawn(cli *clientv3.Client) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for range t.C {
		go func() {
			cli.Put(context.TODO(), "/spawn/last", time.Now().String()) // want `etcd key "/spawn/last" is rewritten every 1m0s by this loop`
		}()
	}
}

// Counter commits the same key through an STM on every tick: NewSTM runs
// apply and commits its Puts on every call.
func Counter(cli *clientv3.Client, n func() int) {
	for range time.Tick(10 * time.Second) {
		concurrency.NewSTM(cli, func(stm concurrency.STM) error {
			stm.Put("/counter", strconv.Itoa(n())) // want `etcd key "/counter" is rewritten every 10s by this loop`
			return nil
		})
	}
}

// Nested reaches the write through two literals.
func Nested(cli *clientv3.Client) {
	for range time.Tick(30 * time.Second) {
		func() {
			go func() {
				cli.Put(context.TODO(), "/nested", "1") // want `etcd key "/nested" is rewritten every 30s by this loop`
			}()
		}()
	}
}

// PerTick writes a key that a variable reassigned on every tick names: a
// new key each time.
func PerTick(cli *clientv3.Client) {
	key := ""
	for i := 0; ; i++ {
		<-time.After(time.Second)
		key = "/ticks/" + strconv.Itoa(i)
		func() { cli.Put(context.TODO(), key, "1") }()
	}
}

// OnlyChanged writes from a literal that compares with the last value.
func OnlyChanged(cli *clientv3.Client, read func() string) {
	last := ""
	for range time.Tick(5 * time.Second) {
		func() {
			v := read()
			if v != last {
				cli.Put(context.TODO(), "/changed", v)
				last = v
			}
		}()
	}
}

// Once hands its literal to sync.Once: it runs once, whatever the loop.
func Once(cli *clientv3.Client) {
	var once sync.Once
	for range time.Tick(5 * time.Second) {
		once.Do(func() { cli.Put(context.TODO(), "/once", "1") })
	}
}

// STMChanged puts only when the value read in the same STM differs.
func STMChanged(cli *clientv3.Client, read func() string) {
	for range time.Tick(5 * time.Second) {
		concurrency.NewSTM(cli, func(stm concurrency.STM) error {
			v := read()
			if stm.Get("/stm/changed") != v {
				stm.Put("/stm/changed", v)
			}
			return nil
		})
	}
}
