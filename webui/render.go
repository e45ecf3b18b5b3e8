package webui

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

//go:embed templates static
var staticFS embed.FS

// pages holds every page template, parsed once at start-up. Each page is
// the layout and partials plus that page's "content", so pages cannot see
// each other's blocks.
type pages struct {
	byName map[string]*template.Template
}

func loadPages() (*pages, error) {
	files, err := fs.Glob(staticFS, "templates/pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("load pages: %w", err)
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		t, err := template.New(name).Funcs(templateFuncs()).
			ParseFS(staticFS, "templates/layout.html", "templates/partials/*.html", f)
		if err != nil {
			return nil, fmt.Errorf("load page %s: %w", name, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"field":   newField,
		"roles":   store.Roles,
		"dict":    dict,
		"minutes": func(seconds int) int { return (seconds + 59) / 60 },
		"percent": func(v *float64) string { return fmt.Sprintf("%.0f%%", *v*100) },
	}
}

// dict builds a map from key/value pairs, to hand a partial several values.
func dict(pairs ...any) (map[string]any, error) {
	if len(pairs)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		k, ok := pairs[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", pairs[i])
		}
		m[k] = pairs[i+1]
	}
	return m, nil
}

// view is what every page template gets; Data is the page's own part.
type view struct {
	L     *Locale
	User  *store.User
	CSRF  string
	Path  string
	Title string
	Flash string
	Nav   []navItem
	Langs []langLink
	Data  any
}

// navItem is one link of the main navigation.
type navItem struct {
	Href    string
	Label   string
	Current bool
}

// langLink is one entry of the language switcher.
type langLink struct {
	Code, Label, Href string
	Current           bool
}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 rather than half a page.
func (s *Server) render(c echo.Context, status int, page, title string, data any) error {
	t, ok := s.pages.byName[page]
	if !ok {
		return fmt.Errorf("render: no page %q", page)
	}
	loc := s.locale(c)
	v := view{
		L: loc, User: currentUser(c), Path: c.Request().URL.Path, Title: title,
		Flash: s.takeFlash(c, loc), Nav: s.nav(c, loc), Langs: s.langLinks(c), Data: data,
	}
	if tok, ok := c.Get(csrfContextKey).(string); ok {
		v.CSRF = tok
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

func (s *Server) nav(c echo.Context, loc *Locale) []navItem {
	u := currentUser(c)
	if u == nil || u.MustChangePassword {
		return nil
	}
	items := []navItem{{Href: "/dashboard", Label: loc.T("nav.dashboard")}}
	if u.Role == store.RoleTrainer || u.Role == store.RoleAdmin {
		items = append(items, navItem{Href: "/trainer/scenarios", Label: loc.T("nav.scenarios")},
			navItem{Href: "/trainer/exams", Label: loc.T("nav.exams")})
	}
	if u.Role != store.RoleTrainee {
		items = append(items, navItem{Href: "/reports", Label: loc.T("nav.reports")})
	}
	if u.Role == store.RoleAdmin {
		items = append(items,
			navItem{Href: "/admin/users", Label: loc.T("nav.users")},
			navItem{Href: "/admin/teams", Label: loc.T("nav.teams")})
	}
	items = append(items, navItem{Href: "/account", Label: loc.T("nav.account")})
	items = append(items, navItem{Href: "/password", Label: loc.T("nav.password")})
	p := c.Request().URL.Path
	for i := range items {
		items[i].Current = p == items[i].Href || strings.HasPrefix(p, items[i].Href+"/")
	}
	return items
}

func (s *Server) langLinks(c echo.Context) []langLink {
	cur := s.locale(c).Lang
	next := c.Request().URL.RequestURI()
	if c.Request().Method != http.MethodGet {
		next = c.Request().URL.Path
	}
	links := make([]langLink, 0, len(s.catalog.langs))
	for _, code := range s.catalog.langs {
		links = append(links, langLink{
			Code: code, Label: s.catalog.locale(code).T("lang.name"),
			Href: "/lang/" + code + "?next=" + url.QueryEscape(next), Current: code == cur,
		})
	}
	return links
}

// flashCookie carries a message key across a redirect. Only catalog keys
// under "flash." are honoured, so a forged cookie cannot inject text.
const flashCookie = "rtcdrill_flash"

func (s *Server) setFlash(c echo.Context, key string) {
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: key, Path: "/", MaxAge: 60,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
}

func (s *Server) takeFlash(c echo.Context, loc *Locale) string {
	ck, err := c.Cookie(flashCookie)
	if err != nil || !strings.HasPrefix(ck.Value, "flash.") {
		return ""
	}
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
	if msg := loc.T(ck.Value); msg != ck.Value {
		return msg
	}
	return ""
}
