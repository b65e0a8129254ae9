# fakeqradar — a fake IBM QRadar Console for user-management integrations.
# `make run` starts the fake; `make test` runs the whole test suite.

GO      ?= go
ARGS    ?=
FUZZTIME ?= 30s

.PHONY: run test test-short lint fuzz build clean contract stress bench

## run: start the fake Console (HTTPS on 127.0.0.1:8443; pass flags with ARGS="--http")
run:
	$(GO) run ./cmd/fakeqradar $(ARGS)

## test: vet and run every test with the race detector (what CI runs)
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

## test-short: the tests without the race detector, for a quick loop
test-short:
	$(GO) test -count=1 ./...

## lint: gofmt and vet
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## stress: 64 concurrent clients against one fake for STRESS (default 60s), with -race
STRESS ?= 60s
stress:
	FAKEQRADAR_STRESS_DURATION=$(STRESS) $(GO) test -race -count=1 -run '^TestStress$$' -v -timeout 60m ./fakeqradar/

## bench: performance budgets: the standalone binary against a bare net/http ceiling
##        (cmd/fakeqradar-bench, ~2 min; its flags with BENCH_ARGS="--skip-scale"),
##        then the Go benchmarks of ./fakeqradar for BENCHTIME each (default 2s) and the
##        contract suite's wall time
BENCHTIME ?= 2s
bench:
	$(GO) run ./cmd/fakeqradar-bench $(BENCH_ARGS)
	$(GO) test -run '^$$' -bench . -benchtime $(BENCHTIME) -timeout 30m ./fakeqradar/
	$(GO) test -run '^$$' -bench ContractSuite -benchtime 3x ./features/

## fuzz: run each fuzz target for FUZZTIME (default 30s)
fuzz:
	./scripts/fuzz.sh $(FUZZTIME)

## contract: run the contract suite against QRADAR_URL (in-process fakes when unset); pretty on
##           stdout, cucumber JSON and JUnit in reports/; extra flags with ARGS="--tags @auth"
contract:
	@mkdir -p reports
	$(GO) run ./cmd/qradar-contract --format pretty,cucumber:reports/contract.json,junit:reports/contract.xml $(ARGS)

## build: build the commands into bin/
build:
	$(GO) build -o bin/ ./cmd/...

clean:
	rm -rf bin reports
