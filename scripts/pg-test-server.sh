#!/bin/sh
# A throwaway PostgreSQL server for tests: never a cluster the Debian package created.
#
#   scripts/pg-test-server.sh start   starts one (if none is running) and prints its admin URL
#   scripts/pg-test-server.sh url     prints the admin URL of the running one
#   scripts/pg-test-server.sh log     prints the path of its server log
#   scripts/pg-test-server.sh stop    stops it and removes its data
#
# The server listens on a free port of 127.0.0.1 and on a unix socket inside its own fresh
# temporary directory, logs every statement with its full parameters (so tests can check that
# no plaintext ever reaches it), delays every failed log in by a second (auth_delay, as a real
# onions server must), and has one superuser whose password is in the URL.
# PostgreSQL refuses to run as root: as root the server runs as the `postgres` user.
# ONIONS_PG_TEST_STATE names the file that remembers the running server (default below);
# PG_BIN the directory of initdb and pg_ctl (default: the newest under /usr/lib/postgresql).
set -eu

state="${ONIONS_PG_TEST_STATE:-${TMPDIR:-/tmp}/onions-pg-test-server.$(id -u).state}"

fail() { echo "pg-test-server: $*" >&2; exit 1; }

pg_bin() {
    if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
    if [ -x /usr/lib/postgresql/15/bin/pg_ctl ]; then echo /usr/lib/postgresql/15/bin; return; fi
    newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$newest" ] || fail "no PostgreSQL server binaries (install the postgresql package)"
    echo "$newest"
}

# Runs a command as the server's owner, from a directory that owner can enter.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd "$dir" && runuser -u postgres -- "$@")
    else
        (cd "$dir" && "$@")
    fi
}

# A TCP port nobody listens on now (pg_ctl start is retried if another process takes it).
free_port() {
    used=$(ss -Htln 2>/dev/null | awk '{ n = split($4, a, ":"); print a[n] }')
    while :; do
        port=$(awk -v s="$(od -An -N2 -tu2 /dev/urandom)" 'BEGIN { print 20000 + s % 40000 }')
        echo "$used" | grep -qx "$port" || { echo "$port"; return; }
    done
}

load_state() {
    [ -f "$state" ] || return 1
    . "$state"
    [ -n "${dir:-}" ] && [ -d "$dir" ]
}

is_running() {
    load_state && as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

print_url() {
    echo "postgresql://onions_admin:${password}@127.0.0.1:${port}/postgres"
}

start() {
    if is_running; then print_url; return; fi
    [ -f "$state" ] && stop >/dev/null 2>&1 || true
    bin=$(pg_bin)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/onions-pg.XXXXXX")
    password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    printf '%s\n' "$password" > "$dir/pwfile"
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || fail "no postgres user (install the postgresql package)"
        chown -R postgres: "$dir"
    fi
    chmod 700 "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U onions_admin --pwfile="$dir/pwfile" \
        --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
        > "$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; fail "initdb failed"; }
    rm -f "$dir/pwfile"
    attempt=0
    while :; do
        attempt=$((attempt + 1))
        port=$(free_port)
        if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir" \
            -o "-c log_statement=all -c log_parameter_max_length=-1" \
            -o "-c log_parameter_max_length_on_error=-1 -c fsync=off -c synchronous_commit=off" \
            -o "-c full_page_writes=off -c max_connections=100" \
            -o "-c shared_preload_libraries=auth_delay -c auth_delay.milliseconds=1000" \
            start > "$dir/pg_ctl.log" 2>&1; then
            break
        fi
        if [ "$attempt" -ge 5 ]; then
            cat "$dir/pg_ctl.log" "$dir/server.log" >&2 2>/dev/null || true
            rm -rf "$dir"
            fail "the server did not start"
        fi
    done
    umask 077
    printf 'dir=%s\nport=%s\npassword=%s\n' "$dir" "$port" "$password" > "$state"
    print_url
}

stop() {
    load_state || { rm -f "$state"; return 0; }
    as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    rm -f "$state"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) is_running || fail "no test server is running (run: $0 start)"; print_url ;;
    log) load_state || fail "no test server is running (run: $0 start)"; echo "$dir/server.log" ;;
    *) echo "usage: $0 start|stop|url|log" >&2; exit 2 ;;
esac
