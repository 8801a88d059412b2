#!/usr/bin/env bash
# Run once by the postgres image on an empty data directory (docker-entrypoint-initdb.d), as the
# bootstrap superuser. Creates the roles of docs "Database roles" in the README:
#   case_desk_owner    LOGIN, owns the database and its tables; migrations only (MIGRATION_DATABASE_URL)
#   case_desk_runtime  NOLOGIN, plain DML, SELECT/INSERT on audit tables (grants: migration 1763800021000)
#   case_desk_app      LOGIN, IN ROLE case_desk_runtime; the app's DATABASE_URL
# The superuser itself is for this script and for emergencies, never for the app.
set -euo pipefail

: "${CASE_DESK_OWNER_PASSWORD:?set CASE_DESK_OWNER_PASSWORD}"
: "${CASE_DESK_APP_PASSWORD:?set CASE_DESK_APP_PASSWORD}"
DB="${POSTGRES_DB:-case_desk}"

psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "$DB" \
  -v owner_password="$CASE_DESK_OWNER_PASSWORD" -v app_password="$CASE_DESK_APP_PASSWORD" -v db="$DB" <<'SQL'
CREATE ROLE case_desk_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE case_desk_runtime NOLOGIN;
CREATE ROLE case_desk_app LOGIN PASSWORD :'app_password' IN ROLE case_desk_runtime;
-- The audit sealer reads the transaction ids of every session of this database in pg_stat_activity.
GRANT pg_read_all_stats TO case_desk_runtime;
-- The owner creates the schema (pg_trgm and pgcrypto are trusted extensions: no superuser needed).
ALTER DATABASE :"db" OWNER TO case_desk_owner;
ALTER SCHEMA public OWNER TO case_desk_owner;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO case_desk_runtime;
SQL
