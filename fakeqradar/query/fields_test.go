package query_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/fakeqradar/query"
)

func TestParseFieldsProject(t *testing.T) {
	t.Parallel()
	rec := map[string]any{
		"id": int64(1), "name": "admin", "email": nil,
		"duration":     map[string]any{"days": int64(3), "note": "n"},
		"capabilities": []any{capability(1, "ADMIN", "d1"), capability(2, "LOGS", nil)},
		"tags":         []any{"a"},
	}
	tests := []struct {
		fields string
		names  []string
		want   map[string]any
	}{
		{"id", []string{"id"}, map[string]any{"id": int64(1)}},
		{"id,name", []string{"id", "name"}, map[string]any{"id": int64(1), "name": "admin"}},
		{"name, id ,  email", []string{"name", "id", "email"}, map[string]any{"id": int64(1), "name": "admin", "email": nil}},
		{"score", []string{"score"}, map[string]any{}}, // known but absent from the record
		{"capabilities(name,application_id)", []string{"capabilities"}, map[string]any{"capabilities": []any{
			map[string]any{"name": "ADMIN", "application_id": int64(1)},
			map[string]any{"name": "LOGS", "application_id": int64(2)},
		}}},
		{"id, capabilities( description )", []string{"id", "capabilities"}, map[string]any{"id": int64(1), "capabilities": []any{
			map[string]any{"description": "d1"}, map[string]any{"description": nil},
		}}},
		{"duration(days)", []string{"duration"}, map[string]any{"duration": map[string]any{"days": int64(3)}}},
		{"duration", []string{"duration"}, map[string]any{"duration": map[string]any{"days": int64(3), "note": "n"}}},
		{"tags,id", []string{"tags", "id"}, map[string]any{"tags": []any{"a"}, "id": int64(1)}},
	}
	for _, tt := range tests {
		t.Run(tt.fields, func(t *testing.T) {
			fs, err := query.ParseFields(tt.fields, testSchema)
			require.NoError(t, err)
			assert.Equal(t, tt.names, fs.Names())
			assert.Equal(t, tt.want, fs.Project(rec))
			for _, n := range tt.names {
				assert.True(t, fs.Has(n))
			}
			assert.False(t, fs.Has("secret"))
		})
	}
	// The record itself is not changed.
	assert.Len(t, rec["capabilities"].([]any)[0], 3)
}

func TestParseFieldsProjectTypedSlices(t *testing.T) {
	t.Parallel()
	fs, err := query.ParseFields("capabilities(name)", testSchema)
	require.NoError(t, err)
	got := fs.Project(map[string]any{"capabilities": []map[string]any{capability(1, "A", "d")}})
	assert.Equal(t, map[string]any{"capabilities": []map[string]any{{"name": "A"}}}, got)
	assert.Nil(t, fs.Sub("capabilities").Sub("name"))
	assert.Equal(t, []string{"name"}, fs.Sub("capabilities").Names())
	assert.Nil(t, fs.Project(nil))
}

func TestParseFieldsEmptyMeansAll(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", " ", "\t"} {
		fs, err := query.ParseFields(s, testSchema)
		require.NoError(t, err)
		require.Nil(t, fs)
		assert.True(t, fs.Has("anything"))
		assert.Nil(t, fs.Names())
		assert.Nil(t, fs.Sub("capabilities"))
		rec := map[string]any{"id": 1}
		assert.Equal(t, rec, fs.Project(rec))
	}
}

func TestParseFieldsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fields string
		kind   query.ErrorKind
		code   int
		msg    string
	}{
		{"invalid", query.FieldsUnknown, 30, `Specified field "invalid" is not recognized by this endpoint for media type "application/json"`},
		{"name, invalid1, invalid2", query.FieldsUnknown, 30, `Specified field "invalid1" is not recognized by this endpoint for media type "application/json"`},
		// Duplicates are reported before unknown names, as a Console does.
		{"name, invalid1, invalid2, name", query.FieldsDuplicate, 31, `fields parameter value "name, invalid1, invalid2, name" was invalid. Specified field "name" was used more than once at the same level`},
		{"id,capabilities(name,name)", query.FieldsDuplicate, 31, `fields parameter value "id,capabilities(name,name)" was invalid. Specified field "name" was used more than once at the same level`},
		{"capabilities(nope)", query.FieldsUnknown, 30, `Specified field "nope" is not recognized by this endpoint for media type "application/json"`},
		{"id(x)", query.FieldsUnknown, 30, `Specified field "x" is not recognized by this endpoint for media type "application/json"`},
		{"Id", query.FieldsUnknown, 30, `Specified field "Id" is not recognized by this endpoint for media type "application/json"`},
		{"id name", query.FieldsUnknown, 30, `Specified field "id name" is not recognized by this endpoint for media type "application/json"`},
		{"id,", query.FieldsSyntax, 31, `fields parameter value "id," was invalid. a field name is missing at position 3`},
		{",id", query.FieldsSyntax, 31, `fields parameter value ",id" was invalid. a field name is missing at position 0`},
		{"id,,name", query.FieldsSyntax, 31, `fields parameter value "id,,name" was invalid. a field name is missing at position 3`},
		{"capabilities(name", query.FieldsSyntax, 31, `fields parameter value "capabilities(name" was invalid. the bracket after "capabilities" is not closed`},
		{"capabilities()", query.FieldsSyntax, 31, `fields parameter value "capabilities()" was invalid. a field name is missing at position 13`},
		{"id)", query.FieldsSyntax, 31, `fields parameter value "id)" was invalid. unexpected ")" at position 2`},
		{"(id)", query.FieldsSyntax, 31, `fields parameter value "(id)" was invalid. a field name is missing at position 0`},
		{"capabilities(name)x", query.FieldsSyntax, 31, `fields parameter value "capabilities(name)x" was invalid. expected "," at position 18`},
	}
	for _, tt := range tests {
		t.Run(tt.fields, func(t *testing.T) {
			_, err := query.ParseFields(tt.fields, testSchema)
			var qe *query.Error
			require.True(t, errors.As(err, &qe), "%v", err)
			assert.Equal(t, tt.kind, qe.Kind)
			assert.Equal(t, tt.code, qe.Code)
			assert.Equal(t, tt.msg, qe.Message)
			assert.Equal(t, "", qe.Description)
			assert.Equal(t, 422, qe.Status())
		})
	}
}
