package sched

import (
	"context"
	"time"

	clientv3 "github.com/coreos/etcd/clientv3"
)

// Pinger keeps its own timer and publishes its state when it fires.
type Pinger struct {
	cli   *clientv3.Client
	timer *time.Timer
	other *time.Timer
}

func (p *Pinger) ping() { // want ping:`rewrites\("/pinger/state"\) params\(\)`
	p.cli.Put(context.TODO(), "/pinger/state", "alive")
	p.timer.Reset(15 * time.Second)
}

// Start schedules ping, which re-arms the timer it is kept in: the key is
// rewritten every 15 s for as long as the program runs.
func (p *Pinger) Start() {
	p.timer = time.AfterFunc(time.Second, p.ping) // want `etcd key "/pinger/state" is rewritten every 15s by this time.AfterFunc, whose callback re-arms itself \(through Pinger.ping\)`
}

func (p *Pinger) once() { // want once:`rewrites\("/pinger/started"\) params\(\)`
	p.cli.Put(context.TODO(), "/pinger/started", "yes")
	p.other.Reset(time.Minute)
}

// StartOnce schedules once, which resets another timer than the one it
// runs from: it runs once.
func (p *Pinger) StartOnce() {
	p.timer = time.AfterFunc(time.Second, p.once)
}

var beatTimer *time.Timer

func beat() { // want beat:`rewrites\("/pinger/beat"\) params\(\)`
	shared.Put(context.TODO(), "/pinger/beat", "1")
	time.AfterFunc(30*time.Second, beat)
}

var shared clientv3.KV

// StartBeat schedules beat, which schedules itself again.
func StartBeat() {
	time.AfterFunc(time.Second, beat) // want `etcd key "/pinger/beat" is rewritten every 30s by this time.AfterFunc, whose callback re-arms itself \(through sched.beat\)`
}

// Delayed runs a write once after a delay: nothing re-arms it.
func Delayed(p *Pinger) {
	beatTimer = time.AfterFunc(time.Minute, p.write)
}

func (p *Pinger) write() { // want write:`rewrites\("/pinger/delayed"\) params\(\)`
	p.cli.Put(context.TODO(), "/pinger/delayed", "1")
}
