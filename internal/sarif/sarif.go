// Package sarif converts the JSON output of an analysis driver (the -json
// output of a multichecker, unitchecker or go vet) into a SARIF 2.1.0 log,
// the format code-scanning services and IDEs read.
//
// Each analyzer becomes a rule (reportingDescriptor) with its documentation;
// each diagnostic becomes a result with its location, its related locations
// and its suggested fixes; an analyzer that failed on a package becomes a
// tool execution notification. Diagnostics that the driver reports twice
// (once for a package and once for its test variant) appear once.
package sarif

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// SchemaURI is the JSON schema a log names in its $schema property.
const SchemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

// Version is the SARIF version of the logs this package writes.
const Version = "2.1.0"

// SrcRoot is the uriBaseId of artifact locations under Options.BaseDir.
const SrcRoot = "%SRCROOT%"

// Rule is what the log says about one analyzer.
type Rule struct {
	// ID is the analyzer's name, the ruleId of its results.
	ID string
	// Summary is the one-line description.
	Summary string
	// Doc is the full documentation (plain text); its first paragraph is
	// the rule's full description, the whole text its help.
	Doc string
	// HelpURI is where the documentation is published.
	HelpURI string
	// Enabled is false for a rule that runs only when asked for.
	Enabled bool
	// Properties are extra key/value pairs (for example "since").
	Properties map[string]any
}

// Options describe the tool and the run.
type Options struct {
	// ToolName, ToolVersion and InformationURI describe the driver.
	ToolName       string
	ToolVersion    string
	InformationURI string
	// BaseDir is the directory artifact URIs are relative to (usually the
	// working directory); files outside it get absolute file URIs.
	BaseDir string
	// CommandLine is recorded in the invocation.
	CommandLine string
	// ExitCode is the driver's exit code; nonzero marks the run unsuccessful.
	ExitCode int
	// Errors are messages the driver printed besides its JSON (load errors).
	Errors []string
}

// Convert reads a JSON tree (package ID -> analyzer name -> diagnostics or
// {"error": ...}) and returns the SARIF log. data may hold several JSON
// trees one after another, as go vet -json prints one per package.
func Convert(data []byte, rules []Rule, opts Options) (*Log, error) {
	trees, err := decodeTrees(data)
	if err != nil {
		return nil, err
	}
	c := converter{opts: opts, files: map[string][]byte{}, ruleIndex: map[string]int{}}
	run := &Run{
		Tool: Tool{Driver: ToolComponent{
			Name:           opts.ToolName,
			Version:        opts.ToolVersion,
			InformationURI: opts.InformationURI,
		}},
		ColumnKind: "unicodeCodePoints",
	}
	for _, r := range rules {
		c.ruleIndex[r.ID] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, descriptor(r))
	}

	inv := Invocation{
		ExecutionSuccessful: opts.ExitCode == 0,
		CommandLine:         opts.CommandLine,
	}
	if opts.ExitCode != 0 {
		code := opts.ExitCode
		inv.ExitCode = &code
	}
	for _, msg := range opts.Errors {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
			Notification{Level: "error", Message: Message{Text: msg}})
	}

	seen := map[string]bool{}
	for _, tree := range trees {
		for _, pkg := range sortedKeys(tree) {
			for _, name := range sortedKeys(tree[pkg]) {
				raw := tree[pkg][name]
				var failure struct {
					Error string `json:"error"`
				}
				if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
					if err := json.Unmarshal(raw, &failure); err != nil {
						return nil, fmt.Errorf("package %s, analyzer %s: %v", pkg, name, err)
					}
					inv.ExecutionSuccessful = false
					n := Notification{Level: "error", Message: Message{Text: fmt.Sprintf("%s: %s: %s", pkg, name, failure.Error)}}
					if i, ok := c.ruleIndex[name]; ok {
						n.AssociatedRule = &ReportingDescriptorReference{ID: name, Index: i}
					}
					inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
					continue
				}
				var diags []jsonDiagnostic
				if err := json.Unmarshal(raw, &diags); err != nil {
					return nil, fmt.Errorf("package %s, analyzer %s: %v", pkg, name, err)
				}
				for _, d := range diags {
					key := name + "\x00" + d.Posn + "\x00" + d.End + "\x00" + d.Message
					if seen[key] {
						continue
					}
					seen[key] = true
					run.Results = append(run.Results, c.result(name, d))
				}
			}
		}
	}
	sort.SliceStable(run.Results, func(i, j int) bool { return resultLess(run.Results[i], run.Results[j]) })
	if run.Results == nil {
		run.Results = []Result{} // an empty array means "analysed, nothing found"
	}
	run.Invocations = []Invocation{inv}
	if c.usedBase {
		run.OriginalURIBaseIDs = map[string]ArtifactLocation{SrcRoot: {URI: dirURI(opts.BaseDir)}}
	}
	return &Log{Schema: SchemaURI, Version: Version, Runs: []*Run{run}}, nil
}

