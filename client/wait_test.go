package client_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/client"
)

// taskAfter serves a user delete task that is PROCESSING for the first polls-1 polls
// and then has status final.
func taskAfter(polls int32, final client.TaskStatus, calls *atomic.Int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		status := client.TaskProcessing
		if calls.Add(1) >= polls {
			status = final
		}
		writeJSON(w, 200, map[string]any{"id": 812, "status": status, "message": "deleting", "created": 1, "modified": 2})
	}
}

func TestWaitUserDeleteTask_BackoffGrowsFromMinimumToCap(t *testing.T) {
	t.Parallel()
	c, mux, sl := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("GET /api/staged_config/access/user_delete_tasks/812", taskAfter(12, client.TaskCompleted, &calls))
	var events []client.PollEvent
	task, err := c.Tasks.WaitUserDeleteTask(context.Background(), 812, &client.WaitOptions{
		Progress: func(e client.PollEvent) { events = append(events, e) },
	})
	require.NoError(t, err)
	assert.Equal(t, client.TaskCompleted, task.Status)
	assert.Equal(t, int32(12), calls.Load())

	d := sl.recorded()
	require.Len(t, d, 12, "one sleep before every poll")
	assert.GreaterOrEqual(t, d[0], client.MinPollInterval, "first poll no sooner than 250ms")
	assert.LessOrEqual(t, d[0], 300*time.Millisecond, "first delay is 250ms plus at most 20% jitter")
	for i := 1; i < 6; i++ {
		assert.Greater(t, d[i], d[i-1], "delays grow: %v", d)
	}
	for _, x := range d {
		assert.LessOrEqual(t, x, 10*time.Second, "capped at 10s: %v", d)
	}
	assert.GreaterOrEqual(t, d[len(d)-1], 8*time.Second, "the cap keeps its jitter below 10s")

	require.Len(t, events, 12)
	assert.Equal(t, 1, events[0].Attempt)
	assert.Equal(t, "user delete task", events[0].Kind)
	assert.Equal(t, int64(812), events[0].ID)
	assert.Equal(t, "PROCESSING", events[0].Status)
	assert.Equal(t, "deleting", events[0].Message)
	assert.False(t, events[0].Done)
	assert.Equal(t, d[0], events[0].Elapsed)
	assert.Equal(t, "COMPLETED", events[11].Status)
	assert.True(t, events[11].Done)
}

func TestWait_BackoffWithoutJitterIsExact(t *testing.T) {
	t.Parallel()
	c, mux, sl := setup(t, client.WithPollBackoff(client.Backoff{Initial: time.Second, Max: 5 * time.Second, Multiplier: 3}))
	var calls atomic.Int32
	mux.HandleFunc("GET /api/staged_config/access/user_delete_tasks/812", taskAfter(4, client.TaskCompleted, &calls))
	_, err := c.Tasks.WaitUserDeleteTask(context.Background(), 812, nil)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{time.Second, 3 * time.Second, 5 * time.Second, 5 * time.Second}, sl.recorded())
}

func TestWait_NeverFasterThanMinimum(t *testing.T) {
	t.Parallel()
	c, mux, sl := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("GET /api/staged_config/access/user_delete_tasks/812", taskAfter(3, client.TaskCompleted, &calls))
	fast := client.Backoff{Initial: time.Millisecond, Max: time.Millisecond, Multiplier: 1}
	_, err := c.Tasks.WaitUserDeleteTask(context.Background(), 812, &client.WaitOptions{Backoff: &fast})
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{client.MinPollInterval, client.MinPollInterval, client.MinPollInterval}, sl.recorded())
}

func TestWait_FailedTerminalStatuses(t *testing.T) {
	t.Parallel()
	for _, st := range []client.TaskStatus{client.TaskConflict, client.TaskException, client.TaskInterrupted, client.TaskCancelled} {
		c, mux, _ := setup(t)
		var calls atomic.Int32
		mux.HandleFunc("GET /api/staged_config/access/user_delete_tasks/812", taskAfter(2, st, &calls))
		task, err := c.Tasks.WaitUserDeleteTask(context.Background(), 812, nil)
		require.ErrorIs(t, err, client.ErrTaskFailed, st)
		var te *client.TaskError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, st, te.Task.Status)
		assert.Equal(t, st, task.Status)
		assert.Contains(t, err.Error(), string(st))
	}
}

func TestWait_NonTerminalStatusesKeepPolling(t *testing.T) {
	t.Parallel()
	seq := []client.TaskStatus{client.TaskQueued, client.TaskInitializing, client.TaskPaused, client.TaskResuming,
		client.TaskProcessing, client.TaskCancelRequested, client.TaskCanceling, client.TaskCancelled}
	for _, s := range seq[:len(seq)-1] {
		assert.False(t, s.Terminal(), s)
	}
	c, mux, _ := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("GET /api/staged_config/access/user_delete_tasks/1", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"id": 1, "status": seq[calls.Add(1)-1]})
	})
	_, err := c.Tasks.WaitUserDeleteTask(context.Background(), 1, nil)
	require.ErrorIs(t, err, client.ErrTaskFailed)
	assert.Equal(t, int32(len(seq)), calls.Load())
}

func TestWait_HonoursContext(t *testing.T) {
	t.Parallel()
	c, mux, sl := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sl.onSleep = func(n int) {
		if n == 3 {
			cancel()
		}
	}
	var calls atomic.Int32
	mux.HandleFunc("GET /api/staged_config/access/user_delete_tasks/812", taskAfter(1000, client.TaskCompleted, &calls))
	_, err := c.Tasks.WaitUserDeleteTask(ctx, 812, nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, int32(2), calls.Load())

	_, err = c.Tasks.WaitUserDeleteTask(ctx, 812, nil)
	require.ErrorIs(t, err, context.Canceled, "an already cancelled context polls nothing")
	assert.Equal(t, int32(2), calls.Load())
}

func TestWait_ClientDefaultProgress(t *testing.T) {
	t.Parallel()
	var events []client.PollEvent
	c, mux, _ := setup(t, client.WithProgress(func(e client.PollEvent) { events = append(events, e) }))
	var calls atomic.Int32
	mux.HandleFunc("GET /api/staged_config/deploy_status", func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1:
			writeJSON(w, 200, map[string]any{"status": "INITIALIZING", "percent_complete": 0})
		case 2:
			writeJSON(w, 200, map[string]any{"status": "IN_PROGRESS", "percent_complete": 60})
		default:
			writeJSON(w, 200, map[string]any{"status": "COMPLETE", "percent_complete": 100})
		}
	})
	st, err := c.Deploy.Wait(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, client.DeployComplete, st.Status)
	require.Len(t, events, 3)
	assert.Equal(t, "deploy", events[1].Kind)
	assert.Equal(t, 60, events[1].PercentComplete)
	assert.True(t, events[2].Done)
}

func TestDeployWait_UnknownStatusIsAnError(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	mux.HandleFunc("GET /api/staged_config/deploy_status", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"status": "FAILED"})
	})
	_, err := c.Deploy.Wait(context.Background(), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unexpected deploy status "FAILED"`)
}
