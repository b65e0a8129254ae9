package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
)

// TestMain lets the test binary stand in for the fakeqradar binary: with
// FAKEQRADAR_AS_MAIN=1 it runs main() with the given arguments. Tests that
// need a real process (signals, SIGKILL) exec themselves that way.
func TestMain(m *testing.M) {
	if os.Getenv("FAKEQRADAR_AS_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// proc is a fakeqradar process.
type proc struct {
	cmd  *exec.Cmd
	url  string
	done chan struct{} // closed when the process has exited
	err  error         // its exit status, once done is closed
}

const procToken = "0b8c3a4e-0000-4000-8000-00000000d00d"

func startProc(t *testing.T, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"--http", "--addr", "127.0.0.1:0", "--token", procToken, "--log-level", "error"}, args...)...)
	cmd.Env = append(os.Environ(), "FAKEQRADAR_AS_MAIN=1")
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	p := &proc{cmd: cmd, done: make(chan struct{})}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if _, url, found := strings.Cut(sc.Text(), "listening on "); found {
			p.url = url
			break
		}
	}
	require.NotEmpty(t, p.url, "the process printed its URL")
	go func() {
		_, _ = io.Copy(io.Discard, out)
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
	})
	return p
}

func (p *proc) do(method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, p.url+"/api"+path, rd)
	req.Header.Set("SEC", procToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// Every write acknowledged with a 2xx before a SIGKILL is there after a
// restart on the same file, and the database passes integrity_check.
func TestDurabilityAcrossSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	t.Parallel()
	db := filepath.Join(t.TempDir(), "durable.db")
	p := startProc(t, "--db", db)

	var mu sync.Mutex
	enough := make(chan struct{}) // closed once 150 creates are acknowledged
	var once sync.Once
	acked := map[string]bool{}
	updated := map[string]string{} // username → email acknowledged last
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				name := fmt.Sprintf("d%d-%d", w, n)
				status, b, err := p.do("POST", "/staged_config/access/users", map[string]any{
					"username": name, "email": name + "@example.com", "password": "Str0ng-Passw0rd", "user_role_id": 2, "security_profile_id": 1})
				if err != nil {
					return // the process is gone
				}
				if status != 201 {
					t.Errorf("create %s: %d %s", name, status, b)
					return
				}
				var u struct{ ID int64 }
				_ = json.Unmarshal(b, &u)
				mu.Lock()
				acked[name] = true
				if len(acked) >= 150 {
					once.Do(func() { close(enough) })
				}
				mu.Unlock()
				email := fmt.Sprintf("%s-v2@example.com", name)
				status, _, err = p.do("POST", fmt.Sprintf("/staged_config/access/users/%d", u.ID), map[string]any{"email": email})
				if err != nil {
					return
				}
				if status == 200 {
					mu.Lock()
					updated[name] = email
					mu.Unlock()
				}
			}
		}(w)
	}
	// Kill once a good number of writes are acknowledged, while the load
	// goes on (bounded: at most 30 s).
	select {
	case <-enough:
	case <-time.After(30 * time.Second):
	}
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGKILL))
	<-p.done
	close(stop)
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, acked)

	// The file on its own: integrity and every acknowledged write.
	s, err := store.Open(db)
	require.NoError(t, err)
	res, err := s.IntegrityCheck(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "ok", res)
	rows, err := s.DB().Query("SELECT username, email FROM users")
	require.NoError(t, err)
	found := map[string]string{}
	for rows.Next() {
		var name string
		var email sql.NullString
		require.NoError(t, rows.Scan(&name, &email))
		found[name] = email.String
	}
	rows.Close()
	require.NoError(t, s.Close())
	for name := range acked {
		assert.Contains(t, found, name, "acknowledged create lost")
	}
	for name, email := range updated {
		assert.Equal(t, email, found[name], "acknowledged update lost")
	}

	// And the fake restarts on it and serves it.
	p2 := startProc(t, "--db", db)
	status, b, err := p2.do("GET", "/staged_config/access/users", nil)
	require.NoError(t, err)
	require.Equal(t, 200, status)
	var users []map[string]any
	require.NoError(t, json.Unmarshal(b, &users))
	assert.GreaterOrEqual(t, len(users), len(acked)+2)
	t.Logf("durability: %d creates and %d updates acknowledged before SIGKILL, all present after restart", len(acked), len(updated))
}

// SIGTERM lets a request in flight finish, then the process exits 0.
func TestSIGTERMFinishesInFlightRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	t.Parallel()
	p := startProc(t, "--db", filepath.Join(t.TempDir(), "term.db"))
	addr := strings.TrimPrefix(p.url, "http://")
	body := `{"username":"term","email":"t@example.com","password":"Str0ng-Passw0rd","user_role_id":2,"security_profile_id":1}`
	conn, err := (&netDialer{}).dial(addr)
	require.NoError(t, err)
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/staged_config/access/users HTTP/1.1\r\nHost: x\r\nSEC: %s\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n", procToken, len(body))
	br := bufio.NewReader(conn)
	line, err := br.ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "HTTP/1.1 100 Continue\r\n", line, "the handler is reading the body")
	_, _ = br.ReadString('\n')

	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case <-p.done:
		t.Fatalf("the process exited (%v) with a request in flight", p.err)
	case <-time.After(200 * time.Millisecond):
	}
	_, err = conn.Write([]byte(body))
	require.NoError(t, err)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 201, resp.StatusCode)
	select {
	case <-p.done:
		assert.NoError(t, p.err, "clean exit after SIGTERM")
	case <-time.After(20 * time.Second):
		t.Fatal("the process did not exit after SIGTERM")
	}
}

type netDialer struct{}

func (netDialer) dial(addr string) (net.Conn, error) {
	return net.DialTimeout("tcp", addr, 5*time.Second)
}
