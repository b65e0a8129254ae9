package fakeqradar

import (
	"errors"
	"net/http"
	"strings"

	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
)

// userObject renders a user as QRadar does. password and old_password are
// always null [C reference §6]. Fields a version lacks are absent:
// local_only_account and notification_flag are not in 12.x [C §7.2]; that
// they arrive in 14.0 is [I]. nested adds the vendor note's user_role and
// security_profile objects.
func (s *Server) userObject(v *apiVersion, u store.User, nested bool) object {
	o := make(object, 0, 20)
	o = append(o,
		member{"id", u.ID},
		member{"username", u.Username},
		member{"email", u.Email},
		member{"description", u.Description},
		member{"user_role_id", u.UserRoleID},
		member{"security_profile_id", u.SecurityProfileID},
		member{"tenant_id", u.TenantID},
		member{"locale_id", u.LocaleID},
		member{"enable_popup_notifications", u.EnablePopupNotifications},
		member{"old_password", nil},
		member{"password", nil},
		member{"password_creation_time", u.PasswordCreationTime},
		member{"allow_system_authentication_fallback", u.AllowSystemAuthenticationFallback},
	)
	if v.atLeast(14, 0) {
		o = append(o, member{"local_only_account", u.LocalOnlyAccount})
	}
	o = append(o, member{"inactivity_timeout", u.InactivityTimeout})
	if v.atLeast(14, 0) {
		o = append(o, member{"notification_flag", u.NotificationFlag})
	}
	if nested {
		acc := s.access.Load()
		ref := func(id int64, name string) object { return object{{"id", id}, {"name", name}} }
		if r := acc.roleByID[u.UserRoleID]; r != nil {
			o = append(o, member{"user_role", ref(r.ID, r.Name)})
		}
		if p := acc.profileByID[u.SecurityProfileID]; p != nil {
			o = append(o, member{"security_profile", ref(p.ID, p.Name)})
		}
	}
	return o
}

// GET /config/access/users — deployed users. ADMIN sees all; anyone else
// only themselves [C reference §7.2].
func (s *Server) listDeployedUsers(c *call) (*response, *apiError) {
	q := store.UserQuery{DeployedOnly: true}
	self := strings.EqualFold(c.r.URL.Query().Get("current_user"), "true")
	if !c.who.Admin || self {
		if c.who.Service {
			q.Where = "0"
		} else {
			q.Where, q.Args = "id = ?", []any{c.who.ID}
		}
	}
	return s.listUsers(c, q, true)
}

// GET /staged_config/access/users — every user in staging.
func (s *Server) listStagedUsers(c *call) (*response, *apiError) {
	return s.listUsers(c, store.UserQuery{}, false)
}

func (s *Server) listUsers(c *call, q store.UserQuery, deployed bool) (*response, *apiError) {
	if err := c.list.applyToUserQuery(&q); err != nil {
		return nil, err
	}
	page := c.pager()
	q.Offset, q.Limit = page.offset, page.limit
	if c.list.fields == nil {
		// The hot path: encode each user straight into a pooled buffer,
		// reading unfiltered pages from the cache without copying them.
		bp := bufPool.Get().(*[]byte)
		b := append((*bp)[:0], '[')
		n := 0
		total, err := s.store.VisitUsers(c.ctx, q, func(u *store.User) {
			if n > 0 {
				b = append(b, ',')
			}
			n++
			b = s.appendUserJSON(b, c.version, u, deployed, s.opts.NestedRefs)
		})
		b = append(b, ']')
		*bp = b
		if err != nil {
			bufPool.Put(bp)
			return nil, errInternal("retrieve the users")
		}
		_, _, cr := window(c.rng, total, s.opts.UnrangedPageSize)
		return &response{Status: 200, Body: rawJSON(b), pooled: bp, Header: http.Header{"Content-Range": []string{cr}}}, nil
	}
	users, total, err := s.store.ListUsers(c.ctx, q)
	if err != nil {
		return nil, errInternal("retrieve the users")
	}
	items := make([]object, len(users))
	for i, u := range users {
		if deployed {
			u = u.AsDeployed()
		}
		items[i] = s.userObject(c.version, u, s.opts.NestedRefs)
	}
	return c.listResponse(items, total, page)
}

// GET /config/access/users/{id}
func (s *Server) getDeployedUser(c *call) (*response, *apiError) {
	id, aerr := c.id("id")
	if aerr != nil {
		return nil, aerr
	}
	if !c.who.Admin && (c.who.Service || c.who.ID != id) {
		return nil, errForbidden()
	}
	u, err := s.deployedUser(c, id)
	if err != nil {
		return nil, err
	}
	if c.list.fields == nil {
		bp := bufPool.Get().(*[]byte)
		*bp = s.appendUserJSON((*bp)[:0], c.version, &u, true, s.opts.NestedRefs)
		return &response{Status: 200, Body: rawJSON(*bp), pooled: bp}, nil
	}
	return c.itemResponse(s.userObject(c.version, u.AsDeployed(), s.opts.NestedRefs))
}

// deployedUser loads a user that exists in the deployed configuration.
func (s *Server) deployedUser(c *call, id int64) (store.User, *apiError) {
	u, err := s.store.GetUser(c.ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !u.Deployed) {
		// [C] reference §7.1: 38310001 on GET.
		return u, newError(404, 38310001, "The deployed user does not exist.", "The deployed user does not exist.")
	}
	if err != nil {
		return u, errInternal("retrieve the user")
	}
	return u, nil
}

// GET /staged_config/access/users/{id}
func (s *Server) getStagedUser(c *call) (*response, *apiError) {
	id, aerr := c.id("id")
	if aerr != nil {
		return nil, aerr
	}
	u, err := s.store.GetUser(c.ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		// [C] reference §7.1: 38301001.
		return nil, newError(404, 38301001, "The staged user does not exist.", "The staged user does not exist.")
	}
	if err != nil {
		return nil, errInternal("retrieve the user")
	}
	return c.itemResponse(s.userObject(c.version, u, s.opts.NestedRefs))
}

// created is a 201 with a Location header.
func created(location string, body any) *response {
	return &response{Status: http.StatusCreated, Body: body, Header: http.Header{"Location": []string{location}}}
}
