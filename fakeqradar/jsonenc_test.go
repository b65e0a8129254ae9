package fakeqradar

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
)

// The hand-written encoder gives exactly what encoding/json gives.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	s := "x"
	n := int64(-7)
	strs := []string{"", "plain", `quote " back \ slash`, "tab\tnl\ncr\r", "\x00\x01\x1f", "<a & b>", "é漢😀", "bad \xff utf8 \xc3", "line\u2028sep\u2029", "\u007f"}
	for _, str := range strs {
		want, _ := json.Marshal(str)
		assert.Equal(t, string(want), string(appendJSON(nil, str)), "%q", str)
	}
	v := object{{"a", 1}, {"b", int64(2)}, {"c", &n}, {"d", (*int64)(nil)}, {"e", &s}, {"f", (*string)(nil)}, {"g", true},
		{"h", nil}, {"i", []int64{1, 2}}, {"j", []object{{{"k", "v"}}}}, {"l", []any{1, "x", nil}}, {"m", map[string]any{"z": 1}}, {"n", 2.5}}
	var got, want any
	assert.NoError(t, json.Unmarshal(appendJSON(nil, v), &got))
	b, err := json.Marshal(map[string]any{"a": 1, "b": 2, "c": -7, "d": nil, "e": "x", "f": nil, "g": true, "h": nil,
		"i": []int{1, 2}, "j": []any{map[string]any{"k": "v"}}, "l": []any{1, "x", nil}, "m": map[string]any{"z": 1}, "n": 2.5})
	assert.NoError(t, err)
	assert.NoError(t, json.Unmarshal(b, &want))
	assert.Equal(t, want, got)
	assert.Equal(t, `{"a":1,"b":2}`, string(appendJSON(nil, object{{"a", 1}, {"b", 2}})), "keys keep their order")
}

func TestAppendUserJSONMatchesUserObject(t *testing.T) {
	s, err := New(Options{HTTP: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	email, desc, loc, flag := "a<b>@x.y", "multi\nline \"q\"", "en_US", "LDAP_SYNC_USER_NOT_FOUND"
	tenant, pct := int64(7), int64(1767323045000)
	users := []store.User{
		{ID: 1, Username: "plain", UserRoleID: 2, SecurityProfileID: 1},
		{ID: 2, Username: "ünï😀", Email: &email, Description: &desc, UserRoleID: 1, SecurityProfileID: 3, TenantID: &tenant,
			LocaleID: &loc, EnablePopupNotifications: true, AllowSystemAuthenticationFallback: true, LocalOnlyAccount: true,
			InactivityTimeout: 600000, NotificationFlag: &flag, PasswordCreationTime: &pct},
		{ID: 3, Username: "ghost-role", UserRoleID: 99, SecurityProfileID: 99},
		{ID: 4, Username: "staged-change", UserRoleID: 3, SecurityProfileID: 2, Description: &desc, Deployed: true, Pending: true,
			DUserRoleID: new(int64(2)), DSecurityProfileID: new(int64(1)), DDescription: &email, DTenantID: &tenant},
	}
	for _, vname := range []string{"12.0", "13.1", "14.0", "26.0"} {
		v := s.versions.byName[vname]
		for _, nested := range []bool{false, true} {
			for i := range users {
				want, _ := s.userObject(v, users[i], nested).MarshalJSON()
				got := s.appendUserJSON(nil, v, &users[i], false, nested)
				assert.Equal(t, string(want), string(got), "version %s nested %v user %d", vname, nested, users[i].ID)
				want, _ = s.userObject(v, users[i].AsDeployed(), nested).MarshalJSON()
				got = s.appendUserJSON(nil, v, &users[i], true, nested)
				assert.Equal(t, string(want), string(got), "deployed: version %s nested %v user %d", vname, nested, users[i].ID)
			}
		}
	}
}
