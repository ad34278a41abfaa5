#!/bin/sh
# bench/kql: secpilot's KQL engine beside DuckDB and SQLite on the same generated data, in one
# run: generates the tables if missing, loads each engine once, times the 8 shapes interleaved.
#
# usage: bench/kql/run.sh [--rows N] [--runs K] [--out DIR] [--shapes 1,2,...] [--engines LIST]
#                         [--secpilot-mode auto|data|table] [--budget-s S]
#   --rows N     DeviceProcessEvents rows (default 10000000); SigninLogs gets N/5
#   --runs K     timed runs per shape and engine, after one warm-up run (default 5)
#   --out DIR    where data, databases and results go (default bench/out/kql); each row
#                count has its own folder, reused while gen.c is unchanged
#   --prepare    generate and load only (no timing)
# Needs: a C compiler, python3, node and npm (for @duckdb/node-api), sqlite3; and secpilot
# built (`make build`; SECPILOT=path overrides build/secpilot).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ROWS=10000000
RUNS=5
OUT=$ROOT/bench/out/kql
EXTRA=""
while [ $# -gt 0 ]; do
    case "$1" in
    --rows) ROWS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --shapes | --engines | --secpilot-mode | --budget-s) EXTRA="$EXTRA $1 $2"; shift 2 ;;
    --prepare) EXTRA="$EXTRA --prepare-only"; shift ;;
    -h | --help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; exit 0 ;;
    *) echo "bench/kql: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
case "$ROWS" in '' | *[!0-9]*) echo "bench/kql: --rows needs a number" >&2; exit 2 ;; esac
case "$RUNS" in '' | *[!0-9]*) echo "bench/kql: --runs needs a number" >&2; exit 2 ;; esac

missing=""
for t in node npm sqlite3 python3 cc; do
    command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
done
if [ -n "$missing" ]; then
    echo "bench/kql: missing:$missing. Install them first, e.g. on Debian:" >&2
    echo "  apt-get install -y nodejs npm sqlite3 python3 build-essential" >&2
    exit 2
fi

BIN=${SECPILOT:-$ROOT/build/secpilot}
if [ ! -x "$BIN" ]; then
    echo "bench/kql: $BIN is not built; building it (make build)" >&2
    make -C "$ROOT" build >&2
fi

if [ ! -d "$HERE/node_modules/@duckdb/node-api" ]; then
    echo "bench/kql: installing @duckdb/node-api (npm ci)" >&2
    (cd "$HERE" && npm ci --no-audit --no-fund >&2) || {
        echo "bench/kql: npm ci failed in $HERE" >&2
        exit 2
    }
fi

DIR=$OUT/rows-$ROWS
DATA=$DIR/data
mkdir -p "$DATA"
cc -O2 -std=c11 -D_DEFAULT_SOURCE -o "$OUT/gen" "$HERE/gen.c" -lm
STAMP=$(cat "$HERE/gen.c" "$HERE/schema.json" | cksum | cut -d' ' -f1)
if [ "$(cat "$DATA/.stamp" 2>/dev/null)" != "$STAMP" ]; then
    echo "bench/kql: generating $ROWS rows into $DATA" >&2
    rm -rf "$DIR"/bench.duckdb* "$DIR"/bench.sqlite* "$DIR"/secpilot-store "$DATA"/*.csv "$DATA/.stamp"
    start=$(date +%s)
    "$OUT/gen" --rows "$ROWS" --out "$DATA"
    echo "bench/kql: generated in $(($(date +%s) - start)) s: $(du -sh "$DATA" | cut -f1)" >&2
    echo "$STAMP" >"$DATA/.stamp"
fi

if [ ! -f "$DIR/bench.duckdb.complete" ]; then
    rm -f "$DIR"/bench.duckdb "$DIR"/bench.duckdb.wal
    node "$HERE/duckdb_bench.mjs" load "$DIR/bench.duckdb" "$DATA"
    touch "$DIR/bench.duckdb.complete"
fi

echo "bench/kql: $(nproc) cores, $(free -g | awk '/^Mem/ {print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg);" \
    "$(date -u +%Y-%m-%dT%H:%MZ); $BIN (tree $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'))" >&2
# shellcheck disable=SC2086
{
    rc=0
    python3 "$HERE/bench.py" --data "$DATA" --out "$DIR" --bin "$BIN" --runs "$RUNS" $EXTRA || rc=$?
    echo "$rc" >"$DIR/.rc"
} | tee "$DIR/report.txt"
rc=$(cat "$DIR/.rc")
[ "$rc" = 0 ] && echo "bench/kql: report in $DIR/report.txt, raw times in $DIR/results.json" >&2
exit "$rc"
