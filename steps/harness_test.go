package steps_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"testing"

	"github.com/cucumber/godog"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/fakeqradar"
	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
	"github.com/fakeqradar/fakeqradar/fixtures"
	"github.com/fakeqradar/fakeqradar/steps"
)

func TestMain(m *testing.M) {
	// The fakes of these tests hash passwords deliberately slowly; the suite
	// creates many users.
	store.PasswordIterations = 1000
	os.Exit(m.Run())
}

// served is a fake Console behind a handler of the test's choosing, served
// over TLS like the standalone binary, with a clock that follows the wall
// clock.
type served struct {
	srv *fakeqradar.Server
	url string
}

func serve(t *testing.T, wrap func(*fakeqradar.Server, http.Handler) http.Handler) *served {
	t.Helper()
	srv, err := fakeqradar.New(fakeqradar.Options{Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	h := srv.Handler()
	if wrap != nil {
		h = wrap(srv, h)
	}
	hs := httptest.NewUnstartedServer(h)
	hs.TLS = srv.TLSConfig()
	hs.StartTLS()
	t.Cleanup(func() {
		hs.Close()
		srv.Close()
	})
	return &served{srv: srv, url: hs.URL}
}

// config points the suite at s with its admin token and CA.
func (s *served) config(log io.Writer) steps.Config {
	return steps.Config{URL: s.url, Token: s.srv.Token(), CACertPEM: s.srv.CACertPEM(), Log: log}
}

// withPassword adds the fixtures' administrator credentials.
func withPassword(c steps.Config) steps.Config {
	for _, u := range fixtures.Default().Users {
		if u.DefaultAdmin {
			c.Username, c.Password = u.Username, u.Password
		}
	}
	return c
}

// outcome is what one run of the suite did to each scenario.
type outcome struct {
	status   int
	results  map[string]string // scenario name → passed, failed or skipped
	errors   map[string]string // scenario name → error messages of its failed steps
	sweepErr error
	log      string
}

// runSuite runs the suite (the scenarios tags selects; "" for all) against
// cfg and reads the outcome of every scenario from godog's cucumber JSON
// report.
func runSuite(t *testing.T, cfg steps.Config, tags string) outcome {
	t.Helper()
	var log bytes.Buffer
	if cfg.Log == nil {
		cfg.Log = &log
	}
	suite, err := steps.New(context.Background(), cfg)
	require.NoError(t, err)
	var report bytes.Buffer
	status := suite.TestSuite(godog.Options{Format: "cucumber", Output: &report, NoColors: true, Tags: tags}).Run()
	out := outcome{status: status, results: map[string]string{}, errors: map[string]string{},
		sweepErr: suite.SweepError(), log: log.String()}
	var features []struct {
		Elements []struct {
			Name  string `json:"name"`
			Type  string `json:"type"`
			Steps []struct {
				Name   string `json:"name"`
				Result struct {
					Status string `json:"status"`
					Error  string `json:"error_message"`
				} `json:"result"`
			} `json:"steps"`
		} `json:"elements"`
	}
	require.NoError(t, json.Unmarshal(report.Bytes(), &features), "cucumber report:\n%s", report.String())
	for _, f := range features {
		for _, e := range f.Elements {
			if e.Type != "scenario" {
				continue
			}
			require.NotContains(t, out.results, e.Name, "scenario names must be unique")
			status := "passed"
			skipped := 0
			for _, st := range e.Steps {
				switch st.Result.Status {
				case "passed":
				case "skipped":
					skipped++
				default:
					status = "failed"
					out.errors[e.Name] += st.Name + ": " + st.Result.Status + ": " + st.Result.Error + "\n"
				}
			}
			if status == "passed" && skipped > 0 {
				status = "skipped"
			}
			out.results[e.Name] = status
		}
	}
	return out
}

// with returns the sorted names of the scenarios that ended with status.
func (o outcome) with(status string) []string {
	var names []string
	for name, s := range o.results {
		if s == status {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}
