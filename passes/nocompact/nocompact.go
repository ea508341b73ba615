package nocompact

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/analyzerdoc"
	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"github.com/etcdlint/etcdlint/internal/facts"
	ncfacts "github.com/etcdlint/etcdlint/internal/facts/configflow"
	"github.com/etcdlint/etcdlint/internal/facts/summary"
	"github.com/etcdlint/etcdlint/internal/report"
)

//go:embed doc.go
var doc string

// Analyzer reads ncfacts's result, computed by facts.Analyzer, and reports
// on the packages analysed.
var Analyzer = facts.NewPass(facts.Spec{
	Name:     "nocompact",
	Doc:      analyzerdoc.MustExtract(doc, "nocompact"),
	URL:      "https://github.com/etcdlint/etcdlint/blob/main/docs/checks.md#nocompact",
	Requires: []*analysis.Analyzer{ncfacts.Analyzer},
	Run:      run,
})

// Values of -snapshot-count.
const (
	snapshotRaised = "raised-request-limit"
	snapshotAlways = "always"
	snapshotNever  = "never"
)

var (
	fixMode       = etcdapi.CompactionModePeriodic
	fixRetention  = "1h"
	snapshotCheck = snapshotRaised
	// includeTests makes the pass report configs created or started in
	// test code (report.InTestCode).
	includeTests = false
)

type choice struct {
	p       *string
	allowed []string
}

func (c choice) String() string {
	if c.p == nil {
		return ""
	}
	return *c.p
}

func (c choice) Set(s string) error {
	for _, a := range c.allowed {
		if s == a {
			*c.p = s
			return nil
		}
	}
	return fmt.Errorf("want one of %s", strings.Join(c.allowed, ", "))
}

func init() {
	Analyzer.Flags.Var(choice{&fixMode, []string{etcdapi.CompactionModePeriodic, etcdapi.CompactionModeRevision}},
		"mode", "AutoCompactionMode inserted by the fix: periodic or revision")
	Analyzer.Flags.StringVar(&fixRetention, "retention", fixRetention,
		"AutoCompactionRetention inserted by the fix (a duration for periodic, a revision count for revision)")
	Analyzer.Flags.Var(choice{&snapshotCheck, []string{snapshotRaised, snapshotAlways, snapshotNever}},
		"snapshot-count", "when to report SnapshotCount left at the 3.3-3.5 default: "+
			snapshotRaised+" (MaxRequestBytes raised above 1.5 MiB), "+snapshotAlways+" or "+snapshotNever)
	Analyzer.Flags.BoolVar(&includeTests, "include-tests", includeTests,
		"also report embedded etcd servers configured or started in test code (_test.go files, test-support packages)")
}

func run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[ncfacts.Analyzer].(*ncfacts.Result)
	if res.SSA.Pkg == nil {
		return nil, nil
	}
	funcs := res.SSA.Funcs
	// Package-level variables are initialised in the synthetic init function:
	// var cfg = embed.NewConfig().
	if init := res.SSA.Pkg.Func("init"); init != nil {
		funcs = append(funcs[:len(funcs):len(funcs)], init)
	}
	r := report.New(pass)
	check(pass, r, funcs, res, res.Compacts)
	r.Finish()
	return nil, nil
}

// maxDepth bounds how many helper returns a config is followed up through.
const maxDepth = 4

type checker struct {
	pass     *analysis.Pass
	r        *report.Reporter
	eng      *ncfacts.Engine
	res      ncfacts.Resolver
	compacts bool
	// callers are the static call sites of each function, in funcs order.
	callers map[*ssa.Function][]*ssa.Call
}

// check reports the configs created in funcs (the package's functions that
// touch etcd, with their literals) that reach StartEtcd badly configured.
// compacts tells that the program compacts etcd from a client.
func check(pass *analysis.Pass, r *report.Reporter, funcs []*ssa.Function, res ncfacts.Resolver, compacts bool) {
	c := &checker{
		pass: pass, r: r, res: res, compacts: compacts,
		eng:     ncfacts.NewEngine(funcs, res),
		callers: map[*ssa.Function][]*ssa.Call{},
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if call, ok := instr.(*ssa.Call); ok {
					if callee := call.Call.StaticCallee(); callee != nil {
						c.callers[callee] = append(c.callers[callee], call)
					}
				}
			}
		}
	}
	for _, fn := range funcs {
		for _, o := range ncfacts.Origins(fn, res) {
			if o.Started {
				continue // the helper that made it starts it, and is reported in its package
			}
			if o.Via != nil && o.Via.Pkg() == pass.Pkg {
				continue // explored from the helper's own creation of it
			}
			r.Guard(fn.Pos(), fn.String(), func() { c.origin(o) })
		}
	}
}

