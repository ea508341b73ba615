// Package branches is a small SQL-like front end and a cluster reconciler
// whose etcd dials sit on some branches only: one statement kind of many
// asks the cluster for its status, one membership change of three adds a
// member. Such functions dial on some calls, not on every call.
package branches

import (
	"context"
	"errors"
	"fmt"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// memberStatus dials a client for one status query and closes it.
func memberStatus(ctx context.Context, endpoints []string) (string, error) { // want memberStatus:`dials\(releases params=1\)`
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints, DialTimeout: time.Second})
	if err != nil {
		return "", err
	}
	defer cli.Close()
	resp, err := cli.Status(ctx, endpoints[0])
	if err != nil {
		return "", err
	}
	return resp.Version, nil
}

// Kind is the kind of a statement.
type Kind int

const (
	Select Kind = iota
	Insert
	ShowStatus
)

// Stmt is one parsed statement.
type Stmt struct {
	Kind  Kind
	Table string
}

// Session runs statements; only SHOW STATUS reaches the cluster.
type Session struct {
	endpoints []string
	rows      map[string][]string
}

// run dispatches on the statement's kind: the dial is one case of the
// switch, so a call of run dials only for that kind.
func (s *Session) run(ctx context.Context, st Stmt) ([]string, error) {
	switch st.Kind {
	case Select:
		return s.rows[st.Table], nil
	case Insert:
		s.rows[st.Table] = append(s.rows[st.Table], "row")
		return nil, nil
	case ShowStatus:
		v, err := memberStatus(ctx, s.endpoints)
		if err != nil {
			return nil, err
		}
		return []string{v}, nil
	}
	return nil, fmt.Errorf("unknown statement kind %d", st.Kind)
}

// Executor runs one statement; the status executor is one implementation
// among several.
type Executor interface {
	Next(ctx context.Context) ([]string, error)
}

type tableScan struct {
	rows []string
}

func (t *tableScan) Next(context.Context) ([]string, error) { return t.rows, nil }

type statusExec struct {
	endpoints []string
}

func (e *statusExec) Next(ctx context.Context) ([]string, error) { // want Next:`dials\(releases params=-1\)`
	v, err := memberStatus(ctx, e.endpoints)
	if err != nil {
		return nil, err
	}
	return []string{v}, nil
}

// Replay applies a log of statements to an in-memory session: the
// statements are tables' DDL and rows, and a status query among them is
// rare; the loop does not dial per statement.
func Replay(ctx context.Context, s *Session, log []Stmt) error {
	for _, st := range log {
		if _, err := s.run(ctx, st); err != nil {
			return err
		}
	}
	return nil
}

// Drain pulls rows from each executor of a plan: the status executor is
// one of them, not each.
func Drain(ctx context.Context, plan []Executor) (int, error) {
	n := 0
	for _, e := range plan {
		rows, err := e.Next(ctx)
		if err != nil {
			return n, err
		}
		n += len(rows)
	}
	return n, nil
}

// statusOrCached dials on both sides of its branch: every call dials.
func statusOrCached(ctx context.Context, endpoints []string, verbose bool) (string, error) { // want statusOrCached:`dials\(releases params=1\)`
	if verbose {
		return memberStatus(ctx, endpoints)
	}
	v, err := memberStatus(ctx, endpoints[:1])
	if err != nil {
		return "", errors.New("no status")
	}
	return "short " + v, nil
}

// Poll calls a function that dials on every path, once per tick.
func Poll(ctx context.Context, endpoints []string, ticks <-chan time.Time) {
	for range ticks {
		_, _ = statusOrCached(ctx, endpoints, false) // want `statusOrCached dials a new etcd client on every call and this call runs on every iteration of this loop, with the same configuration each time`
	}
}

// checkFirst validates its input before it dials: the error return does
// not make a call that skips the dial.
func checkFirst(endpoints []string) (*clientv3.Client, error) { // want checkFirst:`dials\(result=0 params=0\)`
	if len(endpoints) == 0 {
		return nil, errors.New("no endpoints")
	}
	return clientv3.New(clientv3.Config{Endpoints: endpoints})
}

