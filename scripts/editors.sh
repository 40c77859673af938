#!/usr/bin/env bash
# Editor integration tests, run by `make e2e` after the binary is built:
#   VS Code (editors/vscode): type check, the settings/commands test against
#   the server (Go), unit tests, esbuild bundle, and scripts/vsix.sh: the
#   universal .vsix and this platform's with specls inside, inspected (the
#   binary runs), and a platform package without its binary refused;
#   Neovim (editors/nvim): the headless test in test/nvim on Debian's 0.7
#   and on 0.10 and 0.12 from Debian's archive;
#   Emacs: eglot in batch Emacs (test/emacs); Vim: ALE (test/ale).
# It installs what it needs when missing: Debian's neovim, emacs-nox,
# elpa-eglot, elpa-markdown-mode, vim and vim-ale (as root, with apt-get),
# Neovim 0.10 and 0.12 with ../shared/tools/nvim-from-debian.sh into
# SPECLS_TOOLS_CACHE (default ~/.cache/specls-editors; kept between runs,
# so CI caches that folder), and the npm packages of editors/vscode (npm ci,
# from the committed package-lock.json). Node 20+ and npm must be present.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
bin="${SPECLS_BIN:-$repo/bin/specls}"
GO="${GO:-go}"
cache="${SPECLS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/specls-editors}"
# The shared tools sit beside the checkout (../shared/tools).
nvim_from_debian="${SPECLS_NVIM_FROM_DEBIAN:-$repo/../shared/tools/nvim-from-debian.sh}"

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
# Debian packages of the clients, installed together when any is missing.
missing=()
command -v nvim >/dev/null || missing+=(neovim)
command -v emacs >/dev/null || missing+=(emacs-nox)
[ -n "$(ls -d /usr/share/emacs/site-lisp/elpa/eglot-* 2>/dev/null)" ] || missing+=(elpa-eglot)
[ -n "$(ls -d /usr/share/emacs/site-lisp/elpa/markdown-mode-* 2>/dev/null)" ] || missing+=(elpa-markdown-mode)
command -v vim >/dev/null || missing+=(vim)
[ -d /usr/share/vim-ale ] || missing+=(vim-ale)
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		step "installing ${missing[*]} (apt-get)"
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	else
		echo "editors: missing ${missing[*]}; install them (Debian: apt-get install ${missing[*]})" >&2
		exit 1
	fi
fi
# Newer Neovims, unpacked from Debian's archive into the cache folder; an
# existing one is reused.
nvims=("$(command -v nvim)")
for suite in trixie sid; do
	if [ ! -x "$cache/nvim-$suite/bin/nvim" ]; then
		if [ ! -x "$nvim_from_debian" ]; then
			echo "editors: $nvim_from_debian is missing (it installs Neovim 0.10 and 0.12)" >&2
			exit 1
		fi
		step "installing Neovim from Debian $suite into $cache/nvim-$suite"
	fi
	nvims+=("$("$nvim_from_debian" "$suite" "$cache/nvim-$suite" 2>"$tmp/nvim-$suite.log")") || {
		cat "$tmp/nvim-$suite.log" >&2
		exit 1
	}
done
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

# Every platform: each package must carry a binary for its platform, and
# cross-compiling is also what catches code that builds on Linux only.
step "vsce package: universal and one per platform, with specls inside (scripts/vsix.sh)"
VSIX_OUT="$tmp/vsix" "$repo/scripts/vsix.sh"

# --- Neovim plugin: every version -----------------------------------------
cd "$repo"
for nvim in "${nvims[@]}"; do
	step "headless Neovim ($("$nvim" --version | head -n 1))"
	SPECLS_BIN="$bin" SPECLS_NVIM="$nvim" test/nvim/run.sh
done

# --- Emacs (eglot) and Vim (ALE) -----------------------------------------
step "batch Emacs with eglot ($(emacs --version | head -n 1))"
SPECLS_BIN="$bin" test/emacs/run.sh
step "headless Vim with ALE ($(vim --version | head -n 1))"
SPECLS_BIN="$bin" test/ale/run.sh

echo "editors: all passed in ${SECONDS}s"
