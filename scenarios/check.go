package scenarios

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// Check validates a library directory or a single file in the context of
// its library, the way `rtcdrill validate` and pre-commit hooks need it. A
// file is checked with its library's catalog, and duplicate ids and exam
// pools are checked against the rest of the library. The error is for paths
// that cannot be read at all.
func Check(path string) (Problems, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", path, err)
	}
	if info.IsDir() {
		lib, err := Load(path)
		if err != nil {
			return nil, err
		}
		return lib.Problems(), nil
	}
	root, ok := libraryRoot(path)
	if !ok {
		return checkAlone(path, nil)
	}
	lib, err := Load(root)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", path, err)
	}
	if !slices.ContainsFunc(lib.files, func(f string) bool { return sameFile(f, abs) }) {
		return checkAlone(path, lib)
	}
	var out Problems
	for _, p := range lib.problems {
		if sameFile(p.File, abs) {
			p.File = path
			out = append(out, p)
		}
	}
	return out, nil
}

func sameFile(name, abs string) bool {
	a, err := filepath.Abs(name)
	return err == nil && a == abs
}

// checkAlone parses a file the library would not load itself (e.g. one in
// another folder), by its name: catalog.yaml, exams/*.yaml or a scenario.
func checkAlone(path string, lib *Library) (Problems, error) {
	data, err := readCapped(path)
	if err != nil {
		return nil, err
	}
	var cat *Catalog
	if lib != nil {
		cat = lib.catalog
	}
	switch {
	case filepath.Base(path) == CatalogFile:
		_, err = ParseCatalog(path, data)
	case filepath.Base(filepath.Dir(path)) == ExamDir:
		_, err = ParseExam(path, data, lib)
	default:
		_, err = ParseScenario(path, data, cat)
	}
	var ps Problems
	if errors.As(err, &ps) {
		return ps, nil
	}
	return nil, err
}

// libraryRoot finds the library a file belongs to: the nearest of its
// directory, parent and grandparent that holds a catalog.yaml.
func libraryRoot(path string) (string, bool) {
	dir := filepath.Dir(path)
	for _, cand := range []string{dir, filepath.Join(dir, ".."), filepath.Join(dir, "..", "..")} {
		if info, err := os.Stat(filepath.Join(cand, CatalogFile)); err == nil && info.Mode().IsRegular() {
			return cand, true
		}
	}
	return "", false
}
