#!/usr/bin/env bash
# Start a throwaway PostgreSQL on 127.0.0.1 for the tests that run the engine on PostgreSQL.
# Prints the URL to use; prints nothing (and the PostgreSQL tests skip) where no server can run.
# Usage: url=$(bash .ci/postgres.sh start DIR); bash .ci/postgres.sh stop DIR
set -uo pipefail
action=$1 dir=$2
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
port=${STORYDESK_PG_PORT:-54329}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "$action" = stop ]; then
  [ -n "$pgbin" ] && [ -d "$dir/data" ] && as_pg "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1
  exit 0
fi
if [ -z "$pgbin" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >/dev/null 2>&1
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
fi
[ -n "$pgbin" ] || exit 0
mkdir -p "$dir/data" && chmod 700 "$dir/data"
[ "$(id -u)" = 0 ] && chown -R postgres "$dir"
as_pg "$pgbin/initdb" -D "$dir/data" -A trust -U storydesk >/dev/null 2>&1 || exit 0
as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null 2>&1 || exit 0
echo "postgresql://storydesk@127.0.0.1:$port/postgres"
