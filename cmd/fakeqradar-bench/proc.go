package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// buildFake builds ./cmd/fakeqradar into dir and returns the binary's path.
func buildFake(ctx context.Context, goTool, dir string) (string, error) {
	bin := filepath.Join(dir, "fakeqradar")
	cmd := exec.CommandContext(ctx, goTool, "build", "-o", bin, "github.com/fakeqradar/fakeqradar/cmd/fakeqradar")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/fakeqradar (run from inside the module, or pass --binary): %w", err)
	}
	return bin, nil
}

// fake is one running fakeqradar process.
type fake struct {
	cmd     *exec.Cmd
	url     string // e.g. "https://127.0.0.1:40123"
	addr    string // host:port
	token   string
	caFile  string
	client  *http.Client
	started time.Time // just before exec
	exited  chan struct{}
	waitErr error
}

// listeningLine parses "fakeqradar listening on http(s)://ADDR".
func listeningLine(line string) (url string, ok bool) {
	const prefix = "fakeqradar listening on "
	if !strings.HasPrefix(line, prefix) {
		return "", false
	}
	url = strings.TrimSpace(strings.TrimPrefix(line, prefix))
	if !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "https://") {
		return "", false
	}
	return url, true
}

// tokenLine parses "admin SEC token: TOKEN".
func tokenLine(line string) (token string, ok bool) {
	const prefix = "admin SEC token: "
	if !strings.HasPrefix(line, prefix) {
		return "", false
	}
	return strings.TrimSpace(strings.TrimPrefix(line, prefix)), true
}

// startFake execs bin with args plus --addr 127.0.0.1:0, waits for the
// listening and token lines (at most timeout) and prepares a client (trusting
// the CA written to caFile for HTTPS). The fake's log goes to /dev/null.
func startFake(bin string, args []string, caFile string, timeout time.Duration) (*fake, error) {
	args = append([]string{"--addr", "127.0.0.1:0"}, args...)
	if caFile != "" {
		args = append(args, "--ca-out", caFile)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stderr = nil // /dev/null: the request log is not what is measured
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	f := &fake{cmd: cmd, caFile: caFile, exited: make(chan struct{})}
	f.started = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	lines := make(chan string, 4)
	go func() {
		defer close(lines)
		br := bufio.NewReader(stdout)
		for {
			line, err := br.ReadString('\n')
			if line != "" {
				lines <- line
			}
			if err != nil {
				return
			}
		}
	}()
	go func() {
		f.waitErr = cmd.Wait()
		close(f.exited)
	}()
	// Whatever else the fake prints is drained and ignored.
	defer func() {
		go func() {
			for range lines {
			}
		}()
	}()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for f.url == "" || f.token == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				f.stop()
				return nil, fmt.Errorf("%s %s exited before printing its address: %v (its log is discarded: run it by hand to see why)", bin, strings.Join(args, " "), f.waitErr)
			}
			if u, ok := listeningLine(line); ok {
				f.url = u
			} else if t, ok := tokenLine(line); ok {
				f.token = t
			}
		case <-deadline.C:
			f.stop()
			return nil, fmt.Errorf("%s did not print its address within %v", bin, timeout)
		}
	}
	f.addr = strings.TrimPrefix(strings.TrimPrefix(f.url, "https://"), "http://")
	transport := &http.Transport{DisableKeepAlives: true}
	if strings.HasPrefix(f.url, "https://") {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			f.stop()
			return nil, fmt.Errorf("read the CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			f.stop()
			return nil, errors.New("the CA file holds no certificate")
		}
		transport.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	f.client = &http.Client{Transport: transport, Timeout: 10 * time.Second}
	return f, nil
}

// waitHealthy polls GET /_fake/health until a 200 (at most timeout) and
// returns the time from exec to that 200.
func (f *fake) waitHealthy(timeout time.Duration) (time.Duration, error) {
	deadline := time.Now().Add(timeout)
	var last error
	for attempt := 0; attempt < 10_000 && time.Now().Before(deadline); attempt++ {
		resp, err := f.client.Get(f.url + "/_fake/health")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return time.Since(f.started), nil
			}
			err = fmt.Errorf("health: status %d", resp.StatusCode)
		}
		last = err
		select {
		case <-f.exited:
			return 0, fmt.Errorf("the fake exited: %v (last error: %v)", f.waitErr, last)
		case <-time.After(time.Millisecond):
		}
	}
	return 0, fmt.Errorf("no 200 from /_fake/health within %v: %v", timeout, last)
}

// rss returns the process's resident set size in bytes (Linux).
func (f *fake) rss() (int64, error) { return rssOf(f.cmd.Process.Pid) }

func rssOf(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	return parseVmRSS(string(b))
}

// parseVmRSS finds "VmRSS:   12345 kB" in a /proc/PID/status text.
func parseVmRSS(status string) (int64, error) {
	for line := range strings.Lines(status) {
		rest, ok := strings.CutPrefix(line, "VmRSS:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, fmt.Errorf("unexpected VmRSS line %q", strings.TrimSpace(line))
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return 0, err
		}
		return kb << 10, nil
	}
	return 0, errors.New("no VmRSS in /proc status")
}

// stop sends SIGTERM, waits up to 10 s, then kills the process.
func (f *fake) stop() {
	if f.client != nil {
		f.client.CloseIdleConnections()
	}
	select {
	case <-f.exited:
		return
	default:
	}
	_ = f.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-f.exited:
	case <-time.After(10 * time.Second):
		_ = f.cmd.Process.Kill()
		<-f.exited
	}
}

// clockTicks is USER_HZ, the unit of the CPU times in /proc/PID/stat: 100
// on every Linux architecture Go supports.
const clockTicks = 100

// cpuOf returns the CPU time (user + system, all threads) process pid has
// used so far.
func cpuOf(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStatCPU(string(b))
}

// parseStatCPU reads utime and stime (fields 14 and 15) from a
// /proc/PID/stat line. The command name (field 2) may hold spaces and
// parentheses, so fields are counted from its last ')'.
func parseStatCPU(stat string) (time.Duration, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, errors.New("malformed /proc stat")
	}
	f := strings.Fields(stat[i+1:]) // f[0] is field 3 (state)
	if len(f) < 13 {
		return 0, errors.New("short /proc stat")
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, errors.New("malformed CPU times in /proc stat")
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, nil
}