// Write encodes log as indented JSON.
func Write(log *Log) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(log); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// The driver's JSON (golang.org/x/tools/go/analysis/internal/analysisflags).
type jsonDiagnostic struct {
	Category       string `json:"category"`
	Posn           string `json:"posn"`
	End            string `json:"end"`
	Message        string `json:"message"`
	SuggestedFixes []struct {
		Message string `json:"message"`
		Edits   []struct {
			Filename string `json:"filename"`
			Start    int    `json:"start"`
			End      int    `json:"end"`
			New      string `json:"new"`
		} `json:"edits"`
	} `json:"suggested_fixes"`
	Related []struct {
		Posn    string `json:"posn"`
		End     string `json:"end"`
		Message string `json:"message"`
	} `json:"related"`
}

type jsonTree map[string]map[string]json.RawMessage

func decodeTrees(data []byte) ([]jsonTree, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var trees []jsonTree
	for {
		var t jsonTree
		err := dec.Decode(&t)
		if err != nil {
			if err == io.EOF {
				return trees, nil
			}
			return nil, fmt.Errorf("reading the analysis JSON: %v", err)
		}
		trees = append(trees, t)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func descriptor(r Rule) ReportingDescriptor {
	d := ReportingDescriptor{
		ID:                   r.ID,
		Name:                 r.ID,
		ShortDescription:     &MultiformatMessageString{Text: r.Summary},
		HelpURI:              r.HelpURI,
		DefaultConfiguration: &ReportingConfiguration{Enabled: r.Enabled, Level: "warning"},
		Properties:           r.Properties,
	}
	if r.Doc != "" {
		first, _, _ := strings.Cut(r.Doc, "\n\n")
		d.FullDescription = &MultiformatMessageString{Text: strings.Join(strings.Fields(first), " ")}
		d.Help = &MultiformatMessageString{Text: r.Doc}
	}
	return d
}

type converter struct {
	opts      Options
	files     map[string][]byte
	ruleIndex map[string]int
	usedBase  bool
}

func (c *converter) result(rule string, d jsonDiagnostic) Result {
	r := Result{
		RuleID:  rule,
		Level:   "warning",
		Message: Message{Text: d.Message},
	}
	if i, ok := c.ruleIndex[rule]; ok {
		r.RuleIndex = &i
	}
	if loc, ok := c.location(d.Posn, d.End); ok {
		r.Locations = []Location{loc}
	}
	for i, rel := range d.Related {
		loc, ok := c.location(rel.Posn, rel.End)
		if !ok {
			continue
		}
		loc.ID = i + 1
		loc.Message = &Message{Text: rel.Message}
		r.RelatedLocations = append(r.RelatedLocations, loc)
	}
	for _, f := range d.SuggestedFixes {
		fix := Fix{Description: &Message{Text: f.Message}}
		byFile := map[string]int{}
		for _, e := range f.Edits {
			i, ok := byFile[e.Filename]
			if !ok {
				i = len(fix.ArtifactChanges)
				byFile[e.Filename] = i
				fix.ArtifactChanges = append(fix.ArtifactChanges, ArtifactChange{ArtifactLocation: c.artifact(e.Filename)})
			}
			rep := Replacement{DeletedRegion: Region{ByteOffset: intPtr(e.Start), ByteLength: intPtr(e.End - e.Start)}}
			if e.New != "" {
				rep.InsertedContent = &ArtifactContent{Text: e.New}
			}
			fix.ArtifactChanges[i].Replacements = append(fix.ArtifactChanges[i].Replacements, rep)
		}
		if len(fix.ArtifactChanges) > 0 {
			r.Fixes = append(r.Fixes, fix)
		}
	}
	if d.Category != "" {
		r.Properties = map[string]any{"category": d.Category}
	}
	return r
}

// location converts "file:line:col" positions (as token.Position.String
// prints them) into a physical location.
func (c *converter) location(posn, end string) (Location, bool) {
	file, line, col, ok := parsePosn(posn)
	if !ok {
		return Location{}, false
	}
	region := Region{StartLine: line}
	if col > 0 {
		region.StartColumn = c.column(file, line, col)
	}
	// An empty range (end == start) is left open: SARIF then takes the
	// region to the end of the line.
	if efile, eline, ecol, ok := parsePosn(end); ok && efile == file && (eline > line || eline == line && ecol > col) {
		region.EndLine = eline
		if ecol > 0 && col > 0 {
			region.EndColumn = c.column(file, eline, ecol)
		}
	}
	return Location{PhysicalLocation: &PhysicalLocation{ArtifactLocation: c.artifact(file), Region: &region}}, true
}

// column converts Go's 1-based byte column into SARIF's 1-based column in
// Unicode code points, when the file can be read.
func (c *converter) column(file string, line, col int) int {
	data, ok := c.files[file]
	if !ok {
		data, _ = os.ReadFile(file)
		c.files[file] = data
	}
	start := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(data[start:], '\n')
		if i < 0 {
			return col
		}
		start += i + 1
	}
	rest := data[start:]
	if nl := bytes.IndexByte(rest, '\n'); nl >= 0 {
		rest = rest[:nl]
	}
	if col-1 > len(rest) {
		return col
	}
	return utf8.RuneCount(rest[:col-1]) + 1
}

func (c *converter) artifact(file string) ArtifactLocation {
	if c.opts.BaseDir != "" && filepath.IsAbs(file) {
		if rel, err := filepath.Rel(c.opts.BaseDir, file); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			c.usedBase = true
			return ArtifactLocation{URI: relURI(rel), URIBaseID: SrcRoot}
		}
	}
	if filepath.IsAbs(file) {
		return ArtifactLocation{URI: fileURI(file)}
	}
	return ArtifactLocation{URI: relURI(file)}
}

