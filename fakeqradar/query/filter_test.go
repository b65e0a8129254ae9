package query_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/fakeqradar/query"
)

func TestTestSchemaIsValid(t *testing.T) {
	require.NoError(t, testSchema.Validate())
}

func TestParseFilterValid(t *testing.T) {
	t.Parallel()
	const (
		days = "json_extract(u.duration, '$.days')"
		caps = "EXISTS (SELECT 1 FROM caps c WHERE c.user_id = u.id AND (%s))"
		doms = "EXISTS (SELECT 1 FROM json_each(u.domain_ids) j WHERE (%s))"
	)
	sub := func(tmpl, inner string) string { return strings.Replace(tmpl, "%s", inner, 1) }
	tests := []struct {
		filter string
		sql    string
		args   []any
	}{
		{`id = 5`, `(u.id IS NOT NULL AND u.id = ?)`, []any{int64(5)}},
		{`id=5`, `(u.id IS NOT NULL AND u.id = ?)`, []any{int64(5)}},
		{`id = "5"`, `(u.id IS NOT NULL AND u.id = ?)`, []any{int64(5)}},
		{`id = -1`, `(u.id IS NOT NULL AND u.id = ?)`, []any{int64(-1)}},
		{`id>-1`, `(u.id IS NOT NULL AND u.id > ?)`, []any{int64(-1)}},
		{`score < 2.5`, `(u.score IS NOT NULL AND u.score < ?)`, []any{2.5}},
		{`score <= 1e3`, `(u.score IS NOT NULL AND u.score <= ?)`, []any{1000.0}},
		{`score >= +.5`, `(u.score IS NOT NULL AND u.score >= ?)`, []any{0.5}},
		{`age = 99999999999999999999`, `(u.age IS NOT NULL AND u.age = ?)`, []any{1e20}},
		{`id != 5`, `(u.id IS NULL OR u.id <> ?)`, []any{int64(5)}},
		{`id <> 5`, `(u.id IS NULL OR u.id <> ?)`, []any{int64(5)}},
		{`id ^= 5`, `(u.id IS NULL OR u.id <> ?)`, []any{int64(5)}},
		{`name = admin`, `(u.name IS NOT NULL AND u.name = ?)`, []any{"admin"}},
		{`name = 1e3`, `(u.name IS NOT NULL AND u.name = ?)`, []any{"1e3"}},
		{`name = 007`, `(u.name IS NOT NULL AND u.name = ?)`, []any{"007"}},
		{`name = TRUE`, `(u.name IS NOT NULL AND u.name = ?)`, []any{"TRUE"}},
		{`name = 'it\'s'`, `(u.name IS NOT NULL AND u.name = ?)`, []any{"it's"}},
		{`name = "a\"b"`, `(u.name IS NOT NULL AND u.name = ?)`, []any{`a"b`}},
		{`name = "a\\b"`, `(u.name IS NOT NULL AND u.name = ?)`, []any{`a\b`}},
		{`name = "x y, (z)"`, `(u.name IS NOT NULL AND u.name = ?)`, []any{"x y, (z)"}},
		{`name = ""`, `(u.name IS NOT NULL AND u.name = ?)`, []any{""}},
		{`active = true`, `(u.active IS NOT NULL AND u.active = ?)`, []any{int64(1)}},
		{`active = FALSE`, `(u.active IS NOT NULL AND u.active = ?)`, []any{int64(0)}},
		{`active = "True"`, `(u.active IS NOT NULL AND u.active = ?)`, []any{int64(1)}},
		{`id in (1, 2,3)`, `(u.id IS NOT NULL AND u.id IN (?, ?, ?))`, []any{int64(1), int64(2), int64(3)}},
		{`id IN (1)`, `(u.id IS NOT NULL AND u.id IN (?))`, []any{int64(1)}},
		{`id not in (1,2)`, `(u.id IS NULL OR u.id NOT IN (?, ?))`, []any{int64(1), int64(2)}},
		{`id NOT IN (1)`, `(u.id IS NULL OR u.id NOT IN (?))`, []any{int64(1)}},
		{`name in ("a", 'b', c)`, `(u.name IS NOT NULL AND u.name IN (?, ?, ?))`, []any{"a", "b", "c"}},
		{`id between 0 and 3`, `(u.id IS NOT NULL AND u.id BETWEEN ? AND ?)`, []any{int64(0), int64(3)}},
		{`id not between 30 and 31`, `(u.id IS NULL OR u.id NOT BETWEEN ? AND ?)`, []any{int64(30), int64(31)}},
		{`name between rest_api_samples and rest_api_samplet`, `(u.name IS NOT NULL AND u.name BETWEEN ? AND ?)`, []any{"rest_api_samples", "rest_api_samplet"}},
		{`name is null`, `(u.name IS NULL)`, nil},
		{`name IS NOT NULL`, `(u.name IS NOT NULL)`, nil},
		{`duration is null`, `(u.duration IS NULL)`, nil},
		{`domain_ids is not null`, `(u.domain_ids IS NOT NULL)`, nil},
		{`name like "a%"`, `(u.name IS NOT NULL AND u.name GLOB ?)`, []any{"a*"}},
		{`name LIKE 'a_b'`, `(u.name IS NOT NULL AND u.name GLOB ?)`, []any{"a?b"}},
		{`name like "*?[x]"`, `(u.name IS NOT NULL AND u.name GLOB ?)`, []any{"[*][?][[]x]"}},
		{`name ilike "AD%"`, `(u.name IS NOT NULL AND lower(u.name) GLOB ?)`, []any{"ad*"}},
		{`name ILIKE '%Élan'`, `(u.name IS NOT NULL AND lower(u.name) GLOB ?)`, []any{"*Élan"}},
		{`duration(days) >= 20`, `(` + days + ` IS NOT NULL AND ` + days + ` >= ?)`, []any{int64(20)}},
		{`duration( days ) is null`, `(` + days + ` IS NULL)`, nil},
		{`capabilities contains name = "ADMIN"`,
			sub(caps, `(c.name IS NOT NULL AND c.name = ?)`), []any{"ADMIN"}},
		{`capabilities CONTAINS (name = "ADMIN" or application_id = 25)`,
			sub(caps, `((c.name IS NOT NULL AND c.name = ?) OR (c.application_id IS NOT NULL AND c.application_id = ?))`),
			[]any{"ADMIN", int64(25)}},
		{`capabilities contains not name = ADMIN`,
			sub(caps, `(NOT (c.name IS NOT NULL AND c.name = ?))`), []any{"ADMIN"}},
		{`domain_ids contains 0`, sub(doms, `(j.value IS NOT NULL AND j.value = ?)`), []any{int64(0)}},
		{`domain_ids contains "0"`, sub(doms, `(j.value IS NOT NULL AND j.value = ?)`), []any{int64(0)}},
		{`domain_ids contains (.<3)`, sub(doms, `(j.value IS NOT NULL AND j.value < ?)`), []any{int64(3)}},
		{`domain_ids contains . in (1, 2)`, sub(doms, `(j.value IS NOT NULL AND j.value IN (?, ?))`), []any{int64(1), int64(2)}},
		{`domain_ids contains 0 and id = 1`,
			`(` + sub(doms, `(j.value IS NOT NULL AND j.value = ?)`) + ` AND (u.id IS NOT NULL AND u.id = ?))`,
			[]any{int64(0), int64(1)}},
		{`tags contains (. like "x%")`,
			`EXISTS (SELECT 1 FROM json_each(u.tags) t WHERE ((t.value IS NOT NULL AND t.value GLOB ?)))`, []any{"x*"}},
		// Precedence: not > and > or.
		{`id = 1 or id = 2 and name = x`,
			`((u.id IS NOT NULL AND u.id = ?) OR ((u.id IS NOT NULL AND u.id = ?) AND (u.name IS NOT NULL AND u.name = ?)))`,
			[]any{int64(1), int64(2), "x"}},
		{`(id = 1 OR id = 2) AnD name = x`,
			`(((u.id IS NOT NULL AND u.id = ?) OR (u.id IS NOT NULL AND u.id = ?)) AND (u.name IS NOT NULL AND u.name = ?))`,
			[]any{int64(1), int64(2), "x"}},
		{`not id = 1 and id = 2`,
			`((NOT (u.id IS NOT NULL AND u.id = ?)) AND (u.id IS NOT NULL AND u.id = ?))`,
			[]any{int64(1), int64(2)}},
		{`NOT (id = 1 and id = 2)`,
			`(NOT ((u.id IS NOT NULL AND u.id = ?) AND (u.id IS NOT NULL AND u.id = ?)))`,
			[]any{int64(1), int64(2)}},
		{`id = 1 or id = 2 or id = 3`,
			`((u.id IS NOT NULL AND u.id = ?) OR ((u.id IS NOT NULL AND u.id = ?) OR (u.id IS NOT NULL AND u.id = ?)))`,
			[]any{int64(1), int64(2), int64(3)}},
		{"\t(( id = 1 ))\n", `(u.id IS NOT NULL AND u.id = ?)`, []any{int64(1)}},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			f, err := query.ParseFilter(tt.filter)
			require.NoError(t, err)
			require.NoError(t, f.Check(testSchema))
			where, args, err := f.SQL(testSchema)
			require.NoError(t, err)
			assert.Equal(t, tt.sql, where)
			assert.Equal(t, tt.args, args)
			assert.Equal(t, tt.filter, f.String())
		})
	}
}

