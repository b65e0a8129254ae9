package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"time"
)

// Millis is a QRadar timestamp: milliseconds since the Unix epoch.
type Millis int64

// Time converts m to a time.Time.
func (m Millis) Time() time.Time { return time.UnixMilli(int64(m)) }

// Ref points at another object by id; responses of the vendor note's surface may
// also carry its name. On input only the id is sent.
type Ref struct {
	ID   int64  `json:"id"`
	Name string `json:"name,omitempty"`
}

// User is a QRadar user as /api/config/access/users and
// /api/staged_config/access/users return it. Unknown fields are ignored; password and
// old_password are always null on the wire and are not kept.
type User struct {
	ID                                int64   `json:"id"`
	Username                          string  `json:"username"`
	Email                             string  `json:"email,omitempty"`
	Description                       string  `json:"description,omitempty"`
	UserRoleID                        int64   `json:"user_role_id"`
	SecurityProfileID                 int64   `json:"security_profile_id"`
	TenantID                          *int64  `json:"tenant_id"`
	LocaleID                          string  `json:"locale_id,omitempty"`
	EnablePopupNotifications          bool    `json:"enable_popup_notifications"`
	PasswordCreationTime              Millis  `json:"password_creation_time,omitempty"`
	AllowSystemAuthenticationFallback bool    `json:"allow_system_authentication_fallback"`
	LocalOnlyAccount                  bool    `json:"local_only_account"`
	InactivityTimeout                 int64   `json:"inactivity_timeout"`
	NotificationFlag                  *string `json:"notification_flag"`

	// UserRole and SecurityProfile are the nested objects of the vendor note's surface,
	// present only when the Console sends them. When the flat ids are absent they are
	// filled from these.
	UserRole        *Ref `json:"user_role,omitempty"`
	SecurityProfile *Ref `json:"security_profile,omitempty"`
}

// UnmarshalJSON decodes u and fills UserRoleID/SecurityProfileID from the nested
// user_role/security_profile objects when only those are present.
func (u *User) UnmarshalJSON(b []byte) error {
	type plain User
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	if p.UserRoleID == 0 && p.UserRole != nil {
		p.UserRoleID = p.UserRole.ID
	}
	if p.SecurityProfileID == 0 && p.SecurityProfile != nil {
		p.SecurityProfileID = p.SecurityProfile.ID
	}
	*u = User(p)
	return nil
}

// UserUpdate is the body of POST /api/config/access/users/{id}. Only non-nil fields
// are sent; the Console leaves the others unchanged.
type UserUpdate struct {
	Email                             *string `json:"email,omitempty"`
	LocaleID                          *string `json:"locale_id,omitempty"`
	EnablePopupNotifications          *bool   `json:"enable_popup_notifications,omitempty"`
	AllowSystemAuthenticationFallback *bool   `json:"allow_system_authentication_fallback,omitempty"`
	LocalOnlyAccount                  *bool   `json:"local_only_account,omitempty"`
	InactivityTimeout                 *int64  `json:"inactivity_timeout,omitempty"`
	OldPassword                       *string `json:"old_password,omitempty"`
	Password                          *string `json:"password,omitempty"`

	// UserRole and SecurityProfile belong to the vendor note's surface, where they
	// apply at once. IBM's documented endpoint ignores them; change them with
	// StagedUsers.Update and a deploy instead.
	UserRole        *Ref `json:"user_role,omitempty"`
	SecurityProfile *Ref `json:"security_profile,omitempty"`
}

// UserCreate is the body of the vendor note's POST /api/config/access/users, which
// creates and deploys a user at once.
type UserCreate struct {
	Username        string `json:"username"`
	Password        string `json:"password,omitempty"`
	Email           string `json:"email,omitempty"`
	Description     string `json:"description,omitempty"`
	LocaleID        string `json:"locale_id,omitempty"`
	TenantID        *int64 `json:"tenant_id,omitempty"`
	UserRole        Ref    `json:"user_role"`
	SecurityProfile Ref    `json:"security_profile"`
}

