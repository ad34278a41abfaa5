#!/usr/bin/env python3
# bench/kql: runs the 8 query shapes on secpilot, DuckDB and SQLite over the same
# generated data, interleaved, checks that the engines agree, and prints medians and ratios.
#
# Called by run.sh (which generates the data and loads DuckDB); usage:
#   bench.py --data DIR --out DIR --bin SECPILOT [--runs K] [--shapes 1,3] [--engines secpilot,duckdb,sqlite]
# Timing, per engine, is in-process query time on warm, persisted data:
#   secpilot  stats.elapsed_ms of `secpilot kql --json --repeat 2` (execution; compile is outside
#             it): one process per run executes the query twice and the second, warm execution is
#             the time (as DuckDB's process stays warm); the first, cold one (store blocks not yet
#             decoded in this process) is kept as cold_ms in results.json. Over a store (`--data`,
#             built once by `secpilot ingest`) when this build has one, else over the CSV files
#             loaded into memory first (`--table`);
#   DuckDB    a prepared statement executed and its result read, timed inside a node process
#             that stays up for the whole run (duckdb_bench.mjs serve);
#   SQLite    Debian's libsqlite3 through python3's sqlite3 module: a cached prepared statement
#             stepped to the end (fetchall), timed with perf_counter in this process.
# Rounds interleave the engines (their order rotates every round) so drift hits all three.
import argparse
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
NOW = "2024-07-01T00:00:00Z"  # ago() in the KQL queries counts back from here
ENGINES = ("secpilot", "duckdb", "sqlite")
SQLITE_TYPES = {"datetime": "TEXT", "string": "TEXT", "long": "INTEGER", "int": "INTEGER", "bool": "TEXT", "real": "REAL"}
# What a SQLite user would index for these queries: the time columns (time filters, top by
# time), FileName case-insensitively (=~), and the join key on the process side.
SQLITE_INDEXES = [
    "CREATE INDEX dpe_time ON DeviceProcessEvents(Timestamp)",
    "CREATE INDEX dpe_file ON DeviceProcessEvents(FileName COLLATE NOCASE)",
    "CREATE INDEX dpe_account ON DeviceProcessEvents(AccountName)",
    "CREATE INDEX si_time ON SigninLogs(TimeGenerated)",
]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def load_shapes(only):
    qdir = os.path.join(HERE, "queries")
    names = sorted({f.split(".")[0] for f in os.listdir(qdir) if f.endswith(".kql")}, key=lambda s: int(s.split("_")[0]))
    shapes = []
    for n in names:
        if only and n.split("_")[0] not in only:
            continue
        q = {}
        for eng, ext in (("secpilot", "kql"), ("duckdb", "duckdb.sql"), ("sqlite", "sqlite.sql")):
            with open(os.path.join(qdir, f"{n}.{ext}")) as f:
                q[eng] = f.read()
        alt = os.path.join(qdir, f"{n}.duckdb.alt.sql")
        if os.path.exists(alt):
            with open(alt) as f:
                q["duckdb_alt"] = f.read()
        q["kql_path"] = os.path.join(qdir, f"{n}.kql")
        shapes.append((n, q))
    return shapes


def tables_in(text):
    return [t for t in ("DeviceProcessEvents", "SigninLogs") if t in text]


