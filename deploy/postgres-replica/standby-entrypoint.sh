#!/usr/bin/env bash
# The `db-replica` service (compose profile `replica`): on an empty volume, copies the primary `db`
# with pg_basebackup -R (which writes standby.signal and primary_conninfo), then runs it as a hot
# standby that streams the primary's WAL. The app reads from it through DATABASE_REPLICA_URLS.
set -euo pipefail

: "${PGDATA:=/var/lib/postgresql/data}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  # The primary may still be initialising (its init scripts create the replication login).
  until pg_basebackup -h db -U case_desk_replicator -D "$PGDATA" -R -X stream -c fast; do
    echo "waiting for the primary to accept replication..." >&2
    rm -rf "${PGDATA:?}"/*
    sleep 2
  done
  chmod 700 "$PGDATA"
fi
# Feedback keeps the primary from vacuuming rows a long list read still needs (fewer cancelled reads).
exec postgres -c hot_standby=on -c hot_standby_feedback=on
