package store

import (
	"context"
	"database/sql"
	"errors"
)

// Task is an asynchronous user delete task. Its status is derived from the
// times and the clock by the caller; Applied records that its side effect
// (removing the user) has happened.
type Task struct {
	ID         int64
	Kind       string
	UserID     int64
	Username   string
	CreatedBy  string
	Created    int64 // epoch ms
	QueuedMS   int64 // time spent QUEUED
	DurationMS int64 // time from creation to completion
	Outcome    string
	Surface    string
	Applied    bool
}

// Due reports the epoch ms at which the task finishes.
func (t Task) Due() int64 { return t.Created + t.DurationMS }

const taskColumns = "id, kind, user_id, username, created_by, created, queued_ms, duration_ms, outcome, surface, applied"

func scanTask(row scanner) (Task, error) {
	var t Task
	err := row.Scan(&t.ID, &t.Kind, &t.UserID, &t.Username, &t.CreatedBy, &t.Created, &t.QueuedMS, &t.DurationMS, &t.Outcome, &t.Surface, &t.Applied)
	return t, err
}

// CreateTask inserts t and returns it with its id. If the user already has an
// unfinished task of the same kind, that task is returned instead and created
// is false.
func (s *Store) CreateTask(ctx context.Context, t Task) (out Task, created bool, err error) {
	err = s.write(ctx, func(tx *sql.Tx) error {
		existing, err := scanTask(tx.QueryRowContext(ctx, "SELECT "+taskColumns+" FROM tasks WHERE kind = ? AND user_id = ? AND applied = 0 ORDER BY id LIMIT 1", t.Kind, t.UserID))
		if err == nil {
			out = existing
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		res, err := tx.ExecContext(ctx, "INSERT INTO tasks (kind, user_id, username, created_by, created, queued_ms, duration_ms, outcome, surface) VALUES (?,?,?,?,?,?,?,?,?)",
			t.Kind, t.UserID, t.Username, t.CreatedBy, t.Created, t.QueuedMS, t.DurationMS, t.Outcome, t.Surface)
		if err != nil {
			return err
		}
		t.ID, err = res.LastInsertId()
		out, created = t, true
		return err
	})
	return out, created, err
}

// GetTask returns the task with id.
func (s *Store) GetTask(ctx context.Context, id int64) (Task, error) {
	t, err := scanTask(s.queryRow(ctx, "SELECT "+taskColumns+" FROM tasks WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	}
	return t, err
}

// NextDue returns the earliest completion time of an unapplied task or
// deploy, and false when there is none.
func (s *Store) NextDue(ctx context.Context) (int64, bool, error) {
	var due sql.NullInt64
	err := s.queryRow(ctx, `SELECT min(d) FROM (
		SELECT min(created + duration_ms) AS d FROM tasks WHERE applied = 0
		UNION ALL SELECT min(created + duration_ms) FROM deploys WHERE applied = 0)`).Scan(&due)
	return due.Int64, due.Valid, err
}

// Settle applies, exactly once, the side effects of every task and deploy
// that is due at now: a completed delete task removes its user; a failed one
// (Outcome other than COMPLETED) leaves it; a finished deploy copies staged
// values to the deployed configuration.
func (s *Store) Settle(ctx context.Context, now int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		// Deploys and deletes in time order, so that a delete due before a
		// deploy does not get resurrected and vice versa.
		type event struct {
			due    int64
			task   bool
			id     int64
			userID int64
			ok     bool
		}
		var events []event
		rows, err := tx.QueryContext(ctx, "SELECT id, user_id, created + duration_ms, outcome FROM tasks WHERE applied = 0 AND created + duration_ms <= ? ORDER BY created + duration_ms, id", now)
		if err != nil {
			return err
		}
		for rows.Next() {
			var e event
			var outcome string
			if err := rows.Scan(&e.id, &e.userID, &e.due, &outcome); err != nil {
				rows.Close()
				return err
			}
			e.task, e.ok = true, outcome == "COMPLETED"
			events = append(events, e)
		}
		rows.Close()
		rows, err = tx.QueryContext(ctx, "SELECT id, created + duration_ms FROM deploys WHERE applied = 0 AND created + duration_ms <= ? ORDER BY id", now)
		if err != nil {
			return err
		}
		for rows.Next() {
			var e event
			if err := rows.Scan(&e.id, &e.due); err != nil {
				rows.Close()
				return err
			}
			events = append(events, e)
		}
		rows.Close()
		sortEvents(events, func(a, b event) bool {
			if a.due != b.due {
				return a.due < b.due
			}
			return a.id < b.id
		})
		if len(events) > 0 {
			s.afterCommit(s.cacheDrop)
		}
		for _, e := range events {
			if e.task {
				if e.ok {
					if _, err := tx.ExecContext(ctx, "DELETE FROM users WHERE id = ?", e.userID); err != nil {
						return err
					}
				}
				if _, err := tx.ExecContext(ctx, "UPDATE tasks SET applied = 1 WHERE id = ?", e.id); err != nil {
					return err
				}
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE users SET deployed = 1, pending = 0, d_description = description,
				d_user_role_id = user_role_id, d_security_profile_id = security_profile_id, d_tenant_id = tenant_id
				WHERE pending = 1`); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE deploys SET applied = 1 WHERE id = ?", e.id); err != nil {
				return err
			}
		}
		return nil
	})
}

func sortEvents[T any](s []T, less func(a, b T) bool) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && less(s[j], s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// Deploy is a deploy of the staged configuration.
type Deploy struct {
	ID          int64
	Type        string
	InitiatedBy string
	Created     int64
	DurationMS  int64
	Applied     bool
}

// LatestDeploy returns the most recent deploy; ErrNotFound if none.
func (s *Store) LatestDeploy(ctx context.Context) (Deploy, error) {
	var d Deploy
	err := s.queryRow(ctx, "SELECT id, type, initiated_by, created, duration_ms, applied FROM deploys ORDER BY id DESC LIMIT 1").
		Scan(&d.ID, &d.Type, &d.InitiatedBy, &d.Created, &d.DurationMS, &d.Applied)
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNotFound
	}
	return d, err
}

// ErrNothingToDeploy is returned by StartDeploy when no staged change is
// pending or a deploy is already running.
var ErrNothingToDeploy = errors.New("store: a deploy is in progress or there are no changes to deploy")

// StartDeploy records a new deploy if there are pending changes and no
// deploy is running.
func (s *Store) StartDeploy(ctx context.Context, d Deploy) (Deploy, error) {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var running, pending int
		if err := tx.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM deploys WHERE applied = 0), (SELECT count(*) FROM users WHERE pending = 1)").Scan(&running, &pending); err != nil {
			return err
		}
		if running > 0 || pending == 0 {
			return ErrNothingToDeploy
		}
		res, err := tx.ExecContext(ctx, "INSERT INTO deploys (type, initiated_by, created, duration_ms) VALUES (?,?,?,?)", d.Type, d.InitiatedBy, d.Created, d.DurationMS)
		if err != nil {
			return err
		}
		d.ID, err = res.LastInsertId()
		return err
	})
	return d, err
}
