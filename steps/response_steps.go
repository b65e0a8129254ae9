package steps

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cucumber/godog"
)

// statusWords are the words the features use for refusals; a step whose
// words and number disagree is a mistake in the feature file.
var statusWords = map[string]int{
	"unauthorized":       401,
	"forbidden":          403,
	"not found":          404,
	"method not allowed": 405,
	"a conflict":         409,
	"unprocessable":      422,
}

func (sc *scenario) registerResponseSteps(ctx *godog.ScenarioContext) {
	ctx.Step(`^the Console answers with the list$`, sc.answersWithList)
	ctx.Step(`^the Console answers with (\d+) items?$`, sc.answersWithItems)
	ctx.Step(`^the Console answers with the user "([^"]*)"$`, sc.answersWithUser)
	ctx.Step(`^the Console confirms the creation \(201\)$`, sc.confirmsCreation)
	ctx.Step(`^the Console refuses it as ([a-z ]+) \((\d{3})\)$`, func(words string, status int) error {
		return sc.refused(words, status, 0)
	})
	ctx.Step(`^the Console refuses it as ([a-z ]+) \((\d{3})\) with QRadar code (\d+)$`, sc.refused)
	ctx.Step(`^the message says "([^"]*)"$`, sc.messageSays)
	ctx.Step(`^the answer carries a deprecation notice$`, func() error { return sc.deprecation(true) })
	ctx.Step(`^the answer carries no deprecation notice$`, func() error { return sc.deprecation(false) })
}

// expect checks the status (and QRadar code, unless 0) of the last answer
// and says, when they differ, what came back.
func (sc *scenario) expect(status, code int) error {
	ex := sc.last
	want := fmt.Sprintf("status %d", status)
	if code != 0 {
		want += fmt.Sprintf(" with QRadar code %d", code)
	}
	if ex == nil {
		return fmt.Errorf("expected %s, but the connector has not sent a request (%v)", want, sc.lastErr)
	}
	if ex.Err != nil {
		return fmt.Errorf("expected %s, but %s", want, ex)
	}
	if ex.Status != status || (code != 0 && ex.code() != code) {
		return fmt.Errorf("expected %s, got %d (code %d) for %s %s: %s", want, ex.Status, ex.code(), ex.Method, ex.Path,
			truncate(strings.TrimSpace(string(ex.Body)), 2048))
	}
	return nil
}

func (sc *scenario) answersWithList() error {
	if err := sc.expect(200, 0); err != nil {
		return err
	}
	var items []json.RawMessage
	return sc.lastJSON(&items)
}

func (sc *scenario) answersWithItems(n int) error {
	if err := sc.expect(200, 0); err != nil {
		return err
	}
	var items []json.RawMessage
	if err := sc.lastJSON(&items); err != nil {
		return err
	}
	if len(items) != n {
		return fmt.Errorf("expected %d items, got %d: %s", n, len(items), sc.last)
	}
	return nil
}

func (sc *scenario) answersWithUser(short string) error {
	if err := sc.expect(200, 0); err != nil {
		return err
	}
	var u struct{ Username string }
	if err := sc.lastJSON(&u); err != nil {
		return err
	}
	if want := sc.name(short); u.Username != want {
		return fmt.Errorf("expected the user %s, got %q: %s", want, u.Username, sc.last)
	}
	return nil
}

func (sc *scenario) confirmsCreation() error { return sc.expect(201, 0) }

func (sc *scenario) refused(words string, status, code int) error {
	if w, ok := statusWords[words]; !ok || w != status {
		return fmt.Errorf("feature file: %q does not name status %d", words, status)
	}
	return sc.expect(status, code)
}

func (sc *scenario) messageSays(text string) error {
	if sc.last == nil {
		return fmt.Errorf("expected a message saying %q, but the connector has not sent a request", text)
	}
	if msg := sc.last.message(); !strings.Contains(msg, text) {
		return fmt.Errorf("expected the message to say %q, got %q: %s", text, msg, sc.last)
	}
	return nil
}

// deprecation checks the Deprecated response header. Its value is not
// documented; any value but "false" counts as a notice.
func (sc *scenario) deprecation(want bool) error {
	if sc.last == nil || sc.last.Header == nil {
		return fmt.Errorf("no answer to look at: %s", sc.last)
	}
	v, ok := sc.last.Header["Deprecated"]
	got := ok && len(v) > 0 && !strings.EqualFold(strings.TrimSpace(v[0]), "false")
	if got != want {
		return fmt.Errorf("expected a Deprecated header: %v, got %q: %s", want, strings.Join(v, ","), sc.last)
	}
	return nil
}
