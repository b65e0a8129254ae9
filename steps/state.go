package steps

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"

	"github.com/fakeqradar/fakeqradar/client"
)

// scenario is the state of one scenario: created by the scenario
// initializer, filled by the Before hook, emptied by the After hook.
type scenario struct {
	suite *Suite
	n     int // scenario number in the run, part of every name it creates
	title string
	tags  map[string]bool
	conn  *conn

	rec        *recorder
	httpClient *http.Client // records every exchange

	primary credentials    // the suite's own credentials
	admin   *client.Client // primary credentials and the suite's version: setup, lookups, cleanup

	// The connector under test: its credentials and pinned version, and the
	// clients built from them (nil until needed, reset when either changes).
	creds     credentials
	version   string
	api       *client.Client
	vendorAPI *client.Client

	// The last action: its exchanges and the error the client returned.
	acted   []*exchange
	last    *exchange
	lastErr error

	users    map[string]*userRec    // by the short name the feature uses
	services map[string]*serviceRec // by the short name the feature uses

	roleID, profileID, adminRoleID int64 // resolved lazily
	otherRole                      *client.Role
	lookedUpRole, lookedUpProfile  *int64

	task       *client.Task   // the delete task the last delete answered
	taskClient *client.Client // the client whose paths poll it
	taskEnded  bool           // the task has been seen in a terminal status

	walked       []string // usernames or role ids seen by the last walk
	walkPages    int
	provisionErr error // error of the last provisioning that was expected to be able to fail
	deprov       *client.DeprovisionResult
	found        *client.User

	// What to remove after the scenario.
	createdUsers    []string // usernames
	createdServices []string // labels
	faulted         bool
}

// userRec is a user the scenario created or tried to create.
type userRec struct {
	short, username, email, password string
	id                               int64
	// deployed is the deployed user's JSON as it was after provisioning.
	deployed map[string]any
}

// serviceRec is an authorized service the scenario created.
type serviceRec struct {
	short, label, token string
	id                  int64
}

// name returns the full name for a short name of the feature file:
// run prefix, scenario number, short name.
func (sc *scenario) name(short string) string {
	return fmt.Sprintf("%s%03d-%s", sc.suite.cfg.Prefix, sc.n, short)
}

