package wrap

import (
	"context"
	"time"
)

// Deadline returns a context that ends after d. Its cancel func is dropped:
// the context still ends at its deadline.
func Deadline(d time.Duration) context.Context {
	ctx, _ := context.WithTimeout(context.Background(), d)
	return ctx
}
