package fakeqradar_test

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/fakeqradar/fakeqradar/fakeqradar"
)

// FuzzUserBodies: create and update bodies of any shape get a success or
// QRadar's error envelope — never a 5xx, never a panic — and the server
// keeps answering.
func FuzzUserBodies(f *testing.F) {
	for _, s := range []string{
		`{"username":"fz","email":"fz@example.com","password":"Str0ng-Passw0rd","user_role_id":2,"security_profile_id":1}`,
		`{"username":"fz2","email":"a@b","password":"x","user_role_id":"Analyst","security_profile_id":1}`,
		`{"user_role":{"id":2},"security_profile":{"name":"Default"}}`,
		`{"email":"new@example.com","inactivity_timeout":600000}`,
		`{"email":null}`, `[]`, `"s"`, `12`, `null`, `{`, `{"a":1,"a":2}`, ``, "{\"username\":\"\xff\"}",
		`{"inactivity_timeout":1e400}`, `{"user_role_id":9223372036854775808}`, `{"locale_id":"xx"}`,
	} {
		f.Add([]byte(s))
	}
	s, err := fakeqradar.New(fakeqradar.Options{HTTP: true, Token: "fuzz-token"})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	h := s.Handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, target := range []string{"/api/staged_config/access/users", "/api/config/access/users", "/api/config/access/users/1001", "/api/staged_config/access/users/1001"} {
			req := httptest.NewRequest("POST", target, bytes.NewReader(body))
			req.Header.Set("SEC", "fuzz-token")
			req.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code >= 500 {
				t.Fatalf("%s %q: %d %s", target, body, w.Code, w.Body)
			}
			var m map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
				t.Fatalf("%s %q: body is not a JSON object: %s", target, body, w.Body)
			}
			if w.Code >= 400 {
				for _, k := range []string{"http_response", "code", "description", "details", "message"} {
					if _, ok := m[k]; !ok {
						t.Fatalf("%s %q: envelope without %s: %s", target, body, k, w.Body)
					}
				}
			}
		}
	})
}
