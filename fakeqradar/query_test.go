package fakeqradar_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
)

func q(path string, kv ...string) string {
	v := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return path + "?" + v.Encode()
}

func names(l []map[string]any, key string) []any {
	out := make([]any, len(l))
	for i, m := range l {
		out[i] = m[key]
	}
	return out
}

func TestFilterOnUsers(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	for _, n := range []string{"alice", "bob", "carol", "dave"} {
		c.post("/staged_config/access/users", newUser(n)).is(201)
	}
	c.post("/staged_config/access/users/1001", map[string]any{"user_role_id": 3}).is(200)
	cases := []struct {
		path, filter string
		want         []any
	}{
		{"/staged_config/access/users", `username="bob"`, []any{"bob"}},
		{"/staged_config/access/users", `username='bob'`, []any{"bob"}},
		{"/staged_config/access/users", `username=bob`, []any{"bob"}},
		{"/staged_config/access/users", `username IN ("alice", "dave")`, []any{"alice", "dave"}},
		{"/staged_config/access/users", `username not in ("alice", "dave", "admin", "jdoe")`, []any{"bob", "carol"}},
		{"/staged_config/access/users", `username ILIKE "A%"`, []any{"admin", "alice"}},
		{"/staged_config/access/users", `username like "A%"`, []any{}},
		{"/staged_config/access/users", `username like "_ob"`, []any{"bob"}},
		{"/staged_config/access/users", `id > 1001 and (username = "bob" or username = "dave")`, []any{"bob", "dave"}},
		{"/staged_config/access/users", `not id between 2 and 1002`, []any{"admin", "bob", "carol", "dave"}},
		{"/staged_config/access/users", `description is null`, []any{"alice", "bob", "carol", "dave"}},
		{"/staged_config/access/users", `description is not null`, []any{"admin", "jdoe"}},
		{"/staged_config/access/users", `description != "John Doe"`, []any{"admin", "alice", "bob", "carol", "dave"}},
		{"/staged_config/access/users", `description = "John Doe"`, []any{"jdoe"}},
		{"/staged_config/access/users", `user_role_id = 3`, []any{"jdoe"}},
		{"/config/access/users", `user_role_id = 3`, []any{}}, // the deployed view still has role 2
		{"/config/access/users", `user_role_id = 2`, []any{"jdoe"}},
		{"/staged_config/access/users", `enable_popup_notifications = false and id < 2`, []any{"admin"}},
		{"/staged_config/access/users", `username = "' OR 1=1 --"`, []any{}},
		{"/staged_config/access/users", `username = "bob\"; DROP TABLE users; --"`, []any{}},
	}
	for _, tc := range cases {
		t.Run(tc.path+" "+tc.filter, func(t *testing.T) {
			c := c.sub(t)
			r := c.get(q(tc.path, "filter", tc.filter)).is(200)
			l := r.list()
			assert.Equal(t, tc.want, names(l, "username"))
			assert.Equal(t, fmt.Sprintf("items %s/%d", rangeOf(len(l)), len(l)), r.Header.Get("Content-Range"), "totals count the filtered list")
		})
	}
	t.Run("filter with Range counts the filtered total", func(t *testing.T) {
		c := c.sub(t)
		r := c.get(q("/staged_config/access/users", "filter", `id > 1001`), "Range", "items=1-2").is(200)
		assert.Equal(t, []any{"bob", "carol"}, names(r.list(), "username"))
		assert.Equal(t, "items 1-2/4", r.Header.Get("Content-Range"))
	})
	t.Run("the table survives hostile filters", func(t *testing.T) {
		c := c.sub(t)
		assert.Len(t, c.get("/staged_config/access/users").list(), 6)
	})
}

func rangeOf(n int) string {
	if n == 0 {
		return "*"
	}
	return fmt.Sprintf("0-%d", n-1)
}

func TestFilterErrors(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	for _, tc := range []struct {
		filter string
		msg    string
	}{
		{`username = `, "A filter parameter was invalid. Please make sure that the syntax is correct: Error Parsing filter"},
		{`username = "open`, "Error Parsing filter"},
		{`(username = "a"`, "Error Parsing filter"},
		{`username ~ "a"`, "Error Parsing filter"},
		{`'; DROP TABLE users; --`, "Error Parsing filter"},
		{`nosuchfield = 1`, "The filter parameter is not valid."},
		{`password = "x"`, "The filter parameter is not valid."},
		{`id = abc`, "The filter parameter is not valid."},
	} {
		t.Run(tc.filter, func(t *testing.T) {
			c := c.sub(t)
			c.get(q("/config/access/users", "filter", tc.filter)).fails(422, 1005, tc.msg)
		})
	}
}

