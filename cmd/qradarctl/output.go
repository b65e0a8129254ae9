package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/fakeqradar/fakeqradar/client"
)

// printer writes results as tables (default) or JSON.
type printer struct {
	w, stderr io.Writer
	json      bool
}

func (p *printer) jsonOut(v any) error {
	return writeJSONTo(p.w, v)
}

func writeJSONTo(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func (p *printer) linef(format string, args ...any) {
	fmt.Fprintf(p.w, format+"\n", args...)
}

// list writes items as JSON, or rows under header as a table.
func (p *printer) list(items any, header []string, rows [][]string) error {
	if p.json {
		return p.jsonOut(items)
	}
	tw := tabwriter.NewWriter(p.w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(cleanRow(r), "\t"))
	}
	return tw.Flush()
}

// kv writes name/value pairs as a two-column table.
func (p *printer) kv(pairs [][2]string) error {
	tw := tabwriter.NewWriter(p.w, 0, 4, 2, ' ', 0)
	for _, kv := range pairs {
		fmt.Fprintf(tw, "%s\t%s\n", kv[0], clean(kv[1]))
	}
	return tw.Flush()
}

func (p *printer) user(u *client.User) error {
	if p.json {
		return p.jsonOut(u)
	}
	flag := "-"
	if u.NotificationFlag != nil {
		flag = *u.NotificationFlag
	}
	return p.kv([][2]string{
		{"id", id(u.ID)},
		{"username", u.Username},
		{"email", u.Email},
		{"description", u.Description},
		{"user_role_id", id(u.UserRoleID)},
		{"security_profile_id", id(u.SecurityProfileID)},
		{"tenant_id", optID(u.TenantID)},
		{"locale_id", u.LocaleID},
		{"enable_popup_notifications", strconv.FormatBool(u.EnablePopupNotifications)},
		{"allow_system_authentication_fallback", strconv.FormatBool(u.AllowSystemAuthenticationFallback)},
		{"local_only_account", strconv.FormatBool(u.LocalOnlyAccount)},
		{"inactivity_timeout", strconv.FormatInt(u.InactivityTimeout, 10)},
		{"password_creation_time", stamp(&u.PasswordCreationTime, "-")},
		{"notification_flag", flag},
	})
}

// clean keeps user-controlled text from breaking the table layout.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
}

func cleanRow(r []string) []string {
	out := make([]string, len(r))
	for i, s := range r {
		out[i] = clean(s)
	}
	return out
}

func id(v int64) string { return strconv.FormatInt(v, 10) }

func optID(v *int64) string {
	if v == nil {
		return "-"
	}
	return id(*v)
}

func stamp(m *client.Millis, none string) string {
	if m == nil || *m == 0 {
		return none
	}
	return m.Time().UTC().Format(time.RFC3339)
}
