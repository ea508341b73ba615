// Package catalog describes tables, sinks and changefeeds; it knows
// nothing of etcd.
package catalog

import (
	"encoding/json"
	"strings"
)

// ColumnDef is one column a CREATE TABLE statement declares.
type ColumnDef struct {
	Name string
	Type string
}

// CreateTable is a statement: a definition someone wrote.
type CreateTable struct {
	Name    string
	Columns []ColumnDef
}

// Column is one column of a table's schema.
type Column struct {
	ID   int64
	Name string
	Type string
}

// Table is a table's schema.
type Table struct {
	Name    string
	Columns []*Column
	Primary map[string]bool
}

// FromStatement builds a table's schema, one column per column the
// statement declares: the schema is as large as its definition.
func FromStatement(stmt *CreateTable) *Table {
	t := &Table{Name: stmt.Name, Primary: map[string]bool{}}
	for i, c := range stmt.Columns {
		t.Columns = append(t.Columns, &Column{ID: int64(i + 1), Name: c.Name, Type: c.Type})
		if i == 0 {
			t.Primary[c.Name] = true
		}
	}
	return t
}

// AlterTable is a statement that adds columns to a table.
type AlterTable struct {
	Add []ColumnDef
}

// Apply reads a stored schema and adds the columns the statement names,
// to be written back: the schema grows by what someone declared.
func Apply(stored []byte, stmt *AlterTable) (*Table, error) {
	var t Table
	if err := json.Unmarshal(stored, &t); err != nil {
		return nil, err
	}
	for _, c := range stmt.Add {
		t.Columns = append(t.Columns, &Column{ID: int64(len(t.Columns) + 1), Name: c.Name, Type: c.Type})
	}
	return &t, nil
}

// Drop removes a column: the schema is rebuilt from its own columns.
func (t *Table) Drop(name string) {
	kept := t.Columns[:0]
	for _, c := range t.Columns {
		if c.Name != name {
			kept = append(kept, c)
		}
	}
	t.Columns = kept
}

// Rule routes the tables a pattern matches to a target.
type Rule struct {
	Pattern string
	Target  string
}

// FileConfig is what an operator writes in a configuration file.
type FileConfig struct {
	Routes []struct{ Match, To string }
}

// SinkConfig is a sink's configuration: its rules come from a file.
type SinkConfig struct {
	URI   string
	Rules []*Rule
}

// NewSinkConfig copies the file's routes into the sink's rules.
func NewSinkConfig(uri string, file *FileConfig) *SinkConfig {
	rules := make([]*Rule, 0, len(file.Routes))
	for _, r := range file.Routes {
		rules = append(rules, &Rule{Pattern: strings.ToLower(r.Match), Target: r.To})
	}
	c := &SinkConfig{URI: uri}
	c.Rules = rules
	return c
}

// oldSink is the format a sink's configuration had before rules.
type oldSink struct {
	Dispatchers []struct{ Schema, Table, Target string }
}

// UnmarshalJSON reads both formats.
func (c *SinkConfig) UnmarshalJSON(b []byte) error {
	type plain SinkConfig
	if err := json.Unmarshal(b, (*plain)(c)); err != nil {
		return err
	}
	var old oldSink
	if err := json.Unmarshal(b, &old); err != nil {
		return err
	}
	c.upgrade(&old)
	return nil
}

// upgrade converts the older format's dispatchers: only the decoder calls
// it, so the rules are as many as the stored value held.
func (c *SinkConfig) upgrade(old *oldSink) {
	for _, d := range old.Dispatchers {
		c.Rules = append(c.Rules, &Rule{Pattern: d.Schema + "." + d.Table, Target: d.Target})
	}
}

// Feed is a changefeed: the tables it replicates grow as it runs.
type Feed struct {
	ID     string
	Start  uint64
	Tables []string
	Sink   *SinkConfig
}

// Progress is how far a feed has gone.
type Progress struct {
	Feed     string
	Resolved []uint64
}

// Ownership lists the nodes that have owned a feed.
type Ownership struct {
	Feed   string
	Owners []string
}

// Follow adds every table a DDL event creates, as the events arrive.
func (f *Feed) Follow(created <-chan string) {
	for name := range created {
		f.Tables = append(f.Tables, name)
	}
}

// Ticks lists every timestamp from start to now: as long as the feed has
// run.
func Ticks(start, now, step uint64) []uint64 {
	var out []uint64
	for ts := start; ts < now; ts += step {
		out = append(out, ts)
	}
	return out
}

// Project is a feed's view for a dashboard, made from the feed's own
// tables, one entry per table: a copy of a collection that grows (Follow),
// held by a type that the program builds afresh.
type Project struct {
	Tables map[string]int
}

// View builds the dashboard's view of a feed.
func View(f *Feed) *Project {
	p := &Project{Tables: map[string]int{}}
	for i, t := range f.Tables {
		p.Tables[t] = i
	}
	return p
}
