package webui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// usernamePattern admits plain names and e-mail addresses, nothing that
// needs escaping in a URL or a CSV cell.
var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$`)

// userFormPage is the data of the user create/edit template.
type userFormPage struct {
	Form  *form
	Teams []store.Team
	// Editing is the user being edited, nil when creating.
	Editing *store.User
}

// userInput is a validated user form.
type userInput struct {
	Username, DisplayName, Password string
	Role                            store.Role
	TeamID                          *uint
	Disabled                        bool
}

// readUserForm validates the fields shared by create and edit. The
// password is optional in both: blank means "generate one" on create and
// "keep it" on edit.
func readUserForm(f *form, loc *Locale, teams []store.Team, creating bool) userInput {
	in := userInput{DisplayName: f.Value("display_name"), Password: f.Raw("password"), Disabled: f.Checked("disabled")}
	if creating {
		in.Username = f.Value("username")
		if in.Username == "" {
			f.Fail("username", loc.T("form.required"))
		} else if !usernamePattern.MatchString(in.Username) {
			f.Fail("username", loc.T("user.username_invalid"))
		}
	}
	checkLength(f, loc, "display_name", 0, 80)
	role, err := store.ParseRole(f.Value("role"))
	if err != nil {
		f.Fail("role", loc.T("user.role_invalid"))
	}
	in.Role = role
	if v := f.Value("team"); v != "" {
		id, err := strconv.ParseUint(v, 10, 64)
		if err != nil || !hasTeam(teams, uint(id)) {
			f.Fail("team", loc.T("user.team_invalid"))
		} else {
			tid := uint(id)
			in.TeamID = &tid
		}
	}
	if in.Password != "" {
		checkNewPassword(f, loc, "password")
	}
	return in
}

func hasTeam(teams []store.Team, id uint) bool {
	for _, t := range teams {
		if t.ID == id {
			return true
		}
	}
	return false
}

// createUser stores a validated new user, generating a one-time password if
// none was given; it returns that password so it can be shown once. A taken
// username becomes a message on the field.
func (s *Server) createUser(ctx context.Context, f *form, loc *Locale, in userInput) (store.User, string, error) {
	oneTime := ""
	nu := store.NewUser{Username: in.Username, DisplayName: in.DisplayName, Role: in.Role, Password: in.Password, TeamID: in.TeamID}
	if nu.Password == "" {
		pw, err := newOneTimePassword(s.random)
		if err != nil {
			return store.User{}, "", err
		}
		oneTime, nu.Password, nu.MustChangePassword = pw, pw, true
	}
	u, err := s.store.CreateUser(ctx, nu)
	if errors.Is(err, store.ErrConflict) {
		f.Fail("username", loc.T("user.username_taken"))
		return store.User{}, "", nil
	}
	return u, oneTime, err
}

// oneTimeAlphabet leaves out look-alikes (0/O, 1/l/I) because these
// passwords are read off a screen and typed.
const oneTimeAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// newOneTimePassword draws 14 characters (about 81 bits) from r, rejecting
// bytes past the last multiple of the alphabet size to avoid modulo bias.
func newOneTimePassword(r io.Reader) (string, error) {
	const n = 14
	limit := 256 - 256%len(oneTimeAlphabet)
	out := make([]byte, 0, n)
	buf := make([]byte, 32)
	for len(out) < n {
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", fmt.Errorf("one-time password: %w", err)
		}
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, oneTimeAlphabet[int(b)%len(oneTimeAlphabet)])
			}
		}
	}
	return string(out), nil
}
