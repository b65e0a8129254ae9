package features_test

import (
	"context"
	"flag"
	"io"
	"os"
	"testing"

	"github.com/cucumber/godog"

	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
	"github.com/fakeqradar/fakeqradar/steps"
)

// opts are godog's options, bound to -godog.* flags, e.g.
//
//	go test ./features -godog.tags=@auth -godog.format=pretty
var opts = godog.Options{Format: "progress", Strict: true}

func init() {
	godog.BindFlags("godog.", flag.CommandLine, &opts)
}

func TestMain(m *testing.M) {
	flag.Parse()
	if os.Getenv(steps.EnvURL) == "" {
		// In-process fakes hash passwords deliberately slowly; the suite
		// creates many users. (It changes nothing on a Console given by URL.)
		store.PasswordIterations = 1000
	}
	os.Exit(m.Run())
}

// TestFeatures runs every scenario as a subtest: against a fresh in-process
// fake Console each, or against QRADAR_URL.
func TestFeatures(t *testing.T) {
	cfg, err := steps.ConfigFromEnv(nil)
	if err != nil {
		t.Fatal(err)
	}
	suite, err := steps.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("target: %s; names start with %s", suite.Describe(), suite.Prefix())
	o := opts
	o.TestingT = t
	if status := suite.TestSuite(o).Run(); status != 0 {
		t.Errorf("the contract suite failed (status %d)", status)
	}
	if err := suite.SweepError(); err != nil {
		t.Errorf("final sweep: %v", err)
	}
}

// BenchmarkContractSuite times the whole suite against in-process fakes
// (budget: 15 s on 2 cores), with the fake's real password hashing cost.
func BenchmarkContractSuite(b *testing.B) {
	if os.Getenv(steps.EnvURL) != "" {
		b.Skip("times the in-process suite only")
	}
	defer func(n int) { store.PasswordIterations = n }(store.PasswordIterations)
	store.PasswordIterations = 20000
	for b.Loop() {
		cfg, err := steps.ConfigFromEnv(func(string) string { return "" })
		if err != nil {
			b.Fatal(err)
		}
		suite, err := steps.New(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		o := godog.Options{Format: "progress", Strict: true, Output: io.Discard}
		if status := suite.TestSuite(o).Run(); status != 0 {
			b.Fatalf("the contract suite failed (status %d)", status)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/suite")
}
