package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
	"github.com/fakeqradar/fakeqradar/fixtures"
)

func init() { store.PasswordIterations = 1000 }

func seeded(t *testing.T, path string) *store.Store {
	t.Helper()
	s, err := store.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	empty, err := s.Empty(context.Background())
	require.NoError(t, err)
	if empty {
		require.NoError(t, s.Seed(context.Background(), fixtures.Default(), "admin-token", 1000))
	}
	return s
}

func TestMigrationsRunOnceAndPersist(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.db")
	s := seeded(t, path)
	ctx := context.Background()
	id, err := s.CreateUser(ctx, store.User{Username: "kept", UserRoleID: 2, SecurityProfileID: 1, Pending: true})
	require.NoError(t, err)
	require.NoError(t, s.Close())

	s2, err := store.Open(path)
	require.NoError(t, err)
	defer s2.Close()
	var version int
	require.NoError(t, s2.DB().QueryRow("PRAGMA user_version").Scan(&version))
	assert.Equal(t, 1, version)
	var mode string
	require.NoError(t, s2.DB().QueryRow("PRAGMA journal_mode").Scan(&mode))
	assert.Equal(t, "wal", mode)
	u, err := s2.GetUser(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "kept", u.Username)
	res, err := s2.IntegrityCheck(ctx)
	require.NoError(t, err)
	assert.Equal(t, "ok", res)
}

func TestPrivateInMemoryDatabases(t *testing.T) {
	a, b := seeded(t, ""), seeded(t, "")
	ctx := context.Background()
	_, err := a.CreateUser(ctx, store.User{Username: "only-in-a", UserRoleID: 2, SecurityProfileID: 1})
	require.NoError(t, err)
	_, err = b.UserByUsername(ctx, "only-in-a")
	assert.ErrorIs(t, err, store.ErrNotFound)
	_, err = a.UserByUsername(ctx, "only-in-a")
	assert.NoError(t, err)
}

func TestNamespaceSharedByUsersAndServices(t *testing.T) {
	s := seeded(t, "")
	ctx := context.Background()
	_, err := s.CreateUser(ctx, store.User{Username: "fakeqradar-admin", UserRoleID: 2, SecurityProfileID: 1})
	assert.ErrorIs(t, err, store.ErrNameTaken)
	_, err = s.CreateAuthorizedService(ctx, store.AuthorizedService{Label: "jdoe", TokenHash: store.TokenHash("x"), UserRoleID: 2, SecurityProfileID: 1})
	assert.ErrorIs(t, err, store.ErrNameTaken)
}

func TestSettleAppliesOnceInTimeOrder(t *testing.T) {
	s := seeded(t, "")
	ctx := context.Background()
	task, created, err := s.CreateTask(ctx, store.Task{Kind: "user_delete", UserID: 1001, Username: "jdoe", CreatedBy: "t", Created: 100, QueuedMS: 10, DurationMS: 50, Outcome: "COMPLETED", Surface: "documented"})
	require.NoError(t, err)
	require.True(t, created)
	_, created, err = s.CreateTask(ctx, store.Task{Kind: "user_delete", UserID: 1001, Username: "jdoe", CreatedBy: "t", Created: 120, DurationMS: 50, Outcome: "COMPLETED"})
	require.NoError(t, err)
	assert.False(t, created, "one running task per user")

	due, ok, err := s.NextDue(ctx)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, int64(150), due)

	require.NoError(t, s.Settle(ctx, 149))
	_, err = s.GetUser(ctx, 1001)
	require.NoError(t, err, "not due yet")
	require.NoError(t, s.Settle(ctx, 150))
	_, err = s.GetUser(ctx, 1001)
	assert.ErrorIs(t, err, store.ErrNotFound)
	got, err := s.GetTask(ctx, task.ID)
	require.NoError(t, err)
	assert.True(t, got.Applied)
	_, ok, err = s.NextDue(ctx)
	require.NoError(t, err)
	assert.False(t, ok)
}

