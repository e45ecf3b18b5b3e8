package grading

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// escapeText defuses spreadsheet formulas: a cell starting with = + - @ tab
// or CR would run as a formula when a manager opens the file, so such text
// (and text already starting with ') gets a leading '. unescapeText strips
// exactly one, so every string round-trips.
func escapeText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r'", rune(s[0])) {
		return "'" + s
	}
	return s
}

func unescapeText(s string) string {
	if strings.HasPrefix(s, "'") {
		return s[1:]
	}
	return s
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// fields reads one CSV record's cells in order, keeping the first error so
// a row's parsing reads as a plain list of fields.
type fields struct {
	rec  []string
	i    int
	line int
	err  error
}

func (f *fields) next() string {
	if f.i >= len(f.rec) {
		f.fail("missing field", "")
		return ""
	}
	f.i++
	return f.rec[f.i-1]
}

func (f *fields) fail(what, cell string) {
	if f.err == nil {
		f.err = fmt.Errorf("line %d, field %d: %s %q", f.line, f.i, what, cell)
	}
}

func (f *fields) text() string { return unescapeText(f.next()) }

func (f *fields) int() int {
	s := f.next()
	v, err := strconv.Atoi(s)
	if err != nil {
		f.fail("not an integer:", s)
	}
	return v
}

func (f *fields) int64() int64 {
	s := f.next()
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f.fail("not an integer:", s)
	}
	return v
}

func (f *fields) float() float64 {
	s := f.next()
	v, err := ParseFigure(s)
	if err != nil || !v.OK {
		f.fail("not a finite number:", s)
	}
	return v.Value
}

func (f *fields) figure() Figure {
	s := f.next()
	v, err := ParseFigure(s)
	if err != nil {
		f.fail("not a number or n/a:", s)
	}
	return v
}

// drawnFigure reads a sitting's item cell: empty when the item was not
// drawn (drawn false), else a figure.
func (f *fields) drawnFigure() (Figure, bool) {
	s := f.next()
	if s == "" {
		return Figure{}, false
	}
	v, err := ParseFigure(s)
	if err != nil {
		f.fail("not a number, n/a or empty:", s)
	}
	return v, true
}

func (f *fields) bool() bool {
	s := f.next()
	v, err := strconv.ParseBool(s)
	if err != nil {
		f.fail("not a boolean:", s)
	}
	return v
}

func (f *fields) time() time.Time {
	s := f.next()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		f.fail("not an RFC 3339 time:", s)
	}
	return v.UTC()
}

func (f *fields) status() Status {
	s := Status(f.next())
	if s != StatusMet && s != StatusMissed && s != StatusNA {
		f.fail("not a target status:", string(s))
	}
	return s
}

// done checks that the row had no extra cells.
func (f *fields) done() error {
	if f.err == nil && f.i != len(f.rec) {
		f.fail("extra field", f.rec[f.i])
	}
	return f.err
}

// readCSV reads all records and checks the header with check.
func readCSV(r io.Reader, what string, check func(header []string) error) ([][]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read %s csv: %w", what, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("read %s csv: no header", what)
	}
	if err := check(recs[0]); err != nil {
		return nil, fmt.Errorf("read %s csv: %w", what, err)
	}
	return recs[1:], nil
}

func exactHeader(want string) func([]string) error {
	return func(got []string) error {
		if strings.Join(got, ",") != want {
			return fmt.Errorf("header %q, want %q", strings.Join(got, ","), want)
		}
		return nil
	}
}

// writeCSV writes the header and rows and reports the first write error.
func writeCSV(w io.Writer, what string, header []string, rows int, record func(i int) []string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write %s csv: %w", what, err)
	}
	for i := range rows {
		if err := cw.Write(record(i)); err != nil {
			return fmt.Errorf("write %s csv: row %d: %w", what, i+1, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write %s csv: %w", what, err)
	}
	return nil
}
