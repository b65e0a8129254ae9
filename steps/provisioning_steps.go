package steps

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cucumber/godog"

	"github.com/fakeqradar/fakeqradar/client"
)

func (sc *scenario) registerProvisioningSteps(ctx *godog.ScenarioContext) {
	ctx.Step(`^the connector looks up the integration role by name$`, sc.looksUpRole)
	ctx.Step(`^it looks up the integration security profile by name$`, sc.looksUpProfile)
	ctx.Step(`^it creates the user "([^"]*)" in staging with those ids$`, sc.createsWithLookedUpIDs)
	ctx.Step(`^the connector provisions the user "([^"]*)" with the integration role and security profile$`, sc.provisions)
	ctx.Step(`^the connector provisions the user "([^"]*)" with the role "([^"]*)"$`, sc.provisionsWithRole)
	ctx.Step(`^provisioning fails naming the roles that exist, among them the integration role$`, sc.provisioningNamesRoles)
}

func (sc *scenario) looksUpRole(ctx context.Context) error {
	var r *client.Role
	if err := sc.actMust(sc.connector, fmt.Sprintf("looking up the role %q", sc.suite.cfg.Role), func(c *client.Client) (err error) {
		r, err = c.Roles.ByName(ctx, sc.suite.cfg.Role)
		return err
	}); err != nil {
		return err
	}
	sc.lookedUpRole = &r.ID
	return nil
}

func (sc *scenario) looksUpProfile(ctx context.Context) error {
	var p *client.SecurityProfile
	if err := sc.actMust(sc.connector, fmt.Sprintf("looking up the security profile %q", sc.suite.cfg.SecurityProfile), func(c *client.Client) (err error) {
		p, err = c.SecurityProfiles.ByName(ctx, sc.suite.cfg.SecurityProfile)
		return err
	}); err != nil {
		return err
	}
	sc.lookedUpProfile = &p.ID
	return nil
}

func (sc *scenario) createsWithLookedUpIDs(ctx context.Context, short string) error {
	if sc.lookedUpRole == nil || sc.lookedUpProfile == nil {
		return errors.New("the role and security profile have not been looked up")
	}
	u := sc.newUser(short)
	req := client.StagedUserCreate{
		Username: u.username, Email: u.email, Password: u.password,
		UserRoleID: *sc.lookedUpRole, SecurityProfileID: *sc.lookedUpProfile,
	}
	if err := sc.connectorCreates(ctx, u, req); err != nil {
		return err
	}
	if err := sc.expect(201, 0); err != nil {
		return fmt.Errorf("creating the user in staging: %w", err)
	}
	return nil
}

func (sc *scenario) provisions(ctx context.Context, short string) error {
	u := sc.newUser(short)
	ctx, cancel := context.WithTimeout(ctx, sc.suite.cfg.WaitTimeout)
	defer cancel()
	var got *client.User
	if err := sc.actMust(sc.connector, "provisioning "+u.username, func(c *client.Client) (err error) {
		got, err = c.ProvisionUser(ctx, sc.provisionRequest(u, sc.suite.cfg.Role))
		return err
	}); err != nil {
		return err
	}
	u.id = got.ID
	return nil
}

func (sc *scenario) provisionsWithRole(ctx context.Context, short, role string) error {
	u := sc.newUser(short)
	ctx, cancel := context.WithTimeout(ctx, sc.suite.cfg.WaitTimeout)
	defer cancel()
	if err := sc.actAs(sc.connector, func(c *client.Client) error {
		_, err := c.ProvisionUser(ctx, sc.provisionRequest(u, role))
		return err
	}); err != nil {
		return err
	}
	sc.provisionErr = sc.lastErr
	return nil
}

func (sc *scenario) provisioningNamesRoles() error {
	var nf *client.NameNotFoundError
	if !errors.As(sc.provisionErr, &nf) || nf.Kind != "user role" {
		return fmt.Errorf("expected provisioning to fail with an unknown role, got: %v", sc.provisionErr)
	}
	if !slices.Contains(nf.Available, sc.suite.cfg.Role) {
		return fmt.Errorf("expected the error to name the role %q among those that exist: %v", sc.suite.cfg.Role, nf)
	}
	return nil
}
