package fakeqradar_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// roleCapability is a role capability as the fixtures define it.
func roleCapability(appID int, name, desc string) map[string]any {
	return map[string]any{"application_id": float64(appID), "name": name, "description": desc}
}

var (
	fixtureRoleObjects = []map[string]any{
		{"id": 1.0, "name": "Admin", "capabilities": []any{
			roleCapability(1, "ADMIN", "Administrator"),
			roleCapability(25, "EventViewer", "Log Activity"),
			roleCapability(35, "SEM", "Offenses"),
			roleCapability(40, "ASSETS", "Assets"),
		}},
		{"id": 2.0, "name": "Analyst", "capabilities": []any{
			roleCapability(25, "EventViewer", "Log Activity"),
			roleCapability(35, "SEM", "Offenses"),
			roleCapability(40, "ASSETS", "Assets"),
		}},
		{"id": 3.0, "name": "Reader", "capabilities": []any{
			roleCapability(25, "EventViewer", "Log Activity"),
		}},
	}
	fixtureProfileObjects = []map[string]any{
		{"id": 1.0, "name": "Default", "domain_ids": []any{0.0}},
		{"id": 2.0, "name": "SOC Team", "domain_ids": []any{0.0, 1.0}},
		{"id": 3.0, "name": "Admin", "domain_ids": []any{0.0}},
	}
)

func TestUserRolesAndSecurityProfilesLists(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	for _, tc := range []struct {
		path string
		want []map[string]any
	}{
		{"/config/access/user_roles", fixtureRoleObjects},
		{"/staged_config/access/user_roles", fixtureRoleObjects},
		{"/config/access/security_profiles", fixtureProfileObjects},
		{"/staged_config/access/security_profiles", fixtureProfileObjects},
	} {
		t.Run(tc.path, func(t *testing.T) {
			c := c.withT(t)
			r := c.get(tc.path).is(200)
			assert.Equal(t, tc.want, r.list())
			assert.Equal(t, "items 0-2/3", r.Header.Get("Content-Range"))

			r = c.get(tc.path, "Range", "items=1-1").is(200)
			assert.Equal(t, tc.want[1:2], r.list())
			assert.Equal(t, "items 1-1/3", r.Header.Get("Content-Range"))

			r = c.get(tc.path, "Range", "items=3-9").is(200)
			assert.Empty(t, r.list())
			assert.Equal(t, "items */3", r.Header.Get("Content-Range"))

			c.get(tc.path, "Range", "rows=0-1").fails(422, 36, "items=x-y")
		})
	}
}

func TestUserRolesAndSecurityProfilesItems(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	for _, tc := range []struct {
		path   string
		status int
		code   int
		want   map[string]any
	}{
		{"/config/access/user_roles/1", 200, 0, fixtureRoleObjects[0]},
		{"/config/access/user_roles/2", 200, 0, fixtureRoleObjects[1]},
		{"/config/access/user_roles/3", 200, 0, fixtureRoleObjects[2]},
		{"/staged_config/access/user_roles/2", 200, 0, fixtureRoleObjects[1]},
		{"/config/access/security_profiles/1", 200, 0, fixtureProfileObjects[0]},
		{"/config/access/security_profiles/2", 200, 0, fixtureProfileObjects[1]},
		{"/staged_config/access/security_profiles/3", 200, 0, fixtureProfileObjects[2]},
		{"/config/access/user_roles/4", 404, 38341001, nil},
		{"/config/access/user_roles/0", 404, 38341001, nil},
		{"/staged_config/access/user_roles/99", 404, 38341001, nil},
		{"/config/access/security_profiles/4", 404, 38331001, nil},
		{"/staged_config/access/security_profiles/99", 404, 38331001, nil},
		{"/config/access/user_roles/Admin", 422, 11, nil},
		{"/config/access/user_roles/1.0", 422, 11, nil},
		{"/config/access/user_roles/99999999999999999999", 422, 11, nil},
		{"/config/access/security_profiles/Default", 422, 11, nil},
		{"/staged_config/access/security_profiles/x", 422, 11, nil},
	} {
		t.Run(tc.path, func(t *testing.T) {
			c := c.withT(t)
			r := c.get(tc.path)
			if tc.status != 200 {
				msg := "does not exist"
				if tc.status == 422 {
					msg = `path parameter "id"`
				}
				r.fails(tc.status, tc.code, msg)
				return
			}
			r.is(200)
			assert.Equal(t, tc.want, r.obj())
			assert.Empty(t, r.Header.Get("Content-Range"), "a single object is not a list")
		})
	}
}

