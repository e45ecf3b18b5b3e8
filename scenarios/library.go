package scenarios

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
)

// File names inside a library directory.
const (
	CatalogFile       = "catalog.yaml"
	ExamDir           = "exams"
	ScenarioSchema    = "schema.json"
	CatalogSchema     = "catalog.schema.json"
	ExamSchema        = "exam.schema.json"
	maxFilesPerFolder = 10_000
)

// Library is everything that loaded from a scenarios directory: the valid
// scenarios and exams, the catalog, and the problems of every file that did
// not load. One broken file never keeps the others out.
type Library struct {
	dir       string
	catalog   *Catalog
	scenarios []*Scenario
	exams     []*Exam
	problems  Problems
	files     []string
}

// Load reads a library directory: catalog.yaml, the scenario files (*.yaml
// beside it) and exams/*.yaml. It returns an error only when the directory
// itself cannot be read; problems in files are in Problems.
func Load(dir string) (*Library, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", dir, err)
	}
	lib := &Library{dir: dir}
	catPath := filepath.Join(dir, CatalogFile)
	if data, err := readCapped(catPath); err != nil {
		lib.problems = append(lib.problems, Problem{File: catPath, Line: 1, Column: 1,
			Message: fmt.Sprintf("no catalog, so cause and remedy ids go unchecked: %v", err)})
	} else {
		cat, rep := parseCatalog(catPath, data)
		lib.catalog = cat
		lib.files = append(lib.files, catPath)
		lib.problems = append(lib.problems, rep.problems()...)
	}
	firstAt := make(map[Slug]string)
	for _, path := range yamlFiles(dir, entries) {
		if filepath.Base(path) == CatalogFile {
			continue
		}
		lib.files = append(lib.files, path)
		data, err := readCapped(path)
		if err != nil {
			lib.problems = append(lib.problems, Problem{File: path, Line: 1, Column: 1, Message: err.Error()})
			continue
		}
		s, rep := parseScenario(path, data, lib.catalog)
		if first, dup := firstAt[s.ID]; dup && s.ID != "" {
			rep.atPath("id", "duplicate scenario id %q, first defined at %s", s.ID, first)
		}
		if ps := rep.problems(); len(ps) > 0 {
			lib.problems = append(lib.problems, ps...)
			continue
		}
		n := rep.lookup("id")
		firstAt[s.ID] = fmt.Sprintf("%s:%d:%d", path, n.Line, n.Column)
		lib.scenarios = append(lib.scenarios, s)
	}
	slices.SortFunc(lib.scenarios, func(a, b *Scenario) int { return strings.Compare(string(a.ID), string(b.ID)) })
	lib.loadExams(filepath.Join(dir, ExamDir))
	sortProblems(lib.problems)
	return lib, nil
}

func (lib *Library) loadExams(dir string) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		lib.problems = append(lib.problems, Problem{File: dir, Line: 1, Column: 1, Message: err.Error()})
		return
	}
	seen := make(map[Slug]string)
	for _, path := range yamlFiles(dir, entries) {
		lib.files = append(lib.files, path)
		data, err := readCapped(path)
		if err != nil {
			lib.problems = append(lib.problems, Problem{File: path, Line: 1, Column: 1, Message: err.Error()})
			continue
		}
		e, rep := parseExam(path, data, lib)
		if first, dup := seen[e.ID]; dup && e.ID != "" {
			rep.atPath("id", "duplicate exam id %q, first defined in %s", e.ID, first)
		}
		if ps := rep.problems(); len(ps) > 0 {
			lib.problems = append(lib.problems, ps...)
			continue
		}
		seen[e.ID] = path
		lib.exams = append(lib.exams, e)
	}
}

// yamlFiles lists the *.yaml and *.yml files of a directory, sorted.
func yamlFiles(dir string, entries []os.DirEntry) []string {
	var out []string
	for _, e := range entries {
		name := e.Name()
		ext := filepath.Ext(name)
		if e.IsDir() || strings.HasPrefix(name, ".") || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		out = append(out, filepath.Join(dir, name))
		if len(out) == maxFilesPerFolder {
			break
		}
	}
	slices.Sort(out)
	return out
}

// readCapped reads at most one byte past MaxFileSize, so a huge file costs
// no memory and still reports its excess.
func readCapped(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return data, nil
}

