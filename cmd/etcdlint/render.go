package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

// jsonTree is the -json output of x/tools' drivers: package ID → analyzer
// → a list of diagnostics or {"error": ...}. go vet prints one tree per
// unit; the standalone command prints one for all packages.
type jsonTree map[string]map[string]json.RawMessage

// add merges every JSON tree in data (one or more, one after another)
// into t.
func (t jsonTree) add(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var one jsonTree
		if err := dec.Decode(&one); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		for pkg, byName := range one {
			if t[pkg] == nil {
				t[pkg] = map[string]json.RawMessage{}
			}
			for name, v := range byName {
				t[pkg][name] = v
			}
		}
	}
}

// bytes is t as the x/tools driver prints it.
func (t jsonTree) bytes() []byte {
	data, err := json.MarshalIndent(t, "", "\t")
	if err != nil {
		panic(err) // raw messages that decoded once encode again
	}
	return append(data, '\n')
}

type jsonDiag struct {
	Posn    string `json:"posn"`
	End     string `json:"end"`
	Message string `json:"message"`
	Related []struct {
		Posn    string `json:"posn"`
		End     string `json:"end"`
		Message string `json:"message"`
	} `json:"related"`
}

// printText prints the diagnostics of t to w as the text mode does, once
// each although a file belongs to a package and its test variant, sorted
// by position, with contextLines lines of context when it is not negative;
// errors come first. It returns the exit code of the text mode: 1 with
// errors, 3 with diagnostics, else 0.
func (t jsonTree) printText(w io.Writer, contextLines int) (int, error) {
	type item struct {
		analyzer string
		diag     jsonDiag
	}
	var errs []string
	var items []item
	seen := map[string]bool{}
	for pkg, byName := range t {
		for name, v := range byName {
			if bytes.HasPrefix(bytes.TrimSpace(v), []byte("{")) {
				var e struct {
					Err string `json:"error"`
				}
				if err := json.Unmarshal(v, &e); err != nil {
					return 1, fmt.Errorf("package %s, %s: %v", pkg, name, err)
				}
				errs = append(errs, fmt.Sprintf("%s: %s", name, e.Err))
				continue
			}
			var diags []jsonDiag
			if err := json.Unmarshal(v, &diags); err != nil {
				return 1, fmt.Errorf("package %s, %s: %v", pkg, name, err)
			}
			for _, d := range diags {
				key := strings.Join([]string{d.Posn, d.End, name, d.Message}, "\x00")
				if !seen[key] {
					seen[key] = true
					items = append(items, item{name, d})
				}
			}
		}
	}
	sort.Strings(errs)
	errs = compactStrings(errs)
	sort.Slice(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if c := comparePosn(a.diag.Posn, b.diag.Posn); c != 0 {
			return c < 0
		}
		if a.analyzer != b.analyzer {
			return a.analyzer < b.analyzer
		}
		if a.diag.Message != b.diag.Message {
			return a.diag.Message < b.diag.Message
		}
		return comparePosn(a.diag.End, b.diag.End) < 0
	})
	var buf bytes.Buffer
	for _, e := range errs {
		fmt.Fprintln(&buf, e)
	}
	for _, it := range items {
		printPlain(&buf, contextLines, it.diag.Posn, it.diag.End, it.diag.Message)
		for _, r := range it.diag.Related {
			printPlain(&buf, contextLines, r.Posn, r.End, "\t"+r.Message)
		}
	}
	_, err := w.Write(buf.Bytes())
	switch {
	case len(errs) > 0:
		return 1, err
	case len(items) > 0:
		return 3, err
	}
	return 0, err
}

// printPlain prints one position and message as x/tools' text mode does,
// with the lines from posn's to end's and contextLines around them.
func printPlain(w io.Writer, contextLines int, posn, end, message string) {
	fmt.Fprintf(w, "%s: %s\n", posn, message)
	if contextLines < 0 {
		return
	}
	file, line, _ := splitPosn(posn)
	_, endLine, _ := splitPosn(end)
	if endLine == 0 {
		endLine = line
	}
	data, _ := os.ReadFile(file)
	lines := strings.Split(string(data), "\n")
	for i := line - contextLines; i <= endLine+contextLines; i++ {
		if 1 <= i && i <= len(lines) {
			fmt.Fprintf(w, "%d\t%s\n", i, lines[i-1])
		}
	}
}

// splitPosn splits "file:line:col" (token.Position's String form).
func splitPosn(posn string) (file string, line, col int) {
	rest := posn
	nums := make([]int, 0, 2)
	for range 2 {
		i := strings.LastIndexByte(rest, ':')
		if i < 0 {
			break
		}
		n, err := strconv.Atoi(rest[i+1:])
		if err != nil {
			break
		}
		nums = append(nums, n)
		rest = rest[:i]
	}
	switch len(nums) {
	case 2:
		return rest, nums[1], nums[0]
	case 1:
		return rest, nums[0], 0
	}
	return posn, 0, 0
}

func comparePosn(a, b string) int {
	fa, la, ca := splitPosn(a)
	fb, lb, cb := splitPosn(b)
	switch {
	case fa != fb:
		return strings.Compare(fa, fb)
	case la != lb:
		return la - lb
	}
	return ca - cb
}

func compactStrings(s []string) []string {
	var out []string
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}
