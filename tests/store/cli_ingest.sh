#!/bin/sh
# secpilot ingest and secpilot store through the real binary: counts per file,
# rejections with lines, exit statuses, --max-errors, --all-or-nothing, stdin,
# --create, the writer's lock, verify after damage, repair.
set -u
BIN=${1:?usage: cli_ingest.sh SECPILOT}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }
expect() { # description, expected status, command...
    d=$1; want=$2; shift 2
    "$@" >"$T/out" 2>&1
    got=$?
    if [ "$got" -eq "$want" ]; then ok "$d"; else bad "$d (status $got, want $want)"; cat "$T/out"; fi
}
has() { if grep -qE -- "$2" "$T/out"; then ok "$1"; else bad "$1: no '$2' in:"; cat "$T/out"; fi; }

printf '%s\n' '{"TimeGenerated":"2024-01-02T03:04:05Z","Computer":"a","EventID":4624}' \
    '{"TimeGenerated":"2024-01-02T03:04:06Z","Computer":"b","EventID":"x"}' \
    '{"TimeGenerated":"2024-01-02T03:04:07Z","Computer":"c","EventID":4625,"Colour":"red"}' >"$T/se.jsonl"
D=$T/data
expect "a rejected row fails the command" 2 "$BIN" ingest --data "$D" --table SecurityEvent "$T/se.jsonl"
has "counts per file" "3 rows read, 2 accepted, 1 rejected, 2 committed \(ndjson\)"
has "rejection with line and reason" "line 2: column EventID: 'x' is not an int"
has "unknown fields per name" "Colour=1"
expect "--max-errors 1 allows it" 0 "$BIN" ingest --data "$D" --table SecurityEvent --max-errors 1 "$T/se.jsonl"
expect "--all-or-nothing refuses the file" 2 "$BIN" ingest --data "$D" --table SecurityEvent --all-or-nothing "$T/se.jsonl"
has "nothing kept" "0 committed"
expect "stdin" 0 sh -c "head -1 '$T/se.jsonl' | '$BIN' ingest --data '$D' --table SecurityEvent -"
expect "info" 0 "$BIN" store info --data "$D"
has "rows in the table" "^SecurityEvent +5 "
printf 'user,n\nalice,1\nbob,2\n' >"$T/u.csv"
expect "--create" 0 "$BIN" ingest --data "$D" --table Users_CL --create "$T/u.csv"
expect "--create needs _CL" 1 "$BIN" ingest --data "$D" --table Users --create "$T/u.csv"
has "the reason" "end in _CL"
expect "unknown table" 1 "$BIN" ingest --data "$D" --table NoSuchTable "$T/u.csv"
expect "json report" 0 "$BIN" ingest --data "$D" --table Users_CL --json "$T/u.csv"
has "json counts" '"rows_committed":2'
expect "verify clean" 0 "$BIN" store verify --data "$D"
# a second writer is refused while the first holds the workspace
mkfifo "$T/fifo"
"$BIN" ingest --data "$D" --table SecurityEvent "$T/fifo" >/dev/null 2>&1 &
pid=$!
exec 3>"$T/fifo"
sleep 0.3
expect "second writer refused" 1 "$BIN" ingest --data "$D" --table SecurityEvent "$T/se.jsonl"
has "lock message" "open for writing by another process"
expect "readers still welcome" 0 "$BIN" store info --data "$D"
exec 3>&-
wait $pid
# damage a segment: verify names it, repair quarantines it
seg=$(find "$D/workspaces/default/tables/SecurityEvent" -name '*.seg' | head -1)
printf 'X' | dd of="$seg" bs=1 seek=40 conv=notrunc 2>/dev/null
expect "verify finds damage" 4 "$BIN" store verify --data "$D"
has "file named" "$seg"
expect "repair" 0 "$BIN" store repair --data "$D"
has "quarantined" "1 file moved to quarantine"
expect "verify after repair" 0 "$BIN" store verify --data "$D"
echo "$fail failed"
[ "$fail" -eq 0 ]
