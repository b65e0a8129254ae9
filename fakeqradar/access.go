package fakeqradar

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
)

func roleObject(r store.Role) object {
	caps := make([]object, len(r.Capabilities))
	for i, c := range r.Capabilities {
		caps[i] = object{{"application_id", c.ApplicationID}, {"name", c.Name}, {"description", c.Description}}
	}
	return object{{"id", r.ID}, {"name", r.Name}, {"capabilities", caps}}
}

func profileObject(p store.SecurityProfile) object {
	return object{{"id", p.ID}, {"name", p.Name}, {"domain_ids", p.DomainIDs}}
}

// GET /config/access/user_roles (also the staged twin and the vendor-note
// /config/access/roles).
func (s *Server) listRoles(c *call) (*response, *apiError) {
	acc := s.access.Load()
	q := c.r.URL.Query()
	current := strings.EqualFold(q.Get("current_user_role"), "true")
	contains := q.Get("contains")
	var items []object
	for _, r := range acc.roles {
		if current && r.ID != c.who.RoleID {
			continue
		}
		if contains != "" && !roleHas(r, contains) {
			continue
		}
		items = append(items, roleObject(r))
	}
	return c.listObjects(items)
}

func roleHas(r store.Role, capability string) bool {
	for _, c := range r.Capabilities {
		if strings.EqualFold(c.Name, capability) {
			return true
		}
	}
	return false
}

// GET /config/access/user_roles/{id}
func (s *Server) getRole(c *call) (*response, *apiError) {
	id, aerr := c.id("id")
	if aerr != nil {
		return nil, aerr
	}
	r := s.access.Load().roleByID[id]
	if r == nil {
		// [C] reference §8.1: 38341001.
		return nil, newError(404, 38341001, "The user role id does not exist.", "The user role id does not exist.")
	}
	return c.itemResponse(roleObject(*r))
}

// GET /config/access/security_profiles (and the staged twin).
func (s *Server) listProfiles(c *call) (*response, *apiError) {
	acc := s.access.Load()
	current := strings.EqualFold(c.r.URL.Query().Get("current_security_profile"), "true")
	var items []object
	for _, p := range acc.profiles {
		if current && p.ID != c.who.ProfileID {
			continue
		}
		items = append(items, profileObject(p))
	}
	return c.listObjects(items)
}

// GET /config/access/security_profiles/{id}
func (s *Server) getProfile(c *call) (*response, *apiError) {
	id, aerr := c.id("id")
	if aerr != nil {
		return nil, aerr
	}
	p := s.access.Load().profileByID[id]
	if p == nil {
		// [C] reference §8.2: 38331001.
		return nil, newError(404, 38331001, "The security profile id does not exist.", "The security profile id does not exist.")
	}
	return c.itemResponse(profileObject(*p))
}

// serviceObject renders an authorized service; token is null except in the
// create response [C reference §8.4].
func serviceObject(a store.AuthorizedService, token *string) object {
	return object{
		{"id", a.ID},
		{"label", a.Label},
		{"token", token},
		{"created_by", a.CreatedBy},
		{"tenant_id", a.TenantID},
		{"security_profile_id", a.SecurityProfileID},
		{"user_role_id", a.UserRoleID},
		{"creation_date", a.CreationDate},
		{"expiration_date", a.ExpirationDate},
		{"last_used_date", a.LastUsedDate},
	}
}

// GET /config/access/authorized_services
func (s *Server) listServices(c *call) (*response, *apiError) {
	all, err := s.store.ListAuthorizedServices(c.ctx)
	if err != nil {
		return nil, errInternal("retrieve the authorized services")
	}
	items := make([]object, 0, len(all))
	for _, a := range all {
		items = append(items, serviceObject(a, nil))
	}
	return c.listObjects(items)
}

// GET /config/access/authorized_services/{id}
func (s *Server) getService(c *call) (*response, *apiError) {
	id, aerr := c.id("id")
	if aerr != nil {
		return nil, aerr
	}
	a, err := s.store.GetAuthorizedService(c.ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, newError(404, 1002, "The authorized service does not exist.", "The authorized service does not exist.")
	}
	if err != nil {
		return nil, errInternal("retrieve the authorized service")
	}
	return c.itemResponse(serviceObject(a, nil))
}

