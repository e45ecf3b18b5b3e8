package webui

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// form is a submitted form on its way back to the page: the values as typed
// and a message per field that failed, so a re-rendered page loses nothing.
type form struct {
	values url.Values
	errors map[string]string
	order  []string
}

func newForm(values url.Values) *form {
	if values == nil {
		values = url.Values{}
	}
	return &form{values: values, errors: map[string]string{}}
}

// Value is the trimmed value of a field as typed.
func (f *form) Value(name string) string { return strings.TrimSpace(f.values.Get(name)) }

// Raw is the value exactly as typed, for text where whitespace matters.
func (f *form) Raw(name string) string { return f.values.Get(name) }

// Checked tells whether a checkbox was ticked.
func (f *form) Checked(name string) bool { return f.values.Get(name) != "" }

// Selected tells whether an option of a select was the chosen one.
func (f *form) Selected(name, option string) bool { return f.Value(name) == option }

// Set changes a field's value, for forms pre-filled from a record.
func (f *form) Set(name, value string) { f.values.Set(name, value) }

// Error is the message for a field, or "".
func (f *form) Error(name string) string { return f.errors[name] }

// Fail records a message for a field; the first one per field wins.
func (f *form) Fail(name, msg string) {
	if _, ok := f.errors[name]; ok {
		return
	}
	f.errors[name] = msg
	f.order = append(f.order, name)
}

// OK tells whether no field failed.
func (f *form) OK() bool { return len(f.errors) == 0 }

// Problems lists the failures in the order found, for the summary at the
// top of the form.
func (f *form) Problems() []fieldProblem {
	out := make([]fieldProblem, 0, len(f.order))
	for _, name := range f.order {
		out = append(out, fieldProblem{Field: name, Message: f.errors[name]})
	}
	return out
}

// fieldProblem is one entry of a form's error summary.
type fieldProblem struct{ Field, Message string }

// fieldView is what the "input" partial renders: one labelled input with
// its value, its hint and its error wired up for screen readers.
type fieldView struct {
	Name, Type, Label, Value, Error, Hint, Autocomplete string
	Required                                            bool
}

// newField builds a fieldView in a template: field .L .Data.Form "username"
// "text" "user.username" "required" "autocomplete:username" "hint:key".
// Password fields never echo what was typed.
func newField(l *Locale, f *form, name, typ, labelKey string, opts ...string) fieldView {
	fv := fieldView{Name: name, Type: typ, Label: l.T(labelKey), Error: f.Error(name)}
	if typ != "password" {
		fv.Value = f.Raw(name)
	}
	for _, o := range opts {
		switch {
		case o == "required":
			fv.Required = true
		case strings.HasPrefix(o, "autocomplete:"):
			fv.Autocomplete = strings.TrimPrefix(o, "autocomplete:")
		case strings.HasPrefix(o, "hint:"):
			fv.Hint = l.T(strings.TrimPrefix(o, "hint:"))
		}
	}
	return fv
}

// DescribedBy lists the ids of the hint and error, for aria-describedby.
func (fv fieldView) DescribedBy() string {
	var ids []string
	if fv.Hint != "" {
		ids = append(ids, "f-"+fv.Name+"-hint")
	}
	if fv.Error != "" {
		ids = append(ids, "f-"+fv.Name+"-error")
	}
	return strings.Join(ids, " ")
}

// checkLength fails a field whose rune count is outside [lo, hi].
func checkLength(f *form, l *Locale, name string, lo, hi int) {
	n := utf8.RuneCountInString(f.Value(name))
	switch {
	case n == 0 && lo > 0:
		f.Fail(name, l.T("form.required"))
	case n < lo:
		f.Fail(name, l.T("form.too_short", lo))
	case n > hi:
		f.Fail(name, l.T("form.too_long", hi))
	}
}
