package scenarios

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTicketLeaksNoAnswer marshals every ticket as the web layer would and
// looks for any string of the answer key in it.
func TestTicketLeaksNoAnswer(t *testing.T) {
	lib := loadLibrary(t)
	cat := lib.Catalog()
	for _, s := range lib.Scenarios() {
		t.Run(string(s.ID), func(t *testing.T) {
			b, err := json.Marshal(s.Ticket())
			require.NoError(t, err)
			ticket := string(b)
			assert.Contains(t, ticket, s.Complaint.ZH)
			assert.Contains(t, ticket, s.Customer.Client.Version)

			a := s.Answer
			secrets := []string{string(s.ID), a.Explanation.ZH, a.Explanation.EN, a.KB.Title.ZH, a.KB.Title.EN,
				a.KB.Body.ZH, a.KB.Body.EN, string(a.RootCause)}
			cause, err := cat.Cause(string(a.RootCause))
			require.NoError(t, err)
			secrets = append(secrets, cause.Name.ZH, cause.Name.EN)
			for _, list := range [][]Slug{a.Resolves, a.Accepted, a.Harmful, a.Contributing} {
				for _, id := range list {
					secrets = append(secrets, string(id))
				}
			}
			for _, c := range a.Evidence.Metrics {
				secrets = append(secrets, c.String())
			}
			for _, p := range a.Evidence.Logs {
				secrets = append(secrets, p.String())
			}
			for _, secret := range secrets {
				assert.False(t, strings.Contains(ticket, jsonText(t, secret)), "ticket leaks %q", secret)
			}
		})
	}
}

// jsonText is how a string appears inside JSON, escapes included.
func jsonText(tb testing.TB, s string) string {
	tb.Helper()
	b, err := json.Marshal(s)
	require.NoError(tb, err)
	return strings.Trim(string(b), `"`)
}