// newUser records a user the scenario is about to create, so the After
// hook removes it whether or not the Console reports success. A second
// create of the same name (a duplicate) returns the first record.
func (sc *scenario) newUser(short string) *userRec {
	if sc.users == nil {
		sc.users = map[string]*userRec{}
	}
	if u, ok := sc.users[short]; ok {
		return u
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	u := &userRec{short: short, username: sc.name(short), password: "Ct-" + hex.EncodeToString(b[:]) + "-Passw0rd!"}
	u.email = u.username + "@example.com"
	sc.users[short] = u
	sc.createdUsers = append(sc.createdUsers, u.username)
	return u
}

// user returns a user the scenario created, with its id.
func (sc *scenario) user(ctx context.Context, short string) (*userRec, error) {
	u, ok := sc.users[short]
	if !ok {
		return nil, fmt.Errorf("the scenario has not created a user %q", short)
	}
	if u.id == 0 {
		found, err := sc.admin.StagedUsers.ByUsername(ctx, u.username)
		if err != nil {
			return nil, fmt.Errorf("looking up the user %s: %w", u.username, err)
		}
		u.id = found.ID
	}
	return u, nil
}

// newService records an authorized service the scenario is about to create.
func (sc *scenario) newService(short string) *serviceRec {
	if sc.services == nil {
		sc.services = map[string]*serviceRec{}
	}
	if s, ok := sc.services[short]; ok {
		return s
	}
	s := &serviceRec{short: short, label: sc.name(short)}
	sc.services[short] = s
	sc.createdServices = append(sc.createdServices, s.label)
	return s
}

func (sc *scenario) service(short string) (*serviceRec, error) {
	s, ok := sc.services[short]
	if !ok {
		return nil, fmt.Errorf("the scenario has not created an authorized service %q", short)
	}
	return s, nil
}

// newClient returns a reference client that records its exchanges and
// sleeps on the target's clock.
func (sc *scenario) newClient(creds credentials, version string, vendorNote bool) (*client.Client, error) {
	opts := []client.Option{
		client.WithHTTPClient(sc.httpClient),
		client.WithVersion(version),
		client.WithSleepFunc(sc.conn.sleep),
		client.WithTimeout(requestTimeout),
	}
	switch {
	case creds.token != "":
		opts = append(opts, client.WithSECToken(creds.token))
	case creds.basic:
		opts = append(opts, client.WithBasicAuth(creds.user, creds.pass))
	}
	if vendorNote {
		opts = append(opts, client.WithVendorNoteMode())
	}
	return client.New(sc.conn.base, opts...)
}

// connector returns the client of the connector under test.
func (sc *scenario) connector() (*client.Client, error) {
	if sc.api == nil {
		c, err := sc.newClient(sc.creds, sc.version, false)
		if err != nil {
			return nil, err
		}
		sc.api = c
	}
	return sc.api, nil
}

// vendorConnector is connector on the vendor note's surface.
func (sc *scenario) vendorConnector() (*client.Client, error) {
	if sc.vendorAPI == nil {
		c, err := sc.newClient(sc.creds, sc.version, true)
		if err != nil {
			return nil, err
		}
		sc.vendorAPI = c
	}
	return sc.vendorAPI, nil
}

// connectorFor is vendorConnector for the vendor note's surface, connector
// otherwise.
func (sc *scenario) connectorFor(vendorNote bool) func() (*client.Client, error) {
	if vendorNote {
		return sc.vendorConnector
	}
	return sc.connector
}

// setCreds and setVersion change the connector under test.
func (sc *scenario) setCreds(c credentials) { sc.creds, sc.api, sc.vendorAPI = c, nil, nil }
func (sc *scenario) setVersion(v string)    { sc.version, sc.api, sc.vendorAPI = v, nil, nil }

// act runs one action of the connector and keeps what it exchanged.
func (sc *scenario) act(fn func() error) {
	mark := sc.rec.mark()
	sc.lastErr = fn()
	sc.acted = sc.rec.since(mark)
	sc.last = nil
	if len(sc.acted) > 0 {
		sc.last = sc.acted[len(sc.acted)-1]
	}
}

// actRaw sends a raw request as the connector's action.
func (sc *scenario) actRaw(ctx context.Context, r rawRequest) {
	sc.act(func() error {
		ex := sc.send(ctx, r)
		return ex.Err
	})
}

// actAs runs fn as the connector's action with the client connect returns
// (sc.connector, or sc.vendorConnector for the vendor note's surface); its
// outcome is for the Then steps.
func (sc *scenario) actAs(connect func() (*client.Client, error), fn func(c *client.Client) error) error {
	c, err := connect()
	if err != nil {
		return err
	}
	sc.act(func() error { return fn(c) })
	return nil
}

// actMust is actAs for an action the step needs to succeed: its error fails
// the step as "what: error".
func (sc *scenario) actMust(connect func() (*client.Client, error), what string, fn func(c *client.Client) error) error {
	if err := sc.actAs(connect, fn); err != nil {
		return err
	}
	if sc.lastErr != nil {
		return fmt.Errorf("%s: %w", what, sc.lastErr)
	}
	return nil
}

// lastJSON decodes the last answer's body.
func (sc *scenario) lastJSON(v any) error {
	if sc.last == nil {
		return errors.New("the connector has not sent a request")
	}
	if err := json.Unmarshal(sc.last.Body, v); err != nil {
		return fmt.Errorf("the answer is not the JSON expected (%v): %s", err, sc.last)
	}
	return nil
}

// lastItems decodes the last answer as a JSON array of objects.
func (sc *scenario) lastItems() ([]map[string]any, error) {
	var items []map[string]any
	if err := sc.lastJSON(&items); err != nil {
		return nil, err
	}
	return items, nil
}

// integrationRole, integrationProfile and adminRole resolve the configured
// names to ids through the documented API.
func (sc *scenario) integrationRole(ctx context.Context) (int64, error) {
	if sc.roleID == 0 {
		r, err := sc.admin.Roles.ByName(ctx, sc.suite.cfg.Role)
		if err != nil {
			return 0, fmt.Errorf("the integration role (%s): %w", EnvRole, err)
		}
		sc.roleID = r.ID
	}
	return sc.roleID, nil
}

func (sc *scenario) integrationProfile(ctx context.Context) (int64, error) {
	if sc.profileID == 0 {
		p, err := sc.admin.SecurityProfiles.ByName(ctx, sc.suite.cfg.SecurityProfile)
		if err != nil {
			return 0, fmt.Errorf("the integration security profile (%s): %w", EnvSecurityProfile, err)
		}
		sc.profileID = p.ID
	}
	return sc.profileID, nil
}

// integrationIDs resolves both the integration role and security profile.
func (sc *scenario) integrationIDs(ctx context.Context) (role, profile int64, err error) {
	if role, err = sc.integrationRole(ctx); err != nil {
		return 0, 0, err
	}
	if profile, err = sc.integrationProfile(ctx); err != nil {
		return 0, 0, err
	}
	return role, profile, nil
}

func (sc *scenario) administratorRole(ctx context.Context) (int64, error) {
	if sc.adminRoleID == 0 {
		r, err := sc.admin.Roles.ByName(ctx, sc.suite.cfg.AdminRole)
		if err != nil {
			return 0, fmt.Errorf("the administrator role (%s): %w", EnvAdminRole, err)
		}
		sc.adminRoleID = r.ID
	}
	return sc.adminRoleID, nil
}

// quoted returns the strings between double quotes in s, e.g. the names of
// `"walk-1", "walk-2"`.
func quoted(s string) []string {
	var out []string
	for _, m := range quotedRE.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

var quotedRE = regexp.MustCompile(`"([^"]*)"`)
