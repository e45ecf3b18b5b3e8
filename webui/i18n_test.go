package webui

import (
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

func TestLanguageChoice(t *testing.T) {
	app := newTestApp(t, Config{})
	tests := []struct {
		name, accept, cookie string
		wantLang, wantText   string
	}{
		{"default", "", "", "en", "Sign in"},
		{"browser prefers Chinese", "zh-CN,zh;q=0.9,en;q=0.8", "", "zh-CN", "登录"},
		{"plain zh", "zh", "", "zh-CN", "登录"},
		{"English first", "en-GB,zh;q=0.5", "", "en", "Sign in"},
		{"unsupported falls back", "fr-FR", "", "en", "Sign in"},
		{"cookie beats the browser", "zh-CN", "en", "en", "Sign in"},
		{"cookie picks Chinese", "en", "zh-CN", "zh-CN", "登录"},
		{"bogus cookie ignored", "zh-CN", "xx", "zh-CN", "登录"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := app.client(t)
			if tt.accept != "" {
				c.header.Set("Accept-Language", tt.accept)
			}
			if tt.cookie != "" {
				c.cookies[langCookie] = &http.Cookie{Name: langCookie, Value: tt.cookie}
			}
			page := body(t, c.get("/signin"))
			assert.Contains(t, page, `<html lang="`+tt.wantLang+`">`)
			assert.Contains(t, page, "<h1>"+tt.wantText+"</h1>")
		})
	}

	t.Run("switch link", func(t *testing.T) {
		c := app.client(t)
		rec := c.get("/lang/zh-CN?next=/signin%3Fnext%3D%252Fdashboard")
		require.Equal(t, http.StatusSeeOther, rec.Code)
		assert.Equal(t, "/signin?next=%2Fdashboard", rec.Header().Get("Location"))
		assert.Equal(t, "zh-CN", c.cookies[langCookie].Value)
		assert.Contains(t, body(t, c.get("/signin")), `<html lang="zh-CN">`)
		assert.Equal(t, "/", c.get("/lang/en?next=//evil.example").Header().Get("Location"))
		assert.Equal(t, http.StatusNotFound, c.get("/lang/fr").Code)
	})

	t.Run("messages in forms follow the language", func(t *testing.T) {
		c := app.client(t)
		c.header.Set("Accept-Language", "zh-CN")
		rec := c.signIn("nobody", "whatever")
		assert.Contains(t, body(t, rec), "用户名或密码错误。")
	})
}

// TestCatalogs keeps the two languages in step: the same keys, the same
// format verbs, and every key the templates and handlers use.
func TestCatalogs(t *testing.T) {
	cat, err := loadCatalog()
	require.NoError(t, err)
	en, zh := cat.msgs["en"], cat.msgs["zh-CN"]
	verbs := regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*[a-zA-Z%]`)
	for k, v := range en {
		zv, ok := zh[k]
		if !assert.True(t, ok, "zh-CN lacks %q", k) {
			continue
		}
		assert.Len(t, verbs.FindAllString(zv, -1), len(verbs.FindAllString(v, -1)), "format verbs of %q", k)
		assert.NotEmpty(t, zv, k)
	}
	for k := range zh {
		assert.Contains(t, en, k, "en lacks %q", k)
	}

	used, plural := map[string]bool{}, map[string]bool{}
	counted := regexp.MustCompile(`\.N[( ]"([a-z_.0-9]+)"`)
	patterns := []*regexp.Regexp{
		regexp.MustCompile(`\.T "([a-z_.0-9]+)"`),
		regexp.MustCompile(`\.T\("([a-z_.0-9]+)"`),
		regexp.MustCompile(`(?:setFlash\(c, |"hint:)"?([a-z_]+\.[a-z_.0-9]+)"`),
		regexp.MustCompile(`field \.L \S+ "[a-z_]+" "[a-z]+" "([a-z_.]+)"`),
	}
	err = fs.WalkDir(staticFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(staticFS, p)
		collect(patterns, string(data), used)
		collect([]*regexp.Regexp{counted}, string(data), plural)
		return err
	})
	require.NoError(t, err)
	goFiles, err := filepath.Glob("*.go")
	require.NoError(t, err)
	for _, f := range goFiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		collect(patterns, string(data), used)
		collect([]*regexp.Regexp{counted}, string(data), plural)
	}
	require.Greater(t, len(used), 50, "the scan finds the keys")
	for k := range used {
		assert.Contains(t, en, k, "used but not in the catalog")
	}
	require.Len(t, plural, 2, "the scan finds the counted messages")
	for k := range plural {
		assert.Contains(t, en, k+".one")
		assert.Contains(t, en, k+".other")
	}
	for _, k := range []string{"scenario", "catalog", "exam"} {
		assert.Contains(t, en, "scenarios.kind_"+k)
	}
	for _, r := range store.Roles() {
		assert.Contains(t, en, "role."+string(r))
	}
	for _, s := range []store.AttemptStatus{store.StatusInProgress, store.StatusSubmitted, store.StatusExpired} {
		assert.Contains(t, en, "status."+string(s))
	}
}

func collect(patterns []*regexp.Regexp, text string, into map[string]bool) {
	for _, p := range patterns {
		for _, m := range p.FindAllStringSubmatch(text, -1) {
			into[m[1]] = true
		}
	}
}
