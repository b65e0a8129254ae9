// Package features holds the contract suite's Gherkin: one .feature file per
// area of the QRadar user-management API, embedded so that binaries such as
// cmd/qradar-contract carry them.
//
// The step definitions are in package steps. `go test ./features` runs every
// scenario against a fresh in-process fake Console; with QRADAR_URL set it
// runs them against that Console instead (see docs/contract.md).
//
// Tags:
//
//	@writes       creates, changes or deletes objects on the Console
//	@fake-only    needs the fake's control plane (/_fake: clock, faults)
//	@vendor-note  exercises the vendor note's paths, which IBM does not document
//	@fake-bug     asserts the Console's behaviour where the fake is known to
//	              differ; excluded from the default run
package features

import "embed"

// FS holds every .feature file at its root.
//
//go:embed *.feature
var FS embed.FS
