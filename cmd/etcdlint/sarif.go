package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"

	"github.com/etcdlint/etcdlint/internal/analyzerdoc"
	"github.com/etcdlint/etcdlint/internal/sarif"
	"github.com/etcdlint/etcdlint/passes/registry"
)

// runSARIF runs etcdlint again with -json and the same arguments, and
// prints the result as a SARIF 2.1.0 log. Messages the analysis prints on
// stderr (package load errors) pass through and are recorded in the log.
// The exit code is that of the text mode: 0, 3 with results, 1 on errors.
func runSARIF(args []string) int {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			break
		}
		switch n, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); n {
		case "json", "fix", "diff", "flags":
			fmt.Fprintf(os.Stderr, "etcdlint: -sarif cannot be combined with -%s\n", n)
			return 1
		}
	}
	if helpRequested(args) {
		fmt.Fprintln(os.Stderr, "etcdlint: -sarif cannot be combined with help")
		return 1
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "etcdlint: %v\n", err)
		return 1
	}
	cmd := exec.Command(exe, append([]string{"-json"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = io.MultiWriter(os.Stderr, &stderr)
	code := 0
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			fmt.Fprintf(os.Stderr, "etcdlint: %v\n", err)
			return 1
		}
		code = exit.ExitCode()
	}

	var msgs []string
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			msgs = append(msgs, line)
		}
	}
	wd, _ := os.Getwd()
	log, err := sarif.Convert(stdout.Bytes(), rules(), sarif.Options{
		ToolName:       "etcdlint",
		ToolVersion:    version(),
		InformationURI: "https://github.com/etcdlint/etcdlint",
		BaseDir:        wd,
		CommandLine:    strings.Join(append([]string{"etcdlint", "-sarif"}, args...), " "),
		ExitCode:       code,
		Errors:         msgs,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "etcdlint: %v\n", err)
		return 1
	}
	out, err := sarif.Write(log)
	if err != nil {
		fmt.Fprintf(os.Stderr, "etcdlint: %v\n", err)
		return 1
	}
	if _, err := os.Stdout.Write(out); err != nil {
		return 1
	}
	switch {
	case code != 0 || !log.Runs[0].Invocations[0].ExecutionSuccessful:
		return 1
	case len(log.Runs[0].Results) > 0:
		return 3
	}
	return 0
}

// rules describes every registered pass.
func rules() []sarif.Rule {
	var out []sarif.Rule
	for _, e := range registry.Entries {
		a := e.Analyzer
		_, body, _ := strings.Cut(a.Doc, "\n")
		r := sarif.Rule{
			ID:      a.Name,
			Summary: analyzerdoc.Summary(a.Doc),
			Doc:     strings.TrimSpace(body),
			HelpURI: a.URL,
			Enabled: e.Default,
		}
		if e.Since != "" {
			r.Properties = map[string]any{"since": e.Since}
		}
		out = append(out, r)
	}
	return out
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
