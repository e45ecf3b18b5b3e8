package scenarios

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to every parser the loader uses. It checks
// that nothing panics and that a file is either accepted or rejected with
// located problems, never both or neither.
func FuzzLoad(f *testing.F) {
	for _, pattern := range []string{"../scenarios.d/*.yaml", "../scenarios.d/exams/*.yaml",
		"testdata/invalid/*.yaml", "testdata/valid/*.yaml"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, path := range files {
			data, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	cat, err := LoadCatalog("../scenarios.d/catalog.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseScenario("fuzz.yaml", data, cat)
		checkOutcome(t, s != nil, err)
		if s != nil {
			v := s.Variant(uint64(len(data)))
			if _, err := v.Canonical(); err != nil {
				t.Fatalf("canonical: %v", err)
			}
			v.ImpairmentAt(v.Duration() / 2)
			v.FaultsAt(v.Duration() / 2)
			s.Ticket()
		}
		c, err := ParseCatalog("fuzz.yaml", data)
		checkOutcome(t, c != nil, err)
		e, err := ParseExam("fuzz.yaml", data, nil)
		checkOutcome(t, e != nil, err)
	})
}

func checkOutcome(t *testing.T, ok bool, err error) {
	t.Helper()
	if ok == (err != nil) {
		t.Fatalf("accepted=%v with error %v", ok, err)
	}
	if err == nil {
		return
	}
	ps, isProblems := err.(Problems)
	if !isProblems || len(ps) == 0 {
		t.Fatalf("error is not a non-empty Problems: %T %v", err, err)
	}
	for _, p := range ps {
		if p.Line < 1 || p.Column < 1 || p.Message == "" {
			t.Fatalf("problem without a position or message: %+v", p)
		}
	}
}
