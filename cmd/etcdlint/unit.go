package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// unitsFlag marks the go vet units that the cached standalone command runs
// (cached.go). As a flag it is part of go vet's cache key, so these units'
// results never mix with those of a plain go vet -vettool=etcdlint.
const (
	unitsFlag  = "standalone-units"
	unitsUsage = "set by etcdlint itself when it runs go vet for its cache: label each unit's -json output as the standalone command does"
)

// The go vet unit of a package p with in-package tests is the package
// built with its tests ("p [p.test]" to go list), and its -json output
// names it "p"; the unit of p's external tests is named "p_test". The
// standalone command analyses p without its tests as "p", p with them as
// "p [p.test]" and the external tests as "p_test [p.test]". With
// -standalone-units a unit produces exactly that: the unit of p with
// tests analyses p's non-test files as "p" too (in a process of its own, on
// the same dependencies' facts), and with -test=false only those.

// unitConfig is the part of go vet's unit configuration (the .cfg file,
// unitchecker.Config) that a standalone unit reads; the rest is copied as
// it is.
type unitConfig struct {
	ID         string
	ImportPath string
	GoFiles    []string
	VetxOnly   bool
	VetxOutput string
	Stdout     string
}

// unitRequested reports whether args are those of a go vet unit run for the
// cached standalone command: flags, -standalone-units among them, and the
// unit's .cfg file.
func unitRequested(args []string) bool {
	if len(args) == 0 || !strings.HasSuffix(args[len(args)-1], ".cfg") {
		return false
	}
	return boolFlag(args[:len(args)-1], unitsFlag, false)
}

// runUnit runs one go vet unit for the cached standalone command. It
// returns the arguments with which main should run the unit itself (the
// x/tools driver, in this process) or, when it ran the unit in other
// processes, done and the exit code.
func runUnit(args []string) (rest []string, code int, done bool) {
	cfgFile := args[len(args)-1]
	var flags []string // without -standalone-units: the processes below analyse as told
	for _, a := range args[:len(args)-1] {
		if n, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); n != unitsFlag {
			flags = append(flags, a)
		}
	}
	raw, cfg, err := readUnitConfig(cfgFile)
	if err != nil {
		fmt.Fprintf(os.Stderr, "etcdlint: %v\n", err)
		return nil, 1, true
	}
	debugUnit(cfg)
	if cfg.VetxOnly {
		return append(flags, cfgFile), 0, false // facts for the units that import it
	}
	tests := boolFlag(flags, "test", true)
	var nonTest []string
	for _, f := range cfg.GoFiles {
		if !strings.HasSuffix(f, "_test.go") {
			nonTest = append(nonTest, f)
		}
	}
	// The derived configurations and outputs go beside the unit's own, in
	// go vet's work directory for the unit, which go vet removes.
	tmp := filepath.Dir(cfgFile)

	switch {
	case len(nonTest) == len(cfg.GoFiles):
		// A package without in-package tests: the standalone's "p".
		return append(flags, cfgFile), 0, false
	case len(nonTest) == 0:
		// The external test package "p_test".
		if !tests {
			return nil, emptyUnit(cfg), true
		}
		id := strings.TrimSuffix(cfg.ImportPath, "_test")
		derived, err := writeUnitConfig(raw, tmp, "etcdlint-xtest.cfg", map[string]any{"ID": cfg.ImportPath + " [" + id + ".test]"})
		if err != nil {
			fmt.Fprintf(os.Stderr, "etcdlint: %v\n", err)
			return nil, 1, true
		}
		return append(append([]string(nil), flags...), derived), 0, false
	}

	// A package with in-package tests: "p" from its non-test files, and,
	// with tests, "p [p.test]" from all of them, whose facts the external
	// tests import.
	var outs []string
	run := func(name string, override map[string]any) int {
		out := filepath.Join(tmp, "etcdlint-"+name+".json")
		override["Stdout"] = out
		derived, err := writeUnitConfig(raw, tmp, "etcdlint-"+name+".cfg", override)
		if err != nil {
			fmt.Fprintf(os.Stderr, "etcdlint: %v\n", err)
			return 1
		}
		if code := runSelf(append(append([]string(nil), flags...), derived)); code != 0 {
			return code
		}
		outs = append(outs, out)
		return 0
	}
	vetx := filepath.Join(tmp, "etcdlint-nontest.vetx")
	if !tests {
		vetx = cfg.VetxOutput
	}
	if code := run("nontest", map[string]any{"GoFiles": nonTest, "VetxOutput": vetx}); code != 0 {
		return nil, code, true
	}
	if tests {
		if code := run("test", map[string]any{"ID": cfg.ImportPath + " [" + cfg.ImportPath + ".test]"}); code != 0 {
			return nil, code, true
		}
	}
	if err := mergeUnitOutputs(cfg.Stdout, outs); err != nil {
		fmt.Fprintf(os.Stderr, "etcdlint: %v\n", err)
		return nil, 1, true
	}
	return nil, 0, true
}

