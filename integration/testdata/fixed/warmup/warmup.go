// Package warmup writes one key a fixed number of times.
package warmup

import (
	"context"
	"strconv"

	"example.com/fixture/store"
)

// Run does twenty steps and writes the last one.
func Run(ctx context.Context, st *store.Store) {
	step := 0
	for i := 0; i < 20; i++ {
		step = i
	}
	_ = st.Put(ctx, "/warmup/step", strconv.Itoa(step))
}
