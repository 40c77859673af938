#!/usr/bin/env bash
# The batch Emacs test (specls-test.el) of eglot against the built binary,
# configured with the eglot block of docs/editors.md, cut out of the
# document here so that the test checks what the document says. It works
# on a copy of test/nvim/testdata. Needs Debian's emacs-nox, elpa-eglot and
# elpa-markdown-mode (scripts/editors.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/client-env.sh emacs
# The first elisp block after "## Emacs (eglot)".
doc_block "Emacs (eglot)" elisp >"$tmp/config.el"
if ! grep -q eglot-server-programs "$tmp/config.el"; then
	echo "emacs test: no eglot configuration found in docs/editors.md" >&2
	exit 1
fi
status=0
PATH="$tmp/bin:$PATH" HOME="$tmp/home" \
	SPECLS_WORK="$tmp/work" SPECLS_RESULTS="$tmp/results" SPECLS_CONFIG="$tmp/config.el" \
	timeout 120 emacs --batch -q -l test/emacs/specls-test.el </dev/null >"$tmp/output" 2>&1 || status=$?
report "$status" Emacs 80
