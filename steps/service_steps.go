package steps

import (
	"context"
	"fmt"
	"net/http"

	"github.com/cucumber/godog"

	"github.com/fakeqradar/fakeqradar/client"
)

func (sc *scenario) registerServiceSteps(ctx *godog.ScenarioContext) {
	ctx.Step(`^an authorized service "([^"]*)" with the integration role$`, sc.serviceExists)
	ctx.Step(`^the connector creates the authorized service "([^"]*)" with the integration role and security profile$`, sc.createsService)
	ctx.Step(`^the answer shows the token of "([^"]*)"$`, sc.answerShowsToken)
	ctx.Step(`^the token of "([^"]*)" (?:still )?works$`, sc.tokenWorks)
	ctx.Step(`^the token of "([^"]*)" is refused as unauthorized \(401\)$`, sc.tokenRefused)
	ctx.Step(`^reading the authorized service "([^"]*)" does not show its token$`, sc.readingHidesToken)
	ctx.Step(`^listing the authorized services shows no token$`, sc.listingHidesTokens)
	ctx.Step(`^the connector revokes the authorized service "([^"]*)"$`, sc.revokes)
	ctx.Step(`^the connector reads the authorized service "([^"]*)"$`, sc.readsService)
}

func (sc *scenario) serviceCreate(ctx context.Context, s *serviceRec) (client.AuthorizedServiceCreate, error) {
	role, profile, err := sc.integrationIDs(ctx)
	if err != nil {
		return client.AuthorizedServiceCreate{}, err
	}
	return client.AuthorizedServiceCreate{Label: s.label, UserRoleID: &role, SecurityProfileID: &profile}, nil
}

func (sc *scenario) serviceExists(ctx context.Context, short string) error {
	s := sc.newService(short)
	req, err := sc.serviceCreate(ctx, s)
	if err != nil {
		return err
	}
	created, err := sc.admin.AuthorizedServices.Create(ctx, req)
	if err != nil {
		return fmt.Errorf("creating the authorized service %s: %w", s.label, err)
	}
	if created.Token == "" {
		return fmt.Errorf("the Console created the authorized service %s without showing its token", s.label)
	}
	s.id, s.token = created.ID, created.Token
	return nil
}

func (sc *scenario) createsService(ctx context.Context, short string) error {
	s := sc.newService(short)
	req, err := sc.serviceCreate(ctx, s)
	if err != nil {
		return err
	}
	return sc.actAs(sc.connector, func(c *client.Client) error {
		created, err := c.AuthorizedServices.Create(ctx, req)
		if err == nil && s.id == 0 {
			s.id, s.token = created.ID, created.Token
		}
		return err
	})
}

func (sc *scenario) answerShowsToken(short string) error {
	s, err := sc.service(short)
	if err != nil {
		return err
	}
	var got struct {
		Label string `json:"label"`
		Token string `json:"token"`
	}
	if err := sc.lastJSON(&got); err != nil {
		return err
	}
	if got.Label != s.label || got.Token == "" {
		return fmt.Errorf("expected the service %s with its token, got: %s", s.label, sc.last)
	}
	return nil
}

// withToken sends a harmless request with a service's token.
func (sc *scenario) withToken(ctx context.Context, short string) (*exchange, error) {
	s, err := sc.service(short)
	if err != nil {
		return nil, err
	}
	if s.token == "" {
		return nil, fmt.Errorf("the scenario never saw the token of %s", s.label)
	}
	saved := sc.creds
	sc.creds = credentials{token: s.token}
	defer func() { sc.creds = saved }()
	var ex *exchange
	sc.act(func() error {
		ex = sc.send(ctx, rawRequest{method: http.MethodGet, path: "/api/help/versions",
			header: http.Header{"Range": {"items=0-0"}}})
		return ex.Err
	})
	return ex, nil
}

func (sc *scenario) tokenWorks(ctx context.Context, short string) error {
	if _, err := sc.withToken(ctx, short); err != nil {
		return err
	}
	if err := sc.expect(200, 0); err != nil {
		return fmt.Errorf("the token of %s does not work: %w", sc.name(short), err)
	}
	return nil
}

func (sc *scenario) tokenRefused(ctx context.Context, short string) error {
	if _, err := sc.withToken(ctx, short); err != nil {
		return err
	}
	return sc.expect(401, 0)
}

func (sc *scenario) readingHidesToken(ctx context.Context, short string) error {
	s, err := sc.service(short)
	if err != nil {
		return err
	}
	ex := sc.send(ctx, rawRequest{method: http.MethodGet, path: fmt.Sprintf("/api/config/access/authorized_services/%d", s.id), asSuite: true})
	if ex.Err != nil || ex.Status != http.StatusOK {
		return fmt.Errorf("reading the authorized service %s: %s", s.label, ex)
	}
	var got map[string]any
	if err := jsonUnmarshal(ex.Body, &got); err != nil {
		return err
	}
	if tok, _ := got["token"].(string); tok != "" {
		return fmt.Errorf("reading the authorized service shows its token: %s", ex)
	}
	return nil
}

func (sc *scenario) listingHidesTokens(ctx context.Context) error {
	ex := sc.send(ctx, rawRequest{method: http.MethodGet, path: "/api/config/access/authorized_services", asSuite: true})
	if ex.Err != nil || ex.Status != http.StatusOK {
		return fmt.Errorf("listing the authorized services: %s", ex)
	}
	var items []map[string]any
	if err := jsonUnmarshal(ex.Body, &items); err != nil {
		return err
	}
	for _, it := range items {
		if tok, _ := it["token"].(string); tok != "" {
			return fmt.Errorf("listing the authorized services shows the token of %v", it["label"])
		}
	}
	return nil
}

func (sc *scenario) revokes(ctx context.Context, short string) error {
	s, err := sc.service(short)
	if err != nil {
		return err
	}
	return sc.actAs(sc.connector, func(c *client.Client) error { return c.AuthorizedServices.Delete(ctx, s.id) })
}

func (sc *scenario) readsService(ctx context.Context, short string) error {
	s, err := sc.service(short)
	if err != nil {
		return err
	}
	return sc.actAs(sc.connector, func(c *client.Client) error {
		_, err := c.AuthorizedServices.Get(ctx, s.id)
		return err
	})
}
