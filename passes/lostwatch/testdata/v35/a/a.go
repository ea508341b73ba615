// Package a consumes etcd watches directly.
package a

import (
	"context"
	"errors"
	"log"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

var errClosed = errors.New("watch closed")

func apply(evs []*clientv3.Event) {}

// ---- rule 1: spin on the closed channel ----

// SpinSelect reads the watch in a select without ok; stop is not the
// watch's context.
func SpinSelect(ctx context.Context, cli *clientv3.Client, stop chan struct{}) {
	wch := cli.Watch(ctx, "/cfg")
	for {
		select {
		case resp := <-wch: // want `receive from a watch channel without the ", ok" form`
			apply(resp.Events)
		case <-stop:
			return
		}
	}
}

// SpinPlain reads the watch with a plain receive.
func SpinPlain(ctx context.Context, w clientv3.Watcher) {
	wch := w.Watch(ctx, "/cfg", clientv3.WithPrefix())
	for {
		resp := <-wch // want `receive from a watch channel without the ", ok" form`
		apply(resp.Events)
	}
}

// SpinOtherContext waits on a context unrelated to the watch's.
func SpinOtherContext(ctx context.Context, cli *clientv3.Client) {
	own, cancel := context.WithCancel(context.Background())
	defer cancel()
	wch := cli.Watch(ctx, "/cfg")
	for {
		select {
		case <-own.Done():
			return
		case resp := <-wch: // want `receive from a watch channel without the ", ok" form`
			apply(resp.Events)
		}
	}
}

// SpinInGoroutine spins in the goroutine that follows the key.
func SpinInGoroutine(ctx context.Context, cli *clientv3.Client, done chan struct{}) {
	go func() {
		wch := cli.Watch(ctx, "/cfg")
		for {
			select {
			case <-done:
				return
			case <-wch: // want `receive from a watch channel without the ", ok" form`
				log.Print("changed")
			}
		}
	}()
}

// SpinBreakSelect breaks out of the select, not of the loop.
func SpinBreakSelect(ctx context.Context, cli *clientv3.Client, stop chan struct{}) { // want SpinBreakSelect:`watches\(until\)`
	wch := cli.Watch(ctx, "/cfg")
	for {
		select {
		case resp := <-wch: // want `receive from a watch channel without the ", ok" form`
			if resp.Canceled {
				break
			}
			apply(resp.Events)
		case <-stop:
			return
		}
	}
}

// CleanErrChecked leaves on the response's error.
func CleanErrChecked(ctx context.Context, cli *clientv3.Client, stop chan struct{}) error { // want CleanErrChecked:`watches\(until\)`
	wch := cli.Watch(ctx, "/cfg")
	for {
		select {
		case resp := <-wch:
			if err := resp.Err(); err != nil {
				return err
			}
			apply(resp.Events)
		case <-stop:
			return nil
		}
	}
}

// CleanOwnDone waits on the Done channel of the watch's own context.
func CleanOwnDone(ctx context.Context, cli *clientv3.Client) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wch := cli.Watch(wctx, "/cfg")
	for {
		select {
		case <-ctx.Done():
			return
		case resp := <-wch:
			apply(resp.Events)
		}
	}
}

// LeaderDone waits on its context's Done channel too, but etcd ends a watch
// on a WithRequireLeader context whenever its member loses the leader,
// while the context lives on: the select then finds the closed channel on
// every pass.
func LeaderDone(ctx context.Context, cli *clientv3.Client) {
	wctx := clientv3.WithRequireLeader(ctx)
	wch := cli.Watch(wctx, "/cfg")
	for {
		select {
		case <-ctx.Done():
			return
		case resp := <-wch: // want `receive from a watch channel without the ", ok" form`
			apply(resp.Events)
		}
	}
}

// RevDone resumes from a revision etcd may have compacted (ErrCompacted
// ends the watch while ctx lives on).
func RevDone(ctx context.Context, cli *clientv3.Client, rev int64) {
	wch := cli.Watch(ctx, "/cfg", clientv3.WithRev(rev+1))
	for {
		select {
		case <-ctx.Done():
			return
		case resp := <-wch: // want `receive from a watch channel without the ", ok" form`
			apply(resp.Events)
		}
	}
}

// CleanOk leaves when the channel is closed.
func CleanOk(ctx context.Context, cli *clientv3.Client) { // want CleanOk:`watches\(until\)`
	wch := cli.Watch(ctx, "/cfg")
	for {
		resp, ok := <-wch
		if !ok {
			return
		}
		apply(resp.Events)
	}
}

// CleanOnce reads one response: no loop.
func CleanOnce(ctx context.Context, cli *clientv3.Client) []*clientv3.Event {
	resp := <-cli.Watch(ctx, "/cfg")
	return resp.Events
}

// ---- rule 2: the end of the watch taken for the end of the context ----

