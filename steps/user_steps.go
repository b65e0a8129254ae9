package steps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"

	"github.com/cucumber/godog"

	"github.com/fakeqradar/fakeqradar/client"
)

func (sc *scenario) registerUserSteps(ctx *godog.ScenarioContext) {
	ctx.Step(`^(?:the connector|it) creates the user "([^"]*)" in staging$`, sc.createsStaged)
	ctx.Step(`^the answer points to the staged user "([^"]*)"$`, sc.pointsToStagedUser)
	ctx.Step(`^the staged user "([^"]*)" has the integration role and security profile$`, func(ctx context.Context, short string) error {
		return sc.hasIntegrationRoleAndProfile(ctx, short, true)
	})
	ctx.Step(`^the deployed user "([^"]*)" has the integration role and security profile$`, func(ctx context.Context, short string) error {
		return sc.hasIntegrationRoleAndProfile(ctx, short, false)
	})
	ctx.Step(`^the user "([^"]*)" is not among the deployed users yet$`, sc.notDeployedYet)
	ctx.Step(`^the user "([^"]*)" has been created in staging$`, sc.createStaged)
	ctx.Step(`^the user "([^"]*)" has been provisioned$`, sc.provisioned)
	ctx.Step(`^(?:the connector|it) deploys the staged configuration$`, sc.deploys)
	ctx.Step(`^the deployed user "([^"]*)" can be found by username$`, sc.foundByUsername)
	ctx.Step(`^the connector updates only the email of "([^"]*)" to "([^"]*)"$`, sc.updatesEmail)
	ctx.Step(`^the deployed user "([^"]*)" has the email "([^"]*)"$`, sc.hasEmail)
	ctx.Step(`^every other field of the deployed user "([^"]*)" is unchanged$`, func(ctx context.Context, short string) error {
		return sc.unchanged(ctx, short, "email")
	})
	ctx.Step(`^every field of the deployed user "([^"]*)" is unchanged$`, func(ctx context.Context, short string) error {
		return sc.unchanged(ctx, short)
	})
	ctx.Step(`^the connector sends a (PUT|PATCH) request that changes the email of "([^"]*)"$`, sc.sendsMethod)
	ctx.Step(`^the connector reads the user "([^"]*)" as deployed, as staged and in both lists$`, sc.readsEverywhere)
	ctx.Step(`^every answer has the password as null$`, sc.passwordsNull)
}

// stagedCreate is the body the suite uses for a user with the integration
// role and profile.
func (sc *scenario) stagedCreate(ctx context.Context, u *userRec) (client.StagedUserCreate, error) {
	role, profile, err := sc.integrationIDs(ctx)
	if err != nil {
		return client.StagedUserCreate{}, err
	}
	return client.StagedUserCreate{
		Username: u.username, Email: u.email, Password: u.password,
		UserRoleID: role, SecurityProfileID: profile,
	}, nil
}

// createStaged creates a user in staging as setup: failure fails the step.
func (sc *scenario) createStaged(ctx context.Context, short string) error {
	u := sc.newUser(short)
	req, err := sc.stagedCreate(ctx, u)
	if err != nil {
		return err
	}
	created, err := sc.admin.StagedUsers.Create(ctx, req)
	if err != nil {
		return fmt.Errorf("creating the user %s in staging: %w", u.username, err)
	}
	u.id = created.ID
	return nil
}

// createsStaged is the connector's create: its outcome is for Then steps.
func (sc *scenario) createsStaged(ctx context.Context, short string) error {
	u := sc.newUser(short)
	req, err := sc.stagedCreate(ctx, u)
	if err != nil {
		return err
	}
	return sc.connectorCreates(ctx, u, req)
}

// createWith runs a create as the connector's action, on the client connect
// returns, and keeps the id.
func (sc *scenario) createWith(connect func() (*client.Client, error), u *userRec, create func(c *client.Client) (*client.User, error)) error {
	return sc.actAs(connect, func(c *client.Client) error {
		created, err := create(c)
		if err == nil && u.id == 0 {
			u.id = created.ID
		}
		return err
	})
}

// provisionRequest provisions u with the role named and the integration
// security profile.
func (sc *scenario) provisionRequest(u *userRec, role string) client.ProvisionRequest {
	return client.ProvisionRequest{
		Username: u.username, Password: u.password, Email: u.email,
		RoleName: role, SecurityProfileName: sc.suite.cfg.SecurityProfile,
	}
}

