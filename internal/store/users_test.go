package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCreateUser(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	team, err := s.CreateTeam(ctx, "Cohort A", "")
	require.NoError(t, err)
	mustUser(t, s, "ana", RoleTrainee)

	tests := []struct {
		name    string
		in      NewUser
		wantErr error
	}{
		{"ok with team", NewUser{Username: " bo ", Role: RoleTrainer, Password: "pw-123456", TeamID: &team.ID}, nil},
		{"duplicate ignoring case", NewUser{Username: "ANA", Role: RoleTrainee, Password: "x"}, ErrConflict},
		{"unknown role", NewUser{Username: "cy", Role: "boss", Password: "x"}, ErrInvalid},
		{"empty username", NewUser{Username: "  ", Role: RoleAdmin, Password: "x"}, ErrInvalid},
		{"empty password", NewUser{Username: "dee", Role: RoleAdmin}, ErrInvalid},
		{"password over 72 bytes", NewUser{Username: "eve", Role: RoleAdmin, Password: strings.Repeat("x", 73)}, ErrInvalid},
		{"missing team", NewUser{Username: "fay", Role: RoleTrainee, Password: "x", TeamID: ptr(uint(999))}, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := s.CreateUser(ctx, tt.in)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, strings.TrimSpace(tt.in.Username), u.Username)
			assert.NotContains(t, string(u.PasswordHash), tt.in.Password)
			got, err := s.User(ctx, u.ID)
			require.NoError(t, err)
			assert.Equal(t, u.Username, got.Username)
			assert.Equal(t, tt.in.TeamID, got.TeamID)
		})
	}
}

func TestCreateUsersIsAllOrNothing(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	mustUser(t, s, "taken", RoleTrainee)
	_, err := s.CreateUsers(ctx, []NewUser{
		{Username: "new1", Role: RoleTrainee, Password: "x"},
		{Username: "taken", Role: RoleTrainee, Password: "x"},
	})
	require.ErrorIs(t, err, ErrConflict)
	_, err = s.UserByUsername(ctx, "new1")
	assert.ErrorIs(t, err, ErrNotFound)
	n, err := s.CountUsers(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, n)
}

func TestCreateFirstAdmin(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	u, err := s.CreateFirstAdmin(ctx, "admin", "one-time")
	require.NoError(t, err)
	assert.Equal(t, RoleAdmin, u.Role)
	assert.True(t, u.MustChangePassword)
	_, err = s.CreateFirstAdmin(ctx, "admin2", "other")
	assert.ErrorIs(t, err, ErrConflict)
}

func TestAuthenticate(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	mustUser(t, s, "ana", RoleTrainee)
	gone := mustUser(t, s, "gone", RoleTrainee)
	_, err := s.UpdateUser(ctx, gone.ID, UserUpdate{Role: RoleTrainee, Disabled: true})
	require.NoError(t, err)

	tests := []struct {
		name, user, password string
		ok                   bool
	}{
		{"right password", "ana", "ana-password", true},
		{"username case ignored", "ANA", "ana-password", true},
		{"wrong password", "ana", "nope", false},
		{"unknown user", "nobody", "ana-password", false},
		{"disabled user", "gone", "gone-password", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := s.Authenticate(ctx, tt.user, tt.password)
			if !tt.ok {
				assert.ErrorIs(t, err, ErrBadCredentials)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "ana", u.Username)
		})
	}
}

func TestUpdateUser(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s, "ana", RoleTrainee)
	team, err := s.CreateTeam(ctx, "Support L1", "first line")
	require.NoError(t, err)
	token, _, err := s.CreateSession(ctx, u.ID, time.Hour)
	require.NoError(t, err)

	got, err := s.UpdateUser(ctx, u.ID, UserUpdate{DisplayName: "Ana Li", Role: RoleManager, TeamID: &team.ID})
	require.NoError(t, err)
	assert.Equal(t, "Ana Li", got.Name())
	assert.Equal(t, RoleManager, got.Role)
	assert.Equal(t, &team.ID, got.TeamID)
	_, _, err = s.SessionUser(ctx, token)
	require.NoError(t, err, "a plain edit keeps the user signed in")

	_, err = s.UpdateUser(ctx, u.ID, UserUpdate{Role: RoleManager, Disabled: true})
	require.NoError(t, err)
	_, _, err = s.SessionUser(ctx, token)
	assert.ErrorIs(t, err, ErrNotFound, "disabling ends sessions")

	_, err = s.UpdateUser(ctx, 999, UserUpdate{Role: RoleTrainee})
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = s.UpdateUser(ctx, u.ID, UserUpdate{Role: "boss"})
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestSetPassword(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s, "ana", RoleTrainee)
	token, _, err := s.CreateSession(ctx, u.ID, time.Hour)
	require.NoError(t, err)

	require.NoError(t, s.SetPassword(ctx, u.ID, "new secret", true))
	_, err = s.Authenticate(ctx, "ana", "ana-password")
	assert.ErrorIs(t, err, ErrBadCredentials)
	got, err := s.Authenticate(ctx, "ana", "new secret")
	require.NoError(t, err)
	assert.True(t, got.MustChangePassword)
	_, _, err = s.SessionUser(ctx, token)
	assert.ErrorIs(t, err, ErrNotFound, "a new password ends old sessions")

	assert.ErrorIs(t, s.SetPassword(ctx, 999, "x", false), ErrNotFound)
	assert.ErrorIs(t, s.SetPassword(ctx, u.ID, "", false), ErrInvalid)
}

func TestParseRole(t *testing.T) {
	tests := map[string]Role{"trainee": RoleTrainee, " Admin ": RoleAdmin, "MANAGER": RoleManager, "trainer": RoleTrainer}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			got, err := ParseRole(in)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
	_, err := ParseRole("root")
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestUserLookupsNotFound(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	_, err := s.User(ctx, 42)
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = s.UserByUsername(ctx, "nobody")
	assert.ErrorIs(t, err, ErrNotFound)
	users, err := s.Users(ctx)
	require.NoError(t, err)
	assert.Empty(t, users)
}
