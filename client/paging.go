package client

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// ListOptions narrows and pages a list request.
type ListOptions struct {
	// Filter selects items on the Console (query parameter "filter"); build it with
	// Eq, And, Or and friends. The zero Filter selects everything.
	Filter Filter
	// Fields limits the returned fields, e.g. "id,username" (query parameter "fields").
	// Fields left out decode as zero values.
	Fields string
	// Sort orders the list, e.g. "+username" or "-id,+username" (query parameter "sort").
	Sort string
	// PageSize is the number of items per Range page (default DefaultPageSize).
	PageSize int
}

func (o *ListOptions) pageSize() int {
	if o == nil || o.PageSize <= 0 {
		return DefaultPageSize
	}
	return o.PageSize
}

func (o *ListOptions) query() (url.Values, error) {
	q := url.Values{}
	if o == nil {
		return q, nil
	}
	if !o.Filter.IsZero() {
		f, err := o.Filter.Build()
		if err != nil {
			return nil, err
		}
		q.Set("filter", f)
	}
	if o.Fields != "" {
		q.Set("fields", o.Fields)
	}
	if o.Sort != "" {
		q.Set("sort", o.Sort)
	}
	return q, nil
}

// ContentRange is a parsed "Content-Range: items first-last/total" header.
// For "items */total" (a page past the end) First and Last are -1.
type ContentRange struct {
	First, Last, Total int
}

// Empty reports whether the range holds no items ("items */total").
func (r ContentRange) Empty() bool { return r.First < 0 }

// Complete reports whether no items follow this page.
func (r ContentRange) Complete() bool { return r.Empty() || r.Last+1 >= r.Total }

func (r ContentRange) String() string {
	if r.Empty() {
		return fmt.Sprintf("items */%d", r.Total)
	}
	return fmt.Sprintf("items %d-%d/%d", r.First, r.Last, r.Total)
}

// ParseContentRange parses "items x-y/total" and "items */total".
func ParseContentRange(s string) (ContentRange, error) {
	bad := func() (ContentRange, error) {
		return ContentRange{}, fmt.Errorf("client: malformed Content-Range %q", s)
	}
	unit, rest, ok := strings.Cut(strings.TrimSpace(s), " ")
	if !ok || !strings.EqualFold(unit, "items") {
		return bad()
	}
	rng, tot, ok := strings.Cut(strings.TrimSpace(rest), "/")
	if !ok {
		return bad()
	}
	total, err := strconv.Atoi(strings.TrimSpace(tot))
	if err != nil || total < 0 {
		return bad()
	}
	rng = strings.TrimSpace(rng)
	if rng == "*" {
		return ContentRange{First: -1, Last: -1, Total: total}, nil
	}
	a, b, ok := strings.Cut(rng, "-")
	if !ok {
		return bad()
	}
	first, err1 := strconv.Atoi(strings.TrimSpace(a))
	last, err2 := strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil || first < 0 || last < first {
		return bad()
	}
	return ContentRange{First: first, Last: last, Total: total}, nil
}

// listPage fetches the items first..first+PageSize-1 of the list at path.
func listPage[T any](ctx context.Context, c *Client, path string, first int, opts *ListOptions) ([]T, *Response, error) {
	if first < 0 {
		return nil, nil, fmt.Errorf("client: negative page start %d", first)
	}
	q, err := opts.query()
	if err != nil {
		return nil, nil, err
	}
	h := http.Header{}
	h.Set("Range", fmt.Sprintf("items=%d-%d", first, first+opts.pageSize()-1))
	var items []T
	resp, err := c.do(ctx, &apiRequest{method: http.MethodGet, path: path, query: q, header: h}, &items)
	if err != nil {
		return nil, resp, err
	}
	return items, resp, nil
}

// listAll walks the list at path page by page. It stops when Content-Range says the
// list is complete, when a page is empty, or (without Content-Range) when a page is
// shorter than the page size.
func listAll[T any](ctx context.Context, c *Client, path string, opts *ListOptions) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		size := opts.pageSize()
		first := 0
		for {
			items, resp, err := listPage[T](ctx, c, path, first, opts)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if len(items) == 0 {
				return
			}
			if cr := resp.ContentRange; cr != nil {
				if cr.Complete() {
					return
				}
				if cr.Last < first {
					yield(zero, fmt.Errorf("client: GET /api%s: Content-Range %s does not advance past item %d", path, cr, first))
					return
				}
				first = cr.Last + 1
				continue
			}
			// No Content-Range: a short page is the last; a page longer than asked for
			// means the Console ignored Range and sent the whole list.
			if len(items) != size {
				return
			}
			first += len(items)
		}
	}
}

// Collect gathers everything a list iterator yields, stopping at the first error.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}
