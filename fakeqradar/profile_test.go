package fakeqradar_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/fakeqradar"
)

// The vendor-note profile switches the defaults where the vendor note and
// IBM's reference disagree: a default page of 50 without Range, and nested
// user_role / security_profile objects in user responses.
func TestVendorNoteProfile(t *testing.T) {
	t.Parallel()
	c := newConsole(t, func(o *fakeqradar.Options) { o.Profile = fakeqradar.ProfileVendorNote })
	_, err := c.ts.Store().SeedUsers(context.Background(), 60, "vn", 3, 1, 0)
	require.NoError(t, err)
	r := c.get("/config/access/users").is(200)
	assert.Len(t, r.list(), 50)
	assert.Equal(t, "items 0-49/62", r.Header.Get("Content-Range"))
	all := c.get("/config/access/users", "Range", "items=0-99").is(200)
	assert.Len(t, all.list(), 62, "an explicit Range still decides")
	u := c.get("/config/access/users/1001").is(200).obj()
	assert.Equal(t, map[string]any{"id": float64(2), "name": "Analyst"}, u["user_role"])
	assert.Equal(t, map[string]any{"id": float64(1), "name": "Default"}, u["security_profile"])
	assert.Equal(t, float64(2), u["user_role_id"], "the flat ids stay")

	forced := newConsole(t, func(o *fakeqradar.Options) { o.Profile = fakeqradar.ProfileVendorNote; o.UnrangedPageSize = -1 })
	_, err = forced.ts.Store().SeedUsers(context.Background(), 60, "vn", 3, 1, 0)
	require.NoError(t, err)
	assert.Len(t, forced.get("/config/access/users").is(200).list(), 62, "UnrangedPageSize -1 forces the whole list")
}

func TestDocumentedProfileDefaults(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	_, err := c.ts.Store().SeedUsers(context.Background(), 60, "d", 3, 1, 0)
	require.NoError(t, err)
	assert.Len(t, c.get("/config/access/users").is(200).list(), 62, "no Range: the whole list")
	u := c.get("/config/access/users/1001").is(200).obj()
	assert.NotContains(t, u, "user_role")
	assert.NotContains(t, u, "security_profile")

	_, err = fakeqradar.New(fakeqradar.Options{Profile: "bogus"})
	assert.ErrorContains(t, err, `unknown profile "bogus"`)
	v := newConsole(t, func(o *fakeqradar.Options) { o.DefaultVersion = "12.0" })
	assert.NotContains(t, v.get("/config/access/users/1001").is(200).obj(), "local_only_account", "DefaultVersion applies without a Version header")
}
