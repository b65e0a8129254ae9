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

	"github.com/fakeqradar/fakeqradar/client"
)

func (sc *scenario) registerPagingSteps(ctx *godog.ScenarioContext) {
	ctx.Step(`^the connector asks for the user roles in the window "([^"]*)"$`, sc.rolesInWindow)
	ctx.Step(`^the connector asks for the user roles starting just past the last one$`, sc.rolesPastTheEnd)
	ctx.Step(`^the connector asks for the user roles without a Range header$`, sc.rolesWithoutRange)
	ctx.Step(`^the Content-Range covers items (\d+) to (\d+) of all user roles$`, sc.contentRangeCovers)
	ctx.Step(`^the Content-Range says there are no items of all user roles$`, sc.contentRangeEmpty)
	ctx.Step(`^the Console answers with all user roles$`, sc.answersWithAllRoles)
	ctx.Step(`^the connector walks the user roles (\d+) per page$`, sc.walkRoles)
	ctx.Step(`^it has seen every user role exactly once, in the order of the whole list$`, sc.sawEveryRoleOnce)
	ctx.Step(`^the users ((?:"[^"]*"(?:, )?)+) exist in staging$`, sc.usersExistInStaging)
	ctx.Step(`^the connector walks the staged users named "([^"]*)" (\d+) per page$`, sc.walkStagedUsers)
	ctx.Step(`^it has seen the users ((?:"[^"]*"(?:, )?)+) once each$`, sc.sawUsersOnce)
	ctx.Step(`^it needed (\d+) pages$`, sc.neededPages)
}

// allRoles lists every user role through the suite's own client.
func (sc *scenario) allRoles(ctx context.Context) ([]client.Role, error) {
	roles, err := client.Collect(sc.admin.Roles.List(ctx, nil))
	if err != nil {
		return nil, fmt.Errorf("listing all user roles: %w", err)
	}
	return roles, nil
}

func (sc *scenario) rolesInWindow(ctx context.Context, window string) {
	// Raw: the step is about the literal Range header, well-formed or not.
	sc.actRaw(ctx, rawRequest{method: http.MethodGet, path: "/api/config/access/user_roles",
		header: http.Header{"Range": {window}}})
}

func (sc *scenario) rolesPastTheEnd(ctx context.Context) error {
	roles, err := sc.allRoles(ctx)
	if err != nil {
		return err
	}
	return sc.actAs(sc.connector, func(c *client.Client) error {
		_, _, err := c.Roles.ListPage(ctx, len(roles), &client.ListOptions{PageSize: 5})
		return err
	})
}

func (sc *scenario) rolesWithoutRange(ctx context.Context) {
	sc.actRaw(ctx, rawRequest{method: http.MethodGet, path: "/api/config/access/user_roles"})
}

// contentRange parses the last answer's Content-Range.
func (sc *scenario) contentRange() (client.ContentRange, error) {
	if sc.last == nil || sc.last.Header == nil {
		return client.ContentRange{}, fmt.Errorf("no answer to look at: %s", sc.last)
	}
	raw := sc.last.Header.Get("Content-Range")
	if raw == "" {
		return client.ContentRange{}, fmt.Errorf("expected a Content-Range header, got none: %s", sc.last)
	}
	cr, err := client.ParseContentRange(raw)
	if err != nil {
		return cr, fmt.Errorf("%v: %s", err, sc.last)
	}
	return cr, nil
}

// contentRangeCovers checks the last answer's Content-Range against items
// first to last of all user roles.
func (sc *scenario) contentRangeCovers(ctx context.Context, first, last int) error {
	cr, err := sc.contentRange()
	if err != nil {
		return err
	}
	roles, err := sc.allRoles(ctx)
	if err != nil {
		return err
	}
	want := client.ContentRange{First: first, Last: last, Total: len(roles)}
	if cr != want {
		return fmt.Errorf("expected Content-Range %q, got %q", want, cr)
	}
	return nil
}

