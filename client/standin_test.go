package client_test

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// standIn is a small in-memory Console for workflow tests and examples. It serves
// both surfaces over one store, like the project's fake will: IBM's documented paths
// and the vendor note's compatibility paths. Its clock only moves when Sleep is
// called, so a client given WithSleepFunc(console.Sleep) finishes its waits at once.
//
// Simplifications: the only filter understood is username="…"; the documented
// staged delete removes the deployed user on the next deploy, the compatibility
// delete removes it when the task completes.
type standIn struct {
	*httptest.Server
	Token string

	mu             sync.Mutex
	now            time.Time
	nextID         int64
	roles          []roleRec
	profiles       []profileRec
	staged         map[int64]map[string]any
	deployed       map[int64]map[string]any
	tasks          map[int64]*taskRec
	services       map[int64]map[string]any
	pending        bool // staged changes waiting for a deploy
	deployStart    time.Time
	deployRunning  bool
	taskDuration   time.Duration
	deployDuration time.Duration
	conflictUsers  map[string]bool // deleting these users ends in CONFLICT
	journal        []string
}

type roleRec struct {
	ID   int64
	Name string
}

type profileRec struct {
	ID   int64
	Name string
}

type taskRec struct {
	id, userID int64
	created    time.Time
	compat     bool
	conflict   bool
	applied    bool
}

// newStandIn starts a TLS stand-in seeded with roles Admin (1), Analyst (2),
// Reader (3), profiles Admin (1), Default (2), SOC Team (3), and the user admin (id 1).
func newStandIn() *standIn {
	s := &standIn{
		Token:          "7f6a2c2e-6a8e-4a25-9d1e-0c5b8c1d2e3f",
		now:            time.UnixMilli(1700000000000),
		nextID:         100,
		roles:          []roleRec{{1, "Admin"}, {2, "Analyst"}, {3, "Reader"}},
		profiles:       []profileRec{{1, "Admin"}, {2, "Default"}, {3, "SOC Team"}},
		staged:         map[int64]map[string]any{},
		deployed:       map[int64]map[string]any{},
		tasks:          map[int64]*taskRec{},
		services:       map[int64]map[string]any{},
		taskDuration:   3 * time.Second,
		deployDuration: 5 * time.Second,
		conflictUsers:  map[string]bool{},
	}
	admin := s.newUser("admin", "admin@example.com", 1, 1)
	admin["id"], s.nextID = int64(1), 100
	s.staged[1], s.deployed[1] = admin, clone(admin)
	srv := httptest.NewUnstartedServer(s.routes())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // clients that reject the certificate are expected
	srv.StartTLS()
	s.Server = srv
	return s
}

// CACertPEM is the stand-in's self-signed certificate, to pin with WithCACertPEM.
func (s *standIn) CACertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})
}

// Sleep advances the stand-in's clock by d instead of waiting.
func (s *standIn) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	s.now = s.now.Add(d)
	s.mu.Unlock()
	return nil
}

// Journal returns "METHOD /path" for every request so far.
func (s *standIn) Journal() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.journal)
}

func (s *standIn) addService(label, createdBy string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	s.services[s.nextID] = map[string]any{"id": s.nextID, "label": label, "created_by": createdBy, "tenant_id": nil,
		"security_profile_id": 2, "user_role_id": 2, "creation_date": s.now.UnixMilli(), "expiration_date": nil, "last_used_date": nil}
	return s.nextID
}

// failDeletesOf makes delete tasks for username end in CONFLICT.
func (s *standIn) failDeletesOf(username string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conflictUsers[username] = true
}

