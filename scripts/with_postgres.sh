#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server:
#
#   scripts/with_postgres.sh CMD [ARGS...]
#
# Starts a fresh cluster in a temp dir on 127.0.0.1 (a free port), creates the (non-superuser) role
# "calfdesk" and the database "calfdesk_test", exports
#   CALFDESK_TEST_PG_URL=postgresql+psycopg://calfdesk@127.0.0.1:<port>/calfdesk_test
#   CALFDESK_TEST_PG_CA=<temp dir>/tls/ca.crt
# runs CMD, then always stops the server and deletes the temp dir. Exits with CMD's status.
#
# TLS (RELIABILITY.md E4): the server offers TLS 1.2 or newer, with a certificate for 127.0.0.1 and
# localhost signed by a throwaway CA made here (CALFDESK_TEST_PG_CA), so a client can use
# sslmode=verify-full. Plain connections still work for every role except "calfdesk_tls", a
# second ordinary login role that the server accepts over TLS only.
#
# CALFDESK_TEST_PG_UNSAFE=1 starts the server with fsync and full_page_writes off and without data
# checksums: only for the tests of CalfDesk's durability warnings (RELIABILITY.md A7).
#
# If CALFDESK_TEST_PG_URL is already set, CMD simply runs against that server.
# A missing PostgreSQL is an error, never a silent skip.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

if [[ -n ${CALFDESK_TEST_PG_URL:-} ]]; then
    exec "$@"
fi

repo_root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)

say() { echo "with_postgres: $*" >&2; }
die() {
    echo "with_postgres: ERROR: $*" >&2
    exit 1
}

# --- Binaries: Debian keeps them per major version, off PATH. Take the highest major. ------------
shopt -s nullglob
bin_dirs=(/usr/lib/postgresql/*/bin)
shopt -u nullglob
pg_bin=
if ((${#bin_dirs[@]} > 0)); then
    pg_bin=$(printf '%s\n' "${bin_dirs[@]}" | sort -V | tail -n 1)
fi
for tool in initdb pg_ctl postgres pg_isready psql createdb; do
    [[ -n $pg_bin && -x $pg_bin/$tool ]] ||
        die "PostgreSQL server binaries not found (looked for /usr/lib/postgresql/*/bin/$tool)." \
            "Install them with: scripts/bootstrap.sh test   (or: apt-get install postgresql)"
done
command -v openssl >/dev/null ||
    die "openssl not found (it makes the test server's TLS certificates)." \
        "Install it with: scripts/bootstrap.sh test   (or: apt-get install openssl)"

unsafe=${CALFDESK_TEST_PG_UNSAFE:-0}
[[ $unsafe == 0 || $unsafe == 1 ]] || die "CALFDESK_TEST_PG_UNSAFE must be 0 or 1, not '$unsafe'"

# --- Who runs the server. initdb and postgres refuse to run as root. ------------------------------
pg_user=$(id -un)
if ((EUID == 0)); then
    pg_user=calfdesk-pg
    if ! id -u "$pg_user" >/dev/null 2>&1; then
        # "|| id": another with_postgres.sh may have created it in the meantime.
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$pg_user" ||
            id -u "$pg_user" >/dev/null ||
            die "could not create the system user $pg_user"
    fi
fi

# Run a server-side command as $pg_user. From / because the unprivileged user may not be allowed
# into the caller's working directory (initdb and pg_ctl fail if they cannot stat their cwd).
as_pg() {
    if ((EUID == 0)); then
        (cd / && runuser -u "$pg_user" -- "$@")
    else
        "$@"
    fi
}

# --- Temp dir: data, unix socket, log. -------------------------------------------------------------
# As root, use /tmp rather than $TMPDIR: a root-private TMPDIR would be unreachable for $pg_user.
if ((EUID == 0)); then tmp_base=/tmp; else tmp_base=${TMPDIR:-/tmp}; fi
tmp_dir=$(mktemp -d "$tmp_base/calfdesk-pg.XXXXXX")
data_dir=$tmp_dir/data
server_log=
server_pid= # our background child running postgres, once started

