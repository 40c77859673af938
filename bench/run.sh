#!/usr/bin/env bash
# make bench: specls beside the tools people would use instead, on the same
# generated files, in one run on one machine. Writes JSON per measurement
# and a markdown table (results.md) under $BENCH_WORK/results; method and
# latest numbers are in docs/performance.md.
#
# Knobs (environment):
#   BENCH_WORK       work folder (corpora, binaries, results)  [/tmp/specls-bench]
#   BENCH_SIZES      feature-folder counts for `specls check`    ["1000 5000"]
#   BENCH_RUNS       timed runs per command (hyperfine)          [3]
#   BENCH_PEER_RUNS  timed runs of markdownlint-cli2 (minutes each)  [1]
#   BENCH_INDEX_PEER feature folders both servers index side by side [100]
#   BENCH_LSP_RUNS   didChange->diagnostics samples per case     [200]
#   BENCH_IDLE       seconds of idle CPU measurement             [10]
#   BENCH_SEED       corpus seed                                 [1]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=${BENCH_WORK:-/tmp/specls-bench}
sizes=${BENCH_SIZES:-"1000 5000"}
runs=${BENCH_RUNS:-3}
peer_runs=${BENCH_PEER_RUNS:-1}
lsp_runs=${BENCH_LSP_RUNS:-200}
idle=${BENCH_IDLE:-10}
seed=${BENCH_SEED:-1}
index_peer=${BENCH_INDEX_PEER:-100}
out=$work/results
mkdir -p "$work/bin" "$out"
rm -f "$out"/*.json

log() { printf '\n== %s\n' "$*" >&2; }

# Tools: Node and npm for the peers, hyperfine for timing, GNU time for
# peak RSS. Installed from Debian when missing.
need=()
command -v node >/dev/null && command -v npm >/dev/null || need+=(nodejs npm)
command -v hyperfine >/dev/null || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		log "installing ${need[*]}"
		apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null || true
	fi
fi
command -v node >/dev/null || { echo "bench: Node.js 20+ is required" >&2; exit 1; }
if [ ! -d bench/node_modules/markdownlint-cli2 ] || [ ! -d bench/node_modules/vscode-markdown-languageserver ]; then
	log "npm ci (bench/)"
	(cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi
mdlint=$repo/bench/node_modules/.bin/markdownlint-cli2

# timed runs a command $2 times and writes hyperfine's JSON to $out/$1.json;
# without hyperfine it times a plain loop and writes the same fields.
timed() {
	local name=$1 n=$2 dir=$3
	shift 3
	if command -v hyperfine >/dev/null; then
		(cd "$dir" && hyperfine --style basic --ignore-failure --warmup "$([ "$n" -gt 1 ] && echo 1 || echo 0)" --runs "$n" \
			--export-json "$out/$name.json" -n "$name" "$*" >&2)
	else
		local times=() s e
		for _ in $(seq "$n"); do
			s=$(date +%s.%N)
			(cd "$dir" && eval "$*" >/dev/null 2>&1) || true
			e=$(date +%s.%N)
			times+=("$(echo "$e - $s" | bc)")
		done
		printf '{"results":[{"command":"%s","times":[%s],"mean":%s}]}\n' "$name" "$(IFS=,; echo "${times[*]}")" \
			"$(printf '%s\n' "${times[@]}" | awk '{s+=$1} END {print s/NR}')" >"$out/$name.json"
	fi
}

# peak runs a command once under GNU time and records its peak RSS in MB.
peak() {
	local name=$1 dir=$2
	shift 2
	local kb
	(cd "$dir" && /usr/bin/time -f '%M' -o "$out/.rss" sh -c "$* >/dev/null 2>&1") || true
	kb=$(tail -1 "$out/.rss")
	printf '{"what":"peak-rss","name":"%s","peakRssMB":%s}\n' "$name" "$(awk -v k="$kb" 'BEGIN {printf "%.1f", k/1024}')" >"$out/rss-$name.json"
}

log "building specls and the goldmark-only floor"
go build -o "$work/bin/specls" ./cmd/specls
go build -o "$work/bin/floor" ./bench/floor
go build -o "$work/bin/gencorpus" ./internal/corpus/cmd/gencorpus
specls=$work/bin/specls
floor=$work/bin/floor

corpus() { # corpus DIR N [extra flags]: written once per seed and size
	local dir=$1 n=$2
	shift 2
	local stamp="seed=$seed n=$n $* gen=$(cat internal/corpus/corpus.go internal/corpus/vocab.go | sha256sum | cut -c1-16)"
	if [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$stamp" ]; then
		rm -rf "$dir"
		"$work/bin/gencorpus" -n "$n" -seed "$seed" -out "$dir" "$@" >&2
		echo "$stamp" >"$dir/.stamp"
	fi
}

largest=0
for n in $sizes; do
	corpus "$work/corpus-$n" "$n"
	[ "$n" -gt "$largest" ] && largest=$n
done
corpus "$work/corpus-lsp" 0 -lines 2000,10000
corpus "$work/corpus-$index_peer" "$index_peer"

for n in $sizes; do
	dir=$work/corpus-$n
	log "check: $n feature folders ($(du -sh "$dir/tasks" | cut -f1))"
	timed "check-specls-$n" "$runs" "$dir" "$specls check tasks"
	timed "check-floor-$n" "$runs" "$dir" "$floor tasks"
	# Both spread the files over every core; on one core the ratio is that
	# of the CPU work.
	timed "check-specls1-$n" "$runs" "$dir" "GOMAXPROCS=1 $specls check tasks"
	timed "check-floor1-$n" "$runs" "$dir" "GOMAXPROCS=1 $floor tasks"
	timed "check-markdownlint-$n" "$peer_runs" "$dir" "$mdlint 'tasks/**/*.md'"
	peak "specls-$n" "$dir" "$specls check tasks"
	peak "floor-$n" "$dir" "$floor tasks"
done

export SPECLS_BIN=$specls
lsp() { node bench/lsp.mjs "$@"; }
log "LSP: start -> initialize"
lsp init --server specls --runs 30 >"$out/init-specls.json"
lsp init --server mdls --runs 10 >"$out/init-mdls.json"
for lines in 2000 10000; do
	f=tasks/prd-bench-$lines/_techspec.md
	r=$lsp_runs
	[ "$lines" -gt 2000 ] && r=$((lsp_runs / 2))
	log "LSP: didChange -> diagnostics, $lines lines"
	lsp change --server specls --mode push --root "$work/corpus-lsp" --file "$f" --runs "$r" >"$out/change-specls-push-$lines.json"
	lsp change --server specls --mode pull --root "$work/corpus-lsp" --file "$f" --runs "$r" >"$out/change-specls-pull-$lines.json"
	lsp change --server mdls --mode pull --root "$work/corpus-lsp" --file "$f" --runs "$r" >"$out/change-mdls-pull-$lines.json"
done
log "LSP: $largest features indexed, peak RSS and idle CPU"
lsp index --server specls --root "$work/corpus-$largest" --idle "$idle" >"$out/index-specls-$largest.json"
# mdls loads a workspace file by file through the client (minutes for
# thousands of files), so the two servers are compared on a smaller tree.
log "LSP: $index_peer features indexed by both servers"
lsp index --server specls --root "$work/corpus-$index_peer" --idle "$idle" >"$out/index-specls-$index_peer.json"
lsp index --server mdls --root "$work/corpus-$index_peer" --idle "$idle" >"$out/index-mdls-$index_peer.json"

node bench/report.mjs "$out" "$sizes" "$largest" "$index_peer" >"$out/results.md"
cat "$out/results.md"