// POST /config/access/authorized_services → 201, Location, and the only
// response that carries the token. Codes 95103001–95103018 are documented
// without texts except 95103008 [C]; the assignment of the others is [U].
func (s *Server) createService(c *call) (*response, *apiError) {
	body, aerr := readBody(c.r, true)
	if aerr != nil {
		return nil, aerr
	}
	label, f, e := bodyString(body, "label")
	if e != nil {
		return nil, e
	}
	if !f.present || f.null || strings.TrimSpace(label) == "" {
		return nil, invalid(95103001, "label must be provided and must not be empty.")
	}
	if utf8.RuneCountInString(label) > 255 || !utf8.ValidString(label) {
		return nil, invalid(95103002, "label must be 255 characters or fewer in length.")
	}
	roleID, roleSet, e := refID(body, "user_role_id", "", false, "a user role id (an integer from GET /api/config/access/user_roles)")
	if e != nil {
		return nil, e
	}
	if !roleSet {
		return nil, invalid(95103003, "user_role_id must be provided and must not be null.")
	}
	profileID, profileSet, e := refID(body, "security_profile_id", "", false, "a security profile id (an integer from GET /api/config/access/security_profiles)")
	if e != nil {
		return nil, e
	}
	if !profileSet {
		return nil, invalid(95103005, "security_profile_id must be provided and must not be null.")
	}
	acc := s.access.Load()
	if acc.roleByID[roleID] == nil {
		return nil, invalid(95103004, fmt.Sprintf("No user role found for the provided user_role_id (%d).", roleID))
	}
	if acc.profileByID[profileID] == nil {
		return nil, invalid(95103006, fmt.Sprintf("No security profile found for the provided security_profile_id (%d).", profileID))
	}
	if tenant, f, e := bodyInt(body, "tenant_id"); e != nil {
		return nil, e
	} else if f.present && !f.null {
		return nil, invalid(95103007, fmt.Sprintf("No tenant found for the provided tenant_id (%d).", tenant))
	}
	var expires *int64
	if exp, f, e := bodyInt(body, "expiration_date"); e != nil {
		return nil, e
	} else if f.present && !f.null {
		if exp <= c.now() {
			return nil, invalid(95103009, "expiration_date must be in the future (epoch milliseconds).")
		}
		expires = &exp
	}
	token := newUUID()
	a := store.AuthorizedService{Label: label, TokenHash: store.TokenHash(token), CreatedBy: c.who.Name,
		SecurityProfileID: profileID, UserRoleID: roleID, CreationDate: c.now(), ExpirationDate: expires}
	id, err := s.store.CreateAuthorizedService(c.ctx, a)
	if errors.Is(err, store.ErrNameTaken) {
		// [C] reference §8.4: duplicate label is 422, not 409.
		return nil, invalid(95103008, "The authorized service label must be unique for all authorized services and usernames.")
	}
	if err != nil {
		return nil, errInternal("create the authorized service")
	}
	a.ID = id
	obj, aerr := c.projectOne(serviceObject(a, &token))
	if aerr != nil {
		return nil, aerr
	}
	return created("/api/config/access/authorized_services/"+strconv.FormatInt(id, 10), obj), nil
}

// DELETE /config/access/authorized_services/{id} — the token stops working
// at once. 200 with the deleted service as JSON: the reference does not
// document the success status [U], and every response of the fake has a
// JSON body.
func (s *Server) deleteService(c *call) (*response, *apiError) {
	id, aerr := c.id("id")
	if aerr != nil {
		return nil, aerr
	}
	if c.who.Service && c.who.ID == id {
		return nil, newError(403, 95105002, "Authorized services cannot delete themselves.", "")
	}
	a, err := s.store.GetAuthorizedService(c.ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, newError(404, 95105001, "The authorized service does not exist.", "The authorized service does not exist.")
	}
	if err != nil {
		return nil, errInternal("delete the authorized service")
	}
	err = s.store.DeleteAuthorizedService(c.ctx, id)
	s.forgetTokens()
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, newError(404, 95105001, "The authorized service does not exist.", "The authorized service does not exist.")
		}
		return nil, errInternal("delete the authorized service")
	}
	return c.itemResponse(serviceObject(a, nil))
}
