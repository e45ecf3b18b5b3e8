package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// ErrInvalid reports a value the store refuses whatever the caller's own
// validation said, such as an unknown role or an empty username.
var ErrInvalid = errors.New("invalid")

// Role is what a user may do in rtcdrill.
type Role string

// The roles, from least to most privileged in the platform.
const (
	RoleTrainee Role = "trainee"
	RoleTrainer Role = "trainer"
	RoleManager Role = "manager"
	RoleAdmin   Role = "admin"
)

// Roles lists every role in a stable order, for forms and validation.
func Roles() []Role { return []Role{RoleTrainee, RoleTrainer, RoleManager, RoleAdmin} }

// Valid tells whether r is one of Roles.
func (r Role) Valid() bool {
	for _, v := range Roles() {
		if r == v {
			return true
		}
	}
	return false
}

// ParseRole reads a role name as typed in a form or a CSV file.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if !r.Valid() {
		return "", fmt.Errorf("parse role %q: %w", s, ErrInvalid)
	}
	return r, nil
}

// User is an account. PasswordHash never leaves the store in JSON.
type User struct {
	ID                 uint `gorm:"primaryKey"`
	Username           string
	DisplayName        string
	Role               Role
	PasswordHash       []byte `json:"-"`
	MustChangePassword bool
	TeamID             *uint
	Disabled           bool
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Name is what the UI calls the user: the display name, else the username.
func (u User) Name() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}

// NewUser is what CreateUser needs. Password is the plain text; only its
// bcrypt hash is stored.
type NewUser struct {
	Username           string
	DisplayName        string
	Role               Role
	Password           string
	TeamID             *uint
	MustChangePassword bool
}

// CreateUser adds one account. A taken username is ErrConflict.
func (s *Store) CreateUser(ctx context.Context, nu NewUser) (User, error) {
	users, err := s.CreateUsers(ctx, []NewUser{nu})
	if err != nil {
		return User{}, err
	}
	return users[0], nil
}

