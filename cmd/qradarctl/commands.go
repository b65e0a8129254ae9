package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/fakeqradar/fakeqradar/client"
)

// command is one "qradarctl <name>" command. flags registers its flags on fs and
// returns a function that checks the positional arguments.
type command struct {
	name  string
	flags func(fs *flag.FlagSet) func(pos []string) error
	run   func(ctx context.Context, c *client.Client, p *printer) error
}

// lookupCommand finds the command named by the first one or two words of args.
// The table is built per call, so flag state never leaks between runs.
func lookupCommand(args []string, env func(string) string) (*command, bool) {
	for _, cmd := range commands(env) {
		words := strings.Fields(cmd.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == cmd.name {
			return cmd, true
		}
	}
	return nil, false
}

func commands(env func(string) string) []*command {
	return []*command{
		usersList(), usersGet(), usersProvision(env), usersSetRole(), usersDeprovision(),
		rolesList(), profilesList(),
		servicesList(), servicesCreate(), servicesRevoke(),
		deployCmd(),
	}
}

func noArgs(pos []string) error {
	if len(pos) > 0 {
		return usagef("unexpected arguments: %s", strings.Join(pos, " "))
	}
	return nil
}

func oneArg(name string, dst *string) func([]string) error {
	return func(pos []string) error {
		if len(pos) != 1 || pos[0] == "" {
			return usagef("expected exactly one %s", name)
		}
		*dst = pos[0]
		return nil
	}
}

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func usersList() *command {
	var staged bool
	var filter, sort string
	var pageSize int
	return &command{
		name: "users list",
		flags: func(fs *flag.FlagSet) func([]string) error {
			fs.BoolVar(&staged, "staged", false, "list staged users")
			fs.StringVar(&filter, "filter", "", "QRadar filter expression, passed as-is")
			fs.StringVar(&sort, "sort", "", "sort, e.g. +username")
			fs.IntVar(&pageSize, "page-size", client.DefaultPageSize, "items per Range page")
			return noArgs
		},
		run: func(ctx context.Context, c *client.Client, p *printer) error {
			opts := &client.ListOptions{Sort: sort, PageSize: pageSize}
			if filter != "" {
				opts.Filter = client.RawFilter(filter)
			}
			seq := c.Users.List(ctx, opts)
			if staged {
				seq = c.StagedUsers.List(ctx, opts)
			}
			users, err := client.Collect(seq)
			if err != nil {
				return err
			}
			rows := make([][]string, len(users))
			for i, u := range users {
				rows[i] = []string{id(u.ID), u.Username, u.Email, id(u.UserRoleID), id(u.SecurityProfileID), optID(u.TenantID)}
			}
			return p.list(users, []string{"ID", "USERNAME", "EMAIL", "ROLE_ID", "PROFILE_ID", "TENANT_ID"}, rows)
		},
	}
}

func usersGet() *command {
	var staged bool
	var byID int64
	var username string
	return &command{
		name: "users get",
		flags: func(fs *flag.FlagSet) func([]string) error {
			fs.BoolVar(&staged, "staged", false, "read the staged user")
			fs.Int64Var(&byID, "id", 0, "user id instead of a username")
			return func(pos []string) error {
				if byID != 0 {
					return noArgs(pos)
				}
				return oneArg("USERNAME (or -id N)", &username)(pos)
			}
		},
		run: func(ctx context.Context, c *client.Client, p *printer) error {
			var u *client.User
			var err error
			switch {
			case byID != 0 && staged:
				u, err = c.StagedUsers.Get(ctx, byID)
			case byID != 0:
				u, err = c.Users.Get(ctx, byID)
			case staged:
				u, err = c.StagedUsers.ByUsername(ctx, username)
			default:
				u, err = c.Users.ByUsername(ctx, username)
			}
			if err != nil {
				return err
			}
			return p.user(u)
		},
	}
}

func usersProvision(env func(string) string) *command {
	var req client.ProvisionRequest
	return &command{
		name: "users provision",
		flags: func(fs *flag.FlagSet) func([]string) error {
			fs.StringVar(&req.RoleName, "role", "", "user role name (required)")
			fs.StringVar(&req.SecurityProfileName, "profile", "", "security profile name (required)")
			fs.StringVar(&req.Email, "email", "", "email address (required)")
			fs.StringVar(&req.Description, "description", "", "description")
			fs.StringVar(&req.LocaleID, "locale", "", "locale id, e.g. en_US")
			fs.StringVar(&req.Password, "initial-password", "", "the new user's password (prefer QRADAR_NEW_USER_PASSWORD)")
			return func(pos []string) error {
				if err := oneArg("USERNAME", &req.Username)(pos); err != nil {
					return err
				}
				if req.RoleName == "" || req.SecurityProfileName == "" || req.Email == "" {
					return usagef("users provision needs -role, -profile and -email")
				}
				return nil
			}
		},
		run: func(ctx context.Context, c *client.Client, p *printer) error {
			if req.Password == "" {
				req.Password = env("QRADAR_NEW_USER_PASSWORD")
			}
			u, err := c.ProvisionUser(ctx, req)
			if err != nil {
				return err
			}
			return p.user(u)
		},
	}
}

func usersSetRole() *command {
	var username, role string
	return &command{
		name: "users set-role",
		flags: func(fs *flag.FlagSet) func([]string) error {
			return func(pos []string) error {
				if len(pos) != 2 || pos[0] == "" || pos[1] == "" {
					return usagef("users set-role needs USERNAME and ROLE")
				}
				username, role = pos[0], pos[1]
				return nil
			}
		},
		run: func(ctx context.Context, c *client.Client, p *printer) error {
			u, err := c.ChangeRole(ctx, username, role)
			if err != nil {
				return err
			}
			return p.user(u)
		},
	}
}

func usersDeprovision() *command {
	var username string
	var labels stringList
	var createdBy bool
	return &command{
		name: "users deprovision",
		flags: func(fs *flag.FlagSet) func([]string) error {
			fs.Var(&labels, "revoke-label", "also revoke the authorized service with this label (repeatable)")
			fs.BoolVar(&createdBy, "revoke-created", false, "also revoke authorized services the user created")
			return oneArg("USERNAME", &username)
		},
		run: func(ctx context.Context, c *client.Client, p *printer) error {
			res, err := c.DeprovisionUser(ctx, username, client.DeprovisionOptions{
				RevokeServiceLabels: labels, RevokeServicesCreatedByUser: createdBy,
			})
			if err != nil {
				return err
			}
			if p.json {
				return p.jsonOut(res)
			}
			p.linef("deleted user %s (id %d); delete task %d %s", res.User.Username, res.User.ID, res.Task.ID, res.Task.Status)
			for _, s := range res.RevokedServices {
				p.linef("revoked authorized service %s (id %d)", s.Label, s.ID)
			}
			return nil
		},
	}
}

func rolesList() *command {
	return &command{
		name:  "roles list",
		flags: func(*flag.FlagSet) func([]string) error { return noArgs },
		run: func(ctx context.Context, c *client.Client, p *printer) error {
			roles, err := client.Collect(c.Roles.List(ctx, nil))
			if err != nil {
				return err
			}
			rows := make([][]string, len(roles))
			for i, r := range roles {
				rows[i] = []string{id(r.ID), r.Name, strconv.Itoa(len(r.Capabilities))}
			}
			return p.list(roles, []string{"ID", "NAME", "CAPABILITIES"}, rows)
		},
	}
}

func profilesList() *command {
	return &command{
		name:  "profiles list",
		flags: func(*flag.FlagSet) func([]string) error { return noArgs },
		run: func(ctx context.Context, c *client.Client, p *printer) error {
			profiles, err := client.Collect(c.SecurityProfiles.List(ctx, nil))
			if err != nil {
				return err
			}
			rows := make([][]string, len(profiles))
			for i, sp := range profiles {
				domains := make([]string, len(sp.DomainIDs))
				for j, d := range sp.DomainIDs {
					domains[j] = id(d)
				}
				rows[i] = []string{id(sp.ID), sp.Name, strings.Join(domains, ",")}
			}
			return p.list(profiles, []string{"ID", "NAME", "DOMAIN_IDS"}, rows)
		},
	}
}

func servicesList() *command {
	return &command{
		name:  "services list",
		flags: func(*flag.FlagSet) func([]string) error { return noArgs },
		run: func(ctx context.Context, c *client.Client, p *printer) error {
			services, err := client.Collect(c.AuthorizedServices.List(ctx, nil))
			if err != nil {
				return err
			}
			rows := make([][]string, len(services))
			for i, s := range services {
				rows[i] = []string{id(s.ID), s.Label, s.CreatedBy, id(s.UserRoleID), id(s.SecurityProfileID),
					stamp(&s.CreationDate, "-"), stamp(s.ExpirationDate, "never"), stamp(s.LastUsedDate, "never")}
			}
			return p.list(services, []string{"ID", "LABEL", "CREATED_BY", "ROLE_ID", "PROFILE_ID", "CREATED", "EXPIRES", "LAST_USED"}, rows)
		},
	}
}

func servicesCreate() *command {
	var label, role, profile, expires string
	return &command{
		name: "services create",
		flags: func(fs *flag.FlagSet) func([]string) error {
			fs.StringVar(&label, "label", "", "label (required)")
			fs.StringVar(&role, "role", "", "user role name")
			fs.StringVar(&profile, "profile", "", "security profile name")
			fs.StringVar(&expires, "expires", "", "expiry time, RFC 3339 (default: never)")
			return func(pos []string) error {
				if err := noArgs(pos); err != nil {
					return err
				}
				if label == "" {
					return usagef("services create needs -label")
				}
				if expires != "" {
					if _, err := time.Parse(time.RFC3339, expires); err != nil {
						return usagef("-expires %q is not an RFC 3339 time such as 2030-01-02T15:04:05Z", expires)
					}
				}
				return nil
			}
		},
		run: func(ctx context.Context, c *client.Client, p *printer) error {
			req := client.AuthorizedServiceCreate{Label: label}
			if role != "" {
				r, err := c.Roles.ByName(ctx, role)
				if err != nil {
					return err
				}
				req.UserRoleID = &r.ID
			}
			if profile != "" {
				sp, err := c.SecurityProfiles.ByName(ctx, profile)
				if err != nil {
					return err
				}
				req.SecurityProfileID = &sp.ID
			}
			if expires != "" {
				t, _ := time.Parse(time.RFC3339, expires)
				req.ExpirationDate = new(client.Millis(t.UnixMilli()))
			}
			s, err := c.AuthorizedServices.Create(ctx, req)
			if err != nil {
				return err
			}
			fmt.Fprintln(p.stderr, "qradarctl: store the token now; QRadar never shows it again.")
			if p.json {
				return p.jsonOut(s)
			}
			return p.kv([][2]string{
				{"id", id(s.ID)}, {"label", s.Label}, {"token", s.Token}, {"created_by", s.CreatedBy},
				{"user_role_id", id(s.UserRoleID)}, {"security_profile_id", id(s.SecurityProfileID)},
				{"expiration_date", stamp(s.ExpirationDate, "never")},
			})
		},
	}
}

func servicesRevoke() *command {
	var label string
	var byID int64
	return &command{
		name: "services revoke",
		flags: func(fs *flag.FlagSet) func([]string) error {
			fs.Int64Var(&byID, "id", 0, "authorized service id instead of a label")
			return func(pos []string) error {
				if byID != 0 {
					return noArgs(pos)
				}
				return oneArg("LABEL (or -id N)", &label)(pos)
			}
		},
		run: func(ctx context.Context, c *client.Client, p *printer) error {
			target := client.AuthorizedService{ID: byID}
			if byID == 0 {
				s, err := c.AuthorizedServices.ByLabel(ctx, label)
				if err != nil {
					return err
				}
				target = *s
			}
			if err := c.AuthorizedServices.Delete(ctx, target.ID); err != nil {
				return err
			}
			if p.json {
				return p.jsonOut(map[string]any{"revoked": target.ID, "label": target.Label})
			}
			if target.Label != "" {
				p.linef("revoked authorized service %s (id %d)", target.Label, target.ID)
			} else {
				p.linef("revoked authorized service %d", target.ID)
			}
			return nil
		},
	}
}

func deployCmd() *command {
	var typ string
	return &command{
		name: "deploy",
		flags: func(fs *flag.FlagSet) func([]string) error {
			fs.StringVar(&typ, "type", string(client.DeployIncremental), "INCREMENTAL or FULL")
			return func(pos []string) error {
				typ = strings.ToUpper(typ)
				if typ != string(client.DeployIncremental) && typ != string(client.DeployFull) {
					return usagef("-type must be INCREMENTAL or FULL, not %q", typ)
				}
				return noArgs(pos)
			}
		},
		run: func(ctx context.Context, c *client.Client, p *printer) error {
			st, err := c.Deploy.Start(ctx, client.DeployType(typ))
			var apiErr *client.APIError
			switch {
			case errors.As(err, &apiErr) && errors.Is(err, client.ErrConflict):
				fmt.Fprintf(p.stderr, "qradarctl: nothing to deploy, or a deploy is already running: %s\n", apiErr.Message)
				st, err = c.Deploy.Wait(ctx, nil)
			case err == nil && st.Status != client.DeployComplete:
				st, err = c.Deploy.Wait(ctx, nil)
			}
			if err != nil {
				return err
			}
			if p.json {
				return p.jsonOut(st)
			}
			p.linef("deploy %s (%d%%)", st.Status, st.PercentComplete)
			return nil
		},
	}
}