func TestParseFilterErrors(t *testing.T) {
	t.Parallel()
	const syntaxPrefix = "A filter parameter was invalid. Please make sure that the syntax is correct: Error Parsing filter at position "
	const invalidPrefix = "The filter parameter is not valid. "
	tests := []struct {
		filter string
		kind   query.ErrorKind
		msg    string // message after the prefix of the kind
	}{
		{`id =`, query.FilterSyntax, `4: expected a value, found end of filter`},
		{`id = 1 and`, query.FilterSyntax, `10: expected a field name, found end of filter`},
		{`(id = 1`, query.FilterSyntax, `7: expected ")", found end of filter`},
		{`id = 1)`, query.FilterSyntax, `6: unexpected ")"`},
		{`id = 1 2`, query.FilterSyntax, `7: unexpected "2"`},
		{`id`, query.FilterSyntax, `2: expected an operator after field "id", found end of filter`},
		{`id == 1`, query.FilterSyntax, `4: expected a value, found "="`},
		{`id ! 5`, query.FilterSyntax, `3: unexpected "!" (did you mean "!="?)`},
		{`id ^ 5`, query.FilterSyntax, `3: unexpected "^" (did you mean "^="?)`},
		{`name like foo%`, query.FilterSyntax, `10: the pattern after "like" must be a quoted string, found "foo%"`},
		{`name ILIKE 5`, query.FilterSyntax, `11: the pattern after "ilike" must be a quoted string, found "5"`},
		{`name = "abc`, query.FilterSyntax, `7: unterminated quoted string`},
		{`name = 'abc\'`, query.FilterSyntax, `7: unterminated quoted string`},
		{`1abc = 3`, query.FilterSyntax, `0: "1abc" is not a valid field name`},
		{`user.id = 3`, query.FilterSyntax, `0: "user.id" is not a valid field name`},
		{`"name" = 3`, query.FilterSyntax, `0: expected a field name, found quoted string`},
		{`id in ()`, query.FilterSyntax, `7: expected a value, found ")"`},
		{`id in 1, 2`, query.FilterSyntax, `6: expected "(" after "in", found "1"`},
		{`id in (1 2)`, query.FilterSyntax, `9: expected "," or ")" in the "in" list, found "2"`},
		{`id between 1 2`, query.FilterSyntax, `13: expected "and" after the lower bound of "between", found "2"`},
		{`id not like "x"`, query.FilterSyntax, `7: expected "in" or "between" after "not", found "like"`},
		{`id is nul`, query.FilterSyntax, `6: expected "null", found "nul"`},
		{`duration(.) = 1`, query.FilterSyntax, `9: "." cannot be a sub-field`},
		{`duration(days = 1`, query.FilterSyntax, `14: expected ")" after sub-field name, found "="`},
		{`domain_ids contains`, query.FilterSyntax, `19: expected a value, found end of filter`},
		{`id = 1 and or id = 2`, query.FilterSyntax, `11: expected a field name, found "or"`},
		{"id = \x00", query.FilterSyntax, `5: NUL character in filter`},
		{"name = \"\xff\"", query.FilterSyntax, `8: filter is not valid UTF-8`},

		{`id = abc`, query.FilterInvalid, `Value "abc" is not valid for field "id" of type integer.`},
		{`id = 1e999`, query.FilterInvalid, `Value "1e999" is not valid for field "id" of type integer.`},
		{`id = true`, query.FilterInvalid, `Value "true" is not valid for field "id" of type integer.`},
		{`id in (1, x)`, query.FilterInvalid, `Value "x" is not valid for field "id" of type integer.`},
		{`score between 1 and "two"`, query.FilterInvalid, `Value "two" is not valid for field "score" of type number.`},
		{`active = yes`, query.FilterInvalid, `Value "yes" is not valid for field "active" of type boolean.`},
		{`active = 1`, query.FilterInvalid, `Value "1" is not valid for field "active" of type boolean.`},
		{`foo = 1`, query.FilterInvalid, `Field "foo" does not exist.`},
		{`Name = x`, query.FilterInvalid, `Field "Name" does not exist.`},
		{`secret = x`, query.FilterInvalid, `Field "secret" is not filterable.`},
		{`id = 1 or secret is null`, query.FilterInvalid, `Field "secret" is not filterable.`},
		{`duration(weeks) = 1`, query.FilterInvalid, `Field "duration(weeks)" does not exist.`},
		{`duration(days(x)) = 1`, query.FilterInvalid, `Field "duration(days)" has no sub-field "x".`},
		{`name(x) = 1`, query.FilterInvalid, `Field "name" has no sub-field "x".`},
		{`capabilities(name) = 1`, query.FilterInvalid, `Field "capabilities" has no sub-field "name".`},
		{`id like "1%"`, query.FilterInvalid, `Operator "like" is not supported on field "id" of type integer.`},
		{`name contains x`, query.FilterInvalid, `Operator "contains" is not supported on field "name" of type string.`},
		{`capabilities = 1`, query.FilterInvalid, `Operator "=" is not supported on field "capabilities" of type list.`},
		{`duration = 1`, query.FilterInvalid, `Operator "=" is not supported on field "duration" of type object.`},
		{`capabilities is null`, query.FilterInvalid, `Operator "is null" is not supported on field "capabilities" of type list.`},
		{`capabilities contains ADMIN`, query.FilterInvalid, `Field "capabilities" is a list of objects: write "capabilities contains <field> = <value>".`},
		{`capabilities contains (. = 1)`, query.FilterInvalid, `"." can only be used inside "contains" on a list of values.`},
		{`capabilities contains (secret = 1)`, query.FilterInvalid, `Field "secret" does not exist.`},
		{`capabilities contains application_id = x`, query.FilterInvalid, `Value "x" is not valid for field "application_id" of type integer.`},
		{`. = 1`, query.FilterInvalid, `"." can only be used inside "contains" on a list of values.`},
		{`domain_ids contains (id = 1)`, query.FilterInvalid, `Field "id" does not exist; use "." for the elements of list "domain_ids".`},
		{`domain_ids contains x`, query.FilterInvalid, `Value "x" is not valid for field "domain_ids" of type integer.`},
		{`domain_ids contains (. like "1")`, query.FilterInvalid, `Operator "like" is not supported on field "." of type integer.`},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			f, err := query.ParseFilter(tt.filter)
			if err == nil {
				err = f.Check(testSchema)
			}
			require.Error(t, err)
			var qe *query.Error
			require.True(t, errors.As(err, &qe), "%T is not *query.Error", err)
			assert.Equal(t, tt.kind, qe.Kind)
			assert.Equal(t, 1005, qe.Code)
			assert.Equal(t, http.StatusUnprocessableEntity, qe.Status())
			assert.Equal(t, "The filter parameter is not valid.", qe.Description)
			prefix := syntaxPrefix
			if tt.kind == query.FilterInvalid {
				prefix = invalidPrefix
			}
			assert.Equal(t, prefix+tt.msg, qe.Message)
			assert.Equal(t, qe.Message, qe.Error())

			if tt.kind == query.FilterInvalid {
				// A filter that fails Check gives no SQL and matches nothing.
				_, _, sqlErr := f.SQL(testSchema)
				assert.Equal(t, err, sqlErr)
				assert.False(t, f.Match(testSchema, map[string]any{"id": int64(1)}))
			}
		})
	}
}

