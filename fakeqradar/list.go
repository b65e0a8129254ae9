package fakeqradar

import (
	"errors"
	"math"
	"net/http"

	"github.com/fakeqradar/fakeqradar/fakeqradar/query"
	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
)

// listSpec describes a list endpoint for the query engine.
type listSpec struct {
	Schema *query.Schema
	// SortUnknownCode and SortUnsupportedCode are the endpoint's codes for a
	// sort on a field that does not exist / cannot be sorted (0 = generic
	// 1005) [C reference §2.1 for users].
	SortUnknownCode, SortUnsupportedCode int
}

var (
	versionList      = &listSpec{Schema: versionSchema}
	resourceList     = &listSpec{Schema: resourceSchema}
	endpointList     = &listSpec{Schema: endpointSchema}
	deployedUserList = &listSpec{Schema: deployedUserSchema, SortUnknownCode: 38314001, SortUnsupportedCode: 38314002}
	stagedUserList   = &listSpec{Schema: stagedUserSchema, SortUnknownCode: 38313001, SortUnsupportedCode: 38313002}
	roleList         = &listSpec{Schema: roleSchema}
	profileList      = &listSpec{Schema: profileSchema}
	serviceList      = &listSpec{Schema: serviceSchema}
)

// listParams are the parsed filter, fields and sort of a request.
type listParams struct {
	schema *query.Schema
	filter *query.Filter
	sort   []query.SortKey
	fields *query.FieldSet
}

// parseListParams validates fields (every endpoint with a schema; on POST
// also as a header [C reference §5.2]), then filter and sort (list
// endpoints) — the Console's order: fields (30/31) before the others.
func (s *Server) parseListParams(c *call) (*listParams, *apiError) {
	lp := &listParams{schema: c.route.Schema}
	if c.route.List != nil {
		lp.schema = c.route.List.Schema
	}
	if lp.schema == nil {
		return lp, nil
	}
	q := c.r.URL.Query()
	fields := q.Get("fields")
	if fields == "" && c.r.Method == http.MethodPost {
		fields = c.r.Header.Get("fields")
	}
	if fields != "" {
		fs, err := query.ParseFields(fields, lp.schema)
		if err != nil {
			return nil, queryError(err, 0, 0)
		}
		lp.fields = fs
	}
	if c.route.List == nil {
		return lp, nil
	}
	if f := q.Get("filter"); f != "" {
		flt, err := query.ParseFilter(f)
		if err == nil {
			err = flt.Check(lp.schema)
		}
		if err != nil {
			return nil, queryError(err, 0, 0)
		}
		lp.filter = flt
	}
	if srt := q.Get("sort"); srt != "" {
		keys, err := query.ParseSort(srt, lp.schema)
		if err != nil {
			return nil, queryError(err, c.route.List.SortUnknownCode, c.route.List.SortUnsupportedCode)
		}
		lp.sort = keys
	}
	return lp, nil
}

// queryError turns a query engine error into the envelope, with the
// endpoint's sort codes where it has them.
func queryError(err error, sortUnknown, sortUnsupported int) *apiError {
	var qe *query.Error
	if !errors.As(err, &qe) {
		return errInternal("parse the query parameters")
	}
	code := qe.Code
	switch {
	case qe.Kind == query.SortUnknown && sortUnknown != 0:
		code = sortUnknown
	case qe.Kind == query.SortUnsupported && sortUnsupported != 0:
		code = sortUnsupported
	}
	return newError(http.StatusUnprocessableEntity, code, qe.Message, qe.Description)
}

// applyToUserQuery adds the filter and sort to a user query.
func (lp *listParams) applyToUserQuery(q *store.UserQuery) *apiError {
	if lp.filter != nil {
		where, args, err := lp.filter.SQL(lp.schema)
		if err != nil {
			return queryError(err, 0, 0)
		}
		if q.Where != "" {
			where = "(" + q.Where + ") AND (" + where + ")"
			args = append(append([]any{}, q.Args...), args...)
		}
		q.Where, q.Args = where, args
	}
	if len(lp.sort) > 0 {
		q.OrderBy = query.OrderBy(lp.sort, lp.schema, "id")
	}
	return nil
}

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
	first := min(c.rng.First, math.MaxInt32)
	n := min(c.rng.Last-c.rng.First+1, math.MaxInt32)
	return page{int(first), int(n)}
}

// listResponse writes one page of an already windowed list with its
// Content-Range (200, never 206 [I strong, reference §4]).
func (c *call) listResponse(items []object, total int, _ page) (*response, *apiError) {
	_, _, cr := window(c.rng, total, c.s.opts.UnrangedPageSize)
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = c.list.project(it)
	}
	return &response{Status: http.StatusOK, Body: out, Header: http.Header{"Content-Range": []string{cr}}}, nil
}

// listObjects filters, sorts, windows and projects an in-memory list, with
// the same semantics the SQL lists have.
func (c *call) listObjects(items []object) (*response, *apiError) {
	lp := c.list
	if lp.filter != nil || len(lp.sort) > 0 {
		recs := make([]map[string]any, 0, len(items))
		for i, it := range items {
			m := it.toMap()
			if lp.filter != nil && !lp.filter.Match(lp.schema, m) {
				continue
			}
			m[indexKey] = int64(i)
			recs = append(recs, m)
		}
		if len(lp.sort) > 0 {
			query.SortRecords(lp.sort, lp.schema, recs, "id")
		}
		kept := make([]object, len(recs))
		for i, m := range recs {
			kept[i] = items[m[indexKey].(int64)]
		}
		items = kept
	}
	total := len(items)
	off, n, _ := window(c.rng, total, c.s.opts.UnrangedPageSize)
	return c.listResponse(items[off:off+n], total, page{})
}

// indexKey carries an item's position through filtering and sorting; no
// QRadar field can be called that.
const indexKey = "\x00index"

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
	return c.list.project(o), nil
}

// project keeps the requested members of o, in o's order.
func (lp *listParams) project(o object) object {
	if lp == nil || lp.fields == nil {
		return o
	}
	return projectObject(o, lp.fields)
}

func projectObject(o object, fs *query.FieldSet) object {
	if fs == nil {
		return o
	}
	out := make(object, 0, len(o))
	for _, m := range o {
		if !fs.Has(m.Key) {
			continue
		}
		sub := fs.Sub(m.Key)
		switch v := m.Value.(type) {
		case object:
			out = append(out, member{m.Key, projectObject(v, sub)})
		case []object:
			l := make([]object, len(v))
			for i, e := range v {
				l[i] = projectObject(e, sub)
			}
			out = append(out, member{m.Key, l})
		default:
			out = append(out, m)
		}
	}
	return out
}