// provisioned creates and deploys a user through the client's workflow and
// keeps the deployed user's JSON to compare with later.
func (sc *scenario) provisioned(ctx context.Context, short string) error {
	u := sc.newUser(short)
	ctx, cancel := context.WithTimeout(ctx, sc.suite.cfg.WaitTimeout)
	defer cancel()
	created, err := sc.admin.ProvisionUser(ctx, sc.provisionRequest(u, sc.suite.cfg.Role))
	if err != nil {
		return fmt.Errorf("provisioning the user %s: %w", u.username, err)
	}
	u.id = created.ID
	u.deployed, err = sc.deployedJSON(ctx, u.id)
	return err
}

// deployedJSON reads GET /api/config/access/users/{id} with the suite's
// credentials.
func (sc *scenario) deployedJSON(ctx context.Context, id int64) (map[string]any, error) {
	ex := sc.send(ctx, rawRequest{method: http.MethodGet, path: fmt.Sprintf("/api/config/access/users/%d", id), asSuite: true})
	if ex.Err != nil || ex.Status != http.StatusOK {
		return nil, fmt.Errorf("reading the deployed user %d: %s", id, ex)
	}
	var m map[string]any
	return m, jsonUnmarshal(ex.Body, &m)
}

func (sc *scenario) pointsToStagedUser(ctx context.Context, short string) error {
	u, err := sc.user(ctx, short)
	if err != nil {
		return err
	}
	return sc.pointsTo(fmt.Sprintf("/api/staged_config/access/users/%d", u.id))
}

// pointsTo checks that the last answer's Location ends with path (a
// Console may send an absolute URL).
func (sc *scenario) pointsTo(path string) error {
	if sc.last == nil || sc.last.Header == nil {
		return fmt.Errorf("no answer to look at: %s", sc.last)
	}
	loc := sc.last.Header.Get("Location")
	if !strings.HasSuffix(loc, path) {
		return fmt.Errorf("expected a Location header ending in %s, got %q: %s", path, loc, sc.last)
	}
	return nil
}

// getUser reads a user as staged or as deployed with the suite's client.
func (sc *scenario) getUser(ctx context.Context, short string, staged bool) (*userRec, *client.User, error) {
	u, err := sc.user(ctx, short)
	if err != nil {
		return nil, nil, err
	}
	var got *client.User
	if staged {
		got, err = sc.admin.StagedUsers.Get(ctx, u.id)
	} else {
		got, err = sc.admin.Users.Get(ctx, u.id)
	}
	if err != nil {
		where := "deployed"
		if staged {
			where = "staged"
		}
		return u, nil, fmt.Errorf("reading the %s user %s (%d): %w", where, u.username, u.id, err)
	}
	return u, got, nil
}

func (sc *scenario) hasIntegrationRoleAndProfile(ctx context.Context, short string, staged bool) error {
	u, got, err := sc.getUser(ctx, short, staged)
	if err != nil {
		return err
	}
	role, profile, err := sc.integrationIDs(ctx)
	if err != nil {
		return err
	}
	if got.Username != u.username || got.UserRoleID != role || got.SecurityProfileID != profile {
		return fmt.Errorf("expected %s with user_role_id %d and security_profile_id %d, got %s with %d and %d",
			u.username, role, profile, got.Username, got.UserRoleID, got.SecurityProfileID)
	}
	return nil
}

func (sc *scenario) notDeployedYet(ctx context.Context, short string) error {
	u, err := sc.user(ctx, short)
	if err != nil {
		return err
	}
	ex := sc.send(ctx, rawRequest{method: http.MethodGet, path: fmt.Sprintf("/api/config/access/users/%d", u.id), asSuite: true})
	if ex.Err != nil || ex.Status != http.StatusNotFound || ex.code() != 38310001 {
		return fmt.Errorf("expected the deployed user %d not to exist yet (404, code 38310001): %s", u.id, ex)
	}
	return nil
}

func (sc *scenario) deploys(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, sc.suite.cfg.WaitTimeout)
	defer cancel()
	return sc.actMust(sc.connector, "deploying", func(c *client.Client) error {
		_, err := c.Deploy.StartAndWait(ctx, client.DeployIncremental, nil)
		return err
	})
}