// PerItem dials a client per item through checkFirst and never closes it.
func PerItem(endpoints []string, items []string) {
	for _, it := range items {
		cli, err := checkFirst(endpoints) // want `checkFirst dials a new etcd client on every call and this call runs on every iteration of this loop, and the client is never closed`
		if err != nil {
			continue
		}
		cli.Put(context.Background(), it, "x")
	}
}

// Member is one cluster member.
type Member struct {
	Name      string
	ClientURL string
}

// addMember dials a client to add a member and closes it.
func addMember(peers []string, m Member) error { // want addMember:`dials\(releases params=0\)`
	cli, err := clientv3.New(clientv3.Config{Endpoints: peers})
	if err != nil {
		return err
	}
	defer cli.Close()
	_, err = cli.MemberAdd(context.Background(), []string{m.ClientURL})
	return err
}

// joinMember dials a client to add a member and never closes it.
func joinMember(peers []string, m Member) error { // want joinMember:`dials\(leaks params=0\)`
	cli, err := clientv3.New(clientv3.Config{Endpoints: peers})
	if err != nil {
		return err
	}
	_, err = cli.MemberAdd(context.Background(), []string{m.ClientURL})
	return err
}

// removeMember dials a client to remove a member and closes it.
func removeMember(peers []string, id uint64) error { // want removeMember:`dials\(releases params=0\)`
	cli, err := clientv3.New(clientv3.Config{Endpoints: peers})
	if err != nil {
		return err
	}
	defer cli.Close()
	_, err = cli.MemberRemove(context.Background(), id)
	return err
}

// Reconciler keeps a cluster at its desired size.
type Reconciler struct {
	peers []string
}

// reconcile changes the membership only when the running members differ
// from the desired size: most rounds do nothing and dial nothing.
func (r *Reconciler) reconcile(running []Member, want int) error {
	switch {
	case len(running) < want:
		return addMember(r.peers, Member{Name: "new"})
	case len(running) > want:
		return removeMember(r.peers, 1)
	}
	return nil
}

// Run reconciles once per tick: a dial only on the rounds that change the
// membership, and each client is closed.
func (r *Reconciler) Run(list func() []Member, want int, ticks <-chan time.Time) {
	for range ticks {
		if err := r.reconcile(list(), want); err != nil {
			continue
		}
	}
}

// Conn runs statements; Session is its implementation.
type Conn interface {
	Exec(ctx context.Context, st Stmt) ([]string, error)
}

// Exec runs one statement through run's switch.
func (s *Session) Exec(ctx context.Context, st Stmt) ([]string, error) { return s.run(ctx, st) }

// Apply runs a batch of statements through the interface: as in Replay, a
// status query is one statement kind among others.
func Apply(ctx context.Context, c Conn, batch []Stmt) int {
	n := 0
	for _, st := range batch {
		if rows, err := c.Exec(ctx, st); err == nil {
			n += len(rows)
		}
	}
	return n
}

// Scaler grows a cluster one member at a time.
type Scaler struct {
	peers []string
}

// step adds a member only when the cluster is smaller than wanted, and
// leaks the client it dials for that.
func (s *Scaler) step(running []Member, want int) error { // want step:`dials\(leaks params=-1 sometimes\)`
	if len(running) >= want {
		return nil
	}
	return joinMember(s.peers, Member{Name: "m"})
}

// Grow steps once per tick: every step that adds a member leaks a client.
func (s *Scaler) Grow(list func() []Member, want int, ticks <-chan time.Time) {
	for range ticks {
		_ = s.step(list(), want) // want `Scaler.step dials a new etcd client on some of its paths and this call runs on every iteration of this loop, and the client is never closed`
	}
}

// Mode selects the build's status source.
const Mode = "etcd"

// buildStatus dials only in the etcd build, but in that build on every
// call: a branch on a constant is not a branch on the input.
func buildStatus(ctx context.Context, endpoints []string) (string, error) { // want buildStatus:`dials\(releases params=1\)`
	if Mode != "etcd" {
		return "static", nil
	}
	return memberStatus(ctx, endpoints)
}

// Watchdog asks for the status once per tick with the same endpoints.
func Watchdog(ctx context.Context, endpoints []string, ticks <-chan time.Time) {
	for range ticks {
		_, _ = buildStatus(ctx, endpoints) // want `buildStatus dials a new etcd client on every call and this call runs on every iteration of this loop, with the same configuration each time`
	}
}
