package grading

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// AttemptsCSVHeader is the header of the trainee report's and the scenario
// report's CSV: one row per attempt, keyed by user id. Seconds and scores are
// decimal numbers, times RFC 3339 in UTC, booleans true/false.
const AttemptsCSVHeader = "user_id,team,exam_id,attempt_no,scenario_id,fault_class,variant_seed," +
	"submitted_at,score,root_cause,root_cause_correct,first_contact_resolved,fatal," +
	"handle_seconds,recover_seconds,csat"

// MembersCSVHeader is the header of the team or cohort report's CSV: one row
// per member, keyed by user id, in rank order. Undefined figures are "n/a";
// statuses are met, missed or n/a.
const MembersCSVHeader = "user_id,rank,team,attempts,mean_score,fcr_percent,aht_seconds," +
	"csat_percent,mean_rating,fatal,fcr_status,aht_status,csat_status,ready"

// SittingsCSVHeader is the fixed start of the exam report's CSV header: one
// row per sitting, keyed by user id, followed by one "item:<scenario id>"
// column per exam item holding the item score or "n/a" when not submitted.
const SittingsCSVHeader = "user_id,team,exam_id,attempt_no,submitted_at,score,passed"

// ItemColumnPrefix starts each item column of the sittings CSV.
const ItemColumnPrefix = "item:"

// WriteAttemptsCSV writes rows under AttemptsCSVHeader.
func WriteAttemptsCSV(w io.Writer, rows []AttemptRow) error {
	return writeCSV(w, "attempts", strings.Split(AttemptsCSVHeader, ","), len(rows), func(i int) []string {
		r := &rows[i]
		return []string{escapeText(r.UserID), escapeText(r.Team), escapeText(r.ExamID), strconv.Itoa(r.AttemptNo),
			escapeText(r.ScenarioID), escapeText(r.FaultClass), strconv.FormatInt(r.VariantSeed, 10),
			formatTime(r.SubmittedAt), formatFloat(r.Score), escapeText(r.RootCause),
			strconv.FormatBool(r.RootCauseCorrect), strconv.FormatBool(r.FirstContactResolved),
			strconv.FormatBool(r.Fatal), formatFloat(r.HandleSeconds), formatFloat(r.RecoverSeconds),
			strconv.Itoa(r.CSAT)}
	})
}

// ParseAttemptsCSV reads what WriteAttemptsCSV writes.
func ParseAttemptsCSV(r io.Reader) ([]AttemptRow, error) {
	recs, err := readCSV(r, "attempts", exactHeader(AttemptsCSVHeader))
	if err != nil {
		return nil, err
	}
	out := make([]AttemptRow, len(recs))
	for i, rec := range recs {
		f := fields{rec: rec, line: i + 2}
		out[i] = AttemptRow{UserID: f.text(), Team: f.text(), ExamID: f.text(), AttemptNo: f.int(),
			ScenarioID: f.text(), FaultClass: f.text(), VariantSeed: f.int64(), SubmittedAt: f.time(),
			Score: f.float(), RootCause: f.text(), RootCauseCorrect: f.bool(), FirstContactResolved: f.bool(),
			Fatal: f.bool(), HandleSeconds: f.float(), RecoverSeconds: f.float(), CSAT: f.int()}
		if err := f.done(); err != nil {
			return nil, fmt.Errorf("read attempts csv: %w", err)
		}
	}
	return out, nil
}

// WriteMembersCSV writes rows under MembersCSVHeader.
func WriteMembersCSV(w io.Writer, rows []MemberRow) error {
	return writeCSV(w, "members", strings.Split(MembersCSVHeader, ","), len(rows), func(i int) []string {
		r := &rows[i]
		k := &r.KPIs
		return []string{escapeText(r.UserID), strconv.Itoa(r.Rank), escapeText(r.Team), strconv.Itoa(k.Attempts),
			k.MeanScore.String(), k.FCR.String(), k.AHTSeconds.String(), k.CSAT.String(), k.MeanRating.String(),
			strconv.Itoa(k.Fatal), string(r.Check.FCR), string(r.Check.AHT), string(r.Check.CSAT),
			strconv.FormatBool(r.Check.Ready())}
	})
}

// ParseMembersCSV reads what WriteMembersCSV writes; the ready column must
// agree with the three statuses.
func ParseMembersCSV(r io.Reader) ([]MemberRow, error) {
	recs, err := readCSV(r, "members", exactHeader(MembersCSVHeader))
	if err != nil {
		return nil, err
	}
	out := make([]MemberRow, len(recs))
	for i, rec := range recs {
		f := fields{rec: rec, line: i + 2}
		m := MemberRow{UserID: f.text(), Rank: f.int(), Team: f.text()}
		m.KPIs = KPIs{Attempts: f.int(), MeanScore: f.figure(), FCR: f.figure(), AHTSeconds: f.figure(),
			CSAT: f.figure(), MeanRating: f.figure(), Fatal: f.int()}
		m.Check = TargetCheck{FCR: f.status(), AHT: f.status(), CSAT: f.status()}
		if ready := f.bool(); f.err == nil && ready != m.Check.Ready() {
			f.fail("ready disagrees with the statuses:", strconv.FormatBool(ready))
		}
		if err := f.done(); err != nil {
			return nil, fmt.Errorf("read members csv: %w", err)
		}
		out[i] = m
	}
	return out, nil
}

