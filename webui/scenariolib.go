package webui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/rtcdrill/rtcdrill/scenarios"
)

// library holds the scenario library loaded from the scenario directory and
// reloads it after a trainer saves a file. Readers take the current
// snapshot; a reload swaps it whole.
type library struct {
	dir string

	mu  sync.RWMutex
	lib *scenarios.Library
	err error
}

func newLibrary(dir string) *library {
	l := &library{dir: dir}
	l.reload()
	return l
}

// get returns the current snapshot, or why there is none (no directory
// configured, or it could not be read).
func (l *library) get() (*scenarios.Library, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.lib, l.err
}

// reload reads the directory again.
func (l *library) reload() {
	var lib *scenarios.Library
	err := errors.New("no scenario directory configured")
	if l.dir != "" {
		lib, err = scenarios.Load(l.dir)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lib, l.err = lib, err
}

// libraryFile is one YAML file of the scenario directory.
type libraryFile struct {
	// Name is the path relative to the directory, e.g. "wifi.yaml" or
	// "exams/practice.yaml"; it is what the editor's URL carries.
	Name string
	Kind string // "scenario", "catalog" or "exam"
	Path string
}

// fileNamePattern admits the plain file names the editor may open; anything
// with a separator or a leading dot is refused before touching the disk.
var fileNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$`)

// resolve maps an editor URL's name to a file of the directory.
func (l *library) resolve(name string) (libraryFile, error) {
	sub, base := "", name
	if rest, ok := strings.CutPrefix(name, scenarios.ExamDir+"/"); ok {
		sub, base = scenarios.ExamDir, rest
	}
	if l.dir == "" || !fileNamePattern.MatchString(base) {
		return libraryFile{}, fmt.Errorf("library file %q: %w", name, errNoSuchFile)
	}
	f := libraryFile{Name: name, Kind: "scenario", Path: filepath.Join(l.dir, sub, base)}
	switch {
	case sub != "":
		f.Kind = "exam"
	case base == scenarios.CatalogFile:
		f.Kind = "catalog"
	}
	if fi, err := os.Stat(f.Path); err != nil || !fi.Mode().IsRegular() {
		return libraryFile{}, fmt.Errorf("library file %q: %w", name, errNoSuchFile)
	}
	return f, nil
}

// files lists the directory's YAML files: catalog first, then scenarios,
// then exams, each sorted by name.
func (l *library) files() ([]libraryFile, error) {
	if l.dir == "" {
		return nil, nil
	}
	var out []libraryFile
	for _, sub := range []string{"", scenarios.ExamDir} {
		entries, err := os.ReadDir(filepath.Join(l.dir, sub))
		if errors.Is(err, os.ErrNotExist) && sub != "" {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", l.dir, err)
		}
		for _, e := range entries {
			if e.Type().IsRegular() && fileNamePattern.MatchString(e.Name()) {
				name := e.Name()
				if sub != "" {
					name = sub + "/" + name
				}
				if f, err := l.resolve(name); err == nil {
					out = append(out, f)
				}
			}
		}
	}
	order := map[string]int{"catalog": 0, "scenario": 1, "exam": 2}
	slices.SortStableFunc(out, func(a, b libraryFile) int { return order[a.Kind] - order[b.Kind] })
	return out, nil
}

// errNoSuchFile is store.ErrNotFound's twin for files, mapped to 404 too.
var errNoSuchFile = errors.New("no such library file")

// validateLibraryFile checks a file's new content the way the library would load it.
// It returns the problems, or nil when the content is valid.
func validateLibraryFile(f libraryFile, data []byte, lib *scenarios.Library) scenarios.Problems {
	var err error
	switch f.Kind {
	case "catalog":
		_, err = scenarios.ParseCatalog(f.Path, data)
	case "exam":
		_, err = scenarios.ParseExam(f.Path, data, lib)
	default:
		var cat *scenarios.Catalog
		if lib != nil {
			cat = lib.Catalog()
		}
		_, err = scenarios.ParseScenario(f.Path, data, cat)
	}
	if err == nil {
		return nil
	}
	var ps scenarios.Problems
	if errors.As(err, &ps) {
		return ps
	}
	return scenarios.Problems{{File: f.Path, Line: 1, Column: 1, Message: err.Error()}}
}

// problemsOf returns the library's problems for one file.
func problemsOf(lib *scenarios.Library, path string) scenarios.Problems {
	if lib == nil {
		return nil
	}
	var out scenarios.Problems
	for _, p := range lib.Problems() {
		if filepath.Clean(p.File) == filepath.Clean(path) {
			out = append(out, p)
		}
	}
	return out
}