// contentRangeEmpty is contentRangeCovers for no items: "items */total".
func (sc *scenario) contentRangeEmpty(ctx context.Context) error {
	return sc.contentRangeCovers(ctx, -1, -1)
}

func (sc *scenario) answersWithAllRoles(ctx context.Context) error {
	if err := sc.expect(200, 0); err != nil {
		return err
	}
	var got []client.Role
	if err := sc.lastJSON(&got); err != nil {
		return err
	}
	roles, err := sc.allRoles(ctx)
	if err != nil {
		return err
	}
	if g, w := roleIDs(got), roleIDs(roles); !slices.Equal(g, w) {
		return fmt.Errorf("expected the roles %v, got %v", w, g)
	}
	return nil
}

func roleIDs(roles []client.Role) []string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = strconv.FormatInt(r.ID, 10)
	}
	return out
}

// pagesOf counts the list requests for path among exchanges.
func pagesOf(exs []*exchange, path string) int {
	n := 0
	for _, ex := range exs {
		p, _, _ := strings.Cut(ex.Path, "?")
		if ex.Method == http.MethodGet && p == path {
			n++
		}
	}
	return n
}

func (sc *scenario) walkRoles(ctx context.Context, size int) error {
	var roles []client.Role
	if err := sc.actMust(sc.connector, "walking the user roles", func(c *client.Client) (err error) {
		roles, err = client.Collect(c.Roles.List(ctx, &client.ListOptions{PageSize: size}))
		return err
	}); err != nil {
		return err
	}
	sc.walked = roleIDs(roles)
	sc.walkPages = pagesOf(sc.acted, "/api/config/access/user_roles")
	return nil
}

func (sc *scenario) sawEveryRoleOnce(ctx context.Context) error {
	whole, _, err := sc.admin.Roles.ListPage(ctx, 0, &client.ListOptions{PageSize: 10000})
	if err != nil {
		return fmt.Errorf("listing the whole list of user roles: %w", err)
	}
	if want := roleIDs(whole); !slices.Equal(sc.walked, want) {
		return fmt.Errorf("walking page by page saw the role ids %v; the whole list is %v", sc.walked, want)
	}
	if sc.walkPages < len(whole) {
		return fmt.Errorf("expected at least %d pages of one role, the walk took %d", len(whole), sc.walkPages)
	}
	return nil
}

func (sc *scenario) usersExistInStaging(ctx context.Context, names string) error {
	for _, short := range quoted(names) {
		if err := sc.createStaged(ctx, short); err != nil {
			return err
		}
	}
	return nil
}

func (sc *scenario) walkStagedUsers(ctx context.Context, pattern string, size int) error {
	if err := sc.collectStagedNamed(ctx, "walking the staged users", pattern, client.ListOptions{PageSize: size}); err != nil {
		return err
	}
	sc.walkPages = pagesOf(sc.acted, "/api/staged_config/access/users")
	return nil
}

// collectStagedNamed lists, as the connector's action, every staged user
// whose username is like the full name of pattern, with opts; the usernames
// are walked.
func (sc *scenario) collectStagedNamed(ctx context.Context, what, pattern string, opts client.ListOptions) error {
	opts.Filter = client.Like("username", sc.name(pattern))
	var users []client.User
	if err := sc.actMust(sc.connector, what, func(c *client.Client) (err error) {
		users, err = client.Collect(c.StagedUsers.List(ctx, &opts))
		return err
	}); err != nil {
		return err
	}
	sc.walked = usernames(users)
	return nil
}

func usernames(users []client.User) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.Username
	}
	return out
}

func (sc *scenario) sawUsersOnce(names string) error {
	var want []string
	for _, short := range quoted(names) {
		want = append(want, sc.name(short))
	}
	got := slices.Clone(sc.walked)
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		return fmt.Errorf("expected to see %v once each, saw %v", want, sc.walked)
	}
	return nil
}

func (sc *scenario) neededPages(n int) error {
	if sc.walkPages != n {
		return fmt.Errorf("expected %d pages, the walk took %d", n, sc.walkPages)
	}
	return nil
}
