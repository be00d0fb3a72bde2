# A throwaway PostgreSQL server for diffsync's tests; source this file (bash).
#
#   install_postgres   the distribution's 'postgresql' package, if no server is installed
#   start_postgres     initdb + start on a free 127.0.0.1 port in a temp folder; sets PG_URL
#                      (postgresql+psycopg://diffsync:...@127.0.0.1:PORT/diffsync_ci; the
#                      role may CREATE DATABASE, as the tests' per-test databases need)
#   stop_postgres      stop it and remove the folder (call it from a trap on EXIT)
#
# Used by .ci/run and scripts/test-postgres.sh.

pg_bindir() {  # the newest installed server's bin folder (Debian's layout, else PATH)
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [[ -n $d ]] || d=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
    [[ -x $d/initdb && -x $d/pg_ctl ]] && printf '%s\n' "$d"
}

install_postgres() {
    pg_bindir >/dev/null && return 0
    if [[ $(id -u) != 0 ]] || ! command -v apt-get >/dev/null; then
        echo "PostgreSQL is not installed and this is not root on a Debian-like machine:" \
             "install the 'postgresql' server package first" >&2
        return 1
    fi
    echo "installing PostgreSQL from the distribution's packages (apt-get install postgresql)"
    # No service manager here: keep the package's own cluster from being started.
    local policy=/usr/sbin/policy-rc.d had_policy=0
    [[ -e $policy ]] && had_policy=1
    if ((!had_policy)); then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; fi
    local rc=0
    { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
          postgresql >"${TMPDIR:-/tmp}/diffsync-apt.log" 2>&1; } || rc=$?
    ((had_policy)) || rm -f "$policy"
    if ((rc != 0)) || ! pg_bindir >/dev/null; then
        tail -n 20 "${TMPDIR:-/tmp}/diffsync-apt.log" >&2 2>/dev/null
        echo "could not install PostgreSQL from the distribution's packages" \
             "(apt-get exit $rc; no package mirror reachable?)" >&2
        return 1
    fi
}

PGTMP=""
PGBIN=""
as_pg() {  # the server refuses to run as root
    if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
stop_postgres() {
    if [[ -n $PGTMP && -f $PGTMP/data/postmaster.pid ]]; then
        as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null 2>&1 ||
            echo "warning: could not stop the PostgreSQL server in $PGTMP/data" >&2
    fi
    [[ -n $PGTMP ]] && rm -rf "$PGTMP"
    PGTMP=""
}
start_postgres() {  # sets PG_URL
    PGBIN=$(pg_bindir) || return 1
    PGTMP=$(mktemp -d "${TMPDIR:-/tmp}/diffsync-pg.XXXXXX") || return 1
    local port password
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
    printf '%s\n' "$password" >"$PGTMP/pw"
    [[ $(id -u) == 0 ]] && chown -R postgres: "$PGTMP"
    chmod 700 "$PGTMP"
    as_pg "$PGBIN/initdb" -D "$PGTMP/data" -U postgres --pwfile="$PGTMP/pw" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
        >"$PGTMP/initdb.log" 2>&1 || { cat "$PGTMP/initdb.log" >&2; return 1; }
    # Tuned for throwaway test data: nothing here needs to survive a crash.
    as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 start -o \
        "-p $port -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        >/dev/null || { tail -n 20 "$PGTMP/server.log" >&2; return 1; }
    # A role that may create the per-test databases, and a database of its own;
    # pg_signal_backend lets DROP DATABASE ... WITH (FORCE) end an autovacuum worker.
    as_pg psql -X -q -v ON_ERROR_STOP=1 -h "$PGTMP" -p "$port" -U postgres -d postgres \
        -c "CREATE ROLE diffsync LOGIN CREATEDB PASSWORD '$password'" \
        -c "GRANT pg_signal_backend TO diffsync" \
        -c "CREATE DATABASE diffsync_ci OWNER diffsync" || return 1
    PG_URL="postgresql+psycopg://diffsync:$password@127.0.0.1:$port/diffsync_ci"
    echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $PGTMP)"
}
