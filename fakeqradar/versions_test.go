package fakeqradar_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestVersionHeader(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	cases := []struct {
		version    string
		status     int
		deprecated bool
		msg        string
	}{
		{"", 200, false, ""},
		{"27.0", 200, false, ""},
		{"26.0", 200, false, ""},
		{"26", 200, false, ""},
		{" 26.0 ", 200, false, ""},
		{"25.0", 200, false, ""},
		{"21.0", 200, true, ""},
		{"20.0", 200, true, ""},
		{"13.1", 200, true, ""},
		{"13", 200, true, ""},
		{"12.0", 200, true, ""},
		{"12.5", 200, true, ""}, // inside the range: falls back to 12.1
		{"8.0", 200, true, ""},
		{"3.0", 422, false, "Version (3.0) from header parameter (Version) has been removed and is no longer valid. Please refer to documentation for list of valid versions."},
		{"1", 422, false, "has been removed"},
		{"0.1", 422, false, "has been removed"},
		{"99.0", 422, false, "Version (99.0) from header parameter (Version) is not a valid version. Please refer to documentation for list of valid versions."},
		{"27.5", 422, false, "is not a valid version"},
		{"322.0123", 422, false, "Version (322.0123) from header parameter (Version) is not a valid version."},
		{"abc", 422, false, "is not a valid version"},
		{"26.0.1", 422, false, "is not a valid version"},
		{"-1", 422, false, "is not a valid version"},
		{"26.", 422, false, "is not a valid version"},
	}
	for _, tc := range cases {
		t.Run("Version="+tc.version, func(t *testing.T) {
			c := c.sub(t)
			h := map[string]string{}
			if tc.version != "" {
				h["Version"] = tc.version
			}
			r := c.do(req{method: "GET", path: "/config/access/users", header: h})
			if tc.status != 200 {
				r.fails(tc.status, 1012, tc.msg)
				return
			}
			r.is(200)
			if tc.deprecated {
				assert.NotEmpty(t, r.Header.Get("Deprecated"), "a deprecated version gets a Deprecated header")
			} else {
				assert.Empty(t, r.Header.Values("Deprecated"))
			}
		})
	}
}

// Fields a version lacks are absent from its responses.
func TestVersionShapesUser(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	old := c.get("/config/access/users/1001", "Version", "12.0").is(200).obj()
	assert.NotContains(t, old, "local_only_account")
	assert.NotContains(t, old, "notification_flag")
	assert.Contains(t, old, "user_role_id")
	latest := c.get("/config/access/users/1001", "Version", "26.0").is(200).obj()
	assert.Contains(t, latest, "local_only_account")
	assert.Contains(t, latest, "notification_flag")
}
