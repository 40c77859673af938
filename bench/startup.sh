#!/usr/bin/env bash
# bench/startup.sh: specls's start-up beside a trivial Go stdio server
# (bench/trivial-server: initialize, shutdown, exit, standard library only),
# measured in the same run on the same machine, both built as `make build`
# builds specls (static, CGO_ENABLED=0), and beside the same trivial server
# built with -tags deps, which links specls's dependencies (their inits, a
# binary of their size) and none of its code: the floor specls's own code
# cannot go under. Prints, and writes as JSON under $BENCH_WORK/results:
#   startup.json        spawn -> initialize result (p50, p90, min), the CPU
#                       the process used (user + sys), its page faults and
#                       its RSS after initialize, for the three servers
#                       (bench/startup, Go);
#   startup-cli.json    `specls version` (as make build stamps it from
#                       git describe, and from the build info with
#                       make build VERSION=) and `specls --help` with
#                       hyperfine, beside
#                       `trivial-server version` (a Go program that starts,
#                       prints its name and exits).
# Knobs: BENCH_WORK [/tmp/specls-bench], BENCH_STARTUP_RUNS spawns per
# server [100], BENCH_CLI_RUNS hyperfine runs [100]. Targets (issue 18):
# specls ≤ 2× the trivial server to the initialize result; `specls version`
# under 10 ms. See docs/performance.md, "Start-up".
set -euo pipefail
cd "$(dirname "$0")/.."
work=${BENCH_WORK:-/tmp/specls-bench}
runs=${BENCH_STARTUP_RUNS:-100}
cli_runs=${BENCH_CLI_RUNS:-100}
out=$work/results
mkdir -p "$work/bin" "$out"

if ! command -v hyperfine >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null || true
fi

make -s build BIN="$work/bin/specls"
make -s build BIN="$work/bin/specls-buildinfo" VERSION=
make -s build BIN="$work/bin/trivial-server" CMD=./bench/trivial-server
CGO_ENABLED=0 go build -tags deps -o "$work/bin/deps-floor" ./bench/trivial-server
go build -o "$work/bin/startup" ./bench/startup
bin=$work/bin

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin/startup" -n "$runs" -json "$out/startup.json" \
	specls="$bin/specls serve" deps-floor="$bin/deps-floor" trivial-server="$bin/trivial-server"

if command -v hyperfine >/dev/null; then
	hyperfine -N --style basic --warmup 5 --runs "$cli_runs" --export-json "$out/startup-cli.json" \
		-n "specls version" "$bin/specls version" \
		-n "specls version (build info)" "$bin/specls-buildinfo version" \
		-n "specls --help" "$bin/specls --help" \
		-n "trivial-server version" "$bin/trivial-server version"
else
	echo "startup: hyperfine not found; skipped the command-line timings" >&2
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
