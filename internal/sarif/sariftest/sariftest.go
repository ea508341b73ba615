// Package sariftest validates SARIF logs against the SARIF 2.1.0 JSON schema
// kept in internal/sarif/testdata. It is for tests: it reads the schema from
// the source tree.
package sariftest

import (
	"bytes"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// SchemaFile is the schema's file name under internal/sarif/testdata.
const SchemaFile = "sarif-2.1.0-rtm.5.json"

var (
	once       sync.Once
	schema     *jsonschema.Schema
	errCompile error
)

// SchemaPath returns the path of the schema file in the source tree.
func SchemaPath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", SchemaFile)
}

// Validate reports whether data is a SARIF log that the schema accepts,
// with format assertions (uri, date-time) on.
func Validate(data []byte) error {
	once.Do(func() {
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		schema, errCompile = c.Compile(SchemaPath())
	})
	if errCompile != nil {
		return fmt.Errorf("compiling %s: %v", SchemaPath(), errCompile)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	return schema.Validate(inst)
}
