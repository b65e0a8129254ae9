package steps

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cucumber/godog"

	"github.com/fakeqradar/fakeqradar/client"
)

// taskStatuses is the documented task status enum.
var taskStatuses = []client.TaskStatus{
	client.TaskQueued, client.TaskInitializing, client.TaskProcessing, client.TaskCompleted,
	client.TaskConflict, client.TaskException, client.TaskInterrupted, client.TaskPaused,
	client.TaskResuming, client.TaskCancelRequested, client.TaskCanceling, client.TaskCancelled,
}

func (sc *scenario) registerDeprovisionSteps(ctx *godog.ScenarioContext) {
	ctx.Step(`^the connector deletes the user "([^"]*)"$`, func(ctx context.Context, short string) error {
		return sc.deletes(ctx, short, false)
	})
	ctx.Step(`^the Console accepts the deletion \(202\) with a delete task$`, sc.acceptsDeletion)
	ctx.Step(`^the answer points to the delete task$`, sc.pointsToTask)
	ctx.Step(`^the delete task can be read$`, sc.taskCanBeRead)
	ctx.Step(`^(?:the connector|it) waits for the delete task to end$`, sc.waitsForTask)
	ctx.Step(`^the delete task is "([^"]*)"$`, sc.taskIs)
	ctx.Step(`^the delete task answered is "([^"]*)"$`, sc.taskAnsweredIs)
	ctx.Step(`^the delete task has not completed yet$`, sc.taskNotDone)
	ctx.Step(`^the deployed user "([^"]*)" can still be read$`, sc.stillReadable)
	ctx.Step(`^the Console's clock moves on by (\d+) (seconds?|minutes?)$`, sc.clockMoves)
	ctx.Step(`^the connector reads the deployed user "([^"]*)"$`, sc.readsDeployed)
	ctx.Step(`^the connector deprovisions "([^"]*)", revoking "([^"]*)"$`, sc.deprovisions)
	ctx.Step(`^the deprovisioning reports the delete task "([^"]*)" and "([^"]*)" revoked$`, sc.deprovisionReport)
	ctx.Step(`^the Console will end delete tasks with "([^"]*)"$`, sc.failDeleteTasks)
}

func (sc *scenario) deletes(ctx context.Context, short string, vendorNote bool) error {
	u, err := sc.user(ctx, short)
	if err != nil {
		return err
	}
	return sc.actAs(sc.connectorFor(vendorNote), func(c *client.Client) error {
		del := c.StagedUsers.Delete
		if vendorNote {
			del = c.Users.Delete
		}
		t, err := del(ctx, u.id)
		if err == nil {
			sc.task, sc.taskClient, sc.taskEnded = t, c, false
		}
		return err
	})
}

func (sc *scenario) deleteTask() (*client.Task, error) {
	if sc.task == nil {
		return nil, fmt.Errorf("no delete task: %s", sc.last)
	}
	return sc.task, nil
}

func (sc *scenario) acceptsDeletion() error {
	if err := sc.expect(202, 0); err != nil {
		return err
	}
	t, err := sc.deleteTask()
	if err != nil {
		return err
	}
	if t.PollID() == 0 || !slices.Contains(taskStatuses, t.Status) {
		return fmt.Errorf("expected a delete task with an id and a status, got %s", sc.last)
	}
	return nil
}

func (sc *scenario) pointsToTask() error {
	t, err := sc.deleteTask()
	if err != nil {
		return err
	}
	return sc.pointsTo(fmt.Sprintf("/api/staged_config/access/user_delete_tasks/%d", t.ID))
}

// currentTask reads the delete task now, at the path of the surface that
// started it.
func (sc *scenario) currentTask(ctx context.Context) (*client.Task, error) {
	t, err := sc.deleteTask()
	if err != nil {
		return nil, err
	}
	got, err := sc.taskClient.Tasks.GetUserDeleteTask(ctx, t.PollID())
	if err != nil {
		return nil, fmt.Errorf("reading the delete task %d: %w", t.PollID(), err)
	}
	if got.Status.Terminal() {
		sc.taskEnded = true
	}
	return got, nil
}

