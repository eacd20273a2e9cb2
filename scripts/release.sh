#!/bin/sh
# Builds netrun's release archives into dist/: static binaries
# (CGO_ENABLED=0) for linux/amd64, linux/arm64, darwin/arm64 and
# windows/amd64, with the version stamped in, each archive with the
# README, LICENSE, NOTICE and the licences of every linked Go module, and
# dist/SHA256SUMS.
#
#   scripts/release.sh v0.1.0
#   TARGETS="linux/amd64" scripts/release.sh v0.1.0-rc1
set -eu

version=${1:?usage: scripts/release.sh VERSION (such as v0.1.0)}
case $version in
v[0-9]*) ;;
*) echo "release: VERSION must look like v1.2.3, not $version" >&2; exit 2 ;;
esac
targets=${TARGETS:-linux/amd64 linux/arm64 darwin/arm64 windows/amd64}
case " $targets " in
*" windows/"*) command -v zip >/dev/null || { echo "release: the windows archive needs zip (apt-get install zip)" >&2; exit 2; } ;;
esac
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || true)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
	commit="$commit-modified"
fi

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dist=$root/dist
rm -rf "$dist"
mkdir -p "$dist"

# The licences of the modules linked into netrun: the same for every
# target but for platform-only packages, which are of the same modules.
licenses=$dist/THIRD_PARTY_LICENSES
: >"$licenses"
go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}} {{.Dir}}{{end}}{{end}}' ./cmd/netrun |
	sort -u | while read -r path ver dir; do
	found=
	for f in $(find "$dir" -maxdepth 1 -type f \( -iname 'licen[cs]e*' -o -iname 'copying*' -o -iname 'notice*' \) | sort); do
		found=1
		printf '==== %s %s (%s) ====\n\n' "$path" "$ver" "$(basename "$f")" >>"$licenses"
		cat "$f" >>"$licenses"
		printf '\n' >>"$licenses"
	done
	if [ -z "$found" ]; then
		echo "release: no licence file in $dir ($path)" >&2
		exit 1
	fi
done

for t in $targets; do
	os=${t%/*}
	arch=${t#*/}
	name=netrun_${version#v}_${os}_${arch}
	exe=netrun
	[ "$os" = windows ] && exe=netrun.exe
	mkdir -p "$dist/$name"
	echo "release: $name" >&2
	CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath \
		-ldflags "-s -w -X main.stampedVersion=$version -X main.stampedCommit=$commit" \
		-o "$dist/$name/$exe" ./cmd/netrun
	cp README.md LICENSE NOTICE "$licenses" "$dist/$name/"
	(
		cd "$dist"
		if [ "$os" = windows ]; then
			zip -qr "$name.zip" "$name"
		else
			tar -czf "$name.tar.gz" "$name"
		fi
	)
	rm -r "${dist:?}/$name"
done
rm "$licenses"

# Only the archives made: with TARGETS of one kind, the other pattern
# matches nothing and stays a literal.
(
	cd "$dist"
	set --
	for f in *.tar.gz *.zip; do
		if [ -e "$f" ]; then set -- "$@" "$f"; fi
	done
	sha256sum -- "$@" >SHA256SUMS
)
cat "$dist/SHA256SUMS"
