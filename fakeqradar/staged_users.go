package fakeqradar

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
)

// POST /staged_config/access/users — create a user in staging: 201 and a
// Location; it appears under /config/access/users after a deploy.
func (s *Server) createStagedUser(c *call) (*response, *apiError) {
	body, aerr := readBody(c.r, true)
	if aerr != nil {
		return nil, aerr
	}
	u, aerr := s.newUserFromBody(c, body, false)
	if aerr != nil {
		return nil, aerr
	}
	id, err := s.storeNewUser(c, u)
	if err != nil {
		return nil, err
	}
	saved, gerr := s.store.GetUser(c.ctx, id)
	if gerr != nil {
		return nil, errInternal("retrieve the new user")
	}
	obj, ferr := c.projectOne(s.userObject(c.version, saved, s.opts.NestedRefs))
	if ferr != nil {
		return nil, ferr
	}
	return created("/api/staged_config/access/users/"+strconv.FormatInt(id, 10), obj), nil
}

func (s *Server) storeNewUser(c *call, u store.User) (int64, *apiError) {
	id, err := s.store.CreateUser(c.ctx, u)
	if errors.Is(err, store.ErrNameTaken) {
		// [C] reference §7.3: 409 38302002; labels share the namespace.
		return 0, newError(409, 38302002, "username already in use as a username on another user or as an authorized service name.",
			fmt.Sprintf("The username %q is already in use.", u.Username))
	}
	if err != nil {
		return 0, errInternal("create the user")
	}
	return id, nil
}

// newUserFromBody validates a create body. compat reads the vendor note's
// nested user_role {id} / security_profile {id} as well as the flat ids.
func (s *Server) newUserFromBody(c *call, body map[string]any, compat bool) (store.User, *apiError) {
	codes := createCodes
	var u store.User
	name, f, err := bodyString(body, "username")
	if err != nil {
		return u, err
	}
	if !f.present || f.null {
		return u, invalid(codes.usernameNull, "username must be provided and must not be null.")
	}
	if e := checkUsername(name, codes); e != nil {
		return u, e
	}
	u.Username = name

	roleID, roleSet, e := refID(body, "user_role_id", "user_role", compat, "a user role id (an integer from GET /api/config/access/user_roles)")
	if e != nil {
		return u, e
	}
	if !roleSet {
		return u, invalid(codes.roleNull, "user_role_id must be provided and must not be null.")
	}
	profileID, profileSet, e := refID(body, "security_profile_id", "security_profile", compat, "a security profile id (an integer from GET /api/config/access/security_profiles)")
	if e != nil {
		return u, e
	}
	if !profileSet {
		return u, invalid(codes.profileNull, "security_profile_id must be provided and must not be null.")
	}
	u.UserRoleID, u.SecurityProfileID = roleID, profileID

	if _, f, err := bodyString(body, "email"); err != nil {
		return u, err
	} else if !f.present || f.null {
		return u, invalid(codes.emailNull, "email must be provided and must not be null.")
	}
	var ch store.UserChange
	if e := s.optionalFields(body, codes, &ch); e != nil {
		return u, e
	}
	u.Email = *ch.Email
	if ch.LocaleID != nil {
		u.LocaleID = *ch.LocaleID
	}
	u.EnablePopupNotifications = deref(ch.EnablePopupNotifications)
	u.AllowSystemAuthenticationFallback = deref(ch.AllowSystemAuthenticationFallback)
	u.LocalOnlyAccount = deref(ch.LocalOnlyAccount)
	if ch.InactivityTimeout != nil {
		u.InactivityTimeout = *ch.InactivityTimeout
	}

	if tenant, f, err := bodyInt(body, "tenant_id"); err != nil {
		return u, err
	} else if f.present && !f.null {
		// The fake has no tenants, so any tenant id is unknown.
		return u, invalid(codes.tenantUnknown, fmt.Sprintf("No tenant found for the provided tenant_id (%d).", tenant))
	}
	if desc, f, err := bodyString(body, "description"); err != nil {
		return u, err
	} else if f.present && !f.null {
		if len([]rune(desc)) > 2048 {
			return u, invalid(codes.descriptionLength, "description must be 2048 characters or fewer in length.")
		}
		u.Description = &desc
	}
	if e := s.checkRoleProfile(roleID, profileID, codes); e != nil {
		return u, e
	}
	pw, f, err := bodyString(body, "password")
	if err != nil {
		return u, err
	}
	if !f.present || f.null || pw == "" {
		// The fake authenticates users itself ("system authentication"),
		// which requires a password [C 38302016].
		return u, invalid(codes.passwordRequired, "password must be provided when the Console uses system authentication.")
	}
	if e := s.checkPassword(pw, codes.passwordPolicy); e != nil {
		return u, e
	}
	hash, herr := store.HashPassword(pw)
	if herr != nil {
		return u, errInternal("store the password")
	}
	now := c.now()
	u.PasswordHash, u.PasswordCreationTime = hash, &now
	u.Pending = true
	return u, nil
}