// WriteSittingsCSV writes rows under SittingsCSVHeader plus one column per
// item id; each row's Items (and Drawn, when set) must align with itemIDs.
// An item the sitting did not draw is an empty cell, apart from n/a (drawn,
// not submitted); a nil Drawn means every item was drawn.
func WriteSittingsCSV(w io.Writer, itemIDs []string, rows []Sitting) error {
	header := strings.Split(SittingsCSVHeader, ",")
	for _, id := range itemIDs {
		header = append(header, escapeText(ItemColumnPrefix+id))
	}
	for i := range rows {
		s := &rows[i]
		if len(s.Items) != len(itemIDs) || (s.Drawn != nil && len(s.Drawn) != len(itemIDs)) {
			return fmt.Errorf("write sittings csv: row %d has %d items and %d drawn, want %d",
				i+1, len(s.Items), len(s.Drawn), len(itemIDs))
		}
		for j, it := range s.Items {
			if it.OK && s.Drawn != nil && !s.Drawn[j] {
				return fmt.Errorf("write sittings csv: row %d: item %s scored but not drawn", i+1, itemIDs[j])
			}
		}
	}
	return writeCSV(w, "sittings", header, len(rows), func(i int) []string {
		s := &rows[i]
		rec := []string{escapeText(s.UserID), escapeText(s.Team), escapeText(s.ExamID), strconv.Itoa(s.AttemptNo),
			formatTime(s.SubmittedAt), formatFloat(s.Score), strconv.FormatBool(s.Passed)}
		for j, it := range s.Items {
			if s.Drawn != nil && !s.Drawn[j] {
				rec = append(rec, "")
				continue
			}
			rec = append(rec, it.String())
		}
		return rec
	})
}

// ParseSittingsCSV reads what WriteSittingsCSV writes and returns the item
// ids from the header with the rows.
func ParseSittingsCSV(r io.Reader) ([]string, []Sitting, error) {
	fixed := strings.Split(SittingsCSVHeader, ",")
	var ids []string
	recs, err := readCSV(r, "sittings", func(h []string) error {
		if len(h) < len(fixed) || strings.Join(h[:len(fixed)], ",") != SittingsCSVHeader {
			return fmt.Errorf("header %q does not start with %q", strings.Join(h, ","), SittingsCSVHeader)
		}
		for _, col := range h[len(fixed):] {
			col = unescapeText(col)
			if !strings.HasPrefix(col, ItemColumnPrefix) {
				return fmt.Errorf("column %q is not an item column", col)
			}
			ids = append(ids, strings.TrimPrefix(col, ItemColumnPrefix))
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	out := make([]Sitting, len(recs))
	for i, rec := range recs {
		f := fields{rec: rec, line: i + 2}
		s := Sitting{UserID: f.text(), Team: f.text(), ExamID: f.text(), AttemptNo: f.int(),
			SubmittedAt: f.time(), Score: f.float(), Passed: f.bool(), Items: make([]Figure, len(ids)),
			Drawn: make([]bool, len(ids))}
		for j := range ids {
			s.Items[j], s.Drawn[j] = f.drawnFigure()
		}
		if err := f.done(); err != nil {
			return nil, nil, fmt.Errorf("read sittings csv: %w", err)
		}
		out[i] = s
	}
	return ids, out, nil
}

// WriteCSV exports the trainee's attempts (AttemptsCSVHeader).
func (r TraineeReport) WriteCSV(w io.Writer) error { return WriteAttemptsCSV(w, r.Attempts) }

// WriteCSV exports the scenario's submissions (AttemptsCSVHeader).
func (r ScenarioReport) WriteCSV(w io.Writer) error { return WriteAttemptsCSV(w, r.Submissions) }

// WriteCSV exports the ranked members (MembersCSVHeader).
func (r GroupReport) WriteCSV(w io.Writer) error { return WriteMembersCSV(w, r.Members) }

// WriteCSV exports the sittings with their item scores (SittingsCSVHeader).
func (r ExamReport) WriteCSV(w io.Writer) error {
	ids := make([]string, len(r.Items))
	for i, it := range r.Items {
		ids[i] = it.ScenarioID
	}
	return WriteSittingsCSV(w, ids, r.Sittings)
}
