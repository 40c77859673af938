#!/usr/bin/env bash
# `make vsix`: the VS Code extension packaged for the marketplace, into
# VSIX_OUT (default bin/vsix): the universal .vsix (no binary: it uses
# specls on PATH) and one .vsix per platform carrying specls cross-compiled
# for it (CGO off): linux-x64, linux-arm64, darwin-x64, darwin-arm64,
# win32-x64 (VSIX_TARGETS picks some). Each package is inspected
# (scripts/inspect-vsix.mjs): the files, the binary's platform and bytes,
# and, for this machine's platform, that the packaged binary runs.
# VSIX_TARGETS=here packages this machine's platform only. Node 20+ and npm
# must be present; npm ci runs when the lock file changed.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
GO="${GO:-go}"
out="${VSIX_OUT:-$repo/bin/vsix}"
targets=(${VSIX_TARGETS:-linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64})
ext="$repo/editors/vscode"

case "$(uname -s)-$(uname -m)" in
Linux-x86_64) here=linux-x64 ;;
Linux-aarch64) here=linux-arm64 ;;
Darwin-x86_64) here=darwin-x64 ;;
Darwin-arm64) here=darwin-arm64 ;;
*) here=none ;;
esac
[ "${targets[*]}" = here ] && targets=("$here")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# quietly runs a command, showing its output only when it fails.
quietly() {
	if ! "$@" >"$tmp/out.log" 2>&1; then
		cat "$tmp/out.log" >&2
		echo "vsix: failed: $*" >&2
		exit 1
	fi
}

cd "$ext"
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.specls-lock ] || [ "$(cat node_modules/.specls-lock)" != "$lock_sum" ]; then
	echo "vsix: npm ci (editors/vscode)"
	npm ci --no-audit --no-fund --loglevel=error
	echo "$lock_sum" >node_modules/.specls-lock
fi
version=$(node -p 'require("./package.json").version')
vsce="$ext/node_modules/.bin/vsce"

# Package a copy of the extension, so that the source tree stays as it is.
stage="$tmp/ext"
mkdir -p "$stage" "$out"
cp -R package.json package-lock.json README.md LICENSE CHANGELOG.md .vscodeignore esbuild.mjs tsconfig.json src scripts "$stage/"
ln -s "$ext/node_modules" "$stage/node_modules"


# A platform package without its binary must not be made.
if (cd "$stage" && "$vsce" package --no-dependencies --target linux-x64 --out "$tmp/nobin.vsix") >"$tmp/nobin.log" 2>&1; then
	echo "vsix: vsce package --target linux-x64 without bin/specls succeeded" >&2
	exit 1
fi
if ! grep -q "bin/specls is missing" "$tmp/nobin.log"; then
	cat "$tmp/nobin.log" >&2
	echo "vsix: vsce package --target linux-x64 without bin/specls failed for another reason" >&2
	exit 1
fi
echo "ok - vsce package --target linux-x64 without bin/specls fails: $(grep -o 'bin/specls is missing[^(]*' "$tmp/nobin.log" | head -n 1)"

universal="$out/specls-$version.vsix"
(cd "$stage" && quietly "$vsce" package --no-dependencies --out "$universal")
node "$ext/scripts/inspect-vsix.mjs" "$universal" | tail -n 1

# The bundled server is stamped as `make build` stamps it, so that its
# serverInfo.version and `specls version` name the commit it was built from.
server_version=$(git -C "$repo" describe --tags --always --dirty 2>/dev/null || true)
ldflags=()
[ -n "$server_version" ] && ldflags=(-ldflags "-X github.com/specls/specls/cmd/specls/internal/about.version=$server_version")

for t in "${targets[@]}"; do
	case "$t" in
	linux-x64) goos=linux goarch=amd64 exe=specls ;;
	linux-arm64) goos=linux goarch=arm64 exe=specls ;;
	darwin-x64) goos=darwin goarch=amd64 exe=specls ;;
	darwin-arm64) goos=darwin goarch=arm64 exe=specls ;;
	win32-x64) goos=windows goarch=amd64 exe=specls.exe ;;
	*)
		echo "vsix: unknown target $t" >&2
		exit 2
		;;
	esac
	rm -rf "$stage/bin"
	mkdir -p "$stage/bin"
	(cd "$repo" && CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch "$GO" build -trimpath "${ldflags[@]}" -o "$stage/bin/$exe" ./cmd/specls)
	cp "$stage/bin/$exe" "$tmp/$exe-$t"
	vsix="$out/specls-$t-$version.vsix"
	(cd "$stage" && quietly "$vsce" package --no-dependencies --target "$t" --out "$vsix")
	run=()
	[ "$t" = "$here" ] && run=(--run)
	node "$ext/scripts/inspect-vsix.mjs" "$vsix" --target "$t" --binary "$tmp/$exe-$t" "${run[@]}" | tail -n 1
done
