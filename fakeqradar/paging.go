package fakeqradar

import (
	"fmt"
	"strconv"
	"strings"
)

// itemRange is a parsed "Range: items=x-y" header (inclusive, zero-based).
type itemRange struct {
	First, Last int64
}

// parseRange parses a Range header value. Spaces around "=" and "-" are
// tolerated ("items= 0-4", "items = 3 - 5": reference §4 [I]). The unit is
// matched case-insensitively.
func parseRange(h string) (*itemRange, *apiError) {
	unit, spec, found := strings.Cut(h, "=")
	if !found || !strings.EqualFold(strings.TrimSpace(unit), "items") {
		return nil, errRangeMalformed()
	}
	spec = strings.TrimSpace(spec)
	a, b, found := strings.Cut(spec, "-")
	if !found {
		return nil, errRangeMalformed()
	}
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	first, err1 := parseIndex(a)
	last, err2 := parseIndex(b)
	if err1 != nil || err2 != nil {
		return nil, errRangeMalformed()
	}
	if last < first {
		return nil, errRangeNegative()
	}
	return &itemRange{First: first, Last: last}, nil
}

func parseIndex(s string) (int64, error) {
	if s == "" || !allDigits(s) {
		return 0, fmt.Errorf("not a non-negative integer")
	}
	return strconv.ParseInt(s, 10, 64)
}

// window returns the offset and count of the page for a list of total items,
// and the Content-Range value to send. r nil means the whole list (or the
// first pageSize items when pageSize > 0: the vendor note's default page).
func window(r *itemRange, total int, pageSize int) (offset, count int, contentRange string) {
	if r == nil {
		if pageSize > 0 && total > pageSize {
			return 0, pageSize, fmt.Sprintf("items 0-%d/%d", pageSize-1, total)
		}
		if total == 0 {
			return 0, 0, "items */0"
		}
		return 0, total, fmt.Sprintf("items 0-%d/%d", total-1, total)
	}
	if r.First >= int64(total) {
		return 0, 0, fmt.Sprintf("items */%d", total)
	}
	last := r.Last
	if last >= int64(total) {
		last = int64(total) - 1
	}
	return int(r.First), int(last - r.First + 1), fmt.Sprintf("items %d-%d/%d", r.First, last, total)
}
