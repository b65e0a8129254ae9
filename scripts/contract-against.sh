#!/usr/bin/env bash
# Usage: scripts/contract-against.sh [qradar-contract flags...]
#
# Runs the contract suite against the standalone fake Console over HTTPS, the
# way a vendor runs it against a staging Console, with no in-process shortcut:
#   1. builds cmd/fakeqradar and cmd/qradar-contract into a temporary directory;
#   2. starts fakeqradar on 127.0.0.1 with a port the OS picks (--addr :0; the
#      URL is read from the fake's first line), a fresh CA written with
#      --ca-out and a random admin SEC token;
#   3. waits (bounded) until /_fake/health answers over TLS verified with that CA;
#   4. runs qradar-contract against the URL with the token and the CA, writing
#      the pretty report to stdout and cucumber JSON and JUnit XML to
#      $REPORTS_DIR (default reports/): contract.json, contract.xml;
#   5. stops the fake with SIGTERM and exits with the suite's status.
# Extra arguments go to qradar-contract, e.g. --tags @auth or --no-colors.
set -euo pipefail
cd "$(dirname "$0")/.."

reports="${REPORTS_DIR:-reports}"
work="$(mktemp -d)"
fake_pid=""

stop_fake() {
  if [[ -n "$fake_pid" ]] && kill -0 "$fake_pid" 2>/dev/null; then
    kill -TERM "$fake_pid" 2>/dev/null || true
    wait "$fake_pid" 2>/dev/null || true
  fi
  fake_pid=""
}
trap 'stop_fake; rm -rf "$work"' EXIT

fail() {
  echo "contract-against: $*" >&2
  if [[ -s "$work/fake.err" ]]; then
    echo "--- fakeqradar's log:" >&2
    cat "$work/fake.err" >&2
  fi
  exit 1
}

echo "contract-against: building fakeqradar and qradar-contract" >&2
go build -o "$work/fakeqradar" ./cmd/fakeqradar
go build -o "$work/qradar-contract" ./cmd/qradar-contract

# A random version-4 UUID as the admin SEC token.
hex="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
token="${hex:0:8}-${hex:8:4}-4${hex:13:3}-a${hex:17:3}-${hex:20:12}"

"$work/fakeqradar" --addr 127.0.0.1:0 --ca-out "$work/ca.pem" --token "$token" --log-level warn \
  >"$work/fake.out" 2>"$work/fake.err" &
fake_pid=$!

url=""
for _ in $(seq 1 100); do
  url="$(sed -n 's|^fakeqradar listening on \(https://[^ ]*\)$|\1|p' "$work/fake.out")"
  [[ -n "$url" ]] && break
  kill -0 "$fake_pid" 2>/dev/null || fail "fakeqradar exited before it listened"
  sleep 0.1
done
[[ -n "$url" ]] || fail "fakeqradar did not say where it listens within 10 s"

ready=""
for _ in $(seq 1 50); do
  if curl -fsS --cacert "$work/ca.pem" "$url/_fake/health" >/dev/null 2>&1; then
    ready=1
    break
  fi
  sleep 0.1
done
[[ -n "$ready" ]] || fail "$url/_fake/health did not answer within 5 s"
echo "contract-against: fakeqradar is up at $url" >&2

mkdir -p "$reports"
status=0
# The fixtures' administrator, for the scenario about Basic authentication.
QRADAR_USERNAME=admin QRADAR_PASSWORD='Admin-Passw0rd!' \
  "$work/qradar-contract" --url "$url" --token "$token" --ca-cert "$work/ca.pem" --allow-writes \
  --format "pretty,cucumber:$reports/contract.json,junit:$reports/contract.xml" "$@" || status=$?

stop_fake
echo "contract-against: reports in $reports/contract.json and $reports/contract.xml" >&2
exit "$status"
