#!/usr/bin/env python3
"""check-demo: does a generated demo tenant fill what the evaluation needs?

Reads the NDJSON tables written by `secpilot demo --out DIR` and reports:
  - row counts per table;
  - every (table, column) of required-columns.tsv filled (non-empty in some row);
  - every (table, column, operator, value) of required-values.tsv matched by some row,
    with the operator's KQL meaning (==, in, =~, in~, !=, has, has_any, contains,
    startswith, endswith, !startswith, !endswith, matches regex);
  - the fields inside dynamic and JSON columns listed in PROMPTS.md present.
The evaluation files are read from ../shared/eval by default (pass other paths with
--columns/--values/--prompts-md); the script says so and exits 2 when they are missing.
Exit status: 0 all present, 1 something missing, 2 bad input. Not part of `make test`.
"""
import argparse
import json
import os
import re
import sys

EMPTY = (None, "", [], {})


def die(msg):
    print(f"check-demo: {msg}", file=sys.stderr)
    sys.exit(2)


def read_tsv(path):
    if not os.path.isfile(path):
        die(f"{path} is missing (pass its path; it lives in the shared eval folder)")
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    return lines[1:]


def text(v):
    """A value as KQL's tostring() would show it."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)):
        return json.dumps(v, separators=(",", ":"))
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def has_term(hay, needle):
    """KQL `has`: case-insensitive, the needle bounded by non-alphanumerics."""
    h, n = hay.lower(), needle.lower()
    start = 0
    while True:
        i = h.find(n, start)
        if i < 0:
            return False
        left_ok = i == 0 or not h[i - 1].isalnum() or not n[0].isalnum()
        j = i + len(n)
        right_ok = j == len(h) or not h[j].isalnum() or not n[-1].isalnum()
        if left_ok and right_ok:
            return True
        start = i + 1


def unquote(v):
    if v.startswith('@"') and v.endswith('"'):
        return v[2:-1]
    if len(v) >= 2 and v[0] == v[-1] == '"':
        return v[1:-1]
    return v


def matches(op, cell, want):
    s = text(cell)
    if op in ("==", "in"):
        return s == want
    if op in ("=~", "in~"):
        return s.lower() == want.lower()
    if op == "!=":
        return s != "" and s != want
    if op in ("has", "has_any"):
        return has_term(s, want)
    if op == "contains":
        return want.lower() in s.lower()
    if op == "startswith":
        return s.lower().startswith(want.lower())
    if op == "endswith":
        return s.lower().endswith(want.lower())
    if op == "!startswith":
        return s != "" and not s.lower().startswith(want.lower())
    if op == "!endswith":
        return s != "" and not s.lower().endswith(want.lower())
    if op == "matches regex":
        return re.search(want, s) is not None
    raise ValueError(f"unknown operator {op}")


# --------------------------------------------------------- JSON sub-fields

def parse_prompts_md(path):
    """The 'Fields inside dynamic and JSON columns' list: {table: [(column, path)]}."""
    if not os.path.isfile(path):
        die(f"{path} is missing (pass its path; it lives in the shared eval folder)")
    lines = open(path, encoding="utf-8").read().splitlines()
    try:
        start = next(i for i, l in enumerate(lines) if l.startswith("Fields inside dynamic and JSON columns"))
    except StopIteration:
        die(f"{path}: no 'Fields inside dynamic and JSON columns' section")
    bullets = {}          # table -> [bullet text]
    table = None
    for l in lines[start + 1:]:
        if not l.strip():
            if bullets:
                break
            continue
        m = re.match(r"^- (\w+):\s*(.*)$", l)
        if m:
            table = m.group(1)
            bullets[table] = [m.group(2)] if m.group(2) else []
        elif re.match(r"^  - ", l) and table:
            bullets[table].append(l[4:])
        elif table and bullets[table]:
            bullets[table][-1] += " " + l.strip()
    return {t: [spec for b in bs for spec in specs_of(b)] for t, bs in bullets.items()}


def specs_of(bullet):
    """Turns one bullet into (column, path) specs."""
    specs = []
    root = None
    items = list(re.finditer(r"`([^`]+)`\s*(\(([^)]*)\))?", bullet))
    i = 0
    while i < len(items):
        name, paren = items[i].group(1).split(" ")[0], items[i].group(3) or ""
        if name.startswith("."):
            name = (root or "") + name
        col = re.split(r"[.\[]", name, 1)[0]
        root = col
        if "JSON string array" in paren:
            for sub in items[i + 1:]:
                specs.append((col, col + "[]." + sub.group(1)))
            break
        if "JSON string with" in paren:
            for key in re.findall(r"`([^`]+)`", items[i].group(0)[len(items[i].group(1)) + 2:]):
                specs.append((col, col + "." + key))
        elif "Name/Value" in paren:
            specs += [(col, col + "[].Name"), (col, col + "[].Value")]
        elif "JSON array string" in paren:
            specs.append((col, col + "[]"))
        else:
            specs.append((col, name))
        i += 1
    return specs


def walk(value, segs):
    """Yields the values at a path like ['Owner', 'assignedTo'] or ['Labels', '[]', 'labelName']."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            value = json.loads(value)
        except ValueError:
            pass
    if not segs:
        yield value
        return
    seg, rest = segs[0], segs[1:]
    if seg == "[]":
        if isinstance(value, list):
            for item in value:
                yield from walk(item, rest)
    elif re.fullmatch(r"\[\d+\]", seg):
        i = int(seg[1:-1])
        if isinstance(value, list) and len(value) > i:
            yield from walk(value[i], rest)
    elif isinstance(value, dict) and seg in value:
        yield from walk(value[seg], rest)


