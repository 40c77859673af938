#!/usr/bin/env bash
# The headless Vim + ALE test (specls_test.vim) against the built binary,
# configured with the ALE block of docs/editors.md, cut out of the document
# here so that the test checks what the document says. It works on a copy
# of test/nvim/testdata. Needs Debian's vim and vim-ale (scripts/editors.sh
# installs them).
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/client-env.sh ALE
# The first vim block after "## Vim (ALE)".
doc_block "Vim (ALE)" vim >"$tmp/config.vim"
if ! grep -q "ale#linter#Define" "$tmp/config.vim"; then
	echo "ALE test: no ALE configuration found in docs/editors.md" >&2
	exit 1
fi
status=0
# -es: no terminal needed; :sleep still runs ALE's jobs and timers.
PATH="$tmp/bin:$PATH" HOME="$tmp/home" \
	SPECLS_WORK="$tmp/work" SPECLS_RESULTS="$tmp/results" SPECLS_CONFIG="$tmp/config.vim" \
	timeout 120 vim -N -u NONE -i NONE -n -es -S test/ale/specls_test.vim </dev/null >"$tmp/output" 2>&1 || status=$?
report "$status" Vim 60
