package webui

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// FirstRunAdmin tells what FirstRun did. Password is set only when Created,
// and is shown nowhere else: print it once.
type FirstRunAdmin struct {
	Created  bool
	Username string
	Password string
}

// FirstRunUsername is the account FirstRun creates.
const FirstRunUsername = "admin"

// FirstRun gives an empty database its first account: an admin with a
// one-time password drawn from random, who must choose a new password at
// the first sign-in. On a database with users it does nothing.
func FirstRun(ctx context.Context, st *store.Store, random io.Reader) (FirstRunAdmin, error) {
	n, err := st.CountUsers(ctx)
	if err != nil {
		return FirstRunAdmin{}, fmt.Errorf("first run: %w", err)
	}
	if n > 0 {
		return FirstRunAdmin{Username: FirstRunUsername}, nil
	}
	pw, err := newOneTimePassword(random)
	if err != nil {
		return FirstRunAdmin{}, fmt.Errorf("first run: %w", err)
	}
	_, err = st.CreateFirstAdmin(ctx, FirstRunUsername, pw)
	if errors.Is(err, store.ErrConflict) {
		// Another process won the race between the count and the insert.
		return FirstRunAdmin{Username: FirstRunUsername}, nil
	}
	if err != nil {
		return FirstRunAdmin{}, fmt.Errorf("first run: %w", err)
	}
	return FirstRunAdmin{Created: true, Username: FirstRunUsername, Password: pw}, nil
}