def split_path(p):
    segs = []
    for part in re.findall(r"[^.\[\]]+|\[\d*\]", p):
        segs.append("[]" if part == "[]" else part)
    return segs


# -------------------------------------------------------------------- main

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    shared = os.path.normpath(os.path.join(here, "..", "..", "shared", "eval"))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", required=True, help="directory written by `secpilot demo --out`")
    ap.add_argument("--columns", default=os.path.join(shared, "required-columns.tsv"))
    ap.add_argument("--values", default=os.path.join(shared, "required-values.tsv"))
    ap.add_argument("--prompts-md", default=os.path.join(shared, "PROMPTS.md"))
    ap.add_argument("--quiet", action="store_true", help="print only what is missing and the summary")
    args = ap.parse_args()
    if not os.path.isdir(args.dir):
        die(f"{args.dir} is not a directory")

    cols = read_tsv(args.columns)
    vals = read_tsv(args.values)
    subs = parse_prompts_md(args.prompts_md)

    need_cols = {}
    for t, c, *_ in cols:
        need_cols.setdefault(t, set()).add(c)
    need_vals = {}
    for t, c, op, v, *_ in vals:
        need_vals.setdefault(t, []).append((c, op, unquote(v)))
    need_subs = {t: [(c, p, split_path(p)) for c, p in specs] for t, specs in subs.items()}

    tables = sorted(set(need_cols) | set(need_vals) | set(need_subs) |
                    {f[:-6] for f in os.listdir(args.dir) if f.endswith(".jsonl")})
    counts, filled, hit, sub_hit = {}, {}, {}, {}
    for t in tables:
        path = os.path.join(args.dir, t + ".jsonl")
        counts[t] = 0
        if not os.path.isfile(path):
            continue
        wc = need_cols.get(t, set())
        wv = need_vals.get(t, [])
        ws = need_subs.get(t, [])
        pending_v = list(range(len(wv)))
        pending_s = list(range(len(ws)))
        with open(path, encoding="utf-8") as f:
            for line in f:
                counts[t] += 1
                if not (wc or pending_v or pending_s) and counts[t] > 1:
                    continue
                row = json.loads(line)
                for c in wc:
                    if row.get(c) not in EMPTY and text(row.get(c)) != "":
                        filled[(t, c)] = filled.get((t, c), 0) + 1
                if pending_v:
                    left = []
                    for i in pending_v:
                        c, op, v = wv[i]
                        if c in row and matches(op, row[c], v):
                            hit[(t, i)] = True
                        else:
                            left.append(i)
                    pending_v = left
                if pending_s:
                    left = []
                    for i in pending_s:
                        c, p, segs = ws[i]
                        if c in row and any(x not in EMPTY for x in walk(row, segs)):
                            sub_hit[(t, i)] = True
                        else:
                            left.append(i)
                    pending_s = left

    missing = 0
    print("== rows per table")
    for t in tables:
        print(f"  {t:36} {counts[t]:>10}")
    print("== required columns (filled rows)")
    for t in sorted(need_cols):
        for c in sorted(need_cols[t]):
            n = filled.get((t, c), 0)
            if n == 0:
                missing += 1
                print(f"  MISSING {t}.{c}")
            elif not args.quiet:
                print(f"  ok      {t}.{c} ({n})")
    print("== required values")
    for t in sorted(need_vals):
        for i, (c, op, v) in enumerate(need_vals[t]):
            if hit.get((t, i)):
                if not args.quiet:
                    print(f"  ok      {t}.{c} {op} {v}")
            else:
                missing += 1
                print(f"  MISSING {t}.{c} {op} {v}")
    print("== JSON sub-fields (PROMPTS.md)")
    for t in sorted(need_subs):
        for i, (c, p, _) in enumerate(need_subs[t]):
            if sub_hit.get((t, i)):
                if not args.quiet:
                    print(f"  ok      {t}: {p}")
            else:
                missing += 1
                print(f"  MISSING {t}: {p}")
    total_c = sum(len(v) for v in need_cols.values())
    total_v = sum(len(v) for v in need_vals.values())
    total_s = sum(len(v) for v in need_subs.values())
    print(f"== summary: {total_c} columns, {total_v} values, {total_s} sub-fields checked; "
          f"{sum(counts.values())} rows; {missing} missing")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
