package fakeqradar

import (
	"strconv"

	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
)

// rawJSON is an already encoded JSON value.
type rawJSON []byte

// appendUserJSON writes a user exactly as userObject renders it, without
// building the object: the hot path of user reads and lists.
// TestAppendUserJSONMatchesUserObject holds the two together.
// deployed renders the deployed values of the staged-only fields (as
// User.AsDeployed), without copying the user.
func (s *Server) appendUserJSON(b []byte, v *apiVersion, u *store.User, deployed, nested bool) []byte {
	description, roleID, profileID, tenantID := u.Description, u.UserRoleID, u.SecurityProfileID, u.TenantID
	if deployed {
		description, tenantID = u.DDescription, u.DTenantID
		if u.DUserRoleID != nil {
			roleID = *u.DUserRoleID
		}
		if u.DSecurityProfileID != nil {
			profileID = *u.DSecurityProfileID
		}
	}
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, u.ID, 10)
	b = append(b, `,"username":`...)
	b = appendString(b, u.Username)
	b = append(b, `,"email":`...)
	b = appendOptString(b, u.Email)
	b = append(b, `,"description":`...)
	b = appendOptString(b, description)
	b = append(b, `,"user_role_id":`...)
	b = strconv.AppendInt(b, roleID, 10)
	b = append(b, `,"security_profile_id":`...)
	b = strconv.AppendInt(b, profileID, 10)
	b = append(b, `,"tenant_id":`...)
	b = appendOptInt(b, tenantID)
	b = append(b, `,"locale_id":`...)
	b = appendOptString(b, u.LocaleID)
	b = append(b, `,"enable_popup_notifications":`...)
	b = strconv.AppendBool(b, u.EnablePopupNotifications)
	b = append(b, `,"old_password":null,"password":null,"password_creation_time":`...)
	b = appendOptInt(b, u.PasswordCreationTime)
	b = append(b, `,"allow_system_authentication_fallback":`...)
	b = strconv.AppendBool(b, u.AllowSystemAuthenticationFallback)
	if v.atLeast(14, 0) {
		b = append(b, `,"local_only_account":`...)
		b = strconv.AppendBool(b, u.LocalOnlyAccount)
	}
	b = append(b, `,"inactivity_timeout":`...)
	b = strconv.AppendInt(b, u.InactivityTimeout, 10)
	if v.atLeast(14, 0) {
		b = append(b, `,"notification_flag":`...)
		b = appendOptString(b, u.NotificationFlag)
	}
	if nested {
		acc := s.access.Load()
		if r := acc.roleByID[roleID]; r != nil {
			b = append(b, `,"user_role":{"id":`...)
			b = strconv.AppendInt(b, r.ID, 10)
			b = append(b, `,"name":`...)
			b = appendString(b, r.Name)
			b = append(b, '}')
		}
		if p := acc.profileByID[profileID]; p != nil {
			b = append(b, `,"security_profile":{"id":`...)
			b = strconv.AppendInt(b, p.ID, 10)
			b = append(b, `,"name":`...)
			b = appendString(b, p.Name)
			b = append(b, '}')
		}
	}
	return append(b, '}')
}

func appendOptString(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return appendString(b, *s)
}

func appendOptInt(b []byte, n *int64) []byte {
	if n == nil {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, *n, 10)
}
