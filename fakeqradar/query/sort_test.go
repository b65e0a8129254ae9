package query_test

import (
	"database/sql"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/fakeqradar/query"
)

func TestParseSort(t *testing.T) {
	t.Parallel()
	tests := []struct {
		sort    string
		keys    []query.SortKey
		orderBy string
	}{
		{"", nil, "ORDER BY u.id ASC"},
		{"+name", []query.SortKey{{Path: []string{"name"}}}, "ORDER BY u.name ASC NULLS FIRST, u.id ASC"},
		{"name", []query.SortKey{{Path: []string{"name"}}}, "ORDER BY u.name ASC NULLS FIRST, u.id ASC"},
		{" name", []query.SortKey{{Path: []string{"name"}}}, "ORDER BY u.name ASC NULLS FIRST, u.id ASC"},
		{"-name", []query.SortKey{{Path: []string{"name"}, Desc: true}}, "ORDER BY u.name DESC NULLS LAST, u.id ASC"},
		{"-score,+age", []query.SortKey{{Path: []string{"score"}, Desc: true}, {Path: []string{"age"}}},
			"ORDER BY u.score DESC NULLS LAST, u.age ASC NULLS FIRST, u.id ASC"},
		{"-score, age", []query.SortKey{{Path: []string{"score"}, Desc: true}, {Path: []string{"age"}}},
			"ORDER BY u.score DESC NULLS LAST, u.age ASC NULLS FIRST, u.id ASC"},
		{"-active,  name ", []query.SortKey{{Path: []string{"active"}, Desc: true}, {Path: []string{"name"}}},
			"ORDER BY u.active DESC NULLS LAST, u.name ASC NULLS FIRST, u.id ASC"},
		{"-duration(days)", []query.SortKey{{Path: []string{"duration", "days"}, Desc: true}},
			"ORDER BY json_extract(u.duration, '$.days') DESC NULLS LAST, u.id ASC"},
		{`n\ame`, []query.SortKey{{Path: []string{"name"}}}, "ORDER BY u.name ASC NULLS FIRST, u.id ASC"},
	}
	for _, tt := range tests {
		t.Run(tt.sort, func(t *testing.T) {
			keys, err := query.ParseSort(tt.sort, testSchema)
			require.NoError(t, err)
			assert.Equal(t, tt.keys, keys)
			assert.Equal(t, tt.orderBy, query.OrderBy(keys, testSchema, "u.id"))
		})
	}
	keys, err := query.ParseSort("-duration(days),name", testSchema)
	require.NoError(t, err)
	assert.Equal(t, "-duration(days)", keys[0].String())
	assert.Equal(t, "+name", keys[1].String())
	assert.Equal(t, "", query.OrderBy(nil, testSchema, ""))
	assert.Equal(t, "ORDER BY u.name ASC NULLS FIRST", query.OrderBy(keys[1:], testSchema, ""))
}

func TestParseSortErrors(t *testing.T) {
	t.Parallel()
	const unknown, unsupported = "Field in sort parameter does not exist.", "Sorting not supported on field in sort parameter."
	tests := []struct {
		sort string
		kind query.ErrorKind
	}{
		{"nope", query.SortUnknown},
		{"+nope", query.SortUnknown},
		{"name,-nope", query.SortUnknown},
		{"Name", query.SortUnknown},
		{"name,", query.SortUnknown},
		{",name", query.SortUnknown},
		{"+", query.SortUnknown},
		{"--name", query.SortUnknown},
		{"+-name", query.SortUnknown},
		{`name\,id`, query.SortUnknown},
		{`duration\(days\)`, query.SortUnknown},
		{"duration(days", query.SortUnknown},
		{"duration(days))", query.SortUnknown},
		{"duration()", query.SortUnknown},
		{"(days)", query.SortUnknown},
		{"duration(days)x", query.SortUnknown},
		{"duration(nope)", query.SortUnknown},
		{"name(x)", query.SortUnknown},
		{"capabilities(name)", query.SortUnknown},
		{"secret", query.SortUnsupported},
		{"-secret", query.SortUnsupported},
		{"duration", query.SortUnsupported},
		{"domain_ids", query.SortUnsupported},
		{"capabilities", query.SortUnsupported},
		{"duration(note)", query.SortUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.sort, func(t *testing.T) {
			_, err := query.ParseSort(tt.sort, testSchema)
			var qe *query.Error
			require.True(t, errors.As(err, &qe), "%v", err)
			assert.Equal(t, tt.kind, qe.Kind)
			assert.Equal(t, 1005, qe.Code)
			want := unknown
			if tt.kind == query.SortUnsupported {
				want = unsupported
			}
			assert.Equal(t, want, qe.Message)
			assert.Equal(t, 422, qe.Status())
		})
	}
}

