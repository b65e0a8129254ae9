package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/fakeqradar/fakeqradar/client"
)

// The examples run against newStandIn, a small in-test Console served over TLS with
// a self-signed certificate. WithSleepFunc(console.Sleep) lets the stand-in's clock,
// not wall time, drive the waits; against a real Console leave it out.

func ExampleClient_ProvisionUser() {
	console := newStandIn()
	defer console.Close()

	c, err := client.New(console.URL,
		client.WithSECToken(console.Token),
		client.WithCACertPEM(console.CACertPEM()), // verify the self-signed Console
		client.WithSleepFunc(console.Sleep),
	)
	if err != nil {
		log.Fatal(err)
	}
	u, err := c.ProvisionUser(context.Background(), client.ProvisionRequest{
		Username:            "jdoe",
		Password:            "P@ssw0rd!",
		Email:               "jdoe@example.com",
		RoleName:            "Analyst",
		SecurityProfileName: "Default",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("deployed %s: id %d, role %d, profile %d\n", u.Username, u.ID, u.UserRoleID, u.SecurityProfileID)

	_, err = c.ProvisionUser(context.Background(), client.ProvisionRequest{
		Username: "jroe", RoleName: "Analysts", SecurityProfileName: "Default",
	})
	fmt.Println(errors.Is(err, client.ErrNotFound))
	fmt.Println(err)
	// Output:
	// deployed jdoe: id 101, role 2, profile 2
	// true
	// provision jroe: qradar: user role "Analysts" not found; available: "Admin", "Analyst", "Reader"
}

func ExampleClient_ChangeRole() {
	console := newStandIn()
	defer console.Close()
	c, err := client.New(console.URL,
		client.WithSECToken(console.Token),
		client.WithCACertPEM(console.CACertPEM()),
		client.WithSleepFunc(console.Sleep),
		client.WithProgress(func(e client.PollEvent) {
			if e.Done {
				fmt.Printf("%s %s after %d polls\n", e.Kind, e.Status, e.Attempt)
			}
		}),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.ProvisionUser(ctx, client.ProvisionRequest{
		Username: "jdoe", Password: "P@ssw0rd!", RoleName: "Reader", SecurityProfileName: "Default",
	}); err != nil {
		log.Fatal(err)
	}

	// Staged update of user_role_id, then deploy and wait.
	u, err := c.ChangeRole(ctx, "jdoe", "Analyst")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s now has role %d\n", u.Username, u.UserRoleID)
	// Output:
	// deploy COMPLETE after 5 polls
	// deploy COMPLETE after 5 polls
	// jdoe now has role 2
}

func ExampleClient_DeprovisionUser() {
	console := newStandIn()
	defer console.Close()
	console.addService("jsmith-automation", "jsmith")

	c, err := client.New(console.URL,
		client.WithSECToken(console.Token),
		client.WithCACertPEM(console.CACertPEM()),
		client.WithSleepFunc(console.Sleep),
		client.WithVendorNoteMode(), // the vendor note's paths; the documented ones work the same way
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.ProvisionUser(ctx, client.ProvisionRequest{
		Username: "jsmith", Password: "P@ssw0rd!", RoleName: "Analyst", SecurityProfileName: "Default",
	}); err != nil {
		log.Fatal(err)
	}

	res, err := c.DeprovisionUser(ctx, "jsmith", client.DeprovisionOptions{RevokeServicesCreatedByUser: true})
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
	// user 102 deleted, task COMPLETED
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
	console := newStandIn()
	defer console.Close()
	c, err := client.New(console.URL, client.WithSECToken(console.Token), client.WithCACertPEM(console.CACertPEM()))
	if err != nil {
		log.Fatal(err)
	}
	opts := &client.ListOptions{Filter: client.Eq("username", "admin"), PageSize: 50}
	for u, err := range c.Users.List(context.Background(), opts) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.ID, u.Username)
	}
	// Output:
	// 1 admin
}
