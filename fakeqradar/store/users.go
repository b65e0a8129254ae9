package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// User is one row of the users table: the staged configuration plus the
// deployed copy of the staged-only fields.
type User struct {
	ID                                int64
	Username                          string
	Email                             *string
	Description                       *string
	UserRoleID                        int64
	SecurityProfileID                 int64
	TenantID                          *int64
	LocaleID                          *string
	EnablePopupNotifications          bool
	AllowSystemAuthenticationFallback bool
	LocalOnlyAccount                  bool
	InactivityTimeout                 int64
	NotificationFlag                  *string
	PasswordHash                      string
	PasswordCreationTime              *int64
	DefaultAdmin                      bool

	Deployed           bool // the user exists in the deployed configuration
	Pending            bool // staged values differ from the deployed ones
	DDescription       *string
	DUserRoleID        *int64
	DSecurityProfileID *int64
	DTenantID          *int64
}

// AsDeployed returns the user as the deployed configuration shows it: the
// staged-only fields replaced by their deployed values.
func (u User) AsDeployed() User {
	d := u
	d.Description = u.DDescription
	if u.DUserRoleID != nil {
		d.UserRoleID = *u.DUserRoleID
	}
	if u.DSecurityProfileID != nil {
		d.SecurityProfileID = *u.DSecurityProfileID
	}
	d.TenantID = u.DTenantID
	return d
}

const userColumns = `id, username, email, description, user_role_id, security_profile_id, tenant_id, locale_id,
	enable_popup_notifications, allow_system_authentication_fallback, local_only_account, inactivity_timeout,
	notification_flag, password_hash, password_creation_time, default_admin, deployed, pending,
	d_description, d_user_role_id, d_security_profile_id, d_tenant_id`

type scanner interface{ Scan(dest ...any) error }

func scanUser(row scanner) (User, error) {
	var u User
	var hash sql.NullString
	err := row.Scan(&u.ID, &u.Username, &u.Email, &u.Description, &u.UserRoleID, &u.SecurityProfileID, &u.TenantID, &u.LocaleID,
		&u.EnablePopupNotifications, &u.AllowSystemAuthenticationFallback, &u.LocalOnlyAccount, &u.InactivityTimeout,
		&u.NotificationFlag, &hash, &u.PasswordCreationTime, &u.DefaultAdmin, &u.Deployed, &u.Pending,
		&u.DDescription, &u.DUserRoleID, &u.DSecurityProfileID, &u.DTenantID)
	u.PasswordHash = hash.String
	return u, err
}

// GetUser returns the user with id (staged view; see User.AsDeployed).
func (s *Store) GetUser(ctx context.Context, id int64) (User, error) {
	var u User
	found := false
	err := s.readCache(ctx, func(c *userCache) {
		if p, ok := c.byID[id]; ok {
			u, found = *p, true
		}
	})
	if err == nil && !found {
		err = ErrNotFound
	}
	return u, err
}

// UserByUsername returns the user with that exact username.
func (s *Store) UserByUsername(ctx context.Context, username string) (User, error) {
	var u User
	found := false
	err := s.readCache(ctx, func(c *userCache) {
		if id, ok := c.byName[username]; ok {
			u, found = *c.byID[id], true
		}
	})
	if err == nil && !found {
		err = ErrNotFound
	}
	return u, err
}

// UserQuery selects a window of users. Where and OrderBy are SQL produced by
// the query engine from a closed set of column names; every value is in Args.
type UserQuery struct {
	DeployedOnly bool
	Where        string // boolean SQL expression, "" = all
	Args         []any
	OrderBy      string // e.g. "ORDER BY username ASC, id ASC"; "" = by id
	Offset       int
	Limit        int // < 0 = no limit
}