// path is one way a config reaches StartEtcd, with what is set on it.
type path struct {
	state ncfacts.State
	start ncfacts.Start
}

// trail is what the exploration of one config saw on the way: whether the
// code that creates it sets its data directory, and the same-package
// functions it is passed to.
type trail struct {
	dataDir bool
	through []ncfacts.Through
}

func (c *checker) explore(seeds []ssa.Value, init ncfacts.State, depth int, out *[]path, tr *trail) {
	eff := c.eng.Track(seeds, init)
	if depth == 0 && len(eff.DataDir) > 0 {
		tr.dataDir = true
	}
	tr.through = append(tr.through, eff.Through...)
	for _, s := range eff.Starts {
		*out = append(*out, path{eff.State, s})
	}
	if depth >= maxDepth {
		return
	}
	type key struct {
		fn *ssa.Function
		i  int
	}
	done := map[key]bool{}
	for _, ret := range eff.Returns {
		k := key{ret.Fn, ret.Index}
		if ret.Fn.Parent() != nil || done[k] {
			continue
		}
		done[k] = true
		for _, call := range c.callers[ret.Fn] {
			if vals := ncfacts.ResultValues(call, ret.Index); len(vals) > 0 {
				c.explore(vals, eff.State, depth+1, out, tr)
			}
		}
	}
}

// origin checks one config.
func (c *checker) origin(o ncfacts.Origin) {
	var paths []path
	var tr trail
	c.explore([]ssa.Value{o.Value}, o.Init, 0, &paths, &tr)
	if len(paths) == 0 {
		return
	}
	ptr, ok := types.Unalias(o.Value.Type()).(*types.Pointer)
	if !ok {
		return
	}
	named, ok := types.Unalias(ptr.Elem()).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return
	}
	embedPkg := named.Obj().Pkg()
	era, _ := etcdapi.EmbedConfig(named)
	is36 := etcdapi.Embed36(embedPkg)
	version := etcdapi.Version(era, is36)

	site := c.site(o)
	if site == nil {
		return
	}
	if !tr.dataDir {
		if d := c.dataDirSite(tr.through); d != nil {
			site = d
		}
	}
	compactionReported := false
	// Missing compaction.
	if !c.compacts {
		for _, p := range paths {
			if p.state.Opaque || retentionSet(p.state.Retention) {
				continue
			}
			why := fmt.Sprintf("AutoCompactionRetention is never set (etcd %s does not compact by default)", version)
			if p.state.Retention.Set {
				why = fmt.Sprintf("AutoCompactionRetention is %q, which disables it", p.state.Retention.Value)
			}
			msg := fmt.Sprintf("embedded etcd started without auto-compaction: %s, "+
				"so every revision of every key stays in etcd's in-memory index and its bbolt db until the %s backend quota is full "+
				"and etcd refuses all writes (database space exceeded); set AutoCompactionMode and AutoCompactionRetention",
				why, quota(p.state))
			var lines []string
			retLine := "AutoCompactionRetention = " + strconv.Quote(fixRetention)
			switch m := p.state.Mode; {
			case !m.Set || (m.Known && m.Value == ""):
				lines = []string{"AutoCompactionMode = " + c.modeExpr(site.file, embedPkg, fixMode), retLine}
			case m.Known && m.Value == fixMode:
				lines = []string{retLine}
			}
			c.reportAt(site, p, "compaction", msg, "Enable periodic auto-compaction", lines)
			compactionReported = true
			break
		}
	}
	// The 3.3-3.5 mode trap.
	if !is36 {
		for _, p := range paths {
			s := p.state
			if s.Opaque || !s.Retention.Set || !s.Retention.Known || !retentionSet(s.Retention) {
				continue
			}
			if s.Mode.Set && (!s.Mode.Known || s.Mode.Value != "") {
				continue
			}
			ret := s.Retention.Value
			var msg, mode string
			if _, err := strconv.Atoi(ret); err == nil {
				mode = fixMode
				msg = fmt.Sprintf("AutoCompactionRetention %q without AutoCompactionMode is ignored by etcd %s: an integer retention "+
					"is converted only for the modes %q and %q, so no compactor runs and every revision stays in etcd's index and bbolt db "+
					"until the %s backend quota is full and etcd refuses all writes; set AutoCompactionMode",
					ret, version, etcdapi.CompactionModePeriodic, etcdapi.CompactionModeRevision, quota(s))
			} else if _, err := time.ParseDuration(ret); err == nil {
				mode = etcdapi.CompactionModePeriodic
				msg = fmt.Sprintf("AutoCompactionRetention %q without AutoCompactionMode makes embed.StartEtcd fail in etcd %s "+
					"(unsupported compaction mode); set AutoCompactionMode to %q", ret, version, etcdapi.CompactionModePeriodic)
			} else {
				continue
			}
			lines := []string{"AutoCompactionMode = " + c.modeExpr(site.file, embedPkg, mode)}
			c.reportAt(site, p, "compaction-mode", msg, "Set AutoCompactionMode", lines)
			break
		}
	}
	// SnapshotCount left at 100000.
	if !is36 && snapshotCheck != snapshotNever {
		def := etcdapi.DefaultSnapshotCount(era, is36)
		for _, p := range paths {
			s := p.state
			if s.Opaque || snapshotSet(s.SnapshotCount, def) {
				continue
			}
			entry := "1.5 MiB"
			if s.MaxRequestBytes.Set {
				n, err := strconv.ParseInt(s.MaxRequestBytes.Value, 10, 64)
				if !s.MaxRequestBytes.Known || err != nil {
					continue // chosen by the program: unknown size
				}
				if n > etcdapi.MaxRequestBytes {
					entry = bytesString(n)
				} else if snapshotCheck == snapshotRaised {
					continue
				} else if n > 0 {
					entry = bytesString(n)
				}
			} else if snapshotCheck == snapshotRaised {
				continue
			}
			field := etcdapi.ConfigFieldName(embedPkg, etcdapi.RoleSnapshotCount)
			fixed := etcdapi.DefaultSnapshotCount(etcdapi.Era35, true)
			msg := fmt.Sprintf("%s is left at etcd %s's default of %d while raft entries may be %s each: etcd holds every entry "+
				"applied since the last snapshot in memory (up to %d, plus %d kept after each snapshot), so the raft log alone "+
				"can take gigabytes; set %s (etcd 3.6 lowered the default to %d)",
				field, version, def, entry, def, etcdapi.SnapshotCatchUpEntries, field, fixed)
			var lines []string
			if !compactionReported {
				lines = []string{fmt.Sprintf("%s = %d", field, fixed)}
			}
			c.reportAt(site, p, "snapshot-count", msg, "Set SnapshotCount", lines)
			break
		}
	}
}

