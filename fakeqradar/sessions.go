package fakeqradar

import (
	"context"
	"crypto/subtle"
	"net/http"
	"sync"

	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
)

// sessions are the SEC session tokens a Console hands to users who sign in
// with Basic credentials (Set-Cookie: SEC=…), which clients such as the
// Ansible collection then send as a SEC header [I reference §1, 12b item 8].
// Off unless Options.SessionCookies: a token in a response is otherwise
// reserved to authorized-service creation. Kept in memory only.
type sessions struct {
	mu     sync.Mutex
	byHash map[string]session // token hash → session
	byUser map[int64]string   // user id → its token, re-issued while valid
}

type session struct {
	userID int64
	// password is the user's stored password hash at sign-in (salted: a
	// new password, even the same one, gives a new hash): a password change
	// ends the session.
	password string
	hash     []byte
}

// issue returns the user's session token, creating one if needed.
func (ss *sessions) issue(u store.User) string {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.byHash == nil {
		ss.byHash, ss.byUser = map[string]session{}, map[int64]string{}
	}
	if tok, ok := ss.byUser[u.ID]; ok {
		if se, ok := ss.byHash[string(store.TokenHash(tok))]; ok && se.password == u.PasswordHash {
			return tok
		}
		delete(ss.byHash, string(store.TokenHash(tok)))
	}
	tok := newUUID()
	h := store.TokenHash(tok)
	ss.byHash[string(h)] = session{userID: u.ID, password: u.PasswordHash, hash: h}
	ss.byUser[u.ID] = tok
	return tok
}

// lookup finds the session of a token hash.
func (ss *sessions) lookup(h []byte) (session, bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	se, ok := ss.byHash[string(h)]
	return se, ok && subtle.ConstantTimeCompare(se.hash, h) == 1
}

// end ends a user's session.
func (ss *sessions) end(userID int64) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if tok, ok := ss.byUser[userID]; ok {
		delete(ss.byHash, string(store.TokenHash(tok)))
		delete(ss.byUser, userID)
	}
}

func (ss *sessions) clear() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.byHash, ss.byUser = nil, nil
}

// authSession authenticates a SEC token that is a session token: the user
// must still be deployed, with the password it signed in with.
func (s *Server) authSession(ctx context.Context, h []byte) (*principal, bool) {
	se, ok := s.sessions.lookup(h)
	if !ok {
		return nil, false
	}
	u, err := s.store.GetUser(ctx, se.userID)
	if err != nil || !u.Deployed || u.PasswordHash != se.password {
		s.sessions.end(se.userID)
		return nil, false
	}
	p := s.userPrincipal(u)
	p.Session = true
	return p, true
}

// setSessionCookie hands a Basic-authenticated user its session token.
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, who *principal) {
	if !s.opts.SessionCookies || !who.Basic {
		return
	}
	u, err := s.store.GetUser(r.Context(), who.ID)
	if err != nil {
		return
	}
	c := &http.Cookie{Name: "SEC", Value: s.sessions.issue(u), Path: "/", HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode}
	w.Header().Add("Set-Cookie", c.String())
}

// POST /auth/logout — ends the caller's session (a user signed in with
// Basic credentials or a session token); for an authorized service there is
// nothing to end. The response body is [U].
func (s *Server) logout(c *call) (*response, *apiError) {
	if !c.who.Service {
		s.sessions.end(c.who.ID)
	}
	return ok(object{{"message", "You have been logged out."}}), nil
}
