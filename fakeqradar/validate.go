package fakeqradar

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
)

// codes is the set of QRadar codes one endpoint uses for user validation
// failures; create, staged update and deployed update each have their own
// range (reference §7.3, §7.4). 0 means the endpoint does not check it.
type userCodes struct {
	usernameNull, usernameLength, usernameChars                       int
	roleNull, profileNull, roleUnknown, profileUnknown, tenantUnknown int
	adminProfile                                                      int
	descriptionLength                                                 int
	emailNull, emailLength, emailFormat                               int
	locale                                                            int
	passwordRequired, passwordPolicy                                  int
	oldPasswordRequired, oldPasswordForbidden, oldPasswordMismatch    int
}

// createCodes: POST /staged_config/access/users [C reference §7.3].
var createCodes = userCodes{
	usernameNull: 38302020, usernameLength: 38302001, usernameChars: 38302023,
	roleNull: 38302021, profileNull: 38302022, roleUnknown: 38302003, profileUnknown: 38302007, tenantUnknown: 38302005,
	adminProfile: 38302024, descriptionLength: 38302011,
	emailNull: 38302012, emailLength: 38302013, emailFormat: 38302014, locale: 38302015,
	passwordRequired: 38302016, passwordPolicy: 38302019,
}

// stagedUpdateCodes: POST /staged_config/access/users/{id}. 38303003,
// 38303006 and 38303008 are [C] reference §7.4; the rest of 38303007–
// 38303020 are documented without texts, so their assignment is [U].
var stagedUpdateCodes = userCodes{
	roleNull: 38303003, profileNull: 38303008, roleUnknown: 38303003, profileUnknown: 38303008, tenantUnknown: 38303006,
	adminProfile: 38303007, descriptionLength: 38303010,
	emailNull: 38303011, emailLength: 38303011, emailFormat: 38303012, locale: 38303013,
	passwordPolicy: 38303014,
}

// deployedUpdateCodes: POST /config/access/users/{id} [C reference §7.4].
var deployedUpdateCodes = userCodes{
	roleNull: 38303003, profileNull: 38303008, roleUnknown: 38303003, profileUnknown: 38303008, tenantUnknown: 38303006,
	adminProfile: 38303007,
	emailNull:    38311004, emailLength: 38311003, emailFormat: 38311004, locale: 38311005,
	passwordPolicy:      38311010,
	oldPasswordRequired: 38311006, oldPasswordForbidden: 38311007, oldPasswordMismatch: 38311008,
}

func invalid(code int, msg string) *apiError {
	return newError(422, code, msg, "A request parameter is not valid.")
}

