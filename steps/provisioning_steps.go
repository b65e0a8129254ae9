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
	c, err := sc.connector()
	if err != nil {
		return err
	}
	var r *client.Role
	sc.act(func() error {
		r, err = c.Roles.ByName(ctx, sc.suite.cfg.Role)
		return err
	})
	if sc.lastErr != nil {
		return fmt.Errorf("looking up the role %q: %w", sc.suite.cfg.Role, sc.lastErr)
	}
	sc.lookedUpRole = &r.ID
	return nil
}

func (sc *scenario) looksUpProfile(ctx context.Context) error {
	c, err := sc.connector()
	if err != nil {
		return err
	}
	var p *client.SecurityProfile
	sc.act(func() error {
		p, err = c.SecurityProfiles.ByName(ctx, sc.suite.cfg.SecurityProfile)
		return err
	})
	if sc.lastErr != nil {
		return fmt.Errorf("looking up the security profile %q: %w", sc.suite.cfg.SecurityProfile, sc.lastErr)
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
	c, err := sc.connector()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, sc.suite.cfg.WaitTimeout)
	defer cancel()
	var got *client.User
	sc.act(func() error {
		got, err = c.ProvisionUser(ctx, client.ProvisionRequest{
			Username: u.username, Password: u.password, Email: u.email,
			RoleName: sc.suite.cfg.Role, SecurityProfileName: sc.suite.cfg.SecurityProfile,
		})
		return err
	})
	if sc.lastErr != nil {
		return fmt.Errorf("provisioning %s: %w", u.username, sc.lastErr)
	}
	u.id = got.ID
	return nil
}

func (sc *scenario) provisionsWithRole(ctx context.Context, short, role string) error {
	u := sc.newUser(short)
	c, err := sc.connector()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, sc.suite.cfg.WaitTimeout)
	defer cancel()
	sc.act(func() error {
		_, err := c.ProvisionUser(ctx, client.ProvisionRequest{
			Username: u.username, Password: u.password, Email: u.email,
			RoleName: role, SecurityProfileName: sc.suite.cfg.SecurityProfile,
		})
		return err
	})
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