// sortedSQL returns the ids in the order OrderBy gives.
func sortedSQL(t testing.TB, db *sql.DB, keys []query.SortKey) []int64 {
	t.Helper()
	q := "SELECT u.id FROM users u " + query.OrderBy(keys, testSchema, "u.id")
	rows, err := db.Query(q)
	require.NoError(t, err, q)
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		require.NoError(t, rows.Scan(&id))
		ids = append(ids, id)
	}
	require.NoError(t, rows.Err())
	return ids
}

// sortedGo returns the ids in the order SortRecords gives.
func sortedGo(recs []map[string]any, keys []query.SortKey) []int64 {
	cp := append([]map[string]any(nil), recs...)
	query.SortRecords(keys, testSchema, cp, "id")
	ids := make([]int64, len(cp))
	for i, r := range cp {
		ids[i] = r["id"].(int64)
	}
	return ids
}

func TestSortSQLAndGoAgree(t *testing.T) {
	t.Parallel()
	db, recs := openTestDB(t)
	// Shuffle so that the Go side cannot rely on input order.
	for i, j := 0, len(recs)-1; i < j; i, j = i+1, j-1 {
		recs[i], recs[j] = recs[j], recs[i]
	}
	names := []string{"id", "name", "email", "score", "age", "active", "duration(days)"}
	var sorts []string
	for _, a := range names {
		sorts = append(sorts, a, "-"+a)
		for _, b := range names {
			sorts = append(sorts, "-"+a+",+"+b, a+",-"+b, "-"+a+",-"+b+",name")
		}
	}
	for _, s := range sorts {
		keys, err := query.ParseSort(s, testSchema)
		require.NoError(t, err, s)
		assert.Equal(t, sortedSQL(t, db, keys), sortedGo(recs, keys), "sort %s", s)
	}

	// Pinned: nulls first ascending, last descending; ties by id.
	keys, err := query.ParseSort("active", testSchema)
	require.NoError(t, err)
	assert.Equal(t, []int64{3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 2, 5, 1, 4, 16}, sortedGo(recs, keys))
	keys, err = query.ParseSort("-score", testSchema)
	require.NoError(t, err)
	assert.Equal(t, []int64{11, 5, 1, 2, 7, 13, 6, 18, 4, 3, 8, 9, 10, 12, 14, 15, 16, 17}, sortedGo(recs, keys))
}

func TestSortRecordsIsStable(t *testing.T) {
	t.Parallel()
	recs := []map[string]any{
		{"id": "b", "name": "x"}, {"id": "a", "name": "x"}, {"name": "x"}, {"id": int64(2), "name": "x"}, {"id": 1.5, "name": "x"},
	}
	keys, err := query.ParseSort("name", testSchema)
	require.NoError(t, err)
	query.SortRecords(keys, testSchema, recs, "id")
	var got []any
	for _, r := range recs {
		got = append(got, r["id"])
	}
	// SQLite's order of mixed values: NULL, numbers, text.
	assert.Equal(t, []any{nil, 1.5, int64(2), "a", "b"}, got)

	// Without a tie-break the input order is kept.
	recs = []map[string]any{{"id": int64(3)}, {"id": int64(1)}, {"id": int64(2)}}
	query.SortRecords(keys, testSchema, recs, "")
	assert.Equal(t, int64(3), recs[0]["id"])
	assert.Equal(t, int64(2), recs[2]["id"])
}
