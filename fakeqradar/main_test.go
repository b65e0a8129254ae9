package fakeqradar_test

import (
	"os"
	"testing"

	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
)

func TestMain(m *testing.M) {
	// Password hashing is deliberately slow; the tests create many users.
	store.PasswordIterations = 1000
	os.Exit(m.Run())
}
