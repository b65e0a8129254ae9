package fakeqradar

import (
	"sort"
	"strings"
	"sync"
)

// helpData is /api/help, generated once (lazily) from the route table and
// the version table, so it always says exactly what is served.
type helpData struct {
	once      sync.Once
	routes    []*route
	versions  *versionTable
	endpoints []helpEndpoint
	resources []object
	resByID   map[int64]object
	rootIDs   map[string][]int64 // version → root resource ids
}

type helpEndpoint struct {
	id    int64
	admin bool
	obj   object // without caller_has_access
}

// help is built on first use, once per process.
var help = &helpData{routes: routes, versions: versions}

func (h *helpData) build() {
	h.once.Do(func() {
		h.resByID = map[int64]object{}
		h.rootIDs = map[string][]int64{}
		var nextEndpoint, nextResource int64
		for _, v := range h.versions.all {
			if v.Removed {
				continue
			}
			type res struct {
				id       int64
				name     string
				path     string
				parent   *int64
				children []int64
				eps      []int64
			}
			byPath := map[string]*res{}
			var order []*res
			var ensure func(path string) *res
			ensure = func(path string) *res {
				if r, ok := byPath[path]; ok {
					return r
				}
				i := strings.LastIndex(path, "/")
				// The parent first, so that ids grow from the root down
				// and the resource list is in id order.
				var parent *res
				if i > 0 {
					parent = ensure(path[:i])
				}
				nextResource++
				r := &res{id: nextResource, name: path[i+1:], path: path}
				if parent != nil {
					pid := parent.id
					r.parent = &pid
					parent.children = append(parent.children, r.id)
				}
				byPath[path] = r
				order = append(order, r)
				return r
			}
			for _, rt := range h.routes {
				if rt.Since != "" {
					if since := h.versions.byName[rt.Since]; since != nil && v.less(since) {
						continue
					}
				}
				r := ensure(rt.Path)
				nextEndpoint++
				r.eps = append(r.eps, nextEndpoint)
				h.endpoints = append(h.endpoints, helpEndpoint{id: nextEndpoint, admin: rt.Admin, obj: endpointObject(nextEndpoint, v, rt, r.id)})
			}
			for _, r := range order {
				children := append([]int64{}, r.children...)
				eps := append([]int64{}, r.eps...)
				o := object{{"id", r.id}, {"resource", r.name}, {"path", r.path}, {"version", v.Name},
					{"parent_resource_id", r.parent}, {"child_resource_ids", children}, {"endpoint_ids", eps}}
				h.resources = append(h.resources, o)
				h.resByID[r.id] = o
				if r.parent == nil {
					h.rootIDs[v.Name] = append(h.rootIDs[v.Name], r.id)
				}
			}
		}
	})
}

func endpointObject(id int64, v *apiVersion, rt *route, resourceID int64) object {
	params := []object{versionParam()}
	if rt.List != nil {
		params = append(params,
			paramObject(param{"Range", "HEADER", "Use this parameter to restrict the number of elements that are returned in the list to a specified range. The list is indexed starting at zero."}, "text/plain", "String"),
			paramObject(param{"filter", "QUERY", "This parameter is used to restrict the elements in a list base on the contents of various fields."}, "text/plain", "String"),
			paramObject(param{"fields", "QUERY", fieldsHeader.Description}, "text/plain", "String"),
			paramObject(param{"sort", "QUERY", "This parameter is used to sort the elements in a list. Prefix a field with + or - for ascending or descending order."}, "text/plain", "String"),
		)
	}
	for _, p := range rt.Params {
		mt, dt := "text/plain", "String"
		switch p.Type {
		case "PATH":
			dt = "Number"
		case "BODY":
			mt, dt = "application/json", "Object"
		}
		params = append(params, paramObject(p, mt, dt))
	}
	desc := rt.Summary
	return object{
		{"id", id},
		{"version", v.Name},
		{"last_modified_version", v.Name},
		{"path", rt.Path},
		{"http_method", rt.Method},
		{"summary", rt.Summary},
		{"description", desc},
		{"deprecated", v.Deprecated},
		{"caller_has_access", true},
		{"resource_id", resourceID},
		{"response_description", ""},
		{"parameters", params},
		{"success_responses", []object{{{"response_code", rt.Success}, {"description", "The request succeeded."}, {"response_code_description", statusName(rt.Success)}}}},
		{"error_responses", []object{}},
		{"response_mime_types", []object{{{"mime_type", "application/json"}, {"media_type", "application/json"}, {"sample", nil}}}},
	}
}

