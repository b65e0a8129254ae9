package fakeqradar

import (
	"strconv"
	"strings"
)

// apiVersion is one entry of the Console's version table.
type apiVersion struct {
	ID         int
	Name       string // "26.0"
	Major      int
	Minor      int
	Deprecated bool
	Removed    bool
}

// less reports whether v is older than o.
func (v *apiVersion) less(o *apiVersion) bool {
	return v.Major < o.Major || (v.Major == o.Major && v.Minor < o.Minor)
}

// atLeast reports whether v is at or after major.minor.
func (v *apiVersion) atLeast(major, minor int) bool {
	return v.Major > major || (v.Major == major && v.Minor >= minor)
}

// versionNames is the version list of a QRadar 7.5.0 UP14 Console, oldest
// first (reference §3): 0.1–7.0 removed; 8.0–24.0 deprecated (the releases
// before the three supported majors); 25.0, 26.0, 27.0 supported.
// Minor versions follow the releases that shipped them (9.1, 10.1, 12.1, 13.1…).
var versionNames = []string{
	"0.1", "0.2", "1.0", "2.0", "3.0", "3.1", "4.0", "5.0", "5.1", "6.0", "7.0",
	"8.0", "9.0", "9.1", "10.0", "10.1", "11.0", "12.0", "12.1", "13.0", "13.1",
	"14.0", "15.0", "16.0", "17.0", "18.0", "19.0", "20.0", "21.0", "22.0", "23.0",
	"24.0", "25.0", "26.0", "27.0",
}

// versions is the table every Server serves.
var versions = newVersionTable()

// versionTable is the parsed, immutable table.
type versionTable struct {
	all    []*apiVersion
	latest *apiVersion
	byName map[string]*apiVersion
}

func newVersionTable() *versionTable {
	t := &versionTable{byName: map[string]*apiVersion{}}
	for i, name := range versionNames {
		major, minor, _ := parseVersionNumber(name)
		v := &apiVersion{ID: i + 1, Name: name, Major: major, Minor: minor}
		v.Removed = major < 8
		v.Deprecated = !v.Removed && major < 25
		t.all = append(t.all, v)
		t.byName[name] = v
	}
	t.latest = t.all[len(t.all)-1]
	return t
}

// parseVersionNumber parses "26", "26.0" or "12.1" into major and minor
// (minor -1 when only the major is given).
func parseVersionNumber(s string) (major, minor int, ok bool) {
	majorStr, minorStr, hasMinor := strings.Cut(s, ".")
	if majorStr == "" || len(majorStr) > 4 || !allDigits(majorStr) {
		return 0, 0, false
	}
	major, _ = strconv.Atoi(majorStr)
	if !hasMinor {
		return major, -1, true
	}
	if minorStr == "" || len(minorStr) > 4 || !allDigits(minorStr) {
		return 0, 0, false
	}
	minor, _ = strconv.Atoi(minorStr)
	return major, minor, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// resolve maps a Version header value to a version of the table:
//   - "" → the default (latest unless configured);
//   - "26" → the latest minor of 26 [C];
//   - an exact name → that version;
//   - a number inside the table's range that it does not list → the highest
//     listed version below it [C IBM sample; I reconciled, reference §3];
//   - above the newest, or unparsable → invalid (422);
//   - resolving to a removed version → removed (422).
func (t *versionTable) resolve(header, defaultVersion string) (*apiVersion, *apiError) {
	raw := strings.TrimSpace(header)
	if raw == "" {
		if defaultVersion != "" {
			raw = defaultVersion
		} else {
			return t.latest, nil
		}
	}
	if v, ok := t.byName[raw]; ok {
		if v.Removed {
			return nil, errVersionRemoved(raw)
		}
		return v, nil
	}
	major, minor, ok := parseVersionNumber(raw)
	if !ok {
		return nil, errVersionInvalid(raw)
	}
	var found *apiVersion
	for _, v := range t.all {
		if minor < 0 {
			if v.Major == major {
				found = v
			}
			continue
		}
		if v.Major < major || (v.Major == major && v.Minor <= minor) {
			found = v
		}
	}
	if found == nil || major > t.latest.Major || (major == t.latest.Major && minor > t.latest.Minor) {
		return nil, errVersionInvalid(raw)
	}
	if minor < 0 && found.Major != major {
		return nil, errVersionInvalid(raw)
	}
	if found.Removed {
		return nil, errVersionRemoved(raw)
	}
	return found, nil
}