# ------------------------------------------------------------------ secpilot
class Secpilot:
    name = "secpilot"

    def __init__(self, binary, data, out, mode):
        self.bin, self.data, self.out = binary, data, out
        self.store = os.path.join(out, "secpilot-store")
        self.mode = self.pick_mode(mode)
        log(f"secpilot: {self.mode} mode ({'a store in ' + self.store if self.mode == 'data' else 'CSV files loaded into memory per run'})")

    def run_kql(self, args, timeout=3600):
        return subprocess.run([self.bin, "kql", "--json", "--now", NOW] + args, capture_output=True, text=True,
                              timeout=timeout)

    def pick_mode(self, mode):
        if mode in ("auto", "data"):
            if self.ensure_store():
                p = self.run_kql(["--data", self.store, "-e", "DeviceProcessEvents | take 1 | project Timestamp"])
                if p.returncode == 0 and '"rows":[[' in p.stdout:
                    return "data"
                log(f"secpilot: the store in {self.store} does not answer queries here ({(p.stdout + p.stderr).strip()[:200]})")
            if mode == "data":
                sys.exit("bench: --secpilot-mode data, but this build cannot query a store")
        # Can this build read table files at all? Try the first lines of the data.
        probe = os.path.join(self.out, "probe.csv")
        with open(os.path.join(self.data, "DeviceProcessEvents.csv")) as src, open(probe, "w") as dst:
            for _ in range(3):
                dst.write(src.readline())
        p = self.run_kql(["--table", f"DeviceProcessEvents={probe}", "-e", "DeviceProcessEvents | take 1"])
        os.remove(probe)
        if p.returncode != 0:
            sys.exit("bench: this secpilot build cannot load --table files: "
                     f"{(p.stdout + p.stderr).strip()[:300]}\n"
                     "(merge main once the store's readers land, or run with --engines duckdb,sqlite)")
        return "table"

    def ensure_store(self):
        marker = os.path.join(self.store, ".bench-complete")
        if os.path.exists(marker):
            return True
        if subprocess.run([self.bin, "ingest", "--help"], capture_output=True).returncode != 0:
            log("secpilot: this build has no `secpilot ingest`; using --table")
            return False
        subprocess.run(["rm", "-rf", self.store])
        for t in ("DeviceProcessEvents", "SigninLogs"):
            t0 = time.time()
            p = subprocess.run([self.bin, "ingest", "--data", self.store, "--table", t,
                                os.path.join(self.data, f"{t}.csv")], capture_output=True, text=True)
            if p.returncode != 0:
                log(f"secpilot: ingest {t} failed: {(p.stdout + p.stderr).strip()[:400]}")
                return False
            log(f"secpilot: ingested {t} in {time.time() - t0:.1f} s: {p.stdout.strip().splitlines()[0] if p.stdout.strip() else ''}")
        open(marker, "w").close()
        return True

    def run(self, shape, q, want_result):
        if self.mode == "data":
            src = ["--data", self.store]
        else:
            src = []
            for t in tables_in(q["secpilot"]):
                src += ["--table", f"{t}={os.path.join(self.data, t + '.csv')}"]
        p = self.run_kql(src + ["--repeat", "2", "-f", q["kql_path"]])
        try:
            doc = json.loads(p.stdout)
        except ValueError:
            return {"error": f"exit {p.returncode}: {(p.stdout + p.stderr).strip()[:300]}"}
        if p.returncode != 0 or "stats" not in doc:
            return {"error": f"{doc.get('code', 'exit ' + str(p.returncode))}: {doc.get('message', p.stdout[:200])}"}
        r = {"ms": doc["stats"]["elapsed_ms"], "rows": len(doc["rows"]), "truncated": doc.get("truncated", False)}
        m = re.search(r"runs \(ms\): ([0-9.]+)", p.stderr)
        if m:
            r["cold_ms"] = float(m.group(1))
        if want_result:
            r["result"] = {"columns": [c["name"] for c in doc["columns"]], "rows": doc["rows"]}
        return r

    def close(self):
        pass


