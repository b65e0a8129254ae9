package client_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/client"
)

func TestAPIError_ParsesQRadarEnvelope(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /api/staged_config/access/users", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusConflict)
		_, _ = w.Write([]byte(`{"http_response":{"code":409,"message":"The request could not be completed due to a conflict with the current state of the resource"},` +
			`"code":38302002,"description":"The user could not be created.","details":{"field":"username"},` +
			`"message":"username already in use as a username on another user or as an authorized service name."}`))
	})
	_, err := c.StagedUsers.Create(context.Background(), client.StagedUserCreate{Username: "jdoe", UserRoleID: 1, SecurityProfileID: 1})
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusConflict, apiErr.StatusCode)
	assert.Equal(t, 38302002, apiErr.Code)
	assert.Equal(t, "username already in use as a username on another user or as an authorized service name.", apiErr.Message)
	assert.Equal(t, "The user could not be created.", apiErr.Description)
	assert.Equal(t, map[string]any{"field": "username"}, apiErr.Details)
	assert.Equal(t, "The request could not be completed due to a conflict with the current state of the resource", apiErr.HTTPMessage)
	assert.Equal(t, http.MethodPost, apiErr.Method)
	assert.Equal(t, "/staged_config/access/users", apiErr.Path)
	assert.ErrorIs(t, err, client.ErrConflict)
	assert.NotErrorIs(t, err, client.ErrNotFound)
	assert.Contains(t, err.Error(), "HTTP 409 (code 38302002): username already in use")
}

func TestAPIError_NonJSONBody(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t, client.WithRetryPolicy(client.NoRetry()))
	mux.HandleFunc("GET /api/config/access/users/1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("  <html>Bad gateway from the proxy</html>\n"))
	})
	mux.HandleFunc("GET /api/config/access/users/2", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
	})
	_, err := c.Users.Get(context.Background(), 1)
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 502, apiErr.StatusCode)
	assert.Zero(t, apiErr.Code)
	assert.Equal(t, "<html>Bad gateway from the proxy</html>", apiErr.Message)
	assert.ErrorIs(t, err, client.ErrUnavailable)

	_, err = c.Users.Get(context.Background(), 2)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 500, apiErr.StatusCode)
	assert.Empty(t, apiErr.Message)
	assert.Equal(t, "Internal Server Error", apiErr.HTTPMessage)
	assert.Contains(t, err.Error(), "HTTP 500: Internal Server Error")
}

func TestAPIError_SentinelsMatchStatus(t *testing.T) {
	t.Parallel()
	sentinels := []error{client.ErrUnauthorized, client.ErrForbidden, client.ErrNotFound, client.ErrMethodNotAllowed,
		client.ErrConflict, client.ErrUnprocessable, client.ErrUnavailable}
	cases := []struct {
		status int
		want   error
	}{
		{401, client.ErrUnauthorized},
		{403, client.ErrForbidden},
		{404, client.ErrNotFound},
		{405, client.ErrMethodNotAllowed},
		{409, client.ErrConflict},
		{422, client.ErrUnprocessable},
		{502, client.ErrUnavailable},
		{503, client.ErrUnavailable},
		{504, client.ErrUnavailable},
		{550, client.ErrUnavailable},
		{400, nil},
		{500, nil},
	}
	for _, tc := range cases {
		err := error(&client.APIError{StatusCode: tc.status})
		wrapped := errors.Join(errors.New("context"), err)
		for _, s := range sentinels {
			assert.Equal(t, s == tc.want, errors.Is(wrapped, s), "status %d vs %v", tc.status, s)
		}
	}
}
