package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// DeployState is the status of a deploy.
type DeployState string

// Deploy states.
const (
	DeployInitializing DeployState = "INITIALIZING"
	DeployInProgress   DeployState = "IN_PROGRESS"
	DeployComplete     DeployState = "COMPLETE"
)

// DeployType selects what a deploy pushes.
type DeployType string

// Deploy types.
const (
	DeployIncremental DeployType = "INCREMENTAL"
	DeployFull        DeployType = "FULL"
)

// DeployStatus is the body of /api/staged_config/deploy_status.
type DeployStatus struct {
	Status          DeployState       `json:"status"`
	Type            DeployType        `json:"type,omitempty"`
	InitiatedBy     string            `json:"initiated_by,omitempty"`
	InitiatedFrom   string            `json:"initiated_from,omitempty"`
	PercentComplete int               `json:"percent_complete"`
	Hosts           []json.RawMessage `json:"hosts,omitempty"`
}

// DeployService deploys staged configuration: /api/staged_config/deploy_status.
type DeployService service

const deployPath = "/staged_config/deploy_status"

// Start asks for a deploy ("" means INCREMENTAL). When there is nothing to deploy,
// or a deploy is already running, the Console answers 409: an *APIError matching
// ErrConflict.
func (s *DeployService) Start(ctx context.Context, typ DeployType) (*DeployStatus, error) {
	if typ == "" {
		typ = DeployIncremental
	}
	var st DeployStatus
	body := map[string]DeployType{"type": typ}
	if _, err := s.c.do(ctx, &apiRequest{method: http.MethodPost, path: deployPath, body: body}, &st); err != nil {
		return nil, err
	}
	return &st, nil
}

// Status returns the state of the current or last deploy.
func (s *DeployService) Status(ctx context.Context) (*DeployStatus, error) {
	var st DeployStatus
	if _, err := s.c.do(ctx, &apiRequest{method: http.MethodGet, path: deployPath}, &st); err != nil {
		return nil, err
	}
	return &st, nil
}

// Wait polls the deploy status with backoff until it is COMPLETE. A status other
// than INITIALIZING, IN_PROGRESS or COMPLETE ends the wait with an error.
func (s *DeployService) Wait(ctx context.Context, opts *WaitOptions) (*DeployStatus, error) {
	var last *DeployStatus
	err := s.c.waitFor(ctx, opts, func(ctx context.Context) (PollEvent, bool, error) {
		st, err := s.Status(ctx)
		if err != nil {
			return PollEvent{}, false, err
		}
		last = st
		ev := PollEvent{Kind: "deploy", Status: string(st.Status), PercentComplete: st.PercentComplete}
		switch st.Status {
		case DeployComplete:
			return ev, true, nil
		case DeployInitializing, DeployInProgress:
			return ev, false, nil
		}
		return ev, true, fmt.Errorf("unexpected deploy status %q", st.Status)
	})
	if err != nil {
		return last, fmt.Errorf("waiting for deploy: %w", err)
	}
	return last, nil
}

// StartAndWait starts a deploy and waits until it is complete. A 409 from Start
// (nothing to deploy, or a deploy already running) is not an error: it then waits
// for whatever deploy the Console reports.
func (s *DeployService) StartAndWait(ctx context.Context, typ DeployType, opts *WaitOptions) (*DeployStatus, error) {
	st, err := s.Start(ctx, typ)
	switch {
	case errors.Is(err, ErrConflict):
	case err != nil:
		return nil, err
	case st.Status == DeployComplete:
		return st, nil
	}
	return s.Wait(ctx, opts)
}
