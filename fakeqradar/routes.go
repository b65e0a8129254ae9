package fakeqradar

import "github.com/fakeqradar/fakeqradar/fakeqradar/query"

// route is one endpoint: method, path relative to /api (gorilla/mux
// template), handler and what /api/help/endpoints says of it.
type route struct {
	Method  string
	Path    string
	Handler func(*Server, *call) (*response, *apiError)
	Summary string
	// Admin: only a principal whose role has the ADMIN capability may call it.
	Admin bool
	// List: a list endpoint (Range, filter, fields, sort).
	List *listSpec
	// Schema: the object a single-object endpoint returns, for fields.
	Schema *query.Schema
	// Compat: vendor-note compatibility surface, not in IBM's reference.
	Compat bool
	// Since: the first API version that has the endpoint ("" = all served).
	Since string
	// Params documents the endpoint's parameters beyond Version/Range and
	// the list parameters, which are added from List.
	Params []param
	// Success is the documented success status.
	Success int
}

// param documents one parameter for /api/help/endpoints.
type param struct {
	Name        string
	Type        string // QUERY, HEADER, PATH or BODY
	Description string
}

func pathParam(name, desc string) param  { return param{name, "PATH", desc} }
func bodyParam(desc string) param        { return param{"data", "BODY", desc} }
func queryParam(name, desc string) param { return param{name, "QUERY", desc} }
func headerParam(name, desc string) param {
	return param{name, "HEADER", desc}
}

var fieldsHeader = headerParam("fields", "Use this parameter to specify which fields you would like to get back in the response. Fields that are not named are excluded. Specify subfields in brackets and multiple fields in the same object are separated by commas.")

// routes lists every endpoint the fake serves, grouped by API area.
// /api/help/endpoints and /api/help/resources are generated from it, so
// documentation and behaviour cannot drift apart. It is built once per
// process; handlers are methods that receive their Server.
var routes = routeTable()

