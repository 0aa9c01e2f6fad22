# shellcheck shell=bash
# Services the marked tests need: a real PostgreSQL on 127.0.0.1 and Debian's chromium (+ a CJK font).
#
# Sourced by .ci/run (so it must not `exit` or change shell options), idempotent, and fast when
# everything is already installed and running. Exports:
#   LUREWATCH_TEST_PG_URL   postgresql+psycopg://postgres@127.0.0.1:$PORT/lurewatch_test
#   LUREWATCH_CHROMIUM      /usr/bin/chromium
# Override the data folder or port with LUREWATCH_PG_DIR / LUREWATCH_PG_PORT.

_lw_services() {
    local need=() pkg
    for pkg in postgresql chromium fonts-noto-cjk; do
        dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
    done
    if [ "${#need[@]}" -gt 0 ]; then
        if [ "$(id -u)" -ne 0 ]; then
            echo "services: missing Debian packages ${need[*]} and not root; install them first" >&2
            return 1
        fi
        echo "services: installing ${need[*]}" >&2
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || return 1
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || return 1
    fi

    local bindir
    bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    if [ -z "$bindir" ]; then
        echo "services: no PostgreSQL binaries under /usr/lib/postgresql" >&2
        return 1
    fi
    local dir="${LUREWATCH_PG_DIR:-/var/tmp/lurewatch-pg}"
    local port="${LUREWATCH_PG_PORT:-54329}"
    # initdb refuses to run as root: run the server as the postgres user.
    local as=()
    if [ "$(id -u)" -eq 0 ]; then
        as=(runuser -u postgres --)
        mkdir -p "$dir" && chown postgres:postgres "$dir" && chmod 700 "$dir"
    else
        mkdir -p "$dir" && chmod 700 "$dir"
    fi
    if [ ! -f "$dir/PG_VERSION" ]; then
        "${as[@]}" "$bindir/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null || return 1
    fi
    if ! "${as[@]}" "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
        "${as[@]}" "$bindir/pg_ctl" -D "$dir" -w -t 60 -l "$dir/server.log" \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null || {
            tail -n 20 "$dir/server.log" >&2
            return 1
        }
    fi
    local exists
    exists="$("${as[@]}" "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname='lurewatch_test'")" || return 1
    if [ "$exists" != "1" ]; then
        "${as[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres lurewatch_test || return 1
    fi
    export LUREWATCH_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:${port}/lurewatch_test"
    export LUREWATCH_CHROMIUM=/usr/bin/chromium
    echo "services: PostgreSQL on 127.0.0.1:$port ($dir), chromium at $LUREWATCH_CHROMIUM" >&2
}

_lw_services
unset -f _lw_services
