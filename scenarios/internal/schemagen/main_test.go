package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCommittedSchemasAreFresh fails when a Go type changed and nobody ran
// `go generate ./scenarios/`.
func TestCommittedSchemasAreFresh(t *testing.T) {
	// generate reads doc comments relative to the scenarios package, as it
	// does when go generate runs it there.
	t.Chdir("../..")
	files, err := generate(".")
	require.NoError(t, err)
	require.Len(t, files, 3)
	for name, want := range files {
		t.Run(name, func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join("..", "scenarios.d", name))
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got), "stale %s: run go generate ./scenarios/", name)
		})
	}
}

func TestSchemasDescribeFields(t *testing.T) {
	t.Chdir("../..")
	files, err := generate(".")
	require.NoError(t, err)
	schema := string(files["schema.json"])
	for _, want := range []string{
		`"additionalProperties": false`,
		`"RootCause is a cause id from the catalog."`,
		`"pattern": "^[0-9]+(\\.[0-9]+)?%(\\s*\\.\\.\\s*[0-9]+(\\.[0-9]+)?%)?$"`,
	} {
		assert.Contains(t, schema, want)
	}
}
