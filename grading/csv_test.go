package grading

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// trickyData renames users and teams to strings a spreadsheet or a naive
// CSV writer would mangle.
func trickyData() []Result {
	names := map[string]string{"u1": "=HYPERLINK(\"x\")", "u2": "'quoted", "u3": "a,b \"c\"\nd", "u4": "张三", "u5": "-5"}
	data := examData()
	for i := range data {
		data[i].Attempt.UserID = names[data[i].Attempt.UserID]
		data[i].Attempt.Team = "+" + data[i].Attempt.Team
		data[i].Attempt.RootCause = "@" + data[i].Attempt.RootCause
	}
	return data
}

func TestAttemptsCSVRoundTrip(t *testing.T) {
	g := newTestGrader(t, WithAllAttempts())
	data := trickyData()
	tr, err := g.TraineeReport(data, "=HYPERLINK(\"x\")")
	require.NoError(t, err)
	sc, err := g.ScenarioReport(data, "A")
	require.NoError(t, err)
	tests := []struct {
		name string
		rows []AttemptRow
		w    func(*bytes.Buffer) error
	}{
		{"trainee", tr.Attempts, func(b *bytes.Buffer) error { return tr.WriteCSV(b) }},
		{"scenario", sc.Submissions, func(b *bytes.Buffer) error { return sc.WriteCSV(b) }},
		{"empty", []AttemptRow{}, func(b *bytes.Buffer) error { return WriteAttemptsCSV(b, nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, tt.w(&buf))
			assertNoFormulaCells(t, buf.String())
			assert.True(t, strings.HasPrefix(buf.String(), AttemptsCSVHeader+"\n"))
			back, err := ParseAttemptsCSV(&buf)
			require.NoError(t, err)
			assert.Equal(t, tt.rows, back)
		})
	}
	require.Len(t, sc.Submissions, 6)
}

func TestMembersCSVRoundTrip(t *testing.T) {
	g := newTestGrader(t)
	data := trickyData()
	for _, team := range []string{"+t1", "+t2", "nobody"} {
		t.Run(team, func(t *testing.T) {
			rep, err := g.TeamReport(data, team)
			require.NoError(t, err)
			var buf bytes.Buffer
			require.NoError(t, rep.WriteCSV(&buf))
			assertNoFormulaCells(t, buf.String())
			back, err := ParseMembersCSV(&buf)
			require.NoError(t, err)
			assert.Equal(t, rep.Members, back)
		})
	}
}

func TestMembersCSVNA(t *testing.T) {
	// A member row with undefined figures writes n/a and reads back undefined.
	rows := []MemberRow{{Rank: 1, UserID: "u", Check: TargetCheck{StatusNA, StatusNA, StatusNA}}}
	var buf bytes.Buffer
	require.NoError(t, WriteMembersCSV(&buf, rows))
	assert.Equal(t, MembersCSVHeader+"\nu,1,,0,n/a,n/a,n/a,n/a,n/a,0,n/a,n/a,n/a,false\n", buf.String())
	back, err := ParseMembersCSV(&buf)
	require.NoError(t, err)
	assert.Equal(t, rows, back)
}

func TestSittingsCSVRoundTrip(t *testing.T) {
	g := newTestGrader(t, WithAllAttempts())
	data := append(trickyData(), results(spec{user: "u9", exam: "E", no: 1, scenario: "A", score: 100, rootCause: "rc-a"})...)
	rep, err := g.ExamReport(data, "E")
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, rep.WriteCSV(&buf))
	assertNoFormulaCells(t, buf.String())
	assert.True(t, strings.HasPrefix(buf.String(), SittingsCSVHeader+",item:A,item:B,item:C\n"))
	ids, back, err := ParseSittingsCSV(&buf)
	require.NoError(t, err)
	assert.Equal(t, []string{"A", "B", "C"}, ids)
	assert.Equal(t, rep.Sittings, back)
	require.Len(t, back, 6)
	require.Equal(t, "u9", back[0].UserID, "u9 sat first (09:00)")
	assert.Equal(t, []Figure{Known(100), {}, {}}, back[0].Items, "u9 submitted only A")
}

