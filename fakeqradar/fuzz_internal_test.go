package fakeqradar

import (
	"fmt"
	"testing"
)

// FuzzParseRange: the Range parser never panics, accepts only windows with
// first <= last, and reads back what it accepted.
func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"items=0-49", "items= 0-4", "items = 3 - 5", "ITEMS=1-1", "items=-3-2", "items=3-0", "items=", "items=a-b", "bytes=0-1", "items=0-99999999999999999999", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		r, err := parseRange(h)
		if err != nil {
			if err.Status != 422 || err.Code != 36 {
				t.Fatalf("%q: error %d code %d", h, err.Status, err.Code)
			}
			return
		}
		if r.First < 0 || r.Last < r.First {
			t.Fatalf("%q: accepted %d-%d", h, r.First, r.Last)
		}
		again, err := parseRange(fmt.Sprintf("items=%d-%d", r.First, r.Last))
		if err != nil || *again != *r {
			t.Fatalf("%q: does not read back: %v %v", h, again, err)
		}
		for _, total := range []int{0, 1, 50, 1 << 20} {
			off, n, cr := window(r, total, 0)
			if off < 0 || n < 0 || off+n > total || cr == "" {
				t.Fatalf("%q total %d: window %d+%d %q", h, total, off, n, cr)
			}
		}
	})
}

// FuzzVersion: the Version resolver never panics, never resolves to a
// removed version, and rejects with 422.
func FuzzVersion(f *testing.F) {
	for _, s := range []string{"", "26.0", "26", "12.5", "3.0", "99.0", "abc", "26.", ".5", "1e3", "0x1A", "27.0.1", " 21.0 ", "-1", "９.0"} {
		f.Add(s)
	}
	table := newVersionTable()
	f.Fuzz(func(t *testing.T, h string) {
		v, err := table.resolve(h, "")
		if err != nil {
			if err.Status != 422 {
				t.Fatalf("%q: status %d", h, err.Status)
			}
			return
		}
		if v == nil || v.Removed || table.byName[v.Name] != v {
			t.Fatalf("%q: resolved to %+v", h, v)
		}
	})
}
