// Package query implements QRadar's list query parameters — filter, fields
// and sort — for the fake Console. Each endpoint describes its object once
// as a Schema (JSON names, kinds, SQL columns, which fields may be filtered
// and sorted); this package parses the parameters, checks them against the
// Schema, and applies them either as parameterised SQL for SQLite (SQL,
// OrderBy) or in Go on JSON-like records (Match, SortRecords, Project). Both
// ways give the same rows in the same order; the tests run every filter both
// ways to keep it so.
//
// References in brackets are to ../shared/reference/qradar-api-behaviour.md:
// [C] confirmed from a public source, [I] inferred, [U] unknown (a choice
// made here).
//
// # Filter grammar (§5.1)
//
//	filter    = or
//	or        = and { "or" and }
//	and       = not { "and" not }
//	not       = "not" not | "(" or ")" | predicate
//	predicate = field op value
//	          | field ["not"] "in" "(" value { "," value } ")"
//	          | field ["not"] "between" value "and" value
//	          | field "is" ["not"] "null"
//	          | field ("like" | "ilike") quoted-string
//	          | field "contains" ( "(" or ")" | not | value )
//	field     = name [ "(" field ")" ] | "."      e.g. duration(days)
//	op        = "=" | "!=" | "<>" | "^=" | "<" | ">" | "<=" | ">="
//	value     = quoted-string | bare-word
//	name      = [A-Za-z_][A-Za-z0-9_]*
//
// Keywords are case-insensitive [I strong]. Strings take single or double
// quotes; a backslash makes the next character literal (\" \' \\; other
// escapes such as \% just drop the backslash) [U]. A bare word runs to the
// next blank or one of ( ) , = ! < > ^ " ' and is a string value
// (status=CLOSED) [C]. "not" at the start of a condition is always the
// operator, so no field can be called "not".
//
// After "contains" comes a condition on one element — parenthesised, or a
// single unparenthesised condition recognised by a name followed by an
// operator — or else a value: "domain_ids contains 0" means
// "domain_ids contains (. = 0)". "." names the element of a list of values;
// names inside contains on a list of objects are its members. contains on
// maps is not supported [U].
//
// Values take the kind of the field they are compared with [U]:
//   - string fields: any literal, as its text ("name = 1e3" compares "1e3");
//     comparison is byte-wise (SQLite's BINARY collation);
//   - integer and float fields: a decimal number with optional sign, fraction
//     and exponent, bare or quoted ("5" = 5); an integer field may be
//     compared with a fraction (id < 2.5); ints and floats compare exactly;
//   - boolean fields: true or false in any case, bare or quoted; stored as
//     0/1 in SQL.
//
// Anything else is FilterInvalid. like and ilike apply to strings only, take
// a quoted pattern, and have wildcards '%' (any run) and '_' (one
// character); there is no escape for a literal % or _ [U]. like is
// case-sensitive; ilike folds ASCII letters only, as SQLite's lower() does
// [I]. "not like" is not part of the grammar (QRadar documents none); write
// "not (x like ...)".
//
// # Null semantics
//
// As QRadar documents [C]: = < > <= >= in between like ilike on a null field
// are false; != <> ^= "not in" "not between" on a null field are true; "is
// null" is true for null and for a missing member. contains on a null or
// empty list is false. A record value of the wrong Go type counts as null.
// The SQL never yields NULL — positive operators become
// "(col IS NOT NULL AND col op ?)", negative ones "(col IS NULL OR col op ?)"
// — so "not" and "or" behave as in Go.
//
// # SQL
//
// Identifiers come only from the Schema; every value is a "?" argument.
// like compiles to "col GLOB ?" and ilike to "lower(col) GLOB ?", with '%'
// and '_' turned into '*' and '?' and GLOB's own '*', '?' and '[' quoted as
// classes, because SQLite's LIKE ignores case. and/or chains are written as
// balanced trees so that long filters stay within SQLite's expression depth.
// Column expressions must be single operands (parenthesise anything with
// operators).
//
// Limits: a filter longer than MaxFilterLen (8 KiB), nested deeper than
// MaxFilterDepth (64), containing a NUL byte or invalid UTF-8 is a syntax
// error [U]. An empty or blank filter is no filter [U].
//
// # fields (§5.2)
//
// "id,username", "capabilities(name,application_id)", spaces allowed around
// names, brackets only after objects and lists of objects. An empty or blank
// value selects everything, as a Console treats "fields= " [C S8].
// Duplicates are reported before unknown names [C S8 tests].
//
// # sort (§5.3)
//
// "+name", "-name", "name" (ascending [I]); comma-separated; a leading blank
// is an unencoded "+" and means ascending; backslash escapes , ( ) \ in
// names [C]; object members as parent(child) [U]. Nulls sort first ascending
// and last descending (SQLite's default) [U]; OrderBy and SortRecords always
// end with the tie-break (the id) ascending so that paging is stable.
//
// # Errors
//
// Every *Error is HTTP 422 (Error.Status).
//
//	kind             code  message                                                       description
//	FilterSyntax     1005  "A filter parameter was invalid. Please make sure that the   "The filter parameter is not valid."
//	                       syntax is correct: Error Parsing filter" + " at position N:
//	                       <reason>"
//	FilterInvalid    1005  "The filter parameter is not valid." + " <reason>"          "The filter parameter is not valid."
//	FieldsUnknown      30  Specified field "x" is not recognized by this endpoint for   ""
//	                       media type "application/json"
//	FieldsDuplicate    31  fields parameter value "<raw>" was invalid. Specified field  ""
//	                       "x" was used more than once at the same level
//	FieldsSyntax       31  fields parameter value "<raw>" was invalid. <reason>         ""
//	SortUnknown      1005  Field in sort parameter does not exist.                      same as message
//	SortUnsupported  1005  Sorting not supported on field in sort parameter.            same as message
//
// The message texts of filter, fields codes 30/31 and sort are [C]; the
// filter code 1005 ("A request parameter is not valid."), its HTTP status,
// the " at position N: <reason>" and " <reason>" tails, FieldsSyntax's code
// and text, and the sort descriptions are [I]/[U]. Sort codes differ per
// endpoint (users: 38314001/38314002, staged users: 38313001/38313002 [C]):
// callers overwrite Error.Code.
package query