// MarshalJSON sends user_role and security_profile as {"id":N} only.
func (u UserCreate) MarshalJSON() ([]byte, error) {
	type plain UserCreate
	p := plain(u)
	p.UserRole.Name, p.SecurityProfile.Name = "", ""
	return json.Marshal(p)
}

// UsersService reads and updates deployed users: /api/config/access/users.
type UsersService service

// List walks all deployed users matching opts, page by page.
func (s *UsersService) List(ctx context.Context, opts *ListOptions) iter.Seq2[User, error] {
	return listAll[User](ctx, s.c, "/config/access/users", opts)
}

// ListPage returns one page of deployed users starting at item first.
func (s *UsersService) ListPage(ctx context.Context, first int, opts *ListOptions) ([]User, *Response, error) {
	return listPage[User](ctx, s.c, "/config/access/users", first, opts)
}

// Get returns the deployed user with the given id.
func (s *UsersService) Get(ctx context.Context, id int64) (*User, error) {
	return doUser(ctx, s.c, &apiRequest{method: http.MethodGet, path: userPath(id)})
}

// ByUsername finds the deployed user with exactly this username, using the filter
// username="…". A missing user is a *NameNotFoundError (errors.Is ErrNotFound).
func (s *UsersService) ByUsername(ctx context.Context, username string) (*User, error) {
	return byUsername(ctx, s.c, "/config/access/users", username)
}

// Update changes the set fields of a deployed user (POST, never PUT or PATCH) and
// returns the user as the Console reports it afterwards.
func (s *UsersService) Update(ctx context.Context, id int64, upd UserUpdate) (*User, error) {
	return doUser(ctx, s.c, &apiRequest{method: http.MethodPost, path: userPath(id), body: upd})
}

// ErrVendorNoteOnly is returned by methods that exist only on the vendor note's
// surface when the Client was created without WithVendorNoteMode.
var ErrVendorNoteOnly = errors.New("client: endpoint exists only on the vendor note's surface; use WithVendorNoteMode")

// Create creates and deploys a user in one call with the vendor note's
// POST /api/config/access/users. Vendor-note mode only; IBM documents
// StagedUsers.Create followed by a deploy.
func (s *UsersService) Create(ctx context.Context, req UserCreate) (*User, error) {
	if !s.c.vendorNote {
		return nil, fmt.Errorf("POST /api/config/access/users: %w", ErrVendorNoteOnly)
	}
	return doUser(ctx, s.c, &apiRequest{method: http.MethodPost, path: "/config/access/users", body: req})
}

