#!/usr/bin/env bash
# same-findings.sh BASE_REV: shows that this checkout reports exactly what
# BASE_REV reports. It builds specls at BASE_REV and here, then compares,
# byte for byte, `specls check --format json` and `specls check --diff`
# (the safe fixes) on examples/ and on a generated benchmark corpus
# (internal/corpus, FEATURES folders, default 200, as bench/run.sh makes it),
# and on tech specs whose dependency graph is a long chain of calls
# (corpus.Chain: CHAIN edges for the check, default 2000, and FIX_CHAIN for
# the fixes, default 200: the fixes were cubic before issue 16).
# Exit 0 when every output is identical; otherwise prints the differences.
set -euo pipefail
base=${1:?usage: scripts/same-findings.sh BASE_REV}
features=${FEATURES:-200}
chain=${CHAIN:-2000}
fix_chain=${FIX_CHAIN:-200}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/base" "$work/bin"
git archive "$base" | tar -x -C "$work/base"
(cd "$work/base" && go build -o "$work/bin/specls-base" ./cmd/specls)
go build -o "$work/bin/specls-head" ./cmd/specls
# One corpus for both, written by the base revision's generator.
(cd "$work/base" && go run ./internal/corpus/cmd/gencorpus -n "$features" -seed 1 -out "$work/corpus" >/dev/null)
# The chains come from this checkout's generator (older ones have none).
go run ./internal/corpus/cmd/gencorpus -n 0 -chain "$chain" -out "$work/chain" >/dev/null
go run ./internal/corpus/cmd/gencorpus -n 0 -chain "$fix_chain" -out "$work/fixchain" >/dev/null

status=0
compare() { # name dir args...
	local name=$1 dir=$2
	shift 2
	(cd "$dir" && "$work/bin/specls-base" "$@" >"$work/$name.base" 2>&1) || true
	(cd "$dir" && "$work/bin/specls-head" "$@" >"$work/$name.head" 2>&1) || true
	if cmp -s "$work/$name.base" "$work/$name.head"; then
		echo "same: $name ($(wc -c <"$work/$name.head") bytes)"
	else
		echo "DIFFERENT: $name"
		diff -u "$work/$name.base" "$work/$name.head" | head -${DIFF_LINES:-80} || true
		status=1
	fi
}
ex=$PWD/examples
compare examples-json "$ex" check --format json tasks
compare examples-diff "$ex" check --diff tasks
compare custom-team-json "$ex/custom-team" check --format json
compare corpus-json "$work/corpus" check --format json tasks
compare corpus-diff "$work/corpus" check --diff tasks
compare chain-json "$work/chain" check --format json tasks
compare chain-diff "$work/fixchain" check --diff tasks
exit $status
