// Package clean writes etcd keys the way etcdlint expects.
package clean

import (
	"context"

	"example.com/fixture/store"
)

// Save writes one key per item.
func Save(ctx context.Context, st *store.Store, items map[string]string) error {
	for id, v := range items {
		if err := st.Put(ctx, "/items/"+id, v); err != nil {
			return err
		}
	}
	return nil
}
