#!/bin/sh
# Downloads attache's static Linux binary for this machine from a release
# into ./attache-bin/, checked against the release's SHA256SUMS.
# Used by docs/examples/netlify.toml; any CI with sh, curl and tar can use
# it. Set ATTACHE_VERSION (v0.1.0) and ATTACHE_RELEASES (the releases'
# download address, https://github.com/OWNER/attache/releases/download).
set -eu
: "${ATTACHE_VERSION:?set ATTACHE_VERSION, for example v0.1.0}"
: "${ATTACHE_RELEASES:?set ATTACHE_RELEASES to the releases download address}"
case "$(uname -m)" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) echo "no attache release for $(uname -m)" >&2; exit 1 ;;
esac
name="attache-$ATTACHE_VERSION-$arch-unknown-linux-musl"
work=$(mktemp -d)
curl -fsSL -o "$work/$name.tar.gz" "$ATTACHE_RELEASES/$ATTACHE_VERSION/$name.tar.gz"
curl -fsSL -o "$work/SHA256SUMS" "$ATTACHE_RELEASES/$ATTACHE_VERSION/SHA256SUMS"
(cd "$work" && grep " $name.tar.gz\$" SHA256SUMS | sha256sum -c -)
tar -xzf "$work/$name.tar.gz" -C "$work"
mkdir -p attache-bin
mv "$work/$name/attache" attache-bin/attache
rm -rf "$work"
./attache-bin/attache --version
