package main

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// stats is min, median and max.
type stats struct{ min, med, max float64 }

func summarize(xs []float64) (stats, bool) {
	if len(xs) == 0 {
		return stats{}, false
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return stats{s[0], med, s[len(s)-1]}, true
}

func (r *row) wall() (stats, bool) {
	var xs []float64
	for _, s := range r.samples {
		xs = append(xs, s.wall.Seconds())
	}
	return summarize(xs)
}

func (r *row) rss() (stats, bool) {
	var xs []float64
	for _, s := range r.samples {
		xs = append(xs, float64(s.maxRSS)/(1<<20))
	}
	return summarize(xs)
}

// formatTable renders the rows of target t as a Markdown table.
func formatTable(t *target, rows []*row, n int) string {
	byKey := map[string]*row{}
	for _, r := range rows {
		byKey[r.tool.key] = r
	}
	var w strings.Builder
	fmt.Fprintf(&w, "### %s\n\n%s; %s.\n\n", t.name, t.what, time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	w.WriteString("| tool | wall min | wall med | wall max | RSS min | RSS med | RSS max | wall ×base | RSS ×base | base | SSA pkgs | exit |\n")
	w.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|\n")
	for _, r := range rows {
		cells := []string{label(r.tool)}
		wall, okW := r.wall()
		rss, okR := r.rss()
		if okW && okR {
			cells = append(cells,
				fmt.Sprintf("%.2f", wall.min), fmt.Sprintf("%.2f", wall.med), fmt.Sprintf("%.2f", wall.max),
				fmt.Sprintf("%.0f", rss.min), fmt.Sprintf("%.0f", rss.med), fmt.Sprintf("%.0f", rss.max))
		} else {
			cells = append(cells, "—", "—", "—", "—", "—", "—")
		}
		wallRatio, rssRatio, base := "—", "—", "—"
		if b := byKey[r.tool.base]; b != nil {
			base = b.tool.key
			bw, okBW := b.wall()
			br, okBR := b.rss()
			if okW && okBW && bw.med > 0 {
				wallRatio = fmt.Sprintf("%.2f", wall.med/bw.med)
			}
			if okR && okBR && br.med > 0 {
				rssRatio = fmt.Sprintf("%.2f", rss.med/br.med)
			}
		} else if r.tool.base == "" {
			base = "(floor)"
		}
		cells = append(cells, wallRatio, rssRatio, base)
		if r.ssa >= 0 {
			cells = append(cells, fmt.Sprint(r.ssa))
		} else {
			cells = append(cells, "—")
		}
		var codes []string
		for _, c := range r.codes {
			s := fmt.Sprint(c)
			if !slices.Contains(r.tool.ok, c) {
				s += "!"
			}
			codes = append(codes, s)
		}
		if len(codes) == 0 {
			codes = []string{"did not run!"}
		}
		cells = append(cells, strings.Join(codes, ","))
		if len(r.samples) < n && len(r.samples) > 0 {
			cells[0] += fmt.Sprintf(" (%d of %d runs)", len(r.samples), n)
		}
		fmt.Fprintf(&w, "| %s |\n", strings.Join(cells, " | "))
	}
	w.WriteString("\n")
	return w.String()
}

// label is the first cell of a tool's row.
func label(t *tool) string {
	switch t.key {
	case "noop":
		return "noop (floor)"
	case "noopfacts":
		return "noopfacts (facts floor)"
	case "summaryonly":
		return "summaryonly (etcdssa + summary)"
	case "etcdlint":
		return "etcdlint"
	case "vet-noop":
		return "go vet noop (vet floor)"
	case "vet-noopfacts":
		return "go vet noopfacts"
	case "vet-etcdlint":
		return "go vet etcdlint"
	}
	return t.key
}
