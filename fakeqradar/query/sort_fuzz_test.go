package query_test

import (
	"testing"

	"github.com/fakeqradar/fakeqradar/fakeqradar/query"
)

// FuzzParseSort checks that no input panics, that rejections are sort errors,
// and that an accepted sort orders rows the same in SQLite and in Go.
func FuzzParseSort(f *testing.F) {
	db, recs := openTestDB(f)
	f.Fuzz(func(t *testing.T, s string) {
		keys, err := query.ParseSort(s, testSchema)
		if err != nil {
			requireKind(t, err, query.SortUnknown, query.SortUnsupported)
			return
		}
		if got, want := sortedSQL(t, db, keys), sortedGo(recs, keys); !equalIDs(got, want) {
			t.Fatalf("sort %q: SQL order %v, Go order %v", s, got, want)
		}
	})
}
