// Package status publishes the application's status.
package status

import (
	"context"
	"time"

	"example.com/fixture/store"
)

// Publish writes the status key when the status changes, checking every
// five seconds.
func Publish(ctx context.Context, st *store.Store, current func() string) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	last := ""
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if v := current(); v != last {
				if err := st.Put(ctx, "/status", v); err == nil {
					last = v
				}
			}
		}
	}
}