// debugUnit prints, with ETCDLINT_DEBUG=units, each unit that go vet ran
// (not served from its cache): what tests count to see what was analysed
// again.
func debugUnit(cfg *unitConfig) {
	if !strings.Contains(os.Getenv("ETCDLINT_DEBUG"), "units") {
		return
	}
	kind := "diagnostics"
	if cfg.VetxOnly {
		kind = "facts"
	}
	fmt.Fprintf(os.Stderr, "etcdlint: unit: %s (%s)\n", cfg.ID, kind)
}

func readUnitConfig(file string) (map[string]json.RawMessage, *unitConfig, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	var raw map[string]json.RawMessage
	cfg := new(unitConfig)
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, nil, fmt.Errorf("%s: %v", file, err)
	}
	if err := json.Unmarshal(data, cfg); err != nil {
		return nil, nil, fmt.Errorf("%s: %v", file, err)
	}
	return raw, cfg, nil
}

// writeUnitConfig writes raw with the fields of override replaced to
// dir/name and returns its path.
func writeUnitConfig(raw map[string]json.RawMessage, dir, name string, override map[string]any) (string, error) {
	m := maps.Clone(raw)
	for k, v := range override {
		b, err := json.Marshal(v)
		if err != nil {
			return "", err
		}
		m[k] = b
	}
	data, err := json.Marshal(m)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, name)
	return path, os.WriteFile(path, data, 0o644)
}

// emptyUnit completes a unit that analyses nothing (the external tests
// under -test=false): go vet caches a unit only with its facts file.
func emptyUnit(cfg *unitConfig) int {
	for _, f := range []string{cfg.VetxOutput, cfg.Stdout} {
		if f == "" {
			continue
		}
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "etcdlint: %v\n", err)
			return 1
		}
	}
	return 0
}

// runSelf runs this executable with args, its stderr passed through, and
// returns its exit code.
func runSelf(args []string) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "etcdlint: %v\n", err)
		return 1
	}
	cmd := exec.Command(exe, args...)
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode()
		}
		fmt.Fprintf(os.Stderr, "etcdlint: %v\n", err)
		return 1
	}
	return 0
}

// mergeUnitOutputs writes to out the JSON trees of the files in one tree.
func mergeUnitOutputs(out string, files []string) error {
	tree := jsonTree{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := tree.add(data); err != nil {
			return fmt.Errorf("%s: %v", f, err)
		}
	}
	if out == "" {
		return nil
	}
	return os.WriteFile(out, tree.bytes(), 0o644)
}

// boolFlag returns the value of the boolean flag name in flags (the last
// one given), or def.
func boolFlag(flags []string, name string, def bool) bool {
	v := def
	for _, a := range flags {
		if !strings.HasPrefix(a, "-") {
			break
		}
		n, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if n != name {
			continue
		}
		if !hasValue {
			v = true
		} else if b, err := strconv.ParseBool(value); err == nil {
			v = b
		}
	}
	return v
}
