package fakeqradar_test

// Performance budgets (issue "Performance: benchmarks, budgets, and scale to
// 100,000 users"). Absolute numbers drift between runs and machines, so the
// throughput budgets are ratios to a ceiling measured in the same run: a bare
// net/http server answering with the exact bytes the fake returned.
//
//	go test -run '^$' -bench 'VsCeiling|TestServerStart|ScalePages100k' ./fakeqradar/
//
// cmd/fakeqradar-bench measures the same budgets on the standalone binary.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/fakeqradar"
)

const (
	perfToken = "perf-token"
	// perfConns is the number of concurrent keep-alive clients, as in
	// cmd/fakeqradar-bench.
	perfConns = 32
	// perfRounds alternates fake and ceiling this many times within one
	// benchmark run, so that other load on the machine affects both alike.
	perfRounds = 4
)

// BenchmarkGetUserVsCeiling: GET /api/config/access/users/{id} over loopback
// HTTP with SEC auth and a Version header. Budget: ratio ≥ 0.6.
func BenchmarkGetUserVsCeiling(b *testing.B) {
	benchVsCeiling(b, fakeqradar.Options{}, "/api/config/access/users/1001", nil)
}

// BenchmarkListPageVsCeiling: GET /api/config/access/users with Range:
// items=0-49 over 1,000 synthetic users. Budget: ratio ≥ 0.4.
func BenchmarkListPageVsCeiling(b *testing.B) {
	benchVsCeiling(b, fakeqradar.Options{SeedUsers: 1000}, "/api/config/access/users", [][2]string{{"Range", "items=0-49"}})
}

// benchVsCeiling serves a fake (opts, plain HTTP) and a ceiling on loopback
// and sends b.N requests to each from perfConns keep-alive connections. The
// timer runs only for the fake, so ns/op is the fake's wall time per request
// under that concurrency; the metrics are both rates and their ratio.
func benchVsCeiling(b *testing.B, opts fakeqradar.Options, path string, extra [][2]string) {
	opts.HTTP, opts.Token = true, perfToken
	s, err := fakeqradar.New(opts)
	require.NoError(b, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = s.Serve(ln)
	}()
	b.Cleanup(func() {
		s.Close()
		<-served
	})
	hdr := append([][2]string{{"SEC", perfToken}, {"Version", "26.0"}}, extra...)

	// What the fake answers is what the ceiling answers, headers included.
	req, err := http.NewRequest("GET", "http://"+ln.Addr().String()+path, nil)
	require.NoError(b, err)
	for _, kv := range hdr {
		req.Header.Set(kv[0], kv[1])
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	require.NoError(b, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(b, err)
	require.Equal(b, 200, resp.StatusCode, "%s", body)
	require.NotEmpty(b, resp.Header.Get("Content-Length"), "the fake sends Content-Length (the raw client needs it)")
	replay := http.Header{}
	for _, k := range []string{"Content-Type", "Content-Range", "Content-Length"} {
		if v := resp.Header.Get(k); v != "" {
			replay[k] = []string{v}
		}
	}
	ceiling := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range replay {
			h[k] = v
		}
		w.WriteHeader(200)
		_, _ = w.Write(body)
	}))
	b.Cleanup(ceiling.Close)

	fake := newPerfLoad(b, ln.Addr().String(), path, hdr, len(body))
	ceil := newPerfLoad(b, strings.TrimPrefix(ceiling.URL, "http://"), path, hdr, len(body))
	// Warm up both (connections, caches, the Go scheduler's idle Ps).
	for _, l := range []*perfLoad{fake, ceil} {
		_, err := l.run(perfConns * 20)
		require.NoError(b, err)
	}

	var fakeT, ceilT time.Duration
	b.ResetTimer()
	for i := range perfRounds {
		n := b.N / perfRounds
		if i < b.N%perfRounds {
			n++
		}
		b.StartTimer()
		d, err := fake.run(n)
		b.StopTimer()
		require.NoError(b, err, "fake")
		fakeT += d
		d, err = ceil.run(n)
		require.NoError(b, err, "ceiling")
		ceilT += d
	}
	fakeRPS := float64(b.N) / fakeT.Seconds()
	ceilRPS := float64(b.N) / ceilT.Seconds()
	b.ReportMetric(fakeRPS, "fake-req/s")
	b.ReportMetric(ceilRPS, "ceiling-req/s")
	b.ReportMetric(fakeRPS/ceilRPS, "ratio")
}

// perfLoad is a minimal HTTP/1.1 load generator: fixed request bytes on
// raw keep-alive connections, responses parsed just enough to check the
// status and skip a Content-Length body. net/http's client would spend
// much of the CPU the server needs (the two share the machine).
type perfLoad struct {
	conns   []*perfConn
	raw     []byte
	wantLen int
}

type perfConn struct {
	c  net.Conn
	br *bufio.Reader
}

