package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// report collects the measurements and prints them as Markdown.
type report struct {
	budgets []budgetRow
	loads   []loadRow
	pages   []pageRow
}

type budgetRow struct {
	what, measured, limit string
	pass                  bool
}

type loadRow struct {
	what       string
	fake, ceil *loadResult
}

type pageRow struct {
	rng  string
	hist *histogram
}

func (r *report) budget(what, measured, limit string, pass bool) {
	r.budgets = append(r.budgets, budgetRow{what, measured, limit, pass})
}

func (r *report) load(what string, fake, ceil *loadResult) {
	r.loads = append(r.loads, loadRow{what, fake, ceil})
}

func (r *report) page(rng string, h *histogram) {
	r.pages = append(r.pages, pageRow{rng, h})
}

func (r *report) print(w io.Writer, header string) {
	fmt.Fprintf(w, "\n## fakeqradar performance budgets\n\n%s\n\n", header)
	if len(r.budgets) > 0 {
		fmt.Fprintln(w, "| Budget | Measured | Limit | Result |")
		fmt.Fprintln(w, "|---|---|---|---|")
		for _, b := range r.budgets {
			result := "PASS"
			if !b.pass {
				result = "FAIL"
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", b.what, b.measured, b.limit, result)
		}
	}
	if len(r.loads) > 0 {
		fmt.Fprintln(w, "\n| Load | Server | req/s | p50 | p99 | server CPU/req | client CPU/req | requests |")
		fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
		for _, l := range r.loads {
			for _, s := range []struct {
				name string
				res  *loadResult
			}{{"fake", l.fake}, {"ceiling", l.ceil}} {
				srv, known, cli := s.res.cpuPerRequest()
				srvS := "n/a (in process)"
				if known {
					srvS = fmtUS(srv)
				}
				fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", l.what, s.name, fmtInt(s.res.rps()),
					fmtMS(s.res.hist.quantile(0.5)), fmtMS(s.res.hist.quantile(0.99)), srvS, fmtUS(cli), fmtInt(float64(s.res.requests)))
			}
		}
	}
	if len(r.pages) > 0 {
		fmt.Fprintln(w, "\n| Page (sequential, one connection) | p50 | p99 | requests |")
		fmt.Fprintln(w, "|---|---|---|---|")
		for _, p := range r.pages {
			fmt.Fprintf(w, "| Range: %s | %s | %s | %d |\n", p.rng, fmtMS(p.hist.quantile(0.5)), fmtMS(p.hist.quantile(0.99)), p.hist.n)
		}
	}
}

// fmtMS formats d in milliseconds with three significant digits or so.
func fmtMS(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms >= 100:
		return fmt.Sprintf("%.0f ms", ms)
	case ms >= 10:
		return fmt.Sprintf("%.1f ms", ms)
	case ms >= 1:
		return fmt.Sprintf("%.2f ms", ms)
	default:
		return fmt.Sprintf("%.3f ms", ms)
	}
}

// fmtUS formats d in microseconds.
func fmtUS(d time.Duration) string {
	return fmt.Sprintf("%.1f µs", float64(d)/float64(time.Microsecond))
}

// fmtMB formats a byte count in MiB (shown as MB, as the budgets are).
func fmtMB(n int64) string {
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

// fmtInt rounds f and groups its digits by thousands: 95123.4 → "95,123".
func fmtInt(f float64) string {
	s := strconv.FormatInt(int64(math.Round(f)), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