// ResumeRange resumes from a revision and takes the channel's end for the
// end of the context.
func ResumeRange(ctx context.Context, cli *clientv3.Client, rev int64) { // want ResumeRange:`watches\(until rev\(2\)\)`
	for resp := range cli.Watch(ctx, "/cfg", clientv3.WithPrefix(), clientv3.WithRev(rev)) { // want `WithRev once that revision is compacted`
		apply(resp.Events)
	}
}

// BackgroundOk watches on a context that never ends and returns on !ok.
func BackgroundOk(cli *clientv3.Client) { // want BackgroundOk:`watches\(until\)`
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wch := cli.Watch(ctx, "/servers", clientv3.WithPrefix())
	for {
		select {
		case resp, ok := <-wch:
			if !ok {
				return // want `context never ends`
			}
			apply(resp.Events)
		}
	}
}

// LeaderLogs checks the error but only logs it.
func LeaderLogs(ctx context.Context, cli *clientv3.Client) { // want LeaderLogs:`watches\(until\)`
	wch := cli.Watch(clientv3.WithRequireLeader(ctx), "/cfg")
	for resp := range wch { // want `WithRequireLeader context \(ErrNoLeader\)`
		if err := resp.Err(); err != nil {
			log.Print(err)
			return
		}
		apply(resp.Events)
	}
}

// ReturnsCtxErr returns ctx.Err() on a closed channel: nil while ctx is live.
func ReturnsCtxErr(ctx context.Context, w clientv3.Watcher, rev int64) error { // want ReturnsCtxErr:`watches\(until rev\(2\)\)`
	wch := w.Watch(clientv3.WithRequireLeader(ctx), "/cfg", clientv3.WithRev(rev+1))
	for {
		resp, ok := <-wch
		if !ok {
			return ctx.Err() // want `returning ctx.Err\(\) here returns nil while the context is live`
		}
		if err := resp.Err(); err != nil {
			return err
		}
		apply(resp.Events)
	}
}

// CleanCtxErrChecked returns ctx.Err() only when it is set.
func CleanCtxErrChecked(ctx context.Context, w clientv3.Watcher, rev int64) error { // want CleanCtxErrChecked:`watches\(until rev\(2\)\)`
	wch := w.Watch(clientv3.WithRequireLeader(ctx), "/cfg", clientv3.WithRev(rev+1))
	for {
		resp, ok := <-wch
		if !ok {
			if err := ctx.Err(); err != nil {
				return err
			}
			return errClosed
		}
		if err := resp.Err(); err != nil {
			return err
		}
		apply(resp.Events)
	}
}

// CleanCompactedReported resumes from a revision and passes etcd's cancel
// on: the client delivers ErrCompacted as a response before it closes the
// channel, so the closed channel alone means ctx ended.
func CleanCompactedReported(ctx context.Context, cli *clientv3.Client, rev int64, errc chan<- error) { // want CleanCompactedReported:`watches\(until rev\(2\)\)`
	wch := cli.Watch(ctx, "/cfg", clientv3.WithRev(rev))
	for {
		select {
		case <-ctx.Done():
			return
		case resp, ok := <-wch:
			if !ok {
				return
			}
			if resp.Canceled {
				if err := resp.Err(); err != nil {
					errc <- err
				}
				return
			}
			apply(resp.Events)
		}
	}
}

// CanceledOnly checks Canceled but says nothing of it.
func CanceledOnly(ctx context.Context, cli *clientv3.Client, rev int64) { // want CanceledOnly:`watches\(until rev\(2\)\)`
	wch := cli.Watch(ctx, "/cfg", clientv3.WithRev(rev))
	for {
		resp, ok := <-wch
		if !ok || resp.Canceled {
			return // want `WithRev once that revision is compacted`
		}
		apply(resp.Events)
	}
}

// CleanObserve closes its output when the watch is disrupted, as etcd's
// Election.Observe does.
func CleanObserve(ctx context.Context, cli *clientv3.Client, rev int64, out chan<- []*clientv3.Event) { // want CleanObserve:`watches\(until rev\(2\)\)`
	defer close(out)
	wch := cli.Watch(ctx, "/leader", clientv3.WithRev(rev))
	for {
		wr, ok := <-wch
		if !ok || wr.Err() != nil {
			return
		}
		out <- wr.Events
	}
}

// CleanRangeNoRev ends with its context.
func CleanRangeNoRev(ctx context.Context, cli *clientv3.Client) { // want CleanRangeNoRev:`watches\(until\)`
	for resp := range cli.Watch(ctx, "/cfg") {
		apply(resp.Events)
	}
}

// CleanConstZeroRev watches from revision 0: from now.
func CleanConstZeroRev(ctx context.Context, cli *clientv3.Client) { // want CleanConstZeroRev:`watches\(until\)`
	for resp := range cli.Watch(ctx, "/cfg", clientv3.WithRev(0)) {
		apply(resp.Events)
	}
}

// CleanSelfCancel cancels its own watch from the handler.
func CleanSelfCancel(cli *clientv3.Client, until func([]*clientv3.Event) bool) { // want CleanSelfCancel:`watches\(until\)`
	ctx, cancel := context.WithCancel(context.Background())
	for resp := range cli.Watch(ctx, "/cfg") {
		if until(resp.Events) {
			cancel()
		}
	}
}