func (s *standIn) newUser(username, email string, role, profile int64) map[string]any {
	s.nextID++
	return map[string]any{"id": s.nextID, "username": username, "email": email, "description": nil,
		"user_role_id": role, "security_profile_id": profile, "tenant_id": nil, "locale_id": nil,
		"enable_popup_notifications": false, "old_password": nil, "password": nil,
		"password_creation_time": s.now.UnixMilli(), "allow_system_authentication_fallback": false,
		"local_only_account": false, "inactivity_timeout": 0, "notification_flag": nil}
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

type handler func(r *http.Request) (int, any, error)

type qErr struct {
	status, code int
	msg          string
}

func (e *qErr) Error() string { return e.msg }

func (s *standIn) routes() http.Handler {
	mux := http.NewServeMux()
	h := func(pattern string, fn handler) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.journal = append(s.journal, r.Method+" "+r.URL.Path)
			if r.Header.Get("SEC") != s.Token {
				writeQRadarError(w, 401, 18, "No SEC header present in request.", "")
				return
			}
			if r.Header.Get("Version") == "" || r.Header.Get("Accept") != "application/json" {
				writeQRadarError(w, 400, 0, "stand-in: Version and Accept headers are required", "")
				return
			}
			s.tick()
			status, body, err := fn(r)
			if e, ok := err.(*qErr); ok {
				writeQRadarError(w, e.status, e.code, e.msg, "")
				return
			}
			if status == http.StatusNoContent {
				w.WriteHeader(status)
				return
			}
			if list, ok := body.([]map[string]any); ok {
				writeList(w, r, list)
				return
			}
			writeJSON(w, status, body)
		})
	}
	// Documented surface.
	h("GET /api/config/access/users", func(r *http.Request) (int, any, error) { return s.listUsers(r, s.deployed) })
	h("GET /api/config/access/users/{id}", func(r *http.Request) (int, any, error) {
		return s.getUser(r, s.deployed, 38310001, "The deployed user does not exist.")
	})
	h("POST /api/config/access/users/{id}", s.updateDeployed)
	h("GET /api/staged_config/access/users", func(r *http.Request) (int, any, error) { return s.listUsers(r, s.staged) })
	h("POST /api/staged_config/access/users", s.createStaged)
	h("GET /api/staged_config/access/users/{id}", func(r *http.Request) (int, any, error) {
		return s.getUser(r, s.staged, 38301001, "The staged user does not exist.")
	})
	h("POST /api/staged_config/access/users/{id}", s.updateStaged)
	h("DELETE /api/staged_config/access/users/{id}", func(r *http.Request) (int, any, error) { return s.deleteUser(r, false) })
	h("GET /api/staged_config/access/user_delete_tasks/{id}", s.getTask)
	h("GET /api/config/access/user_roles", func(r *http.Request) (int, any, error) { return 200, s.roleList(true), nil })
	h("GET /api/config/access/security_profiles", func(r *http.Request) (int, any, error) {
		var out []map[string]any
		for _, p := range s.profiles {
			out = append(out, map[string]any{"id": p.ID, "name": p.Name, "domain_ids": []int{0}})
		}
		return 200, out, nil
	})
	h("GET /api/config/access/authorized_services", func(r *http.Request) (int, any, error) {
		var out []map[string]any
		for _, id := range sortedKeys(s.services) {
			out = append(out, s.services[id])
		}
		return 200, out, nil
	})
	h("DELETE /api/config/access/authorized_services/{id}", func(r *http.Request) (int, any, error) {
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if _, ok := s.services[id]; !ok {
			return 0, nil, &qErr{404, 95105001, "The authorized service does not exist."}
		}
		delete(s.services, id)
		return http.StatusNoContent, nil, nil
	})
	h("POST /api/staged_config/deploy_status", s.startDeploy)
	h("GET /api/staged_config/deploy_status", func(r *http.Request) (int, any, error) { return 200, s.deployStatus(), nil })
	// Compatibility surface (vendor note).
	h("GET /api/config/access/roles", func(r *http.Request) (int, any, error) { return 200, s.roleList(false), nil })
	h("POST /api/config/access/users", s.createCompat)
	h("DELETE /api/config/access/users/{id}", func(r *http.Request) (int, any, error) { return s.deleteUser(r, true) })
	h("GET /api/config/access/users/delete_tasks/{id}", s.getTask)
	return mux
}

func writeList(w http.ResponseWriter, r *http.Request, list []map[string]any) {
	if list == nil {
		list = []map[string]any{}
	}
	first, last := 0, len(list)-1
	if rg := r.Header.Get("Range"); rg != "" {
		if _, err := fmt.Sscanf(rg, "items=%d-%d", &first, &last); err != nil {
			writeQRadarError(w, 422, 36, "Failed to parse Range header.", "")
			return
		}
	}
	if first >= len(list) {
		w.Header().Set("Content-Range", fmt.Sprintf("items */%d", len(list)))
		writeJSON(w, 200, []any{})
		return
	}
	last = min(last, len(list)-1)
	w.Header().Set("Content-Range", fmt.Sprintf("items %d-%d/%d", first, last, len(list)))
	writeJSON(w, 200, list[first:last+1])
}

