package query

import (
	"fmt"
	"strings"
)

// Kind is the JSON type of a field of an API object.
type Kind int

// The kinds a Field can have.
const (
	KindString Kind = iota + 1
	KindInt
	KindFloat
	KindBool
	KindObject // a JSON object whose members are described by Field.Sub
	KindList   // a JSON array; Field.Elem says what it holds
)

func (k Kind) String() string {
	switch k {
	case KindString:
		return "string"
	case KindInt:
		return "integer"
	case KindFloat:
		return "number"
	case KindBool:
		return "boolean"
	case KindObject:
		return "object"
	case KindList:
		return "list"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

func (k Kind) scalar() bool {
	return k == KindString || k == KindInt || k == KindFloat || k == KindBool
}

// Field describes one member of an API object: its JSON name and type, and
// how the SQL store reaches it.
//
// SQL expressions (Column, ListSQL, ElemColumn) are written by the caller and
// pasted into generated SQL verbatim; nothing from a request ever reaches SQL
// except as a bound argument.
type Field struct {
	// Name is the JSON member name, e.g. "user_role_id".
	Name string
	// Kind is the JSON type.
	Kind Kind
	// Elem is the element kind of a KindList: a scalar kind for lists of
	// values (domain_ids: KindInt), KindObject for lists of objects, whose
	// members are then described by Sub.
	Elem Kind
	// Sub describes the members of a KindObject, or of each element of a
	// KindList whose Elem is KindObject.
	Sub []Field

	// Column is the SQL expression for the value, e.g. "u.username" or
	// "json_extract(o.duration, '$.days')". Required when Filterable or
	// Sortable is set on a scalar; optional on objects and lists, where it
	// only serves "is null" / "is not null".
	// Members of a list of objects use columns of the row source opened by
	// the list's ListSQL (e.g. "c.name").
	// Booleans are expected to be stored as 0/1.
	Column string
	// ListSQL is, for a filterable KindList, a boolean SQL expression with one
	// "%s" that is replaced by the condition on one element, e.g.
	//   "EXISTS (SELECT 1 FROM role_capabilities c WHERE c.role_id = r.id AND (%s))"
	//   "EXISTS (SELECT 1 FROM json_each(p.domain_ids) j WHERE (%s))"
	// Only the first "%s" is replaced; other '%' characters are left alone.
	ListSQL string
	// ElemColumn is, for a list of scalars, the SQL expression of one element
	// inside ListSQL, e.g. "j.value". The filter writes it as ".".
	ElemColumn string

	// Filterable allows the field in the filter parameter. Members of objects
	// and of lists of objects need their own flag.
	Filterable bool
	// Sortable allows the field in the sort parameter (scalars only).
	Sortable bool
}

// Schema describes the object one endpoint returns.
type Schema struct {
	Fields []Field
}

// Field returns the top-level field called name, or nil.
func (s *Schema) Field(name string) *Field {
	if s == nil {
		return nil
	}
	return lookupField(s.Fields, name)
}

func lookupField(fields []Field, name string) *Field {
	for i := range fields {
		if fields[i].Name == name {
			return &fields[i]
		}
	}
	return nil
}

// hasSub reports whether the field has named members (an object or a list of
// objects).
func (f *Field) hasSub() bool {
	return f.Kind == KindObject || (f.Kind == KindList && f.Elem == KindObject)
}

// Validate reports inconsistencies that would make SQL or OrderBy fail for a
// filter or sort that Check / ParseSort accepted: a filterable or sortable
// scalar without Column, a filterable list without ListSQL or ElemColumn,
// a sortable object or list, duplicate names, unknown kinds. Call it from the
// tests of each endpoint that declares a Schema.
func (s *Schema) Validate() error {
	if s == nil {
		return fmt.Errorf("query: nil schema")
	}
	return validateFields(s.Fields, "")
}

func validateFields(fields []Field, prefix string) error {
	seen := make(map[string]bool, len(fields))
	for i := range fields {
		f := &fields[i]
		name := prefix + f.Name
		if f.Name == "" {
			return fmt.Errorf("query: field %d under %q has no name", i, prefix)
		}
		if seen[f.Name] {
			return fmt.Errorf("query: field %q declared twice", name)
		}
		seen[f.Name] = true
		switch {
		case f.Kind.scalar():
			if (f.Filterable || f.Sortable) && f.Column == "" {
				return fmt.Errorf("query: field %q is filterable or sortable but has no Column", name)
			}
		case f.Kind == KindObject:
			if f.Sortable {
				return fmt.Errorf("query: object field %q cannot be sortable", name)
			}
			if err := validateFields(f.Sub, name+"."); err != nil {
				return err
			}
		case f.Kind == KindList:
			if f.Sortable {
				return fmt.Errorf("query: list field %q cannot be sortable", name)
			}
			switch {
			case f.Elem == KindObject:
				if err := validateFields(f.Sub, name+"."); err != nil {
					return err
				}
			case f.Elem.scalar():
				if f.Filterable && f.ElemColumn == "" {
					return fmt.Errorf("query: filterable list %q has no ElemColumn", name)
				}
			default:
				return fmt.Errorf("query: list field %q has element kind %v", name, f.Elem)
			}
			if f.Filterable && !strings.Contains(f.ListSQL, "%s") {
				return fmt.Errorf("query: filterable list %q has no ListSQL with %%s", name)
			}
		default:
			return fmt.Errorf("query: field %q has kind %v", name, f.Kind)
		}
	}
	return nil
}
