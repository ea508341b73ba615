package etcdapi

// The numbers diagnostics quote. Each was read in etcd's own source at the
// version named; they have not changed across 3.4, 3.5 and 3.6 unless noted.
const (
	// SnapshotCatchUpEntries is how many raft entries etcd keeps in memory
	// after each snapshot so that slow followers can catch up.
	// server/etcdserver/server.go DefaultSnapshotCatchUpEntries (v3.5.35, v3.6.16).
	SnapshotCatchUpEntries = 5000

	// MaxRequestBytes is the server's default request size limit; a larger
	// Put is rejected with "etcdserver: request is too large".
	// server/embed/config.go DefaultMaxRequestBytes = 1.5 * 1024 * 1024 (v3.6.16).
	MaxRequestBytes = 3 << 19 // 1.5 MiB

	// ClientMaxSendBytes is clientv3's default gRPC send limit.
	// client/v3/options.go defaultMaxCallSendMsgSize (v3.6.16).
	ClientMaxSendBytes = 2 << 20

	// MaxTxnOps is the server's default limit on operations in one Txn.
	// server/embed/config.go DefaultMaxTxnOps (v3.6.16).
	MaxTxnOps = 128

	// QuotaBackendBytes is the default backend quota; past it etcd raises a
	// NOSPACE alarm and refuses writes. server/storage/quota.go DefaultQuotaBytes (v3.6.16).
	QuotaBackendBytes = 2 << 30
)

// DefaultSnapshotCount is the number of applied entries between snapshots
// (raft entries held in memory in between) when the program does not set
// Config.SnapshotCount. server/etcdserver/server.go: 100000 in v3.5.35 (and
// 3.4, 3.3), 10000 in v3.6.16.
func DefaultSnapshotCount(e Era, is36 bool) int {
	if e == Era35 && is36 {
		return 10000
	}
	return 100000
}