func sortedKeys[V any](m map[int64]V) []int64 {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (s *standIn) roleList(capabilities bool) []map[string]any {
	var out []map[string]any
	for _, r := range s.roles {
		m := map[string]any{"id": r.ID, "name": r.Name}
		if capabilities {
			m["capabilities"] = []map[string]any{{"application_id": 25, "name": "EVENTVIEWER", "description": "Event Viewer"}}
		}
		out = append(out, m)
	}
	return out
}

var usernameFilter = regexp.MustCompile(`^username="((?:[^"\\]|\\.)*)"$`)

func (s *standIn) listUsers(r *http.Request, store map[int64]map[string]any) (int, any, error) {
	want, filtered := "", false
	if f := r.URL.Query().Get("filter"); f != "" {
		m := usernameFilter.FindStringSubmatch(f)
		if m == nil {
			return 0, nil, &qErr{422, 0, "A filter parameter was invalid. Please make sure that the syntax is correct: Error Parsing filter"}
		}
		want, filtered = strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(m[1]), true
	}
	var out []map[string]any
	for _, id := range sortedKeys(store) {
		u := store[id]
		if !filtered || u["username"] == want {
			out = append(out, clone(u))
		}
	}
	return 200, out, nil
}

func (s *standIn) userID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}

func (s *standIn) getUser(r *http.Request, store map[int64]map[string]any, code int, msg string) (int, any, error) {
	u, ok := store[s.userID(r)]
	if !ok {
		return 0, nil, &qErr{404, code, msg}
	}
	return 200, clone(u), nil
}

func decode(r *http.Request) (map[string]any, error) {
	var m map[string]any
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
		return nil, &qErr{422, 10, "Request body must be populated for body parameter \"data\""}
	}
	return m, nil
}

func num(v any) (int64, bool) {
	f, ok := v.(float64)
	return int64(f), ok
}

func (s *standIn) checkRefs(roleID, profileID int64) error {
	if !slices.ContainsFunc(s.roles, func(r roleRec) bool { return r.ID == roleID }) {
		return &qErr{422, 38302003, "No user role found for the provided user_role_id."}
	}
	if !slices.ContainsFunc(s.profiles, func(p profileRec) bool { return p.ID == profileID }) {
		return &qErr{422, 38302007, "No security profile found for the provided security_profile_id."}
	}
	return nil
}

func (s *standIn) usernameTaken(name string) bool {
	for _, u := range s.staged {
		if u["username"] == name {
			return true
		}
	}
	return false
}

func (s *standIn) createStaged(r *http.Request) (int, any, error) {
	body, err := decode(r)
	if err != nil {
		return 0, nil, err
	}
	name, _ := body["username"].(string)
	role, ok1 := num(body["user_role_id"])
	profile, ok2 := num(body["security_profile_id"])
	if !ok1 || !ok2 {
		return 0, nil, &qErr{422, 38302021, "user_role_id and security_profile_id must be numbers"}
	}
	if err := s.checkRefs(role, profile); err != nil {
		return 0, nil, err
	}
	if s.usernameTaken(name) {
		return 0, nil, &qErr{409, 38302002, "username already in use as a username on another user or as an authorized service name."}
	}
	email, _ := body["email"].(string)
	u := s.newUser(name, email, role, profile)
	s.staged[u["id"].(int64)] = u
	s.pending = true
	return 201, u, nil
}

func (s *standIn) createCompat(r *http.Request) (int, any, error) {
	body, err := decode(r)
	if err != nil {
		return 0, nil, err
	}
	name, _ := body["username"].(string)
	roleObj, _ := body["user_role"].(map[string]any)
	profObj, _ := body["security_profile"].(map[string]any)
	role, ok1 := num(roleObj["id"])
	profile, ok2 := num(profObj["id"])
	if !ok1 || !ok2 {
		return 0, nil, &qErr{422, 1005, "user_role.id and security_profile.id are required"}
	}
	if err := s.checkRefs(role, profile); err != nil {
		return 0, nil, err
	}
	if s.usernameTaken(name) {
		return 0, nil, &qErr{409, 38302002, "username already in use"}
	}
	email, _ := body["email"].(string)
	u := s.newUser(name, email, role, profile)
	id := u["id"].(int64)
	s.staged[id], s.deployed[id] = u, clone(u)
	return 201, s.nested(u), nil
}

func (s *standIn) nested(u map[string]any) map[string]any {
	out := clone(u)
	for _, r := range s.roles {
		if r.ID == u["user_role_id"] {
			out["user_role"] = map[string]any{"id": r.ID, "name": r.Name}
		}
	}
	for _, p := range s.profiles {
		if p.ID == u["security_profile_id"] {
			out["security_profile"] = map[string]any{"id": p.ID, "name": p.Name}
		}
	}
	return out
}

