package steps

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/fakeqradar/fakeqradar/client"
)

// Defaults of Config; the role and profile names match the fake's fixtures.
const (
	DefaultRole            = "Analyst"
	DefaultAdminRole       = "Admin"
	DefaultSecurityProfile = "Default"
	DefaultWaitTimeout     = 5 * time.Minute
	// DefaultTags leaves out the scenarios that assert a Console behaviour
	// the fake is known to get wrong.
	DefaultTags = "~@fake-bug"
)

// Config says which Console the suite runs against and with what.
type Config struct {
	// URL is the Console's base URL, e.g. "https://qradar.example.com".
	// Empty means a fresh in-process fake Console per scenario.
	URL string
	// Token is an authorized service token (SEC header) with the Admin role.
	Token string
	// Username and Password are an administrator's credentials (Basic). With
	// Token set they are used only by the scenarios about Basic
	// authentication.
	Username, Password string
	// Version is the API version the suite pins, e.g. "26.0" (default
	// client.DefaultVersion).
	Version string
	// CACertFile and CACertPEM are the CA that signed the Console's
	// certificate; both empty means the system roots.
	CACertFile string
	CACertPEM  []byte
	// InsecureSkipVerify turns off TLS verification (never with a CA).
	InsecureSkipVerify bool
	// AllowWrites lets @writes scenarios create, change and delete objects
	// on a real Console. Fakes always allow writes.
	AllowWrites bool
	// Role is the role given to the users and services the suite creates,
	// e.g. "Analyst"; it must not have the ADMIN capability.
	Role string
	// AdminRole is a role with the ADMIN capability, e.g. "Admin".
	AdminRole string
	// SecurityProfile is the security profile given to what the suite
	// creates, e.g. "Default"; it must not be the "Admin" profile.
	SecurityProfile string
	// WaitTimeout bounds each wait for a task or deploy (default 5m). On a
	// fake, waits advance its clock and take no wall-clock time.
	WaitTimeout time.Duration
	// Prefix starts the name of everything the run creates (default "ct"
	// and 6 random hex digits and "-").
	Prefix string
	// Log receives notes about the target and the final sweep (default
	// os.Stderr).
	Log io.Writer
}

// Environment variables read by ConfigFromEnv.
const (
	EnvURL             = "QRADAR_URL"
	EnvToken           = "QRADAR_SEC_TOKEN"
	EnvUsername        = "QRADAR_USERNAME"
	EnvPassword        = "QRADAR_PASSWORD"
	EnvVersion         = "QRADAR_VERSION"
	EnvCACert          = "QRADAR_CA_CERT"
	EnvInsecure        = "QRADAR_INSECURE_SKIP_VERIFY"
	EnvAllowWrites     = "QRADAR_ALLOW_WRITES"
	EnvRole            = "QRADAR_ROLE"
	EnvAdminRole       = "QRADAR_ADMIN_ROLE"
	EnvSecurityProfile = "QRADAR_SECURITY_PROFILE"
)

// ConfigFromEnv reads a Config from QRADAR_* variables through getenv
// (os.Getenv when nil).
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	c := Config{
		URL:             strings.TrimSpace(getenv(EnvURL)),
		Token:           strings.TrimSpace(getenv(EnvToken)),
		Username:        getenv(EnvUsername),
		Password:        getenv(EnvPassword),
		Version:         strings.TrimSpace(getenv(EnvVersion)),
		CACertFile:      getenv(EnvCACert),
		Role:            getenv(EnvRole),
		AdminRole:       getenv(EnvAdminRole),
		SecurityProfile: getenv(EnvSecurityProfile),
	}
	var err error
	if c.InsecureSkipVerify, err = envBool(getenv, EnvInsecure); err != nil {
		return c, err
	}
	if c.AllowWrites, err = envBool(getenv, EnvAllowWrites); err != nil {
		return c, err
	}
	return c, nil
}

func envBool(getenv func(string) string, name string) (bool, error) {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s=%q: want 1 or 0", name, v)
	}
	return b, nil
}

// withDefaults fills the defaults and checks the combination.
func (c Config) withDefaults() (Config, error) {
	if c.Version == "" {
		c.Version = client.DefaultVersion
	}
	if c.Role == "" {
		c.Role = DefaultRole
	}
	if c.AdminRole == "" {
		c.AdminRole = DefaultAdminRole
	}
	if c.SecurityProfile == "" {
		c.SecurityProfile = DefaultSecurityProfile
	}
	if c.WaitTimeout <= 0 {
		c.WaitTimeout = DefaultWaitTimeout
	}
	if c.Log == nil {
		c.Log = os.Stderr
	}
	if c.Prefix == "" {
		c.Prefix = newPrefix()
	}
	if err := checkPrefix(c.Prefix); err != nil {
		return c, err
	}
	if c.URL == "" {
		return c, nil
	}
	if !strings.HasPrefix(c.URL, "https://") && !strings.HasPrefix(c.URL, "http://") {
		return c, fmt.Errorf("%s %q must start with https://", EnvURL, c.URL)
	}
	if c.Token == "" && (c.Username == "" || c.Password == "") {
		return c, fmt.Errorf("%s needs %s, or %s and %s", EnvURL, EnvToken, EnvUsername, EnvPassword)
	}
	if c.InsecureSkipVerify && (c.CACertFile != "" || len(c.CACertPEM) > 0) {
		return c, fmt.Errorf("%s and %s cannot be combined", EnvCACert, EnvInsecure)
	}
	return c, nil
}

// checkPrefix keeps names valid as QRadar usernames and service labels and
// safe inside a like filter.
func checkPrefix(p string) error {
	if len(p) > 24 {
		return fmt.Errorf("name prefix %q is longer than 24 characters", p)
	}
	for _, r := range p {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return fmt.Errorf("name prefix %q may hold only a-z, 0-9 and '-'", p)
		}
	}
	if p == "" {
		return errors.New("empty name prefix")
	}
	return nil
}

// Tags returns the tag expression for a run: user's expression (godog's
// syntax: "," is or, "&&" is and, "~" is not) with the @fake-bug scenarios
// left out unless the expression names that tag itself.
func Tags(user string) string {
	user = strings.TrimSpace(user)
	if user == "" {
		return DefaultTags
	}
	if strings.Contains(user, "fake-bug") {
		return user
	}
	terms := strings.Split(user, ",")
	for i, t := range terms {
		terms[i] = strings.TrimSpace(t) + " && " + DefaultTags
	}
	return strings.Join(terms, ",")
}
