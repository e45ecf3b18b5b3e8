package webui

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"github.com/rtcdrill/rtcdrill/scenarios"
)

//go:embed i18n/*.json
var i18nFS embed.FS

// langCookie remembers a language picked with the switcher; it beats the
// browser's Accept-Language.
const langCookie = "rtcdrill_lang"

// catalog holds the UI's messages per language. English is the fallback for
// a key a translation lacks.
type catalog struct {
	langs   []string // supported, the first is the default
	msgs    map[string]map[string]string
	matcher language.Matcher
}

func loadCatalog() (*catalog, error) {
	c := &catalog{langs: []string{"en", "zh-CN"}, msgs: map[string]map[string]string{}}
	tags := make([]language.Tag, 0, len(c.langs))
	for _, lang := range c.langs {
		data, err := i18nFS.ReadFile("i18n/" + lang + ".json")
		if err != nil {
			return nil, fmt.Errorf("load messages %s: %w", lang, err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("load messages %s: %w", lang, err)
		}
		c.msgs[lang] = m
		tags = append(tags, language.MustParse(lang))
	}
	c.matcher = language.NewMatcher(tags)
	return c, nil
}

// supported tells whether lang is one of the catalog's languages.
func (c *catalog) supported(lang string) bool {
	_, ok := c.msgs[lang]
	return ok
}

// pick chooses the language for a request: the cookie, else the best match
// for Accept-Language, else the default.
func (c *catalog) pick(cookie, acceptLanguage string) string {
	if c.supported(cookie) {
		return cookie
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return c.langs[0]
	}
	_, i, conf := c.matcher.Match(tags...)
	if conf == language.No {
		return c.langs[0]
	}
	return c.langs[i]
}

// Locale renders messages in one language. Templates reach it as .L.
type Locale struct {
	Lang     string
	msgs     map[string]string
	fallback map[string]string
}

func (c *catalog) locale(lang string) *Locale {
	if !c.supported(lang) {
		lang = c.langs[0]
	}
	return &Locale{Lang: lang, msgs: c.msgs[lang], fallback: c.msgs[c.langs[0]]}
}

// T returns the message for key, formatted with args like fmt.Sprintf. An
// unknown key comes back as itself, visible enough to be noticed and fixed.
func (l *Locale) T(key string, args ...any) string {
	msg, ok := l.msgs[key]
	if !ok {
		if msg, ok = l.fallback[key]; !ok {
			return key
		}
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// N formats a count: key+".one" when n is 1 and the language has that
// form, else key+".other". Chinese needs only the other form.
func (l *Locale) N(key string, n int) string {
	if n == 1 {
		if _, ok := l.msgs[key+".one"]; ok {
			return l.T(key+".one", n)
		}
	}
	return l.T(key+".other", n)
}

// Pick chooses the language of a bilingual scenario text, falling back to
// the other language when one is empty.
func (l *Locale) Pick(t scenarios.Text) string {
	if (l.Lang == "zh-CN" && t.ZH != "") || t.EN == "" {
		return t.ZH
	}
	return t.EN
}

// Time formats a moment for people; a nil or zero time reads as a dash.
func (l *Locale) Time(t any) string {
	var v time.Time
	switch tt := t.(type) {
	case time.Time:
		v = tt
	case *time.Time:
		if tt != nil {
			v = *tt
		}
	}
	if v.IsZero() {
		return "—"
	}
	if l.Lang == "zh-CN" {
		return v.Local().Format("2006年1月2日 15:04")
	}
	return v.Local().Format("2 Jan 2006 15:04")
}

// locale returns the request's locale, computing it once per request.
func (s *Server) locale(c echo.Context) *Locale {
	if l, ok := c.Get(localeContextKey).(*Locale); ok {
		return l
	}
	cookie := ""
	if ck, err := c.Cookie(langCookie); err == nil {
		cookie = ck.Value
	}
	l := s.catalog.locale(s.catalog.pick(cookie, c.Request().Header.Get("Accept-Language")))
	c.Set(localeContextKey, l)
	return l
}

// setLangCookie remembers a language choice for a year.
func (s *Server) setLangCookie(c echo.Context, lang string) {
	c.SetCookie(&http.Cookie{
		Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c),
	})
}
