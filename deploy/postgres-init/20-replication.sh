#!/usr/bin/env bash
# Run once by the postgres image on an empty data directory, after 10-roles.sh: lets the optional
# streaming standby (`db-replica`, compose profile `replica`) copy and follow this server
# (README, "Read replicas"). wal_level is `replica` by default; the image's pg_hba.conf has no
# `replication` line (`all` does not cover it), so one is added for the replication login alone.
set -euo pipefail

: "${REPLICATION_PASSWORD:?set REPLICATION_PASSWORD}"

psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-case_desk}" \
  -v password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE case_desk_replicator LOGIN REPLICATION PASSWORD :'password';
SQL
echo "host replication case_desk_replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
