package query_test

import (
	"testing"

	"github.com/fakeqradar/fakeqradar/fakeqradar/query"
)

const benchFilter = `(username ilike "%adm%" or email like "%@example.com") and id not in (1, 2, 3) ` +
	`and capabilities contains (name = "ADMIN" or application_id = 25) and domain_ids contains (. < 3)`

func BenchmarkParseFilter(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := query.ParseFilter(benchFilter); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	schema := &query.Schema{Fields: []query.Field{
		{Name: "id", Kind: query.KindInt, Column: "u.id", Filterable: true},
		{Name: "username", Kind: query.KindString, Column: "u.username", Filterable: true},
		{Name: "email", Kind: query.KindString, Column: "u.email", Filterable: true},
		{Name: "domain_ids", Kind: query.KindList, Elem: query.KindInt, Filterable: true,
			ListSQL: "EXISTS (SELECT 1 FROM json_each(u.domain_ids) j WHERE (%s))", ElemColumn: "j.value"},
		{Name: "capabilities", Kind: query.KindList, Elem: query.KindObject, Filterable: true,
			ListSQL: "EXISTS (SELECT 1 FROM caps c WHERE c.user_id = u.id AND (%s))",
			Sub: []query.Field{
				{Name: "application_id", Kind: query.KindInt, Column: "c.application_id", Filterable: true},
				{Name: "name", Kind: query.KindString, Column: "c.name", Filterable: true},
			}},
	}}
	f, err := query.ParseFilter(benchFilter)
	if err != nil {
		b.Fatal(err)
	}
	if err := f.Check(schema); err != nil {
		b.Fatal(err)
	}
	rec := map[string]any{
		"id": int64(7), "username": "jadmin", "email": "j@example.com",
		"domain_ids":   []any{int64(5), int64(2)},
		"capabilities": []any{capability(10, "LOGS", ""), capability(25, "USERS", "")},
	}
	b.ReportAllocs()
	for b.Loop() {
		if !f.Match(schema, rec) {
			b.Fatal("no match")
		}
	}
}