// retentionSet reports whether a retention setting may enable compaction.
func retentionSet(s ncfacts.Setting) bool {
	if !s.Set {
		return false
	}
	if !s.Known {
		return true
	}
	v := strings.TrimSpace(s.Value)
	if v == "" {
		return false
	}
	if n, err := strconv.Atoi(v); err == nil {
		return n != 0
	}
	if d, err := time.ParseDuration(v); err == nil {
		return d != 0
	}
	return true
}

// snapshotSet reports whether SnapshotCount is set to something other than
// etcd's default (0 means the default).
func snapshotSet(s ncfacts.Setting, def int) bool {
	if !s.Set {
		return false
	}
	if !s.Known {
		return true
	}
	n, err := strconv.ParseInt(s.Value, 10, 64)
	return err != nil || (n != 0 && n < int64(def))
}

func quota(s ncfacts.State) string {
	if s.Quota.Set {
		if !s.Quota.Known {
			return "configured"
		}
		if n, err := strconv.ParseInt(s.Quota.Value, 10, 64); err == nil && n > 0 {
			return bytesString(n)
		}
	}
	return bytesString(etcdapi.QuotaBackendBytes)
}

func bytesString(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64) + " MiB"
	}
	return fmt.Sprintf("%d bytes", n)
}

// site is where a config is created, in the syntax.
type site struct {
	file *ast.File
	expr ast.Node   // the NewConfig call, the literal, the helper call
	path []ast.Node // from expr up to the file
	// result is the index of the helper's result that is the config.
	result int
	// stmt, when set, is the statement after which the fix goes, on the
	// config spelled target (a helper's assignment of the data directory).
	stmt   ast.Stmt
	target string
}

