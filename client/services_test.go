package client_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/client"
)

func rawBody(t *testing.T, r *http.Request) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	return string(b)
}

func TestUpdate_SendsOnlySetFields(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	var bodies []string
	mux.HandleFunc("POST /api/config/access/users/9", func(w http.ResponseWriter, r *http.Request) {
		bodies = append(bodies, rawBody(t, r))
		writeJSON(w, 200, map[string]any{"id": 9, "username": "jdoe", "email": "new@example.com"})
	})
	mux.HandleFunc("POST /api/staged_config/access/users/9", func(w http.ResponseWriter, r *http.Request) {
		bodies = append(bodies, rawBody(t, r))
		writeJSON(w, 200, map[string]any{"id": 9, "username": "jdoe", "user_role_id": 4})
	})
	ctx := context.Background()

	u, err := c.Users.Update(ctx, 9, client.UserUpdate{Email: new("new@example.com")})
	require.NoError(t, err)
	assert.Equal(t, "new@example.com", u.Email)

	// false and 0 are sent when set: set means non-nil, not non-zero.
	_, err = c.Users.Update(ctx, 9, client.UserUpdate{EnablePopupNotifications: new(false), InactivityTimeout: new(int64(0))})
	require.NoError(t, err)

	_, err = c.StagedUsers.Update(ctx, 9, client.StagedUserUpdate{UserRoleID: new(int64(4))})
	require.NoError(t, err)

	_, err = c.Users.Update(ctx, 9, client.UserUpdate{})
	require.NoError(t, err)

	require.Len(t, bodies, 4)
	assert.JSONEq(t, `{"email":"new@example.com"}`, bodies[0])
	assert.JSONEq(t, `{"enable_popup_notifications":false,"inactivity_timeout":0}`, bodies[1])
	assert.JSONEq(t, `{"user_role_id":4}`, bodies[2])
	assert.JSONEq(t, `{}`, bodies[3])
}

func TestUser_DecodesBothShapes(t *testing.T) {
	t.Parallel()
	documented := `{"id":57,"username":"jdoe","email":"jdoe@example.com","description":null,"user_role_id":3,
	  "security_profile_id":1,"tenant_id":null,"locale_id":null,"enable_popup_notifications":false,
	  "old_password":null,"password":null,"password_creation_time":1700000000000,
	  "allow_system_authentication_fallback":false,"local_only_account":true,"inactivity_timeout":0,
	  "notification_flag":"LDAP_SYNC_USER_NOT_FOUND","display_theme":"dark"}`
	var u client.User
	require.NoError(t, json.Unmarshal([]byte(documented), &u))
	assert.Equal(t, int64(57), u.ID)
	assert.Equal(t, int64(3), u.UserRoleID)
	assert.Equal(t, int64(1), u.SecurityProfileID)
	assert.Nil(t, u.TenantID)
	assert.True(t, u.LocalOnlyAccount)
	assert.Equal(t, int64(1700000000000), u.PasswordCreationTime.Time().UnixMilli())
	require.NotNil(t, u.NotificationFlag)
	assert.Equal(t, "LDAP_SYNC_USER_NOT_FOUND", *u.NotificationFlag)
	assert.Nil(t, u.UserRole)

	vendor := `{"id":1002,"username":"jsmith","first_name":"J","user_role":{"id":2,"name":"Analyst"},
	  "security_profile":{"id":1,"name":"Default"}}`
	var v client.User
	require.NoError(t, json.Unmarshal([]byte(vendor), &v))
	assert.Equal(t, int64(2), v.UserRoleID, "filled from the nested object")
	assert.Equal(t, int64(1), v.SecurityProfileID)
	assert.Equal(t, &client.Ref{ID: 2, Name: "Analyst"}, v.UserRole)
}

func TestUsers_VendorNoteCreateBody(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t, client.WithVendorNoteMode())
	mux.HandleFunc("POST /api/config/access/users", func(w http.ResponseWriter, r *http.Request) {
		assert.JSONEq(t, `{"username":"jsmith","password":"P@ssw0rd!","email":"jsmith@example.com",
		  "user_role":{"id":2},"security_profile":{"id":1}}`, rawBody(t, r))
		writeJSON(w, 201, map[string]any{"id": 1002, "username": "jsmith", "user_role": map[string]any{"id": 2, "name": "Analyst"}})
	})
	u, err := c.Users.Create(context.Background(), client.UserCreate{
		Username: "jsmith", Password: "P@ssw0rd!", Email: "jsmith@example.com",
		UserRole: client.Ref{ID: 2, Name: "ignored"}, SecurityProfile: client.Ref{ID: 1},
	})
	require.NoError(t, err)
	assert.Equal(t, int64(2), u.UserRoleID)
}

func TestAuthorizedServices(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /api/config/access/authorized_services", func(w http.ResponseWriter, r *http.Request) {
		assert.JSONEq(t, `{"label":"ci","user_role_id":3,"security_profile_id":1}`, rawBody(t, r))
		w.Header().Set("Location", "/api/config/access/authorized_services/26")
		writeJSON(w, 201, map[string]any{"id": 26, "label": "ci", "token": "2b5547bb-f2e1-4aad", "created_by": "admin",
			"tenant_id": nil, "security_profile_id": 1, "user_role_id": 3, "creation_date": 1673373549079,
			"expiration_date": nil, "last_used_date": nil})
	})
	mux.HandleFunc("GET /api/config/access/authorized_services/26", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"id": 26, "label": "ci", "created_by": "admin", "expiration_date": 1700000000000})
	})
	mux.HandleFunc("DELETE /api/config/access/authorized_services/26", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("DELETE /api/config/access/authorized_services/27", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"id": 27})
	})
	mux.HandleFunc("DELETE /api/config/access/authorized_services/28", func(w http.ResponseWriter, r *http.Request) {
		writeQRadarError(w, 404, 95105001, "The authorized service does not exist.", "")
	})
	ctx := context.Background()
	s, err := c.AuthorizedServices.Create(ctx, client.AuthorizedServiceCreate{Label: "ci", UserRoleID: new(int64(3)), SecurityProfileID: new(int64(1))})
	require.NoError(t, err)
	assert.Equal(t, "2b5547bb-f2e1-4aad", s.Token)
	assert.Nil(t, s.ExpirationDate)

	g, err := c.AuthorizedServices.Get(ctx, 26)
	require.NoError(t, err)
	assert.Empty(t, g.Token)
	require.NotNil(t, g.ExpirationDate)

	require.NoError(t, c.AuthorizedServices.Delete(ctx, 26), "204 without a body")
	require.NoError(t, c.AuthorizedServices.Delete(ctx, 27), "200 with a body")
	require.ErrorIs(t, c.AuthorizedServices.Delete(ctx, 28), client.ErrNotFound)
}

func TestDeploy_StartSendsType(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /api/staged_config/deploy_status", func(w http.ResponseWriter, r *http.Request) {
		assert.JSONEq(t, `{"type":"INCREMENTAL"}`, rawBody(t, r))
		writeJSON(w, 200, map[string]any{"status": "INITIALIZING", "type": "INCREMENTAL", "initiated_by": "admin", "percent_complete": 0})
	})
	st, err := c.Deploy.Start(context.Background(), "")
	require.NoError(t, err)
	assert.Equal(t, client.DeployInitializing, st.Status)
	assert.Equal(t, "admin", st.InitiatedBy)
}
