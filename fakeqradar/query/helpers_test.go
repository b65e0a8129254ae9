package query_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"

	"github.com/fakeqradar/fakeqradar/fakeqradar/query"
)

// testSchema describes the "users" test object: scalars of every kind, a
// nested object stored as JSON, lists of ints and strings stored as JSON
// arrays (json_each) and a list of objects in a child table.
var testSchema = &query.Schema{Fields: []query.Field{
	{Name: "id", Kind: query.KindInt, Column: "u.id", Filterable: true, Sortable: true},
	{Name: "name", Kind: query.KindString, Column: "u.name", Filterable: true, Sortable: true},
	{Name: "email", Kind: query.KindString, Column: "u.email", Filterable: true, Sortable: true},
	{Name: "score", Kind: query.KindFloat, Column: "u.score", Filterable: true, Sortable: true},
	{Name: "age", Kind: query.KindInt, Column: "u.age", Filterable: true, Sortable: true},
	{Name: "active", Kind: query.KindBool, Column: "u.active", Filterable: true, Sortable: true},
	{Name: "duration", Kind: query.KindObject, Column: "u.duration", Filterable: true, Sub: []query.Field{
		{Name: "days", Kind: query.KindInt, Column: "json_extract(u.duration, '$.days')", Filterable: true, Sortable: true},
		{Name: "note", Kind: query.KindString, Column: "json_extract(u.duration, '$.note')", Filterable: true},
	}},
	{
		Name: "domain_ids", Kind: query.KindList, Elem: query.KindInt, Column: "u.domain_ids",
		ListSQL:    "EXISTS (SELECT 1 FROM json_each(u.domain_ids) j WHERE (%s))",
		ElemColumn: "j.value", Filterable: true,
	},
	{
		Name: "tags", Kind: query.KindList, Elem: query.KindString, Column: "u.tags",
		ListSQL:    "EXISTS (SELECT 1 FROM json_each(u.tags) t WHERE (%s))",
		ElemColumn: "t.value", Filterable: true,
	},
	{
		Name: "capabilities", Kind: query.KindList, Elem: query.KindObject, Filterable: true,
		ListSQL: "EXISTS (SELECT 1 FROM caps c WHERE c.user_id = u.id AND (%s))",
		Sub: []query.Field{
			{Name: "application_id", Kind: query.KindInt, Column: "c.application_id", Filterable: true},
			{Name: "name", Kind: query.KindString, Column: "c.name", Filterable: true},
			{Name: "description", Kind: query.KindString, Column: "c.description", Filterable: true},
		},
	},
	{Name: "secret", Kind: query.KindString, Column: "u.secret"},
}}

func capability(app int64, name, desc any) map[string]any {
	return map[string]any{"application_id": app, "name": name, "description": desc}
}

// testRecords are the rows both sides evaluate. Values are chosen for edge
// cases: nulls everywhere, empty and null lists, wildcard and quote
// characters, non-ASCII case pairs, an integer beyond 2^53.
func testRecords() []map[string]any {
	caps := func(c ...map[string]any) []any {
		out := make([]any, len(c))
		for i := range c {
			out[i] = c[i]
		}
		return out
	}
	return []map[string]any{
		{"id": int64(1), "name": "admin", "email": "admin@example.com", "score": 9.5, "age": int64(40), "active": true,
			"duration": map[string]any{"days": int64(30), "note": "long"}, "domain_ids": []any{int64(0), int64(1), int64(2)},
			"tags": []any{"a", "b"}, "capabilities": caps(capability(1, "ADMIN", "Administrator"), capability(25, "LOGS", "Log activity")),
			"secret": "s1"},
		{"id": int64(2), "name": "Admin", "email": nil, "score": 3.0, "age": int64(25), "active": false,
			"duration": map[string]any{"days": int64(5)}, "domain_ids": []any{}, "tags": []any{},
			"capabilities": caps(capability(25, "ADMIN", ""))},
		{"id": int64(3), "name": nil, "email": "x@y", "score": nil, "age": nil, "active": nil,
			"duration": nil, "domain_ids": nil, "tags": nil, "capabilities": caps()},
		{"id": int64(4), "name": "O'Brien", "email": `"quoted"`, "score": -1.5, "age": int64(0), "active": true,
			"duration": map[string]any{"days": nil}, "domain_ids": []any{int64(5)}, "tags": []any{"x y"},
			"capabilities": caps(capability(30, "USER", nil))},
		{"id": int64(5), "name": "50% off", "email": "p@q", "score": 1000.0, "age": int64(-7), "active": false,
			"domain_ids": []any{int64(3), int64(4)}, "tags": []any{"%", "_"}, "capabilities": caps(capability(1, "admin", "lower"))},
		{"id": int64(6), "name": "a_b", "score": 0.1, "age": int64(1), "tags": []any{"[x]"}},
		{"id": int64(7), "name": "a*b?", "score": 2.5, "age": int64(2)},
		{"id": int64(8), "name": "[x]", "age": int64(3)},
		{"id": int64(9), "name": "Élan", "age": int64(4), "tags": []any{"Élan"}},
		{"id": int64(10), "name": "élan", "age": json.Number("5")},
		{"id": int64(11), "name": "", "age": int64(9007199254740993), "score": 9007199254740992.0},
		{"id": int64(12), "name": `back\slash`, "email": `a"b'c`},
		{"id": int64(13), "name": "1e3", "age": int64(1000), "score": 2.5},
		{"id": int64(14), "name": "' OR 1=1 --", "email": "/* x */"},
		{"id": int64(15), "name": "; DROP TABLE users", "email": "`tick`"},
		{"id": int64(16), "name": "aB", "email": "AB", "active": true, "duration": map[string]any{"days": int64(20), "note": "Ab"}},
		{"id": int64(17), "name": "ab", "email": "ab", "domain_ids": []any{int64(-3), int64(2)}},
		{"id": int64(18), "name": "true", "email": "null", "score": -0.0, "age": int64(-9007199254740993)},
	}
}

