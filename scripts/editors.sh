#!/usr/bin/env bash
# Editor integration tests, run by `make e2e` after the binary is built:
#   VS Code (editors/vscode): type check, the settings/commands test against
#   the server (Go), unit tests, esbuild bundle, `vsce package` of the
#   universal and a linux-x64 .vsix, and an inspection of both;
#   Neovim (editors/nvim): the headless test in test/nvim.
# It installs what it needs when missing: Debian's neovim (as root, with
# apt-get) and the npm packages of editors/vscode (npm ci, from the
# committed package-lock.json). Node 20+ and npm must be present.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
bin="${SPECLS_BIN:-$repo/bin/specls}"
GO="${GO:-go}"

if [ ! -x "$bin" ]; then
	echo "editors: $bin is missing; run 'make e2e', which builds it" >&2
	exit 1
fi

SECONDS=0
step() {
	echo "editors: $* (at ${SECONDS}s)"
}
# quietly runs a command, showing its output only when it fails.
quietly() {
	if ! "$@" >"$tmp/out.log" 2>&1; then
		cat "$tmp/out.log" >&2
		echo "editors: failed: $*" >&2
		exit 1
	fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- tools ---------------------------------------------------------------
if ! command -v nvim >/dev/null; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		step "installing neovim (apt-get)"
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >/dev/null
	else
		echo "editors: nvim (0.7 or later) is required; install it (Debian: apt-get install neovim)" >&2
		exit 1
	fi
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "editors: Node.js 20+ and npm are required" >&2
	exit 1
fi
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
	echo "editors: Node.js 20+ is required (found $(node --version))" >&2
	exit 1
fi

# --- VS Code extension ---------------------------------------------------
cd "$repo/editors/vscode"
# npm ci again only when the lock file changed since the last install.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.specls-lock ] || [ "$(cat node_modules/.specls-lock)" != "$lock_sum" ]; then
	step "npm ci (editors/vscode)"
	npm ci --no-audit --no-fund --loglevel=error
	echo "$lock_sum" >node_modules/.specls-lock
fi

step "type check (tsc --noEmit)"
npm run --silent typecheck

step "settings and commands against the server (go test ./editors/vscode)"
(cd "$repo" && "$GO" test -count=1 ./editors/vscode/)

step "bundle (esbuild) and unit tests (node --test)"
quietly npm run --silent test
grep -E '^# (tests|pass|fail)' "$tmp/out.log"

step "vsce package (universal)"
vsce="$PWD/node_modules/.bin/vsce"
quietly "$vsce" package --no-dependencies --out "$tmp/specls.vsix"
node scripts/inspect-vsix.mjs "$tmp/specls.vsix"

# A platform package carries the binary: package a copy of the extension
# with bin/specls in it, so that the source tree stays as it is.
case "$(uname -m)" in
aarch64 | arm64) target=linux-arm64 ;;
*) target=linux-x64 ;;
esac
step "vsce package --target $target (with bin/specls)"
mkdir -p "$tmp/ext/bin"
cp -R package.json package-lock.json README.md LICENSE CHANGELOG.md .vscodeignore esbuild.mjs tsconfig.json src "$tmp/ext/"
ln -s "$PWD/node_modules" "$tmp/ext/node_modules"
cp "$bin" "$tmp/ext/bin/specls"
package_platform() (cd "$tmp/ext" && "$vsce" package --no-dependencies --target "$target" --out "$tmp/specls-$target.vsix")
quietly package_platform
node scripts/inspect-vsix.mjs "$tmp/specls-$target.vsix" --target "$target" --binary "$bin" | tail -n 2

# --- Neovim plugin -------------------------------------------------------
cd "$repo"
step "headless Neovim ($(nvim --version | head -n 1))"
SPECLS_BIN="$bin" test/nvim/run.sh

echo "editors: all passed in ${SECONDS}s"
