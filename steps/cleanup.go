package steps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/fakeqradar/fakeqradar/client"
)

// cleanup removes what the scenario created, whatever its outcome: it
// clears injected faults, revokes its authorized services and deletes its
// users, waiting for their delete tasks.
func (sc *scenario) cleanup(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sc.suite.cfg.WaitTimeout+requestTimeout)
	defer cancel()
	var errs []error
	if sc.faulted {
		if err := sc.conn.setDeleteTaskOutcome(ctx, ""); err != nil {
			errs = append(errs, fmt.Errorf("clearing the delete task fault: %w", err))
		}
	}
	for _, label := range sc.createdServices {
		if err := revokeService(ctx, sc.admin, label); err != nil {
			errs = append(errs, err)
		}
	}
	// A delete the scenario started may still be running: let it finish.
	if sc.task != nil && !sc.task.Status.Terminal() && !sc.taskEnded && sc.taskClient != nil {
		_, _ = sc.taskClient.Tasks.WaitUserDeleteTask(ctx, sc.task.PollID(), nil)
	}
	var users []client.User
	seen := map[int64]bool{}
	for _, name := range sc.createdUsers {
		for _, u := range findUsers(ctx, sc.admin, client.Eq("username", name), &errs) {
			if u.Username == name && !seen[u.ID] {
				seen[u.ID] = true
				users = append(users, u)
			}
		}
	}
	if err := removeUsers(ctx, sc.admin, users); err != nil {
		errs = append(errs, err)
	}
	return joinErrs(errs)
}

// findUsers lists staged and deployed users matching f, staged first.
func findUsers(ctx context.Context, c *client.Client, f client.Filter, errs *[]error) []client.User {
	opts := &client.ListOptions{Filter: f}
	staged, err := client.Collect(c.StagedUsers.List(ctx, opts))
	if err != nil {
		*errs = append(*errs, fmt.Errorf("listing staged users (%s): %w", f, err))
	}
	deployed, err := client.Collect(c.Users.List(ctx, opts))
	if err != nil {
		*errs = append(*errs, fmt.Errorf("listing deployed users (%s): %w", f, err))
	}
	return append(staged, deployed...)
}

// revokeService deletes the authorized service with this label, if any.
func revokeService(ctx context.Context, c *client.Client, label string) error {
	svcs, err := client.Collect(c.AuthorizedServices.List(ctx, &client.ListOptions{Filter: client.Eq("label", label)}))
	if err != nil {
		return fmt.Errorf("looking up the authorized service %s: %w", label, err)
	}
	for _, s := range svcs {
		if s.Label != label {
			continue
		}
		if err := c.AuthorizedServices.Delete(ctx, s.ID); err != nil && !errors.Is(err, client.ErrNotFound) {
			return fmt.Errorf("revoking the authorized service %s (%d): %w", label, s.ID, err)
		}
	}
	return nil
}

// removeUsers deletes users in staging, waits for every delete task and,
// if a deleted user is still deployed afterwards, deploys once.
func removeUsers(ctx context.Context, c *client.Client, users []client.User) error {
	var errs []error
	var tasks []*client.Task
	var deleted []client.User
	for _, u := range users {
		t, err := c.StagedUsers.Delete(ctx, u.ID)
		switch {
		case errors.Is(err, client.ErrNotFound):
			continue
		case err != nil:
			errs = append(errs, fmt.Errorf("deleting the user %s (%d): %w", u.Username, u.ID, err))
			continue
		}
		tasks = append(tasks, t)
		deleted = append(deleted, u)
	}
	for i, t := range tasks {
		if t.Status.Terminal() && t.Status == client.TaskCompleted {
			continue
		}
		if _, err := c.Tasks.WaitUserDeleteTask(ctx, t.PollID(), nil); err != nil {
			errs = append(errs, fmt.Errorf("deleting the user %s: %w", deleted[i].Username, err))
		}
	}
	var still []string
	for _, u := range deleted {
		if present(ctx, c, u.ID) {
			still = append(still, u.Username)
		}
	}
	if len(still) > 0 {
		// Whether a deleted user leaves the deployed configuration before a
		// deploy is not documented; deploy once and look again.
		if _, err := c.Deploy.StartAndWait(ctx, client.DeployIncremental, nil); err != nil {
			errs = append(errs, fmt.Errorf("deploying the deletion of %s: %w", strings.Join(still, ", "), err))
		} else {
			var left []string
			for _, u := range deleted {
				if present(ctx, c, u.ID) {
					left = append(left, u.Username)
				}
			}
			if len(left) > 0 {
				errs = append(errs, fmt.Errorf("deleted users are still deployed: %s", strings.Join(left, ", ")))
			}
		}
	}
	return joinErrs(errs)
}

func present(ctx context.Context, c *client.Client, id int64) bool {
	_, err := c.Users.Get(ctx, id)
	return err == nil
}

// sweep removes every user and authorized service whose name starts with
// the run prefix from a shared Console: whatever a scenario's After hook
// could not remove. In-process fakes vanish with their scenario.
func (s *Suite) sweep(ctx context.Context) error {
	if s.remote == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.WaitTimeout+requestTimeout)
	defer cancel()
	sc := &scenario{suite: s}
	c, err := s.connect()
	if err != nil {
		return err
	}
	sc.conn = c
	sc.rec = &recorder{base: c.transport}
	sc.httpClient = &http.Client{Transport: sc.rec}
	primary := credentials{token: c.token, user: c.user, pass: c.pass, basic: c.token == ""}
	admin, err := sc.newClient(primary, s.cfg.Version, false)
	if err != nil {
		return err
	}
	var errs []error
	like := s.cfg.Prefix + "%"
	var names []string
	svcs, err := client.Collect(admin.AuthorizedServices.List(ctx, &client.ListOptions{Filter: client.Like("label", like)}))
	if err != nil {
		errs = append(errs, fmt.Errorf("listing authorized services: %w", err))
	}
	for _, sv := range svcs {
		if !strings.HasPrefix(sv.Label, s.cfg.Prefix) {
			continue
		}
		names = append(names, "service "+sv.Label)
		if err := admin.AuthorizedServices.Delete(ctx, sv.ID); err != nil && !errors.Is(err, client.ErrNotFound) {
			errs = append(errs, fmt.Errorf("revoking %s: %w", sv.Label, err))
		}
	}
	var users []client.User
	seen := map[int64]bool{}
	for _, u := range findUsers(ctx, admin, client.Like("username", like), &errs) {
		if strings.HasPrefix(u.Username, s.cfg.Prefix) && !seen[u.ID] {
			seen[u.ID] = true
			users = append(users, u)
			names = append(names, "user "+u.Username)
		}
	}
	if err := removeUsers(ctx, admin, users); err != nil {
		errs = append(errs, err)
	}
	sort.Strings(names)
	switch {
	case len(names) == 0 && len(errs) == 0:
		fmt.Fprintf(s.cfg.Log, "sweep: nothing named %s* was left behind\n", s.cfg.Prefix)
	case len(errs) == 0:
		fmt.Fprintf(s.cfg.Log, "sweep: removed what scenarios left behind: %s\n", strings.Join(names, ", "))
	default:
		fmt.Fprintf(s.cfg.Log, "sweep: could not remove everything named %s*:\n%v\n", s.cfg.Prefix, joinErrs(errs))
	}
	return joinErrs(errs)
}
