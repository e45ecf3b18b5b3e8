package scenarios

import (
	"fmt"
	"slices"
)

// Catalog is the one list of root causes and remedies that scenarios refer
// to by id, so that grading compares ids and not free text.
type Catalog struct {
	// Version goes up when an id changes meaning; ids are never reused.
	Version int `yaml:"version" jsonschema:"required,minimum=1"`
	// Causes a ticket can have.
	Causes []Cause `yaml:"causes" jsonschema:"required,minItems=1"`
	// Remedies an agent can apply.
	Remedies []Remedy `yaml:"remedies" jsonschema:"required,minItems=1"`

	file string
}

// Cause is a root cause.
type Cause struct {
	ID   Slug `yaml:"id" jsonschema:"required"`
	Name Text `yaml:"name" jsonschema:"required"`
	// Layer the cause lives in, for reports by topic.
	Layer string `yaml:"layer" jsonschema:"required,enum=network,enum=server,enum=signaling,enum=client,enum=device,enum=none"`
}

// Remedy is an action an agent can take or advise.
type Remedy struct {
	ID   Slug `yaml:"id" jsonschema:"required"`
	Name Text `yaml:"name" jsonschema:"required"`
	// Does says in words what the remedy does to a running call.
	Does Text `yaml:"does" jsonschema:"required"`
	// Effect is what the engine does to the running call when the remedy is applied.
	Effect Effect `yaml:"effect" jsonschema:"required"`
}

// Effect is a remedy's action on a running call, in terms the engine
// implements. Which parameters a kind needs is checked by the loader.
type Effect struct {
	// Kind of action.
	Kind string `yaml:"kind" jsonschema:"required,enum=switch_network_type,enum=lower_resolution,enum=use_turn_relay,enum=failover_media_server,enum=scale_out,enum=switch_signaling_domain,enum=reset_session,enum=update_client,enum=switch_browser,enum=move_edge_node,enum=escalate,enum=kb_answer,enum=no_action"`
	// To is the target: a network type, a resolution, an edge node or a browser.
	To string `yaml:"to,omitempty"`
	// After is how long the action takes to show, e.g. a scale-out's 60s.
	After Duration `yaml:"after,omitempty"`
	// Codecs the client offers afterwards (update_client, switch_browser).
	Codecs []string `yaml:"codecs,omitempty" jsonschema:"uniqueItems=true,enum=vp8,enum=vp9,enum=h264,enum=av1"`
}

// effectRule says which parameters an effect kind takes.
type effectRule struct {
	to     []string // allowed targets; nil: none; {"*"}: any id
	after  bool
	codecs bool
}

func effectRuleOf(kind string) effectRule {
	switch kind {
	case "switch_network_type":
		return effectRule{to: []string{"wifi", "4g", "5g", "ethernet"}}
	case "lower_resolution":
		return effectRule{to: []string{"720p", "540p", "360p"}}
	case "move_edge_node", "switch_browser":
		return effectRule{to: []string{"*"}, codecs: kind == "switch_browser"}
	case "scale_out":
		return effectRule{after: true}
	case "update_client":
		return effectRule{codecs: true}
	}
	return effectRule{}
}

func (c *Catalog) validate(rep *report) {
	seen := make(map[Slug]string)
	for i, cause := range c.Causes {
		checkUniqueID(rep, seen, cause.ID, indexPath("causes", i)+".id")
	}
	for i, r := range c.Remedies {
		p := indexPath("remedies", i)
		checkUniqueID(rep, seen, r.ID, p+".id")
		rule, e := effectRuleOf(r.Effect.Kind), r.Effect
		switch {
		case rule.to == nil && e.To != "":
			rep.atPath(p+".effect.to", "effect %s takes no target", e.Kind)
		case rule.to != nil && e.To == "":
			rep.atPath(p+".effect", "effect %s needs a target in \"to\"", e.Kind)
		case rule.to != nil && rule.to[0] == "*" && !slugRE.MatchString(e.To):
			rep.atPath(p+".effect.to", "%q is not an id", e.To)
		case rule.to != nil && rule.to[0] != "*" && !slices.Contains(rule.to, e.To):
			rep.atPath(p+".effect.to", "effect %s goes to one of %v, not %q", e.Kind, rule.to, e.To)
		}
		if rule.after != (e.After > 0) {
			rep.atPath(p+".effect", "effect %s %s \"after\"", e.Kind, map[bool]string{true: "needs", false: "takes no"}[rule.after])
		}
		if !rule.codecs && len(e.Codecs) > 0 {
			rep.atPath(p+".effect.codecs", "effect %s takes no codecs", e.Kind)
		}
		if e.Kind == "update_client" && len(e.Codecs) == 0 {
			rep.atPath(p+".effect", "effect update_client needs the codecs the new client offers")
		}
	}
}

// checkUniqueID keeps cause and remedy ids apart too: a shared id would make
// a graded answer ambiguous.
func checkUniqueID(rep *report, seen map[Slug]string, id Slug, path string) {
	if first, ok := seen[id]; ok {
		rep.atPath(path, "id %q is already used at line %d", id, rep.lineOf(first))
		return
	}
	seen[id] = path
}

// Cause returns the cause with the given id.
func (c *Catalog) Cause(id string) (Cause, error) {
	for _, x := range c.Causes {
		if string(x.ID) == id {
			return x, nil
		}
	}
	return Cause{}, fmt.Errorf("catalog: no cause %q", id)
}

// Remedy returns the remedy with the given id.
func (c *Catalog) Remedy(id string) (Remedy, error) {
	for _, x := range c.Remedies {
		if string(x.ID) == id {
			return x, nil
		}
	}
	return Remedy{}, fmt.Errorf("catalog: no remedy %q", id)
}
