package fakeqradar

import (
	"errors"
	"fmt"
	"strings"

	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
)

// deployObject renders a deploy status [C reference §9]: INITIALIZING for
// the first tenth of the duration, IN_PROGRESS, then COMPLETE.
func (s *Server) deployObject(d *store.Deploy, now int64) object {
	status, percent := "COMPLETE", 100
	typ, by := "INCREMENTAL", ""
	if d != nil {
		typ, by = d.Type, d.InitiatedBy
		elapsed := now - d.Created
		switch {
		case elapsed >= d.DurationMS:
		case elapsed < d.DurationMS/10:
			status, percent = "INITIALIZING", 0
		default:
			status, percent = "IN_PROGRESS", int(elapsed*100/max(d.DurationMS, 1))
		}
	}
	return object{
		{"status", status},
		{"type", typ},
		{"initiated_by", by},
		{"initiated_from", "API"},
		{"percent_complete", percent},
		{"hosts", []object{}},
	}
}

// GET /staged_config/deploy_status
func (s *Server) getDeployStatus(c *call) (*response, *apiError) {
	d, err := s.store.LatestDeploy(c.ctx)
	if errors.Is(err, store.ErrNotFound) {
		return c.itemResponse(s.deployObject(nil, c.now()))
	}
	if err != nil {
		return nil, errInternal("retrieve the deploy status")
	}
	return c.itemResponse(s.deployObject(&d, c.now()))
}

// POST /staged_config/deploy_status — deploy staged changes. 409 code 1004
// when a deploy is running or nothing is staged: the reference documents
// 1002, Ansible observed 1004 on a Console [C reference §9]; observed wins.
func (s *Server) startDeploy(c *call) (*response, *apiError) {
	body, aerr := readBody(c.r, false)
	if aerr != nil {
		return nil, aerr
	}
	typ := "INCREMENTAL"
	if v, f, err := bodyString(body, "type"); err != nil {
		return nil, err
	} else if f.present && !f.null {
		typ = strings.ToUpper(v)
		if typ != "INCREMENTAL" && typ != "FULL" {
			return nil, newError(422, 1005, fmt.Sprintf("type must be INCREMENTAL or FULL, got %q.", v), "A request parameter is not valid.")
		}
	}
	if latest, err := s.store.LatestDeploy(c.ctx); err == nil && !latest.Applied {
		return nil, newError(409, 1004, "A deploy is already in action.", "Unable to deploy: there is a deploy in action, or there are no changes to deploy.")
	}
	d, err := s.store.StartDeploy(c.ctx, store.Deploy{Type: typ, InitiatedBy: c.who.Name, Created: c.now(), DurationMS: s.opts.DeployDuration.Milliseconds()})
	if errors.Is(err, store.ErrNothingToDeploy) {
		return nil, newError(409, 1004, "No changes to deploy.", "Unable to deploy: there is a deploy in action, or there are no changes to deploy.")
	}
	if err != nil {
		return nil, errInternal("start the deploy")
	}
	s.noteDue(d.Created + d.DurationMS)
	return c.itemResponse(s.deployObject(&d, c.now()))
}
