// Package store is the SQLite persistence of a fake QRadar Console
// (modernc.org/sqlite, no cgo).
//
// A Store is either private and in memory (the default: a uniquely named
// memdb database shared by the connections of one pool) or a file that
// persists across restarts (WAL journal, foreign keys, busy timeout). The
// schema is created and upgraded by the embedded migrations in migrations/,
// applied in order inside transactions and recorded in PRAGMA user_version.
//
// Writes are serialised by the Store (one writer at a time, as SQLite wants)
// so that concurrent requests never see SQLITE_BUSY; reads run in parallel,
// and a read that takes several statements (a page and its total) runs in
// one read transaction so that both see the same data.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"
	"sync"

	sqlite "modernc.org/sqlite" // also the database/sql driver "sqlite"
)

//go:embed migrations/*.sql
var migrations embed.FS

// ErrNotFound is returned when a row does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrNameTaken is returned when a username or authorized-service label is
// already used by a user or an authorized service (they share one namespace).
var ErrNameTaken = errors.New("store: name already in use")

// Store is one Console's database.
type Store struct {
	db      *sql.DB
	path    string
	writeMu sync.Mutex

	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt

	users userCache
	hooks []func() // run after the current write commits; guarded by writeMu
}

// maxStmts bounds the prepared-statement cache: queries built from filters
// vary without limit, so only the first few hundred shapes are kept.
const maxStmts = 512

// prepared returns a cached prepared statement for q, or nil when the cache
// is full (the caller then runs q unprepared).
func (s *Store) prepared(ctx context.Context, q string) *sql.Stmt {
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if st, ok := s.stmts[q]; ok {
		return st
	}
	if s.stmts == nil {
		s.stmts = map[string]*sql.Stmt{}
	}
	if len(s.stmts) >= maxStmts {
		return nil
	}
	st, err := s.db.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	s.stmts[q] = st
	return st
}

// query runs a read through the statement cache.
func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := s.prepared(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.db.QueryContext(ctx, q, args...)
}

// readTx runs fn in a read transaction: every statement in it sees the
// same snapshot of the database.
func (s *Store) readTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	return fn(tx)
}

// txStmt returns q prepared for tx, from the statement cache when it can.
func (s *Store) txStmt(ctx context.Context, tx *sql.Tx, q string) (*sql.Stmt, error) {
	if st := s.prepared(ctx, q); st != nil {
		return tx.StmtContext(ctx, st), nil
	}
	return tx.PrepareContext(ctx, q)
}

// queryRow runs a single-row read through the statement cache.
func (s *Store) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := s.prepared(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.db.QueryRowContext(ctx, q, args...)
}

// Open opens (creating if needed) the database at path, or a private
// in-memory database when path is "" or ":memory:", and migrates it.
func Open(path string) (*Store, error) {
	var dsn string
	memory := path == "" || path == ":memory:"
	if memory {
		dsn = "file:/fakeqradar-" + randomName() + "?vfs=memdb&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)"
	} else {
		q := url.Values{}
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "busy_timeout(10000)")
		dsn = "file:" + path + "?" + q.Encode()
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", displayPath(path), err)
	}
	if memory {
		// Keep at least one connection so the memdb database lives as long
		// as the Store.
		db.SetMaxIdleConns(8)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
	} else {
		db.SetMaxIdleConns(8)
	}
	db.SetMaxOpenConns(16)
	s := &Store{db: db, path: path}
	if memory {
		// A new in-memory database starts as a copy of a migrated template
		// (made once per process): cheaper than parsing the schema again.
		if err := s.restoreTemplate(context.Background()); err != nil {
			db.Close()
			return nil, fmt.Errorf("store: %s: %w", displayPath(path), err)
		}
	}
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", displayPath(path), err)
	}
	return s, nil
}

// template is a migrated, empty in-memory database that new in-memory
// stores copy.
var template = sync.OnceValues(func() (string, error) {
	uri := "file:/fakeqradar-template-" + randomName() + "?vfs=memdb"
	db, err := sql.Open("sqlite", uri)
	if err != nil {
		return "", err
	}
	// The template lives as long as the process: keep a connection to it.
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	t := &Store{db: db}
	if err := t.migrate(context.Background()); err != nil {
		db.Close()
		return "", err
	}
	return uri, nil
})

type restorer interface {
	NewRestore(srcURI string) (*sqlite.Backup, error)
}

func (s *Store) restoreTemplate(ctx context.Context) error {
	uri, err := template()
	if err != nil {
		return err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		r, ok := dc.(restorer)
		if !ok {
			return errors.New("the sqlite driver cannot restore a backup")
		}
		b, err := r.NewRestore(uri)
		if err != nil {
			return err
		}
		if _, err := b.Step(-1); err != nil {
			b.Finish()
			return err
		}
		return b.Finish()
	})
}

func displayPath(p string) string {
	if p == "" || p == ":memory:" {
		return "in-memory database"
	}
	return p
}

func randomName() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// DB exposes the database handle for tests and diagnostics.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database. An in-memory database is gone afterwards.
func (s *Store) Close() error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.stmtMu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = nil
	s.stmtMu.Unlock()
	return s.db.Close()
}

// migrate applies every embedded migration newer than PRAGMA user_version.
func (s *Store) migrate(ctx context.Context) error {
	var current int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for i, name := range names {
		version := i + 1
		if version <= current {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		err = s.write(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", name, err)
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version))
			return err
		})
		if err != nil {
			return err
		}
	}
	if current > len(names) {
		return fmt.Errorf("database schema version %d is newer than this program knows (%d)", current, len(names))
	}
	return nil
}

// write runs fn in a write transaction, one at a time.
// Hooks registered with afterCommit run after the commit, still under the
// write lock, so that they apply in commit order; a rollback drops them.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.hooks = s.hooks[:0]
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		// The outcome is unknown to us: let the cache reload from the
		// database rather than guess.
		s.cacheDrop()
		return err
	}
	for _, h := range s.hooks {
		h()
	}
	return nil
}

// afterCommit registers fn to run once the current write commits. Only
// call it from inside write's fn.
func (s *Store) afterCommit(fn func()) { s.hooks = append(s.hooks, fn) }

// IntegrityCheck runs PRAGMA integrity_check and returns its first line
// ("ok" for a sound database).
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	var res string
	err := s.db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res)
	return res, err
}

// Clear deletes every row of every table and restarts the id sequences
// (used before re-seeding).
func (s *Store) Clear(ctx context.Context) error {
	defer s.cacheDrop()
	return s.write(ctx, func(tx *sql.Tx) error {
		for _, t := range []string{"tasks", "deploys", "authorized_services", "users", "role_capabilities", "security_profiles", "user_roles"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
				return err
			}
		}
		// Ids start again after the fixtures, so a reset fake repeats the
		// ids it gave before.
		_, err := tx.ExecContext(ctx, "DELETE FROM sqlite_sequence")
		return err
	})
}

// Empty reports whether the database holds no roles yet (a fresh database).
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM user_roles").Scan(&n)
	return n == 0, err
}

func isUniqueViolation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}
