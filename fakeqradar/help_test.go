package fakeqradar_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// helpRoutes is every endpoint the fake serves, written out from the route
// table by hand: /api/help/endpoints must describe exactly these, and the
// server must answer exactly these. A route added without help, or help
// without a route, fails TestHelpEndpointsMatchRoutes.
var helpRoutes = []string{
	"GET /help/versions",
	"GET /help/versions/{version_id}",
	"GET /help/resources",
	"GET /help/resources/{resource_id}",
	"GET /help/endpoints",
	"GET /help/endpoints/{endpoint_id}",

	"GET /config/access/users",
	"GET /config/access/users/{id}",
	"POST /config/access/users/{id}",

	"GET /staged_config/access/users",
	"POST /staged_config/access/users",
	"GET /staged_config/access/users/{id}",
	"POST /staged_config/access/users/{id}",
	"DELETE /staged_config/access/users/{id}",
	"GET /staged_config/access/user_delete_tasks/{task_id}",

	"GET /config/access/user_roles",
	"GET /config/access/user_roles/{id}",
	"GET /staged_config/access/user_roles",
	"GET /staged_config/access/user_roles/{id}",
	"GET /config/access/security_profiles",
	"GET /config/access/security_profiles/{id}",
	"GET /staged_config/access/security_profiles",
	"GET /staged_config/access/security_profiles/{id}",

	"GET /config/access/authorized_services",
	"POST /config/access/authorized_services",
	"GET /config/access/authorized_services/{id}",
	"DELETE /config/access/authorized_services/{id}",

	"GET /staged_config/deploy_status",
	"POST /staged_config/deploy_status",

	"POST /auth/logout",

	// Vendor-note compatibility surface.
	"GET /config/access/roles",
	"GET /config/access/roles/{id}",
	"POST /config/access/users",
	"DELETE /config/access/users/{id}",
	"GET /config/access/users/delete_tasks/{task_id}",
}

// helpListRoutes are the list endpoints (Range, filter, fields, sort).
var helpListRoutes = map[string]bool{
	"GET /help/versions":                          true,
	"GET /help/resources":                         true,
	"GET /help/endpoints":                         true,
	"GET /config/access/users":                    true,
	"GET /staged_config/access/users":             true,
	"GET /config/access/user_roles":               true,
	"GET /staged_config/access/user_roles":        true,
	"GET /config/access/security_profiles":        true,
	"GET /staged_config/access/security_profiles": true,
	"GET /config/access/authorized_services":      true,
	"GET /config/access/roles":                    true,
}

// helpAdminRoutes need the ADMIN capability.
var helpAdminRoutes = map[string]bool{
	"GET /staged_config/access/users":                       true,
	"POST /staged_config/access/users":                      true,
	"GET /staged_config/access/users/{id}":                  true,
	"POST /staged_config/access/users/{id}":                 true,
	"DELETE /staged_config/access/users/{id}":               true,
	"GET /staged_config/access/user_delete_tasks/{task_id}": true,
	"GET /config/access/user_roles/{id}":                    true,
	"GET /staged_config/access/user_roles":                  true,
	"GET /staged_config/access/user_roles/{id}":             true,
	"GET /staged_config/access/security_profiles":           true,
	"GET /staged_config/access/security_profiles/{id}":      true,
	"GET /config/access/authorized_services":                true,
	"POST /config/access/authorized_services":               true,
	"GET /config/access/authorized_services/{id}":           true,
	"DELETE /config/access/authorized_services/{id}":        true,
	"GET /staged_config/deploy_status":                      true,
	"POST /staged_config/deploy_status":                     true,
	"POST /config/access/users":                             true,
	"DELETE /config/access/users/{id}":                      true,
	"GET /config/access/users/delete_tasks/{task_id}":       true,
}

const helpLatest = "27.0"

var helpPathVar = regexp.MustCompile(`\{[a-z_]+\}`)

// helpOf returns the endpoints of one version keyed by "METHOD path".
func helpOf(t testing.TB, endpoints []map[string]any, version string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, e := range endpoints {
		if e["version"] != version {
			continue
		}
		key := fmt.Sprintf("%v %v", e["http_method"], e["path"])
		require.NotContains(t, out, key, "endpoint listed twice for %s", version)
		out[key] = e
	}
	return out
}

func helpKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestHelpVersions(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	r := c.get("/help/versions").is(200)
	versions := r.list()
	require.Len(t, versions, 35)
	assert.Equal(t, "items 0-34/35", r.Header.Get("Content-Range"))

	removed := map[string]bool{"0.1": true, "0.2": true, "1.0": true, "2.0": true, "3.0": true, "3.1": true, "4.0": true, "5.0": true, "5.1": true, "6.0": true, "7.0": true}
	supported := map[string]bool{"25.0": true, "26.0": true, "27.0": true}
	ids := map[int64]bool{}
	for i, v := range versions {
		name, _ := v["version"].(string)
		var major int
		_, err := fmt.Sscanf(name, "%d.", &major)
		require.NoError(t, err, "version %q", name)
		id := jsonInt(t, v["id"])
		assert.False(t, ids[id], "duplicate id %d", id)
		ids[id] = true
		assert.Contains(t, v, "root_resource_ids")
		switch {
		case removed[name]:
			assert.Equal(t, true, v["removed"], name)
			assert.Equal(t, false, v["deprecated"], name)
			assert.Empty(t, v["root_resource_ids"], name)
		case supported[name]:
			assert.Equal(t, false, v["removed"], name)
			assert.Equal(t, false, v["deprecated"], name)
			assert.NotEmpty(t, v["root_resource_ids"], name)
		default:
			assert.True(t, major >= 8 && major <= 24, "unexpected version %s", name)
			assert.Equal(t, false, v["removed"], name)
			assert.Equal(t, true, v["deprecated"], name)
			assert.NotEmpty(t, v["root_resource_ids"], name)
		}
		// Listed oldest first, by id.
		if i > 0 {
			assert.Greater(t, id, jsonInt(t, versions[i-1]["id"]))
		}
		one := c.get(fmt.Sprintf("/help/versions/%d", id)).is(200).obj()
		assert.Equal(t, v, one)
	}
	assert.Equal(t, "0.1", versions[0]["version"])
	assert.Equal(t, "8.0", versions[11]["version"])
	assert.Equal(t, helpLatest, versions[34]["version"])

	for _, tc := range []struct {
		rng, contentRange string
		first, n          int
	}{
		{"items=0-4", "items 0-4/35", 0, 5},
		{"items=11-11", "items 11-11/35", 11, 1},
		{"items=34-99", "items 34-34/35", 34, 1},
		{"items=35-40", "items */35", 0, 0},
	} {
		t.Run(tc.rng, func(t *testing.T) {
			c := c.withT(t)
			r := c.get("/help/versions", "Range", tc.rng).is(200)
			assert.Equal(t, tc.contentRange, r.Header.Get("Content-Range"))
			page := r.list()
			require.Len(t, page, tc.n)
			for i, v := range page {
				assert.Equal(t, versions[tc.first+i]["version"], v["version"])
			}
		})
	}
	c.get("/help/versions", "Range", "items=-3-2").fails(422, 36, "Failed to parse Range header")
	c.get("/help/versions", "Range", "items=3-0").fails(422, 36, "negative")
	c.get("/help/versions/424242").fails(404, 1002, "does not exist")
	c.get("/help/versions/abc").fails(422, 11, "version_id")

	// The table drives the Version header.
	assert.Equal(t, "true", c.get("/help/versions", "Version", "24.0").is(200).Header.Get("Deprecated"))
	assert.Empty(t, c.get("/help/versions", "Version", "25.0").is(200).Header.Get("Deprecated"))
	c.get("/help/versions", "Version", "7.0").fails(422, 1012, "has been removed")
}