func TestParseFilterLimits(t *testing.T) {
	t.Parallel()
	kindOf := func(err error) query.ErrorKind {
		var qe *query.Error
		require.True(t, errors.As(err, &qe))
		return qe.Kind
	}

	_, err := query.ParseFilter(strings.Repeat(" ", query.MaxFilterLen+1))
	require.Error(t, err)
	assert.Equal(t, query.FilterSyntax, kindOf(err))
	assert.Contains(t, err.Error(), "filter is longer than 8192 bytes")

	ok := strings.Repeat("(", query.MaxFilterDepth) + "id = 1" + strings.Repeat(")", query.MaxFilterDepth)
	_, err = query.ParseFilter(ok)
	require.NoError(t, err)

	for _, deep := range []string{
		strings.Repeat("(", query.MaxFilterDepth+1) + "id = 1" + strings.Repeat(")", query.MaxFilterDepth+1),
		strings.Repeat("not ", query.MaxFilterDepth+1) + "id = 1",
		strings.Repeat("(", 5000),
	} {
		_, err = query.ParseFilter(deep)
		require.Error(t, err)
		assert.Equal(t, query.FilterSyntax, kindOf(err))
		assert.Contains(t, err.Error(), "nested more than 64 levels deep")
	}

	// A long flat chain is fine and its SQL stays within SQLite's depth limit.
	db, recs := openTestDB(t)
	long := "id = 0" + strings.Repeat(" or id = 1", (query.MaxFilterLen-10)/10)
	f, err := query.ParseFilter(long)
	require.NoError(t, err)
	ids, err := sqlIDs(db, f)
	require.NoError(t, err)
	assert.Equal(t, []int64{1}, ids)
	assert.Equal(t, ids, goIDs(recs, f))
}

