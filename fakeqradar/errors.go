package fakeqradar

import (
	"fmt"
	"net/http"
)

// apiError is a QRadar error envelope waiting to be written:
//
//	{"http_response":{"code":S,"message":M},"code":C,"description":D,"details":{},"message":T}
//
// Handlers return it; writeError puts it on the wire.
type apiError struct {
	Status      int
	Code        int
	Message     string
	Description string
	Details     map[string]any
	Header      http.Header // extra response headers (Allow on 405)
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%d (code %d): %s", e.Status, e.Code, e.Message)
}

// httpMessages are the canned http_response.message texts. 401/403/404/409/
// 422/500 are as observed on a live Console (reference §2), the others as in
// IBM's error table.
var httpMessages = map[int]string{
	400: "Invalid syntax for this request was provided.",
	401: "You are unauthorized to access the requested resource.",
	403: "Your account is not authorized to access the requested resource",
	404: "We could not find the resource you requested.",
	405: "This method type is not currently supported.",
	406: "Acceptance header is invalid for this endpoint resource.",
	409: "The request could not be completed due to a conflict with the current state of the resource",
	410: "The requested resource is no longer available and has been permanently removed.",
	413: "The request entity is larger than the server is willing or able to process.",
	415: "The requested resource does not support the media type provided.",
	431: "The request header fields are too large.",
	422: "The request was well-formed but was unable to be followed due to semantic errors",
	500: "Unexpected internal server error",
	503: "The server is currently unavailable.",
}

func newError(status, code int, message, description string) *apiError {
	return &apiError{Status: status, Code: code, Message: message, Description: description}
}

// The error catalogue. Each entry names its source in the behaviour reference
// (shared/reference/qradar-api-behaviour.md): [C] confirmed, [I] inferred,
// [U] unknown (a chosen default).

// errNoCredentials: auth, no SEC/Authorization header — [C] §1, code 18.
func errNoCredentials() *apiError {
	return newError(401, 18, `No SEC header present in request. Please provide it via "SEC: token". You may also use BASIC authentication parameters if this host supports it. e.g. "Authorization: Basic base64Encoding"`, "")
}

// errBadCredentials: wrong token, expired service or wrong password — [I] §2.1
// reuses the code-18 body (mock-radar, IBM count-mvs).
func errBadCredentials() *apiError { return errNoCredentials() }

// errForbidden: valid credentials lacking the capability — [C] §1, code 26.
func errForbidden() *apiError {
	return newError(403, 26, "User has insufficient capabilities to access this endpoint resource", "")
}

// errUnknownPath: unknown /api path — [C] §2.1, code 4.
func errUnknownPath(rel string) *apiError {
	return newError(404, 4, fmt.Sprintf("Relative path (%s) is not a known endpoint resource. Please refer to documentation for list of endpoint resources.", rel), "")
}

// errMethodNotAllowed: known path, other method — status [C] §2 table; code
// and message [U].
func errMethodNotAllowed(method, rel string, allow string) *apiError {
	e := newError(405, 1010, fmt.Sprintf("Method %s is not supported for endpoint resource (%s). Supported methods: %s.", method, rel, allow), "")
	e.Header = http.Header{"Allow": []string{allow}}
	return e
}

// errNotAcceptable: Accept without application/json — status [C] §1; code [U].
func errNotAcceptable(accept string) *apiError {
	return newError(406, 1011, fmt.Sprintf("Acceptance header (%s) is invalid for this endpoint resource. Supported media types: application/json.", accept), "")
}

// errVersionRemoved: removed API version — status and text [C] §3; code [U].
func errVersionRemoved(v string) *apiError {
	return newError(422, 1012, fmt.Sprintf("Version (%s) from header parameter (Version) has been removed and is no longer valid. Please refer to documentation for list of valid versions.", v), "")
}

// errVersionInvalid: unknown or unparsable version — text [C] §3, status [I], code [U].
func errVersionInvalid(v string) *apiError {
	return newError(422, 1012, fmt.Sprintf("Version (%s) from header parameter (Version) is not a valid version. Please refer to documentation for list of valid versions.", v), "")
}

// errRangeMalformed: bad Range syntax — [C] §4, code 36.
func errRangeMalformed() *apiError {
	return newError(422, 36, "Failed to parse Range header. The syntax of the Range header must follow this pattern: items=x-y", "")
}

// errRangeNegative: Range end before start — text [C] §2.1, code [I] 36.
func errRangeNegative() *apiError {
	return newError(422, 36, `Range of pages specified in "Range" header is negative. Non-negative page range must be specified.`, "")
}

// errBodyMissing: empty body where one is required — [C] §2.1, code 10.
func errBodyMissing() *apiError {
	return newError(422, 10, `Request body must be populated for body parameter "data"`, "")
}

// errBodyTransform: body that is not a JSON object — code 11 family [I]
// (the query-parameter transform error of §2.1); the detail says what failed.
func errBodyTransform(detail string) *apiError {
	return newError(422, 11, fmt.Sprintf(`Failed to transform user body parameter "data" with a content type of "APPLICATION_JSON": %s`, detail), "")
}

// errPathTransform: a path id that is not a 64-bit integer — code 11 family [I].
func errPathTransform(name, value string) *apiError {
	return newError(422, 11, fmt.Sprintf(`Failed to transform user path parameter "%s" with a content type of "TEXT_PLAIN": %q is not an integer`, name, value), "")
}

// errFieldType: a body field of the wrong JSON type — status [I] §7.3
// (a role name where user_role_id belongs), code 1005 "A request parameter
// is not valid." [C] §2.1.
func errFieldType(field, want string, got any) *apiError {
	return newError(422, 1005, fmt.Sprintf("%s must be %s, got %s", field, want, describeJSON(got)), "A request parameter is not valid.")
}

// errBodyTooLarge: body over the limit — 413 [I] (413 envelope; code [U]).
func errBodyTooLarge(limit int64) *apiError {
	return newError(413, 1013, fmt.Sprintf("Request body exceeds the limit of %d bytes.", limit), "")
}

// errUnsupportedMediaType: a body that is declared as something other than
// JSON — 415 [C] §2 table; code [U].
func errUnsupportedMediaType(ct string) *apiError {
	return newError(415, 1014, fmt.Sprintf("Content-Type (%s) is not supported by this endpoint resource. Use application/json.", ct), "")
}

// errHeaderTooLarge: request headers over the limit — 431 [U] (status and
// code chosen; a Console's limit is not documented).
func errHeaderTooLarge(limit int) *apiError {
	return newError(431, 1015, fmt.Sprintf("Request headers exceed the limit of %d bytes.", limit), "")
}

// errBadQuery: a query string that does not decode — 400 [U].
func errBadQuery(err error) *apiError {
	return newError(400, 1016, "The query string is not valid: "+err.Error(), "")
}

// errInternal: unexpected failure — [C] §2.1 code 1020.
func errInternal(what string) *apiError {
	return newError(500, 1020, "An error occurred during the attempt to "+what+".", "An error occurred during the attempt to "+what+".")
}

func describeJSON(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		if len(x) > 64 {
			x = x[:64] + "…"
		}
		return fmt.Sprintf("string %q", x)
	case bool:
		return fmt.Sprintf("boolean %v", x)
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	default:
		return fmt.Sprintf("number %v", x)
	}
}
