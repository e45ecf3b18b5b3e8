package webui

import (
	"errors"
	"net/url"
	"slices"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/scenarios"
)

// readAnswer checks a diagnosis as typed into the form (or sent to the
// API, which goes through the same form). A draft may be partial; a final
// answer needs a root cause and an escalation decision.
func readAnswer(f *form, loc *Locale, cat *scenarios.Catalog, final bool) store.Answer {
	ans := store.Answer{RootCause: f.Value("root_cause"), CustomerNote: f.Value("customer_note"), Evidence: []string{}}
	switch {
	case ans.RootCause == "" && final:
		f.Fail("root_cause", loc.T("answer.root_cause_required"))
	case ans.RootCause != "":
		if _, err := cat.Cause(ans.RootCause); err != nil {
			f.Fail("root_cause", loc.T("answer.unknown_cause"))
		}
	}
	for _, e := range f.values["evidence"] {
		switch {
		case !slices.Contains(evidenceIDs(), e):
			f.Fail("evidence", loc.T("answer.unknown_evidence"))
		case !slices.Contains(ans.Evidence, e):
			ans.Evidence = append(ans.Evidence, e)
		}
	}
	checkLength(f, loc, "evidence_note", 0, 1000)
	if t := f.Value("evidence_note"); t != "" {
		ans.Evidence = append(ans.Evidence, evidenceTextPrefix+t)
	}
	checkLength(f, loc, "customer_note", 0, 2000)
	switch f.Value("escalate") {
	case "yes":
		ans.Escalate = true
	case "no":
	case "":
		if final {
			f.Fail("escalate", loc.T("answer.escalate_required"))
		}
	default:
		f.Fail("escalate", loc.T("answer.escalate_required"))
	}
	return ans
}

// answerValues turns an API answer into the form's fields.
func answerValues(in apiAnswer) url.Values {
	v := url.Values{"root_cause": {in.RootCause}, "evidence": in.Evidence,
		"evidence_note": {in.EvidenceNote}, "customer_note": {in.CustomerNote}}
	if in.Escalate != nil {
		v.Set("escalate", "no")
		if *in.Escalate {
			v.Set("escalate", "yes")
		}
	}
	return v
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
