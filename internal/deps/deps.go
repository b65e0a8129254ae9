//go:build deps

// Package deps pins the project's module dependencies so that go.mod lists
// them even before every package that uses them exists.
package deps

import (
	_ "github.com/cucumber/godog"
	_ "github.com/gorilla/mux"
	_ "github.com/stretchr/testify/assert"
	_ "github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"
)
