#!/usr/bin/env bash
# End-to-end tests: the built binary driven over stdio by Node clients on
# vscode-languageserver-protocol (test/e2e). `make e2e` builds bin/specls
# first; this script builds nothing. It installs Node (Debian) and the npm
# dependencies when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${SPECLS_BIN:-$PWD/bin/specls}"
if [ ! -x "$bin" ]; then
	echo "e2e: $bin is missing; run 'make e2e', which builds it" >&2
	exit 1
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
	else
		echo "e2e: Node.js 18+ and npm are required" >&2
		exit 1
	fi
fi
cd test/e2e
if [ ! -d node_modules/vscode-languageserver-protocol ] || [ ! -d node_modules/vscode-jsonrpc ]; then
	npm ci --no-audit --no-fund --loglevel=error
fi
SPECLS_BIN="$bin" exec node --test --test-reporter=spec
