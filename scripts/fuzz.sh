#!/usr/bin/env bash
# Usage: scripts/fuzz.sh [DURATION]
# Runs every Go fuzz target in the module for DURATION each (default 30s).
# The corpora under testdata/fuzz are replayed by the normal `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${1:-30s}"
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -hoE '^func (Fuzz[A-Za-z0-9_]+)' "$dir"/*_test.go 2>/dev/null | awk '{print $2}' | sed 's/(.*//' | sort -u); do
    echo "== $pkg $target ($fuzztime)"
    go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime"
  done
done
