package fakeqradar

import (
	"log/slog"
	"time"

	"github.com/fakeqradar/fakeqradar/fixtures"
)

// Profile names for Options.Profile.
const (
	// ProfileDocumented follows IBM's API reference wherever the vendor note
	// and the reference disagree (the default).
	ProfileDocumented = "documented"
	// ProfileVendorNote follows the vendor note: unranged lists return a
	// default page of 50 and user responses carry nested user_role and
	// security_profile objects.
	ProfileVendorNote = "vendor-note"
)

// Options configures a Server. The zero value is a working fake: in-memory
// database, default fixtures, random admin token, HTTPS with a generated CA.
type Options struct {
	// DB is the SQLite database file, e.g. "/var/tmp/fakeqradar.db". ""
	// keeps a private in-memory database that disappears with the Server.
	// A new file is seeded with Fixtures; an existing one is used as it is.
	DB string

	// Fixtures seeds a new database. nil uses fixtures.Default().
	Fixtures *fixtures.Set

	// Token is the admin SEC token, e.g. "c0ffee00-0000-4000-8000-000000000001".
	// "" generates a random UUID. It belongs to the fixture service marked
	// admin_token.
	Token string

	// Now is the clock, e.g. func() time.Time { return fixedStart }. nil uses
	// time.Now. Server.Advance and POST /_fake/clock add an offset to it.
	Now func() time.Time

	// DeleteTaskDuration is how long a user delete task takes from QUEUED to
	// COMPLETED, e.g. 5*time.Second (the default). The first fifth of it is
	// spent QUEUED, the rest PROCESSING. [U] reference §7.5: timing unknown.
	DeleteTaskDuration time.Duration

	// DeployDuration is how long a deploy of staged changes takes, e.g.
	// time.Second (the default).
	DeployDuration time.Duration

	// Profile is ProfileDocumented ("" or "documented") or ProfileVendorNote.
	// It sets the defaults of the next three fields; a field set explicitly
	// wins.
	Profile string

	// DefaultVersion is the API version used when a request has no Version
	// header, e.g. "21.0". "" uses the latest version [C reference §3].
	DefaultVersion string

	// UnrangedPageSize is how many items a list returns without a Range
	// header: 0 means the whole list [I reference §4]; the vendor-note
	// profile uses 50. -1 forces the whole list under any profile.
	UnrangedPageSize int

	// NestedRefs adds user_role {id,name} and security_profile {id,name}
	// objects to user responses on the documented paths as well (they are
	// always present on the vendor-note compatibility paths). The
	// vendor-note profile turns it on.
	NestedRefs bool

	// MinPasswordLength is the password policy's minimum length, e.g. 8 (the
	// default). [U] reference §7.3: the policy is configurable on a Console.
	MinPasswordLength int

	// SeedUsers adds this many synthetic deployed users (user0000001, …)
	// after the fixtures, e.g. 100000, when the database is new.
	SeedUsers int

	// SessionCookies makes Basic-authenticated responses carry
	// "Set-Cookie: SEC=<session token>", a token the user may then send as
	// its SEC header until POST /api/auth/logout, a password change or its
	// deletion — what the Ansible collection expects [I reference §1]. Off by
	// default: otherwise no response but authorized-service creation
	// carries a token.
	SessionCookies bool

	// HTTP serves plain HTTP instead of HTTPS (Serve only).
	HTTP bool

	// TLSCertFile and TLSKeyFile load a certificate instead of generating a
	// CA and a leaf certificate for localhost, 127.0.0.1 and ::1.
	TLSCertFile, TLSKeyFile string

	// ReadHeaderTimeout bounds how long a client may take to send its
	// request headers (Serve only), e.g. 10*time.Second (the default): a
	// slow-loris client cannot hold a connection longer.
	ReadHeaderTimeout time.Duration

	// Logger receives one line per request (method, path, status, duration;
	// never credentials). nil discards.
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.DeleteTaskDuration <= 0 {
		o.DeleteTaskDuration = 5 * time.Second
	}
	if o.DeployDuration <= 0 {
		o.DeployDuration = time.Second
	}
	if o.Profile == "" {
		o.Profile = ProfileDocumented
	}
	if o.Profile == ProfileVendorNote {
		if o.UnrangedPageSize == 0 {
			o.UnrangedPageSize = 50
		}
		o.NestedRefs = true
	}
	if o.UnrangedPageSize < 0 {
		o.UnrangedPageSize = 0
	}
	if o.MinPasswordLength <= 0 {
		o.MinPasswordLength = 8
	}
	if o.ReadHeaderTimeout <= 0 {
		o.ReadHeaderTimeout = 10 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}
