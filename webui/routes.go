package webui

import (
	"io/fs"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// routes registers every route of the application, each with the roles it
// admits, so that one file answers "who can reach what".
func (s *Server) routes() {
	e := s.echo
	e.Use(
		s.metrics.middleware(), // outermost: times everything, panics included
		middleware.Recover(),
		s.requestLogger(),
		middleware.SecureWithConfig(middleware.SecureConfig{
			XSSProtection:         "0",
			ContentTypeNosniff:    "nosniff",
			XFrameOptions:         "DENY",
			ReferrerPolicy:        "same-origin",
			ContentSecurityPolicy: "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
		}),
		middleware.BodyLimit("4M"),
		s.csrf(),
		s.loadSession,
	)

	signedIn := []echo.MiddlewareFunc{s.requireUser}
	trainers := []echo.MiddlewareFunc{s.requireUser, requireRole(store.RoleTrainer, store.RoleAdmin)}
	admins := []echo.MiddlewareFunc{s.requireUser, requireRole(store.RoleAdmin)}

	// Public.
	e.GET("/healthz", s.healthz)
	// Prometheus: admins, or a scraper with the metrics token (metrics_access.go).
	e.GET("/metrics", s.metricsShow, s.requireMetricsAccess)
	e.StaticFS("/static/", mustSub(staticFS, "static"))
	e.GET("/lang/:code", s.langSwitch)
	e.GET("/signin", s.signinShow)
	e.POST("/signin", s.signinSubmit)

	// Any signed-in user.
	e.GET("/", s.home, signedIn...)
	e.GET("/dashboard", s.dashboard, signedIn...)
	e.GET("/password", s.passwordShow, signedIn...)
	e.POST("/password", s.passwordUpdate, signedIn...)
	e.POST("/signout", s.signout, signedIn...)
	e.GET("/account", s.accountShow, signedIn...)
	e.POST("/account/tokens", s.tokenCreate, signedIn...)
	e.POST("/account/tokens/:id/delete", s.tokenDelete, signedIn...)

	// Trainers (and admins): the scenario library and its YAML editor.
	e.GET("/trainer/scenarios", s.scenarioList, trainers...)
	e.GET("/trainer/scenarios/:file", s.scenarioEdit, trainers...)
	e.POST("/trainer/scenarios/:file", s.scenarioSave, trainers...)
	e.GET("/trainer/scenarios/exams/:file", s.scenarioEdit, trainers...)
	e.POST("/trainer/scenarios/exams/:file", s.scenarioSave, trainers...)

	// Trainers (and admins): exams stored in the database.
	e.GET("/trainer/exams", s.trainerExamList, trainers...)
	e.GET("/trainer/exams/new", s.trainerExamNew, trainers...)
	e.POST("/trainer/exams", s.trainerExamCreate, trainers...)
	e.GET("/trainer/exams/:id/edit", s.trainerExamEdit, trainers...)
	e.POST("/trainer/exams/:id", s.trainerExamUpdate, trainers...)

	// Reports: people (trainees, teams) for managers and admins; item
	// statistics (scenarios, exams) for trainers too.
	peopleReports := []echo.MiddlewareFunc{s.requireUser, requireRole(store.RoleManager, store.RoleAdmin)}
	itemReports := []echo.MiddlewareFunc{s.requireUser, requireRole(store.RoleTrainer, store.RoleManager, store.RoleAdmin)}
	e.GET("/reports", s.reportIndex, itemReports...)
	e.GET("/reports/trainees/:id", s.reportTrainee, peopleReports...)
	e.GET("/reports/trainees/:id/export.csv", s.reportTraineeCSV, peopleReports...)
	e.GET("/reports/teams/:id", s.reportTeam, peopleReports...)
	e.GET("/reports/teams/:id/export.csv", s.reportTeamCSV, peopleReports...)
	e.GET("/reports/scenarios/:id", s.reportScenario, itemReports...)
	e.GET("/reports/scenarios/:id/export.csv", s.reportScenarioCSV, itemReports...)
	e.GET("/reports/exams/:id", s.reportExam, itemReports...)
	e.GET("/reports/exams/:id/export.csv", s.reportExamCSV, itemReports...)

	// Admins.
	e.GET("/admin/users", s.userList, admins...)
	e.GET("/admin/users/new", s.userNew, admins...)
	e.POST("/admin/users", s.userCreate, admins...)
	e.GET("/admin/users/:id/edit", s.userEdit, admins...)
	e.POST("/admin/users/:id", s.userUpdate, admins...)
	e.GET("/admin/users/import", s.userImportShow, admins...)
	e.POST("/admin/users/import", s.userImport, admins...)
	e.GET("/admin/teams", s.teamList, admins...)
	e.GET("/admin/teams/new", s.teamNew, admins...)
	e.POST("/admin/teams", s.teamCreate, admins...)
	e.GET("/admin/teams/:id/edit", s.teamEdit, admins...)
	e.POST("/admin/teams/:id", s.teamUpdate, admins...)

	// Trainees: practice runs and assigned exams on live calls. Attempts are
	// the trainee's own; anyone else's answer 404.
	trainees := []echo.MiddlewareFunc{s.requireUser, requireRole(store.RoleTrainee)}
	// Routes that need the item's live call go to the node running it
	// (cluster.go); the others are served by any node.
	liveTrainees := slices.Concat(trainees, []echo.MiddlewareFunc{s.followLease})
	e.POST("/practice/:exam", s.practiceStart, trainees...)
	e.POST("/exams/:id/start", s.examStart, trainees...)
	e.GET("/attempts/:id", s.attemptShow, trainees...)
	e.GET("/attempts/:id/result", s.attemptResult, trainees...)
	e.GET("/attempts/:id/items/:pos", s.itemShow, liveTrainees...)
	e.GET("/attempts/:id/items/:pos/stream", s.itemStream, liveTrainees...)
	e.POST("/attempts/:id/items/:pos/remedies", s.itemRemedy, liveTrainees...)
	e.POST("/attempts/:id/items/:pos/tools/:tool", s.itemTool, liveTrainees...)
	e.GET("/attempts/:id/items/:pos/capture.pcap", s.itemCapture, liveTrainees...)
	e.POST("/attempts/:id/items/:pos/answer", s.itemAnswer, trainees...)
	e.POST("/attempts/:id/items/:pos/submit", s.itemSubmit, liveTrainees...)
	e.GET("/attempts/:id/items/:pos/review", s.itemReview, trainees...)

	// The customer's view: the trainee's browser receives the item's call
	// (customer_view_*.go).
	s.customer = newCustomerViews(s)
	e.POST("/attempts/:id/items/:pos/customer-view/offer", s.customer.offer, liveTrainees...)
	e.POST("/attempts/:id/items/:pos/customer-view/stats", s.customer.stats, liveTrainees...)
	e.POST("/attempts/:id/items/:pos/customer-view/close", s.customer.hangUp, liveTrainees...)

	// The JSON API: the trainee's exam flow with bearer tokens, described by
	// the OpenAPI document.
	api := []echo.MiddlewareFunc{s.requireToken, requireRole(store.RoleTrainee)}
	liveAPI := slices.Concat(api, []echo.MiddlewareFunc{s.followLease})
	e.GET("/api/v1/openapi.json", s.apiOpenAPI)
	e.GET("/api/v1/exams", s.apiExams, api...)
	e.POST("/api/v1/attempts", s.apiAttemptStart, api...)
	e.GET("/api/v1/attempts/:id", s.apiAttemptShow, api...)
	e.GET("/api/v1/attempts/:id/result", s.apiAttemptResult, api...)
	e.GET("/api/v1/attempts/:id/items/:pos", s.apiItemShow, liveAPI...)
	e.GET("/api/v1/attempts/:id/items/:pos/samples", s.apiItemSamples, liveAPI...)
	e.GET("/api/v1/attempts/:id/items/:pos/stream", s.itemStream, liveAPI...)
	e.GET("/api/v1/attempts/:id/items/:pos/log", s.apiItemLog, liveAPI...)
	e.POST("/api/v1/attempts/:id/items/:pos/remedies", s.apiItemRemedy, liveAPI...)
	e.POST("/api/v1/attempts/:id/items/:pos/tools/:tool", s.apiItemTool, liveAPI...)
	e.POST("/api/v1/attempts/:id/items/:pos/answer", s.apiItemAnswer, api...)
	e.POST("/api/v1/attempts/:id/items/:pos/submit", s.apiItemSubmit, liveAPI...)
}

// csrf guards every state-changing form with echo's double-submit token.
// /api/ is exempt: it authenticates with bearer tokens, never cookies, so a
// forged cross-site request has no credential to ride on.
func (s *Server) csrf() echo.MiddlewareFunc {
	return middleware.CSRFWithConfig(middleware.CSRFConfig{
		Skipper: func(c echo.Context) bool {
			p := c.Request().URL.Path
			return strings.HasPrefix(p, "/api/") || p == "/healthz" || strings.HasPrefix(p, "/static/")
		},
		TokenLookup:    "form:" + csrfField + ",header:" + echo.HeaderXCSRFToken,
		ContextKey:     csrfContextKey,
		CookieName:     "rtcdrill_csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   s.cfg.SecureCookies,
		CookieSameSite: http.SameSiteLaxMode,
		ErrorHandler: func(err error, c echo.Context) error {
			return forbidden("csrf check failed: %v", err)
		},
	})
}

// requestLogger logs each request once, after the error handler has chosen
// its status.
func (s *Server) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		HandleError: true,
		LogStatus:   true, LogMethod: true, LogURIPath: true, LogLatency: true, LogRemoteIP: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			s.log.LogAttrs(c.Request().Context(), level, "request",
				slog.String("method", v.Method), slog.String("path", v.URIPath),
				slog.Int("status", v.Status), slog.Duration("latency", v.Latency),
				slog.String("ip", v.RemoteIP))
			return nil
		},
	})
}

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}
