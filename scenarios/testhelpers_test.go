package scenarios

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

const libraryDir = "../scenarios.d"

// loadLibrary loads the real library and insists it is clean, so every
// test built on it starts from valid scenarios.
func loadLibrary(tb testing.TB) *Library {
	tb.Helper()
	lib, err := Load(libraryDir)
	require.NoError(tb, err)
	require.Empty(tb, lib.Problems(), "scenarios.d must validate")
	return lib
}

func loadCatalog(tb testing.TB) *Catalog {
	tb.Helper()
	cat, err := LoadCatalog(filepath.Join(libraryDir, CatalogFile))
	require.NoError(tb, err)
	return cat
}

// loadFixture parses a scenario from testdata/valid.
func loadFixture(tb testing.TB, name string) *Scenario {
	tb.Helper()
	path := filepath.Join("testdata", "valid", name)
	s, err := ParseScenario(path, readFile(tb, path), loadCatalog(tb))
	require.NoError(tb, err)
	return s
}

func readFile(tb testing.TB, path string) []byte {
	tb.Helper()
	data, err := os.ReadFile(path)
	require.NoError(tb, err)
	return data
}

// problemLines renders problems the way `rtcdrill validate` prints them.
func problemLines(err error) []string {
	ps, ok := err.(Problems)
	if !ok {
		if err == nil {
			return nil
		}
		return []string{"not Problems: " + err.Error()}
	}
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return lines
}
