#!/usr/bin/env bash
# `npm run lint`: ESLint, the type check of everything (src, tests, migrations, benches), the build, and
# the OpenAPI document's lint. They run side by side, each as soon as what it reads is there, so on CI's
# two cores this takes about the longest chain instead of their sum:
#   ESLint                                  (reads the sources only: from the start)
#   OpenAPI metadata → type check           (the metadata is generated once, first)
#                    → build → OpenAPI lint (exports the document from dist/)
#                            → each --after-build job
# Each one's output is printed whole, in that order, once all are done.
#
#   scripts/lint.sh [--after-build NAME 'COMMAND']...
#
# --after-build runs COMMAND (with bash -c) beside the rest once the build is done, and reports it as one
# more step: CI (.ci/run) starts its no-PostgreSQL smoke and crash check there, which need dist/ but
# neither the lint's results nor the test run's database, instead of after the tests with a core idle.
set -euo pipefail
cd "$(dirname "$0")/.."

after_names=()
after_commands=()
while [ $# -gt 0 ]; do
  case "$1" in
    --after-build)
      [ $# -ge 3 ] || { echo "usage: $0 [--after-build NAME 'COMMAND']..." >&2; exit 2; }
      after_names+=("$2")
      after_commands+=("$3")
      shift 3
      ;;
    *)
      echo "usage: $0 [--after-build NAME 'COMMAND']..." >&2
      exit 2
      ;;
  esac
done

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
steps=()
pids=()
start() { # start NAME COMMAND...: in the background, its output to the step's log
  local name="$1"
  shift
  "$@" >"$logs/$name" 2>&1 &
  steps+=("$name")
  pids+=($!)
}

start eslint npx eslint "{src,test,migrations,bench}/**/*.ts"
npm run --silent openapi:metadata || { kill "${pids[@]}" 2>/dev/null; exit 1; }
start typecheck npx tsc -p tsconfig.json --noEmit
# Build mode: when nothing changed since the last build (dist/tsconfig.build.tsbuildinfo), it returns
# at once instead of reading the whole program again (jest's global set-up, right after this).
if npx tsc -b tsconfig.build.json >"$logs/build" 2>&1; then
  build_ok=1
  start openapi bash scripts/lint-openapi.sh --no-build
  for i in "${!after_names[@]}"; do start "${after_names[$i]}" bash -c "${after_commands[$i]}"; done
else
  build_ok=0
fi

status=0
report() { # report NAME OK: the step's output, whole
  if [ "$2" -eq 1 ]; then echo "== $1: ok"; else echo "== $1: FAILED"; status=1; fi
  cat "$logs/$1"
}
for i in "${!steps[@]}"; do
  wait "${pids[$i]}" && report "${steps[$i]}" 1 || report "${steps[$i]}" 0
  if [ "${steps[$i]}" = typecheck ]; then
    report build "$build_ok"
    [ "$build_ok" -eq 1 ] || echo "== the OpenAPI lint and the after-build steps did not run: the build failed"
  fi
done
exit "$status"
