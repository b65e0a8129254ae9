package steps

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cucumber/godog"

	"github.com/fakeqradar/fakeqradar/client"
)

func (sc *scenario) registerQuerySteps(ctx *godog.ScenarioContext) {
	ctx.Step(`^the connector lists the user roles whose name is the integration role$`, func(ctx context.Context) error {
		return sc.listRolesWith(ctx, &client.ListOptions{Filter: client.Eq("name", sc.suite.cfg.Role)})
	})
	ctx.Step(`^every item is named like the integration role$`, sc.everyItemNamedRole)
	ctx.Step(`^the connector lists the user roles with the fields "([^"]*)"$`, func(ctx context.Context, fields string) error {
		return sc.listRolesWith(ctx, &client.ListOptions{Fields: fields})
	})
	ctx.Step(`^every item has exactly the fields "([^"]*)"$`, sc.everyItemHasFields)
	ctx.Step(`^the connector lists the user roles sorted by "([^"]*)"$`, func(ctx context.Context, sort string) error {
		return sc.listRolesWith(ctx, &client.ListOptions{Sort: sort})
	})
	ctx.Step(`^the items are in descending order of "([^"]*)"$`, sc.itemsDescending)
	ctx.Step(`^the connector lists the deployed users whose username is:$`, func(ctx context.Context, doc *godog.DocString) error {
		return sc.listDeployedWith(ctx, &client.ListOptions{Filter: client.Eq("username", strings.TrimSpace(doc.Content))})
	})
	ctx.Step(`^the connector lists the user roles with the filter "([^"]*)"$`, func(ctx context.Context, filter string) error {
		return sc.listRolesWith(ctx, &client.ListOptions{Filter: client.RawFilter(filter)})
	})
	ctx.Step(`^the connector lists the deployed users sorted by "([^"]*)"$`, func(ctx context.Context, sort string) error {
		return sc.listDeployedWith(ctx, &client.ListOptions{Sort: sort})
	})
	ctx.Step(`^the connector lists the staged users named "([^"]*)" sorted by "([^"]*)"$`, sc.listStagedNamed)
	ctx.Step(`^it receives the users ((?:"[^"]*"(?:, )?)+) in that order$`, sc.receivesInOrder)
	ctx.Step(`^the connector looks for the deployed user named "([^"]*)"$`, sc.looksForUser)
	ctx.Step(`^it finds the user "([^"]*)" and no other$`, sc.findsOnly)
}

// listRolesWith asks for the first page of user roles with opts.
func (sc *scenario) listRolesWith(ctx context.Context, opts *client.ListOptions) error {
	return sc.actAs(sc.connector, func(c *client.Client) error {
		_, _, err := c.Roles.ListPage(ctx, 0, opts)
		return err
	})
}

func (sc *scenario) listDeployedWith(ctx context.Context, opts *client.ListOptions) error {
	return sc.actAs(sc.connector, func(c *client.Client) error {
		_, _, err := c.Users.ListPage(ctx, 0, opts)
		return err
	})
}

func (sc *scenario) everyItemNamedRole() error {
	items, err := sc.lastItems()
	if err != nil {
		return err
	}
	for _, it := range items {
		if it["name"] != sc.suite.cfg.Role {
			return fmt.Errorf("expected only roles named %q, got %v", sc.suite.cfg.Role, it["name"])
		}
	}
	return nil
}

func (sc *scenario) everyItemHasFields(fields string) error {
	items, err := sc.lastItems()
	if err != nil {
		return err
	}
	want := strings.Split(fields, ",")
	sort.Strings(want)
	if len(items) == 0 {
		return fmt.Errorf("expected items: %s", sc.last)
	}
	for _, it := range items {
		if got := keys(it); !slices.Equal(got, want) {
			return fmt.Errorf("expected exactly the fields %v, got %v", want, got)
		}
	}
	return nil
}

func (sc *scenario) itemsDescending(field string) error {
	items, err := sc.lastItems()
	if err != nil {
		return err
	}
	var prev float64
	for i, it := range items {
		v, ok := it[field].(float64)
		if !ok {
			return fmt.Errorf("item %d has no number %q: %v", i, field, it)
		}
		if i > 0 && v > prev {
			return fmt.Errorf("%s %v follows %v: not in descending order", field, v, prev)
		}
		prev = v
	}
	return nil
}

func (sc *scenario) listStagedNamed(ctx context.Context, pattern, sort string) error {
	return sc.collectStagedNamed(ctx, "listing the staged users", pattern, client.ListOptions{Sort: sort})
}

func (sc *scenario) receivesInOrder(names string) error {
	var want []string
	for _, short := range quoted(names) {
		want = append(want, sc.name(short))
	}
	if !slices.Equal(sc.walked, want) {
		return fmt.Errorf("expected the users %v in that order, got %v", want, sc.walked)
	}
	return nil
}

func (sc *scenario) looksForUser(ctx context.Context, short string) error {
	return sc.actAs(sc.connector, func(c *client.Client) (err error) {
		sc.found, err = c.Users.ByUsername(ctx, sc.name(short))
		return err
	})
}

func (sc *scenario) findsOnly(ctx context.Context, short string) error {
	u, err := sc.user(ctx, short)
	if err != nil {
		return err
	}
	if sc.lastErr != nil || sc.found == nil {
		return fmt.Errorf("expected to find %s, got: %v", u.username, sc.lastErr)
	}
	if sc.found.ID != u.id || sc.found.Username != u.username {
		return fmt.Errorf("expected %s (%d), found %s (%d)", u.username, u.id, sc.found.Username, sc.found.ID)
	}
	items, err := sc.lastItems()
	if err != nil {
		return err
	}
	if len(items) != 1 {
		return fmt.Errorf("the filter username=%q answered %d users, expected 1: %s", u.username, len(items), sc.last)
	}
	return nil
}
