package client

import (
	"context"
	"fmt"
	"iter"
	"net/http"
)

// Capability is one capability of a user role.
type Capability struct {
	ApplicationID int64  `json:"application_id"`
	Name          string `json:"name"`
	Description   string `json:"description,omitempty"`
}

// Role is a user role. The vendor note's /api/config/access/roles sends id and name only.
type Role struct {
	ID           int64        `json:"id"`
	Name         string       `json:"name"`
	Capabilities []Capability `json:"capabilities,omitempty"`
}

// RolesService reads user roles: /api/config/access/user_roles (read-only), or the
// vendor note's /api/config/access/roles in vendor-note mode.
type RolesService service

func (s *RolesService) path() string {
	if s.c.vendorNote {
		return "/config/access/roles"
	}
	return "/config/access/user_roles"
}

// List walks all user roles matching opts.
func (s *RolesService) List(ctx context.Context, opts *ListOptions) iter.Seq2[Role, error] {
	return listAll[Role](ctx, s.c, s.path(), opts)
}

// ListPage returns one page of user roles starting at item first.
func (s *RolesService) ListPage(ctx context.Context, first int, opts *ListOptions) ([]Role, *Response, error) {
	return listPage[Role](ctx, s.c, s.path(), first, opts)
}

// Get returns the user role with the given id.
func (s *RolesService) Get(ctx context.Context, id int64) (*Role, error) {
	var r Role
	if _, err := s.c.do(ctx, &apiRequest{method: http.MethodGet, path: fmt.Sprintf("%s/%d", s.path(), id)}, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// ByName returns the role whose name is exactly name. It reads the whole list (no
// server-side filter, which the vendor note's endpoint may lack), so a miss is a
// *NameNotFoundError listing the roles that exist.
func (s *RolesService) ByName(ctx context.Context, name string) (*Role, error) {
	return byName(s.List(ctx, nil), "user role", name, func(r Role) string { return r.Name })
}

// SecurityProfile is a security profile.
type SecurityProfile struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	DomainIDs []int64 `json:"domain_ids,omitempty"`
}

// SecurityProfilesService reads security profiles: /api/config/access/security_profiles.
type SecurityProfilesService service

const securityProfilesPath = "/config/access/security_profiles"

// List walks all security profiles matching opts.
func (s *SecurityProfilesService) List(ctx context.Context, opts *ListOptions) iter.Seq2[SecurityProfile, error] {
	return listAll[SecurityProfile](ctx, s.c, securityProfilesPath, opts)
}

// ListPage returns one page of security profiles starting at item first.
func (s *SecurityProfilesService) ListPage(ctx context.Context, first int, opts *ListOptions) ([]SecurityProfile, *Response, error) {
	return listPage[SecurityProfile](ctx, s.c, securityProfilesPath, first, opts)
}

// Get returns the security profile with the given id.
func (s *SecurityProfilesService) Get(ctx context.Context, id int64) (*SecurityProfile, error) {
	var p SecurityProfile
	if _, err := s.c.do(ctx, &apiRequest{method: http.MethodGet, path: fmt.Sprintf("%s/%d", securityProfilesPath, id)}, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// ByName returns the security profile whose name is exactly name; a miss is a
// *NameNotFoundError listing the profiles that exist.
func (s *SecurityProfilesService) ByName(ctx context.Context, name string) (*SecurityProfile, error) {
	return byName(s.List(ctx, nil), "security profile", name, func(p SecurityProfile) string { return p.Name })
}

func byName[T any](seq iter.Seq2[T, error], kind, name string, nameOf func(T) string) (*T, error) {
	var names []string
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		if nameOf(v) == name {
			return &v, nil
		}
		names = append(names, nameOf(v))
	}
	return nil, notFoundAmong(kind, name, names)
}
