package steps

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/cucumber/godog"

	"github.com/fakeqradar/fakeqradar/client"
)

func (sc *scenario) registerVendorNoteSteps(ctx *godog.ScenarioContext) {
	ctx.Step(`^the connector lists the roles at the vendor note's path$`, sc.listsVendorRoles)
	ctx.Step(`^it lists the same roles as the documented path$`, sc.sameRolesAsDocumented)
	ctx.Step(`^the connector creates the user "([^"]*)" at the vendor note's path with nested role and security profile ids$`, sc.createsVendorUser)
	ctx.Step(`^the connector creates the user "([^"]*)" at the vendor note's path with the role given by name$`, sc.createsVendorUserByName)
	ctx.Step(`^the connector deletes the user "([^"]*)" at the vendor note's path$`, func(ctx context.Context, short string) error {
		return sc.deletes(ctx, short, true)
	})
	ctx.Step(`^the delete task carries a task_id$`, sc.taskCarriesTaskID)
	ctx.Step(`^(?:the connector|it) waits for the delete task at the vendor note's path to end$`, sc.waitsForTask)
	ctx.Step(`^the connector changes the role of "([^"]*)" to the other role the vendor note's way$`, func(ctx context.Context, short string) error {
		return sc.changeRoleWith(ctx, short, true)
	})
}

func (sc *scenario) listsVendorRoles(ctx context.Context) error {
	var roles []client.Role
	if err := sc.actAs(sc.vendorConnector, func(c *client.Client) (err error) {
		roles, err = client.Collect(c.Roles.List(ctx, nil))
		return err
	}); err != nil {
		return err
	}
	sc.walked = roleNames(roles)
	return nil
}

func roleNames(roles []client.Role) []string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = fmt.Sprintf("%d %s", r.ID, r.Name)
	}
	return out
}

func (sc *scenario) sameRolesAsDocumented(ctx context.Context) error {
	roles, err := sc.allRoles(ctx)
	if err != nil {
		return err
	}
	if want := roleNames(roles); !slices.Equal(sc.walked, want) {
		return fmt.Errorf("the vendor note's path lists %v, the documented path %v", sc.walked, want)
	}
	return nil
}

func (sc *scenario) createsVendorUser(ctx context.Context, short string) error {
	u := sc.newUser(short)
	role, profile, err := sc.integrationIDs(ctx)
	if err != nil {
		return err
	}
	return sc.createWith(sc.vendorConnector, u, func(c *client.Client) (*client.User, error) {
		return c.Users.Create(ctx, client.UserCreate{
			Username: u.username, Password: u.password, Email: u.email,
			UserRole: client.Ref{ID: role}, SecurityProfile: client.Ref{ID: profile},
		})
	})
}

func (sc *scenario) createsVendorUserByName(ctx context.Context, short string) error {
	u := sc.newUser(short)
	profile, err := sc.integrationProfile(ctx)
	if err != nil {
		return err
	}
	// Raw: the client sends nested objects with ids only.
	sc.actRaw(ctx, rawRequest{method: http.MethodPost, path: "/api/config/access/users", body: mustJSON(map[string]any{
		"username": u.username, "password": u.password, "email": u.email,
		"user_role":        map[string]string{"name": sc.suite.cfg.Role},
		"security_profile": map[string]int64{"id": profile},
	})})
	return nil
}

func (sc *scenario) taskCarriesTaskID() error {
	t, err := sc.deleteTask()
	if err != nil {
		return err
	}
	if t.TaskID == 0 {
		return fmt.Errorf("expected the delete answer to carry task_id: %s", sc.last)
	}
	return nil
}
