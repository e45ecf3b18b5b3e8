package store

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	"gorm.io/gorm"
)

// Session is a signed-in browser. Only the SHA-256 of its token is kept, so a
// copy of the database does not let anyone take over live sessions.
type Session struct {
	TokenHash string `gorm:"primaryKey"`
	UserID    uint
	CreatedAt time.Time
	ExpiresAt time.Time
}

// newToken returns a random URL-safe token with 32 bytes of entropy and the
// hash under which it is stored.
func (s *Store) newToken(prefix string) (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := io.ReadFull(s.random, b); err != nil {
		return "", "", fmt.Errorf("new token: %w", err)
	}
	token = prefix + base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token), nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateSession signs a user in for ttl and returns the token for the
// cookie. Expired sessions are purged on the way, which keeps the table small
// without a background sweeper.
func (s *Store) CreateSession(ctx context.Context, userID uint, ttl time.Duration) (string, Session, error) {
	if ttl <= 0 {
		return "", Session{}, fmt.Errorf("create session for user %d: ttl %v: %w", userID, ttl, ErrInvalid)
	}
	token, hash, err := s.newToken("")
	if err != nil {
		return "", Session{}, fmt.Errorf("create session for user %d: %w", userID, err)
	}
	now := s.nowUTC()
	sess := Session{TokenHash: hash, UserID: userID, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("expires_at <= ?", now).Delete(&Session{}).Error; err != nil {
			return dbErr(err, "purge expired sessions")
		}
		return dbErr(tx.Create(&sess).Error, "create session for user %d", userID)
	})
	if err != nil {
		return "", Session{}, err
	}
	return token, sess, nil
}

// SessionUser returns the user signed in with token. A missing or expired
// session, or a disabled user, is ErrNotFound.
func (s *Store) SessionUser(ctx context.Context, token string) (User, Session, error) {
	var sess Session
	db := s.db.WithContext(ctx)
	if err := db.Where("token_hash = ? AND expires_at > ?", hashToken(token), s.nowUTC()).First(&sess).Error; err != nil {
		return User{}, Session{}, dbErr(err, "session")
	}
	var u User
	if err := db.Where("id = ? AND NOT disabled", sess.UserID).First(&u).Error; err != nil {
		return User{}, Session{}, dbErr(err, "session user %d", sess.UserID)
	}
	return u, sess, nil
}

// DeleteSession signs a browser out. An unknown token is not an error:
// signing out twice must not fail.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	err := s.db.WithContext(ctx).Where("token_hash = ?", hashToken(token)).Delete(&Session{}).Error
	return dbErr(err, "delete session")
}

// APIToken is a long-lived credential for the JSON API. As with sessions only
// a hash is kept; Prefix lets the owner recognise it in a list.
type APIToken struct {
	ID         uint `gorm:"primaryKey"`
	UserID     uint
	Name       string
	TokenHash  string `json:"-"`
	Prefix     string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	ExpiresAt  *time.Time
}

// apiTokenPrefix marks API tokens so that leaked ones are easy to grep for.
const apiTokenPrefix = "rtd_"

// CreateAPIToken issues a token for a user and returns its only plain-text
// copy. A nil expiresAt means it lasts until deleted.
func (s *Store) CreateAPIToken(ctx context.Context, userID uint, name string, expiresAt *time.Time) (string, APIToken, error) {
	token, hash, err := s.newToken(apiTokenPrefix)
	if err != nil {
		return "", APIToken{}, fmt.Errorf("create api token for user %d: %w", userID, err)
	}
	t := APIToken{UserID: userID, Name: name, TokenHash: hash, Prefix: token[:len(apiTokenPrefix)+6],
		ExpiresAt: dbTimePtr(expiresAt)}
	if err := s.db.WithContext(ctx).Create(&t).Error; err != nil {
		return "", APIToken{}, dbErr(err, "create api token for user %d", userID)
	}
	return token, t, nil
}

// APITokenUser returns the user owning token and notes its use. Unknown,
// expired or disabled-owner tokens are ErrNotFound.
func (s *Store) APITokenUser(ctx context.Context, token string) (User, APIToken, error) {
	var t APIToken
	now := s.nowUTC()
	db := s.db.WithContext(ctx)
	err := db.Where("token_hash = ? AND (expires_at IS NULL OR expires_at > ?)", hashToken(token), now).First(&t).Error
	if err != nil {
		return User{}, APIToken{}, dbErr(err, "api token")
	}
	var u User
	if err := db.Where("id = ? AND NOT disabled", t.UserID).First(&u).Error; err != nil {
		return User{}, APIToken{}, dbErr(err, "api token user %d", t.UserID)
	}
	if err := db.Model(&APIToken{}).Where("id = ?", t.ID).Update("last_used_at", now).Error; err != nil {
		return User{}, APIToken{}, dbErr(err, "note use of api token %d", t.ID)
	}
	t.LastUsedAt = &now
	return u, t, nil
}

// APITokens lists a user's tokens, newest first.
func (s *Store) APITokens(ctx context.Context, userID uint) ([]APIToken, error) {
	var ts []APIToken
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("id DESC").Find(&ts).Error
	return ts, dbErr(err, "api tokens of user %d", userID)
}

// DeleteAPIToken revokes one of a user's tokens; another user's token is
// ErrNotFound, not a silent no-op.
func (s *Store) DeleteAPIToken(ctx context.Context, userID, id uint) error {
	res := s.db.WithContext(ctx).Where("id = ? AND user_id = ?", id, userID).Delete(&APIToken{})
	if res.Error != nil {
		return dbErr(res.Error, "delete api token %d", id)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("delete api token %d of user %d: %w", id, userID, ErrNotFound)
	}
	return nil
}