// ---- rules 3 and 4: retry loops ----

// RetryNoPause re-watches as soon as the watch ends.
func RetryNoPause(ctx context.Context, cli *clientv3.Client) { // want RetryNoPause:`watches\(until\)`
	for ctx.Err() == nil {
		wch := cli.Watch(ctx, "/cfg") // want `re-opens the watch as soon as it ends, without a pause`
		for resp := range wch {
			if resp.Err() != nil {
				break
			}
			apply(resp.Events)
		}
	}
}

// RetryTinySleep sleeps 10 µs: no pause.
func RetryTinySleep(ctx context.Context, cli *clientv3.Client) { // want RetryTinySleep:`watches\(until\)`
	for {
		wch := cli.Watch(ctx, "/cfg") // want `re-opens the watch as soon as it ends, without a pause`
		for resp := range wch {
			apply(resp.Events)
		}
		if ctx.Err() != nil {
			return
		}
		time.Sleep(10 * time.Microsecond)
	}
}

// CleanRetrySleep pauses a second between attempts.
func CleanRetrySleep(ctx context.Context, cli *clientv3.Client) { // want CleanRetrySleep:`watches\(until pauses\)`
	for {
		wch := cli.Watch(ctx, "/cfg")
		for resp := range wch {
			apply(resp.Events)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// RetrySameRev re-watches from a revision that never advances.
func RetrySameRev(ctx context.Context, cli *clientv3.Client, rev int64) {
	for {
		wch := cli.Watch(ctx, "/cfg", clientv3.WithRev(rev)) // want `from a revision that never advances`
		for resp := range wch {
			if resp.Err() != nil {
				break
			}
			apply(resp.Events)
		}
		time.Sleep(time.Second)
	}
}

// CleanRetryAdvances resumes past the events applied and reloads after a
// compaction.
func CleanRetryAdvances(ctx context.Context, cli *clientv3.Client, rev int64) {
	for {
		wch := cli.Watch(ctx, "/cfg", clientv3.WithRev(rev))
		for resp := range wch {
			if resp.CompactRevision != 0 {
				rev = resp.CompactRevision
				break
			}
			for _, ev := range resp.Events {
				rev = ev.Kv.ModRevision + 1
			}
			apply(resp.Events)
		}
		time.Sleep(time.Second)
	}
}

// backoff is the program's own backoff.
type backoff struct{ d time.Duration }

func (b *backoff) Ongoing() bool { return true }
func (b *backoff) Reset()        { b.d = 0 }
func (b *backoff) Wait() {
	time.Sleep(b.d)
	b.d *= 2
}

// RetryBackoffNeverWaited creates a backoff and never waits on it.
func RetryBackoffNeverWaited(ctx context.Context, cli *clientv3.Client) { // want RetryBackoffNeverWaited:`watches\(until\)`
	b := &backoff{d: time.Second}
outer:
	for b.Ongoing() {
		for resp := range cli.Watch(ctx, "/cfg") { // want `re-opens the watch as soon as it ends, without a pause`
			if resp.Err() != nil {
				continue outer
			}
			b.Reset()
			apply(resp.Events)
		}
	}
}

// CleanRetryBackoffWaited waits on its backoff.
func CleanRetryBackoffWaited(ctx context.Context, cli *clientv3.Client) { // want CleanRetryBackoffWaited:`watches\(until\)`
	b := &backoff{d: time.Second}
	for b.Ongoing() {
		for resp := range cli.Watch(ctx, "/cfg") {
			if resp.Err() != nil {
				break
			}
			b.Reset()
			apply(resp.Events)
		}
		b.Wait()
	}
}

// CleanPerKey opens one watch per key: not a retry.
func CleanPerKey(ctx context.Context, cli *clientv3.Client, keys []string) { // want CleanPerKey:`watches\(until\)`
	for _, k := range keys {
		for resp := range cli.Watch(ctx, k) {
			apply(resp.Events)
		}
	}
}

// waitDeleted waits until key is deleted: it follows the watch for one
// event, not until the watch ends.
func waitDeleted(ctx context.Context, cli *clientv3.Client, key string, rev int64) error {
	for resp := range cli.Watch(ctx, key, clientv3.WithRev(rev+1)) {
		for _, ev := range resp.Events {
			if ev.Type == clientv3.EventTypeDelete {
				return nil
			}
		}
	}
	return ctx.Err()
}

// CleanTakeOver retries its transaction each time the holder lets go.
func CleanTakeOver(ctx context.Context, cli *clientv3.Client, key string) error {
	for ctx.Err() == nil {
		resp, err := cli.Txn(ctx).If(clientv3.Compare(clientv3.CreateRevision(key), "=", 0)).Then(clientv3.OpPut(key, "me")).Commit()
		if err != nil {
			return err
		}
		if resp.Succeeded {
			return nil
		}
		if err := waitDeleted(ctx, cli, key, resp.Header.Revision); err != nil {
			return err
		}
	}
	return ctx.Err()
}
