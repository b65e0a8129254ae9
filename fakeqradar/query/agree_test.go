package query_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/fakeqradar/query"
)

// agreementFilters builds many filters over every field kind and operator.
func agreementFilters() []string {
	numbers := []string{"-9007199254740993", "-7", "-1.5", "0", "-0.0", "1", "2.5", "3", "5", "1000", "1e3",
		"9007199254740992.0", "9007199254740993", `"25"`}
	strs := []string{`""`, "a", "admin", "Admin", "ab", "aB", `"Élan"`, `"élan"`, `"50% off"`, `"[x]"`,
		`"a*b?"`, "z", "Z", "true", `"' OR 1=1 --"`, `"back\\slash"`, `'O\'Brien'`, "null"}
	patterns := []string{`"%"`, `""`, `"a%"`, `"A%"`, `"%b"`, `"_"`, `"__"`, `"a_b"`, `"%[%"`, `"[x]"`, `"a*b?"`,
		`"%*%"`, `"%?%"`, `"50\%%"`, `"%\\%"`, `"_lan"`, `"élan"`, `"%LAN"`, `"%'%"`, `"%o%r%"`, `"%%%"`, `"a%b%"`}
	fields := []struct {
		name string
		vals []string
	}{
		{"id", numbers}, {"age", numbers}, {"score", numbers}, {"duration(days)", numbers},
		{"name", strs}, {"email", strs}, {"duration(note)", strs},
		{"active", []string{"true", "false", "TRUE", `"False"`}},
	}
	var out []string
	for _, f := range fields {
		out = append(out, f.name+" is null", f.name+" IS NOT NULL")
		for i, v := range f.vals {
			w := f.vals[(i*7+3)%len(f.vals)]
			for _, op := range []string{"=", "!=", "<>", "^=", "<", ">", "<=", ">="} {
				out = append(out, fmt.Sprintf("%s %s %s", f.name, op, v))
			}
			out = append(out,
				fmt.Sprintf("%s in (%s, %s)", f.name, v, w),
				fmt.Sprintf("%s not in (%s, %s)", f.name, v, w),
				fmt.Sprintf("%s between %s and %s", f.name, v, w),
				fmt.Sprintf("%s not between %s and %s", f.name, w, v),
			)
		}
		if f.name == "name" || f.name == "email" || f.name == "duration(note)" {
			for _, p := range patterns {
				out = append(out, f.name+" like "+p, f.name+" ilike "+p)
			}
		}
	}
	for _, p := range patterns {
		out = append(out, "tags contains (. like "+p+")", "tags contains (. ilike "+p+")")
	}
	for _, v := range numbers {
		out = append(out,
			"domain_ids contains "+v,
			"domain_ids contains (. < "+v+")",
			"domain_ids contains (. != "+v+")",
			"domain_ids contains . not between -1 and "+v,
			"capabilities contains application_id = "+v,
			"capabilities contains (application_id >= "+v+" or description is null)",
		)
	}
	for _, v := range strs {
		out = append(out,
			"tags contains "+v,
			"tags contains (. != "+v+")",
			"capabilities contains name = "+v,
			"capabilities contains (name ilike "+quote(v)+" and not description = "+v+")",
			"capabilities contains description not in ("+v+", x)",
		)
	}
	out = append(out,
		"domain_ids is null", "domain_ids is not null", "tags is null", "duration is null", "duration is not null",
		"domain_ids contains (. is null)", "domain_ids contains (. is not null)",
		"capabilities contains (name is null)", "capabilities contains (description is null)",
		"capabilities contains not (name = ADMIN)",
		"capabilities contains (name = ADMIN and application_id = 25) or domain_ids contains (. in (3, 5))",
	)
	return out
}

// quote makes a string literal usable as a like pattern.
func quote(v string) string {
	if v != "" && (v[0] == '"' || v[0] == '\'') {
		return v
	}
	return `"` + v + `"`
}

// TestSQLAndGoAgree runs every filter, its negation and random and/or
// combinations both in SQLite and with Match, and compares the rows.
func TestSQLAndGoAgree(t *testing.T) {
	t.Parallel()
	db, recs := openTestDB(t)
	base := agreementFilters()
	rng := rand.New(rand.NewPCG(1, 2))
	all := make([]string, 0, len(base)*3)
	for _, f := range base {
		all = append(all, f, "not ("+f+")", "NOT "+f)
	}
	for range 1500 {
		a, b, c := base[rng.IntN(len(base))], base[rng.IntN(len(base))], base[rng.IntN(len(base))]
		ops := []string{"and", "or", "AND", "Or"}
		all = append(all,
			fmt.Sprintf("%s %s %s %s %s", a, ops[rng.IntN(4)], b, ops[rng.IntN(4)], c),
			fmt.Sprintf("not (%s %s not %s) %s %s", a, ops[rng.IntN(4)], b, ops[rng.IntN(4)], c),
		)
	}
	nonEmpty := 0
	for _, s := range all {
		f, err := query.ParseFilter(s)
		require.NoError(t, err, s)
		require.NoError(t, f.Check(testSchema), s)
		got, err := sqlIDs(db, f)
		require.NoError(t, err, s)
		if !assert.Equal(t, got, goIDs(recs, f), "filter %s: SQL (left) and Go (right) disagree", s) {
			where, args, _ := f.SQL(testSchema)
			t.Logf("SQL: %s %#v", where, args)
		}
		if len(got) > 0 && len(got) < len(recs) {
			nonEmpty++
		}
	}
	t.Logf("%d filters compared, %d select a proper subset", len(all), nonEmpty)
	assert.Greater(t, nonEmpty, len(all)/3, "too few filters discriminate between rows")
}

// TestSQLiteLowerIsASCIIOnly guards the assumption ilike relies on.
func TestSQLiteLowerIsASCIIOnly(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t)
	var got string
	require.NoError(t, db.QueryRow(`SELECT lower('ÉLAN É')`).Scan(&got))
	assert.Equal(t, "Élan É", got)
}
