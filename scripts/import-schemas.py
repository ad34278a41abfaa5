#!/usr/bin/env python3
"""Builds data/schemas/tables.json (column names and types of the Sentinel and
Defender tables) from the published schema facts in ../shared/schemas.

usage: scripts/import-schemas.py [--shared ../shared/schemas] [--out data/schemas/tables.json]

Types come from the merged tables.json; column order from a real export where
one exists (observed_column_order.tsv), else Defender advanced hunting's order
(defender-ah/), else TimeGenerated first and the rest alphabetical. Only names
and types are taken: descriptions are not shipped.
"""
import argparse, csv, json, os, sys

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(here, "..", "..", "shared", "schemas"))
    ap.add_argument("--out", default=os.path.join(here, "..", "data", "schemas", "tables.json"))
    a = ap.parse_args()
    src = os.path.join(a.shared, "tables.json")
    if not os.path.exists(src):
        sys.exit(f"import-schemas: no {src}")
    types = json.load(open(src))
    order = {}
    obs = os.path.join(a.shared, "observed_column_order.tsv")
    for r in csv.DictReader(open(obs), delimiter="\t"):
        order.setdefault(r["table"], []).append((int(r["ordinal"]), r["column"]))
    ah = os.path.join(a.shared, "defender-ah")
    for f in sorted(os.listdir(ah)):
        t = f[:-4]
        if t in order or not f.endswith(".tsv"):
            continue
        order[t] = [(int(r["ordinal"]), r["column"]) for r in csv.DictReader(open(os.path.join(ah, f)), delimiter="\t")]
    out = {}
    for t in sorted(types):
        cols = types[t]
        seq = [c for _, c in sorted(order.get(t, []))]
        seen = set()
        ordered = []
        for c in seq + (["TimeGenerated"] if "TimeGenerated" in cols else []) + sorted(cols):
            if c in cols and c not in seen:
                seen.add(c)
                ordered.append([c, cols[c]])
        out[t] = ordered
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        f.write("{\n")
        for i, t in enumerate(out):
            cols = ", ".join(json.dumps(c) for c in out[t])
            f.write(f'  {json.dumps(t)}: [{cols}]{"," if i + 1 < len(out) else ""}\n')
        f.write("}\n")
    print(f"import-schemas: {len(out)} tables, {sum(len(v) for v in out.values())} columns -> {a.out}")

if __name__ == "__main__":
    main()