func TestEmptyFilterMatchesAll(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "   ", "\t\n"} {
		f, err := query.ParseFilter(s)
		require.NoError(t, err)
		require.Nil(t, f)
		require.NoError(t, f.Check(testSchema))
		where, args, err := f.SQL(testSchema)
		require.NoError(t, err)
		assert.Equal(t, "1", where)
		assert.Empty(t, args)
		assert.True(t, f.Match(testSchema, map[string]any{}))
		assert.Equal(t, "", f.String())
	}
}

// TestFilterSemantics pins down results, not only agreement between SQL and Go.
func TestFilterSemantics(t *testing.T) {
	t.Parallel()
	db, recs := openTestDB(t)
	tests := []struct {
		filter string
		ids    []int64
	}{
		// Null: = and in are false, != and not in true.
		{`email = "x@y"`, []int64{3}},
		{`name != "admin"`, []int64{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}},
		{`score not between 0 and 10`, []int64{3, 4, 5, 8, 9, 10, 11, 12, 14, 15, 16, 17}},
		{`not (score between 0 and 10)`, []int64{3, 4, 5, 8, 9, 10, 11, 12, 14, 15, 16, 17}},
		{`active = true`, []int64{1, 4, 16}},
		{`active != true`, []int64{2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18}},
		{`name like "a%"`, []int64{1, 6, 7, 16, 17}},
		{`name ilike "a%"`, []int64{1, 2, 6, 7, 16, 17}},
		{`name like "a_b"`, []int64{6}},
		{`name like "%[%"`, []int64{8}},
		{`name like "%*%"`, []int64{7}},
		{`name like "%?"`, []int64{7}},
		{`name like "%\\%"`, []int64{12}},
		{`name like "50\%%"`, []int64{5}},
		{`name like "%"`, []int64{1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}},
		{`name like ""`, []int64{11}},
		{`name ilike "élan"`, []int64{10}},
		{`name ilike "_lan"`, []int64{9, 10}},
		{`name = "O'Brien"`, []int64{4}},
		{`email = '"quoted"'`, []int64{4}},
		{`email = "a\"b'c"`, []int64{12}},
		{`duration(days) >= 20`, []int64{1, 16}},
		{`duration(days) is null`, []int64{3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18}},
		{`duration is null`, []int64{3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18}},
		{`duration(note) ilike "ab"`, []int64{16}},
		{`capabilities contains name = "ADMIN"`, []int64{1, 2}},
		{`capabilities contains (name = "ADMIN" and application_id = 25)`, []int64{2}},
		{`capabilities contains name = "ADMIN" and capabilities contains application_id = 25`, []int64{1, 2}},
		{`capabilities contains (name = "ADMIN" or application_id = 25)`, []int64{1, 2}},
		{`capabilities contains description != "x"`, []int64{1, 2, 4, 5}},
		{`not capabilities contains name is not null`, []int64{3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}},
		{`domain_ids contains 0`, []int64{1}},
		{`domain_ids contains (. < 3)`, []int64{1, 17}},
		{`domain_ids contains (. > 2 and . < 4)`, []int64{5}},
		{`domain_ids is null`, []int64{3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18}},
		{`tags contains "%"`, []int64{5}},
		{`tags contains (. like "[%")`, []int64{6}},
		{`age = 5`, []int64{10}},
		{`age > 9007199254740992.0`, []int64{11}},
		{`age = 9007199254740992.0`, nil},
		{`score = 9007199254740992`, []int64{11}},
		{`age < -9007199254740992.0`, []int64{18}},
		{`score = 0`, []int64{18}},
		{`score = 1e3`, []int64{5}},
		{`score in (2.5, 3)`, []int64{2, 7, 13}},
		{`id between 3 and 1`, nil},
		{`name between "a" and "b"`, []int64{1, 6, 7, 16, 17}},
		{`name > "Z" and name < "a"`, []int64{8}},
		{`name >= "É" and name < "F"`, nil},
		{`name > "z"`, []int64{9, 10}},
		{`name = "' OR 1=1 --"`, []int64{14}},
		{`id = 1 or id = 2 and name = Admin`, []int64{1, 2}},
		{`(id = 1 or id = 2) and name = Admin`, []int64{2}},
		{`not id = 1 and id < 3`, []int64{2}},
		{`not not id = 1`, []int64{1}},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			f, err := query.ParseFilter(tt.filter)
			require.NoError(t, err)
			require.NoError(t, f.Check(testSchema))
			ids, err := sqlIDs(db, f)
			require.NoError(t, err)
			assert.Equal(t, tt.ids, ids, "SQL")
			assert.Equal(t, tt.ids, goIDs(recs, f), "Go")
		})
	}
}

func TestFilterIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	f, err := query.ParseFilter(`name ilike "a%" or capabilities contains name = ADMIN`)
	require.NoError(t, err)
	recs := testRecords()
	done := make(chan []int64)
	for range 8 {
		go func() { done <- goIDs(recs, f) }()
	}
	want := goIDs(recs, f)
	for range 8 {
		assert.Equal(t, want, <-done)
	}
}

func TestFilterCheckedAgainstAnotherSchema(t *testing.T) {
	t.Parallel()
	other := &query.Schema{Fields: []query.Field{{Name: "id", Kind: query.KindString, Column: "o.id", Filterable: true}}}
	f, err := query.ParseFilter(`id = abc`)
	require.NoError(t, err)
	require.Error(t, f.Check(testSchema))
	require.NoError(t, f.Check(other))
	assert.True(t, f.Match(other, map[string]any{"id": "abc"}))
	assert.False(t, f.Match(testSchema, map[string]any{"id": "abc"}))
}
