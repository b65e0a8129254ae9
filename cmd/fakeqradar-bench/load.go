package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// The load generator speaks HTTP/1.1 over raw keep-alive connections: the
// request is formatted once and written as the same bytes every time, and
// a response is parsed just enough to find its status and skip its body. On
// a 2-core machine the client shares the CPU with the server it measures, so
// net/http's client (several allocations and two goroutines per connection
// and request) would cost the server a large part of its throughput.

// request is one prepared HTTP/1.1 request.
type request struct {
	addr string // host:port
	raw  []byte // the whole request, headers and (empty) body
}

// newRequest formats a GET for path with the given headers (keep-alive).
func newRequest(addr, path string, hdr [][2]string) request {
	var b bytes.Buffer
	fmt.Fprintf(&b, "GET %s HTTP/1.1\r\nHost: %s\r\n", path, addr)
	for _, kv := range hdr {
		fmt.Fprintf(&b, "%s: %s\r\n", kv[0], kv[1])
	}
	b.WriteString("\r\n")
	return request{addr: addr, raw: b.Bytes()}
}

// response is what readResponse learns about a response.
type response struct {
	status  int
	bodyLen int
	close   bool // the server will close the connection
}

var errMalformed = errors.New("malformed HTTP response")

// readResponse reads one response from br and discards its body (Content-
// Length or chunked). If body is non-nil the body is appended to *body.
func readResponse(br *bufio.Reader, body *[]byte) (response, error) {
	var r response
	line, err := br.ReadSlice('\n')
	if err != nil {
		return r, err
	}
	// "HTTP/1.1 200 OK\r\n"
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return r, errMalformed
	}
	for _, c := range line[9:12] {
		if c < '0' || c > '9' {
			return r, errMalformed
		}
		r.status = r.status*10 + int(c-'0')
	}
	if r.status < 100 {
		return r, errMalformed
	}
	if line[7] == '0' {
		r.close = true // HTTP/1.0 closes unless it says keep-alive; close is the safe guess
	}
	length, chunked := -1, false
	for {
		line, err = br.ReadSlice('\n')
		if err != nil {
			return r, err
		}
		if len(line) <= 2 { // "\r\n": end of headers
			break
		}
		colon := bytes.IndexByte(line, ':')
		if colon < 0 {
			return r, errMalformed
		}
		name, value := line[:colon], bytes.TrimSpace(line[colon+1:])
		switch {
		case asciiEqualFold(name, "Content-Length"):
			n, err := parseDecimal(value)
			if err != nil {
				return r, errMalformed
			}
			length = n
		case asciiEqualFold(name, "Transfer-Encoding"):
			chunked = asciiEqualFold(value, "chunked")
		case asciiEqualFold(name, "Connection"):
			r.close = asciiEqualFold(value, "close")
		}
	}
	switch {
	case chunked:
		for {
			line, err = br.ReadSlice('\n')
			if err != nil {
				return r, err
			}
			hex := bytes.TrimSpace(line)
			if i := bytes.IndexByte(hex, ';'); i >= 0 {
				hex = hex[:i]
			}
			n, err := strconv.ParseUint(string(hex), 16, 31)
			if err != nil {
				return r, errMalformed
			}
			if n == 0 {
				for { // trailers up to the empty line
					line, err = br.ReadSlice('\n')
					if err != nil {
						return r, err
					}
					if len(line) <= 2 {
						return r, nil
					}
				}
			}
			if err := readBody(br, int(n), body); err != nil {
				return r, err
			}
			r.bodyLen += int(n)
			if _, err := br.Discard(2); err != nil { // CRLF after the chunk
				return r, err
			}
		}
	case length >= 0:
		r.bodyLen = length
		return r, readBody(br, length, body)
	default:
		// No length: the body runs to the end of the connection.
		r.close = true
		if body != nil {
			rest, err := io.ReadAll(br)
			*body = append(*body, rest...)
			r.bodyLen = len(rest)
			return r, err
		}
		n, err := io.Copy(io.Discard, br)
		r.bodyLen = int(n)
		return r, err
	}
}