func TestHelpEndpointsMatchRoutes(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	all := c.get("/help/endpoints").is(200).list()
	latest := helpOf(t, all, helpLatest)

	want := map[string]bool{}
	for _, r := range helpRoutes {
		require.False(t, want[r], "helpRoutes lists %s twice", r)
		want[r] = true
	}
	assert.Equal(t, helpKeys(want), helpKeys(latest), "help for %s describes exactly the served routes", helpLatest)

	// Every version that is not removed lists the same endpoints.
	for _, v := range c.get("/help/versions").list() {
		name := v["version"].(string)
		eps := helpOf(t, all, name)
		if v["removed"] == true {
			assert.Empty(t, eps, name)
			continue
		}
		assert.Equal(t, helpKeys(want), helpKeys(eps), name)
		for _, e := range eps {
			assert.Equal(t, v["deprecated"], e["deprecated"], "%s %v", name, e["path"])
		}
	}

	ids := map[int64]bool{}
	for key, e := range latest {
		path := e["path"].(string)
		assert.True(t, strings.HasPrefix(path, "/"), key)
		assert.False(t, strings.HasPrefix(path, "/api"), "%s: path is relative to /api", key)
		id := jsonInt(t, e["id"])
		assert.False(t, ids[id], "duplicate endpoint id %d", id)
		ids[id] = true
		assert.Equal(t, helpLatest, e["last_modified_version"], key)
		assert.Equal(t, false, e["deprecated"], key)
		assert.NotEmpty(t, e["summary"], key)
		for _, k := range []string{"description", "caller_has_access", "resource_id", "response_description", "parameters", "success_responses", "error_responses", "response_mime_types"} {
			assert.Contains(t, e, k, key)
		}

		params := map[string]string{}
		for _, p := range e["parameters"].([]any) {
			pm := p.(map[string]any)
			params[pm["parameter_name"].(string)] = pm["type"].(string)
			assert.Contains(t, pm, "default_value", key)
			assert.NotEmpty(t, pm["mime_types"], key)
		}
		assert.Equal(t, "HEADER", params["Version"], "%s: Version parameter", key)
		if helpListRoutes[key] {
			assert.Equal(t, "HEADER", params["Range"], "%s: Range", key)
			assert.Equal(t, "QUERY", params["filter"], "%s: filter", key)
			assert.Equal(t, "QUERY", params["sort"], "%s: sort", key)
			assert.Contains(t, params, "fields", "%s: fields", key)
		} else {
			assert.NotContains(t, params, "Range", "%s is not a list", key)
			assert.NotContains(t, params, "filter", "%s is not a list", key)
		}
		for _, v := range helpPathVar.FindAllString(path, -1) {
			assert.Equal(t, "PATH", params[strings.Trim(v, "{}")], "%s: path parameter %s", key, v)
		}
		if e["http_method"] == "POST" && key != "POST /auth/logout" { // logout takes no body
			assert.Equal(t, "BODY", params["data"], "%s: body parameter", key)
		}

		success := e["success_responses"].([]any)
		require.Len(t, success, 1, key)
		code := jsonInt(t, success[0].(map[string]any)["response_code"])
		switch {
		case strings.HasPrefix(key, "DELETE /config/access/authorized_services"):
			assert.EqualValues(t, 200, code, key)
		case strings.HasPrefix(key, "DELETE "):
			assert.EqualValues(t, 202, code, key)
		case key == "POST /staged_config/access/users" || key == "POST /config/access/users" || key == "POST /config/access/authorized_services":
			assert.EqualValues(t, 201, code, key)
		default:
			assert.EqualValues(t, 200, code, key)
		}
	}

	// The server answers every documented endpoint (never 404 code 4 or
	// 405), and answers 405 to the other methods on the same paths.
	// Ids are unknown, so nothing changes.
	probe := func(p string) string { return helpPathVar.ReplaceAllString(p, "424242") }
	paths := map[string]bool{}
	for key := range want {
		method, path, _ := strings.Cut(key, " ")
		paths[path] = true
		r := c.do(req{method: method, path: probe(path)})
		assert.NotEqual(t, 405, r.Status, "%s: %s", key, r)
		assert.False(t, r.Status == 404 && r.code() == 4, "%s is not served: %s", key, r)
	}
	for path := range paths {
		for _, method := range []string{"GET", "POST", "DELETE", "PUT", "PATCH"} {
			if want[method+" "+path] {
				continue
			}
			r := c.do(req{method: method, path: probe(path), body: map[string]any{}})
			assert.Equal(t, 405, r.Status, "%s %s is served but not in help: %s", method, path, r)
		}
	}
	// The probe can tell: an unknown path is 404 code 4.
	c.get("/config/access/nothing").fails(404, 4, "is not a known endpoint resource")
}

