package client

import (
	"context"
	"fmt"
	"iter"
	"net/http"
)

// AuthorizedService is an authorized service, whose token is used as a SEC header.
// Token is set only in the answer to Create; lists and gets never carry it.
type AuthorizedService struct {
	ID                int64   `json:"id"`
	Label             string  `json:"label"`
	Token             string  `json:"token,omitempty"`
	CreatedBy         string  `json:"created_by"`
	TenantID          *int64  `json:"tenant_id"`
	SecurityProfileID int64   `json:"security_profile_id"`
	UserRoleID        int64   `json:"user_role_id"`
	CreationDate      Millis  `json:"creation_date"`
	ExpirationDate    *Millis `json:"expiration_date"` // nil: never expires
	LastUsedDate      *Millis `json:"last_used_date"`  // nil: never used
}

// AuthorizedServiceCreate is the body of POST /api/config/access/authorized_services.
// Nil fields are left out. Without the Administrator Manager capability the Console
// appends a UUID to the label and requires role, profile and tenant to be the caller's.
type AuthorizedServiceCreate struct {
	Label             string  `json:"label"`
	UserRoleID        *int64  `json:"user_role_id,omitempty"`
	SecurityProfileID *int64  `json:"security_profile_id,omitempty"`
	TenantID          *int64  `json:"tenant_id,omitempty"`
	ExpirationDate    *Millis `json:"expiration_date,omitempty"`
}

// AuthorizedServicesService manages authorized services:
// /api/config/access/authorized_services.
type AuthorizedServicesService service

const authorizedServicesPath = "/config/access/authorized_services"

// List walks all authorized services matching opts.
func (s *AuthorizedServicesService) List(ctx context.Context, opts *ListOptions) iter.Seq2[AuthorizedService, error] {
	return listAll[AuthorizedService](ctx, s.c, authorizedServicesPath, opts)
}

// ListPage returns one page of authorized services starting at item first.
func (s *AuthorizedServicesService) ListPage(ctx context.Context, first int, opts *ListOptions) ([]AuthorizedService, *Response, error) {
	return listPage[AuthorizedService](ctx, s.c, authorizedServicesPath, first, opts)
}

// Get returns the authorized service with the given id.
func (s *AuthorizedServicesService) Get(ctx context.Context, id int64) (*AuthorizedService, error) {
	var a AuthorizedService
	if _, err := s.c.do(ctx, &apiRequest{method: http.MethodGet, path: authorizedServicePath(id)}, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// ByLabel returns the authorized service whose label is exactly label; a miss is a
// *NameNotFoundError listing the labels that exist.
func (s *AuthorizedServicesService) ByLabel(ctx context.Context, label string) (*AuthorizedService, error) {
	return byName(s.List(ctx, nil), "authorized service", label, func(a AuthorizedService) string { return a.Label })
}

// Create creates an authorized service (201). The result is the only place the
// token is ever shown.
func (s *AuthorizedServicesService) Create(ctx context.Context, req AuthorizedServiceCreate) (*AuthorizedService, error) {
	var a AuthorizedService
	if _, err := s.c.do(ctx, &apiRequest{method: http.MethodPost, path: authorizedServicesPath, body: req}, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// Delete revokes an authorized service. Success may be 204 without a body or 200
// with one; both are accepted.
func (s *AuthorizedServicesService) Delete(ctx context.Context, id int64) error {
	_, err := s.c.do(ctx, &apiRequest{method: http.MethodDelete, path: authorizedServicePath(id)}, nil)
	return err
}

func authorizedServicePath(id int64) string { return fmt.Sprintf("%s/%d", authorizedServicesPath, id) }