// dataDirSite finds, in the same-package functions a config is passed to on
// its way to StartEtcd, the first assignment of the config's data directory
// (cfg.Dir = ...) made through the parameter: the function that configures
// the server's storage, where the compaction settings belong.
func (c *checker) dataDirSite(through []ncfacts.Through) *site {
	done := map[*ssa.Function]bool{}
	for _, th := range through {
		if done[th.Fn] {
			continue
		}
		done[th.Fn] = true
		for _, p := range th.Fn.Params {
			i, ok := dataflow.ParamIndex(p, th.Fn)
			if !ok || !slices.Contains(th.Params, i) {
				continue
			}
			refs := p.Referrers()
			if refs == nil {
				continue
			}
			for _, r := range *refs {
				fa, ok := r.(*ssa.FieldAddr)
				if !ok || fa.X != p || !etcdapi.IsConfigDataDir(summary.FieldOf(fa)) {
					continue
				}
				frefs := fa.Referrers()
				if frefs == nil {
					continue
				}
				for _, fr := range *frefs {
					if st, ok := fr.(*ssa.Store); ok && st.Addr == fa {
						if s := c.assignSite(st.Pos()); s != nil {
							return s
						}
					}
				}
			}
		}
	}
	return nil
}

// assignSite returns the site of the statement cfg.Dir = ... at pos.
func (c *checker) assignSite(pos token.Pos) *site {
	if !pos.IsValid() {
		return nil
	}
	for _, f := range c.pass.Files {
		if f.FileStart > pos || pos >= f.FileEnd {
			continue
		}
		path, _ := astutil.PathEnclosingInterval(f, pos, pos)
		for i, n := range path {
			as, ok := n.(*ast.AssignStmt)
			if !ok {
				continue
			}
			if len(as.Lhs) != 1 || i+1 >= len(path) {
				return nil
			}
			sel, ok := as.Lhs[0].(*ast.SelectorExpr)
			if !ok || !simpleExpr(sel.X) {
				return nil
			}
			return &site{file: f, expr: as, path: path[i:], stmt: as, target: types.ExprString(sel.X)}
		}
		return nil
	}
	return nil
}

func (c *checker) site(o ncfacts.Origin) *site {
	pos := o.Instr.Pos()
	if x, ok := o.Value.(*ssa.Alloc); ok {
		pos = x.Pos()
	}
	if !pos.IsValid() {
		return nil
	}
	var file *ast.File
	for _, f := range c.pass.Files {
		if f.FileStart <= pos && pos < f.FileEnd {
			file = f
			break
		}
	}
	if file == nil {
		return nil
	}
	path, _ := astutil.PathEnclosingInterval(file, pos, pos)
	s := &site{file: file}
	if x, ok := o.Value.(*ssa.Extract); ok {
		s.result = x.Index
	}
	for i, n := range path {
		switch n := n.(type) {
		case *ast.CallExpr:
			if n.Lparen == pos {
				s.expr, s.path = n, path[i:]
			}
		case *ast.CompositeLit:
			if n.Lbrace == pos {
				s.expr, s.path = n, path[i:]
				if i+1 < len(path) {
					if u, ok := path[i+1].(*ast.UnaryExpr); ok && u.Op == token.AND {
						s.expr, s.path = u, path[i+1:]
					}
				}
			}
		case *ast.Ident:
			if n.Pos() == pos {
				s.expr, s.path = n, path[i:]
			}
		}
		if s.expr != nil {
			return s
		}
	}
	return nil
}

// reportAt reports msg at the creation site with the start as related
// information and, when lines is not empty, a fix that inserts them after
// the statement creating the config.
func (c *checker) reportAt(s *site, p path, category, msg, fixMsg string, lines []string) {
	if !includeTests && (c.inTestCode(s.expr.Pos()) || c.inTestCode(p.start.Instr.Pos())) {
		return // a test's server: it lives as long as the test
	}
	related := "etcd is started from this config here"
	if p.start.Via != nil {
		related = fmt.Sprintf("etcd is started from this config here, through %s", dataflow.FuncName(p.start.Via))
	}
	d := report.Diagnostic{
		Pos: s.expr.Pos(), End: s.expr.End(), Message: msg, Category: category,
		Related: []analysis.RelatedInformation{report.Related(p.start.Instr.Pos(), "%s", related)},
	}
	if fix, ok := c.fix(s, fixMsg, lines); ok {
		d.Fixes = []analysis.SuggestedFix{fix}
	}
	c.r.Report(d)
}

// inTestCode reports whether pos, in the package analysed, is test code.
func (c *checker) inTestCode(pos token.Pos) bool {
	return report.InTestCode(c.pass.Fset, pos, c.pass.Pkg.Path())
}

