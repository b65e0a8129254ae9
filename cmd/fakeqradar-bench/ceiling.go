package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// captured is one response of the fake, replayed by the ceiling server.
type captured struct {
	status int
	header http.Header // Content-Type, Content-Range, Content-Length (those present)
	body   []byte
}

// replayedHeaders are the response headers the ceiling copies from the fake.
var replayedHeaders = []string{"Content-Type", "Content-Range", "Content-Length"}

// capture sends one GET with hdr to url and records the response.
func capture(client *http.Client, url string, hdr [][2]string) (*captured, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return nil, err
	}
	for _, kv := range hdr {
		req.Header.Set(kv[0], kv[1])
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	c := &captured{status: resp.StatusCode, header: http.Header{}, body: body}
	for _, k := range replayedHeaders {
		if v := resp.Header.Get(k); v != "" {
			c.header.Set(k, v)
		}
	}
	return c, nil
}

// ceiling is a bare net/http server answering every request with the same
// captured response: the most a Go HTTP server can do on this machine for
// these bytes, the reference the fake's throughput is a ratio of.
type ceiling struct {
	srv  *http.Server
	addr string
	done chan error
}

func startCeiling(resp *captured) (*ceiling, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	header := map[string][]string{}
	for k, v := range resp.header {
		header[k] = v
	}
	body, status := resp.body, resp.status
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wh := w.Header()
		for k, v := range header {
			wh[k] = v
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
	c := &ceiling{srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}, addr: ln.Addr().String(), done: make(chan error, 1)}
	go func() { c.done <- c.srv.Serve(ln) }()
	return c, nil
}

func (c *ceiling) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := c.srv.Shutdown(ctx)
	if serr := <-c.done; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = fmt.Errorf("ceiling: %w", serr)
	}
	return err
}

// The ceiling can also run in a process of its own, like the fake: this
// program re-executes itself with ceilingEnv naming a file that holds the
// response (see writeCaptured), and the child prints "ceiling listening on
// ADDR" and serves until SIGTERM or until its stdin closes.
const ceilingEnv = "FAKEQRADAR_BENCH_CEILING"

// writeCaptured stores c as "STATUS\nName: value\n…\n\nBODY".
func writeCaptured(path string, c *captured) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%d\n", c.status)
	for _, k := range replayedHeaders {
		if v := c.header.Get(k); v != "" {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	b.WriteString("\n")
	b.Write(c.body)
	return os.WriteFile(path, b.Bytes(), 0o600)
}

func readCaptured(path string) (*captured, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	head, body, ok := bytes.Cut(raw, []byte("\n\n"))
	if !ok {
		return nil, errors.New("ceiling response file: no blank line")
	}
	lines := strings.Split(string(head), "\n")
	status, err := strconv.Atoi(lines[0])
	if err != nil {
		return nil, fmt.Errorf("ceiling response file: status: %w", err)
	}
	c := &captured{status: status, header: http.Header{}, body: body}
	for _, l := range lines[1:] {
		k, v, ok := strings.Cut(l, ": ")
		if !ok {
			return nil, fmt.Errorf("ceiling response file: bad header line %q", l)
		}
		c.header.Set(k, v)
	}
	return c, nil
}

// ceilingChild is the main of the re-executed ceiling process.
func ceilingChild(path string, stdin io.Reader, stdout io.Writer) error {
	resp, err := readCaptured(path)
	if err != nil {
		return err
	}
	c, err := startCeiling(resp)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ceiling listening on %s\n", c.addr)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	eof := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, stdin)
		close(eof)
	}()
	select {
	case <-sig:
	case <-eof:
	}
	return c.close()
}

// ceilingProc is a ceiling running in a child process.
type ceilingProc struct {
	cmd    *exec.Cmd
	stdin  io.Closer
	addr   string
	exited chan struct{}
}

func startCeilingProcess(dir string, resp *captured) (*ceilingProc, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "ceiling-response")
	if err := writeCaptured(path, resp); err != nil {
		return nil, err
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), ceilingEnv+"="+path)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &ceilingProc{cmd: cmd, stdin: stdin, exited: make(chan struct{})}
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- l
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() {
		_ = cmd.Wait()
		close(p.exited)
	}()
	select {
	case l := <-line:
		addr, ok := strings.CutPrefix(strings.TrimSpace(l), "ceiling listening on ")
		if !ok {
			p.close()
			return nil, fmt.Errorf("ceiling process: unexpected output %q", l)
		}
		p.addr = addr
		return p, nil
	case <-time.After(30 * time.Second):
		p.close()
		return nil, errors.New("ceiling process did not start within 30s")
	}
}

func (p *ceilingProc) close() error {
	p.stdin.Close()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
	return nil
}
