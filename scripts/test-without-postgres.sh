#!/usr/bin/env bash
# `npm test` with no PostgreSQL reachable (issue 17): inside a fresh network namespace (only `lo`, up),
# so neither TEST_DATABASE_URL nor the machine's server on 127.0.0.1:5432 can be used and the test
# set-up must start its embedded PostgreSQL (test/support/test-database-server.ts). Once as root, which
# embedded-postgres serves through the `postgres` user, and once as a plain user.
#
#   scripts/test-without-postgres.sh                    # both, the full `npm test`
#   scripts/test-without-postgres.sh root -- src/config # root only, jest arguments after --
#   scripts/test-without-postgres.sh both -- test/platform/platform.e2e-spec.ts
#
# Jest's global set-up builds dist/ (a no-op when it is fresh: CI builds just before). Needs root for
# `unshare -n` and `runuser`. The plain user (CASE_DESK_CI_USER, default casedesk-ci) is created when
# missing and runs a copy of this checkout in its home, with its own HOME and npm cache.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-both}"
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
jest_args=("$@")
case "$mode" in root | user | both) ;; *)
  echo "usage: $0 [root|user|both] [-- jest arguments]" >&2
  exit 2
  ;;
esac
if [ "$(id -u)" -ne 0 ]; then
  echo "$0: needs root (unshare -n, runuser)" >&2
  exit 2
fi

# Runs "$@" in a new network namespace with only the loopback interface, up.
in_netns() {
  unshare --net -- bash -c 'ip link set lo up && exec "$@"' in-netns "$@"
}

# No way to a server: not a URL from the environment, and (the namespace) nothing on 127.0.0.1:5432.
unset TEST_DATABASE_URL DATABASE_URL

run_as_root() {
  echo "== npm test as root, no PostgreSQL reachable"
  in_netns npm test -- "${jest_args[@]}"
}

run_as_user() {
  local user="${CASE_DESK_CI_USER:-casedesk-ci}"
  id -u "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$user"
  local home
  home="$(getent passwd "$user" | cut -d: -f6)"
  local copy="$home/case-desk"
  # A copy the user owns: the build writes dist/ and the OpenAPI metadata, jest writes its cache.
  rsync -a --delete --exclude .git --exclude data ./ "$copy/"
  chown -R "$user:" "$copy"
  echo "== npm test as $user, no PostgreSQL reachable"
  in_netns runuser -u "$user" -- env HOME="$home" npm_config_cache="$home/.npm" \
    bash -c 'cd "$0" && npm test -- "$@"' "$copy" "${jest_args[@]}"
}

case "$mode" in
  root) run_as_root ;;
  user) run_as_user ;;
  both)
    if [ ${#jest_args[@]} -eq 0 ]; then
      run_as_root
      run_as_user
      exit 0
    fi
    # A few specs (CI's smoke): side by side, since each starts its own embedded server on its own port
    # and most of either run waits on initdb and the migrations. Lines are prefixed with whose run it is.
    run_as_root > >(sed -u 's/^/[root] /') 2>&1 &
    root_pid=$!
    run_as_user > >(sed -u 's/^/[user] /') 2>&1 &
    user_pid=$!
    status=0
    wait "$root_pid" || status=1
    wait "$user_pid" || status=1
    exit "$status"
    ;;
esac
