package capture_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a test leaves a goroutine behind: the
// loopback test starts real Pion peers, which must all be gone after Close.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
