package scenarios

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Problem is one mistake found in a file. It carries the position and the
// field path so that an editor, a pre-commit hook or the web editor can point
// the trainer at the exact spot.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}

// Error formats the problem as `file:line:column: path: message`, the shape
// compilers use, so that editors and CI annotate it without configuration.
func (p Problem) Error() string {
	if p.Path == "" {
		return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Column, p.Message)
	}
	return fmt.Sprintf("%s:%d:%d: %s: %s", p.File, p.Line, p.Column, p.Path, p.Message)
}

// Problems is every mistake found in one file or one library, in file and
// position order. As an error it reads as one problem per line.
type Problems []Problem

// Error joins the problems one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap exposes each problem so that errors.As finds a single Problem too.
func (ps Problems) Unwrap() []error {
	errs := make([]error, len(ps))
	for i, p := range ps {
		errs[i] = p
	}
	return errs
}

func sortProblems(ps Problems) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column), cmp.Compare(a.Path, b.Path))
	})
}

// report collects the problems of one file. Positions of decoded values are
// remembered by field path so that checks that run after decoding (ordering,
// catalog ids) can still name a line and column.
type report struct {
	file   string
	list   Problems
	nodes  map[string]*yaml.Node
	broken []string
}

// MaxProblems caps the problems kept per file: past a few hundred, more
// lines only bury the first mistake that caused them.
const MaxProblems = 200

func newReport(file string) *report {
	return &report{file: file, nodes: make(map[string]*yaml.Node)}
}

// atNode records a problem at a node's position.
func (r *report) atNode(n *yaml.Node, path, format string, args ...any) {
	line, col := 1, 1
	if n != nil && n.Line > 0 {
		line, col = n.Line, n.Column
	}
	r.list = append(r.list, Problem{File: r.file, Line: line, Column: col, Path: path,
		Message: fmt.Sprintf(format, args...)})
}

// atPath records a problem at the position remembered for path; a field that
// was left out has no node, so the nearest written ancestor stands in. A
// path that already failed to decode is skipped: its zero value would only
// cause follow-on complaints.
func (r *report) atPath(path, format string, args ...any) {
	for _, b := range r.broken {
		if related(path, b) || related(b, path) {
			return
		}
	}
	r.atNode(r.lookup(path), path, format, args...)
}

// sealDecoding marks the end of decoding: later checks skip what broke so far.
func (r *report) sealDecoding() {
	for _, p := range r.list {
		r.broken = append(r.broken, p.Path)
	}
}

// related reports whether path a is b or lies inside it.
func related(a, b string) bool {
	return b == "" || a == b || strings.HasPrefix(a, b+".") || strings.HasPrefix(a, b+"[")
}

func (r *report) lookup(path string) *yaml.Node {
	for p := path; ; p = parentPath(p) {
		if n, ok := r.nodes[p]; ok {
			return n
		}
		if p == "" {
			return nil
		}
	}
}

// lineOf is the line remembered for path, for messages that name two places.
func (r *report) lineOf(path string) int {
	if n := r.lookup(path); n != nil {
		return n.Line
	}
	return 1
}

func (r *report) remember(path string, n *yaml.Node) {
	if _, ok := r.nodes[path]; !ok {
		r.nodes[path] = n
	}
}

func (r *report) problems() Problems {
	sortProblems(r.list)
	if n := len(r.list) - MaxProblems; n > 0 {
		last := r.list[MaxProblems-1]
		last.Path, last.Message = "", fmt.Sprintf("%d more problem(s) not shown; fix the ones above first", n)
		r.list = append(r.list[:MaxProblems], last)
	}
	return r.list
}

func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

func joinPath(parent, field string) string {
	if parent == "" {
		return field
	}
	return parent + "." + field
}

func indexPath(parent string, i int) string {
	return fmt.Sprintf("%s[%d]", parent, i)
}
