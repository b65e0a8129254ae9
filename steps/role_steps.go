package steps

import (
	"context"
	"fmt"
	"net/http"

	"github.com/cucumber/godog"

	"github.com/fakeqradar/fakeqradar/client"
)

func (sc *scenario) registerRoleSteps(ctx *godog.ScenarioContext) {
	ctx.Step(`^another role without the administrator capability$`, sc.anotherRole)
	ctx.Step(`^the connector stages the other role for "([^"]*)"$`, sc.stagesOtherRole)
	ctx.Step(`^the (staged|deployed) user "([^"]*)" has the other role$`, func(ctx context.Context, where, short string) error {
		return sc.hasRole(ctx, where, short, true)
	})
	ctx.Step(`^the (staged|deployed) user "([^"]*)" still has the integration role$`, func(ctx context.Context, where, short string) error {
		return sc.hasRole(ctx, where, short, false)
	})
	ctx.Step(`^the connector changes the role of "([^"]*)" to the other role$`, sc.changesRole)
	ctx.Step(`^the connector sends the other role's id in an update of the deployed user "([^"]*)"$`, sc.sendsRoleToDeployed)
	ctx.Step(`^the connector stages a role id that matches no role for "([^"]*)"$`, sc.stagesUnknownRole)
}

// anotherRole picks the first role, in the Console's order, that is not the
// integration role and has no ADMIN capability.
func (sc *scenario) anotherRole(ctx context.Context) error {
	roles, err := sc.allRoles(ctx)
	if err != nil {
		return err
	}
	for _, r := range roles {
		if r.Name == sc.suite.cfg.Role || hasCapability(r, "ADMIN") {
			continue
		}
		sc.otherRole = &r
		return nil
	}
	return fmt.Errorf("the Console has no role besides %q without the ADMIN capability", sc.suite.cfg.Role)
}

func hasCapability(r client.Role, name string) bool {
	for _, c := range r.Capabilities {
		if c.Name == name {
			return true
		}
	}
	return false
}

func (sc *scenario) other() (*client.Role, error) {
	if sc.otherRole == nil {
		return nil, fmt.Errorf("no other role has been chosen")
	}
	return sc.otherRole, nil
}

// userAndOther returns the scenario's user short and the other role.
func (sc *scenario) userAndOther(ctx context.Context, short string) (*userRec, *client.Role, error) {
	other, err := sc.other()
	if err != nil {
		return nil, nil, err
	}
	u, err := sc.user(ctx, short)
	if err != nil {
		return nil, nil, err
	}
	return u, other, nil
}

func (sc *scenario) stagesOtherRole(ctx context.Context, short string) error {
	u, other, err := sc.userAndOther(ctx, short)
	if err != nil {
		return err
	}
	return sc.actMust(sc.connector, "staging the role change", func(c *client.Client) error {
		_, err := c.StagedUsers.Update(ctx, u.id, client.StagedUserUpdate{UserRoleID: &other.ID})
		return err
	})
}

func (sc *scenario) hasRole(ctx context.Context, where, short string, other bool) error {
	u, got, err := sc.getUser(ctx, short, where == "staged")
	if err != nil {
		return err
	}
	want, name := int64(0), ""
	if other {
		r, err := sc.other()
		if err != nil {
			return err
		}
		want, name = r.ID, r.Name
	} else {
		if want, err = sc.integrationRole(ctx); err != nil {
			return err
		}
		name = sc.suite.cfg.Role
	}
	if got.UserRoleID != want {
		return fmt.Errorf("expected the %s user %s to have the role %s (%d), it has the role id %d", where, u.username, name, want, got.UserRoleID)
	}
	return nil
}

func (sc *scenario) changesRole(ctx context.Context, short string) error {
	return sc.changeRoleWith(ctx, short, false)
}

func (sc *scenario) changeRoleWith(ctx context.Context, short string, vendorNote bool) error {
	u, other, err := sc.userAndOther(ctx, short)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, sc.suite.cfg.WaitTimeout)
	defer cancel()
	what := fmt.Sprintf("changing the role of %s to %s", u.username, other.Name)
	return sc.actMust(sc.connectorFor(vendorNote), what, func(c *client.Client) error {
		_, err := c.ChangeRole(ctx, u.username, other.Name)
		return err
	})
}

func (sc *scenario) sendsRoleToDeployed(ctx context.Context, short string) error {
	u, other, err := sc.userAndOther(ctx, short)
	if err != nil {
		return err
	}
	// Raw: the client does not send user_role_id to the deployed user's
	// update, because IBM's API ignores it there.
	sc.actRaw(ctx, rawRequest{method: http.MethodPost, path: fmt.Sprintf("/api/config/access/users/%d", u.id),
		body: mustJSON(map[string]int64{"user_role_id": other.ID})})
	return nil
}

func (sc *scenario) stagesUnknownRole(ctx context.Context, short string) error {
	u, err := sc.user(ctx, short)
	if err != nil {
		return err
	}
	id, err := sc.unknownID(ctx, "role")
	if err != nil {
		return err
	}
	return sc.actAs(sc.connector, func(c *client.Client) error {
		_, err := c.StagedUsers.Update(ctx, u.id, client.StagedUserUpdate{UserRoleID: &id})
		return err
	})
}
