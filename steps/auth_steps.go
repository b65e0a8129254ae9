package steps

import (
	"context"

	"github.com/cucumber/godog"

	"github.com/fakeqradar/fakeqradar/client"
)

func (sc *scenario) registerAuthSteps(ctx *godog.ScenarioContext) {
	ctx.Step(`^the connector authenticates with its authorized service token$`, sc.withOwnToken)
	ctx.Step(`^the connector authenticates with the administrator's username and password$`, sc.withAdminPassword)
	ctx.Step(`^the connector sends no credentials$`, func() { sc.setCreds(credentials{}) })
	ctx.Step(`^the connector authenticates with the token "([^"]*)"$`, func(token string) {
		sc.setCreds(credentials{token: token})
	})
	ctx.Step(`^the connector authenticates as the user "([^"]*)" with the password "([^"]*)"$`, func(short, password string) {
		sc.setCreds(credentials{basic: true, user: sc.name(short), pass: password})
	})
	ctx.Step(`^the connector authenticates with the token of "([^"]*)"$`, sc.withServiceToken)
	ctx.Step(`^(?:the connector|it) lists the user roles$`, sc.listRoles)
	ctx.Step(`^(?:the connector|it) lists the staged users$`, sc.listStagedUsers)
}

func (sc *scenario) withOwnToken() error {
	if sc.conn.token == "" {
		return sc.skip("the suite has no authorized service token (set " + EnvToken + ")")
	}
	sc.setCreds(credentials{token: sc.conn.token})
	return nil
}

func (sc *scenario) withAdminPassword() error {
	if sc.conn.user == "" || sc.conn.pass == "" {
		return sc.skip("the suite has no administrator username and password (set " + EnvUsername + " and " + EnvPassword + ")")
	}
	sc.setCreds(credentials{basic: true, user: sc.conn.user, pass: sc.conn.pass})
	return nil
}

func (sc *scenario) withServiceToken(short string) error {
	s, err := sc.service(short)
	if err != nil {
		return err
	}
	sc.setCreds(credentials{token: s.token})
	return nil
}

func (sc *scenario) listRoles(ctx context.Context) error {
	return sc.actAs(sc.connector, func(c *client.Client) error {
		_, err := client.Collect(c.Roles.List(ctx, nil))
		return err
	})
}

func (sc *scenario) listStagedUsers(ctx context.Context) error {
	return sc.actAs(sc.connector, func(c *client.Client) error {
		_, err := client.Collect(c.StagedUsers.List(ctx, nil))
		return err
	})
}
