// Package steps implements the contract suite's Gherkin steps (package
// features) for godog.
//
// A run starts with New(Config), which decides the target:
//
//   - Config.URL empty: every scenario gets a fresh in-process fake Console
//     (package fakeqradar) over TLS, with a frozen clock that moves only when
//     a wait "sleeps" or a scenario says so. Nothing outlives a scenario.
//   - Config.URL set: every scenario talks to that Console with the given
//     SEC token or username and password. When the URL answers
//     /_fake/health (a standalone fakeqradar), waits advance its clock
//     through /_fake/clock instead of sleeping, and @fake-only scenarios may
//     use its control plane; against a real Console they are skipped, waits
//     take wall-clock time, and @writes scenarios run only with
//     Config.AllowWrites.
//
// Every user and authorized service a scenario creates is named
// <run prefix><scenario number>-<name>, e.g. "ct3fa9c1-012-alice", and is
// removed by the scenario's After hook even when the scenario fails; after
// the last scenario a sweep removes whatever still carries the run prefix.
//
// The state of one scenario lives in one struct (state.go), created by the
// scenario initializer; its steps are methods, registered per topic
// (auth_steps.go, user_steps.go, …). Normal calls go through the reference
// client (package client); scenarios that must send a deliberately wrong
// request use raw HTTP. Every exchange is recorded, so a failing step says
// what it expected and what the Console answered: status, QRadar code and
// body.
package steps