func TestDeployLifecycle(t *testing.T) {
	s := seeded(t, "")
	ctx := context.Background()
	_, err := s.StartDeploy(ctx, store.Deploy{Type: "INCREMENTAL", InitiatedBy: "t", Created: 0, DurationMS: 10})
	assert.ErrorIs(t, err, store.ErrNothingToDeploy)
	role := int64(3)
	_, err = s.UpdateUser(ctx, 1001, store.UserChange{UserRoleID: &role})
	require.NoError(t, err)
	n, err := s.PendingUsers(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	_, err = s.StartDeploy(ctx, store.Deploy{Type: "INCREMENTAL", InitiatedBy: "t", Created: 0, DurationMS: 10})
	require.NoError(t, err)
	_, err = s.StartDeploy(ctx, store.Deploy{Type: "INCREMENTAL", InitiatedBy: "t", Created: 1, DurationMS: 10})
	assert.ErrorIs(t, err, store.ErrNothingToDeploy, "one deploy at a time")
	require.NoError(t, s.Settle(ctx, 10))
	u, err := s.GetUser(ctx, 1001)
	require.NoError(t, err)
	assert.Equal(t, int64(3), u.AsDeployed().UserRoleID)
	assert.False(t, u.Pending)
}

func TestPasswords(t *testing.T) {
	h, err := store.HashPassword("s3cret")
	require.NoError(t, err)
	assert.NotContains(t, h, "s3cret")
	assert.True(t, store.CheckPassword(h, "s3cret"))
	assert.False(t, store.CheckPassword(h, "s3cret!"))
	h2, _ := store.HashPassword("s3cret")
	assert.NotEqual(t, h, h2, "salted")
	for _, bad := range []string{"", "x", "pbkdf2-sha256$0$00$00", "pbkdf2-sha256$99999999999$00$00", "pbkdf2-sha256$10$zz$00"} {
		assert.False(t, store.CheckPassword(bad, "s3cret"), bad)
	}
}

// The in-memory user cache always agrees with SQL: after every kind of
// write, the cached list (no filter) equals the SQL list (a filter that
// matches everything), for all users and for deployed ones.
func TestUserCacheAgreesWithSQL(t *testing.T) {
	s := seeded(t, "")
	ctx := context.Background()
	check := func(step string) {
		t.Helper()
		for _, deployed := range []bool{false, true} {
			cached, n1, err := s.ListUsers(ctx, store.UserQuery{DeployedOnly: deployed, Limit: -1})
			require.NoError(t, err)
			fromSQL, n2, err := s.ListUsers(ctx, store.UserQuery{DeployedOnly: deployed, Where: "1", Limit: -1})
			require.NoError(t, err)
			require.Equal(t, n2, n1, step)
			require.Equal(t, fromSQL, cached, step)
			for _, u := range fromSQL {
				got, err := s.GetUser(ctx, u.ID)
				require.NoError(t, err)
				require.Equal(t, u, got, step)
				byName, err := s.UserByUsername(ctx, u.Username)
				require.NoError(t, err)
				require.Equal(t, u.ID, byName.ID, step)
			}
		}
	}
	check("seeded")
	var ids []int64
	for i := 0; i < 5; i++ {
		id, err := s.CreateUser(ctx, store.User{Username: fmt.Sprintf("c%d", i), UserRoleID: 2, SecurityProfileID: 1, Pending: true})
		require.NoError(t, err)
		ids = append(ids, id)
	}
	check("created")
	_, err := s.CreateUser(ctx, store.User{Username: "c0", UserRoleID: 2, SecurityProfileID: 1})
	require.ErrorIs(t, err, store.ErrNameTaken)
	check("refused create")
	role := int64(3)
	_, err = s.UpdateUser(ctx, ids[1], store.UserChange{UserRoleID: &role})
	require.NoError(t, err)
	check("updated")
	_, err = s.StartDeploy(ctx, store.Deploy{Type: "INCREMENTAL", InitiatedBy: "t", Created: 0, DurationMS: 1})
	require.NoError(t, err)
	require.NoError(t, s.Settle(ctx, 5))
	check("deployed")
	_, _, err = s.CreateTask(ctx, store.Task{Kind: "user_delete", UserID: ids[2], Username: "c2", CreatedBy: "t", Created: 10, DurationMS: 1, Outcome: "COMPLETED"})
	require.NoError(t, err)
	require.NoError(t, s.Settle(ctx, 20))
	check("deleted")
	_, err = s.GetUser(ctx, ids[2])
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.SeedUsers(ctx, 50, "seed", 3, 1, 0)
	require.NoError(t, err)
	check("seeded more")
	require.NoError(t, s.Clear(ctx))
	check("cleared")
}