func TestSortOnUsers(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	for _, n := range []string{"mike", "zed", "anna"} {
		c.post("/staged_config/access/users", newUser(n)).is(201)
	}
	get := func(sort string) []any {
		return names(c.get(q("/staged_config/access/users", "sort", sort)).is(200).list(), "username")
	}
	assert.Equal(t, []any{"admin", "anna", "jdoe", "mike", "zed"}, get("+username"))
	assert.Equal(t, []any{"admin", "anna", "jdoe", "mike", "zed"}, get("username"))
	assert.Equal(t, []any{"admin", "anna", "jdoe", "mike", "zed"}, get(" username"), "an unencoded + arrives as a space")
	assert.Equal(t, []any{"zed", "mike", "jdoe", "anna", "admin"}, get("-username"))
	// Ties break on id ascending: jdoe and the three new users share role 2.
	assert.Equal(t, []any{"jdoe", "mike", "zed", "anna", "admin"}, get("-user_role_id"))
	assert.Equal(t, []any{"anna", "zed", "mike", "jdoe", "admin"}, get("-user_role_id,-id"))
	c.get(q("/staged_config/access/users", "sort", "+nosuch")).fails(422, 38313001, "Field in sort parameter does not exist.")
	c.get(q("/config/access/users", "sort", "+nosuch")).fails(422, 38314001, "Field in sort parameter does not exist.")
	c.get(q("/staged_config/access/users", "sort", "+password")).fails(422, 38313002, "Sorting not supported on field in sort parameter.")
	c.get(q("/config/access/users", "sort", "-password")).fails(422, 38314002, "Sorting not supported on field in sort parameter.")
	// Sort and Range compose: the window is taken from the sorted list.
	r := c.get(q("/staged_config/access/users", "sort", "-username"), "Range", "items=1-2").is(200)
	assert.Equal(t, []any{"mike", "jdoe"}, names(r.list(), "username"))
	assert.Equal(t, "items 1-2/5", r.Header.Get("Content-Range"))
}

func TestFilterOnInMemoryLists(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.post("/config/access/authorized_services", map[string]any{"label": "ci-bot", "user_role_id": 2, "security_profile_id": 1}).is(201)
	cases := []struct {
		path, filter, key string
		want              []any
	}{
		{"/config/access/user_roles", `name = "Analyst"`, "name", []any{"Analyst"}},
		{"/config/access/user_roles", `capabilities contains name = "ADMIN"`, "name", []any{"Admin"}},
		{"/config/access/user_roles", `capabilities contains (application_id = 25 or name = "SEM")`, "name", []any{"Admin", "Analyst", "Reader"}},
		{"/config/access/user_roles", `not capabilities contains name = "SEM"`, "name", []any{"Reader"}},
		{"/config/access/roles", `name ilike "a%"`, "name", []any{"Admin", "Analyst"}},
		{"/config/access/security_profiles", `domain_ids contains 1`, "name", []any{"SOC Team"}},
		{"/config/access/security_profiles", `domain_ids contains (. < 1)`, "name", []any{"Default", "SOC Team", "Admin"}},
		{"/config/access/authorized_services", `label = "ci-bot"`, "label", []any{"ci-bot"}},
		{"/config/access/authorized_services", `expiration_date is null and user_role_id = 2`, "label", []any{"ci-bot"}},
		{"/help/versions", `removed = false and version ilike "26%"`, "version", []any{"26.0"}},
	}
	for _, tc := range cases {
		t.Run(tc.path+" "+tc.filter, func(t *testing.T) {
			c := c.sub(t)
			r := c.get(q(tc.path, "filter", tc.filter)).is(200)
			assert.Equal(t, tc.want, names(r.list(), tc.key))
		})
	}
	t.Run("help endpoints the way IBM's MCP server asks", func(t *testing.T) {
		c := c.sub(t)
		r := c.get(q("/help/endpoints", "filter", `(path ILIKE '%user%' OR summary ILIKE '%user%') AND http_method='POST' AND version="26.0"`)).is(200)
		l := r.list()
		assert.NotEmpty(t, l)
		for _, e := range l {
			assert.Equal(t, "POST", e["http_method"])
		}
		one := c.get(q("/help/endpoints", "filter", `path='/config/access/users' AND http_method='GET'`), "Range", "items=0-0").is(200)
		assert.Len(t, one.list(), 1)
		assert.Regexp(t, `^items 0-0/\d+$`, one.Header.Get("Content-Range"))
	})
	t.Run("sort in memory", func(t *testing.T) {
		c := c.sub(t)
		assert.Equal(t, []any{"Reader", "Analyst", "Admin"}, names(c.get(q("/config/access/user_roles", "sort", "-name")).list(), "name"))
		c.get(q("/config/access/user_roles", "sort", "+capabilities")).fails(422, 1005, "Sorting not supported")
		c.get(q("/config/access/user_roles", "sort", "+nosuch")).fails(422, 1005, "does not exist")
	})
}