func routeTable() []*route {
	id := func(what string) param { return pathParam("id", "The id of the "+what+".") }
	return []*route{
		// --- help ---
		{Method: "GET", Path: "/help/versions", Handler: (*Server).listVersions, Summary: "Retrieves a list of the API versions.", List: versionList, Success: 200},
		{Method: "GET", Path: "/help/versions/{version_id}", Handler: (*Server).getVersion, Schema: versionSchema, Summary: "Retrieves an API version by id.", Params: []param{pathParam("version_id", "The id of the version.")}, Success: 200},
		{Method: "GET", Path: "/help/resources", Handler: (*Server).listResources, Summary: "Retrieves a list of the API resources.", List: resourceList, Success: 200},
		{Method: "GET", Path: "/help/resources/{resource_id}", Handler: (*Server).getResource, Schema: resourceSchema, Summary: "Retrieves an API resource by id.", Params: []param{pathParam("resource_id", "The id of the resource.")}, Success: 200},
		{Method: "GET", Path: "/help/endpoints", Handler: (*Server).listEndpoints, Summary: "Retrieves a list of the API endpoints.", List: endpointList, Success: 200},
		{Method: "GET", Path: "/help/endpoints/{endpoint_id}", Handler: (*Server).getEndpoint, Schema: endpointSchema, Summary: "Retrieves an API endpoint by id.", Params: []param{pathParam("endpoint_id", "The id of the endpoint.")}, Success: 200},

		// --- deployed users ---
		{Method: "GET", Path: "/config/access/users", Handler: (*Server).listDeployedUsers, Summary: "Retrieves a list of all deployed users. Administrators see every user; other callers see only themselves.", List: deployedUserList,
			Params: []param{queryParam("current_user", "If true, only the calling user is returned.")}, Success: 200},
		{Method: "GET", Path: "/config/access/users/{id}", Handler: (*Server).getDeployedUser, Schema: deployedUserSchema, Summary: "Retrieves a deployed user by id.", Params: []param{id("user"), queryParam("fields", fieldsHeader.Description)}, Success: 200},
		{Method: "POST", Path: "/config/access/users/{id}", Handler: (*Server).updateDeployedUser, Schema: deployedUserSchema, Summary: "Updates a deployed user: email, locale_id, enable_popup_notifications, allow_system_authentication_fallback, local_only_account, inactivity_timeout, old_password, password. Other fields are ignored.",
			Params: []param{id("user"), fieldsHeader, bodyParam("A JSON object with the user fields to change.")}, Success: 200},

		// --- staged users ---
		{Method: "GET", Path: "/staged_config/access/users", Handler: (*Server).listStagedUsers, Summary: "Retrieves a list of all staged users.", Admin: true, List: stagedUserList, Success: 200},
		{Method: "POST", Path: "/staged_config/access/users", Handler: (*Server).createStagedUser, Schema: stagedUserSchema, Summary: "Creates a new user in staging. The user is deployed by the next deploy.", Admin: true,
			Params: []param{fieldsHeader, bodyParam("A JSON object with username, user_role_id, security_profile_id, email, password and optional fields.")}, Success: 201},
		{Method: "GET", Path: "/staged_config/access/users/{id}", Handler: (*Server).getStagedUser, Schema: stagedUserSchema, Summary: "Retrieves a staged user by id.", Admin: true, Params: []param{id("user"), queryParam("fields", fieldsHeader.Description)}, Success: 200},
		{Method: "POST", Path: "/staged_config/access/users/{id}", Handler: (*Server).updateStagedUser, Schema: stagedUserSchema, Summary: "Updates a staged user. user_role_id, security_profile_id, tenant_id and description take effect after a deploy; other fields at once.", Admin: true,
			Params: []param{id("user"), fieldsHeader, bodyParam("A JSON object with the user fields to change.")}, Success: 200},
		{Method: "DELETE", Path: "/staged_config/access/users/{id}", Handler: (*Server).deleteStagedUser, Schema: taskSchema, Summary: "Deletes a user from staging. Returns a Delete Task Status; the user is removed when the task completes.", Admin: true,
			Params: []param{id("user")}, Success: 202},
		{Method: "GET", Path: "/staged_config/access/user_delete_tasks/{task_id}", Handler: (*Server).getDeleteTask, Schema: taskSchema, Summary: "Retrieves the status of a user delete task.", Admin: true,
			Params: []param{pathParam("task_id", "The id of the delete task.")}, Success: 200},

		// --- roles and security profiles ---
		{Method: "GET", Path: "/config/access/user_roles", Handler: (*Server).listRoles, Summary: "Retrieves a list of all user roles.", List: roleList,
			Params: []param{queryParam("current_user_role", "If true, only the caller's role is returned."), queryParam("contains", "Only roles that have this capability.")}, Success: 200},
		{Method: "GET", Path: "/config/access/user_roles/{id}", Handler: (*Server).getRole, Schema: roleSchema, Summary: "Retrieves a user role by id.", Admin: true, Params: []param{id("user role")}, Success: 200},
		{Method: "GET", Path: "/staged_config/access/user_roles", Handler: (*Server).listRoles, Summary: "Retrieves a list of all staged user roles.", Admin: true, List: roleList, Success: 200},
		{Method: "GET", Path: "/staged_config/access/user_roles/{id}", Handler: (*Server).getRole, Schema: roleSchema, Summary: "Retrieves a staged user role by id.", Admin: true, Params: []param{id("user role")}, Success: 200},
		{Method: "GET", Path: "/config/access/security_profiles", Handler: (*Server).listProfiles, Summary: "Retrieves a list of all security profiles.", List: profileList,
			Params: []param{queryParam("current_security_profile", "If true, only the caller's security profile is returned.")}, Success: 200},
		{Method: "GET", Path: "/config/access/security_profiles/{id}", Handler: (*Server).getProfile, Schema: profileSchema, Summary: "Retrieves a security profile by id.", Params: []param{id("security profile")}, Success: 200},
		{Method: "GET", Path: "/staged_config/access/security_profiles", Handler: (*Server).listProfiles, Summary: "Retrieves a list of all staged security profiles.", Admin: true, List: profileList, Success: 200},
		{Method: "GET", Path: "/staged_config/access/security_profiles/{id}", Handler: (*Server).getProfile, Schema: profileSchema, Summary: "Retrieves a staged security profile by id.", Admin: true, Params: []param{id("security profile")}, Success: 200},

		// --- authorized services ---
		{Method: "GET", Path: "/config/access/authorized_services", Handler: (*Server).listServices, Summary: "Retrieves a list of authorized services. The token is never included.", Admin: true, List: serviceList, Success: 200},
		{Method: "POST", Path: "/config/access/authorized_services", Handler: (*Server).createService, Schema: serviceSchema, Summary: "Creates an authorized service. The response is the only one that carries the token.", Admin: true,
			Params: []param{fieldsHeader, bodyParam("A JSON object with label, user_role_id, security_profile_id and optional tenant_id and expiration_date.")}, Success: 201},
		{Method: "GET", Path: "/config/access/authorized_services/{id}", Handler: (*Server).getService, Schema: serviceSchema, Summary: "Retrieves an authorized service by id.", Admin: true, Params: []param{id("authorized service")}, Success: 200},
		{Method: "DELETE", Path: "/config/access/authorized_services/{id}", Handler: (*Server).deleteService, Schema: serviceSchema, Summary: "Deletes an authorized service; its token stops working at once.", Admin: true, Params: []param{id("authorized service")}, Success: 200},

		// --- authentication ---
		{Method: "POST", Path: "/auth/logout", Handler: (*Server).logout, Summary: "Logs out the caller's session.", Success: 200},

		// --- deploy ---
		{Method: "GET", Path: "/staged_config/deploy_status", Handler: (*Server).getDeployStatus, Schema: deploySchema, Summary: "Retrieves the status of the current or last deploy.", Admin: true, Success: 200},
		{Method: "POST", Path: "/staged_config/deploy_status", Handler: (*Server).startDeploy, Schema: deploySchema, Summary: "Deploys the staged configuration.", Admin: true,
			Params: []param{bodyParam(`Optional JSON object {"type": "INCREMENTAL" | "FULL"}.`)}, Success: 200},

		// --- vendor-note compatibility surface (not in IBM's API reference) ---
		{Method: "GET", Path: "/config/access/roles", Handler: (*Server).listRoles, Summary: "UNDOCUMENTED. Retrieves a list of user roles (vendor-note path).", List: roleList, Compat: true, Success: 200},
		{Method: "GET", Path: "/config/access/roles/{id}", Handler: (*Server).getRole, Schema: roleSchema, Summary: "UNDOCUMENTED. Retrieves a user role by id (vendor-note path).", Compat: true, Params: []param{id("user role")}, Success: 200},
		{Method: "POST", Path: "/config/access/users", Handler: (*Server).createDeployedUser, Schema: deployedUserSchema, Summary: "UNDOCUMENTED. Creates and deploys a single user (vendor-note path).", Admin: true, Compat: true,
			Params: []param{bodyParam(`A JSON object with username, password, email, user_role {"id"} and security_profile {"id"}.`)}, Success: 201},
		{Method: "DELETE", Path: "/config/access/users/{id}", Handler: (*Server).deleteDeployedUser, Schema: taskSchema, Summary: "UNDOCUMENTED. Deletes a user; returns the delete task with task_id (vendor-note path).", Admin: true, Compat: true,
			Params: []param{id("user")}, Success: 202},
		{Method: "GET", Path: "/config/access/users/delete_tasks/{task_id}", Handler: (*Server).getCompatDeleteTask, Schema: taskSchema, Summary: "UNDOCUMENTED. Retrieves a user delete task (vendor-note path).", Admin: true, Compat: true,
			Params: []param{pathParam("task_id", "The id of the delete task.")}, Success: 200},
	}
}