func (s *standIn) updateDeployed(r *http.Request) (int, any, error) {
	id := s.userID(r)
	u, ok := s.deployed[id]
	if !ok {
		return 0, nil, &qErr{404, 38311001, "The deployed user does not exist."}
	}
	body, err := decode(r)
	if err != nil {
		return 0, nil, err
	}
	for _, k := range []string{"email", "locale_id", "enable_popup_notifications", "allow_system_authentication_fallback", "local_only_account", "inactivity_timeout"} {
		if v, ok := body[k]; ok {
			u[k] = v
			s.staged[id][k] = v
		}
	}
	// Compatibility surface: nested role/profile apply at once.
	if obj, ok := body["user_role"].(map[string]any); ok {
		role, _ := num(obj["id"])
		if err := s.checkRefs(role, u["security_profile_id"].(int64)); err != nil {
			return 0, nil, err
		}
		u["user_role_id"], s.staged[id]["user_role_id"] = role, role
		return 200, s.nested(u), nil
	}
	return 200, u, nil
}

func (s *standIn) updateStaged(r *http.Request) (int, any, error) {
	id := s.userID(r)
	u, ok := s.staged[id]
	if !ok {
		return 0, nil, &qErr{404, 38303001, "The staged user does not exist."}
	}
	body, err := decode(r)
	if err != nil {
		return 0, nil, err
	}
	if v, ok := body["user_role_id"]; ok {
		role, _ := num(v)
		if err := s.checkRefs(role, u["security_profile_id"].(int64)); err != nil {
			return 0, nil, &qErr{422, 38303003, "No user role found for the provided user_role_id."}
		}
		u["user_role_id"] = role
		s.pending = true
	}
	return 200, u, nil
}

func (s *standIn) deleteUser(r *http.Request, compat bool) (int, any, error) {
	id := s.userID(r)
	store := s.staged
	if compat {
		store = s.deployed
	}
	u, ok := store[id]
	if !ok {
		return 0, nil, &qErr{404, 1002, "The User does not exist"}
	}
	s.nextID++
	t := &taskRec{id: s.nextID, userID: id, created: s.now, compat: compat, conflict: s.conflictUsers[u["username"].(string)]}
	s.tasks[t.id] = t
	body := s.taskBody(t)
	if compat {
		body["task_id"] = t.id
	}
	return 202, body, nil
}

// tick applies the effects of tasks and deploys whose time has come.
func (s *standIn) tick() {
	for _, t := range s.tasks {
		if t.applied || t.conflict || s.now.Sub(t.created) < s.taskDuration {
			continue
		}
		t.applied = true
		delete(s.staged, t.userID)
		if t.compat {
			delete(s.deployed, t.userID)
		} else {
			s.pending = true
		}
	}
	if s.deployRunning && s.now.Sub(s.deployStart) >= s.deployDuration {
		s.deployRunning = false
		s.deployed = map[int64]map[string]any{}
		for id, u := range s.staged {
			s.deployed[id] = clone(u)
		}
	}
}

func (s *standIn) taskBody(t *taskRec) map[string]any {
	status, started, completed := "QUEUED", any(nil), any(nil)
	age := s.now.Sub(t.created)
	switch {
	case age >= s.taskDuration && t.conflict:
		status, started, completed = "CONFLICT", t.created.UnixMilli(), s.now.UnixMilli()
	case age >= s.taskDuration:
		status, started, completed = "COMPLETED", t.created.UnixMilli(), t.created.Add(s.taskDuration).UnixMilli()
	case age > 0:
		status, started = "PROCESSING", t.created.UnixMilli()
	}
	return map[string]any{"id": t.id, "name": "User Deletion Task", "message": "Deleting user " + strconv.FormatInt(t.userID, 10),
		"status": status, "created_by": "admin", "created": t.created.UnixMilli(), "started": started,
		"modified": s.now.UnixMilli(), "completed": completed}
}

func (s *standIn) getTask(r *http.Request) (int, any, error) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	t, ok := s.tasks[id]
	if !ok {
		return 0, nil, &qErr{404, 1002, "The Delete Task Status does not exist."}
	}
	return 200, s.taskBody(t), nil
}

func (s *standIn) startDeploy(r *http.Request) (int, any, error) {
	if s.deployRunning || !s.pending {
		return 0, nil, &qErr{409, 1004, "There is a deploy in action, or there are no changes to deploy."}
	}
	s.pending, s.deployRunning, s.deployStart = false, true, s.now
	return 200, s.deployStatus(), nil
}

func (s *standIn) deployStatus() map[string]any {
	if !s.deployRunning {
		return map[string]any{"status": "COMPLETE", "type": "INCREMENTAL", "initiated_by": "admin", "percent_complete": 100}
	}
	pct := int(100 * s.now.Sub(s.deployStart) / s.deployDuration)
	status := "IN_PROGRESS"
	if pct == 0 {
		status = "INITIALIZING"
	}
	return map[string]any{"status": status, "type": "INCREMENTAL", "initiated_by": "admin", "percent_complete": pct}
}