func TestFields(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	u := c.get(q("/config/access/users/1001", "fields", "id, username")).is(200).obj()
	assert.Equal(t, map[string]any{"id": float64(1001), "username": "jdoe"}, u)
	l := c.get(q("/config/access/users", "fields", "username")).is(200).list()
	assert.Equal(t, []map[string]any{{"username": "admin"}, {"username": "jdoe"}}, l)
	roles := c.get(q("/config/access/user_roles", "fields", "name,capabilities(name)", "filter", `name="Reader"`)).is(200).list()
	assert.Equal(t, []map[string]any{{"name": "Reader", "capabilities": []any{map[string]any{"name": "EventViewer"}}}}, roles)
	// Order of members follows the object, not the fields parameter.
	assert.Equal(t, `{"id":1001,"username":"jdoe"}`, string(c.get(q("/config/access/users/1001", "fields", "username,id")).Raw))

	c.get(q("/config/access/users", "fields", "id,invalid")).fails(422, 30, `Specified field "invalid" is not recognized by this endpoint for media type "application/json"`)
	c.get(q("/config/access/user_roles", "fields", "name, invalid1, invalid2, name")).fails(422, 31,
		`fields parameter value "name, invalid1, invalid2, name" was invalid. Specified field "name" was used more than once at the same level`)
	c.get(q("/config/access/users/1001", "fields", "id,(")).fails(422, 31, "")

	t.Run("as a header on POST", func(t *testing.T) {
		c := c.sub(t)
		r := c.post("/staged_config/access/users", newUser("fieldy"), "fields", "id,username").is(201).obj()
		assert.Len(t, r, 2)
		assert.Equal(t, "fieldy", r["username"])
		svc := c.post("/config/access/authorized_services", map[string]any{"label": "f-svc", "user_role_id": 2, "security_profile_id": 1}, "fields", "token").is(201).obj()
		assert.Len(t, svc, 1)
		assert.NotEmpty(t, svc["token"])
		c.post("/config/access/users/1001", map[string]any{"email": "x@y.z"}, "fields", "nosuch").fails(422, 30, "")
		assert.Equal(t, "jdoe@example.com", c.get("/config/access/users/1001").obj()["email"], "a refused fields header changes nothing")
	})
}

// Every list endpoint takes filter, sort and fields together with Range.
func TestQueryOnEveryList(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	for _, path := range []string{
		"/config/access/users", "/staged_config/access/users", "/config/access/user_roles", "/staged_config/access/user_roles",
		"/config/access/security_profiles", "/staged_config/access/security_profiles", "/config/access/authorized_services",
		"/config/access/roles", "/help/versions", "/help/resources", "/help/endpoints",
	} {
		t.Run(path, func(t *testing.T) {
			c := c.sub(t)
			all := c.get(path).is(200).list()
			r := c.get(q(path, "filter", "id >= 1", "sort", "-id", "fields", "id"), "Range", "items=0-1").is(200)
			l := r.list()
			assert.Len(t, l, min(2, len(all)))
			for _, m := range l {
				assert.Len(t, m, 1, "fields=id keeps only id")
			}
			if len(l) == 2 {
				assert.Greater(t, l[0]["id"].(float64), l[1]["id"].(float64), "sorted descending")
			}
			assert.Equal(t, fmt.Sprintf("items 0-%d/%d", len(l)-1, len(all)), r.Header.Get("Content-Range"))
			none := c.get(q(path, "filter", "id < 0")).is(200)
			assert.Empty(t, none.list())
			assert.Equal(t, "items */0", none.Header.Get("Content-Range"))
			c.get(q(path, "filter", "id <")).fails(422, 1005, "Error Parsing filter")
		})
	}
}