# shellcheck disable=SC2329 # invoked through the EXIT trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n $server_pid ]]; then
        # "immediate": no shutdown checkpoint; the data is thrown away anyway.
        if ! as_pg "$pg_bin/pg_ctl" -D "$data_dir" stop -m immediate -w -t 30 >/dev/null 2>&1; then
            local pid
            pid=$(head -n 1 "$data_dir/postmaster.pid" 2>/dev/null || true)
            if [[ $pid =~ ^[0-9]+$ ]]; then
                say "pg_ctl stop failed; killing postmaster $pid"
                kill -KILL "$pid" 2>/dev/null || true
            else
                # No pid file yet (interrupted during start-up): runuser passes TERM on to postgres.
                kill -TERM "$server_pid" 2>/dev/null || true
            fi
        fi
        # The server is our child: reap it, so that no trace of it outlives this script.
        # (Bounded, in case the postmaster never wrote its pid file.)
        local i
        for ((i = 0; i < 100; i++)); do
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$server_pid" 2>/dev/null; then
            say "WARNING: server process $server_pid did not stop"
        else
            wait "$server_pid" 2>/dev/null || true
        fi
    fi
    rm -rf -- "$tmp_dir"
    exit "$rc"
}
trap cleanup EXIT
# Signals before CMD runs: just exit (which runs cleanup). Replaced below while CMD runs.
trap 'exit 130' INT
trap 'exit 143' TERM

((EUID == 0)) && chown "$pg_user:" "$tmp_dir"

checksums=(--data-checksums)
durable=on # fsync and full_page_writes
if ((unsafe)); then
    checksums=()
    durable=off
fi
if ! as_pg "$pg_bin/initdb" -D "$data_dir" --username=postgres --auth=trust "${checksums[@]}" \
    --encoding=UTF8 --no-locale >"$tmp_dir/initdb.log" 2>&1; then
    cat "$tmp_dir/initdb.log" >&2
    die "initdb failed (output above)"
fi

# --- TLS: a throwaway CA and a server certificate it signs. EC P-256 keys: made in milliseconds. ---
# The CA's key is deleted once it has signed, so nothing here can vouch for another server.
tls_dir=$tmp_dir/tls
mkdir "$tls_dir"
make_certificates() {
    local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
    openssl req -x509 "${ec[@]}" -keyout "$tls_dir/ca.key" -out "$tls_dir/ca.crt" -days 7 \
        -subj "/CN=CalfDesk test CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" &&
        openssl req -new "${ec[@]}" -keyout "$tls_dir/server.key" -out "$tls_dir/server.csr" \
            -subj "/CN=localhost" &&
        printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" "basicConstraints=critical,CA:FALSE" \
            "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" >"$tls_dir/server.ext" &&
        openssl x509 -req -in "$tls_dir/server.csr" -CA "$tls_dir/ca.crt" -CAkey "$tls_dir/ca.key" \
            -CAcreateserial -CAserial "$tls_dir/ca.srl" -days 7 -extfile "$tls_dir/server.ext" \
            -out "$tls_dir/server.crt"
}
if ! make_certificates >"$tmp_dir/openssl.log" 2>&1; then
    cat "$tmp_dir/openssl.log" >&2
    die "openssl could not make the test certificates (output above)"
fi
rm -f -- "$tls_dir/ca.key" "$tls_dir/ca.srl" "$tls_dir/server.csr" "$tls_dir/server.ext"
# postgres refuses a key that others may read; as root, the key must belong to $pg_user.
chmod 600 "$tls_dir/server.key"
((EUID == 0)) && chown -R "$pg_user:" "$tls_dir"

# Only TCP from 127.0.0.1, without password. No "local" lines: unix-socket connections are refused
# (the socket lives in the private temp dir anyway; it is set there only to keep clear of
# /var/run/postgresql, which may not exist or belong to someone else).
# "hostnossl ... reject" first: calfdesk_tls must use TLS (the refusal is what the TLS tests look for).
cat >"$data_dir/pg_hba.conf" <<HBA
# TYPE     DATABASE  USER          ADDRESS        METHOD
hostnossl  all       calfdesk_tls  127.0.0.1/32   reject
host       all       all           127.0.0.1/32   trust
HBA

cat >>"$data_dir/postgresql.conf" <<CONF

# --- with_postgres.sh: TLS for clients that ask for it (plain connections stay allowed, see pg_hba) ---
ssl = on
ssl_cert_file = '$tls_dir/server.crt'
ssl_key_file = '$tls_dir/server.key'
ssl_min_protocol_version = 'TLSv1.2'
CONF

