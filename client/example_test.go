package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"time"

	"github.com/fakeqradar/fakeqradar/client"
	"github.com/fakeqradar/fakeqradar/fakeqradar"
)

// The examples run against the project's fake Console (package fakeqradar), served
// over TLS on 127.0.0.1 with a certificate from the fake's own CA. Its clock stands
// still, deletes and deploys take a millisecond of it, and
// WithSleepFunc(advance(console)) moves the clock instead of waiting, so the
// examples finish at once and always print the same. Against a real Console
// leave WithSleepFunc out.

// exampleConsole starts a fake Console and returns it, its base URL and a function
// that stops it.
func exampleConsole() (*fakeqradar.Server, string, func()) {
	start := time.Now() // the fake's clock stays here unless advanced
	console, err := fakeqradar.New(fakeqradar.Options{
		Now:                func() time.Time { return start },
		DeleteTaskDuration: time.Millisecond,
		DeployDuration:     time.Millisecond,
	})
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go func() { _ = console.Serve(ln) }()
	return console, "https://" + ln.Addr().String(), func() {
		_ = console.Close()
		_ = ln.Close()
	}
}

// advance is a sleep function that moves the fake Console's clock by d.
func advance(console *fakeqradar.Server) func(context.Context, time.Duration) error {
	return func(ctx context.Context, d time.Duration) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return console.Advance(d)
	}
}

func ExampleClient_ProvisionUser() {
	console, url, stop := exampleConsole()
	defer stop()

	c, err := client.New(url,
		client.WithSECToken(console.Token()),
		client.WithCACertPEM(console.CACertPEM()), // verify the self-signed Console
		client.WithSleepFunc(advance(console)),
	)
	if err != nil {
		log.Fatal(err)
	}
	u, err := c.ProvisionUser(context.Background(), client.ProvisionRequest{
		Username:            "asmith",
		Password:            "Asmith-Passw0rd!",
		Email:               "asmith@example.com",
		RoleName:            "Analyst",
		SecurityProfileName: "Default",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("deployed %s: id %d, role %d, profile %d\n", u.Username, u.ID, u.UserRoleID, u.SecurityProfileID)

	_, err = c.ProvisionUser(context.Background(), client.ProvisionRequest{
		Username: "jroe", Password: "Jroe-Passw0rd!", Email: "jroe@example.com",
		RoleName: "Analysts", SecurityProfileName: "Default",
	})
	fmt.Println(errors.Is(err, client.ErrNotFound))
	fmt.Println(err)
	// Output:
	// deployed asmith: id 1002, role 2, profile 1
	// true
	// provision jroe: qradar: user role "Analysts" not found; available: "Admin", "Analyst", "Reader"
}

func ExampleClient_ChangeRole() {
	console, url, stop := exampleConsole()
	defer stop()
	c, err := client.New(url,
		client.WithSECToken(console.Token()),
		client.WithCACertPEM(console.CACertPEM()),
		client.WithSleepFunc(advance(console)),
		client.WithProgress(func(e client.PollEvent) {
			if e.Done {
				fmt.Printf("%s %s after %d poll(s)\n", e.Kind, e.Status, e.Attempt)
			}
		}),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.ProvisionUser(ctx, client.ProvisionRequest{
		Username: "asmith", Password: "Asmith-Passw0rd!", Email: "asmith@example.com",
		RoleName: "Reader", SecurityProfileName: "Default",
	}); err != nil {
		log.Fatal(err)
	}

	// Staged update of user_role_id, then deploy and wait.
	u, err := c.ChangeRole(ctx, "asmith", "Analyst")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s now has role %d\n", u.Username, u.UserRoleID)
	// Output:
	// deploy COMPLETE after 1 poll(s)
	// deploy COMPLETE after 1 poll(s)
	// asmith now has role 2
}

func ExampleClient_DeprovisionUser() {
	console, url, stop := exampleConsole()
	defer stop()
	c, err := client.New(url,
		client.WithSECToken(console.Token()),
		client.WithCACertPEM(console.CACertPEM()),
		client.WithSleepFunc(advance(console)),
		client.WithVendorNoteMode(), // the vendor note's paths; the documented ones work the same way
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	u, err := c.ProvisionUser(ctx, client.ProvisionRequest{
		Username: "jsmith", Password: "Jsmith-Passw0rd!", Email: "jsmith@example.com",
		RoleName: "Analyst", SecurityProfileName: "Default",
	})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.AuthorizedServices.Create(ctx, client.AuthorizedServiceCreate{
		Label: "jsmith-automation", UserRoleID: &u.UserRoleID, SecurityProfileID: &u.SecurityProfileID,
	}); err != nil {
		log.Fatal(err)
	}

	res, err := c.DeprovisionUser(ctx, "jsmith", client.DeprovisionOptions{RevokeServiceLabels: []string{"jsmith-automation"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("user %d deleted, task %s\n", res.User.ID, res.Task.Status)
	for _, s := range res.RevokedServices {
		fmt.Println("revoked", s.Label)
	}
	_, err = c.Users.Get(ctx, res.User.ID)
	fmt.Println("gone:", errors.Is(err, client.ErrNotFound))
	// Output:
	// user 1002 deleted, task COMPLETED
	// revoked jsmith-automation
	// gone: true
}

func ExampleEq() {
	f := client.And(
		client.Eq("username", `jdoe" or username="admin`),
		client.In("user_role_id", 2, 3),
	)
	s, err := f.Build()
	fmt.Println(s, err)

	_, err = client.Eq("username) or (1", 1).Build()
	fmt.Println(err)
	// Output:
	// (username="jdoe\" or username=\"admin") and (user_role_id in (2, 3)) <nil>
	// client: invalid filter: field name "username) or (1" is not allowed
}

func ExampleUsersService_List() {
	console, url, stop := exampleConsole()
	defer stop()
	c, err := client.New(url, client.WithSECToken(console.Token()), client.WithCACertPEM(console.CACertPEM()))
	if err != nil {
		log.Fatal(err)
	}
	// Pages of 50 users ("Range: items=0-49", "items=50-99", …) until Content-Range
	// says the list is complete.
	for u, err := range c.Users.List(context.Background(), &client.ListOptions{PageSize: 50}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.ID, u.Username)
	}
	// Output:
	// 1 admin
	// 1001 jdoe
}

func ExampleUsersService_ByUsername() {
	console, url, stop := exampleConsole()
	defer stop()
	c, err := client.New(url, client.WithSECToken(console.Token()), client.WithCACertPEM(console.CACertPEM()))
	if err != nil {
		log.Fatal(err)
	}
	u, err := c.Users.ByUsername(context.Background(), "jdoe")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.ID, u.Email)

	_, err = c.Users.ByUsername(context.Background(), `nobody" or username="admin`)
	fmt.Println(err)
	// Output:
	// 1001 jdoe@example.com
	// qradar: user "nobody\" or username=\"admin" not found
}
