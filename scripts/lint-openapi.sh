#!/usr/bin/env bash
# Lints the OpenAPI document with Spectral (.spectral.yaml: spectral:oas + the OWASP ruleset).
# The document comes from the built app in Nest's preview mode (no database), so this builds first:
# `npm run lint` on a fresh clone works without a prior `npm run build`; `--no-build` when the caller
# has just built (scripts/lint.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${1:-}" = "--no-build" ] || npm run --silent build
mkdir -p dist
node dist/src/cli/export-openapi.js dist/openapi.json
npx spectral lint dist/openapi.json --ruleset .spectral.yaml --fail-severity error --display-only-failures
