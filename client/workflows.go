package client

import (
	"context"
	"errors"
	"fmt"
)

// ProvisionRequest describes a user for ProvisionUser. Role and security profile are
// given by name and resolved to ids first.
type ProvisionRequest struct {
	Username            string // required
	Password            string // required unless the Console authenticates users elsewhere (LDAP, …)
	Email               string // required: the Console rejects a user without one (422, code 38302012)
	RoleName            string // required, e.g. "Analyst"
	SecurityProfileName string // required, e.g. "Default"
	Description         string
	LocaleID            string
	TenantID            *int64
}

// ProvisionUser creates a user and returns it as deployed. It resolves RoleName and
// SecurityProfileName to ids (a miss is a *NameNotFoundError listing what exists),
// then, on IBM's documented surface, creates the user in staging, deploys, waits for
// the deploy and reads the deployed user back. In vendor-note mode it posts the user
// to /api/config/access/users, which creates and deploys at once.
func (c *Client) ProvisionUser(ctx context.Context, req ProvisionRequest) (*User, error) {
	switch {
	case req.Username == "":
		return nil, errors.New("provision: Username is required")
	case req.Email == "":
		return nil, fmt.Errorf("provision %s: Email is required", req.Username)
	case req.RoleName == "":
		return nil, errors.New("provision: RoleName is required")
	case req.SecurityProfileName == "":
		return nil, errors.New("provision: SecurityProfileName is required")
	}
	role, err := c.Roles.ByName(ctx, req.RoleName)
	if err != nil {
		return nil, fmt.Errorf("provision %s: %w", req.Username, err)
	}
	profile, err := c.SecurityProfiles.ByName(ctx, req.SecurityProfileName)
	if err != nil {
		return nil, fmt.Errorf("provision %s: %w", req.Username, err)
	}
	if c.vendorNote {
		u, err := c.Users.Create(ctx, UserCreate{
			Username: req.Username, Password: req.Password, Email: req.Email,
			Description: req.Description, LocaleID: req.LocaleID, TenantID: req.TenantID,
			UserRole: Ref{ID: role.ID}, SecurityProfile: Ref{ID: profile.ID},
		})
		if err != nil {
			return nil, fmt.Errorf("provision %s: %w", req.Username, err)
		}
		return u, nil
	}
	staged, err := c.StagedUsers.Create(ctx, StagedUserCreate{
		Username: req.Username, Password: req.Password, Email: req.Email,
		Description: req.Description, LocaleID: req.LocaleID, TenantID: req.TenantID,
		UserRoleID: role.ID, SecurityProfileID: profile.ID,
	})
	if err != nil {
		return nil, fmt.Errorf("provision %s: create in staging: %w", req.Username, err)
	}
	if _, err := c.Deploy.StartAndWait(ctx, DeployIncremental, nil); err != nil {
		return nil, fmt.Errorf("provision %s: user %d staged but not deployed: %w", req.Username, staged.ID, err)
	}
	u, err := c.Users.Get(ctx, staged.ID)
	if err != nil {
		return nil, fmt.Errorf("provision %s: reading deployed user %d: %w", req.Username, staged.ID, err)
	}
	return u, nil
}

// ChangeRole gives the deployed user username the role roleName and returns the user
// afterwards. On IBM's documented surface it updates user_role_id in staging, deploys
// and waits; in vendor-note mode it posts {"user_role":{"id":N}} to
// /api/config/access/users/{id}, which applies at once.
func (c *Client) ChangeRole(ctx context.Context, username, roleName string) (*User, error) {
	u, err := c.Users.ByUsername(ctx, username)
	if err != nil {
		return nil, fmt.Errorf("change role of %s: %w", username, err)
	}
	role, err := c.Roles.ByName(ctx, roleName)
	if err != nil {
		return nil, fmt.Errorf("change role of %s: %w", username, err)
	}
	if c.vendorNote {
		out, err := c.Users.Update(ctx, u.ID, UserUpdate{UserRole: &Ref{ID: role.ID}})
		if err != nil {
			return nil, fmt.Errorf("change role of %s: %w", username, err)
		}
		return out, nil
	}
	if _, err := c.StagedUsers.Update(ctx, u.ID, StagedUserUpdate{UserRoleID: &role.ID}); err != nil {
		return nil, fmt.Errorf("change role of %s: staged update: %w", username, err)
	}
	if _, err := c.Deploy.StartAndWait(ctx, DeployIncremental, nil); err != nil {
		return nil, fmt.Errorf("change role of %s: staged but not deployed: %w", username, err)
	}
	out, err := c.Users.Get(ctx, u.ID)
	if err != nil {
		return nil, fmt.Errorf("change role of %s: reading deployed user: %w", username, err)
	}
	return out, nil
}

