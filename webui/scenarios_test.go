package webui

import (
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

const testExamYAML = `# yaml-language-server: $schema=../exam.schema.json
id: test-practice
title: {zh: 测试练习, en: Test practice}
mode: practice
scenarios: [wifi-high-rtt]
draw: 1
time_limit: 10m
pass_mark: 50%
review: after_each
`

// brokenScenario has a YAML syntax error on line 3.
const brokenScenario = "# yaml-language-server: $schema=./schema.json\nid: broken\ntitle: [oops\n"

// testLibrary copies a catalog and one real scenario from the repository's
// scenarios.d into a temporary directory, adds a practice exam and a broken
// file, and returns the directory.
func testLibrary(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	for _, name := range []string{"catalog.yaml", "wifi-high-rtt.yaml"} {
		data, err := os.ReadFile(filepath.Join("..", "scenarios.d", name))
		require.NoError(tb, err)
		require.NoError(tb, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	require.NoError(tb, os.WriteFile(filepath.Join(dir, "broken.yaml"), []byte(brokenScenario), 0o644))
	require.NoError(tb, os.Mkdir(filepath.Join(dir, "exams"), 0o755))
	require.NoError(tb, os.WriteFile(filepath.Join(dir, "exams", "practice.yaml"), []byte(testExamYAML), 0o644))
	return dir
}

func TestScenarioList(t *testing.T) {
	app := newTestApp(t, Config{ScenariosDir: testLibrary(t)})
	c := app.signedIn(t, app.mkUser(t, "tess", store.RoleTrainer))
	rec := c.get("/trainer/scenarios")
	require.Equal(t, http.StatusOK, rec.Code)
	page := body(t, rec)
	for _, name := range []string{"catalog.yaml", "wifi-high-rtt.yaml", "broken.yaml", "exams/practice.yaml"} {
		assert.Contains(t, page, `href="/trainer/scenarios/`+name+`"`)
	}
	assert.Contains(t, page, "Video call from home, the other side always answers late", "a valid scenario shows its title")
	assert.Contains(t, page, "Test practice")
	row := regexp.MustCompile(`(?s)<tr class="broken">.*?broken\.yaml.*?</tr>`).FindString(page)
	require.NotEmpty(t, row, "the broken file is marked")
	assert.Regexp(t, `<code>3:\d+</code>`, row, "with its problems' line:column")
	assert.Equal(t, 1, strings.Count(page, `class="broken"`), "only the broken file")

	t.Run("chinese titles", func(t *testing.T) {
		c.cookies[langCookie] = &http.Cookie{Name: langCookie, Value: "zh-CN"}
		defer delete(c.cookies, langCookie)
		assert.Contains(t, body(t, c.get("/trainer/scenarios")), "在家视频通话，对方说话总是慢半拍")
	})
	t.Run("no directory", func(t *testing.T) {
		app := newTestApp(t, Config{ScenariosDir: filepath.Join(t.TempDir(), "missing")})
		c := app.signedIn(t, app.mkUser(t, "tess", store.RoleTrainer))
		rec := c.get("/trainer/scenarios")
		require.Equal(t, http.StatusOK, rec.Code)
		assert.Contains(t, body(t, rec), "could not be read")
	})
	t.Run("trainee dashboard lists practice by title", func(t *testing.T) {
		page := body(t, app.signedIn(t, app.mkUser(t, "ana", store.RoleTrainee)).get("/dashboard"))
		assert.Contains(t, page, "Test practice")
		assert.NotContains(t, page, "wifi-high-rtt", "no scenario ids on a trainee's page")
		assert.NotContains(t, page, "wifi_congestion")
	})
}

func TestScenarioEditor(t *testing.T) {
	dir := testLibrary(t)
	app := newTestApp(t, Config{ScenariosDir: dir})
	c := app.signedIn(t, app.mkUser(t, "tess", store.RoleTrainer))
	path := filepath.Join(dir, "wifi-high-rtt.yaml")
	original, err := os.ReadFile(path)
	require.NoError(t, err)

	rec := c.get("/trainer/scenarios/wifi-high-rtt.yaml")
	require.Equal(t, http.StatusOK, rec.Code)
	page := body(t, rec)
	assert.Contains(t, page, ">\n"+html.EscapeString(string(original))+"</textarea>")
	assert.Contains(t, page, "None: the file is valid.")
	base := regexp.MustCompile(`name="base" value="([0-9a-f]{64})"`).FindStringSubmatch(page)
	require.Len(t, base, 2)

	t.Run("an invalid save is refused with line:column problems", func(t *testing.T) {
		bad := strings.Replace(string(original), "difficulty: easy", "difficulty: trivial", 1)
		bad = strings.Replace(bad, "version: 1", "version: zero", 1)
		rec := c.post("/trainer/scenarios/wifi-high-rtt.yaml", url.Values{"yaml": {strings.ReplaceAll(bad, "\n", "\r\n")}, "base": {base[1]}, "action": {"save"}})
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
		page := body(t, rec)
		assert.Regexp(t, `data-line="3" data-column="\d+"><code>3:\d+</code>`, page, "version is on line 3")
		assert.Regexp(t, `data-line="12" data-column="13"><code>12:13</code>`, page, "difficulty is on line 12, its value at column 13")
		assert.Contains(t, page, html.EscapeString("difficulty: trivial"), "the text as typed comes back")
		assert.NotContains(t, page, "\r\n", "CRLF from the browser is normalised")
		now, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, original, now, "nothing written")
	})
	t.Run("validate only does not write", func(t *testing.T) {
		changed := string(original) + "# checked\n"
		rec := c.post("/trainer/scenarios/wifi-high-rtt.yaml", url.Values{"yaml": {changed}, "base": {base[1]}, "action": {"validate"}})
		require.Equal(t, http.StatusOK, rec.Code)
		assert.Contains(t, body(t, rec), "No problems found. The file has not been saved yet.")
		now, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, original, now)
	})
	t.Run("a valid save writes and reloads", func(t *testing.T) {
		changed := strings.Replace(string(original), "Video call from home, the other side always answers late", "Home video call, replies come late", 1)
		rec := c.post("/trainer/scenarios/wifi-high-rtt.yaml", url.Values{"yaml": {changed}, "base": {base[1]}, "action": {"save"}})
		require.Equal(t, http.StatusSeeOther, rec.Code, body(t, rec))
		assert.Equal(t, "/trainer/scenarios/wifi-high-rtt.yaml", rec.Header().Get("Location"))
		now, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, changed, string(now))
		assert.Contains(t, body(t, c.get("/trainer/scenarios")), "Home video call, replies come late", "the library was reloaded")
	})
	t.Run("a stale editor does not overwrite", func(t *testing.T) {
		rec := c.post("/trainer/scenarios/wifi-high-rtt.yaml", url.Values{"yaml": {string(original)}, "base": {base[1]}, "action": {"save"}})
		require.Equal(t, http.StatusConflict, rec.Code)
		assert.Contains(t, body(t, rec), "changed by someone else")
	})
	t.Run("fixing a broken file", func(t *testing.T) {
		rec := c.get("/trainer/scenarios/broken.yaml")
		require.Equal(t, http.StatusOK, rec.Code)
		assert.Regexp(t, `<code>3:\d+</code>`, body(t, rec), "the library's problems show on opening")
	})
	t.Run("exam files", func(t *testing.T) {
		rec := c.get("/trainer/scenarios/exams/practice.yaml")
		require.Equal(t, http.StatusOK, rec.Code)
		bad := strings.Replace(testExamYAML, "draw: 1", "draw: 0", 1)
		rec = c.post("/trainer/scenarios/exams/practice.yaml", url.Values{"yaml": {bad}, "base": {"x"}, "action": {"save"}})
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
		assert.Regexp(t, `<code>6:\d+</code>`, body(t, rec))
	})
	t.Run("names outside the library", func(t *testing.T) {
		for _, p := range []string{"/trainer/scenarios/..%2Fsecret.yaml", "/trainer/scenarios/.hidden.yaml",
			"/trainer/scenarios/missing.yaml", "/trainer/scenarios/schema.json", "/trainer/scenarios/exams/..%2Fcatalog.yaml"} {
			assert.Equal(t, http.StatusNotFound, c.get(p).Code, p)
		}
	})
}
