// Package warmup writes one key a fixed number of times.
package warmup

import (
	"context"
	"strconv"

	"example.com/fixture/store"
)

// Run writes the same step key twenty times.
func Run(ctx context.Context, st *store.Store) {
	for i := 0; i < 20; i++ {
		_ = st.Put(ctx, "/warmup/step", strconv.Itoa(i))
	}
}