func (sc *scenario) foundByUsername(ctx context.Context, short string) error {
	u, err := sc.user(ctx, short)
	if err != nil {
		return err
	}
	found, err := sc.admin.Users.ByUsername(ctx, u.username)
	if err != nil {
		return fmt.Errorf("finding the deployed user %s by username: %w", u.username, err)
	}
	if found.ID != u.id {
		return fmt.Errorf("the username %s found the user %d, expected %d", u.username, found.ID, u.id)
	}
	return nil
}

func (sc *scenario) updatesEmail(ctx context.Context, short, email string) error {
	u, err := sc.user(ctx, short)
	if err != nil {
		return err
	}
	return sc.actAs(sc.connector, func(c *client.Client) error {
		_, err := c.Users.Update(ctx, u.id, client.UserUpdate{Email: &email})
		return err
	})
}

func (sc *scenario) hasEmail(ctx context.Context, short, email string) error {
	_, got, err := sc.getUser(ctx, short, false)
	if err != nil {
		return err
	}
	if got.Email != email {
		return fmt.Errorf("expected the email %q, got %q", email, got.Email)
	}
	return nil
}

// unchanged compares the deployed user with its JSON after provisioning,
// except for the named fields.
func (sc *scenario) unchanged(ctx context.Context, short string, except ...string) error {
	u, err := sc.user(ctx, short)
	if err != nil {
		return err
	}
	if u.deployed == nil {
		return fmt.Errorf("the user %s was not provisioned by this scenario", u.username)
	}
	now, err := sc.deployedJSON(ctx, u.id)
	if err != nil {
		return err
	}
	var diffs []string
	for _, k := range union(keys(u.deployed), keys(now)) {
		if contains(except, k) {
			continue
		}
		if !reflect.DeepEqual(u.deployed[k], now[k]) {
			diffs = append(diffs, fmt.Sprintf("%s: %v → %v", k, u.deployed[k], now[k]))
		}
	}
	if len(diffs) > 0 {
		return fmt.Errorf("fields of the deployed user %s changed: %s", u.username, strings.Join(diffs, "; "))
	}
	return nil
}

func union(a, b []string) []string {
	set := map[string]bool{}
	for _, k := range append(a, b...) {
		set[k] = true
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (sc *scenario) sendsMethod(ctx context.Context, method, short string) error {
	u, err := sc.user(ctx, short)
	if err != nil {
		return err
	}
	// Raw: the client only ever updates with POST.
	sc.actRaw(ctx, rawRequest{method: method, path: fmt.Sprintf("/api/config/access/users/%d", u.id),
		body: mustJSON(map[string]string{"email": "changed-" + u.email})})
	return nil
}

func (sc *scenario) readsEverywhere(ctx context.Context, short string) error {
	u, err := sc.user(ctx, short)
	if err != nil {
		return err
	}
	byName := &client.ListOptions{Filter: client.Eq("username", u.username)}
	return sc.actMust(sc.connector, "reading the user "+u.username, func(c *client.Client) error {
		_, err1 := c.Users.Get(ctx, u.id)
		_, err2 := c.StagedUsers.Get(ctx, u.id)
		_, _, err3 := c.Users.ListPage(ctx, 0, byName)
		_, _, err4 := c.StagedUsers.ListPage(ctx, 0, byName)
		return errors.Join(err1, err2, err3, err4)
	})
}

func (sc *scenario) passwordsNull() error {
	if len(sc.acted) == 0 {
		return errors.New("the connector has not read anything")
	}
	for _, ex := range sc.acted {
		if ex.Err != nil || ex.Status != http.StatusOK {
			return fmt.Errorf("expected an answer: %s", ex)
		}
		var objs []map[string]any
		if strings.HasPrefix(strings.TrimSpace(string(ex.Body)), "[") {
			if err := jsonUnmarshal(ex.Body, &objs); err != nil {
				return err
			}
			if len(objs) == 0 {
				return fmt.Errorf("expected the user in the list: %s", ex)
			}
		} else {
			var m map[string]any
			if err := jsonUnmarshal(ex.Body, &m); err != nil {
				return err
			}
			objs = append(objs, m)
		}
		for _, o := range objs {
			for _, k := range []string{"password", "old_password"} {
				if v, ok := o[k]; ok && v != nil {
					return fmt.Errorf("the answer reveals %s: %s", k, ex)
				}
			}
		}
	}
	return nil
}
