package scenarios

import (
	"reflect"
	"strconv"
	"strings"
)

// field is one struct field as the YAML walker sees it, with the constraints
// of its `jsonschema` tag.
type field struct {
	name     string
	index    int
	required bool
	unique   bool
	enum     []string
	minimum  *float64
	maximum  *float64
	minItems int
	minLen   int
}

type fieldSet struct {
	list   []field
	byName map[string]field
}

// fieldsOf reads the yaml and jsonschema tags of t. It is recomputed per
// struct decoded: the package keeps no mutable cache.
func fieldsOf(t reflect.Type) fieldSet {
	fs := fieldSet{byName: make(map[string]field)}
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		if !sf.IsExported() || name == "" || name == "-" {
			continue
		}
		f := field{name: name, index: i}
		for _, tag := range strings.Split(sf.Tag.Get("jsonschema"), ",") {
			key, val, _ := strings.Cut(tag, "=")
			switch key {
			case "required":
				f.required = true
			case "uniqueItems":
				f.unique = true
			case "enum":
				f.enum = append(f.enum, val)
			case "minimum":
				f.minimum = parseTagFloat(val)
			case "maximum":
				f.maximum = parseTagFloat(val)
			case "minItems":
				f.minItems, _ = strconv.Atoi(val)
			case "minLength":
				f.minLen, _ = strconv.Atoi(val)
			}
		}
		fs.list = append(fs.list, f)
		fs.byName[name] = f
	}
	return fs
}

func parseTagFloat(s string) *float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil
	}
	return &v
}

func (fs fieldSet) names() string {
	names := make([]string, len(fs.list))
	for i, f := range fs.list {
		names[i] = f.name
	}
	return strings.Join(names, ", ")
}

// suggest proposes the known field closest to a misspelt one.
func (fs fieldSet) suggest(name string) string {
	best, bestDist := "", 3
	for _, f := range fs.list {
		// Short names are a couple of edits from anything: no guess there.
		if d := editDistance(name, f.name); d < bestDist && d < len(name)-1 {
			best, bestDist = f.name, d
		}
	}
	if best == "" {
		return "; known fields: " + fs.names()
	}
	return "; did you mean " + strconv.Quote(best) + "?"
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