var dbSeq atomic.Int64

// openTestDB creates an in-memory database holding testRecords and returns it
// with the records.
func openTestDB(tb testing.TB) (*sql.DB, []map[string]any) {
	tb.Helper()
	dsn := fmt.Sprintf("file:/query-test-%d?vfs=memdb", dbSeq.Add(1))
	db, err := sql.Open("sqlite", dsn)
	require.NoError(tb, err)
	db.SetMaxOpenConns(1)
	tb.Cleanup(func() { _ = db.Close() })
	_, err = db.Exec(`
CREATE TABLE users (
	id INTEGER PRIMARY KEY, name TEXT, email TEXT, score REAL, age INTEGER, active INTEGER,
	duration TEXT, domain_ids TEXT, tags TEXT, secret TEXT);
CREATE TABLE caps (user_id INTEGER NOT NULL, application_id INTEGER, name TEXT, description TEXT);`)
	require.NoError(tb, err)

	recs := testRecords()
	asJSON := func(v any) any {
		if v == nil {
			return nil
		}
		b, err := json.Marshal(v)
		require.NoError(tb, err)
		return string(b)
	}
	for _, r := range recs {
		var active any
		if b, ok := r["active"].(bool); ok {
			active = 0
			if b {
				active = 1
			}
		}
		age := r["age"]
		if n, ok := age.(json.Number); ok {
			age, err = n.Int64()
			require.NoError(tb, err)
		}
		_, err := db.Exec(`INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r["id"], r["name"], r["email"], r["score"], age, active,
			asJSON(r["duration"]), asJSON(r["domain_ids"]), asJSON(r["tags"]), r["secret"])
		require.NoError(tb, err)
		caps, _ := r["capabilities"].([]any)
		for _, c := range caps {
			m := c.(map[string]any)
			_, err := db.Exec(`INSERT INTO caps VALUES (?, ?, ?, ?)`, r["id"], m["application_id"], m["name"], m["description"])
			require.NoError(tb, err)
		}
	}
	return db, recs
}

// sqlIDs runs the filter's SQL and returns the matching ids in order.
func sqlIDs(db *sql.DB, f *query.Filter) ([]int64, error) {
	where, args, err := f.SQL(testSchema)
	if err != nil {
		return nil, err
	}
	rows, err := db.Query("SELECT u.id FROM users u WHERE "+where+" ORDER BY u.id", args...)
	if err != nil {
		return nil, fmt.Errorf("%w\nSQL: %s\nargs: %#v", err, where, args)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// goIDs evaluates the filter with Match and returns the matching ids in order.
func goIDs(recs []map[string]any, f *query.Filter) []int64 {
	var ids []int64
	for _, r := range recs {
		if f.Match(testSchema, r) {
			ids = append(ids, r["id"].(int64))
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}
