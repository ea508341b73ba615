// Package status publishes the application's status.
package status

import (
	"context"
	"time"

	"example.com/fixture/store"
)

// Publish rewrites the status key every five seconds, changed or not.
func Publish(ctx context.Context, st *store.Store, current func() string) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_ = st.Put(ctx, "/status", current())
		}
	}
}
