#!/bin/bash
# Runs once, on an empty data directory (after 10-roles.sh): a login that may stream the WAL to a
# standby (the `db-replica` service of docker-compose.yml, profile "replica"), and the pg_hba.conf
# line that lets it. Nothing else may open a replication connection.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="${CASE_DESK_REPLICATION_PASSWORD:-change-me-replication}" <<'SQL'
CREATE ROLE case_desk_replicator WITH LOGIN REPLICATION PASSWORD :'password';
SQL

echo "host replication case_desk_replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
