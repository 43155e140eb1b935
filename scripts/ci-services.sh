#!/usr/bin/env bash
# Starts what the integration tests need beyond Node: a PostgreSQL server (Debian's package) on
# loopback for the webhook's PostgreSQL store tests. Idempotent: installs only what is missing,
# starts only what is stopped, creates the role and database only once. The tests read the URL
# from $PG_URL, or else from node_modules/.cache/ctct-pg-url (written here).
set -euo pipefail
cd "$(dirname "$0")/.."

url_file="node_modules/.cache/ctct-pg-url"
role="ctct"
password="ctct-ci-only"
database="ctct_webhook_test"

if [ "$(id -u)" -ne 0 ] && ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "ci-services: not root and no PostgreSQL installed: the PostgreSQL tests will be skipped"
  exit 0
fi

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "ci-services: installing postgresql (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi

version=$(pg_lsclusters --no-header | awk 'NR==1 {print $1}')
cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $2}')
if [ -z "$version" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
  cluster=main
  pg_createcluster "$version" "$cluster" >/dev/null
fi
port=$(pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $3}')

status=$(pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $4}')
if [ "$status" != "online" ]; then
  echo "ci-services: starting PostgreSQL $version/$cluster on 127.0.0.1:$port"
  pg_ctlcluster "$version" "$cluster" start -- -o "-c listen_addresses=127.0.0.1" 2>/dev/null ||
    pg_ctlcluster "$version" "$cluster" start
else
  echo "ci-services: PostgreSQL $version/$cluster already running on port $port"
fi

psql_admin() { su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -qAt $*"; }
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_roles WHERE rolname = '$role'\"")" != "1" ]; then
  psql_admin "-c \"CREATE ROLE $role LOGIN PASSWORD '$password'\""
fi
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_database WHERE datname = '$database'\"")" != "1" ]; then
  psql_admin "-c \"CREATE DATABASE $database OWNER $role\""
fi

mkdir -p "$(dirname "$url_file")"
echo "postgres://$role:$password@127.0.0.1:$port/$database" >"$url_file"
echo "ci-services: PostgreSQL ready; URL written to $url_file"
