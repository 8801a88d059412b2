#!/usr/bin/env bash
# Prints the bin directory of the Node.js the production image runs (the Dockerfile's node:24, an LTS
# line with security fixes until 2028-04-30), so that CI tests what users deploy: the machine's own
# node when it is that major already, else the same release from the npm registry (the only place these
# machines may download from), pinned by version and checked against its registry integrity hash, and
# kept under ~/.cache for the next run. Linux x64 and arm64.
#
#   PATH="$(scripts/lts-node.sh):$PATH" npm test
set -euo pipefail

VERSION=24.22.3
declare -A INTEGRITY=(
  [x64]='sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=='
  [arm64]='sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw=='
)

if command -v node >/dev/null 2>&1 && [ "$(node -p 'process.versions.node.split(".")[0]')" = "${VERSION%%.*}" ]; then
  dirname "$(command -v node)"
  exit 0
fi

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *)
    echo "lts-node: no Node.js $VERSION package for $(uname -m)" >&2
    exit 1
    ;;
esac
[ "$(uname -s)" = Linux ] || { echo "lts-node: Linux only" >&2; exit 1; }

home="${XDG_CACHE_HOME:-$HOME/.cache}/case-desk/node-v$VERSION-linux-$arch"
if [ ! -x "$home/bin/node" ]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  package="node-linux-$arch@$VERSION"
  integrity="$(cd "$work" && npm pack "$package" --json --silent | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].integrity))')"
  if [ "$integrity" != "${INTEGRITY[$arch]}" ]; then
    echo "lts-node: $package has integrity $integrity, expected ${INTEGRITY[$arch]}" >&2
    exit 1
  fi
  mkdir -p "$work/node"
  tar -xzf "$work"/node-linux-"$arch"-"$VERSION".tgz -C "$work/node" --strip-components=1
  "$work/node/bin/node" --version >/dev/null
  mkdir -p "$(dirname "$home")"
  rm -rf "$home"
  mv "$work/node" "$home"
fi
echo "$home/bin"
