// Command schemagen writes the JSON Schemas of the scenario, catalog and exam
// files from the Go types of package scenarios, so editors check the same
// rules as the loader. Run it through `go generate ./scenarios/` (it needs
// the scenarios package directory as its working directory to read the
// field comments that become descriptions).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/invopop/jsonschema"

	"github.com/rtcdrill/rtcdrill/scenarios"
)

const pkgPath = "github.com/rtcdrill/rtcdrill/scenarios"

func main() {
	out := flag.String("out", "../scenarios.d", "directory to write the schema files into")
	flag.Parse()
	files, err := generate(".")
	if err != nil {
		fmt.Fprintln(os.Stderr, "schemagen:", err)
		os.Exit(1)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(*out, name), data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "schemagen:", err)
			os.Exit(1)
		}
	}
}

// generate returns the schema files by name; srcDir is the scenarios package
// directory, whose doc comments become the schema's descriptions.
func generate(srcDir string) (map[string][]byte, error) {
	r := &jsonschema.Reflector{
		FieldNameTag:               "yaml",
		RequiredFromJSONSchemaTags: true,
	}
	if err := r.AddGoComments(pkgPath, srcDir); err != nil {
		return nil, fmt.Errorf("read comments in %s: %w", srcDir, err)
	}
	out := make(map[string][]byte)
	for name, v := range map[string]any{
		scenarios.ScenarioSchema: &scenarios.Scenario{},
		scenarios.CatalogSchema:  &scenarios.Catalog{},
		scenarios.ExamSchema:     &scenarios.Exam{},
	} {
		data, err := json.MarshalIndent(r.Reflect(v), "", "  ")
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
		out[name] = append(bytes.TrimSpace(data), '\n')
	}
	return out, nil
}
