package scenarios

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHostileInput(t *testing.T) {
	header := "# yaml-language-server: $schema=./schema.json\n"
	tests := []struct {
		name string
		data string
		want string
	}{
		{name: "over the size cap", data: header + "id: x\n#" + strings.Repeat("x", MaxFileSize),
			want: "big.yaml:1:1: file is 1048629 bytes, over the 1048576 byte limit"},
		{name: "empty", data: "", want: "big.yaml:1:1: file holds no YAML document\n" +
			"big.yaml:1:1: first line must be \"# yaml-language-server: $schema=...\" ending in schema.json so editors check the file"},
		{name: "header only", data: header, want: "big.yaml:1:1: file holds no YAML document"},
		{name: "deep lists", data: header + "id: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n",
			want: "big.yaml:2:36: nesting deeper than 32 levels"},
		{name: "alias reused deeper than it was defined", data: header + "a: &a " + strings.Repeat("[", 20) + strings.Repeat("]", 20) +
			"\nb: " + strings.Repeat("[", 15) + "*a" + strings.Repeat("]", 15) + "\n",
			want: "big.yaml:3:19: nesting deeper than 32 levels"},
		{name: "a plain scalar list bomb", data: header + "id: [" + strings.TrimSuffix(strings.Repeat("1,", MaxNodes), ",") + "]\n",
			want: "big.yaml:2:5: document expands to more than 50000 nodes (aliases included)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseScenario("big.yaml", []byte(tt.data), nil)
			require.Error(t, err)
			assert.Equal(t, strings.Split(tt.want, "\n"), problemLines(err))
		})
	}
}

func TestProblemsAreCapped(t *testing.T) {
	data := "# yaml-language-server: $schema=./schema.json\n" + strings.Repeat("x: 1\n", 300)
	_, err := ParseScenario("many.yaml", []byte(data), nil)
	lines := problemLines(err)
	require.Len(t, lines, MaxProblems+1)
	assert.Equal(t, `many.yaml:2:1: answer: missing required field "answer"`, lines[0], "sorted by position first")
	assert.Equal(t, "many.yaml:191:1: 110 more problem(s) not shown; fix the ones above first", lines[MaxProblems])
}

// TestAliasesWithinLimitsWork: anchors are a normal YAML tool; only abuse
// is refused.
func TestAliasesWithinLimitsWork(t *testing.T) {
	data := string(readFile(t, "testdata/valid/ramp.yaml"))
	data = strings.Replace(data, "downlink: {delay: 50ms}", "downlink: *up0", 1)
	data = strings.Replace(data, "uplink: {loss: 2%, delay: 100ms, rate: 2Mbps, queue: 100ms}",
		"uplink: &up0 {loss: 2%, delay: 100ms, rate: 2Mbps, queue: 100ms}", 1)
	s, err := ParseScenario("aliases.yaml", []byte(data), loadCatalog(t))
	require.NoError(t, err)
	up, down := s.Variant(1).ImpairmentAt(0)
	assert.Equal(t, up, down)
}
