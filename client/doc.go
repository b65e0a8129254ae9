// Package client is a Go client for the user-management part of the IBM QRadar
// Console REST API (/api): users, user roles, security profiles, authorized services,
// user delete tasks and deploys.
//
// # Connecting
//
// New takes the Console's base URL and options:
//
//	c, err := client.New("https://qradar.example.com",
//		client.WithSECToken(os.Getenv("QRADAR_SEC_TOKEN")),
//		client.WithCACertFile("/etc/qradar/ca.pem"), // verify a self-signed Console
//		client.WithVersion("26.0"),
//	)
//
// Every request carries the Version header (default DefaultVersion; a Console given
// none answers with its newest version), Accept: application/json, and either
// "SEC: <token>" or Basic credentials (WithBasicAuth). TLS is verified against the
// system roots or, with WithCACertPEM/WithCACertFile, against the given CA only.
// WithInsecureSkipVerify turns verification off and logs a warning.
//
// At most DefaultMaxConcurrentRequests requests are in flight per Client
// (WithMaxConcurrentRequests); the appliance has undocumented limits.
//
// # Services
//
// The Client has one service per API area, in the shape of go-github:
//
//	c.Users               GET /config/access/users[/{id}], POST /config/access/users/{id}
//	c.StagedUsers         /staged_config/access/users: create, staged update, delete → task
//	c.Roles               GET /config/access/user_roles[/{id}], ByName
//	c.SecurityProfiles    GET /config/access/security_profiles[/{id}], ByName
//	c.AuthorizedServices  /config/access/authorized_services: list, get, create, delete
//	c.Tasks               /staged_config/access/user_delete_tasks/{id}: get, wait
//	c.Deploy              /staged_config/deploy_status: start, status, wait
//
// Updates send only the fields that were set (pointer fields; Go 1.26's new(expr)
// makes them easy: UserUpdate{Email: new("a@example.com")}) and always use POST.
//
// # Lists
//
// List methods return an iter.Seq2 that requests "Range: items=x-y" pages until
// Content-Range says the list is complete (or, without Content-Range, until a page is
// shorter than the page size). ListPage returns one page and the parsed Content-Range.
//
//	opts := &client.ListOptions{Filter: client.ILike("username", "svc_%"), Sort: "+username"}
//	for u, err := range c.Users.List(ctx, opts) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(u.ID, u.Username)
//	}
//
// Filters are built with Eq, Ne, Lt, Le, Gt, Ge, In, NotIn, Like, ILike, IsNull,
// IsNotNull, And, Or and Not. Values are quoted and escaped, and field names are
// checked, so input such as `" or 1=1 --` stays a value.
//
// # Errors
//
// Every non-2xx answer becomes an *APIError holding QRadar's code, message and
// description, and matches ErrUnauthorized, ErrForbidden, ErrNotFound,
// ErrMethodNotAllowed, ErrConflict, ErrUnprocessable or ErrUnavailable with errors.Is.
// Names that match nothing give a *NameNotFoundError listing the names that exist.
//
// # Retries and waits
//
// GET and HEAD are retried on 502, 503, 504 and connection resets, with bounded
// exponential backoff (DefaultRetryPolicy). POST and DELETE are sent once unless the
// RetryPolicy opts in: deleting a user starts a task, and a repeated create can
// create twice.
//
// Task and deploy waits poll with exponential backoff and jitter, the first poll no
// sooner than MinPollInterval (250 ms), capped near 10 s, honour the context, and
// report each poll to an optional progress callback (WithProgress or WaitOptions).
//
// # Workflows
//
// ProvisionUser, ChangeRole and DeprovisionUser each perform one of the vendor note's
// common scenarios in a single call, resolving names to ids and waiting for tasks and
// deploys as the Console requires.
//
// # Two surfaces
//
// By default the client uses IBM's documented API: users are created and deleted in
// staging, role changes are staged and deployed, and roles live at
// /config/access/user_roles. WithVendorNoteMode switches to the paths of the vendor
// note this project started from (/config/access/roles, POST and DELETE on
// /config/access/users, /config/access/users/delete_tasks/{task_id}), which IBM does
// not document; use it only against a Console known to serve them.
package client
