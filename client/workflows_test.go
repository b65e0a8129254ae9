package client_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/client"
)

type surface struct {
	name string
	opts []client.Option
}

var surfaces = []surface{
	{"documented", nil},
	{"vendor-note", []client.Option{client.WithVendorNoteMode()}},
}

func connect(t *testing.T, console *standIn, extra ...client.Option) *client.Client {
	t.Helper()
	opts := append([]client.Option{
		client.WithSECToken(console.Token),
		client.WithCACertPEM(console.CACertPEM()),
		client.WithSleepFunc(console.Sleep),
	}, extra...)
	c, err := client.New(console.URL, opts...)
	require.NoError(t, err)
	return c
}

func startStandIn(t *testing.T) *standIn {
	t.Helper()
	s := newStandIn()
	t.Cleanup(s.Close)
	return s
}

func hasRequest(journal []string, req string) bool { return slices.Contains(journal, req) }

func TestProvisionUser(t *testing.T) {
	t.Parallel()
	for _, sf := range surfaces {
		t.Run(sf.name, func(t *testing.T) {
			t.Parallel()
			console := startStandIn(t)
			var events []client.PollEvent
			c := connect(t, console, append(sf.opts, client.WithProgress(func(e client.PollEvent) { events = append(events, e) }))...)
			ctx := context.Background()

			u, err := c.ProvisionUser(ctx, client.ProvisionRequest{
				Username: "jdoe", Password: "P@ssw0rd!", Email: "jdoe@example.com",
				RoleName: "Analyst", SecurityProfileName: "SOC Team",
			})
			require.NoError(t, err)
			assert.Equal(t, "jdoe", u.Username)
			assert.Equal(t, int64(2), u.UserRoleID)
			assert.Equal(t, int64(3), u.SecurityProfileID)

			deployed, err := c.Users.ByUsername(ctx, "jdoe")
			require.NoError(t, err, "the user is deployed when ProvisionUser returns")
			assert.Equal(t, u.ID, deployed.ID)

			j := console.Journal()
			if sf.name == "documented" {
				assert.True(t, hasRequest(j, "GET /api/config/access/user_roles"))
				assert.True(t, hasRequest(j, "POST /api/staged_config/access/users"))
				assert.True(t, hasRequest(j, "POST /api/staged_config/deploy_status"))
				assert.False(t, hasRequest(j, "POST /api/config/access/users"))
				require.NotEmpty(t, events, "deploy progress is reported")
				assert.Equal(t, "deploy", events[0].Kind)
				assert.True(t, events[len(events)-1].Done)
			} else {
				assert.True(t, hasRequest(j, "GET /api/config/access/roles"))
				assert.True(t, hasRequest(j, "POST /api/config/access/users"))
				assert.False(t, hasRequest(j, "POST /api/staged_config/deploy_status"))
				require.NotNil(t, u.UserRole)
				assert.Equal(t, "Analyst", u.UserRole.Name)
			}
		})
	}
}

func TestProvisionUser_UnknownNamesListWhatExists(t *testing.T) {
	t.Parallel()
	console := startStandIn(t)
	c := connect(t, console)
	ctx := context.Background()

	_, err := c.ProvisionUser(ctx, client.ProvisionRequest{Username: "x", RoleName: "Analist", SecurityProfileName: "Default"})
	require.ErrorIs(t, err, client.ErrNotFound)
	assert.Contains(t, err.Error(), `user role "Analist" not found; available: "Admin", "Analyst", "Reader"`)

	_, err = c.ProvisionUser(ctx, client.ProvisionRequest{Username: "x", RoleName: "Analyst", SecurityProfileName: "SOC"})
	require.ErrorIs(t, err, client.ErrNotFound)
	assert.Contains(t, err.Error(), `security profile "SOC" not found; available: "Admin", "Default", "SOC Team"`)

	for _, j := range console.Journal() {
		assert.False(t, strings.HasPrefix(j, "POST"), "nothing is created when a name is wrong: %s", j)
	}

	_, err = c.ProvisionUser(ctx, client.ProvisionRequest{RoleName: "Analyst", SecurityProfileName: "Default"})
	require.ErrorContains(t, err, "Username is required")
}

func TestProvisionUser_DuplicateIsAConflict(t *testing.T) {
	t.Parallel()
	console := startStandIn(t)
	c := connect(t, console)
	_, err := c.ProvisionUser(context.Background(), client.ProvisionRequest{Username: "admin", RoleName: "Admin", SecurityProfileName: "Admin"})
	require.ErrorIs(t, err, client.ErrConflict)
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 38302002, apiErr.Code)
}

func TestChangeRole(t *testing.T) {
	t.Parallel()
	for _, sf := range surfaces {
		t.Run(sf.name, func(t *testing.T) {
			t.Parallel()
			console := startStandIn(t)
			c := connect(t, console, sf.opts...)
			ctx := context.Background()
			_, err := c.ProvisionUser(ctx, client.ProvisionRequest{Username: "jdoe", Password: "pw", RoleName: "Reader", SecurityProfileName: "Default"})
			require.NoError(t, err)

			u, err := c.ChangeRole(ctx, "jdoe", "Analyst")
			require.NoError(t, err)
			assert.Equal(t, int64(2), u.UserRoleID)

			again, err := c.Users.ByUsername(ctx, "jdoe")
			require.NoError(t, err)
			assert.Equal(t, int64(2), again.UserRoleID, "the deployed user has the new role")

			j := console.Journal()
			staged := "POST /api/staged_config/access/users/" + itoa64(u.ID)
			direct := "POST /api/config/access/users/" + itoa64(u.ID)
			if sf.name == "documented" {
				assert.True(t, hasRequest(j, staged))
				assert.False(t, hasRequest(j, direct))
			} else {
				assert.True(t, hasRequest(j, direct))
				assert.False(t, hasRequest(j, staged))
			}
		})
	}
}