func (sc *scenario) taskCanBeRead(ctx context.Context) error {
	got, err := sc.currentTask(ctx)
	if err != nil {
		return err
	}
	if got.ID != sc.task.ID || !slices.Contains(taskStatuses, got.Status) {
		return fmt.Errorf("expected the delete task %d with a documented status, got id %d status %q", sc.task.ID, got.ID, got.Status)
	}
	return nil
}

func (sc *scenario) waitsForTask(ctx context.Context) error {
	t, err := sc.deleteTask()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, sc.suite.cfg.WaitTimeout)
	defer cancel()
	_, err = sc.taskClient.Tasks.WaitUserDeleteTask(ctx, t.PollID(), nil)
	if err != nil && !errors.Is(err, client.ErrTaskFailed) {
		return fmt.Errorf("waiting for the delete task: %w", err)
	}
	sc.taskEnded = true
	return nil
}

func (sc *scenario) taskIs(ctx context.Context, status string) error {
	got, err := sc.currentTask(ctx)
	if err != nil {
		return err
	}
	if string(got.Status) != status {
		return fmt.Errorf("expected the delete task to be %s, it is %s (%s)", status, got.Status, got.Message)
	}
	return nil
}

func (sc *scenario) taskAnsweredIs(status string) error {
	t, err := sc.deleteTask()
	if err != nil {
		return err
	}
	if string(t.Status) != status {
		return fmt.Errorf("expected the delete answer's task to be %s, got %s: %s", status, t.Status, sc.last)
	}
	return nil
}

func (sc *scenario) taskNotDone(ctx context.Context) error {
	got, err := sc.currentTask(ctx)
	if err != nil {
		return err
	}
	if got.Status.Terminal() {
		return fmt.Errorf("expected the delete task still to run, it is %s", got.Status)
	}
	return nil
}

func (sc *scenario) stillReadable(ctx context.Context, short string) error {
	_, _, err := sc.getUser(ctx, short, false)
	return err
}

func (sc *scenario) clockMoves(ctx context.Context, n int, unit string) error {
	d := time.Duration(n) * time.Second
	if unit[0] == 'm' {
		d = time.Duration(n) * time.Minute
	}
	return sc.conn.advance(ctx, d)
}

func (sc *scenario) readsDeployed(ctx context.Context, short string) error {
	u, err := sc.user(ctx, short)
	if err != nil {
		return err
	}
	return sc.actAs(sc.connector, func(c *client.Client) error {
		_, err := c.Users.Get(ctx, u.id)
		return err
	})
}

func (sc *scenario) deprovisions(ctx context.Context, short, svcShort string) error {
	u, err := sc.user(ctx, short)
	if err != nil {
		return err
	}
	svc, err := sc.service(svcShort)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, sc.suite.cfg.WaitTimeout)
	defer cancel()
	return sc.actMust(sc.connector, "deprovisioning "+u.username, func(c *client.Client) (err error) {
		sc.deprov, err = c.DeprovisionUser(ctx, u.username, client.DeprovisionOptions{RevokeServiceLabels: []string{svc.label}})
		return err
	})
}

func (sc *scenario) deprovisionReport(status, svcShort string) error {
	svc, err := sc.service(svcShort)
	if err != nil {
		return err
	}
	r := sc.deprov
	if r == nil || r.Task == nil {
		return errors.New("the deprovisioning reported no delete task")
	}
	if string(r.Task.Status) != status {
		return fmt.Errorf("expected the delete task %s, the deprovisioning reports %s", status, r.Task.Status)
	}
	if len(r.RevokedServices) != 1 || r.RevokedServices[0].Label != svc.label {
		return fmt.Errorf("expected %s revoked, the deprovisioning revoked %v", svc.label, r.RevokedServices)
	}
	return nil
}

func (sc *scenario) failDeleteTasks(ctx context.Context, outcome string) error {
	sc.faulted = true
	return sc.conn.setDeleteTaskOutcome(ctx, outcome)
}
