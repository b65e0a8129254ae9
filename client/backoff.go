package client

import (
	"math"
	"net/http"
	"time"
)

// Backoff describes exponentially growing delays with jitter. Zero Initial, Max and
// Multiplier take the values of DefaultPollBackoff; zero Jitter means none.
//
// Delay n (0-based) has the base Initial·Multiplierⁿ. Below the cap a delay lies in
// [base, base·(1+Jitter)], clipped to Max; once the base reaches Max it lies in
// [Max·(1−Jitter), Max], so many clients never poll in lockstep and none waits longer
// than Max.
type Backoff struct {
	Initial    time.Duration // first delay, e.g. 250*time.Millisecond
	Max        time.Duration // cap, e.g. 10*time.Second
	Multiplier float64       // growth per step, e.g. 2; values below 1 mean 1
	Jitter     float64       // random fraction in [0, 1], e.g. 0.2
}

// DefaultPollBackoff is the backoff of task and deploy waits: 250 ms, doubling, capped
// at 10 s, 20 % jitter.
func DefaultPollBackoff() Backoff {
	return Backoff{Initial: MinPollInterval, Max: 10 * time.Second, Multiplier: 2, Jitter: 0.2}
}

func (b Backoff) normalized(floor time.Duration) Backoff {
	d := DefaultPollBackoff()
	if b.Initial <= 0 {
		b.Initial = d.Initial
	}
	if b.Initial < floor {
		b.Initial = floor
	}
	if b.Max <= 0 {
		b.Max = d.Max
	}
	if b.Max < b.Initial {
		b.Max = b.Initial
	}
	switch {
	case b.Multiplier == 0:
		b.Multiplier = d.Multiplier
	case b.Multiplier < 1:
		b.Multiplier = 1
	}
	b.Jitter = min(max(b.Jitter, 0), 1)
	return b
}

// delay returns the wait before step n (0-based); rnd returns values in [0, 1).
// No delay is shorter than floor.
func (b Backoff) delay(n int, rnd func() float64, floor time.Duration) time.Duration {
	b = b.normalized(floor)
	r := rnd()
	maxF := float64(b.Max)
	base := float64(b.Initial) * math.Pow(b.Multiplier, float64(n))
	var d float64
	if base >= maxF || math.IsInf(base, 0) {
		d = maxF - maxF*b.Jitter*r
	} else {
		d = min(base+base*b.Jitter*r, maxF)
	}
	return max(time.Duration(d), floor, 0)
}

// RetryPolicy says which failed requests are sent again and how often.
type RetryPolicy struct {
	// MaxAttempts is the total number of tries, first one included; 1 disables retries.
	MaxAttempts int
	// StatusCodes are the HTTP statuses worth another try.
	StatusCodes []int
	// Backoff spaces the tries.
	Backoff Backoff
	// RetryNonIdempotent also retries POST and DELETE. Off by default: a repeated
	// POST may create a second object and a repeated user DELETE a second task.
	RetryNonIdempotent bool
}

// DefaultRetryPolicy retries GET and HEAD up to 4 tries in all on 502, 503, 504 and
// on connection resets, waiting 500 ms, 1 s, 2 s (±20 %) in between.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts: 4,
		StatusCodes: []int{http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout},
		Backoff:     Backoff{Initial: 500 * time.Millisecond, Max: 8 * time.Second, Multiplier: 2, Jitter: 0.2},
	}
}

// NoRetry sends every request once.
func NoRetry() RetryPolicy { return RetryPolicy{MaxAttempts: 1} }
