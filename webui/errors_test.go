package webui

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

func TestStatusOf(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{fmt.Errorf("user 3: %w", store.ErrNotFound), http.StatusNotFound},
		{fmt.Errorf("dup: %w", store.ErrConflict), http.StatusConflict},
		{fmt.Errorf("bad: %w", store.ErrInvalid), http.StatusBadRequest},
		{forbidden("role %s", "trainee"), http.StatusForbidden},
		{errUnauthorized, http.StatusUnauthorized},
		{echo.ErrMethodNotAllowed, http.StatusMethodNotAllowed},
		{echo.NewHTTPError(http.StatusRequestEntityTooLarge), http.StatusRequestEntityTooLarge},
		{errors.New("disk on fire"), http.StatusInternalServerError},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			assert.Equal(t, tt.want, statusOf(tt.err))
		})
	}
}

func TestErrorPages(t *testing.T) {
	app := newTestApp(t, Config{})
	admin := app.signedIn(t, app.mkUser(t, "root", store.RoleAdmin))

	t.Run("html", func(t *testing.T) {
		rec := admin.get("/admin/users/4242/edit")
		require.Equal(t, http.StatusNotFound, rec.Code)
		page := body(t, rec)
		assert.Contains(t, page, "There is nothing here.")
		assert.NotContains(t, page, "not found", "no internals (the failing lookup's error) in the page")
		assert.Contains(t, rec.Header().Get("Content-Type"), "text/html")
	})
	t.Run("json under /api/", func(t *testing.T) {
		rec := app.client(t).get("/api/v1/nothing")
		require.Equal(t, http.StatusNotFound, rec.Code)
		var got struct {
			Error struct {
				Status  int
				Message string
			}
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
		assert.Equal(t, 404, got.Error.Status)
		assert.Equal(t, "There is nothing here.", got.Error.Message)
	})
	t.Run("localised", func(t *testing.T) {
		c := app.client(t)
		c.header.Set("Accept-Language", "zh-CN")
		rec := c.get("/no/such/page")
		require.Equal(t, http.StatusNotFound, rec.Code)
		assert.Contains(t, body(t, rec), "这里什么也没有。")
	})
	t.Run("wrong method", func(t *testing.T) {
		req := mustRequest(t, http.MethodDelete, "/admin/users")
		req.Header.Set(echo.HeaderXCSRFToken, admin.csrfToken())
		rec := admin.do(req)
		assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	})
	t.Run("security headers", func(t *testing.T) {
		rec := app.client(t).get("/signin")
		assert.Contains(t, rec.Header().Get("Content-Security-Policy"), "default-src 'self'")
		assert.Equal(t, "DENY", rec.Header().Get("X-Frame-Options"))
		assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
	})
}

func TestHealthz(t *testing.T) {
	app := newTestApp(t, Config{})
	c := app.client(t)
	rec := c.get("/healthz")
	require.Equal(t, http.StatusOK, rec.Code)
	assert.JSONEq(t, `{"status":"ok"}`, rec.Body.String())

	require.NoError(t, app.st.Close())
	rec = c.get("/healthz")
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code, "a dead database is reported")
}

func TestStaticAssets(t *testing.T) {
	app := newTestApp(t, Config{})
	c := app.client(t)
	for _, p := range []string{"/static/app.css", "/static/favicon.svg"} {
		rec := c.get(p)
		assert.Equal(t, http.StatusOK, rec.Code, p)
		assert.Positive(t, rec.Body.Len(), p)
	}
	assert.Equal(t, http.StatusNotFound, c.get("/static/../templates/layout.html").Code)
	assert.Equal(t, http.StatusNotFound, c.get("/static/nope.js").Code)
}
