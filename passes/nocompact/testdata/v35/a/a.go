//fixture:handwritten the messages name each era's defaults and what each era does with a retention without a mode, and 3.3 configures logging and SnapCount its own way.

// Package a starts embedded etcd servers from configs built in one package.
package a

import (
	"encoding/json"
	"flag"
	"os"

	"go.etcd.io/etcd/server/v3/embed"
)

// startDefaults starts etcd with NewConfig's defaults.
func startDefaults(dir string) (*embed.Etcd, error) {
	cfg := embed.NewConfig() // want `embedded etcd started without auto-compaction: AutoCompactionRetention is never set \(etcd 3\.5 does not compact by default\), so every revision of every key stays in etcd's in-memory index and its bbolt db until the 2 GiB backend quota is full`
	cfg.Dir = dir
	return embed.StartEtcd(cfg)
}

// startLiteral starts etcd from a Config literal.
func startLiteral(dir string) (*embed.Etcd, error) {
	return embed.StartEtcd(&embed.Config{Dir: dir}) // want `without auto-compaction: AutoCompactionRetention is never set`
}

// startZeroRetention sets the mode but a retention of "0", which disables it.
func startZeroRetention() (*embed.Etcd, error) {
	cfg := embed.NewConfig() // want `AutoCompactionRetention is "0", which disables it`
	cfg.AutoCompactionMode = embed.CompactorModePeriodic
	cfg.AutoCompactionRetention = "0"
	cfg.QuotaBackendBytes = 8 << 30
	return embed.StartEtcd(cfg)
}

// startInGoroutine starts etcd from a closure.
func startInGoroutine(done chan<- error) {
	cfg := embed.NewConfig() // want `without auto-compaction`
	go func() {
		_, err := embed.StartEtcd(cfg)
		done <- err
	}()
}

// startGlobal keeps the config in a package variable.
var globalCfg = embed.NewConfig() // want `without auto-compaction`

func startGlobal() (*embed.Etcd, error) { return embed.StartEtcd(globalCfg) }

// Options is the program's own configuration.
type Options struct {
	Name, DataDir                  string
	CompactionMode, CompactionKeep string
}

// Master creates its config in one function, configures it from its own
// options in another (where the data directory is set, and where the report
// and the fix go) and starts etcd in a third.
type Master struct {
	opts *Options
	etcd *embed.Etcd
}

func newEtcdConfig(logger string) *embed.Config {
	cfg := embed.NewConfig()
	cfg.Logger = logger
	if err := cfg.ZapLoggerBuilder(cfg); err != nil {
		panic(err)
	}
	return cfg
}

