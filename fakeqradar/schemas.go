package fakeqradar

import "github.com/fakeqradar/fakeqradar/fakeqradar/query"

// Schemas of the objects the endpoints return, for filter, fields and sort.
// Columns name the SQL the query engine may write; only users are listed
// from SQL, the other lists are filtered in Go with the same semantics.

func userSchema(deployed bool) *query.Schema {
	staged := func(col string) string {
		if deployed {
			return "d_" + col
		}
		return col
	}
	f := func(name string, kind query.Kind, col string) query.Field {
		return query.Field{Name: name, Kind: kind, Column: col, Filterable: true, Sortable: true}
	}
	ref := func(name string) query.Field {
		return query.Field{Name: name, Kind: query.KindObject, Sub: []query.Field{
			{Name: "id", Kind: query.KindInt}, {Name: "name", Kind: query.KindString}}}
	}
	return &query.Schema{Fields: []query.Field{
		f("id", query.KindInt, "id"),
		f("username", query.KindString, "username"),
		f("email", query.KindString, "email"),
		f("description", query.KindString, staged("description")),
		f("user_role_id", query.KindInt, staged("user_role_id")),
		f("security_profile_id", query.KindInt, staged("security_profile_id")),
		f("tenant_id", query.KindInt, staged("tenant_id")),
		f("locale_id", query.KindString, "locale_id"),
		f("enable_popup_notifications", query.KindBool, "enable_popup_notifications"),
		// Write-only fields: always null, neither filterable nor sortable.
		{Name: "old_password", Kind: query.KindString},
		{Name: "password", Kind: query.KindString},
		f("password_creation_time", query.KindInt, "password_creation_time"),
		f("allow_system_authentication_fallback", query.KindBool, "allow_system_authentication_fallback"),
		f("local_only_account", query.KindBool, "local_only_account"),
		f("inactivity_timeout", query.KindInt, "inactivity_timeout"),
		f("notification_flag", query.KindString, "notification_flag"),
		ref("user_role"),
		ref("security_profile"),
	}}
}

var (
	deployedUserSchema = userSchema(true)
	stagedUserSchema   = userSchema(false)
)

// goField is a field of an in-memory list: filterable and sortable by its
// JSON name (Column is only a label there).
func goField(name string, kind query.Kind) query.Field {
	return query.Field{Name: name, Kind: kind, Column: name, Filterable: true, Sortable: true}
}

func goList(name string, elem query.Kind, sub ...query.Field) query.Field {
	return query.Field{Name: name, Kind: query.KindList, Elem: elem, Sub: sub, Filterable: true,
		ListSQL: "%s", ElemColumn: "value"}
}

var roleSchema = &query.Schema{Fields: []query.Field{
	goField("id", query.KindInt),
	goField("name", query.KindString),
	goList("capabilities", query.KindObject,
		goField("application_id", query.KindInt), goField("name", query.KindString), goField("description", query.KindString)),
}}

var profileSchema = &query.Schema{Fields: []query.Field{
	goField("id", query.KindInt),
	goField("name", query.KindString),
	goList("domain_ids", query.KindInt),
}}

var serviceSchema = &query.Schema{Fields: []query.Field{
	goField("id", query.KindInt),
	goField("label", query.KindString),
	{Name: "token", Kind: query.KindString},
	goField("created_by", query.KindString),
	goField("tenant_id", query.KindInt),
	goField("security_profile_id", query.KindInt),
	goField("user_role_id", query.KindInt),
	goField("creation_date", query.KindInt),
	goField("expiration_date", query.KindInt),
	goField("last_used_date", query.KindInt),
}}

var taskSchema = &query.Schema{Fields: []query.Field{
	goField("id", query.KindInt), goField("name", query.KindString), goField("message", query.KindString),
	goField("status", query.KindString), goField("created_by", query.KindString), goField("created", query.KindInt),
	goField("started", query.KindInt), goField("modified", query.KindInt), goField("completed", query.KindInt),
	goField("task_id", query.KindInt),
}}

var deploySchema = &query.Schema{Fields: []query.Field{
	goField("status", query.KindString), goField("type", query.KindString), goField("initiated_by", query.KindString),
	goField("initiated_from", query.KindString), goField("percent_complete", query.KindInt),
	{Name: "hosts", Kind: query.KindList, Elem: query.KindObject},
}}

var versionSchema = &query.Schema{Fields: []query.Field{
	goField("id", query.KindInt), goField("version", query.KindString), goField("deprecated", query.KindBool),
	goField("removed", query.KindBool), goList("root_resource_ids", query.KindInt),
}}

var resourceSchema = &query.Schema{Fields: []query.Field{
	goField("id", query.KindInt), goField("resource", query.KindString), goField("path", query.KindString),
	goField("version", query.KindString), goField("parent_resource_id", query.KindInt),
	goList("child_resource_ids", query.KindInt), goList("endpoint_ids", query.KindInt),
}}

var endpointSchema = func() *query.Schema {
	mime := []query.Field{goField("mime_type", query.KindString), goField("data_type", query.KindString), goField("sample", query.KindString)}
	return &query.Schema{Fields: []query.Field{
		goField("id", query.KindInt), goField("version", query.KindString), goField("last_modified_version", query.KindString),
		goField("path", query.KindString), goField("http_method", query.KindString), goField("summary", query.KindString),
		goField("description", query.KindString), goField("deprecated", query.KindBool), goField("caller_has_access", query.KindBool),
		goField("resource_id", query.KindInt), goField("response_description", query.KindString),
		goList("parameters", query.KindObject, goField("parameter_name", query.KindString), goField("type", query.KindString),
			goField("description", query.KindString), goField("default_value", query.KindString), goList("mime_types", query.KindObject, mime...)),
		goList("success_responses", query.KindObject, goField("response_code", query.KindInt), goField("description", query.KindString), goField("response_code_description", query.KindString)),
		goList("error_responses", query.KindObject, goField("response_code", query.KindInt), goField("unique_code", query.KindInt), goField("description", query.KindString), goField("response_code_description", query.KindString)),
		goList("response_mime_types", query.KindObject, goField("mime_type", query.KindString), goField("media_type", query.KindString), goField("sample", query.KindString)),
	}}
}()
