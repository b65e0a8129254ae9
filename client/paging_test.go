package client_test

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/client"
)

func TestList_WalksRangePages(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name         string
		total        int
		pageSize     int
		contentRange bool
		wantRequests int
	}{
		{"empty list", 0, 10, true, 1},
		{"empty list without Content-Range", 0, 10, false, 1},
		{"one short page", 3, 10, true, 1},
		{"exact multiple of the page size", 20, 10, true, 2},
		{"exact multiple without Content-Range", 20, 10, false, 3},
		{"partial last page", 25, 10, true, 3},
		{"partial last page without Content-Range", 25, 10, false, 3},
		{"default page size", 120, 0, true, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux, _ := setup(t)
			var requests atomic.Int32
			pages := servePages(t, tc.total, tc.contentRange)
			mux.HandleFunc("GET /api/config/access/users", func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				pages(w, r)
			})
			users, err := client.Collect(c.Users.List(context.Background(), &client.ListOptions{PageSize: tc.pageSize}))
			require.NoError(t, err)
			require.Len(t, users, tc.total)
			for i, u := range users {
				assert.Equal(t, int64(i), u.ID)
			}
			assert.Equal(t, int32(tc.wantRequests), requests.Load())
		})
	}
}

func TestList_ServerShrinksPages(t *testing.T) {
	t.Parallel()
	// The Console may send fewer items than asked for; the next page starts after
	// the last item it reported.
	c, mux, _ := setup(t)
	var ranges []string
	mux.HandleFunc("GET /api/config/access/users", func(w http.ResponseWriter, r *http.Request) {
		ranges = append(ranges, r.Header.Get("Range"))
		first, last := parseRange(t, r)
		last = min(last, first+1, 4) // at most two per page, five in all
		items := []map[string]int{}
		for i := first; i <= last; i++ {
			items = append(items, map[string]int{"id": i})
		}
		w.Header().Set("Content-Range", fmt.Sprintf("items %d-%d/5", first, last))
		writeJSON(w, 200, items)
	})
	users, err := client.Collect(c.Users.List(context.Background(), &client.ListOptions{PageSize: 10}))
	require.NoError(t, err)
	assert.Len(t, users, 5)
	assert.Equal(t, []string{"items=0-9", "items=2-11", "items=4-13"}, ranges)
}

func TestList_IgnoredRangeWithoutContentRange(t *testing.T) {
	t.Parallel()
	// A Console that ignores Range and sends the whole list is read once.
	c, mux, _ := setup(t)
	var requests atomic.Int32
	mux.HandleFunc("GET /api/config/access/users", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		items := []map[string]int{}
		for i := range 7 {
			items = append(items, map[string]int{"id": i})
		}
		writeJSON(w, 200, items)
	})
	users, err := client.Collect(c.Users.List(context.Background(), &client.ListOptions{PageSize: 5}))
	require.NoError(t, err)
	assert.Len(t, users, 7)
	assert.Equal(t, int32(1), requests.Load())
}

func TestList_ErrorsAreYielded(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	mux.HandleFunc("GET /api/config/access/users", func(w http.ResponseWriter, r *http.Request) {
		first, _ := parseRange(t, r)
		if first > 0 {
			writeQRadarError(w, 422, 36, "Failed to parse Range header.", "")
			return
		}
		servePages(t, 20, true)(w, r)
	})
	users, err := client.Collect(c.Users.List(context.Background(), &client.ListOptions{PageSize: 10}))
	require.ErrorIs(t, err, client.ErrUnprocessable)
	assert.Len(t, users, 10)
}

func TestList_ContentRangeThatDoesNotAdvance(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	mux.HandleFunc("GET /api/config/access/users", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Range", "items 0-0/10") // always the first item
		writeJSON(w, 200, []map[string]int{{"id": 0}})
	})
	_, err := client.Collect(c.Users.List(context.Background(), &client.ListOptions{PageSize: 1}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "does not advance")
}

func TestList_QueryParameters(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	mux.HandleFunc("GET /api/config/access/users", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		assert.Equal(t, `(username="a\"b") and (user_role_id in (1, 2))`, q.Get("filter"))
		assert.Equal(t, "id,username", q.Get("fields"))
		assert.Equal(t, "+username,-id", q.Get("sort"))
		assert.Contains(t, r.URL.RawQuery, "sort=%2Busername", "+ must be sent as %2B")
		writeJSON(w, 200, []any{})
	})
	opts := &client.ListOptions{
		Filter: client.And(client.Eq("username", `a"b`), client.In("user_role_id", 1, 2)),
		Fields: "id,username",
		Sort:   "+username,-id",
	}
	_, err := client.Collect(c.Users.List(context.Background(), opts))
	require.NoError(t, err)
}

func TestList_InvalidFilterSendsNothing(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	mux.HandleFunc("GET /api/config/access/users", func(w http.ResponseWriter, r *http.Request) {
		t.Error("no request expected")
	})
	_, err := client.Collect(c.Users.List(context.Background(), &client.ListOptions{Filter: client.Eq("user name", "x")}))
	require.ErrorIs(t, err, client.ErrInvalidFilter)
}

func TestParseContentRange(t *testing.T) {
	t.Parallel()
	good := map[string]client.ContentRange{
		"items 0-11/12":    {First: 0, Last: 11, Total: 12},
		"items */3":        {First: -1, Last: -1, Total: 3},
		"items */0":        {First: -1, Last: -1, Total: 0},
		" items 5-5/6 ":    {First: 5, Last: 5, Total: 6},
		"ITEMS 0-0/1":      {First: 0, Last: 0, Total: 1},
		"items 10 - 19/40": {First: 10, Last: 19, Total: 40},
	}
	for in, want := range good {
		got, err := client.ParseContentRange(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "items", "bytes 0-1/2", "items 0-1", "items 3-1/5", "items a-b/3", "items 0-1/x", "items -1-2/3", "items 0-1/-1"} {
		_, err := client.ParseContentRange(in)
		assert.Error(t, err, in)
	}
}