func newPerfLoad(b *testing.B, addr, path string, hdr [][2]string, wantLen int) *perfLoad {
	b.Helper()
	var raw bytes.Buffer
	fmt.Fprintf(&raw, "GET %s HTTP/1.1\r\nHost: %s\r\n", path, addr)
	for _, kv := range hdr {
		fmt.Fprintf(&raw, "%s: %s\r\n", kv[0], kv[1])
	}
	raw.WriteString("\r\n")
	l := &perfLoad{raw: raw.Bytes(), wantLen: wantLen}
	for range perfConns {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		require.NoError(b, err)
		l.conns = append(l.conns, &perfConn{c: c, br: bufio.NewReaderSize(c, 64<<10)})
	}
	b.Cleanup(func() {
		for _, pc := range l.conns {
			pc.c.Close()
		}
	})
	return l
}

// run sends n requests over all connections and returns the wall time.
func (l *perfLoad) run(n int) (time.Duration, error) {
	var (
		left  atomic.Int64
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	left.Store(int64(n))
	deadline := time.Now().Add(5 * time.Minute) // a stuck server fails the run, never hangs it
	t0 := time.Now()
	for _, pc := range l.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = pc.c.SetDeadline(deadline)
			for left.Add(-1) >= 0 {
				if err := pc.roundTrip(l.raw, l.wantLen); err != nil {
					once.Do(func() { first = err })
					left.Store(0)
					return
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(t0), first
}

var errPerfResponse = errors.New("unexpected response")

func (pc *perfConn) roundTrip(raw []byte, wantLen int) error {
	if _, err := pc.c.Write(raw); err != nil {
		return err
	}
	line, err := pc.br.ReadSlice('\n')
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(line, []byte("HTTP/1.1 200 ")) {
		return fmt.Errorf("%w: %q", errPerfResponse, line)
	}
	length := -1
	for {
		line, err = pc.br.ReadSlice('\n')
		if err != nil {
			return err
		}
		if len(line) <= 2 {
			break
		}
		if v, ok := bytes.CutPrefix(line, []byte("Content-Length: ")); ok {
			length, err = strconv.Atoi(string(bytes.TrimSpace(v)))
			if err != nil {
				return err
			}
		}
	}
	if length != wantLen {
		return fmt.Errorf("%w: Content-Length %d, want %d", errPerfResponse, length, wantLen)
	}
	_, err = pc.br.Discard(length)
	return err
}

// scopedTB is a testing.TB whose cleanups run when the caller says, not at
// the end of the test: it lets one test or benchmark start and close
// hundreds of NewTestServers one after the other.
type scopedTB struct {
	testing.TB
	cleanups []func()
}

func (s *scopedTB) Cleanup(f func()) { s.cleanups = append(s.cleanups, f) }

func (s *scopedTB) close() {
	for i := len(s.cleanups) - 1; i >= 0; i-- {
		s.cleanups[i]()
	}
	s.cleanups = nil
}

// BenchmarkTestServerStart: NewTestServer (store, fixtures, TLS material,
// listener) until it returns (ms/start, median) and until its first 200
// over HTTPS, TLS handshake included (ms/first-200, median). Budget: median
// start ≤ 2 ms. Closing is not timed.
func BenchmarkTestServerStart(b *testing.B) {
	starts := make([]time.Duration, 0, b.N)
	firsts := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		tb := &scopedTB{TB: b}
		t0 := time.Now()
		ts := fakeqradar.NewTestServer(tb, fakeqradar.Options{})
		starts = append(starts, time.Since(t0))
		resp, err := ts.Client().Get(ts.URL() + "/_fake/health")
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		firsts = append(firsts, time.Since(t0))
		if resp.StatusCode != 200 {
			b.Fatalf("health: %d", resp.StatusCode)
		}
		b.StopTimer()
		tb.close()
		b.StartTimer()
	}
	b.ReportMetric(perfMedian(starts).Seconds()*1000, "ms/start")
	b.ReportMetric(perfMedian(firsts).Seconds()*1000, "ms/first-200")
}

func perfMedian(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// TestStartStop500Servers starts and closes 500 NewTestServers, one request
// each, and checks that goroutines, open file descriptors and memory come
// back to where they were: a server that leaked one goroutine, one
// descriptor or its database would show 500 times over.
func TestStartStop500Servers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 500 servers")
	}
	const servers = 500
	startStop := func() {
		tb := &scopedTB{TB: t}
		defer tb.close()
		ts := fakeqradar.NewTestServer(tb, fakeqradar.Options{})
		req, err := http.NewRequest("GET", ts.URL()+"/api/config/access/users/1001", nil)
		require.NoError(t, err)
		req.Header.Set("SEC", ts.Token())
		resp, err := ts.Client().Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		require.Equal(t, 200, resp.StatusCode)
	}
	// Warm up first: one-time state (fixture password hashes, the SQLite
	// driver, TLS and HTTP package globals, the heap's own growth) is not
	// a leak.
	for range 20 {
		startStop()
	}
	before := perfSnapshot(t)
	t0 := time.Now()
	for range servers {
		startStop()
	}
	elapsed := time.Since(t0)

	// No waiting: the snapshot is taken as soon as the last server is
	// closed. The connection goroutines of the last server or two (the
	// server's per-connection goroutine, the client transport's read and
	// write loops) and their sockets may still be finishing, asynchronously
	// and outside the fake's control; the slack covers two such servers.
	// A leak of even one goroutine or descriptor per server would be ≥ 500.
	// Heap +8 MiB and RSS +64 MiB allow for GC and allocator noise (the GC
	// frees lazily, the allocator keeps spans and pages); one leaked
	// in-memory database per server (≥ 200 KiB each) would be ≥ 100 MiB.
	const goroutineSlack, fdSlack, heapSlack, rssSlack = 8, 8, 8 << 20, 64 << 20
	after := perfSnapshot(t)
	t.Logf("%d servers in %v (%v each); goroutines %d → %d, fds %d → %d, heap %.1f → %.1f MiB, RSS %.1f → %.1f MiB",
		servers, elapsed.Round(time.Millisecond), (elapsed / servers).Round(time.Microsecond),
		before.goroutines, after.goroutines, before.fds, after.fds,
		float64(before.heap)/(1<<20), float64(after.heap)/(1<<20), float64(before.rss)/(1<<20), float64(after.rss)/(1<<20))
	assert.LessOrEqual(t, after.goroutines, before.goroutines+goroutineSlack, "goroutines leaked")
	assert.LessOrEqual(t, after.fds, before.fds+fdSlack, "file descriptors leaked")
	assert.LessOrEqual(t, after.heap, before.heap+heapSlack, "heap grew")
	if before.rss > 0 {
		assert.LessOrEqual(t, after.rss, before.rss+rssSlack, "RSS grew")
	}
}

type perfState struct {
	goroutines, fds int
	heap, rss       uint64
}

// perfSnapshot counts goroutines and open descriptors (Linux: /proc/self/fd;
// elsewhere the count is 0) and measures the live heap after a GC and the
// RSS (Linux; 0 elsewhere), which includes SQLite's memory outside the Go
// heap.
func perfSnapshot(t *testing.T) perfState {
	t.Helper()
	runtime.GC()
	runtime.GC() // the second cycle frees what the first one's finalizers released
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	st := perfState{goroutines: runtime.NumGoroutine(), heap: ms.HeapAlloc}
	if ents, err := os.ReadDir("/proc/self/fd"); err == nil {
		st.fds = len(ents)
	}
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for line := range strings.Lines(string(b)) {
			if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				f := strings.Fields(rest)
				if len(f) == 2 {
					kb, _ := strconv.ParseUint(f[0], 10, 64)
					st.rss = kb << 10
				}
			}
		}
	}
	return st
}

