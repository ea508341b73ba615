// Package reads declares how an application plans a batch of reads; its
// implementations live elsewhere.
package reads

import clientv3 "github.com/coreos/etcd/clientv3"

// Planner turns keys into read operations.
type Planner interface {
	Reads(keys []string) []clientv3.Op
}