// CreateUsers adds accounts all together or not at all, for CSV imports
// where a half-applied file would be hard to fix.
func (s *Store) CreateUsers(ctx context.Context, nus []NewUser) ([]User, error) {
	users := make([]User, 0, len(nus))
	for _, nu := range nus {
		u, err := s.newUser(nu)
		if err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for i := range users {
			if err := tx.Create(&users[i]).Error; err != nil {
				return dbErr(err, "create user %q", users[i].Username)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return users, nil
}

// CreateFirstAdmin creates an admin who must change the password at first
// sign-in, but only on an empty database: it is ErrConflict otherwise, so
// that two starting servers cannot both mint one.
func (s *Store) CreateFirstAdmin(ctx context.Context, username, password string) (User, error) {
	u, err := s.newUser(NewUser{Username: username, Role: RoleAdmin, Password: password, MustChangePassword: true})
	if err != nil {
		return User{}, err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.lock(tx, lockFirstAdmin); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&User{}).Count(&n).Error; err != nil {
			return dbErr(err, "count users")
		}
		if n > 0 {
			return fmt.Errorf("first admin: %d users exist: %w", n, ErrConflict)
		}
		return dbErr(tx.Create(&u).Error, "create first admin %q", username)
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

func (s *Store) newUser(nu NewUser) (User, error) {
	name := strings.TrimSpace(nu.Username)
	if name == "" {
		return User{}, fmt.Errorf("new user: empty username: %w", ErrInvalid)
	}
	if !nu.Role.Valid() {
		return User{}, fmt.Errorf("new user %q: role %q: %w", name, nu.Role, ErrInvalid)
	}
	hash, err := s.hashPassword(nu.Password)
	if err != nil {
		return User{}, fmt.Errorf("new user %q: %w", name, err)
	}
	return User{
		Username:           name,
		DisplayName:        strings.TrimSpace(nu.DisplayName),
		Role:               nu.Role,
		PasswordHash:       hash,
		MustChangePassword: nu.MustChangePassword,
		TeamID:             nu.TeamID,
	}, nil
}

func (s *Store) hashPassword(password string) ([]byte, error) {
	if password == "" {
		return nil, fmt.Errorf("empty password: %w", ErrInvalid)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.bcryptCost)
	if errors.Is(err, bcrypt.ErrPasswordTooLong) {
		return nil, fmt.Errorf("hash password: %w: %w", err, ErrInvalid)
	}
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	return hash, nil
}

// User returns the account with the given id.
func (s *Store) User(ctx context.Context, id uint) (User, error) {
	var u User
	err := s.db.WithContext(ctx).First(&u, id).Error
	return u, dbErr(err, "user %d", id)
}

// UserByUsername returns the account with the given username, ignoring case.
func (s *Store) UserByUsername(ctx context.Context, username string) (User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("lower(username) = lower(?)", strings.TrimSpace(username)).First(&u).Error
	return u, dbErr(err, "user %q", username)
}

// Users lists every account by username.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	var us []User
	err := s.db.WithContext(ctx).Order("lower(username), id").Find(&us).Error
	return us, dbErr(err, "list users")
}

// CountUsers reports how many accounts exist, to detect a first run.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&User{}).Count(&n).Error
	return n, dbErr(err, "count users")
}

// UserUpdate is what an admin may change on an account besides the password.
type UserUpdate struct {
	DisplayName string
	Role        Role
	TeamID      *uint
	Disabled    bool
}

// UpdateUser changes an account. Disabling it also ends its sessions, so
// the change takes effect at once rather than at session expiry.
func (s *Store) UpdateUser(ctx context.Context, id uint, up UserUpdate) (User, error) {
	if !up.Role.Valid() {
		return User{}, fmt.Errorf("update user %d: role %q: %w", id, up.Role, ErrInvalid)
	}
	var u User
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&u, id).Error; err != nil {
			return dbErr(err, "update user %d", id)
		}
		err := tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{
			"display_name": strings.TrimSpace(up.DisplayName), "role": up.Role,
			"team_id": up.TeamID, "disabled": up.Disabled, "updated_at": s.nowUTC(),
		}).Error
		if err != nil {
			return dbErr(err, "update user %d", id)
		}
		if err := tx.First(&u, id).Error; err != nil {
			return dbErr(err, "update user %d", id)
		}
		if up.Disabled {
			return dbErr(tx.Where("user_id = ?", id).Delete(&Session{}).Error, "end sessions of user %d", id)
		}
		return nil
	})
	return u, err
}

// SetPassword replaces a password and ends all the user's sessions; the
// caller signs the user in afresh if the change was their own.
func (s *Store) SetPassword(ctx context.Context, id uint, password string, mustChange bool) error {
	hash, err := s.hashPassword(password)
	if err != nil {
		return fmt.Errorf("set password of user %d: %w", id, err)
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{
			"password_hash": hash, "must_change_password": mustChange, "updated_at": s.nowUTC(),
		})
		if res.Error != nil {
			return dbErr(res.Error, "set password of user %d", id)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("set password of user %d: %w", id, ErrNotFound)
		}
		return dbErr(tx.Where("user_id = ?", id).Delete(&Session{}).Error, "end sessions of user %d", id)
	})
}

// CheckPassword tells whether password is the user's current one.
func (s *Store) CheckPassword(u User, password string) bool {
	return bcrypt.CompareHashAndPassword(u.PasswordHash, []byte(password)) == nil
}

// Authenticate checks a username and password. Unknown users, wrong
// passwords and disabled accounts all give ErrBadCredentials, and an unknown
// user still costs one bcrypt comparison so timing does not tell them apart.
func (s *Store) Authenticate(ctx context.Context, username, password string) (User, error) {
	u, err := s.UserByUsername(ctx, username)
	if errors.Is(err, ErrNotFound) {
		_ = bcrypt.CompareHashAndPassword(s.decoyHash(), []byte(password))
		return User{}, fmt.Errorf("authenticate %q: %w", username, ErrBadCredentials)
	}
	if err != nil {
		return User{}, fmt.Errorf("authenticate %q: %w", username, err)
	}
	if !s.CheckPassword(u, password) || u.Disabled {
		return User{}, fmt.Errorf("authenticate %q: %w", username, ErrBadCredentials)
	}
	return u, nil
}
