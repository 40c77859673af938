# Sourced by test/{nvim,emacs,ale}/run.sh from the repository root, with
# the client's name as $1: it finds the built binary, makes a temporary
# folder (removed on exit) with a copy of test/nvim/testdata in work/, the
# binary linked into bin/ (first on PATH, as a user's install would put
# it) and an empty home/ and xdg/.
client=$1
repo=$PWD
bin="${SPECLS_BIN:-$repo/bin/specls}"
if [ ! -x "$bin" ]; then
	echo "$client test: $bin is missing; run 'make build'" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/work" "$tmp/bin" "$tmp/home" "$tmp/xdg"
cp -R test/nvim/testdata/. "$tmp/work/"
ln -s "$bin" "$tmp/bin/specls"

# doc_block HEADING LANG: the first LANG code block after the "## HEADING"
# line of docs/editors.md, so that a test runs what the document says.
doc_block() {
	awk -v h="## $1" -v fence="\`\`\`$2" 'index($0, h) == 1 {on=1} on && index($0, fence) == 1 {inblock=1; next} inblock && /^```/ {exit} inblock {print}' docs/editors.md
}

# report STATUS EDITOR LINES: print the client's results; fail when it
# failed or did not write PASS, showing the last LINES of what it printed.
report() {
	local status=$1
	[ -f "$tmp/results" ] && cat "$tmp/results"
	if [ "$status" -eq 0 ] && ! grep -qx PASS "$tmp/results" 2>/dev/null; then
		status=1
	fi
	if [ "$status" -ne 0 ]; then
		echo "$client test failed (exit $status)" >&2
		echo "--- what $2 printed (last $3 lines)" >&2
		tail -n "$3" "$tmp/output" >&2
	fi
	return "$status"
}
