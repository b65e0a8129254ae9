package steps_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/steps"
)

func TestConfigFromEnv(t *testing.T) {
	env := map[string]string{
		"QRADAR_URL": " https://qradar.example.com ", "QRADAR_SEC_TOKEN": "tok", "QRADAR_USERNAME": "u", "QRADAR_PASSWORD": "p",
		"QRADAR_VERSION": "20.0", "QRADAR_CA_CERT": "/ca.pem", "QRADAR_INSECURE_SKIP_VERIFY": "0", "QRADAR_ALLOW_WRITES": "1",
		"QRADAR_ROLE": "Operator", "QRADAR_ADMIN_ROLE": "All", "QRADAR_SECURITY_PROFILE": "Ops",
	}
	cfg, err := steps.ConfigFromEnv(func(k string) string { return env[k] })
	require.NoError(t, err)
	assert.Equal(t, steps.Config{
		URL: "https://qradar.example.com", Token: "tok", Username: "u", Password: "p", Version: "20.0",
		CACertFile: "/ca.pem", AllowWrites: true, Role: "Operator", AdminRole: "All", SecurityProfile: "Ops",
	}, cfg)

	_, err = steps.ConfigFromEnv(func(k string) string {
		if k == "QRADAR_INSECURE_SKIP_VERIFY" {
			return "yes please"
		}
		return ""
	})
	assert.ErrorContains(t, err, "QRADAR_INSECURE_SKIP_VERIFY")
}

func TestNew_RejectsBadConfigs(t *testing.T) {
	for name, tc := range map[string]struct {
		cfg  steps.Config
		want string
	}{
		"no credentials":     {steps.Config{URL: "https://q.example.com"}, "needs QRADAR_SEC_TOKEN"},
		"half of Basic":      {steps.Config{URL: "https://q.example.com", Username: "u"}, "needs QRADAR_SEC_TOKEN"},
		"not HTTP":           {steps.Config{URL: "ftp://q.example.com", Token: "t"}, "must start with https://"},
		"CA and insecure":    {steps.Config{URL: "https://q.example.com", Token: "t", CACertPEM: []byte("x"), InsecureSkipVerify: true}, "cannot be combined"},
		"unusable prefix":    {steps.Config{Prefix: "CT_"}, "may hold only"},
		"CA file is missing": {steps.Config{URL: "https://q.example.com", Token: "t", CACertFile: "/nonexistent/ca.pem"}, "CA certificate"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := steps.New(context.Background(), tc.cfg)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func TestNew_InProcessDefaults(t *testing.T) {
	s, err := steps.New(context.Background(), steps.Config{})
	require.NoError(t, err)
	assert.Regexp(t, `^ct[0-9a-f]{6}-$`, s.Prefix())
	assert.Equal(t, "a fresh in-process fake Console per scenario", s.Describe())
	other, err := steps.New(context.Background(), steps.Config{})
	require.NoError(t, err)
	assert.NotEqual(t, s.Prefix(), other.Prefix(), "each run has its own prefix")
	assert.Equal(t, 5*time.Minute, steps.DefaultWaitTimeout)
}

func TestTags(t *testing.T) {
	for in, want := range map[string]string{
		"":                  "~@fake-bug",
		"@auth":             "@auth && ~@fake-bug",
		"@auth, @paging":    "@auth && ~@fake-bug,@paging && ~@fake-bug",
		"@writes && ~@auth": "@writes && ~@auth && ~@fake-bug",
		"@fake-bug":         "@fake-bug",
		"~@vendor-note":     "~@vendor-note && ~@fake-bug",
	} {
		assert.Equal(t, want, steps.Tags(in), in)
	}
}
