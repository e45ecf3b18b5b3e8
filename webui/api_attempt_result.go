package webui

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/grading"
	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/scenarios"
)

// apiReview is an item as the API shows it after submission. The score,
// breakdown and key are there only when the review policy shows them now.
type apiReview struct {
	Position      int                `json:"position"`
	Submitted     bool               `json:"submitted"`
	AutoSubmitted bool               `json:"auto_submitted"`
	Visible       bool               `json:"visible"`
	Score         *float64           `json:"score,omitempty"`
	Breakdown     *grading.Breakdown `json:"breakdown,omitempty"`
	RootCause     *apiCause          `json:"root_cause,omitempty"`
	Explanation   *scenarios.Text    `json:"explanation,omitempty"`
	KB            *scenarios.Article `json:"kb,omitempty"`
}

func (s *Server) apiReviewOf(a examAttempt, it store.AttemptItem) (apiReview, error) {
	r := apiReview{Position: it.Position, Submitted: it.SubmittedAt != nil}
	if !r.Submitted {
		return r, nil
	}
	var rep itemReport
	if err := json.Unmarshal([]byte(it.Report), &rep); err != nil {
		return apiReview{}, fmt.Errorf("review item %d: %w", it.ID, err)
	}
	r.AutoSubmitted = rep.AutoSubmitted
	if !s.reviewVisible(a, it) {
		return r, nil
	}
	sc, cat, err := s.scenarioOf(it)
	if err != nil {
		return r, nil // the scenario left the library: the key is gone with it
	}
	b := rep.Breakdown
	r.Visible, r.Score, r.Breakdown = true, &b.Score, &b
	r.Explanation, r.KB = &sc.Answer.Explanation, &sc.Answer.KB
	if cause, err := cat.Cause(string(sc.Answer.RootCause)); err == nil {
		r.RootCause = &apiCause{ID: string(cause.ID), Layer: cause.Layer, Name: cause.Name}
	}
	return r, nil
}

// apiAttemptResult is the attempt with each item's review as far as the
// review policy allows; the score once the attempt is finished.
func (s *Server) apiAttemptResult(c echo.Context) error {
	a, err := s.attemptParam(c)
	if err != nil {
		return err
	}
	out := struct {
		Attempt apiAttempt  `json:"attempt"`
		Passed  *bool       `json:"passed"`
		Items   []apiReview `json:"items"`
	}{Attempt: s.apiAttemptOf(a), Items: []apiReview{}}
	if a.Finished() && a.Score != nil && a.ExamID != nil && a.Exam.PassMark > 0 {
		passed := *a.Score >= a.Exam.PassMark
		out.Passed = &passed
	}
	for _, it := range a.Items {
		r, err := s.apiReviewOf(a, it)
		if err != nil {
			return err
		}
		out.Items = append(out.Items, r)
	}
	return c.JSON(http.StatusOK, out)
}
