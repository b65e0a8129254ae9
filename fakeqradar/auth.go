package fakeqradar

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
)

// adminCapability is the capability that lets a role manage users and
// authorized services.
const adminCapability = "ADMIN"

// accessCache holds the roles and profiles in memory: they are read-only
// through the API, so they change only on Reset.
type accessCache struct {
	roles       []store.Role
	roleByID    map[int64]*store.Role
	profiles    []store.SecurityProfile
	profileByID map[int64]*store.SecurityProfile
}

func (s *Server) reloadAccess(ctx context.Context) error {
	roles, err := s.store.ListRoles(ctx)
	if err != nil {
		return err
	}
	profiles, err := s.store.ListSecurityProfiles(ctx)
	if err != nil {
		return err
	}
	c := &accessCache{roles: roles, profiles: profiles,
		roleByID: map[int64]*store.Role{}, profileByID: map[int64]*store.SecurityProfile{}}
	for i := range c.roles {
		c.roleByID[c.roles[i].ID] = &c.roles[i]
	}
	for i := range c.profiles {
		c.profileByID[c.profiles[i].ID] = &c.profiles[i]
	}
	s.access.Store(c)
	return nil
}

func hasAdmin(r store.Role) bool {
	for _, c := range r.Capabilities {
		if c.Name == adminCapability {
			return true
		}
	}
	return false
}

// forgetTokens empties the token cache (after a service is deleted, a
// reset, or anything else that can revoke a token).
func (s *Server) forgetTokens() {
	s.tokens.Clear()
}

// principal is who a request acts as.
type principal struct {
	Service   bool   // an authorized service (SEC token), else a user (Basic)
	Name      string // service label or username
	ID        int64  // service id or user id
	RoleID    int64
	ProfileID int64
	Admin     bool
	Basic     bool // authenticated with Basic credentials
	Session   bool // authenticated with a session token
}

// authenticate resolves the request's credentials. SEC wins when both SEC
// and Authorization are present [I reference §1]. Every failure is 401 with
// the code-18 body [C/I reference §2.1].
func (s *Server) authenticate(r *http.Request) (*principal, *apiError) {
	if sec := strings.TrimSpace(r.Header.Get("SEC")); sec != "" {
		return s.authToken(r.Context(), sec)
	}
	authz := strings.TrimSpace(r.Header.Get("Authorization"))
	if authz == "" {
		return nil, errNoCredentials()
	}
	scheme, cred, _ := strings.Cut(authz, " ")
	if !strings.EqualFold(scheme, "Basic") {
		return nil, errBadCredentials()
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
	if err != nil {
		return nil, errBadCredentials()
	}
	user, pass, found := strings.Cut(string(raw), ":")
	if !found || user == "" {
		return nil, errBadCredentials()
	}
	return s.authBasic(r.Context(), user, pass)
}

func (s *Server) authToken(ctx context.Context, token string) (*principal, *apiError) {
	if len(token) > 256 {
		return nil, errBadCredentials()
	}
	h := store.TokenHash(token)
	var svc store.AuthorizedService
	if cached, ok := s.tokens.Load(string(h)); ok {
		svc = cached.(store.AuthorizedService)
	} else {
		var err error
		svc, err = s.store.ServiceByTokenHash(ctx, h)
		if errors.Is(err, store.ErrNotFound) {
			if p, ok := s.authSession(ctx, h); ok {
				return p, nil
			}
			return nil, errBadCredentials()
		}
		if err != nil {
			return nil, errInternal("authenticate the request")
		}
		s.tokens.Store(string(h), svc)
	}
	// The lookup is by hash; compare again in constant time so that no
	// branch depends on how much of the token matched.
	if subtle.ConstantTimeCompare(svc.TokenHash, h) != 1 {
		return nil, errBadCredentials()
	}
	if svc.ExpirationDate != nil && *svc.ExpirationDate <= s.nowMS() {
		return nil, errBadCredentials()
	}
	s.touchService(ctx, h, svc)
	p := &principal{Service: true, Name: svc.Label, ID: svc.ID, RoleID: svc.UserRoleID, ProfileID: svc.SecurityProfileID}
	if r := s.access.Load().roleByID[svc.UserRoleID]; r != nil {
		p.Admin = hasAdmin(*r)
	}
	return p, nil
}

// lastUsedGranularity is how stale an authorized service's last_used_date
// may be: the date is written at most once per this interval per service,
// so that authentication does not turn every request into a write.
const lastUsedGranularity = 60_000 // ms

// touchService records the use of a service's token in last_used_date.
func (s *Server) touchService(ctx context.Context, h []byte, svc store.AuthorizedService) {
	now := s.nowMS()
	if svc.LastUsedDate != nil && now-*svc.LastUsedDate < lastUsedGranularity {
		return
	}
	if err := s.store.TouchAuthorizedService(ctx, svc.ID, now); err != nil {
		return // a lost last-used date must not fail the request
	}
	svc.LastUsedDate = &now
	s.tokens.Store(string(h), svc)
}

func (s *Server) authBasic(ctx context.Context, username, password string) (*principal, *apiError) {
	u, err := s.store.UserByUsername(ctx, username)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, errInternal("authenticate the request")
	}
	if err != nil || !u.Deployed || u.PasswordHash == "" {
		// Spend the same work as a real check so that unknown users cannot
		// be told apart by timing.
		store.CheckPassword(dummyHash(), password)
		return nil, errBadCredentials()
	}
	if !store.CheckPassword(u.PasswordHash, password) {
		return nil, errBadCredentials()
	}
	p := s.userPrincipal(u)
	p.Basic = true
	return p, nil
}

// userPrincipal is a user acting with its deployed role and profile.
func (s *Server) userPrincipal(u store.User) *principal {
	d := u.AsDeployed()
	p := &principal{Name: u.Username, ID: u.ID, RoleID: d.UserRoleID, ProfileID: d.SecurityProfileID}
	if r := s.access.Load().roleByID[d.UserRoleID]; r != nil {
		p.Admin = hasAdmin(*r)
	}
	return p
}

// dummyHash is a hash to check wrong usernames against, made on first use.
var dummyHash = sync.OnceValue(func() string {
	h, _ := store.HashPassword("not a password")
	return h
})
