package query_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/fakeqradar/fakeqradar/fakeqradar/query"
)

// FuzzParseFilter checks that no input panics, that every rejection is a
// filter *query.Error, and that every filter that parses and passes Check
// runs in SQLite and selects exactly the rows Match selects. Seeds live in
// testdata/fuzz/FuzzParseFilter.
func FuzzParseFilter(f *testing.F) {
	db, recs := openTestDB(f)
	f.Fuzz(func(t *testing.T, s string) {
		flt, err := query.ParseFilter(s)
		if err != nil {
			requireKind(t, err, query.FilterSyntax)
			if !strings.HasPrefix(err.Error(), "A filter parameter was invalid. Please make sure that the syntax is correct: Error Parsing filter at position ") {
				t.Fatalf("syntax error message %q", err)
			}
			return
		}
		if flt == nil {
			if strings.TrimSpace(s) != "" {
				t.Fatalf("nil filter for %q", s)
			}
			return
		}
		if err := flt.Check(testSchema); err != nil {
			requireKind(t, err, query.FilterInvalid)
			return
		}
		got, err := sqlIDs(db, flt)
		if err != nil {
			t.Fatalf("filter %q: SQL fails: %v", s, err)
		}
		want := goIDs(recs, flt)
		if !equalIDs(got, want) {
			where, args, _ := flt.SQL(testSchema)
			t.Fatalf("filter %q: SQL selects %v, Match selects %v\nSQL: %s\nargs: %#v", s, got, want, where, args)
		}
	})
}

func requireKind(t *testing.T, err error, kinds ...query.ErrorKind) {
	t.Helper()
	var qe *query.Error
	if !errors.As(err, &qe) {
		t.Fatalf("error %v (%T) is not a *query.Error", err, err)
	}
	for _, k := range kinds {
		if qe.Kind == k {
			if qe.Status() != 422 {
				t.Fatalf("status %d", qe.Status())
			}
			return
		}
	}
	t.Fatalf("error kind %v, want one of %v: %v", qe.Kind, kinds, err)
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
