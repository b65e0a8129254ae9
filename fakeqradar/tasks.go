package fakeqradar

import (
	"errors"
	"strconv"

	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
)

const taskKindUserDelete = "user_delete"

// taskStatus derives a task's status and times from the clock: QUEUED until
// created+queued, PROCESSING until created+duration, then its outcome
// (COMPLETED unless a fault says otherwise). Pure: the same inputs give the
// same answer.
func taskStatus(t store.Task, now int64) (status string, started, completed *int64, modified int64) {
	modified = t.Created
	if now < t.Created+t.QueuedMS {
		return "QUEUED", nil, nil, modified
	}
	st := t.Created + t.QueuedMS
	modified = st
	if now < t.Due() {
		return "PROCESSING", &st, nil, modified
	}
	done := t.Due()
	return t.Outcome, &st, &done, done
}

// taskObject renders a Delete Task Status [C reference §7.5]; the name and
// message texts are [U]. compat adds the vendor note's task_id.
func (s *Server) taskObject(t store.Task, now int64, compat bool) object {
	status, started, completed, modified := taskStatus(t, now)
	var msg string
	switch status {
	case "QUEUED":
		msg = "The request to delete user " + t.Username + " is queued."
	case "PROCESSING":
		msg = "Deleting user " + t.Username + "."
	case "COMPLETED":
		msg = "User " + t.Username + " has been deleted."
	default:
		msg = "User " + t.Username + " could not be deleted."
	}
	o := object{
		{"id", t.ID},
		{"name", "Delete User " + t.Username},
		{"message", msg},
		{"status", status},
		{"created_by", t.CreatedBy},
		{"created", t.Created},
		{"started", started},
		{"modified", modified},
		{"completed", completed},
	}
	if compat {
		o = append(o, member{"task_id", t.ID})
	}
	return o
}

// startDelete creates (or returns the running) delete task for a user.
func (s *Server) startDelete(c *call, surface string) (store.Task, *apiError) {
	id, aerr := c.id("id")
	if aerr != nil {
		return store.Task{}, aerr
	}
	u, err := s.store.GetUser(c.ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		// [C] reference §7.5: 404 1002.
		return store.Task{}, newError(404, 1002, "The User does not exist", "The User does not exist")
	}
	if err != nil {
		return store.Task{}, errInternal("delete the user")
	}
	if u.DefaultAdmin {
		return store.Task{}, newError(403, 38316002, "The requested action is not allowed for the default admin user.", "")
	}
	if !c.who.Service && c.who.ID == u.ID {
		// [U] text of 38316001.
		return store.Task{}, newError(403, 38316001, "Users are not allowed to delete themselves.", "")
	}
	dur := s.opts.DeleteTaskDuration.Milliseconds()
	t := store.Task{Kind: taskKindUserDelete, UserID: u.ID, Username: u.Username, CreatedBy: c.who.Name,
		Created: c.now(), QueuedMS: dur / 5, DurationMS: dur, Outcome: s.faults.taskOutcome(), Surface: surface}
	// A second DELETE while a task runs returns that task [I]: nothing is
	// deleted twice and no task is orphaned.
	t, _, err = s.store.CreateTask(c.ctx, t)
	if err != nil {
		return store.Task{}, errInternal("delete the user")
	}
	s.noteDue(t.Due())
	return t, nil
}

// DELETE /staged_config/access/users/{id} → 202, the task, Location.
func (s *Server) deleteStagedUser(c *call) (*response, *apiError) {
	t, aerr := s.startDelete(c, "documented")
	if aerr != nil {
		return nil, aerr
	}
	return accepted("/api/staged_config/access/user_delete_tasks/"+strconv.FormatInt(t.ID, 10), s.taskObject(t, c.now(), false)), nil
}

// GET /staged_config/access/user_delete_tasks/{task_id}
func (s *Server) getDeleteTask(c *call) (*response, *apiError) {
	t, aerr := s.loadTask(c)
	if aerr != nil {
		return nil, aerr
	}
	return c.itemResponse(s.taskObject(t, c.now(), false))
}

func (s *Server) loadTask(c *call) (store.Task, *apiError) {
	id, aerr := c.id("task_id")
	if aerr != nil {
		return store.Task{}, aerr
	}
	t, err := s.store.GetTask(c.ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && t.Kind != taskKindUserDelete) {
		return t, newError(404, 1002, "The Delete Task Status does not exist.", "The Delete Task Status does not exist.")
	}
	if err != nil {
		return t, errInternal("retrieve the task")
	}
	return t, nil
}

func accepted(location string, body any) *response {
	r := created(location, body)
	r.Status = 202
	return r
}