// DeprovisionOptions selects the authorized services DeprovisionUser revokes once the
// user is gone. QRadar does not revoke them itself.
type DeprovisionOptions struct {
	// RevokeServiceLabels names services by exact label. Every label must exist; they
	// are all checked before the user is deleted.
	RevokeServiceLabels []string
	// RevokeServicesCreatedByUser also revokes every service whose created_by is the
	// username.
	RevokeServicesCreatedByUser bool
}

// DeprovisionResult reports what DeprovisionUser did.
type DeprovisionResult struct {
	User            User                // the user as it was before deletion
	Task            *Task               // the finished delete task
	RevokedServices []AuthorizedService // services revoked, in order
}

// DeprovisionUser deletes the user username and confirms it is gone: it finds the id
// with the filter username="…", resolves the services to revoke (failing before any
// change if a label is unknown), deletes the user, waits for the delete task to be
// COMPLETED, confirms GET /api/config/access/users/{id} answers 404 (on the documented
// surface it deploys once if the user is still visible) and finally revokes the
// selected authorized services. On error the result holds what was done so far.
func (c *Client) DeprovisionUser(ctx context.Context, username string, opts DeprovisionOptions) (*DeprovisionResult, error) {
	wrap := func(err error) error { return fmt.Errorf("deprovision %s: %w", username, err) }
	u, err := c.Users.ByUsername(ctx, username)
	if err != nil {
		return nil, wrap(err)
	}
	res := &DeprovisionResult{User: *u}
	revoke, err := c.servicesToRevoke(ctx, username, opts)
	if err != nil {
		return res, wrap(err)
	}

	var task *Task
	if c.vendorNote {
		task, err = c.Users.Delete(ctx, u.ID)
	} else {
		task, err = c.StagedUsers.Delete(ctx, u.ID)
	}
	if err != nil {
		return res, wrap(err)
	}
	res.Task = task
	if !task.Status.Terminal() {
		task, err = c.Tasks.WaitUserDeleteTask(ctx, task.PollID(), nil)
		if task != nil {
			res.Task = task
		}
		if err != nil {
			return res, wrap(err)
		}
	} else if task.Status != TaskCompleted {
		return res, wrap(&TaskError{Task: task})
	}

	gone, err := c.userGone(ctx, u.ID)
	if err == nil && !gone && !c.vendorNote {
		// Whether the deployed user disappears before a deploy is not documented.
		if _, err = c.Deploy.StartAndWait(ctx, DeployIncremental, nil); err == nil {
			gone, err = c.userGone(ctx, u.ID)
		}
	}
	if err != nil {
		return res, wrap(fmt.Errorf("confirming deletion: %w", err))
	}
	if !gone {
		return res, wrap(fmt.Errorf("delete task %d completed but user %d is still present", res.Task.ID, u.ID))
	}

	for _, s := range revoke {
		if err := c.AuthorizedServices.Delete(ctx, s.ID); err != nil && !errors.Is(err, ErrNotFound) {
			return res, wrap(fmt.Errorf("revoking authorized service %q (%d): %w", s.Label, s.ID, err))
		}
		res.RevokedServices = append(res.RevokedServices, s)
	}
	return res, nil
}

func (c *Client) userGone(ctx context.Context, id int64) (bool, error) {
	_, err := c.Users.Get(ctx, id)
	switch {
	case errors.Is(err, ErrNotFound):
		return true, nil
	case err != nil:
		return false, err
	}
	return false, nil
}

func (c *Client) servicesToRevoke(ctx context.Context, username string, opts DeprovisionOptions) ([]AuthorizedService, error) {
	if len(opts.RevokeServiceLabels) == 0 && !opts.RevokeServicesCreatedByUser {
		return nil, nil
	}
	all, err := Collect(c.AuthorizedServices.List(ctx, nil))
	if err != nil {
		return nil, fmt.Errorf("listing authorized services: %w", err)
	}
	byLabel := make(map[string]AuthorizedService, len(all))
	labels := make([]string, 0, len(all))
	for _, s := range all {
		byLabel[s.Label] = s
		labels = append(labels, s.Label)
	}
	var out []AuthorizedService
	seen := map[int64]bool{}
	for _, l := range opts.RevokeServiceLabels {
		s, ok := byLabel[l]
		if !ok {
			return nil, notFoundAmong("authorized service", l, labels)
		}
		if !seen[s.ID] {
			seen[s.ID] = true
			out = append(out, s)
		}
	}
	if opts.RevokeServicesCreatedByUser {
		for _, s := range all {
			if s.CreatedBy == username && !seen[s.ID] {
				seen[s.ID] = true
				out = append(out, s)
			}
		}
	}
	return out, nil
}