// refID reads a role or profile id from the flat field (flat) or, on the
// compatibility surface, from the nested object {"id": N} (nested). It
// reports whether a non-null id was given. A name where an id belongs is a
// 422 naming the field.
func refID(body map[string]any, flat, nested string, compat bool, want string) (int64, bool, *apiError) {
	if compat {
		if raw, ok := body[nested]; ok && raw != nil {
			obj, isObj := raw.(map[string]any)
			if !isObj {
				return 0, false, errFieldType(nested, `an object {"id": N} with `+want, raw)
			}
			if _, hasName := obj["name"]; hasName {
				if _, hasID := obj["id"]; !hasID {
					return 0, false, newError(422, 1005, fmt.Sprintf("%s.id must be %s; names are not accepted (got %s.name)", nested, want, nested), "A request parameter is not valid.")
				}
			}
			id, f, err := bodyInt(obj, "id")
			if err != nil {
				err.Message = nested + "." + err.Message
				return 0, false, err
			}
			if !f.present || f.null {
				return 0, false, nil
			}
			return id, true, nil
		}
	}
	id, f, err := bodyInt(body, flat)
	if err != nil {
		err.Message = fmt.Sprintf("%s must be %s, got %s", flat, want, describeJSON(body[flat]))
		return 0, false, err
	}
	if !f.present || f.null {
		return 0, false, nil
	}
	return id, true, nil
}

func deref(b *bool) bool { return b != nil && *b }

// POST /staged_config/access/users/{id} — role, profile, tenant and
// description are staged (active after a deploy); the other fields apply at
// once [C reference §7.4].
func (s *Server) updateStagedUser(c *call) (*response, *apiError) {
	id, aerr := c.id("id")
	if aerr != nil {
		return nil, aerr
	}
	body, aerr := readBody(c.r, true)
	if aerr != nil {
		return nil, aerr
	}
	u, err := s.store.GetUser(c.ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, newError(404, 38303001, "The staged user does not exist.", "The staged user does not exist.")
	}
	if err != nil {
		return nil, errInternal("retrieve the user")
	}
	codes := stagedUpdateCodes
	var ch store.UserChange
	roleID, roleSet, e := refID(body, "user_role_id", "user_role", false, "a user role id (an integer from GET /api/config/access/user_roles)")
	if e != nil {
		return nil, e
	}
	if _, present := body["user_role_id"]; present && !roleSet {
		return nil, invalid(codes.roleNull, "No user role found for the provided user_role_id.")
	}
	profileID, profileSet, e := refID(body, "security_profile_id", "security_profile", false, "a security profile id (an integer from GET /api/config/access/security_profiles)")
	if e != nil {
		return nil, e
	}
	if _, present := body["security_profile_id"]; present && !profileSet {
		return nil, invalid(codes.profileNull, "No security profile found for the provided security_profile_id.")
	}
	if e := s.checkAccessChange(c, u, roleSet, profileSet, 38303002); e != nil {
		return nil, e
	}
	newRole, newProfile := u.UserRoleID, u.SecurityProfileID
	if roleSet {
		newRole = roleID
		ch.UserRoleID = &roleID
	}
	if profileSet {
		newProfile = profileID
		ch.SecurityProfileID = &profileID
	}
	if roleSet || profileSet {
		if e := s.checkRoleProfile(newRole, newProfile, codes); e != nil {
			return nil, e
		}
	}
	if tenant, f, err := bodyInt(body, "tenant_id"); err != nil {
		return nil, err
	} else if f.present {
		if !f.null {
			return nil, invalid(codes.tenantUnknown, fmt.Sprintf("No tenant found for the provided tenant_id (%d).", tenant))
		}
		var none *int64
		ch.TenantID = &none
	}
	if desc, f, err := bodyString(body, "description"); err != nil {
		return nil, err
	} else if f.present {
		var p *string
		if !f.null {
			if len([]rune(desc)) > 2048 {
				return nil, invalid(codes.descriptionLength, "description must be 2048 characters or fewer in length.")
			}
			p = &desc
		}
		ch.Description = &p
	}
	updated, e := s.finishUserChange(c, u, body, codes, &ch)
	if e != nil {
		return nil, e
	}
	return c.itemResponse(s.userObject(c.version, updated, s.opts.NestedRefs))
}

