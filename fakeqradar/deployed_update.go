package fakeqradar

import (
	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
)

// POST /config/access/users/{id} — partial update of the deployed user:
// only the fields present change; role, profile, tenant and description are
// ignored here [C reference §7.4]. On the vendor-note surface the nested
// user_role {id} / security_profile {id} objects apply at once.
func (s *Server) updateDeployedUser(c *call) (*response, *apiError) {
	id, aerr := c.id("id")
	if aerr != nil {
		return nil, aerr
	}
	self := !c.who.Service && c.who.ID == id
	if !c.who.Admin && !self {
		return nil, errForbidden()
	}
	body, aerr := readBody(c.r, true)
	if aerr != nil {
		return nil, aerr
	}
	u, aerr := s.deployedUser(c, id)
	if aerr != nil {
		aerr.Code, aerr.Message, aerr.Description = 38311001, "The deployed user does not exist.", "The deployed user does not exist."
		return nil, aerr
	}
	codes := deployedUpdateCodes
	var ch store.UserChange

	// Vendor-note compatibility: nested role/profile objects.
	_, nestedRole := body["user_role"]
	_, nestedProfile := body["security_profile"]
	if nestedRole || nestedProfile {
		c.markCompat("nested user_role / security_profile objects in the body: not in IBM's API reference, which changes role and profile only through staging and a deploy")
		if !c.who.Admin {
			return nil, errForbidden()
		}
		roleID, roleSet, e := refID(body, "-", "user_role", true, "a user role id (an integer from GET /api/config/access/roles)")
		if e != nil {
			return nil, e
		}
		profileID, profileSet, e := refID(body, "-", "security_profile", true, "a security profile id (an integer from GET /api/config/access/security_profiles)")
		if e != nil {
			return nil, e
		}
		if nestedRole && !roleSet {
			return nil, invalid(codes.roleNull, "user_role.id must be provided and must not be null.")
		}
		if nestedProfile && !profileSet {
			return nil, invalid(codes.profileNull, "security_profile.id must be provided and must not be null.")
		}
		if e := s.checkAccessChange(c, u, roleSet, profileSet, 38311002); e != nil {
			return nil, e
		}
		d := u.AsDeployed()
		newRole, newProfile := d.UserRoleID, d.SecurityProfileID
		if roleSet {
			newRole = roleID
			ch.UserRoleID = &roleID
		}
		if profileSet {
			newProfile = profileID
			ch.SecurityProfileID = &profileID
		}
		if e := s.checkRoleProfile(newRole, newProfile, codes); e != nil {
			return nil, e
		}
		ch.Immediate = true
	}
	if self {
		// [C 38311012] users may not change their own timeout or fallback.
		for _, k := range []string{"inactivity_timeout", "allow_system_authentication_fallback"} {
			if v, present := body[k]; present && v != nil {
				return nil, newError(403, 38311012, "Users are forbidden to update their own inactivity_timeout or allow_system_authentication_fallback.", "")
			}
		}
	}
	updated, e := s.finishUserChange(c, u, body, codes, &ch)
	if e != nil {
		return nil, e
	}
	return c.itemResponse(s.userObject(c.version, updated.AsDeployed(), s.opts.NestedRefs || ch.Immediate))
}
