package query_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/fakeqradar/query"
)

// TestFilterSQLInjection feeds hostile filters through ParseFilter, Check and
// SQL. Each must either be rejected with a FilterSyntax/FilterInvalid error or
// run as a plain comparison that returns exactly the rows Match returns
// (the literal is a bound value, never SQL); the tables survive.
func TestFilterSQLInjection(t *testing.T) {
	t.Parallel()
	db, recs := openTestDB(t)
	tests := []struct {
		filter string
		ids    []int64 // nil: no row; ignored when rejected
		reject bool
	}{
		{`name = "' OR 1=1 --"`, []int64{14}, false},
		{`name = '\' OR 1=1 --'`, []int64{14}, false},
		{`name = "; DROP TABLE users"`, []int64{15}, false},
		{`name = '; DROP TABLE users; --'`, nil, false},
		{`email = "/* x */"`, []int64{14}, false},
		{`email = "` + "`tick`" + `"`, []int64{15}, false},
		{`email = ` + "`tick`", []int64{15}, false},
		{`email = 'a"b\'c'`, []int64{12}, false},
		{`name like "%' OR '1'='1"`, nil, false},
		{`name ilike "%; DROP TABLE users%"`, []int64{15}, false},
		{`name in ("x", "y') OR 1=1 --")`, nil, false},
		{`capabilities contains name = "ADMIN' OR 1=1 --"`, nil, false},
		{`capabilities contains (name = "x\") OR 1=1 --")`, nil, false},
		{`domain_ids contains "0) OR 1=1 --"`, nil, true},
		{`name = x' OR 1=1 --`, nil, true},
		{`name = ' OR 1=1 --`, nil, true},
		{`name = "" OR 1=1 --"`, nil, true},
		{`name = admin; DROP TABLE users`, nil, true},
		{`id = 1; DROP TABLE users`, nil, true},
		{`id = 1 -- comment`, nil, true},
		{`id = 1 /* comment */`, nil, true},
		{`id = 1 OR 1=1`, nil, true},
		{`id = 1 or "1"="1"`, nil, true},
		{`1=1`, nil, true},
		{`id = 1) OR (1=1`, nil, true},
		{`id = (SELECT 1)`, nil, true},
		{`id in (1) UNION SELECT id FROM users`, nil, true},
		{`u.id = 1`, nil, true},
		{"`id` = 1", nil, true},
		{`id = "1 OR 1=1"`, nil, true},
		{`name = "unbalanced`, nil, true},
		{`name = 'unbalanced"`, nil, true},
		{`secret = s1`, nil, true},
		{`duration(days) = 1) OR (1`, nil, true},
		{`id = 0x1`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			f, err := query.ParseFilter(tt.filter)
			if err == nil {
				err = f.Check(testSchema)
			}
			if tt.reject {
				require.Error(t, err)
				var qe *query.Error
				require.True(t, errors.As(err, &qe))
				assert.Contains(t, []query.ErrorKind{query.FilterSyntax, query.FilterInvalid}, qe.Kind)
				return
			}
			require.NoError(t, err)
			where, args, err := f.SQL(testSchema)
			require.NoError(t, err)
			for _, a := range args {
				if s, ok := a.(string); ok {
					assert.NotContains(t, where, strings.Trim(s, "*"), "a value reached the SQL text")
				}
			}
			ids, err := sqlIDs(db, f)
			require.NoError(t, err)
			assert.Equal(t, tt.ids, ids)
			assert.Equal(t, tt.ids, goIDs(recs, f))
		})
	}
	var n int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM users`).Scan(&n))
	assert.Equal(t, len(recs), n)
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM caps`).Scan(&n))
	assert.Equal(t, 5, n)
}

// TestSQLUsesOnlySchemaIdentifiers checks that the SQL text is built from the
// schema's columns, keywords and placeholders only.
func TestSQLUsesOnlySchemaIdentifiers(t *testing.T) {
	t.Parallel()
	for _, s := range agreementFilters() {
		f, err := query.ParseFilter(s)
		require.NoError(t, err)
		where, _, err := f.SQL(testSchema)
		require.NoError(t, err)
		rest := where
		for _, allowed := range []string{
			"EXISTS (SELECT 1 FROM caps c WHERE c.user_id = u.id AND (",
			"EXISTS (SELECT 1 FROM json_each(u.domain_ids) j WHERE (",
			"EXISTS (SELECT 1 FROM json_each(u.tags) t WHERE (",
			"json_extract(u.duration, '$.days')", "json_extract(u.duration, '$.note')",
			"lower(", "IS NOT NULL", "IS NULL", "NOT BETWEEN", "BETWEEN", "NOT IN", "IN", "GLOB", "AND", "OR", "NOT",
			"u.id", "u.name", "u.email", "u.score", "u.age", "u.active", "u.duration", "u.domain_ids", "u.tags",
			"c.application_id", "c.name", "c.description", "j.value", "t.value",
			"<>", "<=", ">=", "=", "<", ">", "?", "(", ")", ",", " ",
		} {
			rest = strings.ReplaceAll(rest, allowed, "")
		}
		assert.Empty(t, rest, "unexpected SQL text in %q for filter %s", where, s)
	}
}