func relURI(rel string) string {
	parts := strings.Split(filepath.ToSlash(rel), "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

func fileURI(abs string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive letter
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

func dirURI(dir string) string {
	u := fileURI(dir)
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

// parsePosn splits "file:line:col" or "file:line"; the file name may itself
// contain colons.
func parsePosn(s string) (file string, line, col int, ok bool) {
	if s == "" || s == "-" {
		return "", 0, 0, false
	}
	rest, last, found := cutLast(s)
	if !found {
		return "", 0, 0, false
	}
	n, err := strconv.Atoi(last)
	if err != nil || n < 0 {
		return "", 0, 0, false
	}
	if f, l, found := cutLast(rest); found {
		if m, err := strconv.Atoi(l); err == nil && m > 0 {
			return f, m, n, true
		}
	}
	if n == 0 {
		return "", 0, 0, false
	}
	return rest, n, 0, true
}

func cutLast(s string) (before, after string, found bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}

func resultLess(a, b Result) bool {
	ka, kb := sortKey(a), sortKey(b)
	for i := range ka {
		if ka[i] != kb[i] {
			return ka[i] < kb[i]
		}
	}
	return false
}

func sortKey(r Result) [6]string {
	var k [6]string
	if len(r.Locations) > 0 && r.Locations[0].PhysicalLocation != nil {
		pl := r.Locations[0].PhysicalLocation
		k[0] = pl.ArtifactLocation.URIBaseID
		k[1] = pl.ArtifactLocation.URI
		if pl.Region != nil {
			k[2] = fmt.Sprintf("%09d", pl.Region.StartLine)
			k[3] = fmt.Sprintf("%09d", pl.Region.StartColumn)
		}
	}
	k[4] = r.RuleID
	k[5] = r.Message.Text
	return k
}

func intPtr(i int) *int { return &i }
