package query_test

import (
	"testing"

	"github.com/fakeqradar/fakeqradar/fakeqradar/query"
)

// FuzzParseFields checks that no input panics, that rejections are fields
// errors, and that an accepted selection projects a record onto known names.
func FuzzParseFields(f *testing.F) {
	rec := testRecords()[0]
	f.Fuzz(func(t *testing.T, s string) {
		fs, err := query.ParseFields(s, testSchema)
		if err != nil {
			requireKind(t, err, query.FieldsUnknown, query.FieldsDuplicate, query.FieldsSyntax)
			return
		}
		out := fs.Project(rec)
		for k := range out {
			if testSchema.Field(k) == nil || !fs.Has(k) {
				t.Fatalf("fields %q: projected unknown or unrequested key %q", s, k)
			}
		}
		seen := map[string]bool{}
		for _, n := range fs.Names() {
			if seen[n] {
				t.Fatalf("fields %q: %q twice", s, n)
			}
			seen[n] = true
		}
	})
}
