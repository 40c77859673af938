#!/usr/bin/env bash
# The headless Neovim test of editors/nvim (specls_test.lua) against the
# built binary. It works on a copy of testdata/ in a temporary folder, so
# the repository is never modified, and puts bin/specls first on PATH, as
# a user's install would. Needs nvim 0.7+ (scripts/editors.sh installs it).
# SPECLS_NVIM names the nvim to run (default: nvim on PATH).
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/client-env.sh nvim
status=0
PATH="$tmp/bin:$PATH" \
	SPECLS_PLUGIN="$repo/editors/nvim" SPECLS_WORK="$tmp/work" SPECLS_RESULTS="$tmp/results" \
	XDG_CONFIG_HOME="$tmp/xdg/config" XDG_DATA_HOME="$tmp/xdg/data" \
	XDG_STATE_HOME="$tmp/xdg/state" XDG_CACHE_HOME="$tmp/xdg/cache" \
	timeout 120 "${SPECLS_NVIM:-nvim}" --headless --clean -u test/nvim/specls_test.lua </dev/null >"$tmp/output" 2>&1 || status=$?
if ! report "$status" Neovim 200; then
	for log in "$tmp"/xdg/*/nvim/lsp.log; do
		[ -f "$log" ] && { echo "--- $log (last 60 lines)" >&2; tail -n 60 "$log" >&2; }
	done
	exit 1
fi