func (o *Options) fill(cfg *embed.Config) (*embed.Config, error) {
	cfg.Name = o.Name
	cfg.Dir = o.DataDir // want `without auto-compaction`
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

func startEtcd(cfg *embed.Config) (*embed.Etcd, error) {
	return embed.StartEtcd(cfg)
}

func (m *Master) Start() error {
	cfg := newEtcdConfig("zap")
	cfg, err := m.opts.fill(cfg)
	if err != nil {
		return err
	}
	m.etcd, err = startEtcd(cfg)
	return err
}

// fillCompaction copies compaction from the program's options.
func (o *Options) fillCompaction(cfg *embed.Config) *embed.Config {
	cfg.Name = o.Name
	cfg.AutoCompactionMode = o.CompactionMode
	cfg.AutoCompactionRetention = o.CompactionKeep
	return cfg
}

func newPlainConfig() *embed.Config {
	cfg := embed.NewConfig()
	cfg.Logger = "zap"
	return cfg
}

func (m *Master) StartCompacting() error {
	cfg := m.opts.fillCompaction(newPlainConfig())
	e, err := startEtcd(cfg)
	m.etcd = e
	return err
}

// testOnlyConfig is built and inspected, never started.
func testOnlyConfig(o *Options) string {
	cfg, err := o.fill(embed.NewConfig())
	if err != nil {
		return ""
	}
	return cfg.Name
}

// The cluster keeps its compaction settings in package variables and raises
// the request limit, but leaves SnapshotCount at its default.
var (
	keepRevisions  = "10"
	compactionMode = embed.CompactorModeRevision
)

const (
	maxRequestBytes = 10 * 1024 * 1024
	quotaBytes      = 8 * 1024 * 1024 * 1024
	snapshotCount   = 5000
)

func staticClusterConfig(name string) (*embed.Config, error) {
	ec := embed.NewConfig() // want `SnapshotCount is left at etcd 3\.5's default of 100000 while raft entries may be 10 MiB each: etcd holds every entry applied since the last snapshot in memory \(up to 100000, plus 5000 kept after each snapshot\)`
	ec.Name = name
	ec.AutoCompactionMode = compactionMode
	ec.AutoCompactionRetention = keepRevisions
	ec.QuotaBackendBytes = quotaBytes
	ec.MaxRequestBytes = maxRequestBytes
	return ec, nil
}

func joinClusterConfig(name string) (*embed.Config, error) {
	ec := embed.NewConfig() // want `SnapshotCount is left at etcd 3\.5's default`
	ec.Name = name
	ec.AutoCompactionMode = compactionMode
	ec.AutoCompactionRetention = keepRevisions
	ec.MaxRequestBytes = maxRequestBytes
	ec.ClusterState = embed.ClusterStateFlagExisting
	return ec, nil
}

func startCluster(static bool, name string) (*embed.Etcd, error) {
	var ec *embed.Config
	var err error
	if static {
		ec, err = staticClusterConfig(name)
	} else {
		ec, err = joinClusterConfig(name)
	}
	if err != nil {
		return nil, err
	}
	return embed.StartEtcd(ec)
}

// tunedClusterConfig also sets SnapshotCount.
func tunedClusterConfig(name string) *embed.Config {
	ec := embed.NewConfig()
	ec.Name = name
	ec.AutoCompactionMode = compactionMode
	ec.AutoCompactionRetention = keepRevisions
	ec.MaxRequestBytes = maxRequestBytes
	ec.SnapshotCount = snapshotCount
	return ec
}

func startTuned(name string) (*embed.Etcd, error) { return embed.StartEtcd(tunedClusterConfig(name)) }

// startIntegerNoMode sets a retention in hours but no mode.
func startIntegerNoMode() (*embed.Etcd, error) {
	cfg := embed.NewConfig() // want `AutoCompactionRetention "5" without AutoCompactionMode is ignored by etcd 3\.5: an integer retention is converted only for the modes "periodic" and "revision", so no compactor runs`
	cfg.AutoCompactionRetention = "5"
	return embed.StartEtcd(cfg)
}

// startDurationNoMode sets a duration but no mode.
func startDurationNoMode() (*embed.Etcd, error) {
	cfg := embed.NewConfig() // want `AutoCompactionRetention "1h" without AutoCompactionMode makes embed.StartEtcd fail in etcd 3\.5`
	cfg.AutoCompactionRetention = "1h"
	return embed.StartEtcd(cfg)
}

// Configured correctly, in every way the program may choose.

func startCompacting(dir string) (*embed.Etcd, error) {
	cfg := embed.NewConfig()
	cfg.Dir = dir
	cfg.AutoCompactionMode = embed.CompactorModePeriodic
	cfg.AutoCompactionRetention = "1h"
	return embed.StartEtcd(cfg)
}

func startLiteralCompacting(dir string) (*embed.Etcd, error) {
	return embed.StartEtcd(&embed.Config{Dir: dir, AutoCompactionMode: "revision", AutoCompactionRetention: "1000"})
}

func startFromParams(mode, retention string) (*embed.Etcd, error) {
	cfg := embed.NewConfig()
	cfg.AutoCompactionMode = mode
	cfg.AutoCompactionRetention = retention
	return embed.StartEtcd(cfg)
}

func startFromFlags(fs *flag.FlagSet, args []string) (*embed.Etcd, error) {
	cfg := embed.NewConfig()
	fs.StringVar(&cfg.AutoCompactionMode, "auto-compaction-mode", "periodic", "")
	fs.StringVar(&cfg.AutoCompactionRetention, "auto-compaction-retention", "0", "")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return embed.StartEtcd(cfg)
}

func startFromFile(path string) (*embed.Etcd, error) {
	cfg, err := embed.ConfigFromFile(path)
	if err != nil {
		return nil, err
	}
	return embed.StartEtcd(cfg)
}

func startFromJSON(path string) (*embed.Etcd, error) {
	cfg := embed.NewConfig()
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, cfg); err != nil {
		return nil, err
	}
	return embed.StartEtcd(cfg)
}

func startSetLater(dir string) (*embed.Etcd, error) {
	cfg := embed.NewConfig()
	cfg.Dir = dir
	enable(cfg)
	return embed.StartEtcd(cfg)
}

func enable(cfg *embed.Config) {
	cfg.AutoCompactionMode = embed.CompactorModePeriodic
	cfg.AutoCompactionRetention = "30m"
}

// Server keeps the config in a field until Run.
type Server struct {
	cfg *embed.Config
	e   *embed.Etcd
}

func NewServer(dir string) *Server {
	cfg := embed.NewConfig() // want `without auto-compaction`
	cfg.Dir = dir
	return &Server{cfg: cfg}
}

func (s *Server) Run() (err error) {
	s.e, err = embed.StartEtcd(s.cfg)
	return err
}

// CompactingServer sets compaction through its field.
type CompactingServer struct {
	cfg *embed.Config
}

func NewCompactingServer(dir string) *CompactingServer {
	cfg := embed.NewConfig()
	cfg.Dir = dir
	return &CompactingServer{cfg: cfg}
}

func (s *CompactingServer) Run() error {
	s.cfg.AutoCompactionMode = embed.CompactorModePeriodic
	s.cfg.AutoCompactionRetention = "1h"
	_, err := embed.StartEtcd(s.cfg)
	return err
}