func TestChangeRole_UnknownUserOrRole(t *testing.T) {
	t.Parallel()
	console := startStandIn(t)
	c := connect(t, console)
	_, err := c.ChangeRole(context.Background(), `nobody" or username="admin`, "Analyst")
	require.ErrorIs(t, err, client.ErrNotFound)
	var nf *client.NameNotFoundError
	require.ErrorAs(t, err, &nf)
	assert.Equal(t, "user", nf.Kind)

	_, err = c.ChangeRole(context.Background(), "admin", "Root")
	require.ErrorAs(t, err, &nf)
	assert.Equal(t, "user role", nf.Kind)
}

func TestDeprovisionUser(t *testing.T) {
	t.Parallel()
	for _, sf := range surfaces {
		t.Run(sf.name, func(t *testing.T) {
			t.Parallel()
			console := startStandIn(t)
			var events []client.PollEvent
			c := connect(t, console, append(sf.opts, client.WithProgress(func(e client.PollEvent) { events = append(events, e) }))...)
			ctx := context.Background()
			u, err := c.ProvisionUser(ctx, client.ProvisionRequest{Username: "jsmith", Password: "pw", RoleName: "Analyst", SecurityProfileName: "Default"})
			require.NoError(t, err)
			ciID := console.addService("jsmith-ci", "admin")
			ownID := console.addService("jsmith-laptop", "jsmith")
			keepID := console.addService("other", "admin")
			events = nil

			res, err := c.DeprovisionUser(ctx, "jsmith", client.DeprovisionOptions{
				RevokeServiceLabels:         []string{"jsmith-ci"},
				RevokeServicesCreatedByUser: true,
			})
			require.NoError(t, err)
			assert.Equal(t, u.ID, res.User.ID)
			require.NotNil(t, res.Task)
			assert.Equal(t, client.TaskCompleted, res.Task.Status)
			var revoked []int64
			for _, s := range res.RevokedServices {
				revoked = append(revoked, s.ID)
			}
			assert.Equal(t, []int64{ciID, ownID}, revoked)

			_, err = c.Users.Get(ctx, u.ID)
			require.ErrorIs(t, err, client.ErrNotFound)
			left, err := client.Collect(c.AuthorizedServices.List(ctx, nil))
			require.NoError(t, err)
			require.Len(t, left, 1)
			assert.Equal(t, keepID, left[0].ID)

			require.NotEmpty(t, events)
			assert.Equal(t, "user delete task", events[0].Kind)
			assert.GreaterOrEqual(t, events[0].Elapsed, client.MinPollInterval)

			j := console.Journal()
			if sf.name == "documented" {
				assert.True(t, hasRequest(j, "DELETE /api/staged_config/access/users/"+itoa64(u.ID)))
				assert.True(t, hasRequest(j, "GET /api/staged_config/access/user_delete_tasks/"+itoa64(res.Task.ID)))
			} else {
				assert.True(t, hasRequest(j, "DELETE /api/config/access/users/"+itoa64(u.ID)))
				assert.True(t, hasRequest(j, "GET /api/config/access/users/delete_tasks/"+itoa64(res.Task.ID)))
			}
		})
	}
}

func TestDeprovisionUser_UnknownLabelChangesNothing(t *testing.T) {
	t.Parallel()
	console := startStandIn(t)
	console.addService("ci", "admin")
	c := connect(t, console)
	ctx := context.Background()
	_, err := c.ProvisionUser(ctx, client.ProvisionRequest{Username: "jsmith", Password: "pw", RoleName: "Analyst", SecurityProfileName: "Default"})
	require.NoError(t, err)

	_, err = c.DeprovisionUser(ctx, "jsmith", client.DeprovisionOptions{RevokeServiceLabels: []string{"cii"}})
	require.ErrorIs(t, err, client.ErrNotFound)
	assert.Contains(t, err.Error(), `authorized service "cii" not found; available: "ci"`)
	_, err = c.Users.ByUsername(ctx, "jsmith")
	require.NoError(t, err, "the user was not deleted")
}

func TestDeprovisionUser_TaskConflict(t *testing.T) {
	t.Parallel()
	console := startStandIn(t)
	c := connect(t, console)
	ctx := context.Background()
	_, err := c.ProvisionUser(ctx, client.ProvisionRequest{Username: "owner", Password: "pw", RoleName: "Analyst", SecurityProfileName: "Default"})
	require.NoError(t, err)
	console.failDeletesOf("owner")

	res, err := c.DeprovisionUser(ctx, "owner", client.DeprovisionOptions{})
	require.ErrorIs(t, err, client.ErrTaskFailed)
	require.NotNil(t, res)
	assert.Equal(t, client.TaskConflict, res.Task.Status)
	_, err = c.Users.ByUsername(ctx, "owner")
	require.NoError(t, err, "a conflicting delete leaves the user in place")
}

func TestDeprovisionUser_UnknownUser(t *testing.T) {
	t.Parallel()
	console := startStandIn(t)
	c := connect(t, console)
	_, err := c.DeprovisionUser(context.Background(), "ghost", client.DeprovisionOptions{})
	require.ErrorIs(t, err, client.ErrNotFound)
	assert.Contains(t, err.Error(), `user "ghost" not found`)
}

func itoa64(i int64) string { return strconv.FormatInt(i, 10) }
