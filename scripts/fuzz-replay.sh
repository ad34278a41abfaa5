#!/bin/sh
# Replays every fuzz target's corpus once (no new inputs): a regression check
# that each saved input still runs clean under ASan+UBSan.
set -eu
build=${1:-build-fuzz}
status=0
for bin in "$build"/fuzz/fuzz_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    dir="fuzz/corpus/${name#fuzz_}"
    [ -d "$dir" ] || { echo "fuzz: no corpus for $name ($dir)"; status=1; continue; }
    if "$bin" -runs=0 "$dir" >/tmp/fuzz-replay-$name.log 2>&1; then
        echo "fuzz: $name replayed $(ls "$dir" | wc -l) inputs"
    else
        echo "fuzz: $name FAILED on its corpus"; tail -30 /tmp/fuzz-replay-$name.log; status=1
    fi
done
exit $status
