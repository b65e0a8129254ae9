package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sync"

	"github.com/fakeqradar/fakeqradar/fixtures"
)

// Role is a user role with its capabilities.
type Role = fixtures.Role

// Capability is one capability of a role.
type Capability = fixtures.Capability

// SecurityProfile is a security profile.
type SecurityProfile = fixtures.SecurityProfile

// ListRoles returns every role, ordered by id, with capabilities.
func (s *Store) ListRoles(ctx context.Context) ([]Role, error) {
	rows, err := s.query(ctx, "SELECT id, name FROM user_roles ORDER BY id")
	if err != nil {
		return nil, err
	}
	var roles []Role
	index := map[int64]int{}
	for rows.Next() {
		var r Role
		if err := rows.Scan(&r.ID, &r.Name); err != nil {
			rows.Close()
			return nil, err
		}
		r.Capabilities = []Capability{}
		index[r.ID] = len(roles)
		roles = append(roles, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	crow, err := s.query(ctx, "SELECT role_id, application_id, name, description FROM role_capabilities ORDER BY role_id, application_id, name")
	if err != nil {
		return nil, err
	}
	defer crow.Close()
	for crow.Next() {
		var id int64
		var c Capability
		if err := crow.Scan(&id, &c.ApplicationID, &c.Name, &c.Description); err != nil {
			return nil, err
		}
		if i, ok := index[id]; ok {
			roles[i].Capabilities = append(roles[i].Capabilities, c)
		}
	}
	return roles, crow.Err()
}

// ListSecurityProfiles returns every security profile, ordered by id.
func (s *Store) ListSecurityProfiles(ctx context.Context) ([]SecurityProfile, error) {
	rows, err := s.query(ctx, "SELECT id, name, domain_ids FROM security_profiles ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SecurityProfile
	for rows.Next() {
		var p SecurityProfile
		var domains string
		if err := rows.Scan(&p.ID, &p.Name, &domains); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(domains), &p.DomainIDs); err != nil {
			return nil, err
		}
		if p.DomainIDs == nil {
			p.DomainIDs = []int64{}
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AuthorizedService is a row of authorized_services. The token itself is
// never stored: only its hash.
type AuthorizedService struct {
	ID                int64
	Label             string
	TokenHash         []byte
	CreatedBy         string
	TenantID          *int64
	SecurityProfileID int64
	UserRoleID        int64
	CreationDate      int64
	ExpirationDate    *int64
	LastUsedDate      *int64
	AdminToken        bool
}

const serviceColumns = `id, label, token_hash, created_by, tenant_id, security_profile_id, user_role_id,
	creation_date, expiration_date, last_used_date, admin_token`

func scanService(row scanner) (AuthorizedService, error) {
	var a AuthorizedService
	err := row.Scan(&a.ID, &a.Label, &a.TokenHash, &a.CreatedBy, &a.TenantID, &a.SecurityProfileID, &a.UserRoleID,
		&a.CreationDate, &a.ExpirationDate, &a.LastUsedDate, &a.AdminToken)
	return a, err
}

// ListAuthorizedServices returns every authorized service, ordered by id.
func (s *Store) ListAuthorizedServices(ctx context.Context) ([]AuthorizedService, error) {
	rows, err := s.query(ctx, "SELECT "+serviceColumns+" FROM authorized_services ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuthorizedService
	for rows.Next() {
		a, err := scanService(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// GetAuthorizedService returns the service with id.
func (s *Store) GetAuthorizedService(ctx context.Context, id int64) (AuthorizedService, error) {
	a, err := scanService(s.queryRow(ctx, "SELECT "+serviceColumns+" FROM authorized_services WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, ErrNotFound
	}
	return a, err
}

// ServiceByTokenHash returns the service whose token hashes to h.
func (s *Store) ServiceByTokenHash(ctx context.Context, h []byte) (AuthorizedService, error) {
	a, err := scanService(s.queryRow(ctx, "SELECT "+serviceColumns+" FROM authorized_services WHERE token_hash = ?", h))
	if errors.Is(err, sql.ErrNoRows) {
		return a, ErrNotFound
	}
	return a, err
}

// CreateAuthorizedService inserts a (ID 0 = next id) and returns its id;
// ErrNameTaken when the label is a username or label already.
func (s *Store) CreateAuthorizedService(ctx context.Context, a AuthorizedService) (int64, error) {
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		taken, err := nameTaken(ctx, tx, a.Label)
		if err != nil {
			return err
		}
		if taken {
			return ErrNameTaken
		}
		id, err = insertService(ctx, tx, a)
		return err
	})
	if isUniqueViolation(err) {
		return 0, ErrNameTaken
	}
	return id, err
}

func insertService(ctx context.Context, tx *sql.Tx, a AuthorizedService) (int64, error) {
	var idArg any
	if a.ID > 0 {
		idArg = a.ID
	}
	res, err := tx.ExecContext(ctx, "INSERT INTO authorized_services ("+serviceColumns+") VALUES (?,?,?,?,?,?,?,?,?,?,?)",
		idArg, a.Label, a.TokenHash, a.CreatedBy, a.TenantID, a.SecurityProfileID, a.UserRoleID,
		a.CreationDate, a.ExpirationDate, a.LastUsedDate, a.AdminToken)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// DeleteAuthorizedService removes the service with id.
func (s *Store) DeleteAuthorizedService(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM authorized_services WHERE id = ?", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// TouchAuthorizedService records the last use of a service.
func (s *Store) TouchAuthorizedService(ctx context.Context, id, when int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE authorized_services SET last_used_date = ? WHERE id = ?", when, id)
		return err
	})
}

var fixtureHashes sync.Map // password → hash

func fixtureHash(password string) (string, error) {
	if h, ok := fixtureHashes.Load(password); ok {
		return h.(string), nil
	}
	h, err := HashPassword(password)
	if err != nil {
		return "", err
	}
	actual, _ := fixtureHashes.LoadOrStore(password, h)
	return actual.(string), nil
}

// Seed loads a fixture set into an empty database. Passwords are hashed;
// the service marked admin_token gets adminToken as its token; other services
// without a token get a random one (unknown to anyone, so unusable).
func (s *Store) Seed(ctx context.Context, set *fixtures.Set, adminToken string, now int64) error {
	defer s.cacheDrop()
	// Hash outside the write lock: it is deliberately slow. Fixture
	// passwords are hashed once per process and the (salted) hash reused,
	// so that starting many fakes stays fast.
	hashes := make([]string, len(set.Users))
	for i, u := range set.Users {
		if u.Password == "" {
			continue
		}
		h, err := fixtureHash(u.Password)
		if err != nil {
			return err
		}
		hashes[i] = h
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		for _, r := range set.Roles {
			if _, err := tx.ExecContext(ctx, "INSERT INTO user_roles (id, name) VALUES (?, ?)", r.ID, r.Name); err != nil {
				return err
			}
			for _, c := range r.Capabilities {
				if _, err := tx.ExecContext(ctx, "INSERT INTO role_capabilities (role_id, application_id, name, description) VALUES (?, ?, ?, ?)",
					r.ID, c.ApplicationID, c.Name, c.Description); err != nil {
					return err
				}
			}
		}
		for _, p := range set.SecurityProfiles {
			ids := p.DomainIDs
			if ids == nil {
				ids = []int64{}
			}
			b, _ := json.Marshal(ids)
			if _, err := tx.ExecContext(ctx, "INSERT INTO security_profiles (id, name, domain_ids) VALUES (?, ?, ?)", p.ID, p.Name, string(b)); err != nil {
				return err
			}
		}
		for i, f := range set.Users {
			email := f.Email
			u := User{ID: f.ID, Username: f.Username, Email: &email, Description: f.Description,
				UserRoleID: f.UserRoleID, SecurityProfileID: f.SecurityProfileID, TenantID: f.TenantID,
				LocaleID: f.LocaleID, PasswordHash: hashes[i], DefaultAdmin: f.DefaultAdmin, Deployed: true}
			if hashes[i] != "" {
				t := now
				u.PasswordCreationTime = &t
			}
			if _, err := insertUser(ctx, tx, u); err != nil {
				return err
			}
		}
		for _, f := range set.AuthorizedServices {
			token := f.Token
			if f.AdminToken {
				token = adminToken
			}
			if token == "" {
				token = randomName()
			}
			a := AuthorizedService{ID: f.ID, Label: f.Label, TokenHash: TokenHash(token), CreatedBy: f.CreatedBy,
				TenantID: f.TenantID, SecurityProfileID: f.SecurityProfileID, UserRoleID: f.UserRoleID,
				CreationDate: now, ExpirationDate: f.ExpirationDate, AdminToken: f.AdminToken}
			if _, err := insertService(ctx, tx, a); err != nil {
				return err
			}
		}
		return nil
	})
}
