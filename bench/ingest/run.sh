#!/bin/sh
# Ingestion speed: secpilot ingest (NDJSON, durable: WAL/segment fsync) beside
# DuckDB's read_json (into a database file, CHECKPOINT) and SQLite's .import
# (CSV of the same rows), in one run, with hyperfine; prints medians and ratios.
# usage: bench/ingest/run.sh [ROWS] [RUNS]     (after `make build`)
set -eu
ROWS=${1:-200000}
RUNS=${2:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BIN=${SECPILOT:-$ROOT/build/secpilot}
OUT=${OUT:-$ROOT/bench/out/ingest}
[ -x "$BIN" ] || { echo "bench: $BIN not built (make build)" >&2; exit 2; }
for t in hyperfine sqlite3 node npm cc python3; do
    command -v $t >/dev/null || { echo "bench: $t is missing (apt-get install hyperfine sqlite3 nodejs npm)" >&2; exit 2; }
done
[ -d "$HERE/node_modules/@duckdb/node-api" ] || (cd "$HERE" && npm install --no-audit --no-fund >/dev/null)
mkdir -p "$OUT"
cc -O2 -o "$OUT/gen" "$HERE/gen.c"
"$OUT/gen" "$ROWS" "$OUT/rows.ndjson" "$OUT/rows.csv"
NDJSON_BYTES=$(stat -c %s "$OUT/rows.ndjson")
CSV_BYTES=$(stat -c %s "$OUT/rows.csv")
echo "rows: $ROWS; NDJSON $NDJSON_BYTES bytes; CSV $CSV_BYTES bytes; $(nproc) cores"
cat "$OUT/rows.ndjson" "$OUT/rows.csv" >/dev/null   # warm the page cache for every contender
hyperfine --runs "$RUNS" --warmup 1 --export-json "$OUT/hyperfine.json" \
    --prepare "rm -rf '$OUT/sp' '$OUT/db.duckdb' '$OUT/db.duckdb.wal' '$OUT/db.sqlite' '$OUT/db.sqlite-journal'" \
    -n "secpilot ingest (NDJSON)" "'$BIN' ingest --data '$OUT/sp' --table DeviceProcessEvents '$OUT/rows.ndjson'" \
    -n "duckdb read_json, 1 thread" "node '$HERE/duckdb_ingest.mjs' '$OUT/rows.ndjson' '$OUT/db.duckdb' 1" \
    -n "duckdb read_json, all cores" "node '$HERE/duckdb_ingest.mjs' '$OUT/rows.ndjson' '$OUT/db.duckdb'" \
    -n "sqlite3 .import (CSV)" "sqlite3 '$OUT/db.sqlite' '.mode csv' '.import $OUT/rows.csv DeviceProcessEvents'"
python3 - "$OUT/hyperfine.json" "$ROWS" "$NDJSON_BYTES" "$CSV_BYTES" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
rows, nd, csv = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
base = basecpu = None
print("\n%-30s %9s %11s %11s %12s %10s %10s" % ("command", "median s", "wall MB/s", "cpu s", "cpu MB/s", "x (wall)", "x (cpu)"))
for r in res:
    med, cpu = r["median"], r["user"] + r["system"]
    size = csv if "sqlite" in r["command"] else nd
    rps, cps = rows / med, rows / cpu
    if base is None: base, basecpu = rps, cps
    print("%-30s %9.3f %11.1f %11.2f %12.1f %10.2f %10.2f" % (r["command"], med, size / med / 1e6, cpu, size / cpu / 1e6, base / rps, basecpu / cps))
print("\nwall MB/s = input bytes / median wall time; cpu MB/s = input bytes / mean user+system time")
print("(NDJSON bytes for secpilot and DuckDB, CSV bytes for SQLite). x = secpilot's rows/s over the")
print("contender's, same rows. Wall times include fsync and whatever else the machine is running.")
PY
