#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on 127.0.0.1 for the tests (installing Debian's package if it is
# missing) and prints `export GANDAN_TEST_POSTGRES_URL=…` and `export GANDAN_PGDATA=…` for eval.
# Stop it with: .ci/postgres.sh stop
set -euo pipefail

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "${1:-}" = "stop" ]; then
  [ -n "${GANDAN_PGDATA:-}" ] && as_pg "$(pg_bin)/pg_ctl" -D "$GANDAN_PGDATA" -m fast stop >/dev/null 2>&1 || true
  [ -n "${GANDAN_PGDATA:-}" ] && rm -rf "$GANDAN_PGDATA"
  exit 0
fi

if [ -z "$(pg_bin)" ]; then
  echo "installing PostgreSQL (Debian package)…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
BIN=$(pg_bin)
PORT=${GANDAN_PG_PORT:-54329}
while (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done

DATA=$(mktemp -d /tmp/gandan-pg.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres "$DATA"
as_pg "$BIN/initdb" -D "$DATA" -A trust -U gandan -E UTF8 --no-locale >/dev/null
as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
"$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U gandan gandan_test
echo "export GANDAN_TEST_POSTGRES_URL=postgresql+asyncpg://gandan@127.0.0.1:$PORT/gandan_test"
echo "export GANDAN_PGDATA=$DATA"
