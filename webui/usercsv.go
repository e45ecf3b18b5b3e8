package webui

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// maxImportRows bounds one CSV import; larger cohorts go in several files.
const maxImportRows = 5000

// csvColumns are the columns a user CSV may have; username and role are
// required, the others may be absent or empty.
func csvColumns() []string { return []string{"username", "display_name", "role", "team", "password"} }

// csvUser is one valid line of a user CSV.
type csvUser struct {
	Line int
	New  store.NewUser
}

// lineError is a problem with one line of a CSV file, numbered as an editor
// shows it.
type lineError struct {
	Line    int
	Message string
}

// parseUserCSV reads a user CSV and checks every line against the rules,
// the teams (by lower-cased name) and the usernames already taken (lower
// case), reporting all problems at once rather than the first.
func parseUserCSV(src io.Reader, loc *Locale, teams map[string]uint, taken map[string]bool) ([]csvUser, []lineError) {
	r := csv.NewReader(src)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, []lineError{{Line: 1, Message: loc.T("import.empty")}}
	}
	if err != nil {
		return nil, []lineError{csvParseError(err, loc)}
	}
	cols, problems := csvHeader(header, loc)
	if len(problems) > 0 {
		return nil, problems
	}
	var rows []csvUser
	seen := map[string]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// A broken quote leaves the rest of the file unreliable: stop.
			return nil, append(problems, csvParseError(err, loc))
		}
		line, _ := r.FieldPos(0)
		if len(rows)+len(problems) >= maxImportRows {
			return nil, append(problems, lineError{Line: line, Message: loc.T("import.too_many", maxImportRows)})
		}
		if len(rec) != len(header) {
			problems = append(problems, lineError{Line: line, Message: loc.T("import.field_count", len(header), len(rec))})
			continue
		}
		cell := func(name string) string {
			if i, ok := cols[name]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		u, msgs := csvLine(cell, loc, teams)
		key := strings.ToLower(u.Username)
		switch {
		case u.Username == "":
		case taken[key]:
			msgs = append(msgs, loc.T("import.username_taken", u.Username))
		case seen[key] > 0:
			msgs = append(msgs, loc.T("import.username_repeated", u.Username, seen[key]))
		default:
			seen[key] = line
		}
		for _, m := range msgs {
			problems = append(problems, lineError{Line: line, Message: m})
		}
		if len(msgs) == 0 {
			rows = append(rows, csvUser{Line: line, New: u})
		}
	}
	if len(rows) == 0 && len(problems) == 0 {
		problems = append(problems, lineError{Line: 2, Message: loc.T("import.no_rows")})
	}
	return rows, problems
}

func csvHeader(header []string, loc *Locale) (map[string]int, []lineError) {
	cols := map[string]int{}
	var problems []lineError
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		known := false
		for _, c := range csvColumns() {
			known = known || c == name
		}
		if !known {
			problems = append(problems, lineError{Line: 1, Message: loc.T("import.unknown_column", h, strings.Join(csvColumns(), ", "))})
			continue
		}
		cols[name] = i
	}
	for _, req := range []string{"username", "role"} {
		if _, ok := cols[req]; !ok {
			problems = append(problems, lineError{Line: 1, Message: loc.T("import.missing_column", req)})
		}
	}
	return cols, problems
}

// csvLine checks one line's cells; it returns the user and what is wrong.
func csvLine(cell func(string) string, loc *Locale, teams map[string]uint) (store.NewUser, []string) {
	var msgs []string
	u := store.NewUser{Username: cell("username"), DisplayName: cell("display_name"), Password: cell("password")}
	switch {
	case u.Username == "":
		msgs = append(msgs, loc.T("import.username_missing"))
	case !usernamePattern.MatchString(u.Username):
		msgs = append(msgs, loc.T("import.username_invalid", u.Username))
	}
	role, err := store.ParseRole(cell("role"))
	if err != nil {
		msgs = append(msgs, loc.T("import.role_invalid", cell("role")))
	}
	u.Role = role
	if team := cell("team"); team != "" {
		id, ok := teams[strings.ToLower(team)]
		if !ok {
			msgs = append(msgs, loc.T("import.team_unknown", team))
		} else {
			u.TeamID = &id
		}
	}
	if n := len([]rune(u.Password)); u.Password != "" && (n < minPasswordLen || len(u.Password) > maxPasswordBytes) {
		msgs = append(msgs, loc.T("import.password_invalid", minPasswordLen, maxPasswordBytes))
	}
	if len([]rune(u.DisplayName)) > 80 {
		msgs = append(msgs, loc.T("form.too_long", 80))
	}
	return u, msgs
}

func csvParseError(err error, loc *Locale) lineError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return lineError{Line: pe.Line, Message: loc.T("import.parse_error", pe.Column, pe.Err.Error())}
	}
	return lineError{Line: 1, Message: loc.T("import.parse_error", 0, err.Error())}
}
