// Package fakeqradar is a fake IBM QRadar Console for identity and
// user-management integrations: the /api access-configuration endpoints
// (users, staged users, user roles, security profiles, authorized services,
// user delete tasks, deploy) and /api/help, backed by SQLite.
//
// Use it in-process from Go tests:
//
//	ts := fakeqradar.NewTestServer(t, fakeqradar.Options{})
//	req, _ := http.NewRequest("GET", ts.URL()+"/api/config/access/users", nil)
//	req.Header.Set("SEC", ts.Token())
//	resp, err := ts.Client().Do(req) // trusts the fake's CA
//
// or standalone with the fakeqradar command (HTTPS on 127.0.0.1:8443).
//
// # What behaves like a Console
//
// The fidelity spec is shared/reference/qradar-api-behaviour.md; each
// behaviour below follows it, and code comments mark what the reference
// confirms [C], what is inferred [I] and what is unknown and chosen [U].
//
//   - Every /api error is QRadar's envelope
//     {http_response:{code,message},code,description,details,message} with
//     Content-Type application/json; the catalogue is errors.go.
//   - Authentication by SEC token (authorized services, including the admin
//     token) or HTTP Basic (deployed users with a password); 401 code 18, 403
//     code 26. Only roles with the ADMIN capability manage users and
//     authorized services; other callers see only themselves.
//   - The Version header: the version table of a 7.5.0 UP14 Console, latest
//     when absent, major-only resolves to the latest minor, removed and
//     invalid versions are 422, deprecated versions get a Deprecated header.
//     Fields a version lacks are absent from its responses.
//   - Range / Content-Range on every list (200, never 206; items */N past the
//     end; 422 code 36 when malformed); Accept (406); 405 with Allow.
//   - Users split between staging (create, staged update, delete) and the
//     deployed configuration (read, self-service update); staged changes
//     reach /config/access/users only after POST /staged_config/deploy_status
//     and the deploy's duration.
//   - Delete is asynchronous: 202 with a Delete Task Status; the task goes
//     QUEUED → PROCESSING → COMPLETED on the Server's clock and the user stays
//     readable until it completes — then it is gone, exactly once.
//   - Validation codes of the create/update endpoints (38302xxx, 38303xxx,
//     38311xxx); usernames and authorized-service labels share one namespace.
//   - /api/help/versions, /api/help/resources and /api/help/endpoints are
//     generated from the route table (routes.go), so they list exactly what
//     is served.
//
// The vendor-note compatibility surface (POST /config/access/users creating
// and deploying at once, nested user_role/security_profile objects,
// DELETE /config/access/users/{id} with task_id, /config/access/roles) shares
// the same store. Options.Profile "vendor-note" also switches the defaults
// where the vendor note and IBM's reference disagree.
//
// # What is simplified
//
//   - A deploy applies every change staged when it completes, including
//     changes staged while it ran.
//   - Tenants do not exist: any non-null tenant_id is "not found".
//   - The password policy is a minimum length (Options.MinPasswordLength).
//   - authorized-service last_used_date is written at most once a minute
//     per service.
//   - Error codes and texts the reference marks unknown are chosen defaults
//     (errors.go says which).
//
// # What is absent
//
// Everything outside access configuration and help (offenses, Ariel,
// reference data, …), user dependents tasks, tenant management and LDAP.
// The Basic-auth session cookie is there but off unless
// Options.SessionCookies; POST /api/auth/logout ends such a session.
//
// # Control plane
//
// Under /_fake/ (a prefix QRadar never uses), guarded by the admin token:
// health, clock (read, advance), reset to fixtures, faults (delete task
// outcome), the request journal and the conformance report (every use of
// the vendor-note surface, to check against a real Console). The same are
// Go methods: Server.Advance, Server.Reset, Server.SetDeleteTaskOutcome,
// Server.Journal, Server.Conformance.
package fakeqradar
