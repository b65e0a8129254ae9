package fakeqradar

import (
	"sync"
)

// JournalEntry is one API request as the fake's journal keeps it: never
// headers, query values or bodies, so no token or password can be in it.
type JournalEntry struct {
	Time       int64  `json:"time"` // epoch ms on the Server's clock
	Method     string `json:"method"`
	Path       string `json:"path"`
	Status     int    `json:"status"`
	Principal  string `json:"principal"` // service label or username; "" when not authenticated
	DurationUS int64  `json:"duration_us"`
	// Compat marks a request to the vendor-note compatibility surface, a
	// path or shape IBM's API reference does not document: check it
	// against your Console.
	Compat bool `json:"compat"`
}

// journal is a ring of the most recent requests.
type journal struct {
	mu      sync.Mutex
	entries []JournalEntry
	next    int
	full    bool
}

const journalSize = 1000

func (j *journal) add(e JournalEntry) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.entries == nil {
		j.entries = make([]JournalEntry, journalSize)
	}
	j.entries[j.next] = e
	j.next = (j.next + 1) % journalSize
	if j.next == 0 {
		j.full = true
	}
}

func (j *journal) list() []JournalEntry {
	j.mu.Lock()
	defer j.mu.Unlock()
	if !j.full {
		return append([]JournalEntry{}, j.entries[:j.next]...)
	}
	return append(append([]JournalEntry{}, j.entries[j.next:]...), j.entries[:j.next]...)
}

func (j *journal) clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.next, j.full = 0, false
}

// Journal returns the most recent API requests (up to 1000), oldest first.
func (s *Server) Journal() []JournalEntry { return s.journal.list() }