func TestUserRolesQueryParameters(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	jdoe := []string{"SEC", "", "Authorization", basic("jdoe", "Jdoe-Passw0rd!")}
	names := func(items []map[string]any) []any {
		out := []any{}
		for _, it := range items {
			out = append(out, it["name"])
		}
		return out
	}
	for _, tc := range []struct {
		name string
		path string
		hdr  []string
		want []any
	}{
		{"contains ADMIN", "/config/access/user_roles?contains=ADMIN", nil, []any{"Admin"}},
		{"contains SEM", "/config/access/user_roles?contains=SEM", nil, []any{"Admin", "Analyst"}},
		{"contains EventViewer", "/config/access/user_roles?contains=EventViewer", nil, []any{"Admin", "Analyst", "Reader"}},
		{"contains unknown", "/config/access/user_roles?contains=NOPE", nil, []any{}},
		{"current role of jdoe", "/config/access/user_roles?current_user_role=true", jdoe, []any{"Analyst"}},
		{"current role of the admin token", "/config/access/user_roles?current_user_role=true", nil, []any{"Admin"}},
		{"current_user_role=false", "/config/access/user_roles?current_user_role=false", jdoe, []any{"Admin", "Analyst", "Reader"}},
		{"current and contains", "/config/access/user_roles?current_user_role=true&contains=ADMIN", jdoe, []any{}},
		{"all roles for jdoe", "/config/access/user_roles", jdoe, []any{"Admin", "Analyst", "Reader"}},
		{"vendor-note path, current role", "/config/access/roles?current_user_role=true", jdoe, []any{"Analyst"}},
		{"current profile of jdoe", "/config/access/security_profiles?current_security_profile=true", jdoe, []any{"Default"}},
		{"current profile of the admin token", "/config/access/security_profiles?current_security_profile=true", nil, []any{"Admin"}},
		{"current_security_profile=false", "/config/access/security_profiles?current_security_profile=false", jdoe, []any{"Default", "SOC Team", "Admin"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := c.withT(t)
			r := c.get(tc.path, tc.hdr...).is(200)
			assert.Equal(t, tc.want, names(r.list()))
		})
	}
	r := c.get("/config/access/user_roles?contains=ADMIN").is(200)
	assert.Equal(t, "items 0-0/1", r.Header.Get("Content-Range"))
	assert.Equal(t, fixtureRoleObjects[:1], r.list())

	// current_user_role follows a role change applied on the vendor-note path.
	id := c.createDeployed("reader1")
	c.post(fmt.Sprintf("/config/access/users/%d", id), map[string]any{"user_role": map[string]any{"id": 3}}).is(200)
	got := c.get("/config/access/user_roles?current_user_role=true", "SEC", "", "Authorization", basic("reader1", "Str0ng-Passw0rd")).is(200).list()
	require.Len(t, got, 1)
	assert.Equal(t, "Reader", got[0]["name"])
}

func TestUserRolesAccess(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	jdoe := []string{"SEC", "", "Authorization", basic("jdoe", "Jdoe-Passw0rd!")}
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/config/access/user_roles", 200},
		{"/config/access/security_profiles", 200},
		{"/config/access/security_profiles/1", 200},
		{"/config/access/roles", 200},
		{"/config/access/user_roles/2", 403},
		{"/config/access/user_roles/99", 403},
		{"/staged_config/access/user_roles", 403},
		{"/staged_config/access/user_roles/2", 403},
		{"/staged_config/access/security_profiles", 403},
		{"/staged_config/access/security_profiles/1", 403},
	} {
		t.Run(tc.path, func(t *testing.T) {
			c := c.withT(t)
			r := c.get(tc.path, jdoe...)
			if tc.status == 403 {
				r.fails(403, 26, "User has insufficient capabilities to access this endpoint resource")
				return
			}
			r.is(200)
		})
	}
	c.get("/config/access/user_roles", "SEC", "").fails(401, 18, "No SEC header present in request")
	c.get("/config/access/user_roles", "SEC", "", "Authorization", basic("jdoe", "wrong")).fails(401, 18, "")

	// Read-only: no writes to roles or profiles.
	for _, p := range []string{"/config/access/user_roles", "/config/access/user_roles/2", "/config/access/security_profiles", "/config/access/security_profiles/1"} {
		c.post(p, map[string]any{"name": "x"}).fails(405, 1010, "")
		c.del(p).fails(405, 1010, "")
	}
}