func versionParam() object {
	return paramObject(param{"Version", "HEADER", "The version of the API to use. The latest version is used when it is absent."}, "text/plain", "String")
}

func paramObject(p param, mimeType, dataType string) object {
	return object{
		{"parameter_name", p.Name},
		{"type", p.Type},
		{"description", p.Description},
		{"default_value", nil},
		{"mime_types", []object{{{"mime_type", mimeType}, {"data_type", dataType}, {"sample", nil}}}},
	}
}

func statusName(code int) string {
	switch code {
	case 200:
		return "OK"
	case 201:
		return "Created"
	case 202:
		return "Accepted"
	}
	return ""
}

// GET /help/versions
func (s *Server) listVersions(c *call) (*response, *apiError) {
	s.help.build()
	items := make([]object, 0, len(s.versions.all))
	for _, v := range s.versions.all {
		items = append(items, s.versionObject(v))
	}
	return c.listObjects(items)
}

func (s *Server) versionObject(v *apiVersion) object {
	roots := append([]int64{}, s.help.rootIDs[v.Name]...)
	sort.Slice(roots, func(i, j int) bool { return roots[i] < roots[j] })
	return object{{"id", int64(v.ID)}, {"version", v.Name}, {"deprecated", v.Deprecated}, {"removed", v.Removed}, {"root_resource_ids", roots}}
}

// GET /help/versions/{version_id}
func (s *Server) getVersion(c *call) (*response, *apiError) {
	id, aerr := c.id("version_id")
	if aerr != nil {
		return nil, aerr
	}
	s.help.build()
	for _, v := range s.versions.all {
		if int64(v.ID) == id {
			return c.itemResponse(s.versionObject(v))
		}
	}
	return nil, newError(404, 1002, "The version does not exist.", "The version does not exist.")
}

// GET /help/resources
func (s *Server) listResources(c *call) (*response, *apiError) {
	s.help.build()
	return c.listObjects(append([]object{}, s.help.resources...))
}

// GET /help/resources/{resource_id}
func (s *Server) getResource(c *call) (*response, *apiError) {
	id, aerr := c.id("resource_id")
	if aerr != nil {
		return nil, aerr
	}
	s.help.build()
	if o, found := s.help.resByID[id]; found {
		return c.itemResponse(o)
	}
	return nil, newError(404, 1002, "The resource does not exist.", "The resource does not exist.")
}

func (c *call) endpointForCaller(e helpEndpoint) object {
	o := append(object{}, e.obj...)
	for i := range o {
		if o[i].Key == "caller_has_access" {
			o[i].Value = !e.admin || c.who.Admin
		}
	}
	return o
}

// GET /help/endpoints
func (s *Server) listEndpoints(c *call) (*response, *apiError) {
	s.help.build()
	items := make([]object, len(s.help.endpoints))
	for i, e := range s.help.endpoints {
		items[i] = c.endpointForCaller(e)
	}
	return c.listObjects(items)
}

// GET /help/endpoints/{endpoint_id}
func (s *Server) getEndpoint(c *call) (*response, *apiError) {
	id, aerr := c.id("endpoint_id")
	if aerr != nil {
		return nil, aerr
	}
	s.help.build()
	if id >= 1 && id <= int64(len(s.help.endpoints)) {
		return c.itemResponse(c.endpointForCaller(s.help.endpoints[id-1]))
	}
	return nil, newError(404, 1002, "The endpoint does not exist.", "The endpoint does not exist.")
}