// ListUsers returns one window of users and the total number that match.
func (s *Store) ListUsers(ctx context.Context, q UserQuery) ([]User, int, error) {
	if q.Where == "" && q.OrderBy == "" {
		return s.listCached(ctx, q)
	}
	var where []string
	if q.DeployedOnly {
		where = append(where, "deployed = 1")
	}
	if q.Where != "" {
		where = append(where, "("+q.Where+")")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	order := q.OrderBy
	if order == "" {
		order = "ORDER BY id"
	}
	limit := q.Limit
	if limit < 0 {
		limit = -1
	}
	var total int
	var out []User
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		count, err := s.txStmt(ctx, tx, "SELECT count(*) FROM users"+cond)
		if err != nil {
			return err
		}
		if err := count.QueryRowContext(ctx, q.Args...).Scan(&total); err != nil {
			return err
		}
		out = []User{}
		if q.Limit == 0 || q.Offset >= total {
			return nil
		}
		page, err := s.txStmt(ctx, tx, "SELECT "+userColumns+" FROM users"+cond+" "+order+" LIMIT ? OFFSET ?")
		if err != nil {
			return err
		}
		args := append(append([]any{}, q.Args...), limit, q.Offset)
		rows, err := page.QueryContext(ctx, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		out = make([]User, 0, min(max(limit, 0), total-q.Offset, 1024))
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				return err
			}
			out = append(out, u)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// VisitUsers calls fn for each user of the window q selects, in order, and
// returns the total that match. Unfiltered lists are read from the cache
// under its read lock, without copying: fn must not keep u or call the
// Store.
func (s *Store) VisitUsers(ctx context.Context, q UserQuery, fn func(u *User)) (int, error) {
	if q.Where != "" || q.OrderBy != "" {
		users, total, err := s.ListUsers(ctx, q)
		for i := range users {
			fn(&users[i])
		}
		return total, err
	}
	var total int
	err := s.readCache(ctx, func(c *userCache) {
		ids := c.all
		if q.DeployedOnly {
			ids = c.deployed
		}
		total = len(ids)
		if q.Offset >= total || q.Limit == 0 {
			return
		}
		end := total
		if q.Limit > 0 && q.Offset+q.Limit < total {
			end = q.Offset + q.Limit
		}
		for _, id := range ids[q.Offset:end] {
			fn(c.byID[id])
		}
	})
	return total, err
}

// listCached serves an unfiltered list in id order from the cache.
func (s *Store) listCached(ctx context.Context, q UserQuery) ([]User, int, error) {
	out := []User{}
	total, err := s.VisitUsers(ctx, q, func(u *User) { out = append(out, *u) })
	return out, total, err
}

func nameTaken(ctx context.Context, tx *sql.Tx, name string) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx,
		"SELECT (SELECT count(*) FROM users WHERE username = ?) + (SELECT count(*) FROM authorized_services WHERE label = ?)",
		name, name).Scan(&n)
	return n > 0, err
}

// CreateUser inserts u (ID 0 = next id) and returns its id. Deployed users
// get their deployed copy set from the staged values. ErrNameTaken when the
// username is a username or authorized-service label already.
func (s *Store) CreateUser(ctx context.Context, u User) (int64, error) {
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		taken, err := nameTaken(ctx, tx, u.Username)
		if err != nil {
			return err
		}
		if taken {
			return ErrNameTaken
		}
		id, err = insertUser(ctx, tx, u)
		if err != nil {
			return err
		}
		saved, err := scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
		if err != nil {
			return err
		}
		s.afterCommit(func() { s.cachePut(saved) })
		return nil
	})
	if isUniqueViolation(err) {
		return 0, ErrNameTaken
	}
	return id, err
}

