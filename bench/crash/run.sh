#!/bin/sh
# The long crash test: SIGKILLs an ingesting process at random moments (200
# times by default, or $1) and checks after each kill that every acknowledged
# batch is present exactly once and no batch is half visible.
# Usage: bench/crash/run.sh [KILLS] [SEED]   (after `make build`; MAX_MS=300: the
# longest a child runs before it is killed)
set -eu
BUILD=${BUILD:-build}
[ -x "$BUILD/tests/store_test_crash" ] || { echo "crash: build first (make build)" >&2; exit 2; }
exec env SP_CRASH_ITERS="${1:-200}" SP_CRASH_MAX_MS="${MAX_MS:-300}" ${2:+SP_CRASH_SEED=$2} "$BUILD/tests/store_test_crash"
