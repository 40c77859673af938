#!/usr/bin/env bash
# make bench: specls beside the tools people would use instead, on the same
# generated files, in one run on one machine. Writes JSON per measurement
# and a markdown table (results.md) under $BENCH_WORK/results; method and
# latest numbers are in docs/performance.md.
#
# Knobs (environment):
#   BENCH_WORK       work folder (corpora, binaries, results)  [/tmp/specls-bench]
#   BENCH_PARTS      what to run: check (specls check beside rumdl,
#                    markdownlint-cli2 and the floor), lsp (start-up and
#                    didChange), index (indexed workspaces), startup
#                    (bench/startup.sh: spawn -> initialize, CPU and RSS
#                    beside the trivial server; `specls version`)
#                                                    ["check lsp index startup"]
#   BENCH_SIZES      feature-folder counts for `specls check`    ["200 1000 5000"]
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
parts=" ${BENCH_PARTS:-check lsp index startup} "
sizes=${BENCH_SIZES:-"200 1000 5000"}
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

want() { [[ $parts == *" $1 "* ]]; }

# Tools: Node and npm for the peers, hyperfine for timing, GNU time for
# peak RSS, taskset for the one-core runs. Installed from Debian when
# missing.
need=()
command -v node >/dev/null && command -v npm >/dev/null || need+=(nodejs npm)
command -v hyperfine >/dev/null || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
command -v taskset >/dev/null || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		log "installing ${need[*]}"
		apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null || true
	fi
fi
command -v node >/dev/null || { echo "bench: Node.js 20+ is required" >&2; exit 1; }
command -v taskset >/dev/null || { echo "bench: taskset (util-linux) is required for the one-core runs" >&2; exit 1; }
# The peers, pinned in bench/package-lock.json; rumdl is a Rust binary
# that npm serves inside @rumdl/cli-linux-x64.
mdlint=$repo/bench/node_modules/.bin/markdownlint-cli2
rumdl=$repo/bench/node_modules/@rumdl/cli-linux-x64/rumdl
if [ ! -x "$mdlint" ] || [ ! -x "$rumdl" ] || [ ! -d bench/node_modules/vscode-markdown-languageserver ]; then
	log "npm ci (bench/)"
	(cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi
[ -x "$rumdl" ] || { echo "bench: rumdl is missing from bench/node_modules (npm serves it for linux-x64 glibc only)" >&2; exit 1; }

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

log "building specls, the goldmark-only floor and the trivial server"
# specls and the trivial server as make build builds them (static).
make -s build BIN="$work/bin/specls"
go build -o "$work/bin/floor" ./bench/floor
go build -o "$work/bin/gencorpus" ./internal/corpus/cmd/gencorpus
make -s build BIN="$work/bin/trivial-server" CMD=./bench/trivial-server
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
	if want check || want index; then corpus "$work/corpus-$n" "$n"; fi
	[ "$n" -gt "$largest" ] && largest=$n
done
if want lsp; then corpus "$work/corpus-lsp" 0 -lines 2000,10000; fi
if want index; then corpus "$work/corpus-$index_peer" "$index_peer"; fi

# rumdl runs with its built-in defaults (every default rule, no
# configuration file looked for) and without its cache, so that it checks
# every file as specls does.
rumdl_check="$rumdl check --no-cache --no-config tasks"
if want check; then
	for n in $sizes; do
		dir=$work/corpus-$n
		log "check: $n feature folders ($(du -sh "$dir/tasks" | cut -f1))"
		timed "check-specls-$n" "$runs" "$dir" "$specls check tasks"
		timed "check-rumdl-$n" "$runs" "$dir" "$rumdl_check"
		timed "check-floor-$n" "$runs" "$dir" "$floor tasks"
		# All three spread the files over every core; pinned to one core
		# (Go sets GOMAXPROCS from the affinity, rumdl its thread pool) the
		# ratio is that of the CPU work.
		timed "check-specls1-$n" "$runs" "$dir" "taskset -c 0 $specls check tasks"
		timed "check-rumdl1-$n" "$runs" "$dir" "taskset -c 0 $rumdl_check"
		timed "check-floor1-$n" "$runs" "$dir" "taskset -c 0 $floor tasks"
		timed "check-markdownlint-$n" "$peer_runs" "$dir" "$mdlint 'tasks/**/*.md'"
		peak "specls-$n" "$dir" "$specls check tasks"
		peak "rumdl-$n" "$dir" "$rumdl_check"
		peak "floor-$n" "$dir" "$floor tasks"
	done
fi

export SPECLS_BIN=$specls TRIVIAL_BIN=$work/bin/trivial-server RUMDL_BIN=$rumdl
lsp() { node bench/lsp.mjs "$@"; }
if want lsp; then
	log "LSP: start -> initialize"
	# specls and the trivial Go server alternate, ten processes at a time,
	# so that both see the same load.
	for i in 1 2 3; do
		lsp init --server specls --runs 10 >"$out/init-specls-$i.json"
		lsp init --server trivial --runs 10 >"$out/init-trivial-$i.json"
	done
	lsp init --server rumdl --runs 10 >"$out/init-rumdl.json"
	lsp init --server mdls --runs 10 >"$out/init-mdls.json"
	for lines in 2000 10000; do
		f=tasks/prd-bench-$lines/_techspec.md
		r=$lsp_runs
		[ "$lines" -gt 2000 ] && r=$((lsp_runs / 2))
		log "LSP: didChange -> diagnostics, $lines lines"
		for mode in push pull; do
			lsp change --server specls --mode $mode --root "$work/corpus-lsp" --file "$f" --runs "$r" >"$out/change-specls-$mode-$lines.json"
			# rumdl offers both; it asks for the whole text on each change.
			lsp change --server rumdl --mode $mode --root "$work/corpus-lsp" --file "$f" --runs "$r" >"$out/change-rumdl-$mode-$lines.json"
		done
		lsp change --server mdls --mode pull --root "$work/corpus-lsp" --file "$f" --runs "$r" >"$out/change-mdls-pull-$lines.json"
	done
fi
if want index; then
	log "LSP: $largest features indexed, peak RSS and idle CPU"
	lsp index --server specls --root "$work/corpus-$largest" --idle "$idle" >"$out/index-specls-$largest.json"
	# mdls loads a workspace file by file through the client (minutes for
	# thousands of files), so the two servers are compared on a smaller tree.
	log "LSP: $index_peer features indexed by both servers"
	lsp index --server specls --root "$work/corpus-$index_peer" --idle "$idle" >"$out/index-specls-$index_peer.json"
	lsp index --server mdls --root "$work/corpus-$index_peer" --idle "$idle" >"$out/index-mdls-$index_peer.json"
fi

if want startup; then
	log "start-up beside the trivial Go server (bench/startup.sh)"
	BENCH_WORK="$work" bench/startup.sh >&2
fi

node bench/report.mjs "$out" "$sizes" "$largest" "$index_peer" >"$out/results.md"
cat "$out/results.md"