# -------------------------------------------------------------------- DuckDB
class DuckDB:
    name = "duckdb"

    def __init__(self, db):
        self.proc = subprocess.Popen(["node", os.path.join(HERE, "duckdb_bench.mjs"), "serve", db],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.n = 0

    def run(self, shape, q, want_result, key="duckdb"):
        self.n += 1
        self.proc.stdin.write(json.dumps({"id": str(self.n), "sql": q[key], "result": want_result}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            return {"error": "the DuckDB process ended"}
        r = json.loads(line)
        return r

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


# -------------------------------------------------------------------- SQLite
def sqlite_regexp(pattern, value, _cache={}):
    if value is None:
        return False
    rx = _cache.get(pattern)
    if rx is None:
        rx = _cache[pattern] = re.compile(pattern)
    return rx.search(value) is not None


def sqlite_prepare(db, data):
    """Imports the CSV files once with the sqlite3 CLI, typed tables, indexes, ANALYZE."""
    if os.path.exists(db + ".complete"):
        return
    for f in (db, db + "-journal", db + "-wal"):
        if os.path.exists(f):
            os.remove(f)
    with open(os.path.join(HERE, "schema.json")) as f:
        schema = {k: v for k, v in json.load(f).items() if not k.startswith("_")}
    script = ["PRAGMA journal_mode=OFF;", "PRAGMA synchronous=OFF;", "PRAGMA page_size=8192;"]
    for t, cols in schema.items():
        script.append(f"CREATE TABLE {t} ({', '.join(f'{n} {SQLITE_TYPES[ty]}' for n, ty in cols)});")
        script.append(f".import --csv --skip 1 {os.path.join(data, t + '.csv')} {t}")
    script += [s + ";" for s in SQLITE_INDEXES]
    script.append("ANALYZE;")
    t0 = time.time()
    p = subprocess.run(["sqlite3", "-bail", db], input="\n".join(script) + "\n", capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"bench: sqlite3 import failed: {p.stderr.strip()[:500]}")
    open(db + ".complete", "w").close()
    log(f"sqlite: imported and indexed in {time.time() - t0:.1f} s")


class SQLite:
    name = "sqlite"

    def __init__(self, db):
        self.con = sqlite3.connect(db, cached_statements=64)
        self.con.create_function("regexp", 2, sqlite_regexp, deterministic=True)
        # Warm, roomy settings a user running analytics would pick: a 4 GiB page cache,
        # the file memory-mapped, sorts and temporary b-trees in memory.
        for p in ("PRAGMA cache_size=-4194304", "PRAGMA mmap_size=34359738368", "PRAGMA temp_store=MEMORY",
                  "PRAGMA query_only=1"):
            self.con.execute(p)

    def run(self, shape, q, want_result):
        try:
            t0 = time.perf_counter()
            cur = self.con.execute(q["sqlite"])
            rows = cur.fetchall()
            ms = (time.perf_counter() - t0) * 1000
        except sqlite3.Error as e:
            return {"error": str(e)}
        r = {"ms": ms, "rows": len(rows)}
        if want_result:
            r["result"] = {"columns": [d[0] for d in cur.description], "rows": [list(x) for x in rows]}
        return r

    def close(self):
        self.con.close()


# --------------------------------------------------------------- agreement
TS = re.compile(r"^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:\.(\d+))?Z?$")


def norm(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (int, float)):
        return str(v)
    if v is None:
        return ""
    m = TS.match(v)
    if m:
        return f"{m.group(1)}T{m.group(2)}.{(m.group(3) or '').ljust(3, '0')[:3]}Z"
    return v


def compare(shape, results, ref_engine=None):
    """Compares the engines' results on the columns they share; returns a list of findings."""
    have = {e: r["result"] for e, r in results.items() if r.get("result") is not None}
    if len(have) < 2:
        return []
    common = None
    for res in have.values():
        cols = res["columns"]
        common = [c for c in (common or cols) if c in cols]
    notes = []
    tables = {}
    for e, res in have.items():
        idx = [res["columns"].index(c) for c in common]
        tables[e] = sorted(tuple(norm(row[i]) for i in idx) for row in res["rows"])
    if ref_engine not in tables:
        ref_engine = "duckdb" if "duckdb" in tables else next(iter(tables))
    ref = tables[ref_engine]
    approx = [i for i, c in enumerate(common) if c.startswith("dcount")]
    for e, t in tables.items():
        if e == ref_engine:
            continue
        if len(t) != len(ref):
            notes.append(f"{shape}: {e} returned {len(t)} rows, {ref_engine} {len(ref)}")
            continue
        if approx:  # dcount is approximate: compare keys exactly, counts within a tolerance
            keys = [i for i in range(len(common)) if i not in approx]
            off = []
            for a, b in zip(sorted(t), sorted(ref)):
                if [a[i] for i in keys] != [b[i] for i in keys]:
                    notes.append(f"{shape}: {e} and {ref_engine} group keys differ")
                    break
                for i in approx:
                    x, y = float(a[i]), float(b[i])
                    if x != y:
                        off.append(abs(x - y) / max(y, 1))
            if off:
                notes.append(f"{shape}: {e} dcount differs from {ref_engine} in {len(off)} of {len(t)} groups "
                             f"(max relative difference {max(off):.1%})")
            continue
        diff = [(a, b) for a, b in zip(t, ref) if a != b]
        if diff:
            a, b = diff[0]
            notes.append(f"{shape}: {e} differs from {ref_engine} in {len(diff)} of {len(t)} rows "
                         f"(columns {common}); first: {e} {list(a)[:6]} vs {list(b)[:6]}")
    return notes


# ------------------------------------------------------------------ report
def fmt_ms(x):
    if x is None:
        return "-"
    return f"{x:.1f}" if x < 1000 else f"{x:.0f}"


def fmt_ratio(a, b):
    if a is None or b is None or b == 0:
        return "-"
    return f"{a / b:.2f}"


def report(shapes, times, errors, engines, runs):
    med = {s: {e: (statistics.median(times[s][e]) if times[s][e] else None) for e in engines} for s, _ in shapes}
    lines = []
    hdr = f"{'shape':<22}" + "".join(f"{e + ' ms':>13}" for e in engines)
    if "secpilot" in engines:
        hdr += "".join(f"{'sp/' + e:>11}" for e in engines if e != "secpilot")
    lines.append(hdr)
    lines.append("-" * len(hdr))
    ratios = {e: [] for e in engines}
    for s, _ in shapes:
        row = f"{s:<22}"
        for e in engines:
            cell = fmt_ms(med[s][e]) if med[s][e] is not None else ("error" if errors[s].get(e) else "-")
            if med[s][e] is not None and len(times[s][e]) < runs:
                cell += f" (n={len(times[s][e])})"
            row += f"{cell:>13}"
        if "secpilot" in engines:
            for e in engines:
                if e == "secpilot":
                    continue
                row += f"{fmt_ratio(med[s]['secpilot'], med[s][e]):>11}"
                if med[s]["secpilot"] is not None and med[s][e]:
                    ratios[e].append(med[s]["secpilot"] / med[s][e])
        lines.append(row)
    lines.append("-" * len(hdr))
    row = f"{'median over shapes':<22}"
    for e in engines:
        vals = [med[s][e] for s, _ in shapes if med[s][e] is not None]
        row += f"{fmt_ms(statistics.median(vals)) if vals else '-':>13}"
    if "secpilot" in engines:
        for e in engines:
            if e != "secpilot":
                row += f"{(f'{statistics.median(ratios[e]):.2f}' if ratios[e] else '-'):>11}"
    lines.append(row)
    return "\n".join(lines), med


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", required=True, help="directory with DeviceProcessEvents.csv and SigninLogs.csv")
    ap.add_argument("--out", required=True, help="directory for the databases and results")
    ap.add_argument("--bin", required=True, help="the secpilot binary")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per shape and engine (after one warm-up)")
    ap.add_argument("--shapes", default="", help="comma-separated shape numbers (default: all)")
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--secpilot-mode", default="auto", choices=("auto", "data", "table"))
    ap.add_argument("--budget-s", type=float, default=240,
                    help="stop timing a shape on an engine once its runs have taken this long (at least 1 run)")
    ap.add_argument("--prepare-only", action="store_true", help="load the engines' databases, then exit")
    a = ap.parse_args()
    engines = [e for e in a.engines.split(",") if e]
    shapes = load_shapes(set(x for x in a.shapes.split(",") if x))
    os.makedirs(a.out, exist_ok=True)

    eng = {}
    if "sqlite" in engines:
        sqlite_prepare(os.path.join(a.out, "bench.sqlite"), a.data)
        eng["sqlite"] = SQLite(os.path.join(a.out, "bench.sqlite"))
    if "duckdb" in engines:
        eng["duckdb"] = DuckDB(os.path.join(a.out, "bench.duckdb"))
    if "secpilot" in engines:
        eng["secpilot"] = Secpilot(a.bin, a.data, a.out, a.secpilot_mode)
    if a.prepare_only:
        for e in eng.values():
            e.close()
        return 0

    times = {s: {e: [] for e in engines} for s, _ in shapes}
    spent = {s: {e: 0.0 for e in engines} for s, _ in shapes}
    errors = {s: {} for s, _ in shapes}
    rowcounts = {s: {} for s, _ in shapes}
    findings = []
    warm = {}
    alt_times, alt_notes, cold_times = {}, [], {}
    # Warm-up pass: every shape once on every engine, keeping the results to compare.
    for s, q in shapes:
        res = {}
        for e in engines:
            t0 = time.time()
            r = eng[e].run(s, q, True)
            spent[s][e] += time.time() - t0
            res[e] = r
            if "error" in r:
                errors[s][e] = r["error"]
                log(f"{s}: {e}: error: {r['error']}")
            else:
                rowcounts[s][e] = r["rows"]
                log(f"{s}: {e}: warm-up {r['ms']:.1f} ms, {r['rows']} rows")
        findings += compare(s, res)
        warm[s] = res
        with open(os.path.join(a.out, f"result-{s}.json"), "w") as f:
            json.dump({e: r.get("result") for e, r in res.items()}, f)
    # Timed rounds, the engines' order rotating.
    for k in range(a.runs):
        order = engines[k % len(engines):] + engines[:k % len(engines)]
        for s, q in shapes:
            for e in order:
                if e in errors[s] or (times[s][e] and spent[s][e] > a.budget_s):
                    continue
                t0 = time.time()
                r = eng[e].run(s, q, False)
                spent[s][e] += time.time() - t0
                if "error" in r:
                    errors[s][e] = r["error"]
                    log(f"{s}: {e}: error: {r['error']}")
                else:
                    times[s][e].append(r["ms"])
                    if "cold_ms" in r:
                        cold_times.setdefault(s, []).append(r["cold_ms"])
                if e == "duckdb" and "duckdb_alt" in q:
                    r = eng[e].run(s, q, k == 0, "duckdb_alt")
                    if "ms" in r:
                        alt_times.setdefault(s, []).append(r["ms"])
                    if k == 0 and r.get("result"):
                        alt_notes.extend(compare(s, {"duckdb (alternate query)": r, "sqlite": warm[s].get("sqlite", {})},
                                                 "sqlite"))
        log(f"round {k + 1}/{a.runs} done")
    for e in eng.values():
        e.close()

    table, med = report(shapes, times, errors, engines, a.runs)
    print(table)
    print()
    if "secpilot" in eng:
        print("secpilot ran over " + ("its store (--data, built by secpilot ingest)" if eng["secpilot"].mode == "data"
                                      else "the CSV files loaded into memory before each query (--table)")
              + "; its times are each process's second execution, the first (cold) being, in median ms: "
              + ", ".join(f"{s.split('_')[0]}: {fmt_ms(statistics.median(t))}" for s, t in cold_times.items()))
    print("rows returned: " + "; ".join(
        f"{s.split('_')[0]}: " + "/".join(str(rowcounts[s].get(e, '-')) for e in engines) for s, _ in shapes)
        + f" ({'/'.join(engines)})")
    for s, t in alt_times.items():
        m = statistics.median(t)
        sp = med[s].get("secpilot")
        print(f"alternate DuckDB query for {s} (queries/{s}.duckdb.alt.sql): median {fmt_ms(m)} ms"
              + (f", secpilot/that {sp / m:.2f}" if sp is not None and m else ""))
    findings += alt_notes
    if findings:
        print("\ndisagreements:")
        for f in findings:
            print("  " + f)
    else:
        print("results agree across engines (on their common columns; dcount within HLL error)")
    errs = [(s, e, m) for s in errors for e, m in errors[s].items()]
    if errs:
        print("\nerrors:")
        for s, e, m in errs:
            print(f"  {s}: {e}: {m}")
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump({"times_ms": times, "median_ms": med, "secpilot_cold_ms": cold_times, "errors": errors, "rows": rowcounts,
                   "disagreements": findings, "secpilot_mode": eng["secpilot"].mode if "secpilot" in eng else None},
                  f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
