#!/usr/bin/env bash
# `npm run lint`: ESLint, the type check of everything (src, tests, migrations, benches), the build, and
# the OpenAPI document's lint. The first three read the same sources and write nothing the others read
# (the OpenAPI metadata is generated once, before), so they run side by side: on CI's two cores this
# takes about the longest of them instead of their sum. Each one's output is printed whole, in order.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run --silent openapi:metadata
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

npx eslint "{src,test,migrations,bench}/**/*.ts" >"$logs/eslint" 2>&1 &
eslint_pid=$!
npx tsc -p tsconfig.json --noEmit >"$logs/typecheck" 2>&1 &
typecheck_pid=$!
npx tsc -p tsconfig.build.json >"$logs/build" 2>&1 &
build_pid=$!

status=0
for step in eslint typecheck build; do
  pid_var="${step}_pid"
  if wait "${!pid_var}"; then
    echo "== $step: ok"
  else
    echo "== $step: FAILED"
    status=1
  fi
  cat "$logs/$step"
done
[ "$status" -eq 0 ] || exit "$status"

bash scripts/lint-openapi.sh --no-build
