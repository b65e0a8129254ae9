package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func reader(s string) *bufio.Reader { return bufio.NewReader(strings.NewReader(s)) }

func TestReadResponse(t *testing.T) {
	t.Parallel()
	br := reader("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\ncontent-length: 5\r\n\r\nhello" +
		"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: 1\r\n\r\n" +
		"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
	var body []byte
	r, err := readResponse(br, &body)
	require.NoError(t, err)
	assert.Equal(t, response{status: 200, bodyLen: 5}, r)
	assert.Equal(t, "hello", string(body))

	body = body[:0]
	r, err = readResponse(br, &body)
	require.NoError(t, err)
	assert.Equal(t, response{status: 404, bodyLen: 5}, r)
	assert.Equal(t, "abcde", string(body))

	r, err = readResponse(br, nil)
	require.NoError(t, err)
	assert.Equal(t, response{status: 200, close: true}, r)

	_, err = readResponse(br, nil)
	assert.ErrorIs(t, err, io.EOF)
}

func TestReadResponseWithoutLengthReadsToEOF(t *testing.T) {
	t.Parallel()
	var body []byte
	r, err := readResponse(reader("HTTP/1.0 200 OK\r\n\r\nall of it"), &body)
	require.NoError(t, err)
	assert.Equal(t, response{status: 200, bodyLen: 9, close: true}, r)
	assert.Equal(t, "all of it", string(body))
}

func TestReadResponseRejectsGarbage(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"SSH-2.0-OpenSSH\r\n",
		"HTTP/1.1 2x0 OK\r\n\r\n",
		"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
	} {
		_, err := readResponse(reader(in), nil)
		assert.ErrorIs(t, err, errMalformed, "%q", in)
	}
	_, err := readResponse(reader("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"), nil)
	assert.Error(t, err, "truncated body")
}

func TestHistogramBucketsAreContiguousAndTight(t *testing.T) {
	t.Parallel()
	prev := -1
	for v := uint64(0); v < 1<<20; v++ {
		i := bucketOf(v)
		require.True(t, i == prev || i == prev+1, "value %d: bucket %d after %d", v, i, prev)
		prev = i
	}
	for _, v := range []uint64{0, 1, 63, 64, 65, 1000, 123_456, 1e9, 1 << 62, 1<<64 - 1} {
		i := bucketOf(v)
		require.Less(t, i, len(histogram{}.counts))
		mid := bucketMid(i)
		assert.InEpsilon(t, float64(v)+1, mid+1, 0.032, "value %d, bucket %d, middle %.0f", v, i, mid)
	}
}

func TestHistogramQuantiles(t *testing.T) {
	t.Parallel()
	var h histogram
	assert.Equal(t, time.Duration(0), h.quantile(0.5))
	for i := 1; i <= 1000; i++ {
		h.record(time.Duration(i) * time.Microsecond)
	}
	var g histogram
	g.record(-time.Second) // clamps to 0
	h.merge(&g)
	assert.Equal(t, uint64(1001), h.n)
	assert.InEpsilon(t, float64(500*time.Microsecond), float64(h.quantile(0.5)), 0.02)
	assert.InEpsilon(t, float64(990*time.Microsecond), float64(h.quantile(0.99)), 0.02)
	assert.InEpsilon(t, float64(1000*time.Microsecond), float64(h.quantile(1)), 0.02)
}

func TestStartupLines(t *testing.T) {
	t.Parallel()
	u, ok := listeningLine("fakeqradar listening on https://127.0.0.1:40123\n")
	assert.True(t, ok)
	assert.Equal(t, "https://127.0.0.1:40123", u)
	_, ok = listeningLine("fakeqradar listening on ftp://x\n")
	assert.False(t, ok)
	tok, ok := tokenLine("admin SEC token: c0ffee00-0000-4000-8000-000000000001\n")
	assert.True(t, ok)
	assert.Equal(t, "c0ffee00-0000-4000-8000-000000000001", tok)
	_, ok = tokenLine("CA certificate: /tmp/ca.pem\n")
	assert.False(t, ok)
}