pick_port() {
    # The venv's interpreter starts faster than a pyenv shim; either will do.
    local py=python3
    [[ -x $repo_root/.venv/bin/python ]] && py=$repo_root/.venv/bin/python
    "$py" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# Start postgres as a background child of this script (not daemonised by pg_ctl), so cleanup can
# wait for it to be gone. setsid: Ctrl-C at the terminal goes to CMD only; the server is stopped
# here, after CMD has finished.
start_server() {
    if ((EUID == 0)); then
        (cd / && exec setsid runuser -u "$pg_user" -- "$pg_bin/postgres" -D "$data_dir")
    else
        (cd / && exec setsid "$pg_bin/postgres" -D "$data_dir")
    fi
}

# The port is free when picked but could be taken before postgres binds it: retry a few times.
# The 30 s readiness budget covers the whole start.
deadline=$((SECONDS + 30))
port=
ready=
for attempt in 1 2 3; do
    port=$(pick_port)
    # One log per attempt, so an old "could not bind" is not mistaken for the current failure.
    server_log=$tmp_dir/server-$attempt.log
    cat >>"$data_dir/postgresql.conf" <<CONF

# --- with_postgres.sh (attempt $attempt; the last value of a setting wins) ---
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$tmp_dir'
fsync = $durable
full_page_writes = $durable
CONF
    start_server </dev/null >"$server_log" 2>&1 &
    server_pid=$!

    while :; do
        if "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 1; then
            ready=1
            break
        fi
        if ! kill -0 "$server_pid" 2>/dev/null; then
            wait "$server_pid" 2>/dev/null || true
            server_pid=
            break
        fi
        if ((SECONDS >= deadline)); then
            cat "$server_log" >&2
            die "PostgreSQL on 127.0.0.1:$port not ready after 30 s (server log above)"
        fi
        sleep 0.1
    done
    [[ -n $ready ]] && break

    if grep -q 'could not bind' "$server_log" && ((attempt < 3)); then
        say "port $port was taken, retrying"
        continue
    fi
    cat "$server_log" >&2
    die "PostgreSQL exited during start-up (server log above)"
done

# Clients run as the caller (over TCP, trust); -X: ignore any ~/.psqlrc.
# Not a superuser, as in a clinic: privileges (the audit table's revoked UPDATE and DELETE) bind only
# ordinary roles. CREATEDB lets each test make (and drop) a database of its own.
"$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres \
    -c 'CREATE ROLE calfdesk LOGIN CREATEDB' -c 'CREATE ROLE calfdesk_tls LOGIN' >/dev/null ||
    die "could not create the roles calfdesk and calfdesk_tls"
"$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres -O calfdesk calfdesk_test ||
    die "could not create the database calfdesk_test"

export CALFDESK_TEST_PG_URL="postgresql+psycopg://calfdesk@127.0.0.1:$port/calfdesk_test"
export CALFDESK_TEST_PG_CA=$tls_dir/ca.crt
say "PostgreSQL $("$pg_bin/postgres" -V | awk '{print $3}') on 127.0.0.1:$port (data in $tmp_dir)"

# Run CMD in the background and wait for it, so that a TERM sent to this script (a CI timeout, say)
# is handled at once: it is passed on to CMD, and the server is still stopped afterwards. (A shell
# waiting on a foreground child would run the trap only after the child exits.)
# Two things undo what bash does to background jobs when job control is off: "<&0" keeps CMD's
# stdin (not /dev/null), and env --default-signal gives CMD back SIGINT and SIGQUIT, which bash
# would start it with ignored (Python then installs no KeyboardInterrupt handler: Ctrl-C would not
# stop pytest). INT is not forwarded: Ctrl-C at a terminal reaches CMD directly, as it is in our
# process group; this script just keeps waiting for it.
env --default-signal=INT,QUIT -- "$@" <&0 &
cmd_pid=$!
trap 'kill -TERM "$cmd_pid" 2>/dev/null || true' TERM
trap ':' INT
set +e
while :; do
    wait "$cmd_pid"
    cmd_rc=$?
    # wait returns early (status > 128) when a trapped signal arrives; CMD may still be running.
    kill -0 "$cmd_pid" 2>/dev/null || break
done
set -e
exit "$cmd_rc"
