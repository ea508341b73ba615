// Package nocompact defines an Analyzer that reports embedded etcd servers
// started without auto-compaction.
//
// # Analyzer nocompact
//
// nocompact: report embedded etcd started without auto-compaction
//
// etcd never compacts unless told to: embed.NewConfig in 3.3, 3.4 and 3.5
// leaves AutoCompactionMode and AutoCompactionRetention empty, and 3.6 sets
// the mode to "periodic" with a retention of "0", which disables it. Every
// revision of every key then stays in the in-memory B-tree index and in the
// bbolt database (mmapped) until the backend quota (2 GiB by default) is
// full; from then on etcd raises a NOSPACE alarm and refuses every write
// ("mvcc: database space exceeded"). A program that runs etcd inside itself
// (embed.StartEtcd) must configure compaction itself.
//
// What it reports:
//
// A Config, from embed.NewConfig, a Config literal or new(embed.Config), that
// reaches embed.StartEtcd while AutoCompactionRetention is never set to a
// non-zero value. The config is followed through the program's own helper
// functions and methods (in the same package and, through facts, in other
// packages), through struct fields and package variables that hold it, and
// through closures. The diagnostic is at the config's creation; the related
// position is where etcd is started from it. When the config comes from a
// helper in another package, the call of that helper is the creation. When
// the code that creates the config does not set its data directory and a
// function of the same package that the config is passed to on its way to
// StartEtcd does (cfg.Dir = opts.DataDir in a method that fills the config
// from the program's own options), the diagnostic and the fix are at that
// assignment instead: that function configures the server's storage, and
// the compaction settings belong beside it.
//
// In etcd 3.3, 3.4 and 3.5, a Config whose AutoCompactionRetention is set to
// a constant but whose AutoCompactionMode is left empty. parseCompactionRetention
// (embed/etcd.go) converts an integer retention only for the modes "periodic"
// and "revision", so "10" with no mode becomes 0 and no compactor is created;
// a duration such as "1h" makes StartEtcd fail ("unsupported compaction
// mode"). etcd 3.6 rejects an empty mode when it starts and defaults it to
// "periodic", so this is not reported for 3.6.
//
// In etcd 3.3, 3.4 and 3.5, a Config whose SnapshotCount (SnapCount in 3.3) is
// left at the default of 100000 while the program raises MaxRequestBytes
// above etcd's 1.5 MiB: etcd holds every raft entry applied since the last
// snapshot in memory (up to 100000, and 5000 more kept after each snapshot
// for slow followers), and each entry may now be as large as the raised
// limit. This is on by default only with a raised request limit, because
// that is where the evidence is: easegress raised MaxRequestBytes to 10 MiB
// and had to set SnapshotCount to 5000 to bring its memory down (easegress
// PR #439, "Reduce etcd server memory usage"), and etcd 3.6 lowered the
// default to 10000 (etcd PR #15408). Programs that keep the default request
// limit usually keep the default SnapshotCount too (DM-master in tiflow
// does, also after it added auto-compaction), and etcd's own default is not
// a bug there; -snapshot-count=always reports them as well, and
// -snapshot-count=never turns the check off.
//
// What it does not report:
//
//   - compaction set anywhere on the way to StartEtcd: in the function that
//     creates the config, in a helper or method in another package (also
//     one called through an interface), or through a struct field that
//     holds the config;
//   - values the program chose: a retention taken from a flag, an option, a
//     struct field or a variable counts as set even when it may be empty,
//     and a field whose address is handed to other code
//     (flag.StringVar(&cfg.AutoCompactionRetention, ...)) too;
//   - a config that comes from embed.ConfigFromFile, or that reaches code
//     that may set any field: a decoder (json.Unmarshal, yaml.Unmarshal), a
//     function value, an interface method with no visible implementation, a
//     map, a slice or a channel;
//   - a program that compacts etcd from a client: when the package, or a
//     package it imports (directly or not), calls etcd's KV.Compact
//     (recognised with a package fact exported by the package that calls it),
//     missing auto-compaction is not reported;
//   - a config that never reaches StartEtcd (a test that only inspects the
//     generated config);
//   - a config copied by value on its way (c := *base; embed.StartEtcd(&c)
//     with base from embed.NewConfig in the caller): the copy is a new
//     variable the pass does not tie back to the config it was copied
//     from;
//   - a config created or started in test code (flag -include-tests): a
//     test's embedded etcd lives for one test in a temporary directory and
//     holds a handful of keys, so its history never nears the quota and
//     compaction does not matter (the test fixtures of etcd users'
//     registries start one per test and close it seconds later).
//
// Test code is a _test.go file, or any file of a package that exists to
// support tests: one whose import path has an element, after the first, that
// is integration or e2e, starts with test (test, tests, testing, testutil,
// testserver), or ends in testing, testutil, testutils or testserver
// (etcdtesting, kvtestutil); an element that merely ends in test (latest,
// contest) does not count.
//
// What these findings cost a real etcd is measured in docs/evidence.md,
// section "nocompact" (revisions kept with and without auto-compaction, and
// what etcd does when the backend quota fills).
//
// Flags:
//
//	-mode (default "periodic"): the AutoCompactionMode the fix inserts.
//	-retention (default "1h"): the AutoCompactionRetention the fix inserts.
//	-snapshot-count (default "raised-request-limit"): when to report a
//	 SnapshotCount left at the 3.3-3.5 default: "raised-request-limit" (only
//	 when MaxRequestBytes is raised above 1.5 MiB), "always" or "never".
//	-include-tests (default false): also report configs created or started
//	 in test code.
//
// Example:
//
//	cfg := embed.NewConfig() // reported: AutoCompactionRetention is never set
//	cfg.Dir = dataDir
//	e, err := embed.StartEtcd(cfg)
//
// Fix:
//
// After the statement that creates the config, insert
//
//	cfg.AutoCompactionMode = embed.CompactorModePeriodic
//	cfg.AutoCompactionRetention = "1h"
//
// spelled with the file's own name for the embed package (a string literal
// in 3.3, whose embed package has no CompactorModePeriodic). For an empty
// mode the fix inserts only the mode, and for SnapshotCount it inserts
// SnapshotCount = 10000, the default etcd 3.6 chose.
package nocompact
