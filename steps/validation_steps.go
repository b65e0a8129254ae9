package steps

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/cucumber/godog"

	"github.com/fakeqradar/fakeqradar/client"
)

func (sc *scenario) registerValidationSteps(ctx *godog.ScenarioContext) {
	ctx.Step(`^the connector creates the user "([^"]*)" in staging with the (role|security profile) given by name$`, sc.createsWithName)
	ctx.Step(`^the connector creates the user "([^"]*)" in staging with a role id that matches no role$`, func(ctx context.Context, short string) error {
		return sc.createsWithUnknownID(ctx, short, "role")
	})
	ctx.Step(`^the connector creates the user "([^"]*)" in staging with a security profile id that matches no profile$`, func(ctx context.Context, short string) error {
		return sc.createsWithUnknownID(ctx, short, "profile")
	})
	ctx.Step(`^the connector creates the user "([^"]*)" in staging without (username|user_role_id|security_profile_id|email)$`, sc.createsWithout)
	ctx.Step(`^the connector creates the user "([^"]*)" in staging with the email "([^"]*)"$`, sc.createsWithEmail)
	ctx.Step(`^the connector creates the user "([^"]*)" in staging with the administrator role$`, sc.createsAdministrator)
	ctx.Step(`^there is no staged user "([^"]*)"$`, sc.noStagedUser)
}

// stagedBody is the JSON body of a create, for requests the typed client
// cannot send.
func (sc *scenario) stagedBody(ctx context.Context, u *userRec) (map[string]any, error) {
	req, err := sc.stagedCreate(ctx, u)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"username": req.Username, "email": req.Email, "password": req.Password,
		"user_role_id": req.UserRoleID, "security_profile_id": req.SecurityProfileID,
	}, nil
}

func (sc *scenario) createsWithName(ctx context.Context, short, what string) error {
	u := sc.newUser(short)
	body, err := sc.stagedBody(ctx, u)
	if err != nil {
		return err
	}
	if what == "role" {
		body["user_role_id"] = sc.suite.cfg.Role
	} else {
		body["security_profile_id"] = sc.suite.cfg.SecurityProfile
	}
	// Raw: the client's ids are integers; a name cannot be sent through it.
	sc.actRaw(ctx, rawRequest{method: http.MethodPost, path: "/api/staged_config/access/users", body: mustJSON(body)})
	return nil
}

// unknownID returns an id above every existing role or profile id.
func (sc *scenario) unknownID(ctx context.Context, what string) (int64, error) {
	var max int64
	if what == "role" {
		roles, err := sc.allRoles(ctx)
		if err != nil {
			return 0, err
		}
		for _, r := range roles {
			max = maxInt(max, r.ID)
		}
	} else {
		profiles, err := client.Collect(sc.admin.SecurityProfiles.List(ctx, nil))
		if err != nil {
			return 0, fmt.Errorf("listing security profiles: %w", err)
		}
		for _, p := range profiles {
			max = maxInt(max, p.ID)
		}
	}
	return max + 1000, nil
}

func maxInt(a, b int64) int64 {
	if b > a {
		return b
	}
	return a
}

func (sc *scenario) createsWithUnknownID(ctx context.Context, short, what string) error {
	u := sc.newUser(short)
	req, err := sc.stagedCreate(ctx, u)
	if err != nil {
		return err
	}
	id, err := sc.unknownID(ctx, what)
	if err != nil {
		return err
	}
	if what == "role" {
		req.UserRoleID = id
	} else {
		req.SecurityProfileID = id
	}
	return sc.connectorCreates(ctx, u, req)
}

// connectorCreates sends a staged create through the connector's client.
func (sc *scenario) connectorCreates(ctx context.Context, u *userRec, req client.StagedUserCreate) error {
	return sc.createWith(sc.connector, u, func(c *client.Client) (*client.User, error) { return c.StagedUsers.Create(ctx, req) })
}

func (sc *scenario) createsWithout(ctx context.Context, short, field string) error {
	u := sc.newUser(short)
	body, err := sc.stagedBody(ctx, u)
	if err != nil {
		return err
	}
	delete(body, field)
	// Raw: the client always sends the required fields.
	sc.actRaw(ctx, rawRequest{method: http.MethodPost, path: "/api/staged_config/access/users", body: mustJSON(body)})
	return nil
}

func (sc *scenario) createsWithEmail(ctx context.Context, short, email string) error {
	u := sc.newUser(short)
	req, err := sc.stagedCreate(ctx, u)
	if err != nil {
		return err
	}
	req.Email = email
	return sc.connectorCreates(ctx, u, req)
}

func (sc *scenario) createsAdministrator(ctx context.Context, short string) error {
	u := sc.newUser(short)
	req, err := sc.stagedCreate(ctx, u)
	if err != nil {
		return err
	}
	if req.UserRoleID, err = sc.administratorRole(ctx); err != nil {
		return err
	}
	return sc.connectorCreates(ctx, u, req)
}

func (sc *scenario) noStagedUser(ctx context.Context, short string) error {
	name := sc.name(short)
	u, err := sc.admin.StagedUsers.ByUsername(ctx, name)
	switch {
	case errors.Is(err, client.ErrNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("looking for the staged user %s: %w", name, err)
	}
	return fmt.Errorf("expected no staged user %s, found id %d", name, u.ID)
}
