package fakeqradar

import (
	"strconv"
)

// The vendor-note compatibility surface: paths and shapes from the vendor
// note that IBM's API reference does not document (DESIGN §1). They share
// the store with the documented surface.

// POST /config/access/users — create and deploy at once.
func (s *Server) createDeployedUser(c *call) (*response, *apiError) {
	body, aerr := readBody(c.r, true)
	if aerr != nil {
		return nil, aerr
	}
	u, aerr := s.newUserFromBody(c, body, true)
	if aerr != nil {
		return nil, aerr
	}
	u.Deployed, u.Pending = true, false
	id, aerr := s.storeNewUser(c, u)
	if aerr != nil {
		return nil, aerr
	}
	saved, err := s.store.GetUser(c.ctx, id)
	if err != nil {
		return nil, errInternal("retrieve the new user")
	}
	obj, aerr := c.projectOne(s.userObject(c.version, saved.AsDeployed(), true))
	if aerr != nil {
		return nil, aerr
	}
	return created("/api/config/access/users/"+strconv.FormatInt(id, 10), obj), nil
}

// DELETE /config/access/users/{id} → 202 with the task and task_id.
func (s *Server) deleteDeployedUser(c *call) (*response, *apiError) {
	t, aerr := s.startDelete(c, "vendor-note")
	if aerr != nil {
		return nil, aerr
	}
	return accepted("/api/config/access/users/delete_tasks/"+strconv.FormatInt(t.ID, 10), s.taskObject(t, c.now(), true)), nil
}

// GET /config/access/users/delete_tasks/{task_id}
func (s *Server) getCompatDeleteTask(c *call) (*response, *apiError) {
	t, aerr := s.loadTask(c)
	if aerr != nil {
		return nil, aerr
	}
	return c.itemResponse(s.taskObject(t, c.now(), true))
}
