package fakeqradar_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRange(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	for i := 0; i < 3; i++ { // 2 fixture users + 3 = 5 staged users
		c.post("/staged_config/access/users", newUser(fmt.Sprintf("r%d", i))).is(201)
	}
	cases := []struct {
		rng          string
		status, code int
		ids          int
		contentRange string
		msg          string
	}{
		{"", 200, 0, 5, "items 0-4/5", ""},
		{"items=0-0", 200, 0, 1, "items 0-0/5", ""},
		{"items=0-49", 200, 0, 5, "items 0-4/5", ""},
		{"items=1-3", 200, 0, 3, "items 1-3/5", ""},
		{"items=4-4", 200, 0, 1, "items 4-4/5", ""},
		{"items=5-9", 200, 0, 0, "items */5", ""},
		{"items=500-900", 200, 0, 0, "items */5", ""},
		{"items= 0-1", 200, 0, 2, "items 0-1/5", ""},
		{"items = 2 - 3", 200, 0, 2, "items 2-3/5", ""},
		{"ITEMS=0-1", 200, 0, 2, "items 0-1/5", ""},
		{"items=-3-2", 422, 36, 0, "", "Failed to parse Range header. The syntax of the Range header must follow this pattern: items=x-y"},
		{"items=0", 422, 36, 0, "", "Failed to parse Range header"},
		{"items=a-b", 422, 36, 0, "", "Failed to parse Range header"},
		{"bytes=0-4", 422, 36, 0, "", "Failed to parse Range header"},
		{"items=0-99999999999999999999", 422, 36, 0, "", "Failed to parse Range header"},
		{"items=3-0", 422, 36, 0, "", `Range of pages specified in "Range" header is negative. Non-negative page range must be specified.`},
	}
	for _, tc := range cases {
		t.Run(tc.rng, func(t *testing.T) {
			c := c.sub(t)
			h := map[string]string{}
			if tc.rng != "" {
				h["Range"] = tc.rng
			}
			r := c.do(req{method: "GET", path: "/staged_config/access/users", header: h})
			if tc.status != 200 {
				r.fails(tc.status, tc.code, tc.msg)
				return
			}
			r.is(200)
			assert.Len(t, r.list(), tc.ids)
			assert.Equal(t, tc.contentRange, r.Header.Get("Content-Range"))
		})
	}
	t.Run("pages are consecutive windows of one order", func(t *testing.T) {
		c := c.sub(t)
		all := c.get("/staged_config/access/users").list()
		var walked []any
		for first := 0; ; first += 2 {
			p := c.get("/staged_config/access/users", "Range", fmt.Sprintf("items=%d-%d", first, first+1)).is(200)
			items := p.list()
			if len(items) == 0 {
				assert.Equal(t, "items */5", p.Header.Get("Content-Range"))
				break
			}
			for _, it := range items {
				walked = append(walked, it["id"])
			}
		}
		require.Len(t, walked, len(all))
		for i := range all {
			assert.Equal(t, all[i]["id"], walked[i])
		}
	})
	t.Run("Range on a single object is ignored", func(t *testing.T) {
		c := c.sub(t)
		c.get("/config/access/users/1001", "Range", "garbage").is(200)
	})
}

func TestRangeOnEveryList(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	for _, path := range []string{
		"/config/access/users", "/staged_config/access/users", "/config/access/user_roles", "/staged_config/access/user_roles",
		"/config/access/security_profiles", "/staged_config/access/security_profiles", "/config/access/authorized_services",
		"/config/access/roles", "/help/versions", "/help/resources", "/help/endpoints",
	} {
		t.Run(path, func(t *testing.T) {
			c := c.sub(t)
			r := c.get(path, "Range", "items=0-0").is(200)
			assert.Len(t, r.list(), 1)
			assert.Regexp(t, `^items 0-0/\d+$`, r.Header.Get("Content-Range"))
			c.get(path, "Range", "items=x").fails(422, 36, "")
		})
	}
}

func TestAcceptAndContentType(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	for _, tc := range []struct {
		accept string
		status int
	}{
		{"application/json", 200},
		{"*/*", 200},
		{"application/*", 200},
		{"text/html, application/json;q=0.9", 200},
		{"text/html", 406},
		{"application/xml", 406},
		{"application/json;q=0", 406},
	} {
		t.Run(tc.accept, func(t *testing.T) {
			c := c.sub(t)
			r := c.get("/config/access/users", "Accept", tc.accept)
			if tc.status == 200 {
				r.is(200)
				return
			}
			r.fails(406, 1011, "Acceptance header")
			assert.Equal(t, "Acceptance header is invalid for this endpoint resource.", r.obj()["http_response"].(map[string]any)["message"])
		})
	}
	t.Run("no Accept header", func(t *testing.T) {
		c := c.sub(t)
		c.do(req{method: "GET", path: "/config/access/users", header: map[string]string{"Accept": ""}}).is(200)
	})
	t.Run("Content-Type on a bodiless GET and DELETE", func(t *testing.T) {
		c := c.sub(t)
		c.get("/config/access/users", "Content-Type", "application/json").is(200)
		id := c.post("/staged_config/access/users", newUser("ct")).is(201).obj()["id"]
		c.del(fmt.Sprintf("/staged_config/access/users/%v", id), "Content-Type", "application/json").is(202)
	})
	t.Run("unknown query parameters are ignored", func(t *testing.T) {
		c := c.sub(t)
		c.get("/config/access/users?foo=bar&baz").is(200)
	})
	t.Run("JSON Content-Type on success", func(t *testing.T) {
		c := c.sub(t)
		r := c.get("/config/access/users").is(200)
		assert.Contains(t, r.Header.Get("Content-Type"), "application/json")
	})
}

func TestUnknownPathsAndMethods(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.get("/none/existent").fails(404, 4, "Relative path (/none/existent) is not a known endpoint resource. Please refer to documentation for list of endpoint resources.")
	c.get("/").fails(404, 4, "")
	c.get("/config/access/users/").is(200) // trailing slash: same resource
	for _, m := range []string{"PUT", "PATCH"} {
		r := c.do(req{method: m, path: "/config/access/users/1001", body: map[string]any{"email": "x@y.z"}})
		r.fails(405, 1010, "")
		assert.Equal(t, "DELETE, GET, POST", r.Header.Get("Allow"))
	}
	r := c.do(req{method: "DELETE", path: "/config/access/user_roles"})
	r.fails(405, 1010, "")
	assert.Equal(t, "GET", r.Header.Get("Allow"))
	// The refused PATCH changed nothing.
	assert.Equal(t, "jdoe@example.com", c.get("/config/access/users/1001").obj()["email"])
	// Path ids that are not integers.
	c.get("/config/access/users/abc").fails(422, 11, `"id"`)
	c.get("/config/access/users/99999999999999999999").fails(422, 11, "")
	c.get("/config/access/users/0").fails(404, 38310001, "The deployed user does not exist.")
	c.get("/config/access/users/-5").fails(404, 38310001, "")
}
