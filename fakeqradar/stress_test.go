package fakeqradar_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/fakeqradar"
)

// stressDuration is how long TestStress drives the fake: a short run by
// default, longer with FAKEQRADAR_STRESS_DURATION (make stress).
func stressDuration(t *testing.T) time.Duration {
	if v := os.Getenv("FAKEQRADAR_STRESS_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		require.NoError(t, err)
		return d
	}
	if testing.Short() {
		return 500 * time.Millisecond
	}
	return 2 * time.Second
}

var contentRangeRE = regexp.MustCompile(`^items (\d+)-(\d+)/(\d+)$|^items \*/(\d+)$`)

// TestStress: 64 concurrent clients mix creates, staged updates, deploys,
// deletes, task polls, reads and lists on one fake for a bounded time.
// Afterwards: no 5xx, no transport error, unique usernames, every
// acknowledged create readable unless its delete completed, every
// completed delete gone, Content-Range consistent with the rows.
func TestStress(t *testing.T) {
	const workers = 64
	dur := stressDuration(t)
	ts := fakeqradar.NewTestServer(t, fakeqradar.Options{DeleteTaskDuration: 200 * time.Millisecond, DeployDuration: 50 * time.Millisecond})
	var (
		requests, failures atomic.Int64
		mu                 sync.Mutex
		created            = map[int64]string{} // acknowledged creates
		deleted            = map[int64]bool{}   // users whose delete was accepted
		problems           []string
	)
	problem := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(problems) < 20 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	call := func(method, path string, body any, hdr ...string) (int, http.Header, []byte) {
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, ts.URL()+"/api"+path, rd)
		req.Header.Set("SEC", ts.Token())
		req.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		requests.Add(1)
		resp, err := ts.Client().Do(req)
		if err != nil {
			failures.Add(1)
			problem("%s %s: %v", method, path, err)
			return 0, nil, nil
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 500 {
			failures.Add(1)
			problem("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
		return resp.StatusCode, resp.Header, b
	}
	checkList := func(path string, hdr []string) {
		status, h, b := call("GET", path, nil, hdr...)
		if status != 200 {
			return
		}
		var rows []json.RawMessage
		if err := json.Unmarshal(b, &rows); err != nil {
			problem("list %s: %v", path, err)
			return
		}
		m := contentRangeRE.FindStringSubmatch(h.Get("Content-Range"))
		if m == nil {
			problem("list %s: Content-Range %q", path, h.Get("Content-Range"))
			return
		}
		if m[4] != "" {
			if len(rows) != 0 {
				problem("list %s: %d rows with %q", path, len(rows), h.Get("Content-Range"))
			}
			return
		}
		first, _ := strconv.Atoi(m[1])
		last, _ := strconv.Atoi(m[2])
		total, _ := strconv.Atoi(m[3])
		if last-first+1 != len(rows) || last >= total {
			problem("list %s: %d rows with %q", path, len(rows), h.Get("Content-Range"))
		}
	}

	deadline := time.Now().Add(dur)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			var mine []int64
			var tasks []string
			for n := 0; time.Now().Before(deadline); n++ {
				switch op := rng.IntN(10); {
				case op < 3:
					name := fmt.Sprintf("w%02d-%d", w, n)
					status, _, b := call("POST", "/staged_config/access/users", newUser(name))
					if status == 201 {
						var u struct{ ID int64 }
						_ = json.Unmarshal(b, &u)
						mu.Lock()
						created[u.ID] = name
						mu.Unlock()
						mine = append(mine, u.ID)
					} else {
						problem("create %s: %d %s", name, status, b)
					}
					// The same name again must be refused.
					if n%7 == 0 {
						if status, _, _ := call("POST", "/staged_config/access/users", newUser(name)); status != 409 {
							problem("duplicate create of %s: %d", name, status)
						}
					}
				case op == 3 && len(mine) > 0:
					id := mine[rng.IntN(len(mine))]
					call("POST", fmt.Sprintf("/staged_config/access/users/%d", id), map[string]any{"user_role_id": 2 + rng.IntN(2)})
				case op == 4:
					call("POST", "/staged_config/deploy_status", nil)
				case op == 5 && len(mine) > 0:
					i := rng.IntN(len(mine))
					id := mine[i]
					mine = append(mine[:i], mine[i+1:]...)
					status, h, _ := call("DELETE", fmt.Sprintf("/staged_config/access/users/%d", id), nil)
					if status == 202 {
						mu.Lock()
						deleted[id] = true
						mu.Unlock()
						tasks = append(tasks, h.Get("Location"))
					}
				case op == 6 && len(tasks) > 0:
					status, _, b := call("GET", tasks[rng.IntN(len(tasks))][len("/api"):], nil)
					if status != 200 {
						problem("task poll: %d %s", status, b)
					}
				case op == 7:
					first := rng.IntN(40)
					checkList("/staged_config/access/users", []string{"Range", fmt.Sprintf("items=%d-%d", first, first+rng.IntN(20))})
				case op == 8:
					checkList("/config/access/users?filter="+fmt.Sprintf("username%%20ilike%%20%%22w%02d%%25%%22", w), nil)
				default:
					call("GET", "/config/access/users/1001", nil)
				}
			}
		}(w)
	}
	wg.Wait()
	elapsed := dur
	require.NoError(t, ts.Advance(time.Hour)) // every task and deploy completes

	for _, p := range problems {
		t.Error(p)
	}
	assert.Zero(t, failures.Load(), "5xx answers or transport errors")
	var dups int
	require.NoError(t, ts.Store().DB().QueryRow("SELECT count(*) FROM (SELECT username FROM users GROUP BY username HAVING count(*) > 1)").Scan(&dups))
	assert.Zero(t, dups, "usernames are unique")
	c := &console{t: t, ts: ts}
	for id, name := range created {
		r := c.get(fmt.Sprintf("/staged_config/access/users/%d", id))
		if deleted[id] {
			assert.Equal(t, 404, r.Status, "user %d (%s) was deleted and its task completed", id, name)
			continue
		}
		if assert.Equal(t, 200, r.Status, "acknowledged create of %s is readable", name) {
			assert.Equal(t, name, r.obj()["username"])
		}
	}
	res, err := ts.Store().IntegrityCheck(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "ok", res)
	t.Logf("stress: %d workers, %s, %d requests (%.0f req/s), %d creates, %d deletes, %d failures",
		workers, elapsed, requests.Load(), float64(requests.Load())/elapsed.Seconds(), len(created), len(deleted), failures.Load())
}