// finishUserChange adds the fields every user update takes (email, locale,
// flags, timeout, password) to ch and applies it.
func (s *Server) finishUserChange(c *call, u store.User, body map[string]any, codes userCodes, ch *store.UserChange) (store.User, *apiError) {
	if e := s.optionalFields(body, codes, ch); e != nil {
		return u, e
	}
	if e := s.passwordChange(c, u, body, codes, ch); e != nil {
		return u, e
	}
	updated, err := s.store.UpdateUser(c.ctx, u.ID, *ch)
	if err != nil {
		return u, errInternal("update the user")
	}
	return updated, nil
}

// checkAccessChange refuses role/profile changes to the default admin and
// to one's own account [C 38316002, 38303002/ownCode].
func (s *Server) checkAccessChange(c *call, u store.User, roleSet, profileSet bool, ownCode int) *apiError {
	if !roleSet && !profileSet {
		return nil
	}
	if u.DefaultAdmin {
		return newError(403, 38316002, "The requested action is not allowed for the default admin user.", "")
	}
	if !c.who.Service && c.who.ID == u.ID {
		return newError(403, ownCode, "Users are forbidden to change their own user role or security profile.", "")
	}
	return nil
}

// passwordChange validates password / old_password: changing one's own
// password needs the old one; changing another's must not send it
// [C reference §7.4, 38311006–38311008].
func (s *Server) passwordChange(c *call, u store.User, body map[string]any, codes userCodes, ch *store.UserChange) *apiError {
	pw, f, err := bodyString(body, "password")
	if err != nil {
		return err
	}
	old, of, err := bodyString(body, "old_password")
	if err != nil {
		return err
	}
	if !f.present || f.null {
		return nil
	}
	self := !c.who.Service && c.who.ID == u.ID
	if self && codes.oldPasswordRequired != 0 {
		if !of.present || of.null || old == "" {
			return invalid(codes.oldPasswordRequired, "old_password must be provided to change your own password.")
		}
		if !store.CheckPassword(u.PasswordHash, old) {
			return invalid(codes.oldPasswordMismatch, "old_password does not match the current password.")
		}
	} else if !self && codes.oldPasswordForbidden != 0 && of.present && !of.null {
		return invalid(codes.oldPasswordForbidden, "old_password must not be provided when changing another user's password.")
	}
	if e := s.checkPassword(pw, codes.passwordPolicy); e != nil {
		return e
	}
	hash, herr := store.HashPassword(pw)
	if herr != nil {
		return errInternal("store the password")
	}
	now := c.now()
	ch.PasswordHash, ch.PasswordCreationTime = &hash, &now
	return nil
}
