package client_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/client"
)

type roleName string

func TestFilter_Builds(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		f    client.Filter
		want string
	}{
		{"string", client.Eq("username", "jdoe"), `username="jdoe"`},
		{"quote", client.Eq("username", `a"b`), `username="a\"b"`},
		{"backslash", client.Eq("username", `a\b`), `username="a\\b"`},
		{"backslash before quote", client.Eq("username", `a\"`), `username="a\\\""`},
		{"injection", client.Eq("username", `" or 1=1 --`), `username="\" or 1=1 --"`},
		{"injection closing paren", client.Eq("username", `x") or (id>0`), `username="x\") or (id>0"`},
		{"newline stays literal", client.Eq("description", "a\nb\r\tc"), "description=\"a\nb\r\tc\""},
		{"unicode", client.Eq("username", "jürgen ✓"), `username="jürgen ✓"`},
		{"empty string", client.Eq("email", ""), `email=""`},
		{"named string type", client.Eq("name", roleName("Admin")), `name="Admin"`},
		{"int", client.Eq("id", 42), `id=42`},
		{"int64 negative", client.Ne("tenant_id", int64(-1)), `tenant_id!=-1`},
		{"uint", client.Gt("id", uint8(7)), `id>7`},
		{"float", client.Le("score", 2.5), `score<=2.5`},
		{"json number", client.Ge("creation_date", json.Number("1700000000000")), `creation_date>=1700000000000`},
		{"bool", client.Eq("local_only_account", true), `local_only_account=true`},
		{"lt", client.Lt("inactivity_timeout", 0), `inactivity_timeout<0`},
		{"sub-field", client.Ge("duration(days)", 20), `duration(days)>=20`},
		{"in", client.In("user_role_id", 1, 2, 3), `user_role_id in (1, 2, 3)`},
		{"in strings", client.In("username", "a", `b"`), `username in ("a", "b\"")`},
		{"not in", client.NotIn("id", 1), `id not in (1)`},
		{"like", client.Like("username", "svc_%"), `username like "svc_%"`},
		{"ilike escapes quotes only", client.ILike("email", `%"@x%`), `email ilike "%\"@x%"`},
		{"is null", client.IsNull("tenant_id"), `tenant_id is null`},
		{"is not null", client.IsNotNull("notification_flag"), `notification_flag is not null`},
		{"and", client.And(client.Eq("a", 1), client.Eq("b", "x")), `(a=1) and (b="x")`},
		{"or", client.Or(client.Eq("a", 1), client.Eq("b", 2), client.Eq("c", 3)), `(a=1) or (b=2) or (c=3)`},
		{"nested", client.And(client.Or(client.Eq("a", 1), client.Eq("b", 2)), client.Not(client.Eq("c", "z"))),
			`((a=1) or (b=2)) and (not (c="z"))`},
		{"single operand", client.And(client.Eq("a", 1)), `(a=1)`},
		{"raw", client.RawFilter(`id > 3`), `id > 3`},
	}
	for _, tc := range cases {
		got, err := tc.f.Build()
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.want, got, tc.name)
		assert.Equal(t, tc.want, tc.f.String(), tc.name)
	}
}

func TestFilter_Rejects(t *testing.T) {
	t.Parallel()
	cases := map[string]client.Filter{
		"space in field":       client.Eq("user name", "x"),
		"operator in field":    client.Eq("id=1 or id", 2),
		"injection in field":   client.Eq(`username="x" or 1=1 --`, "x"),
		"leading digit":        client.Eq("1id", 1),
		"empty field":          client.Eq("", 1),
		"dot path":             client.Eq("user_role.id", 1),
		"two sub-fields":       client.Eq("a(b)(c)", 1),
		"nested parens":        client.Eq("a(b(c))", 1),
		"newline in field":     client.Eq("id\n", 1),
		"quote in field":       client.Like(`a"`, "x"),
		"bad field in In":      client.In("a b", 1),
		"bad field in IsNull":  client.IsNull("a;b"),
		"nil value":            client.Eq("a", nil),
		"struct value":         client.Eq("a", struct{}{}),
		"slice value":          client.Eq("a", []string{"x"}),
		"NaN":                  client.Eq("a", math.NaN()),
		"Inf":                  client.Eq("a", math.Inf(1)),
		"bad json number":      client.Eq("a", json.Number("1 or 1=1")),
		"empty In":             client.In("a"),
		"bad value in In":      client.In("a", 1, nil),
		"empty And":            client.And(),
		"zero operand in Or":   client.Or(client.Eq("a", 1), client.Filter{}),
		"error inside And":     client.And(client.Eq("a", 1), client.Eq("b c", 2)),
		"Not of zero":          client.Not(client.Filter{}),
		"Not of invalid field": client.Not(client.Eq("x y", 1)),
	}
	for name, f := range cases {
		_, err := f.Build()
		require.ErrorIs(t, err, client.ErrInvalidFilter, name)
		assert.Empty(t, f.String(), name)
		assert.False(t, f.IsZero(), name)
		assert.Error(t, f.Err(), name)
	}
}

func TestFilter_Zero(t *testing.T) {
	t.Parallel()
	var f client.Filter
	assert.True(t, f.IsZero())
	s, err := f.Build()
	require.NoError(t, err)
	assert.Empty(t, s)
}

// TestFilter_HostileValuesStayOneValue reads the built filter back the way the
// server's grammar does and checks that the value is one string token equal to the
// input, with nothing after it.
func TestFilter_HostileValuesStayOneValue(t *testing.T) {
	t.Parallel()
	hostile := []string{
		`" or 1=1 --`, `\`, `\\`, `"`, `\"`, `"\`, `a" and username="admin`, "line1\nline2\") or (\"",
		`') or ('1'='1`, `%_`, "\x00", `" ) or id > 0 or ( "`, `\" or 1=1`,
	}
	for _, v := range hostile {
		expr, err := client.Eq("username", v).Build()
		require.NoError(t, err)
		rest, ok := cutPrefix(expr, `username=`)
		require.True(t, ok, expr)
		got, tail, err := readQuoted(rest)
		require.NoError(t, err, expr)
		assert.Equal(t, v, got, expr)
		assert.Empty(t, tail, "nothing may follow the value: %q", expr)
	}
}

func cutPrefix(s, p string) (string, bool) {
	if len(s) < len(p) || s[:len(p)] != p {
		return s, false
	}
	return s[len(p):], true
}

// readQuoted reads a double-quoted string with \" and \\ escapes.
func readQuoted(s string) (val, rest string, err error) {
	if len(s) == 0 || s[0] != '"' {
		return "", s, assert.AnError
	}
	var out []byte
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 >= len(s) {
				return "", "", assert.AnError
			}
			i++
			out = append(out, s[i])
		case '"':
			return string(out), s[i+1:], nil
		default:
			out = append(out, s[i])
		}
	}
	return "", "", assert.AnError
}
