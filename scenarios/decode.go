package scenarios

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// nodeDecoder is implemented by field types that parse their own spelling
// (units, ranges, metric conditions); the walker locates their errors.
type nodeDecoder interface {
	decodeNode(n *yaml.Node) error
}

// nodeError places an error on an inner node, e.g. one element of a list of
// choices, instead of on the whole field.
type nodeError struct {
	node *yaml.Node
	err  error
}

func (e *nodeError) Error() string { return e.err.Error() }
func (e *nodeError) Unwrap() error { return e.err }

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// describe names what a trainer wrote, for "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!str":
			return strconv.Quote(n.Value)
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return "the boolean " + n.Value
		case "!!null":
			return "nothing (null)"
		}
		return n.ShortTag() + " " + strconv.Quote(n.Value)
	}
	return "nothing"
}

// walker decodes a YAML node tree into Go values by hand, so that it can
// report every unknown field, wrong type and missing field of a file at
// once, each with its position; yaml.v3 stops at the first.
type walker struct {
	rep *report
}

func (w *walker) decode(n *yaml.Node, path string, v reflect.Value) {
	n = resolveAlias(n)
	w.rep.remember(path, n)
	if d, ok := v.Addr().Interface().(nodeDecoder); ok {
		if err := d.decodeNode(n); err != nil {
			at := n
			var ne *nodeError
			if errors.As(err, &ne) {
				at = ne.node
			}
			w.rep.atNode(at, path, "%v", err)
		}
		return
	}
	if v.Kind() == reflect.Pointer {
		if isNull(n) {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		w.decode(n, path, v.Elem())
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		w.decodeStruct(n, path, v)
	case reflect.Slice:
		w.decodeSlice(n, path, v)
	case reflect.String:
		if !isScalar(n, "!!str") {
			hint := ""
			if n.Kind == yaml.ScalarNode && !isNull(n) {
				hint = fmt.Sprintf(" (quote it: %q)", n.Value)
			}
			w.rep.atNode(n, path, "expected text, got %s%s", describe(n), hint)
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		var b bool
		if !isScalar(n, "!!bool") || n.Decode(&b) != nil {
			w.rep.atNode(n, path, "expected true or false, got %s", describe(n))
			return
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64:
		var i int64
		if !isScalar(n, "!!int") || n.Decode(&i) != nil {
			w.rep.atNode(n, path, "expected a whole number, got %s", describe(n))
			return
		}
		v.SetInt(i)
	case reflect.Float64:
		var f float64
		if !(isScalar(n, "!!int") || isScalar(n, "!!float")) || n.Decode(&f) != nil ||
			math.IsNaN(f) || math.IsInf(f, 0) {
			w.rep.atNode(n, path, "expected a number, got %s", describe(n))
			return
		}
		v.SetFloat(f)
	default:
		w.rep.atNode(n, path, "field of Go type %s cannot be decoded", v.Type())
	}
}

func isScalar(n *yaml.Node, tag string) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == tag
}

func isNull(n *yaml.Node) bool { return isScalar(n, "!!null") }

func (w *walker) decodeSlice(n *yaml.Node, path string, v reflect.Value) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.SequenceNode {
		w.rep.atNode(n, path, "expected a list, got %s", describe(n))
		return
	}
	out := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, c := range n.Content {
		w.decode(c, indexPath(path, i), out.Index(i))
	}
	v.Set(out)
}

func (w *walker) decodeStruct(n *yaml.Node, path string, v reflect.Value) {
	fields := fieldsOf(v.Type())
	if n.Kind != yaml.MappingNode {
		w.rep.atNode(n, path, "expected a mapping with the fields %s, got %s", fields.names(), describe(n))
		return
	}
	seen := make(map[string]*yaml.Node)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := resolveAlias(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			w.rep.atNode(k, path, "field names must be plain text, got %s", describe(k))
			continue
		}
		fp := joinPath(path, k.Value)
		if k.Value == "<<" {
			w.rep.atNode(k, fp, "merge keys (<<) are not supported: write the fields out, or alias a whole value")
			continue
		}
		f, ok := fields.byName[k.Value]
		if !ok {
			w.rep.atNode(k, fp, "unknown field %q%s", k.Value, fields.suggest(k.Value))
			continue
		}
		if first := seen[k.Value]; first != nil {
			w.rep.atNode(k, fp, "field %q is written twice (first at line %d)", k.Value, first.Line)
			continue
		}
		seen[k.Value] = k
		before := len(w.rep.list)
		w.decode(val, fp, v.Field(f.index))
		if len(w.rep.list) == before {
			w.checkTags(f, resolveAlias(val), fp, v.Field(f.index))
		}
	}
	for _, f := range fields.list {
		if f.required && seen[f.name] == nil {
			w.rep.atNode(n, joinPath(path, f.name), "missing required field %q", f.name)
		}
	}
}

// checkTags enforces the constraints written in `jsonschema` struct tags, the
// same tags the JSON Schema is generated from, so editor and loader agree.
func (w *walker) checkTags(f field, n *yaml.Node, path string, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if len(v.String()) < f.minLen {
			w.rep.atNode(n, path, "must not be empty")
		}
		if len(f.enum) > 0 && !contains(f.enum, v.String()) {
			w.rep.atNode(n, path, "%q is not one of: %s", v.String(), strings.Join(f.enum, ", "))
		}
	case reflect.Int, reflect.Int64, reflect.Float64:
		x := v.Convert(reflect.TypeFor[float64]()).Float()
		if f.minimum != nil && x < *f.minimum {
			w.rep.atNode(n, path, "%v is below the minimum %v", x, *f.minimum)
		}
		if f.maximum != nil && x > *f.maximum {
			w.rep.atNode(n, path, "%v is above the maximum %v", x, *f.maximum)
		}
	case reflect.Slice:
		if v.Len() < f.minItems {
			w.rep.atNode(n, path, "needs at least %d item(s)", f.minItems)
		}
		if v.Type().Elem().Kind() != reflect.String {
			return
		}
		seen := make(map[string]bool)
		for i := range v.Len() {
			s, at := v.Index(i).String(), resolveAlias(n.Content[i])
			if len(f.enum) > 0 && !contains(f.enum, s) {
				w.rep.atNode(at, indexPath(path, i), "%q is not one of: %s", s, strings.Join(f.enum, ", "))
			}
			if f.unique && seen[s] {
				w.rep.atNode(at, indexPath(path, i), "%q is listed twice", s)
			}
			seen[s] = true
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