// Delete starts deleting a user with the vendor note's DELETE /api/config/access/users/{id}
// and returns the task to wait for with Tasks.WaitUserDeleteTask. Vendor-note mode
// only; IBM documents StagedUsers.Delete.
func (s *UsersService) Delete(ctx context.Context, id int64) (*Task, error) {
	if !s.c.vendorNote {
		return nil, fmt.Errorf("DELETE /api/config/access/users/{id}: %w", ErrVendorNoteOnly)
	}
	var t Task
	if _, err := s.c.do(ctx, &apiRequest{method: http.MethodDelete, path: userPath(id)}, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

func userPath(id int64) string { return fmt.Sprintf("/config/access/users/%d", id) }

func byUsername(ctx context.Context, c *Client, path, username string) (*User, error) {
	opts := &ListOptions{Filter: Eq("username", username), PageSize: 10}
	for u, err := range listAll[User](ctx, c, path, opts) {
		if err != nil {
			return nil, err
		}
		if u.Username == username {
			return &u, nil
		}
	}
	return nil, &NameNotFoundError{Kind: "user", Name: username}
}

// StagedUserCreate is the body of POST /api/staged_config/access/users. The user
// becomes active after a deploy.
type StagedUserCreate struct {
	Username                          string `json:"username"`
	UserRoleID                        int64  `json:"user_role_id"`
	SecurityProfileID                 int64  `json:"security_profile_id"`
	TenantID                          *int64 `json:"tenant_id,omitempty"`
	Description                       string `json:"description,omitempty"`
	Email                             string `json:"email,omitempty"`
	LocaleID                          string `json:"locale_id,omitempty"`
	EnablePopupNotifications          *bool  `json:"enable_popup_notifications,omitempty"`
	AllowSystemAuthenticationFallback *bool  `json:"allow_system_authentication_fallback,omitempty"`
	LocalOnlyAccount                  *bool  `json:"local_only_account,omitempty"`
	InactivityTimeout                 *int64 `json:"inactivity_timeout,omitempty"`
	Password                          string `json:"password,omitempty"`
}

// StagedUserUpdate is the body of POST /api/staged_config/access/users/{id}. Only
// non-nil fields are sent. UserRoleID, SecurityProfileID, TenantID and Description
// take effect after a deploy, the others at once.
type StagedUserUpdate struct {
	UserRoleID                        *int64  `json:"user_role_id,omitempty"`
	SecurityProfileID                 *int64  `json:"security_profile_id,omitempty"`
	TenantID                          *int64  `json:"tenant_id,omitempty"`
	Description                       *string `json:"description,omitempty"`
	Email                             *string `json:"email,omitempty"`
	LocaleID                          *string `json:"locale_id,omitempty"`
	EnablePopupNotifications          *bool   `json:"enable_popup_notifications,omitempty"`
	AllowSystemAuthenticationFallback *bool   `json:"allow_system_authentication_fallback,omitempty"`
	LocalOnlyAccount                  *bool   `json:"local_only_account,omitempty"`
	InactivityTimeout                 *int64  `json:"inactivity_timeout,omitempty"`
	OldPassword                       *string `json:"old_password,omitempty"`
	Password                          *string `json:"password,omitempty"`
}

// StagedUsersService manages users in staging: /api/staged_config/access/users.
type StagedUsersService service

const stagedUsersPath = "/staged_config/access/users"

// List walks all staged users matching opts.
func (s *StagedUsersService) List(ctx context.Context, opts *ListOptions) iter.Seq2[User, error] {
	return listAll[User](ctx, s.c, stagedUsersPath, opts)
}

// ListPage returns one page of staged users starting at item first.
func (s *StagedUsersService) ListPage(ctx context.Context, first int, opts *ListOptions) ([]User, *Response, error) {
	return listPage[User](ctx, s.c, stagedUsersPath, first, opts)
}

// Get returns the staged user with the given id.
func (s *StagedUsersService) Get(ctx context.Context, id int64) (*User, error) {
	return doUser(ctx, s.c, &apiRequest{method: http.MethodGet, path: stagedUserPath(id)})
}

// ByUsername finds the staged user with exactly this username.
func (s *StagedUsersService) ByUsername(ctx context.Context, username string) (*User, error) {
	return byUsername(ctx, s.c, stagedUsersPath, username)
}

// Create creates a user in staging (201); deploy to activate it.
func (s *StagedUsersService) Create(ctx context.Context, req StagedUserCreate) (*User, error) {
	return doUser(ctx, s.c, &apiRequest{method: http.MethodPost, path: stagedUsersPath, body: req})
}

// Update changes the set fields of a staged user.
func (s *StagedUsersService) Update(ctx context.Context, id int64, upd StagedUserUpdate) (*User, error) {
	return doUser(ctx, s.c, &apiRequest{method: http.MethodPost, path: stagedUserPath(id), body: upd})
}

// Delete starts deleting a user (202) and returns the delete task; wait for it with
// Tasks.WaitUserDeleteTask. Until the task completes the user still exists.
func (s *StagedUsersService) Delete(ctx context.Context, id int64) (*Task, error) {
	var t Task
	if _, err := s.c.do(ctx, &apiRequest{method: http.MethodDelete, path: stagedUserPath(id)}, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

func stagedUserPath(id int64) string { return fmt.Sprintf("%s/%d", stagedUsersPath, id) }

// doUser sends req and decodes the user the Console answers with.
func doUser(ctx context.Context, c *Client, req *apiRequest) (*User, error) {
	var u User
	if _, err := c.do(ctx, req, &u); err != nil {
		return nil, err
	}
	return &u, nil
}
