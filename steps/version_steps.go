package steps

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cucumber/godog"
)

func (sc *scenario) registerVersionSteps(ctx *godog.ScenarioContext) {
	ctx.Step(`^the connector reads the first deployed user without a Version header$`, sc.firstUserWithoutVersion)
	ctx.Step(`^the user has the same fields as with the newest version the Console lists$`, sc.sameFieldsAsNewest)
	ctx.Step(`^the connector pins the suite's API version$`, func() { sc.setVersion(sc.suite.cfg.Version) })
	ctx.Step(`^the connector pins the API version "([^"]*)"$`, sc.setVersion)
	ctx.Step(`^the connector pins the newest (deprecated|removed) version the Console lists$`, sc.pinListed)
}

// apiVersion is an entry of GET /api/help/versions.
type apiVersion struct {
	Version    string `json:"version"`
	Deprecated bool   `json:"deprecated"`
	Removed    bool   `json:"removed"`
}

// versions reads the Console's version list, oldest first.
func (sc *scenario) versions(ctx context.Context) ([]apiVersion, error) {
	ex := sc.send(ctx, rawRequest{method: http.MethodGet, path: "/api/help/versions?fields=version,deprecated,removed", asSuite: true})
	if ex.Err != nil || ex.Status != http.StatusOK {
		return nil, fmt.Errorf("reading the Console's versions: %s", ex)
	}
	var vs []apiVersion
	if err := jsonUnmarshal(ex.Body, &vs); err != nil {
		return nil, fmt.Errorf("reading the Console's versions: %w", err)
	}
	sort.SliceStable(vs, func(i, j int) bool { return versionLess(vs[i].Version, vs[j].Version) })
	return vs, nil
}

// versionLess orders "9.1" before "12.0".
func versionLess(a, b string) bool {
	pa, pb := versionParts(a), versionParts(b)
	return slices.Compare(pa, pb) < 0
}

func versionParts(v string) []int {
	var out []int
	for _, p := range strings.Split(v, ".") {
		n, _ := strconv.Atoi(p)
		out = append(out, n)
	}
	return out
}

// newest returns the newest version that matches keep.
func newest(vs []apiVersion, keep func(apiVersion) bool) (string, bool) {
	for i := len(vs) - 1; i >= 0; i-- {
		if keep(vs[i]) {
			return vs[i].Version, true
		}
	}
	return "", false
}

func (sc *scenario) pinListed(ctx context.Context, kind string) error {
	vs, err := sc.versions(ctx)
	if err != nil {
		return err
	}
	keep := func(v apiVersion) bool { return v.Deprecated && !v.Removed }
	if kind == "removed" {
		keep = func(v apiVersion) bool { return v.Removed }
	}
	v, ok := newest(vs, keep)
	if !ok {
		return sc.skip("the Console lists no " + kind + " version")
	}
	sc.setVersion(v)
	return nil
}

func (sc *scenario) firstUserWithoutVersion(ctx context.Context) {
	sc.actRaw(ctx, rawRequest{method: http.MethodGet, path: "/api/config/access/users",
		header: http.Header{"Range": {"items=0-0"}}, noVersion: true})
}

func (sc *scenario) sameFieldsAsNewest(ctx context.Context) error {
	unversioned, err := sc.lastItems()
	if err != nil {
		return err
	}
	vs, err := sc.versions(ctx)
	if err != nil {
		return err
	}
	v, ok := newest(vs, func(v apiVersion) bool { return !v.Removed })
	if !ok {
		return fmt.Errorf("the Console lists no version that is not removed")
	}
	ex := sc.send(ctx, rawRequest{method: http.MethodGet, path: "/api/config/access/users",
		header: http.Header{"Range": {"items=0-0"}, "Version": {v}}, asSuite: true})
	if ex.Err != nil || ex.Status != http.StatusOK {
		return fmt.Errorf("reading the first user with Version %s: %s", v, ex)
	}
	var versioned []map[string]any
	if err := jsonUnmarshal(ex.Body, &versioned); err != nil {
		return err
	}
	if len(unversioned) != 1 || len(versioned) != 1 {
		return fmt.Errorf("expected one user in each answer, got %d without Version and %d with %s", len(unversioned), len(versioned), v)
	}
	got, want := keys(unversioned[0]), keys(versioned[0])
	if !slices.Equal(got, want) {
		return fmt.Errorf("without a Version header the user has the fields %v; with %s, the newest version, %v", got, v, want)
	}
	return nil
}

// keys returns the sorted keys of m.
func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