// checkUsername applies the create rules: 1–60 characters; no leading or
// trailing spaces, no whitespace other than a space, none of ' " / \.
func checkUsername(name string, codes userCodes) *apiError {
	if n := utf8.RuneCountInString(name); n < 1 || n > 60 {
		return invalid(codes.usernameLength, "username must be between 1 and 60 characters inclusive in length.")
	}
	bad := strings.TrimSpace(name) != name
	for _, r := range name {
		if (unicode.IsSpace(r) && r != ' ') || strings.ContainsRune(`'"/\`, r) || r == utf8.RuneError || unicode.IsControl(r) {
			bad = true
		}
	}
	if bad {
		return invalid(codes.usernameChars, `username must not have leading or trailing spaces, whitespace other than spaces, control characters, or any of the characters ' " / \.`)
	}
	return nil
}

// checkEmail: at most 255 characters, exactly one @ with something on both
// sides, no whitespace [C reference §7.3].
func checkEmail(email string, codes userCodes) *apiError {
	if utf8.RuneCountInString(email) > 255 {
		return invalid(codes.emailLength, "email must be 255 characters or fewer in length.")
	}
	at := strings.Count(email, "@")
	local, domain, _ := strings.Cut(email, "@")
	if at != 1 || local == "" || domain == "" || strings.IndexFunc(email, unicode.IsSpace) >= 0 {
		return invalid(codes.emailFormat, "email field must contain exactly one @ symbol, with at least one character before and after the @ symbol, and no whitespace characters.")
	}
	return nil
}

// locales are the locale ids the fake accepts (a Console's UI languages).
var locales = map[string]bool{
	"en": true, "en_US": true, "en_GB": true, "de_DE": true, "es_ES": true, "fr_FR": true, "it_IT": true,
	"ja_JP": true, "ko_KR": true, "pt_BR": true, "ru_RU": true, "zh_CN": true, "zh_TW": true,
}

func checkLocale(l string, codes userCodes) *apiError {
	if !locales[l] {
		return invalid(codes.locale, fmt.Sprintf("locale_id is not a valid locale. %q is not one of the supported locales.", l))
	}
	return nil
}

func (s *Server) checkPassword(pw string, code int) *apiError {
	if utf8.RuneCountInString(pw) < s.opts.MinPasswordLength {
		return invalid(code, fmt.Sprintf("password does not adhere to the password policy. It must be at least %d characters long.", s.opts.MinPasswordLength))
	}
	if len(pw) > 255 {
		return invalid(code, "password does not adhere to the password policy. It must be at most 255 bytes long.")
	}
	return nil
}

// checkRoleProfile resolves role and profile ids and enforces that a role
// with the ADMIN capability uses the profile named "Admin" [C 38302024].
func (s *Server) checkRoleProfile(roleID, profileID int64, codes userCodes) *apiError {
	acc := s.access.Load()
	role := acc.roleByID[roleID]
	if role == nil {
		return invalid(codes.roleUnknown, "No user role found for the provided user_role_id.")
	}
	profile := acc.profileByID[profileID]
	if profile == nil {
		return invalid(codes.profileUnknown, "No security profile found for the provided security_profile_id.")
	}
	if hasAdmin(*role) && profile.Name != "Admin" {
		return invalid(codes.adminProfile, fmt.Sprintf("Users with the %s role (ADMIN capability) must use the \"Admin\" security profile; security_profile_id %d is %q.", role.Name, profile.ID, profile.Name))
	}
	return nil
}

// optionalFields reads the fields that every user write accepts besides the
// identity and access fields, into c. All problems are reported with codes.
func (s *Server) optionalFields(body map[string]any, codes userCodes, c *store.UserChange) *apiError {
	if v, f, err := bodyString(body, "email"); err != nil {
		return err
	} else if f.present {
		if f.null {
			return invalid(codes.emailNull, "email must be provided and must not be null.")
		}
		if e := checkEmail(v, codes); e != nil {
			return e
		}
		p := &v
		c.Email = &p
	}
	if v, f, err := bodyString(body, "locale_id"); err != nil {
		return err
	} else if f.present {
		var p *string
		if !f.null {
			if e := checkLocale(v, codes); e != nil {
				return e
			}
			p = &v
		}
		c.LocaleID = &p
	}
	for _, b := range []struct {
		key string
		dst **bool
	}{
		{"enable_popup_notifications", &c.EnablePopupNotifications},
		{"allow_system_authentication_fallback", &c.AllowSystemAuthenticationFallback},
		{"local_only_account", &c.LocalOnlyAccount},
	} {
		v, f, err := bodyBool(body, b.key)
		if err != nil {
			return err
		}
		if f.present && !f.null {
			vv := v
			*b.dst = &vv
		}
	}
	if v, f, err := bodyInt(body, "inactivity_timeout"); err != nil {
		return err
	} else if f.present && !f.null {
		if v < 0 {
			return newError(422, 1005, "inactivity_timeout must be zero (never) or a positive number of milliseconds.", "A request parameter is not valid.")
		}
		// Truncated to whole minutes [C reference §7.2].
		v -= v % 60000
		c.InactivityTimeout = &v
	}
	return nil
}
