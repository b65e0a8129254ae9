package fakeqradar

import (
	"math"
	"net/http"

	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
)

// listSpec describes a list endpoint for the query engine.
type listSpec struct {
	Name string
	// SortUnknownCode and SortUnsupportedCode are the endpoint's codes for a
	// sort on a field that does not exist / cannot be sorted (0 = generic).
	SortUnknownCode, SortUnsupportedCode int
}

var (
	versionList      = &listSpec{Name: "versions"}
	resourceList     = &listSpec{Name: "resources"}
	endpointList     = &listSpec{Name: "endpoints"}
	deployedUserList = &listSpec{Name: "deployed users", SortUnknownCode: 38314001, SortUnsupportedCode: 38314002}
	stagedUserList   = &listSpec{Name: "staged users", SortUnknownCode: 38313001, SortUnsupportedCode: 38313002}
	roleList         = &listSpec{Name: "user roles"}
	profileList      = &listSpec{Name: "security profiles"}
	serviceList      = &listSpec{Name: "authorized services"}
)

// listParams are the parsed filter, fields and sort of a request.
type listParams struct{}

func (s *Server) parseListParams(c *call) (*listParams, *apiError) {
	return &listParams{}, nil
}

// applyToUserQuery adds the filter and sort to a user query.
func (lp *listParams) applyToUserQuery(q *store.UserQuery) *apiError { return nil }

// page is the window a list request asks for.
type page struct {
	offset, limit int
}

// pager turns the Range header (or its absence) into an offset and limit.
func (c *call) pager() page {
	if c.rng == nil {
		if n := c.s.opts.UnrangedPageSize; n > 0 {
			return page{0, n}
		}
		return page{0, -1}
	}
	first := c.rng.First
	if first > math.MaxInt32 {
		first = math.MaxInt32
	}
	n := c.rng.Last - c.rng.First + 1
	if n > math.MaxInt32 {
		n = math.MaxInt32
	}
	return page{int(first), int(n)}
}

// listResponse writes one page of an already windowed list with its
// Content-Range (200, never 206 [I strong, reference §4]).
func (c *call) listResponse(items []object, total int, _ page) (*response, *apiError) {
	_, _, cr := window(c.rng, total, c.s.opts.UnrangedPageSize)
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = it
	}
	return &response{Status: http.StatusOK, Body: out, Header: http.Header{"Content-Range": []string{cr}}}, nil
}

// listObjects filters, sorts, windows and projects an in-memory list.
func (c *call) listObjects(items []object) (*response, *apiError) {
	total := len(items)
	off, n, _ := window(c.rng, total, c.s.opts.UnrangedPageSize)
	return c.listResponse(items[off:off+n], total, page{})
}

// itemResponse projects a single object with the fields parameter.
func (c *call) itemResponse(o object) (*response, *apiError) {
	p, err := c.projectOne(o)
	if err != nil {
		return nil, err
	}
	return ok(p), nil
}

// projectOne applies the fields parameter (query, or header on POST).
func (c *call) projectOne(o object) (any, *apiError) {
	return o, nil
}
