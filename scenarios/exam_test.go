package scenarios

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExamDraw(t *testing.T) {
	lib := loadLibrary(t)
	tests := []struct {
		exam     string
		poolSize int
		mode     string
	}{
		{exam: "certification", poolSize: len(lib.Scenarios()), mode: "exam"},
		{exam: "network-basics-practice", mode: "practice"},
	}
	for _, tt := range tests {
		t.Run(tt.exam, func(t *testing.T) {
			e, err := lib.Exam(tt.exam)
			require.NoError(t, err)
			assert.Equal(t, tt.mode, e.Mode)
			pool := lib.Pool(e)
			if tt.poolSize > 0 {
				assert.Len(t, pool, tt.poolSize)
			}
			first, err := lib.Draw(e, 99)
			require.NoError(t, err)
			again, err := lib.Draw(e, 99)
			require.NoError(t, err)
			assert.Equal(t, ids(first), ids(again), "the same seed rebuilds the same attempt")
			assert.Len(t, first, e.Draw)
			seen := make(map[string]bool)
			for _, s := range first {
				assert.False(t, seen[string(s.ID)], "drawn twice: %s", s.ID)
				seen[string(s.ID)] = true
				assert.Contains(t, ids(pool), string(s.ID))
			}
			draws := make(map[string]bool)
			for seed := range uint64(30) {
				d, err := lib.Draw(e, seed)
				require.NoError(t, err)
				draws[join(ids(d))] = true
			}
			assert.Greater(t, len(draws), 10, "seeds vary the draw")
		})
	}
}

func TestExamDrawNeedsAPool(t *testing.T) {
	lib := loadLibrary(t)
	_, err := lib.Draw(&Exam{ID: "x", Tags: []Slug{"no-such-tag"}, Draw: 1}, 1)
	assert.Error(t, err)
}

func ids(ss []*Scenario) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s.ID)
	}
	return out
}

func join(ss []string) string {
	out := ""
	for _, s := range ss {
		out += s + ","
	}
	return out
}