// BenchmarkScalePages100k: the first, a middle and the last Range page of
// 50 over 100,000 users through Handler (no network), median latency of
// each and the ratio of the worst of the other two to the first. Budget:
// worst/first ≤ 3.
func BenchmarkScalePages100k(b *testing.B) {
	const n = 100_000
	s, err := fakeqradar.New(fakeqradar.Options{HTTP: true, SeedUsers: n, Token: perfToken})
	require.NoError(b, err)
	b.Cleanup(func() { s.Close() })
	h := s.Handler()
	ranges := []string{"items=0-49", fmt.Sprintf("items=%d-%d", n/2, n/2+49), fmt.Sprintf("items=%d-%d", n-50, n-1)}
	reqs := make([]*http.Request, len(ranges))
	for i, rng := range ranges {
		reqs[i] = httptest.NewRequest("GET", "/api/config/access/users", nil)
		reqs[i].Header.Set("SEC", perfToken)
		reqs[i].Header.Set("Version", "26.0")
		reqs[i].Header.Set("Range", rng)
	}
	serve := func(r *http.Request) time.Duration {
		w := httptest.NewRecorder()
		t0 := time.Now()
		h.ServeHTTP(w, r)
		d := time.Since(t0)
		if w.Code != 200 {
			b.Fatalf("%s: status %d: %s", r.Header.Get("Range"), w.Code, w.Body)
		}
		return d
	}
	for _, r := range reqs { // warm-up
		serve(r)
	}
	lat := make([][]time.Duration, len(reqs))
	b.ResetTimer()
	for range b.N {
		for i, r := range reqs {
			lat[i] = append(lat[i], serve(r))
		}
	}
	b.StopTimer()
	meds := make([]time.Duration, len(reqs))
	for i := range reqs {
		meds[i] = perfMedian(lat[i])
	}
	b.ReportMetric(meds[0].Seconds()*1000, "first-ms")
	b.ReportMetric(meds[1].Seconds()*1000, "middle-ms")
	b.ReportMetric(meds[2].Seconds()*1000, "last-ms")
	b.ReportMetric(float64(max(meds[1], meds[2]))/float64(meds[0]), "worst/first")
}