func readBody(br *bufio.Reader, n int, body *[]byte) error {
	if body == nil {
		_, err := br.Discard(n)
		return err
	}
	start := len(*body)
	*body = append(*body, make([]byte, n)...)
	_, err := io.ReadFull(br, (*body)[start:])
	return err
}

func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		c, d := b[i], s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if 'A' <= d && d <= 'Z' {
			d += 'a' - 'A'
		}
		if c != d {
			return false
		}
	}
	return true
}

func parseDecimal(b []byte) (int, error) {
	if len(b) == 0 || len(b) > 12 {
		return 0, errMalformed
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, errMalformed
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}

// conn is one keep-alive client connection.
type conn struct {
	addr    string
	c       net.Conn
	br      *bufio.Reader
	refresh time.Time // when to move the deadline again
}

func (c *conn) dial() error {
	c.close()
	nc, err := net.DialTimeout("tcp", c.addr, 5*time.Second)
	if err != nil {
		return err
	}
	c.c, c.refresh = nc, time.Time{}
	if c.br == nil {
		c.br = bufio.NewReaderSize(nc, 64<<10)
	} else {
		c.br.Reset(nc)
	}
	return nil
}

func (c *conn) close() {
	if c.c != nil {
		c.c.Close()
		c.c = nil
	}
}

// do sends req and reads the response, dialling first if needed and
// redialling once if a kept-alive connection turns out to be closed.
func (c *conn) do(req request, body *[]byte) (response, error) {
	for attempt := 0; ; attempt++ {
		if c.c == nil {
			if err := c.dial(); err != nil {
				return response{}, err
			}
		}
		// A stuck server fails the request within 30 s. The deadline is
		// moved only every 10 s: setting it costs a timer update.
		if now := time.Now(); now.After(c.refresh) {
			_ = c.c.SetDeadline(now.Add(30 * time.Second))
			c.refresh = now.Add(10 * time.Second)
		}
		_, err := c.c.Write(req.raw)
		var r response
		if err == nil {
			r, err = readResponse(c.br, body)
		}
		if err != nil {
			c.close()
			if attempt == 0 && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) {
				continue
			}
			return r, err
		}
		if r.close {
			c.close()
		}
		return r, nil
	}
}

// histogram is a log-linear latency histogram in nanoseconds: 32 buckets
// per power of two (≤ 3.2 % error), no allocation to record.
type histogram struct {
	counts [64 << subBits]uint64
	n      uint64
}

const subBits = 5

func bucketOf(v uint64) int {
	if v < 1<<(subBits+1) {
		return int(v)
	}
	e := bits.Len64(v) - subBits - 1
	return e<<subBits + int(v>>e)
}

// bucketMid is the middle of bucket i's range of values.
func bucketMid(i int) float64 {
	if i < 1<<(subBits+1) {
		return float64(i)
	}
	e := i>>subBits - 1
	m := uint64(i - e<<subBits)
	return float64(m<<e) + float64(uint64(1)<<e-1)/2
}

func (h *histogram) record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.counts[bucketOf(uint64(d))]++
	h.n++
}

func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
}

// quantile returns the q-quantile (0 < q ≤ 1).
func (h *histogram) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	want := uint64(math.Ceil(q * float64(h.n)))
	if want < 1 {
		want = 1
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= want {
			return time.Duration(bucketMid(i))
		}
	}
	return time.Duration(bucketMid(len(h.counts) - 1))
}

// loadResult is one load run.
type loadResult struct {
	requests int64
	errors   int64
	elapsed  time.Duration
	hist     histogram
	firstErr error

	serverCPU      time.Duration // CPU time of the server process
	serverCPUKnown bool          // the server is a process of its own
	selfCPU        time.Duration // CPU time of this process (the client)
	runs           int           // runs added together
}

