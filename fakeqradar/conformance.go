package fakeqradar

import (
	"sort"
	"sync"
)

// Finding is one way a client used the vendor-note compatibility surface:
// a path or body shape IBM's API reference does not document. A real
// Console may not answer it the same way; check it against your Console.
type Finding struct {
	Method   string `json:"method"`
	Path     string `json:"path"` // route template, e.g. /api/config/access/users/{id}
	Finding  string `json:"finding"`
	Count    int    `json:"count"`
	Statuses []int  `json:"statuses"` // the statuses answered, ascending
	First    int64  `json:"first"`    // epoch ms on the Server's clock
	Last     int64  `json:"last"`
}

// conformance collects findings, one per method, path and finding.
type conformance struct {
	mu       sync.Mutex
	findings map[[3]string]*Finding
}

func (c *conformance) record(method, path, finding string, status int, now int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.findings == nil {
		c.findings = map[[3]string]*Finding{}
	}
	k := [3]string{method, path, finding}
	f := c.findings[k]
	if f == nil {
		f = &Finding{Method: method, Path: path, Finding: finding, First: now}
		c.findings[k] = f
	}
	f.Count++
	f.Last = now
	i := sort.SearchInts(f.Statuses, status)
	if i == len(f.Statuses) || f.Statuses[i] != status {
		f.Statuses = append(f.Statuses, 0)
		copy(f.Statuses[i+1:], f.Statuses[i:])
		f.Statuses[i] = status
	}
}

func (c *conformance) list() []Finding {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]Finding, 0, len(c.findings))
	for _, f := range c.findings {
		cp := *f
		cp.Statuses = append([]int(nil), f.Statuses...)
		out = append(out, cp)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		if out[i].Method != out[j].Method {
			return out[i].Method < out[j].Method
		}
		return out[i].Finding < out[j].Finding
	})
	return out
}

func (c *conformance) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.findings = nil
}

// Conformance returns the conformance report: every use of the vendor-note
// compatibility surface since the start (or the last Reset), one finding per
// method, path and kind of use, ordered by path.
func (s *Server) Conformance() []Finding { return s.conformance.list() }
