package fakeqradar_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/fakeqradar"
)

func TestDeleteUserTask(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	r := c.del("/staged_config/access/users/1001").is(202)
	task := r.obj()
	id := int64(task["id"].(float64))
	assert.Equal(t, fmt.Sprintf("/api/staged_config/access/user_delete_tasks/%d", id), r.Header.Get("Location"))
	for _, k := range []string{"id", "name", "message", "status", "created_by", "created", "started", "modified", "completed"} {
		assert.Contains(t, task, k)
	}
	assert.NotContains(t, task, "task_id", "the documented body has no task_id")
	assert.Equal(t, "QUEUED", task["status"])
	assert.Equal(t, "fakeqradar-admin", task["created_by"])
	assert.Equal(t, float64(start.UnixMilli()), task["created"])
	assert.Nil(t, task["started"])
	assert.Nil(t, task["completed"])

	poll := func() map[string]any { return c.get(r.Header.Get("Location")).is(200).obj() }
	// The user is still there while the task runs: the race the vendor
	// note warns about.
	c.get("/config/access/users/1001").is(200)
	c.advance(999 * time.Millisecond)
	assert.Equal(t, "QUEUED", poll()["status"])
	c.advance(time.Millisecond)
	p := poll()
	assert.Equal(t, "PROCESSING", p["status"])
	assert.Equal(t, float64(start.UnixMilli()+1000), p["started"])
	assert.Nil(t, p["completed"])
	c.get("/config/access/users/1001").is(200)
	c.get("/staged_config/access/users/1001").is(200)

	// A second DELETE while it runs returns the same task.
	again := c.del("/staged_config/access/users/1001").is(202).obj()
	assert.Equal(t, task["id"], again["id"])

	c.advance(3999 * time.Millisecond)
	assert.Equal(t, "PROCESSING", poll()["status"])
	c.get("/config/access/users/1001").is(200)
	c.advance(time.Millisecond)
	p = poll()
	assert.Equal(t, "COMPLETED", p["status"])
	assert.Equal(t, float64(start.UnixMilli()+5000), p["completed"])
	c.get("/config/access/users/1001").fails(404, 38310001, "")
	c.get("/staged_config/access/users/1001").fails(404, 38301001, "")
	c.del("/staged_config/access/users/1001").fails(404, 1002, "The User does not exist")
	// Polling a finished task keeps answering.
	assert.Equal(t, "COMPLETED", poll()["status"])
	c.get("/staged_config/access/user_delete_tasks/999").fails(404, 1002, "The Delete Task Status does not exist.")
	c.get("/staged_config/access/user_delete_tasks/x").fails(422, 11, "")
}

func TestDeleteRules(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.del("/staged_config/access/users/1").fails(403, 38316002, "The requested action is not allowed for the default admin user.")
	c.del("/staged_config/access/users/31337").fails(404, 1002, "")
	// A staged, never deployed user can be deleted too.
	id := c.post("/staged_config/access/users", newUser("temp")).is(201).obj()["id"]
	c.del(fmt.Sprintf("/staged_config/access/users/%v", id)).is(202)
	c.advance(5 * time.Second)
	c.get(fmt.Sprintf("/staged_config/access/users/%v", id)).fails(404, 38301001, "")
	// The freed username can be used again.
	c.post("/staged_config/access/users", newUser("temp")).is(201)
}

func TestDeleteTaskDurationAndFaults(t *testing.T) {
	t.Parallel()
	c := newConsole(t, func(o *fakeqradar.Options) { o.DeleteTaskDuration = time.Minute })
	c.del("/staged_config/access/users/1001").is(202)
	c.advance(59 * time.Second)
	c.get("/config/access/users/1001").is(200)
	c.advance(time.Second)
	c.get("/config/access/users/1001").is(404)

	require.NoError(t, c.ts.SetDeleteTaskOutcome("CONFLICT"))
	id := c.createDeployed("keeper")
	loc := c.del(fmt.Sprintf("/staged_config/access/users/%d", id)).is(202).Header.Get("Location")
	c.advance(time.Hour)
	assert.Equal(t, "CONFLICT", c.get(loc).obj()["status"])
	c.get(fmt.Sprintf("/config/access/users/%d", id)).is(200)
	assert.Error(t, c.ts.SetDeleteTaskOutcome("MAYBE"))
}

// The side effect of a task happens exactly once, whoever observes it first.
func TestTaskAppliesOnce(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	id := c.createDeployed("once")
	c.del(fmt.Sprintf("/staged_config/access/users/%d", id)).is(202)
	c.advance(10 * time.Second)
	// Re-create the same username after completion; further clock moves
	// and polls must not delete the new user.
	newID := int64(c.post("/staged_config/access/users", newUser("once")).is(201).obj()["id"].(float64))
	assert.NotEqual(t, id, newID)
	c.advance(time.Hour)
	c.get(fmt.Sprintf("/staged_config/access/users/%d", newID)).is(200)
}
