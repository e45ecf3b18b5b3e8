package webui

import (
	"bytes"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

func TestUserImportErrors(t *testing.T) {
	app := newTestApp(t, Config{})
	admin := app.mkUser(t, "root", store.RoleAdmin)
	app.mkUser(t, "taken", store.RoleTrainee)
	_, err := app.st.CreateTeam(t.Context(), "Cohort A", "")
	require.NoError(t, err)
	c := app.signedIn(t, admin)

	tests := []struct {
		name string
		csv  string
		want []string // "Line N: message" fragments, all expected
	}{
		{"empty", "", []string{"Line 1: The file is empty."}},
		{"header only", "username,role\n", []string{"Line 2: The file has a header but no users."}},
		{"missing role column", "username,team\nana,Cohort A\n", []string{`Line 1: the header lacks the required column "role".`}},
		{"unknown column", "username,role,email\nana,trainee,a@b\n", []string{`Line 1: unknown column "email"`}},
		{"per-line problems", strings.Join([]string{
			"username,display_name,role,team,password",
			"ana,Ana,trainee,Cohort A,",
			"bo,Bo,boss,,",
			"taken,Taken,trainee,,",
			"ANA,Dup,trainee,,",
			"cy,Cy,trainee,Nowhere,",
			"dee,Dee,trainee,,short",
			"bad name,X,trainee,,",
			",NoName,trainee,,",
			"eve,Eve,trainee",
		}, "\n"), []string{
			`Line 3: role "boss" is not one of trainee, trainer, manager, admin.`,
			`Line 4: username "taken" is taken.`,
			`Line 5: username "ANA" already appears on line 2.`,
			`Line 6: team "Nowhere" does not exist; create it first.`,
			`Line 7: the password must have 10 to 72 characters`,
			`Line 8: username "bad name" may only hold`,
			`Line 9: the username is empty.`,
			`Line 10: expected 5 fields, found 3.`,
		}},
		{"broken quote", "username,role\n\"ana,trainee\n", []string{"the CSV is malformed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := c.post("/admin/users/import", url.Values{"csv": {tt.csv}})
			require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
			page := body(t, rec)
			text := html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(page, ""))
			for _, w := range tt.want {
				assert.Contains(t, text, w)
			}
			assert.Contains(t, page, ">\n"+html.EscapeString(tt.csv)+"</textarea>", "the text comes back to be fixed")
		})
	}
	n, err := app.st.CountUsers(t.Context())
	require.NoError(t, err)
	assert.EqualValues(t, 2, n, "a file with any problem imports nothing")
}

func TestUserImportCreatesUsers(t *testing.T) {
	app := newTestApp(t, Config{})
	admin := app.mkUser(t, "root", store.RoleAdmin)
	team, err := app.st.CreateTeam(t.Context(), "Cohort A", "")
	require.NoError(t, err)
	c := app.signedIn(t, admin)

	csvText := "\ufeffUsername,Role,Team,Display_Name,Password\r\n" +
		"li.wei,trainee,cohort a,Li Wei,\r\n" +
		"maria@example.com,TRAINER,,Maria,correct-horse-7\r\n"
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	require.NoError(t, mw.WriteField(csrfField, c.csrfToken()))
	fw, err := mw.CreateFormFile("file", "users.csv")
	require.NoError(t, err)
	_, err = fw.Write([]byte(csvText))
	require.NoError(t, err)
	require.NoError(t, mw.Close())
	req := httptest.NewRequest(http.MethodPost, "/admin/users/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := c.do(req)
	require.Equal(t, http.StatusCreated, rec.Code, body(t, rec))
	page := body(t, rec)

	li, err := app.st.UserByUsername(t.Context(), "li.wei")
	require.NoError(t, err)
	assert.Equal(t, store.RoleTrainee, li.Role)
	assert.Equal(t, &team.ID, li.TeamID)
	assert.True(t, li.MustChangePassword)
	maria, err := app.st.UserByUsername(t.Context(), "maria@example.com")
	require.NoError(t, err)
	assert.Equal(t, store.RoleTrainer, maria.Role)
	assert.False(t, maria.MustChangePassword)

	m := regexp.MustCompile(`<code class="secret">([^<]+)</code>`).FindAllStringSubmatch(page, -1)
	require.Len(t, m, 1, "one generated password shown, none for the user who had one")
	assert.NotContains(t, page, "correct-horse-7", "given passwords are not echoed")

	li2 := app.client(t)
	rec = li2.signIn("li.wei", m[0][1])
	require.Equal(t, http.StatusSeeOther, rec.Code)
	assert.Equal(t, "/password", rec.Header().Get("Location"))
	assert.Equal(t, http.StatusSeeOther, app.client(t).signIn("maria@example.com", "correct-horse-7").Code)
}