// decodeInto parses data and decodes it into out, reporting every problem.
func decodeInto(rep *report, data []byte, schemaName string, out any) {
	root := parseDocument(rep, data, schemaName)
	if root != nil {
		w := walker{rep: rep}
		w.decode(root, "", reflect.ValueOf(out).Elem())
	}
	rep.sealDecoding()
	checkHeader(rep, data, schemaName)
}

func parseScenario(name string, data []byte, cat *Catalog) (*Scenario, *report) {
	sum := sha256.Sum256(data)
	s := &Scenario{file: name, hash: hex.EncodeToString(sum[:])}
	rep := newReport(name)
	decodeInto(rep, data, ScenarioSchema, s)
	s.validate(rep, cat)
	return s, rep
}

func parseCatalog(name string, data []byte) (*Catalog, *report) {
	c := &Catalog{file: name}
	rep := newReport(name)
	decodeInto(rep, data, CatalogSchema, c)
	c.validate(rep)
	return c, rep
}

func parseExam(name string, data []byte, lib *Library) (*Exam, *report) {
	e := &Exam{file: name}
	rep := newReport(name)
	decodeInto(rep, data, ExamSchema, e)
	e.validate(rep)
	if lib != nil {
		e.checkPool(rep, lib)
	}
	return e, rep
}

// ParseScenario parses and validates one scenario file's content, e.g. for
// the web editor's validate-on-save. A nil catalog skips the id checks. The
// error, when not nil, is Problems.
func ParseScenario(name string, data []byte, cat *Catalog) (*Scenario, error) {
	s, rep := parseScenario(name, data, cat)
	if ps := rep.problems(); len(ps) > 0 {
		return nil, ps
	}
	return s, nil
}

// LoadFile reads and validates one scenario file. Its catalog is the
// catalog.yaml of the library the file belongs to (its directory or one
// above); a file outside any library is checked without cause and remedy ids.
func LoadFile(path string) (*Scenario, error) {
	var cat *Catalog
	if root, ok := libraryRoot(path); ok {
		c, err := LoadCatalog(filepath.Join(root, CatalogFile))
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", path, err)
		}
		cat = c
	}
	data, err := readCapped(path)
	if err != nil {
		return nil, fmt.Errorf("load scenario: %w", err)
	}
	return ParseScenario(path, data, cat)
}

// ParseCatalog parses and validates a catalog file's content.
func ParseCatalog(name string, data []byte) (*Catalog, error) {
	c, rep := parseCatalog(name, data)
	if ps := rep.problems(); len(ps) > 0 {
		return nil, ps
	}
	return c, nil
}

// LoadCatalog reads and validates a catalog file.
func LoadCatalog(path string) (*Catalog, error) {
	data, err := readCapped(path)
	if err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	return ParseCatalog(path, data)
}

// ParseExam parses and validates an exam file's content; with a library it
// also checks that the scenarios and tags it draws from exist.
func ParseExam(name string, data []byte, lib *Library) (*Exam, error) {
	e, rep := parseExam(name, data, lib)
	if ps := rep.problems(); len(ps) > 0 {
		return nil, ps
	}
	return e, nil
}

// Dir is the directory the library was loaded from.
func (l *Library) Dir() string { return l.dir }

// Catalog returns the catalog, or nil when catalog.yaml was missing. A
// catalog with problems still serves the entries that decoded, so one typo
// there does not turn every scenario's ids into errors.
func (l *Library) Catalog() *Catalog { return l.catalog }

// Problems returns every problem found, sorted by file and position.
func (l *Library) Problems() Problems { return slices.Clone(l.problems) }

// Scenarios returns the valid scenarios sorted by id.
func (l *Library) Scenarios() []*Scenario { return slices.Clone(l.scenarios) }

// Exams returns the valid exams in file order.
func (l *Library) Exams() []*Exam { return slices.Clone(l.exams) }

// Scenario returns the valid scenario with the given id.
func (l *Library) Scenario(id string) (*Scenario, error) {
	for _, s := range l.scenarios {
		if string(s.ID) == id {
			return s, nil
		}
	}
	return nil, fmt.Errorf("library %s: no valid scenario %q", l.dir, id)
}

// Exam returns the valid exam with the given id.
func (l *Library) Exam(id string) (*Exam, error) {
	for _, e := range l.exams {
		if string(e.ID) == id {
			return e, nil
		}
	}
	return nil, fmt.Errorf("library %s: no valid exam %q", l.dir, id)
}
