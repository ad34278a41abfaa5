#!/bin/sh
# Installs the Debian packages secpilot's build, tests and benchmarks need.
# Checks first and installs only what is missing, so running it again is cheap.
set -eu

PKGS="build-essential cmake pkg-config clang libclang-rt-14-dev
libjansson-dev libpcre2-dev libzstd-dev zlib1g-dev libssl-dev
libsqlite3-dev sqlite3 python3 tzdata"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -n "$missing" ]; then
    echo "deps: installing$missing"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq || true
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq $missing
fi