// fix inserts "<config>.<line>" for each line after the statement that
// creates the config, when that statement assigns it to a variable or a field.
func (c *checker) fix(s *site, msg string, lines []string) (analysis.SuggestedFix, bool) {
	if len(lines) == 0 {
		return analysis.SuggestedFix{}, false
	}
	if s.stmt != nil {
		if len(s.path) < 2 {
			return analysis.SuggestedFix{}, false
		}
		switch s.path[1].(type) {
		case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
		default:
			return analysis.SuggestedFix{}, false
		}
		return c.insertAfter(s.stmt, s.target, msg, lines), true
	}
	path := s.path
	i := 0
	for i+1 < len(path) {
		if _, ok := path[i+1].(*ast.ParenExpr); ok {
			i++
			continue
		}
		break
	}
	if i+1 >= len(path) {
		return analysis.SuggestedFix{}, false
	}
	node := path[i]
	var lhs ast.Expr
	var stmt ast.Stmt
	var rest []ast.Node
	switch p := path[i+1].(type) {
	case *ast.AssignStmt:
		for k, rhs := range p.Rhs {
			if rhs != node {
				continue
			}
			if len(p.Lhs) == len(p.Rhs) {
				lhs = p.Lhs[k]
			} else if len(p.Rhs) == 1 && s.result < len(p.Lhs) {
				lhs = p.Lhs[s.result]
			}
		}
		stmt, rest = p, path[i+2:]
	case *ast.ValueSpec:
		for k, v := range p.Values {
			if v != node {
				continue
			}
			if len(p.Names) == len(p.Values) {
				lhs = p.Names[k]
			} else if len(p.Values) == 1 && s.result < len(p.Names) {
				lhs = p.Names[s.result]
			}
		}
		if i+3 < len(path) {
			if ds, ok := path[i+3].(*ast.DeclStmt); ok {
				stmt, rest = ds, path[i+4:]
			}
		}
	}
	if lhs == nil || stmt == nil || len(rest) == 0 || !simpleExpr(lhs) {
		return analysis.SuggestedFix{}, false
	}
	switch rest[0].(type) {
	case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
	default:
		return analysis.SuggestedFix{}, false
	}
	return c.insertAfter(stmt, types.ExprString(lhs), msg, lines), true
}

// insertAfter inserts "<target>.<line>" for each line after stmt.
func (c *checker) insertAfter(stmt ast.Stmt, target, msg string, lines []string) analysis.SuggestedFix {
	indent, at := c.lineAround(stmt)
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("\n" + indent + target + "." + l)
	}
	return analysis.SuggestedFix{
		Message:   msg,
		TextEdits: []analysis.TextEdit{{Pos: at, End: at, NewText: []byte(b.String())}},
	}
}

// lineAround returns the leading white space of stmt's first line and where
// to insert statements after stmt: at the end of its last line when only a
// line comment follows it there (so the comment stays with it), else right
// after it.
func (c *checker) lineAround(stmt ast.Stmt) (string, token.Pos) {
	tf := c.pass.Fset.File(stmt.Pos())
	if tf == nil {
		return "\t", stmt.End()
	}
	content, err := c.pass.ReadFile(tf.Name())
	if err != nil || tf.Size() != len(content) {
		return "\t", stmt.End()
	}
	start := tf.Offset(tf.LineStart(tf.Line(stmt.Pos())))
	end := start
	for end < len(content) && (content[end] == ' ' || content[end] == '\t') {
		end++
	}
	indent := string(content[start:end])
	off := tf.Offset(stmt.End())
	eol := off
	for eol < len(content) && content[eol] != '\n' {
		eol++
	}
	rest := strings.TrimSpace(string(content[off:eol]))
	if rest == "" || (strings.HasPrefix(rest, "//") && !strings.Contains(rest, "*/")) {
		if eol > off && content[eol-1] == '\r' {
			eol--
		}
		return indent, tf.Pos(eol)
	}
	return indent, stmt.End()
}

// simpleExpr reports whether e is a variable or a chain of field selections
// on one, which the fix can repeat.
func simpleExpr(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name != "_"
	case *ast.SelectorExpr:
		return simpleExpr(e.X)
	}
	return false
}

// modeExpr spells a compaction mode in file: the embed package's constant
// under the file's name for the package, or a string literal.
func (c *checker) modeExpr(file *ast.File, embedPkg *types.Package, mode string) string {
	lit := strconv.Quote(mode)
	name := etcdapi.CompactorModeConst(embedPkg, mode)
	if name == "" {
		return lit
	}
	for _, imp := range file.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil || path != embedPkg.Path() {
			continue
		}
		switch {
		case imp.Name == nil:
			return embedPkg.Name() + "." + name
		case imp.Name.Name == ".":
			return name
		case imp.Name.Name == "_":
			return lit
		default:
			return imp.Name.Name + "." + name
		}
	}
	return lit
}
