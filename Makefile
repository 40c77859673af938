# specls — build and test entry points. `make test` is what CI runs.
GO ?= go
BIN := bin/specls

.PHONY: all build test check vet fmt-check unit e2e deps bench fuzz clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/specls

# The whole suite: formatting, vet, the race-enabled Go tests (unit, golden,
# in-process LSP, short fuzz runs) and the end-to-end tests with real clients.
test: fmt-check vet unit e2e

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

unit:
	$(GO) test -race -count=1 ./...

# End-to-end tests drive the built binary over stdio with real clients.
e2e: build
	@if [ -x scripts/e2e.sh ]; then scripts/e2e.sh; else echo "no end-to-end tests yet"; fi
	scripts/editors.sh

# Benchmarks beside the peers (markdownlint-cli2, vscode-markdown-languageserver)
# on generated corpora; minutes, not part of `make test`. See docs/performance.md.
bench:
	bench/run.sh

# Each fuzz target for FUZZTIME; their seed corpora already run in `make test`.
FUZZTIME ?= 20s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "fuzz: $$pkg $$f ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
		done; \
	done

check: build
	./$(BIN) check examples

clean:
	rm -rf bin
