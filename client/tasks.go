package client

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// TaskStatus is the status of an asynchronous QRadar task.
type TaskStatus string

// Task statuses shared by all task kinds.
const (
	TaskQueued          TaskStatus = "QUEUED"
	TaskInitializing    TaskStatus = "INITIALIZING"
	TaskProcessing      TaskStatus = "PROCESSING"
	TaskCompleted       TaskStatus = "COMPLETED"
	TaskConflict        TaskStatus = "CONFLICT"
	TaskException       TaskStatus = "EXCEPTION"
	TaskInterrupted     TaskStatus = "INTERRUPTED"
	TaskPaused          TaskStatus = "PAUSED"
	TaskResuming        TaskStatus = "RESUMING"
	TaskCancelRequested TaskStatus = "CANCEL_REQUESTED"
	TaskCanceling       TaskStatus = "CANCELING"
	TaskCancelled       TaskStatus = "CANCELLED"
)

// Terminal reports whether no further status follows s.
func (s TaskStatus) Terminal() bool {
	switch s {
	case TaskCompleted, TaskConflict, TaskException, TaskInterrupted, TaskCancelled:
		return true
	}
	return false
}

// Task is a user delete task ("Delete Task Status"). Times are epoch milliseconds;
// Started and Completed are nil until reached.
type Task struct {
	ID        int64      `json:"id"`
	TaskID    int64      `json:"task_id,omitempty"` // vendor note's surface only
	Name      string     `json:"name"`
	Message   string     `json:"message"`
	Status    TaskStatus `json:"status"`
	CreatedBy string     `json:"created_by"`
	Created   Millis     `json:"created"`
	Started   *Millis    `json:"started"`
	Modified  Millis     `json:"modified"`
	Completed *Millis    `json:"completed"`
}

// PollID is the id to poll the task by: task_id when the Console sent one, else id.
func (t *Task) PollID() int64 {
	if t.TaskID != 0 {
		return t.TaskID
	}
	return t.ID
}

// PollEvent reports one poll of a wait to a progress callback.
type PollEvent struct {
	Kind            string        // "user delete task" or "deploy"
	ID              int64         // task id; 0 for deploys
	Attempt         int           // 1 for the first poll
	Status          string        // status after this poll
	PercentComplete int           // deploys only; -1 when unknown
	Message         string        // task message, if any
	Elapsed         time.Duration // time spent waiting so far (sum of delays)
	Done            bool          // true on the last event of a wait
}

// WaitOptions tune one wait. The nil *WaitOptions uses the Client's settings.
type WaitOptions struct {
	// Backoff spaces the polls (default: the Client's, see WithPollBackoff). No poll
	// happens sooner than MinPollInterval after the previous one.
	Backoff *Backoff
	// Progress is called after every poll (default: the Client's, see WithProgress).
	Progress func(PollEvent)
}

// waitFor sleeps, polls, reports and repeats until poll says done or ctx ends.
func (c *Client) waitFor(ctx context.Context, opts *WaitOptions, poll func(context.Context) (PollEvent, bool, error)) error {
	b, progress := c.poll, c.progress
	if opts != nil {
		if opts.Backoff != nil {
			b = *opts.Backoff
		}
		if opts.Progress != nil {
			progress = opts.Progress
		}
	}
	var elapsed time.Duration
	for n := 0; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		d := b.delay(n, c.rand, MinPollInterval)
		if err := c.sleep(ctx, d); err != nil {
			return err
		}
		elapsed += d
		ev, done, err := poll(ctx)
		if err != nil {
			return err
		}
		ev.Attempt, ev.Elapsed, ev.Done = n+1, elapsed, done
		if progress != nil {
			progress(ev)
		}
		if done {
			return nil
		}
	}
}

// TasksService reads user delete tasks: /api/staged_config/access/user_delete_tasks,
// or the vendor note's /api/config/access/users/delete_tasks in vendor-note mode.
type TasksService service

func (s *TasksService) userDeleteTaskPath(id int64) string {
	if s.c.vendorNote {
		return fmt.Sprintf("/config/access/users/delete_tasks/%d", id)
	}
	return fmt.Sprintf("/staged_config/access/user_delete_tasks/%d", id)
}

// GetUserDeleteTask returns the current state of a user delete task.
func (s *TasksService) GetUserDeleteTask(ctx context.Context, id int64) (*Task, error) {
	var t Task
	if _, err := s.c.do(ctx, &apiRequest{method: http.MethodGet, path: s.userDeleteTaskPath(id)}, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// WaitUserDeleteTask polls a user delete task with backoff until it reaches a
// terminal status. It returns the task and, unless the status is COMPLETED, a
// *TaskError (errors.Is ErrTaskFailed). It returns ctx's error when ctx ends first.
func (s *TasksService) WaitUserDeleteTask(ctx context.Context, id int64, opts *WaitOptions) (*Task, error) {
	var last *Task
	err := s.c.waitFor(ctx, opts, func(ctx context.Context) (PollEvent, bool, error) {
		t, err := s.GetUserDeleteTask(ctx, id)
		if err != nil {
			return PollEvent{}, false, err
		}
		last = t
		return PollEvent{Kind: "user delete task", ID: id, Status: string(t.Status), PercentComplete: -1,
			Message: t.Message}, t.Status.Terminal(), nil
	})
	if err != nil {
		return last, fmt.Errorf("waiting for user delete task %d: %w", id, err)
	}
	if last.Status != TaskCompleted {
		return last, &TaskError{Task: last}
	}
	return last, nil
}