// selfCPU returns the CPU time (user + system) this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuPerRequest returns the server's and the client's CPU time per request.
func (r *loadResult) cpuPerRequest() (server time.Duration, serverKnown bool, client time.Duration) {
	if r.requests == 0 {
		return 0, false, 0
	}
	n := time.Duration(r.requests)
	return r.serverCPU / n, r.serverCPUKnown, r.selfCPU / n
}

// add accumulates another run of the same load.
func (r *loadResult) add(o *loadResult) {
	r.serverCPUKnown = o.serverCPUKnown && (r.runs == 0 || r.serverCPUKnown)
	r.runs++
	r.requests += o.requests
	r.errors += o.errors
	r.elapsed += o.elapsed
	r.hist.merge(&o.hist)
	r.serverCPU += o.serverCPU
	r.selfCPU += o.selfCPU
	if r.firstErr == nil {
		r.firstErr = o.firstErr
	}
}

func (r *loadResult) rps() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.requests) / r.elapsed.Seconds()
}

// maxErrors ends a run early: a run with this many failed requests measures
// nothing useful.
const maxErrors = 100

// runLoad drives req from conns concurrent keep-alive connections until dur
// has passed or maxRequests requests completed, whichever comes first. A
// response counts only if it has status wantStatus and a body of wantLen
// bytes (wantLen < 0: any length).
func runLoad(req request, conns int, dur time.Duration, maxRequests int64, wantStatus, wantLen int) *loadResult {
	res := &loadResult{}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		issued  atomic.Int64
		errs    atomic.Int64
		stop    atomic.Bool
		started = make(chan struct{})
	)
	hists := make([]*histogram, conns)
	counts := make([]int64, conns)
	// Connect everyone first so dialling is not part of the measurement.
	cs := make([]*conn, conns)
	for i := range cs {
		cs[i] = &conn{addr: req.addr}
		if err := cs[i].dial(); err != nil {
			for _, c := range cs[:i] {
				c.close()
			}
			res.errors, res.firstErr = 1, err
			return res
		}
	}
	for i := range conns {
		hists[i] = &histogram{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, h := cs[i], hists[i]
			defer c.close()
			<-started
			var n int64
			for !stop.Load() && issued.Add(1) <= maxRequests {
				t0 := time.Now()
				r, err := c.do(req, nil)
				lat := time.Since(t0)
				if err == nil && (r.status != wantStatus || (wantLen >= 0 && r.bodyLen != wantLen)) {
					err = fmt.Errorf("got status %d with %d bytes, want %d with %d bytes", r.status, r.bodyLen, wantStatus, wantLen)
				}
				if err != nil {
					mu.Lock()
					if res.firstErr == nil {
						res.firstErr = err
					}
					mu.Unlock()
					if errs.Add(1) >= maxErrors {
						stop.Store(true)
					}
					continue
				}
				h.record(lat)
				n++
			}
			counts[i] = n
		}()
	}
	t0 := time.Now()
	timer := time.AfterFunc(dur, func() { stop.Store(true) })
	close(started)
	wg.Wait()
	res.elapsed = time.Since(t0)
	timer.Stop()
	for i := range conns {
		res.requests += counts[i]
		res.hist.merge(hists[i])
	}
	res.errors = errs.Load()
	return res
}

// sequential sends req n times, one after the other on one connection (at
// most for dur), and returns the latency histogram.
func sequential(req request, n int, dur time.Duration, wantStatus int) (*histogram, error) {
	c := &conn{addr: req.addr}
	defer c.close()
	h := &histogram{}
	deadline := time.Now().Add(dur)
	for i := 0; i < n && time.Now().Before(deadline); i++ {
		t0 := time.Now()
		r, err := c.do(req, nil)
		lat := time.Since(t0)
		if err != nil {
			return h, err
		}
		if r.status != wantStatus {
			return h, fmt.Errorf("status %d, want %d", r.status, wantStatus)
		}
		h.record(lat)
	}
	return h, nil
}