func TestHelpEndpointsCallerHasAccess(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	jdoe := basic("jdoe", "Jdoe-Passw0rd!")
	asJdoe := helpOf(t, c.get("/help/endpoints", "SEC", "", "Authorization", jdoe).is(200).list(), helpLatest)
	asAdmin := helpOf(t, c.get("/help/endpoints").is(200).list(), helpLatest)
	require.Len(t, asJdoe, len(helpRoutes))

	for _, key := range helpRoutes {
		assert.Equal(t, true, asAdmin[key]["caller_has_access"], "admin: %s", key)
		assert.Equal(t, !helpAdminRoutes[key], asJdoe[key]["caller_has_access"], "jdoe: %s", key)

		// What help says is what the server does: jdoe gets 403 code 26
		// exactly where caller_has_access is false (ids are jdoe's own).
		method, path, _ := strings.Cut(key, " ")
		r := c.do(req{method: method, path: helpPathVar.ReplaceAllString(path, "1001"), header: map[string]string{"SEC": "", "Authorization": jdoe}})
		denied := r.Status == 403 && r.code() == 26
		assert.Equal(t, helpAdminRoutes[key], denied, "jdoe on %s: %s", key, r)

		// The single-endpoint view agrees with the list for the caller.
		id := jsonInt(t, asJdoe[key]["id"])
		one := c.get(fmt.Sprintf("/help/endpoints/%d", id), "SEC", "", "Authorization", jdoe).is(200).obj()
		assert.Equal(t, asJdoe[key], one, key)
	}
}

func TestHelpEndpointByID(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	r := c.get("/help/endpoints").is(200)
	all := r.list()
	n := len(all)
	assert.Equal(t, fmt.Sprintf("items 0-%d/%d", n-1, n), r.Header.Get("Content-Range"))

	for _, e := range []map[string]any{all[0], all[n/2], all[n-1]} {
		one := c.get(fmt.Sprintf("/help/endpoints/%d", jsonInt(t, e["id"]))).is(200).obj()
		assert.Equal(t, e, one)
	}
	for _, tc := range []struct {
		path   string
		status int
		code   int
	}{
		{"/help/endpoints/0", 404, 1002},
		{fmt.Sprintf("/help/endpoints/%d", n+1), 404, 1002},
		{"/help/endpoints/-1", 404, 1002},
		{"/help/endpoints/abc", 422, 11},
		{"/help/resources/0", 404, 1002},
		{"/help/resources/424242", 404, 1002},
		{"/help/resources/x", 422, 11},
	} {
		t.Run(tc.path, func(t *testing.T) {
			c := c.withT(t)
			c.get(tc.path).fails(tc.status, tc.code, "")
		})
	}

	// A Range without a filter pages the whole list.
	for _, list := range []string{"/help/endpoints", "/help/resources", "/help/versions"} {
		t.Run(list+" Range items=0-0", func(t *testing.T) {
			c := c.withT(t)
			full := len(c.get(list).is(200).list())
			r := c.get(list, "Range", "items=0-0").is(200)
			page := r.list()
			require.Len(t, page, 1)
			assert.Equal(t, fmt.Sprintf("items 0-0/%d", full), r.Header.Get("Content-Range"))
			assert.EqualValues(t, 1, page[0]["id"])
		})
	}
}

