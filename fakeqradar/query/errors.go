package query

import (
	"fmt"
	"net/http"
)

// ErrorKind says which rule a filter, fields or sort value broke.
type ErrorKind int

// The error kinds. Every one of them is answered with HTTP 422.
const (
	// FilterSyntax: the filter does not parse (also: too long, too deep).
	FilterSyntax ErrorKind = iota + 1
	// FilterInvalid: the filter parses but names an unknown or non-filterable
	// field, uses an operator the field's type does not support, or compares
	// with a value of the wrong type.
	FilterInvalid
	// FieldsUnknown: a name in fields is not a field of the object (code 30).
	FieldsUnknown
	// FieldsDuplicate: a name appears twice at the same level (code 31).
	FieldsDuplicate
	// FieldsSyntax: unbalanced brackets or an empty name in fields.
	FieldsSyntax
	// SortUnknown: a sort key names no field (or is malformed).
	SortUnknown
	// SortUnsupported: a sort key names a field that cannot be sorted on.
	SortUnsupported
)

func (k ErrorKind) String() string {
	switch k {
	case FilterSyntax:
		return "FilterSyntax"
	case FilterInvalid:
		return "FilterInvalid"
	case FieldsUnknown:
		return "FieldsUnknown"
	case FieldsDuplicate:
		return "FieldsDuplicate"
	case FieldsSyntax:
		return "FieldsSyntax"
	case SortUnknown:
		return "SortUnknown"
	case SortUnsupported:
		return "SortUnsupported"
	}
	return fmt.Sprintf("ErrorKind(%d)", int(k))
}

// Codes and texts of the errors (see doc.go for where each comes from).
const (
	// CodeInvalidParameter is QRadar's generic "A request parameter is not
	// valid." code, used for filter errors and as the default for sort errors.
	CodeInvalidParameter = 1005
	// CodeFieldUnknown is the code of an unknown name in fields.
	CodeFieldUnknown = 30
	// CodeFieldInvalid is the code of a duplicated name in fields, also used
	// here for malformed fields values.
	CodeFieldInvalid = 31

	filterSyntaxPrefix  = "A filter parameter was invalid. Please make sure that the syntax is correct: Error Parsing filter"
	filterInvalidText   = "The filter parameter is not valid."
	sortUnknownText     = "Field in sort parameter does not exist."
	sortUnsupportedText = "Sorting not supported on field in sort parameter."
)

// Error is a rejected filter, fields or sort value. It carries what QRadar's
// error envelope needs: Code, Message and Description; the HTTP status is
// always 422 (Status). Pos is the byte offset (0-based) in the raw parameter
// value where the problem was found, or -1 when there is no single place.
//
// Callers may change Code (sort errors have per-endpoint codes, e.g. 38314001)
// after errors.As.
type Error struct {
	Kind        ErrorKind
	Code        int
	Message     string
	Description string
	Pos         int
}

func (e *Error) Error() string { return e.Message }

// Status is the HTTP status of every Error: 422 Unprocessable Entity.
func (e *Error) Status() int { return http.StatusUnprocessableEntity }

func syntaxErr(pos int, format string, args ...any) *Error {
	return &Error{
		Kind:        FilterSyntax,
		Code:        CodeInvalidParameter,
		Message:     fmt.Sprintf("%s at position %d: %s", filterSyntaxPrefix, pos, fmt.Sprintf(format, args...)),
		Description: filterInvalidText,
		Pos:         pos,
	}
}

func invalidErr(pos int, format string, args ...any) *Error {
	return &Error{
		Kind:        FilterInvalid,
		Code:        CodeInvalidParameter,
		Message:     filterInvalidText + " " + fmt.Sprintf(format, args...),
		Description: filterInvalidText,
		Pos:         pos,
	}
}
