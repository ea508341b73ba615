// Package kvstore is the application's own key-value layer over etcd.
package kvstore

import (
	"context"
	"encoding/json"

	clientv3 "github.com/coreos/etcd/clientv3"
)

// Store saves values under keys.
type Store interface {
	Save(key, value string) error // want Save:`^carries whole\(1\)$`
}

// Etcd is the Store over an etcd client.
type Etcd struct {
	Client *clientv3.Client
}

// Save writes one value in a Txn.
func (e *Etcd) Save(key, value string) error { // want Save:`^carries whole\(1\)$`
	_, err := e.Client.Txn(context.TODO()).Then(clientv3.OpPut(key, value)).Commit()
	return err
}

// SaveJSON encodes v and saves it under key.
func SaveJSON(s Store, key string, v any) error { // want SaveJSON:`^carries whole\(2\)$`
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return s.Save(key, string(b))
}