func insertUser(ctx context.Context, tx *sql.Tx, u User) (int64, error) {
	var idArg any
	if u.ID > 0 {
		idArg = u.ID
	}
	var hash any
	if u.PasswordHash != "" {
		hash = u.PasswordHash
	}
	if u.Deployed && !u.Pending {
		u.DDescription, u.DUserRoleID, u.DSecurityProfileID, u.DTenantID = u.Description, &u.UserRoleID, &u.SecurityProfileID, u.TenantID
	}
	res, err := tx.ExecContext(ctx, "INSERT INTO users ("+userColumns+") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		idArg, u.Username, u.Email, u.Description, u.UserRoleID, u.SecurityProfileID, u.TenantID, u.LocaleID,
		u.EnablePopupNotifications, u.AllowSystemAuthenticationFallback, u.LocalOnlyAccount, u.InactivityTimeout,
		u.NotificationFlag, hash, u.PasswordCreationTime, u.DefaultAdmin, u.Deployed, u.Pending,
		u.DDescription, u.DUserRoleID, u.DSecurityProfileID, u.DTenantID)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// UserChange lists the columns an update sets; nil fields are left alone.
// Staged fields (role, profile, tenant, description) change the staged
// values and mark the user pending unless Immediate is set, in which case the
// deployed copy changes too (the vendor-note surface applies them at once).
type UserChange struct {
	Email                             **string
	Description                       **string
	UserRoleID                        *int64
	SecurityProfileID                 *int64
	TenantID                          **int64
	LocaleID                          **string
	EnablePopupNotifications          *bool
	AllowSystemAuthenticationFallback *bool
	LocalOnlyAccount                  *bool
	InactivityTimeout                 *int64
	PasswordHash                      *string
	PasswordCreationTime              *int64
	Immediate                         bool
}

// UpdateUser applies c to user id and returns the updated row.
func (s *Store) UpdateUser(ctx context.Context, id int64, c UserChange) (User, error) {
	var out User
	err := s.write(ctx, func(tx *sql.Tx) error {
		var exists int
		err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE id = ?", id).Scan(&exists)
		if err != nil {
			return err
		}
		if exists == 0 {
			return ErrNotFound
		}
		var sets []string
		var args []any
		set := func(col string, v any) { sets = append(sets, col+" = ?"); args = append(args, v) }
		if c.Email != nil {
			set("email", *c.Email)
		}
		if c.LocaleID != nil {
			set("locale_id", *c.LocaleID)
		}
		if c.EnablePopupNotifications != nil {
			set("enable_popup_notifications", *c.EnablePopupNotifications)
		}
		if c.AllowSystemAuthenticationFallback != nil {
			set("allow_system_authentication_fallback", *c.AllowSystemAuthenticationFallback)
		}
		if c.LocalOnlyAccount != nil {
			set("local_only_account", *c.LocalOnlyAccount)
		}
		if c.InactivityTimeout != nil {
			set("inactivity_timeout", *c.InactivityTimeout)
		}
		if c.PasswordHash != nil {
			set("password_hash", *c.PasswordHash)
			set("password_creation_time", c.PasswordCreationTime)
		}
		staged := c.Description != nil || c.UserRoleID != nil || c.SecurityProfileID != nil || c.TenantID != nil
		if c.Description != nil {
			set("description", *c.Description)
			if c.Immediate {
				set("d_description", *c.Description)
			}
		}
		if c.UserRoleID != nil {
			set("user_role_id", *c.UserRoleID)
			if c.Immediate {
				set("d_user_role_id", *c.UserRoleID)
			}
		}
		if c.SecurityProfileID != nil {
			set("security_profile_id", *c.SecurityProfileID)
			if c.Immediate {
				set("d_security_profile_id", *c.SecurityProfileID)
			}
		}
		if c.TenantID != nil {
			set("tenant_id", *c.TenantID)
			if c.Immediate {
				set("d_tenant_id", *c.TenantID)
			}
		}
		if len(sets) > 0 {
			if _, err := tx.ExecContext(ctx, "UPDATE users SET "+strings.Join(sets, ", ")+" WHERE id = ?", append(args, id)...); err != nil {
				return err
			}
		}
		// Recompute pending from the row itself so that staging a value and
		// staging it back leaves nothing to deploy.
		if staged {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET pending = (deployed = 0
				OR description IS NOT d_description OR user_role_id IS NOT d_user_role_id
				OR security_profile_id IS NOT d_security_profile_id OR tenant_id IS NOT d_tenant_id) WHERE id = ?`, id); err != nil {
				return err
			}
		}
		out, err = scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
		if err != nil {
			return err
		}
		saved := out
		s.afterCommit(func() { s.cachePut(saved) })
		return nil
	})
	return out, err
}

// PendingUsers counts users whose staged configuration awaits a deploy.
func (s *Store) PendingUsers(ctx context.Context) (int, error) {
	var n int
	err := s.queryRow(ctx, "SELECT count(*) FROM users WHERE pending = 1").Scan(&n)
	return n, err
}

// CountUsers returns the number of users (all, or deployed only).
func (s *Store) CountUsers(ctx context.Context, deployedOnly bool) (int, error) {
	q := "SELECT count(*) FROM users"
	if deployedOnly {
		q += " WHERE deployed = 1"
	}
	var n int
	err := s.queryRow(ctx, q).Scan(&n)
	return n, err
}

// SeedUsers inserts n synthetic deployed users named prefix0000001… with the
// given role and profile, in one transaction, and returns the first new id.
func (s *Store) SeedUsers(ctx context.Context, n int, prefix string, roleID, profileID int64, now int64) (int64, error) {
	defer s.cacheDrop()
	var first int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM users").Scan(&first); err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO users (id, username, email, user_role_id, security_profile_id, locale_id,
			password_creation_time, deployed, pending, d_user_role_id, d_security_profile_id)
			VALUES (?, ?, ?, ?, ?, 'en_US', ?, 1, 0, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i := 0; i < n; i++ {
			id := first + int64(i)
			name := fmt.Sprintf("%s%07d", prefix, i+1)
			if _, err := stmt.ExecContext(ctx, id, name, name+"@example.com", roleID, profileID, now, roleID, profileID); err != nil {
				if isUniqueViolation(err) {
					return fmt.Errorf("seed user %s: %w", name, ErrNameTaken)
				}
				return err
			}
		}
		return nil
	})
	return first, err
}
