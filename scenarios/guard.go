package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Limits a hostile or broken file runs into before it can cost memory or
// time. Real scenarios are a few KiB and nest about six levels deep.
const (
	// MaxFileSize is the largest file the loader reads.
	MaxFileSize = 1 << 20
	// MaxDepth is the deepest nesting of mappings and lists accepted.
	MaxDepth = 32
	// MaxNodes caps the YAML nodes a document may expand to once every
	// alias is followed, which defuses "billion laughs" files.
	MaxNodes = 50_000
)

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): `)

// parseDocument turns bytes into the single YAML document they must hold,
// refusing oversized, multi-document, too deep or alias-bombed input before
// anything walks it.
func parseDocument(rep *report, data []byte, schemaName string) *yaml.Node {
	if len(data) > MaxFileSize {
		rep.atNode(nil, "", "file is %d bytes, over the %d byte limit", len(data), MaxFileSize)
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := safeDecode(dec, &doc); err != nil {
		if errors.Is(err, io.EOF) {
			rep.atNode(nil, "", "file holds no YAML document")
		} else {
			syntaxProblem(rep, err)
		}
		return nil
	}
	var extra yaml.Node
	switch err := safeDecode(dec, &extra); {
	case err == nil:
		rep.atNode(&extra, "", "a file holds one YAML document; remove this second one")
		return nil
	case !errors.Is(err, io.EOF):
		syntaxProblem(rep, err)
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		rep.atNode(&doc, "", "file holds no YAML document")
		return nil
	}
	root := doc.Content[0]
	m := measurer{memo: make(map[*yaml.Node]extent), open: make(map[*yaml.Node]bool)}
	if _, err := m.measure(root, 1); err != nil {
		rep.atNode(m.at, "", "%v", err)
		return nil
	}
	return root
}

// safeDecode runs the YAML parser and turns a panic inside it into a problem:
// a crafted file must never take the server down with it.
func safeDecode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: parser failed: %v", r)
		}
	}()
	return dec.Decode(n)
}

func syntaxProblem(rep *report, err error) {
	msg := err.Error()
	line := 1
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
		if isParserProblem(msg) {
			// yaml.v3 prints a parser error's 0-based mark, which is the
			// start of the enclosing collection; scanner errors are 1-based.
			line++
		}
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	rep.atNode(&yaml.Node{Line: line, Column: 1}, "", "YAML syntax: %s", msg)
}

// isParserProblem tells libyaml's parser messages from its scanner's.
func isParserProblem(msg string) bool {
	switch msg {
	case "did not find expected ',' or ']'", "did not find expected ',' or '}'",
		"did not find expected '-' indicator", "did not find expected <document start>",
		"did not find expected key", "did not find expected node content",
		"did not find expected <stream-start>", "found duplicate %YAML directive",
		"found duplicate %TAG directive", "found incompatible YAML document",
		"found undefined tag handle":
		return true
	}
	return false
}

// checkHeader wants the yaml-language-server line that ties the file to its
// schema, so every editor that opens it completes and checks fields.
func checkHeader(rep *report, data []byte, schemaName string) {
	const prefix = "# yaml-language-server: $schema="
	first, _, _ := bytes.Cut(data, []byte("\n"))
	line := strings.TrimRight(string(first), "\r ")
	if !strings.HasPrefix(line, prefix) || !strings.HasSuffix(line, schemaName) {
		rep.atNode(nil, "", "first line must be %q ending in %s so editors check the file",
			prefix+"...", schemaName)
	}
}

// measurer checks depth and expanded size, following aliases with a memo so
// that measuring a bomb costs no more than its text.
type measurer struct {
	memo map[*yaml.Node]extent
	open map[*yaml.Node]bool
	at   *yaml.Node
}

// extent is what a node expands to: its node count and how many levels it
// nests, so that an alias reused deeper down is measured at its new depth.
type extent struct{ size, height int }

func (m *measurer) measure(n *yaml.Node, depth int) (extent, error) {
	if e, ok := m.memo[n]; ok {
		return e, m.check(n, depth, e)
	}
	if m.open[n] {
		m.at = n
		return extent{}, fmt.Errorf("anchor &%s is used inside itself", n.Anchor)
	}
	if depth > MaxDepth {
		return extent{}, m.check(n, depth, extent{height: 1})
	}
	m.open[n] = true
	defer delete(m.open, n)
	e := extent{size: 1, height: 1}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			m.at = n
			return extent{}, fmt.Errorf("alias *%s has no anchor", n.Value)
		}
		t, err := m.measure(n.Alias, depth)
		if err != nil {
			// Report where the alias is used: the anchored node was fine
			// where it was written, or it contains this very alias.
			m.at = n
			return extent{}, err
		}
		e = t
	}
	for _, c := range n.Content {
		ce, err := m.measure(c, depth+1)
		if err != nil {
			return extent{}, err
		}
		e.size += ce.size
		e.height = max(e.height, ce.height+1)
		if e.size > MaxNodes {
			break
		}
	}
	m.memo[n] = e
	return e, m.check(n, depth, e)
}

func (m *measurer) check(n *yaml.Node, depth int, e extent) error {
	switch {
	case depth+e.height-1 > MaxDepth:
		m.at = n
		return fmt.Errorf("nesting deeper than %d levels", MaxDepth)
	case e.size > MaxNodes:
		m.at = n
		return fmt.Errorf("document expands to more than %d nodes (aliases included)", MaxNodes)
	}
	return nil
}