func TestParseCSVRejects(t *testing.T) {
	goodAttempt := "u1,t1,E,1,A,network,1,2025-03-03T09:10:00Z,100,rc-a,true,true,false,120,0,5"
	tests := []struct {
		name  string
		parse func(string) error
		in    string
	}{
		{"attempts: empty", parseAttempts, ""},
		{"attempts: wrong header", parseAttempts, "user,team\n"},
		{"attempts: short row", parseAttempts, AttemptsCSVHeader + "\nu1,t1\n"},
		{"attempts: long row", parseAttempts, AttemptsCSVHeader + "\n" + goodAttempt + ",x\n"},
		{"attempts: NaN score", parseAttempts, AttemptsCSVHeader + "\n" + strings.Replace(goodAttempt, ",100,", ",NaN,", 1) + "\n"},
		{"attempts: n/a score", parseAttempts, AttemptsCSVHeader + "\n" + strings.Replace(goodAttempt, ",100,", ",n/a,", 1) + "\n"},
		{"attempts: bad time", parseAttempts, AttemptsCSVHeader + "\n" + strings.Replace(goodAttempt, "2025-03-03T09:10:00Z", "yesterday", 1) + "\n"},
		{"attempts: bad bool", parseAttempts, AttemptsCSVHeader + "\n" + strings.Replace(goodAttempt, "true,true", "yes,true", 1) + "\n"},
		{"members: bad status", parseMembers, MembersCSVHeader + "\nu,1,t,1,50,0,60,0,2,0,ok,met,met,false\n"},
		{"members: ready disagrees", parseMembers, MembersCSVHeader + "\nu,1,t,1,50,90,60,90,5,0,met,met,met,false\n"},
		{"members: Inf", parseMembers, MembersCSVHeader + "\nu,1,t,1,Inf,90,60,90,5,0,met,met,met,true\n"},
		{"sittings: not an item column", parseSittings, SittingsCSVHeader + ",A\n"},
		{"sittings: missing item cell", parseSittings, SittingsCSVHeader + ",item:A\nu,t,E,1,2025-03-03T09:10:00Z,50,false\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Error(t, tt.parse(tt.in))
		})
	}
	// the unmodified row parses, so the rejections above are about the change.
	require.NoError(t, parseAttempts(AttemptsCSVHeader+"\n"+goodAttempt+"\n"))
	require.NoError(t, parseMembers(MembersCSVHeader+"\nu,1,t,1,50,90,60,90,5,0,met,met,met,true\n"))
}

func parseAttempts(s string) error { _, err := ParseAttemptsCSV(strings.NewReader(s)); return err }
func parseMembers(s string) error  { _, err := ParseMembersCSV(strings.NewReader(s)); return err }
func parseSittings(s string) error { _, _, err := ParseSittingsCSV(strings.NewReader(s)); return err }

func TestEscapeText(t *testing.T) {
	for _, s := range []string{"", "plain", "=1+1", "+1", "-1", "@SUM", "\tx", "\rx", "'", "''x", "'=x", "中文"} {
		t.Run(s, func(t *testing.T) {
			e := escapeText(s)
			assert.Equal(t, s, unescapeText(e))
			if e != "" {
				assert.NotContains(t, "=+-@\t\r", e[:1])
			}
		})
	}
}

// assertNoFormulaCells checks that no text cell would run as a spreadsheet
// formula. Numeric cells may start with "-" (a negative number is not a
// formula), so only cells that do not parse as numbers are checked.
func assertNoFormulaCells(tb testing.TB, text string) {
	tb.Helper()
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	require.NoError(tb, err)
	for _, rec := range recs {
		for _, cell := range rec {
			if cell == "" || isNumber(cell) {
				continue
			}
			assert.NotContains(tb, "=+-@\t\r", cell[:1], "cell %q", cell)
		}
	}
}

func isNumber(s string) bool { f, err := ParseFigure(s); return err == nil && f.OK }