func TestProcParsers(t *testing.T) {
	t.Parallel()
	rss, err := parseVmRSS("Name:\tfakeqradar\nVmPeak:\t  900 kB\nVmRSS:\t   14336 kB\nThreads:\t7\n")
	require.NoError(t, err)
	assert.Equal(t, int64(14<<20), rss)
	_, err = parseVmRSS("Name:\tkthreadd\n")
	assert.Error(t, err)

	// The command name may hold spaces and parentheses.
	cpu, err := parseStatCPU("4242 (fake (q) radar) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 50 0 0 20 0 7 0 100 0 0")
	require.NoError(t, err)
	assert.Equal(t, 3*time.Second, cpu)
	_, err = parseStatCPU("4242 (short) S 1 2")
	assert.Error(t, err)

	if _, err := rssOf(1); err == nil { // Linux
		self, err := cpuOf(1)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, self, time.Duration(0))
	}
}

func TestFormatting(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "0", fmtInt(0.4))
	assert.Equal(t, "999", fmtInt(999))
	assert.Equal(t, "95,123", fmtInt(95123.4))
	assert.Equal(t, "1,000,000", fmtInt(1e6))
	assert.Equal(t, "-12,345", fmtInt(-12345))
	assert.Equal(t, "6.00 ms", fmtMS(6*time.Millisecond))
	assert.Equal(t, "0.250 ms", fmtMS(250*time.Microsecond))
	assert.Equal(t, "671 ms", fmtMS(671*time.Millisecond))
	assert.Equal(t, "14.0 MB", fmtMB(14<<20))
	assert.Equal(t, "12.5 µs", fmtUS(12500*time.Nanosecond))
}

func TestCapturedFileRoundTrip(t *testing.T) {
	t.Parallel()
	c := &captured{status: 200, header: http.Header{}, body: []byte("[{\"id\":1}]\n\nmore")}
	c.header.Set("Content-Type", "application/json;charset=UTF-8")
	c.header.Set("Content-Range", "items 0-0/1")
	path := filepath.Join(t.TempDir(), "resp")
	require.NoError(t, writeCaptured(path, c))
	got, err := readCaptured(path)
	require.NoError(t, err)
	assert.Equal(t, c, got)
}

// The load generator against the in-process ceiling: every request counts,
// the run stops at its request bound, and wrong answers are errors that end
// the run early.
func TestRunLoadAgainstCeiling(t *testing.T) {
	t.Parallel()
	body := bytes.Repeat([]byte("x"), 10_000)
	resp := &captured{status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: body}
	c, err := startCeiling(resp)
	require.NoError(t, err)
	defer func() { assert.NoError(t, c.close()) }()
	req := newRequest(c.addr, "/api/config/access/users", [][2]string{{"SEC", "t"}, {"Range", "items=0-49"}})

	r := runLoad(req, 4, 10*time.Second, 500, 200, len(body)) // bounded by count
	require.NoError(t, r.firstErr)
	assert.Equal(t, int64(500), r.requests)
	assert.Equal(t, uint64(500), r.hist.n)
	assert.Positive(t, r.rps())

	r = runLoad(req, 2, 200*time.Millisecond, 1<<40, 200, len(body)) // bounded by time
	require.NoError(t, r.firstErr)
	assert.Positive(t, r.requests)
	assert.Less(t, r.elapsed, 5*time.Second)

	r = runLoad(req, 2, 10*time.Second, 1<<40, 200, 7)
	assert.Error(t, r.firstErr)
	assert.GreaterOrEqual(t, r.errors, int64(maxErrors))
	assert.Zero(t, r.requests)

	h, err := sequential(req, 20, 10*time.Second, 200)
	require.NoError(t, err)
	assert.Equal(t, uint64(20), h.n)

	var total loadResult
	total.add(&loadResult{requests: 3, elapsed: time.Second, serverCPU: time.Millisecond, serverCPUKnown: true})
	total.add(&loadResult{requests: 1, elapsed: time.Second, serverCPU: 3 * time.Millisecond, serverCPUKnown: true})
	assert.Equal(t, 2.0, total.rps())
	srv, known, _ := total.cpuPerRequest()
	assert.True(t, known)
	assert.Equal(t, time.Millisecond, srv)
}

func TestParseFlags(t *testing.T) {
	t.Parallel()
	c, err := parseFlags(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, 10*time.Second, c.duration)
	assert.Equal(t, 32, c.conns)
	assert.Equal(t, "process", c.ceiling)
	for _, bad := range [][]string{
		{"--duration", "0s"}, {"--conns", "0"}, {"--rounds", "0"}, {"--ceiling", "docker"},
		{"--starts", "0"}, {"--page-requests", "0"}, {"extra"},
	} {
		_, err := parseFlags(bad, io.Discard)
		assert.Error(t, err, "%v", bad)
	}
}