func TestHelpResources(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	all := c.get("/help/resources").is(200).list()
	endpoints := c.get("/help/endpoints").is(200).list()
	epByID := map[int64]map[string]any{}
	for _, e := range endpoints {
		epByID[jsonInt(t, e["id"])] = e
	}

	byID := map[int64]map[string]any{}
	byPath := map[string]map[string]any{}
	var roots []int64
	var prev int64
	for _, r := range all {
		id := jsonInt(t, r["id"])
		assert.Greater(t, id, prev, "resources are listed in id order")
		prev = id
		for _, k := range []string{"id", "resource", "path", "version", "parent_resource_id", "child_resource_ids", "endpoint_ids"} {
			assert.Contains(t, r, k)
		}
		if r["version"] != helpLatest {
			continue
		}
		byID[id] = r
		byPath[r["path"].(string)] = r
		if r["parent_resource_id"] == nil {
			roots = append(roots, id)
		}
	}
	require.NotEmpty(t, byID)

	// Every link is consistent both ways, and endpoints point back.
	for id, r := range byID {
		path := r["path"].(string)
		assert.True(t, strings.HasPrefix(path, "/") && !strings.HasPrefix(path, "/api"), path)
		assert.Equal(t, path[strings.LastIndex(path, "/")+1:], r["resource"], path)
		if p := r["parent_resource_id"]; p != nil {
			parent := byID[jsonInt(t, p)]
			require.NotNil(t, parent, "%s: parent in the same version", path)
			assert.Equal(t, parent["path"].(string)+"/"+r["resource"].(string), path)
			assert.Contains(t, parent["child_resource_ids"], float64(id), "%s listed by its parent", path)
		} else {
			assert.Equal(t, 1, strings.Count(path, "/"), "%s is a root", path)
		}
		for _, ch := range r["child_resource_ids"].([]any) {
			child := byID[jsonInt(t, ch)]
			require.NotNil(t, child, "%s: child %v", path, ch)
			assert.EqualValues(t, id, child["parent_resource_id"])
		}
		for _, e := range r["endpoint_ids"].([]any) {
			ep := epByID[jsonInt(t, e)]
			require.NotNil(t, ep, "%s: endpoint %v", path, e)
			assert.Equal(t, path, ep["path"])
			assert.Equal(t, helpLatest, ep["version"])
			assert.EqualValues(t, id, ep["resource_id"])
		}
		one := c.get(fmt.Sprintf("/help/resources/%d", id)).is(200).obj()
		assert.Equal(t, r, one)
	}
	// Every endpoint of the version belongs to a resource of its path.
	for _, e := range helpOf(t, endpoints, helpLatest) {
		r := byID[jsonInt(t, e["resource_id"])]
		require.NotNil(t, r, "endpoint %v", e["path"])
		assert.Equal(t, e["path"], r["path"])
		assert.Contains(t, r["endpoint_ids"], e["id"])
	}

	// The version lists its roots.
	var latestRoots []any
	for _, v := range c.get("/help/versions").list() {
		if v["version"] == helpLatest {
			latestRoots = v["root_resource_ids"].([]any)
		}
	}
	var got []int64
	for _, r := range latestRoots {
		got = append(got, jsonInt(t, r))
	}
	sort.Slice(roots, func(i, j int) bool { return roots[i] < roots[j] })
	assert.Equal(t, roots, got)
	rootPaths := map[string]bool{}
	for _, id := range roots {
		rootPaths[byID[id]["path"].(string)] = true
	}
	assert.Equal(t, map[string]bool{"/help": true, "/config": true, "/staged_config": true, "/auth": true}, rootPaths)

	// /config → access → users → {id}.
	chain := []string{"/config", "/config/access", "/config/access/users", "/config/access/users/{id}"}
	for i, p := range chain {
		r := byPath[p]
		require.NotNil(t, r, p)
		if i == 0 {
			assert.Nil(t, r["parent_resource_id"])
			continue
		}
		parent := byPath[chain[i-1]]
		assert.Equal(t, parent["id"], r["parent_resource_id"], p)
		assert.Contains(t, parent["child_resource_ids"], r["id"], p)
	}
	assert.Equal(t, "{id}", byPath["/config/access/users/{id}"]["resource"])
	methods := map[any]bool{}
	for _, e := range byPath["/config/access/users/{id}"]["endpoint_ids"].([]any) {
		methods[epByID[jsonInt(t, e)]["http_method"]] = true
	}
	assert.Equal(t, map[any]bool{"GET": true, "POST": true, "DELETE": true}, methods)
	assert.Empty(t, byPath["/config/access"]["endpoint_ids"])
	users := byPath["/config/access/users"]
	children := map[any]bool{}
	for _, ch := range users["child_resource_ids"].([]any) {
		children[byID[jsonInt(t, ch)]["resource"]] = true
	}
	assert.Equal(t, map[any]bool{"{id}": true, "delete_tasks": true}, children)
}
