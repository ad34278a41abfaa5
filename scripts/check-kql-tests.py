#!/usr/bin/env python3
"""Checks the KQL golden test files (tests/kql/*.test) against the format of
docs/kql-tests.md, without running the engine.

Reports, per file and case: unknown or misplaced sections, bad JSON rows, rows
whose width differs from their column list, values that do not fit their
column's type, duplicate case names, cases without a query or without an
expectation, and error lines that do not parse. Prints per-file and total case
counts; exits 1 when anything is malformed.

Usage: scripts/check-kql-tests.py [FILE_OR_DIR ...]   (default: tests/kql)
"""
import json
import os
import re
import sys

TYPES = {"bool", "int", "long", "real", "decimal", "string", "datetime",
         "timespan", "guid", "dynamic"}
# Spellings KQL accepts in declarations (datatable, let parameters, tables).
TYPE_ALIASES = {"boolean": "bool", "double": "real", "date": "datetime",
                "time": "timespan", "uniqueid": "guid"}
ERROR_KINDS = {"syntax", "semantic", "runtime", "limit"}

RE_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
RE_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
RE_POS = re.compile(r"^([1-9][0-9]*):([1-9][0-9]*)$")
RE_TABLE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\((.*)\)$")
# ISO 8601 UTC, seconds always present, fraction only when non-zero.
RE_DATETIME = re.compile(
    r"^-?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{0,6}[1-9])?Z$")
# [-][d.]hh:mm:ss[.fffffff] with exactly 7 fraction digits when present.
RE_TIMESPAN = re.compile(r"^-?(\d+\.)?\d{2}:\d{2}:\d{2}(\.\d{7})?$")
RE_GUID = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SPECIAL_REALS = {"NaN", "Infinity", "-Infinity"}


class Case:
    def __init__(self, name, line):
        self.name = name
        self.line = line
        self.tables = []        # (name, [(col, type)], [rows])
        self.query = None       # list of lines
        self.columns = None     # [(name, type)]
        self.rows = None        # list of (lineno, row)
        self.unordered = False
        self.error = None       # (kind, code, pos)
        self.hint = None
        self.sections = []      # section names in order


class Checker:
    def __init__(self):
        self.problems = []

    def bad(self, path, line, msg):
        self.problems.append("%s:%d: %s" % (path, line, msg))

    # ---------------------------------------------------------------- values
    def check_value(self, path, line, typ, v, where):
        if v is None:
            if typ == "string":
                self.bad(path, line, "%s: null in a string column (KQL strings "
                         "are never null; use \"\")" % where)
            return
        ok = True
        if typ == "bool":
            ok = isinstance(v, bool)
        elif typ in ("int", "long"):
            ok = isinstance(v, int) and not isinstance(v, bool)
            if ok and typ == "int" and not -2**31 <= v < 2**31:
                ok = False
            if ok and typ == "long" and not -2**63 <= v < 2**63:
                ok = False
        elif typ in ("real", "decimal"):
            ok = (isinstance(v, (int, float)) and not isinstance(v, bool)) \
                or v in SPECIAL_REALS
        elif typ == "string":
            ok = isinstance(v, str)
        elif typ == "datetime":
            ok = isinstance(v, str) and bool(RE_DATETIME.match(v))
        elif typ == "timespan":
            ok = isinstance(v, str) and bool(RE_TIMESPAN.match(v))
            if ok and "." in v.split(":")[-1] and v.endswith("0000000"):
                ok = False  # a zero fraction is written without digits
        elif typ == "guid":
            ok = isinstance(v, str) and bool(RE_GUID.match(v))
        elif typ == "dynamic":
            ok = True
        if not ok:
            self.bad(path, line, "%s: %s is not a valid %s value"
                     % (where, json.dumps(v), typ))

    def parse_row(self, path, line, text, cols, where):
        try:
            row = json.loads(text)
        except ValueError as e:
            self.bad(path, line, "%s: bad JSON row: %s" % (where, e))
            return None
        if not isinstance(row, list):
            self.bad(path, line, "%s: a row must be a JSON array" % where)
            return None
        if cols is not None:
            if len(row) != len(cols):
                self.bad(path, line, "%s: row has %d values, %d columns"
                         % (where, len(row), len(cols)))
                return row
            for (cname, ctype), v in zip(cols, row):
                self.check_value(path, line, ctype, v,
                                 "%s column %s" % (where, cname))
        return row

    def parse_coldefs(self, path, line, text, canonical):
        """'a:long, b:string' -> [(a, long), (b, string)] or None."""
        cols = []
        if not text.strip():
            self.bad(path, line, "empty column list")
            return None
        for part in split_top(text):
            part = part.strip()
            if ":" not in part:
                self.bad(path, line, "column %r has no ':type'" % part)
                return None
            name, typ = part.rsplit(":", 1)
            name, typ = name.strip(), typ.strip()
            if not name:
                self.bad(path, line, "column without a name in %r" % text)
                return None
            if typ not in TYPES:
                if not canonical and typ in TYPE_ALIASES:
                    typ = TYPE_ALIASES[typ]
                else:
                    self.bad(path, line, "column %s: unknown type %r%s"
                             % (name, typ, " (use the canonical name)"
                                if typ in TYPE_ALIASES else ""))
                    return None
            cols.append((name, typ))
        names = [c[0] for c in cols]
        if len(set(names)) != len(names):
            self.bad(path, line, "duplicate column names in %r" % text)
        return cols

    # ----------------------------------------------------------------- files
    def check_file(self, path):
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        cases = []
        names = {}
        case = None
        section = None          # current section kind
        cur_table = None
        n = len(lines)
        for i in range(n):
            ln = i + 1
            raw = lines[i]
            s = raw.rstrip("\r")
            if s.startswith("=== ") or s == "===":
                name = s[4:].strip()
                if not name:
                    self.bad(path, ln, "case without a name")
                    name = "<unnamed@%d>" % ln
                if name in names:
                    self.bad(path, ln, "duplicate case name %r (first at line %d)"
                             % (name, names[name]))
                names.setdefault(name, ln)
                case = Case(name, ln)
                cases.append(case)
                section = "start"
                cur_table = None
                continue
            if case is None:
                if s.strip() and not s.startswith("#"):
                    self.bad(path, ln, "text outside a case: %r" % s[:60])
                continue
            if s.startswith("---"):
                self.section_header(path, ln, s, case)
                section = case.sections[-1] if case.sections else None
                if section == "table":
                    cur_table = case.tables[-1] if case.tables else None
                continue
            # content lines
            if section == "start":
                if s.startswith("#") or not s.strip():
                    continue
                # a query right after '===' (no tables)
                case.sections.append("query")
                case.query = [s]
                section = "query"
                continue
            if section == "query":
                case.query.append(s)
            elif section == "table":
                if not s.strip() or cur_table is None:
                    continue
                cols = cur_table[1]
                row = self.parse_row(path, ln, s, cols,
                                     "table %s" % cur_table[0])
                if row is not None:
                    cur_table[2].append(row)
            elif section == "columns":
                if not s.strip():
                    continue
                if case.columns is not None:
                    self.bad(path, ln, "columns: one line only")
                    continue
                case.columns = self.parse_coldefs(path, ln, s, canonical=True) or []
            elif section == "rows":
                if not s.strip():
                    continue
                row = self.parse_row(path, ln, s, case.columns or None, "rows")
                if row is not None:
                    case.rows.append((ln, row))
            elif section in ("error", "hint"):
                if s.strip():
                    self.bad(path, ln, "unexpected text after --- %s: %r"
                             % (section, s[:60]))
            elif section is None:
                if s.strip():
                    self.bad(path, ln, "text after a bad section header")
        for c in cases:
            self.finish_case(path, c)
        return len(cases)

    def section_header(self, path, ln, s, case):
        body = s[3:].strip()
        word, _, rest = body.partition(" ")
        rest = rest.strip()
        seen = case.sections
        if word == "table":
            if "query" in seen or "columns" in seen or "rows" in seen \
                    or "error" in seen:
                self.bad(path, ln, "--- table must come before --- query")
            m = RE_TABLE.match(rest)
            if not m:
                self.bad(path, ln, "bad table header %r (want NAME(col:type, ...))"
                         % rest)
                seen.append(None)
                return
            cols = self.parse_coldefs(path, ln, m.group(2), canonical=False)
            if any(t[0] == m.group(1) for t in case.tables):
                self.bad(path, ln, "table %s declared twice" % m.group(1))
            case.tables.append((m.group(1), cols, []))
            seen.append("table")
        elif word == "query":
            if rest:
                self.bad(path, ln, "--- query takes no arguments")
            if "query" in seen:
                self.bad(path, ln, "second --- query")
            case.query = []
            seen.append("query")
        elif word == "columns":
            if rest:
                self.bad(path, ln, "--- columns: the list goes on the next line")
            if "query" not in seen:
                self.bad(path, ln, "--- columns before the query")
            if "rows" in seen or "error" in seen:
                self.bad(path, ln, "--- columns must come before --- rows")
            seen.append("columns")
        elif word == "rows":
            if rest not in ("", "unordered"):
                self.bad(path, ln, "--- rows takes only 'unordered', not %r" % rest)
            if "query" not in seen:
                self.bad(path, ln, "--- rows before the query")
            if "rows" in seen or "error" in seen:
                self.bad(path, ln, "a case has one --- rows or one --- error")
            case.rows = []
            case.unordered = rest == "unordered"
            seen.append("rows")
        elif word == "error":
            if "query" not in seen:
                self.bad(path, ln, "--- error before the query")
            if "rows" in seen or "error" in seen or "columns" in seen:
                self.bad(path, ln, "a case has either --- columns/rows or --- error")
            parts = rest.split()
            err = None
            if len(parts) not in (2, 3):
                self.bad(path, ln, "error line wants KIND CODE [LINE:COL]: %r" % rest)
            elif parts[0] not in ERROR_KINDS:
                self.bad(path, ln, "unknown error kind %r" % parts[0])
            elif not RE_CODE.match(parts[1]):
                self.bad(path, ln, "bad error code %r" % parts[1])
            elif len(parts) == 3 and not RE_POS.match(parts[2]):
                self.bad(path, ln, "bad error position %r (want LINE:COL)" % parts[2])
            else:
                pos = None
                if len(parts) == 3:
                    m = RE_POS.match(parts[2])
                    pos = (int(m.group(1)), int(m.group(2)))
                err = (parts[0], parts[1], pos)
            case.error = err or ("?", "?", None)
            seen.append("error")
        elif word == "hint":
            if seen[-1:] != ["error"]:
                self.bad(path, ln, "--- hint must follow --- error")
            if not rest:
                self.bad(path, ln, "--- hint needs TEXT")
            case.hint = rest
            seen.append("hint")
        else:
            self.bad(path, ln, "unknown section %r" % s)
            seen.append(None)

    def finish_case(self, path, c):
        where = "case %r" % c.name
        q = c.query
        if q is not None:
            while q and not q[-1].strip():
                q.pop()
        if not q:
            self.bad(path, c.line, "%s has no query" % where)
            return
        if c.rows is None and c.error is None:
            self.bad(path, c.line, "%s has neither --- rows nor --- error" % where)
        if c.columns is not None and c.rows is None:
            self.bad(path, c.line, "%s has --- columns but no --- rows" % where)
        if c.rows is not None and c.columns is None:
            widths = {len(r) for _, r in c.rows}
            if len(widths) > 1:
                self.bad(path, c.line, "%s: rows of different widths %s"
                         % (where, sorted(widths)))
        if c.error and c.error[2]:
            line, col = c.error[2]
            if line > len(q):
                self.bad(path, c.line, "%s: error line %d past the query's %d lines"
                         % (where, line, len(q)))
            elif col > len(q[line - 1]) + 1:
                self.bad(path, c.line, "%s: error column %d past the end of line %d"
                         % (where, col, line))


def split_top(text):
    """Splits on commas that are not inside parentheses or brackets."""
    out, depth, cur = [], 0, []
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def main(argv):
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    targets = argv[1:] or [os.path.join(root, "tests", "kql")]
    files = []
    for t in targets:
        if os.path.isdir(t):
            files += sorted(os.path.join(t, f) for f in os.listdir(t)
                            if f.endswith(".test"))
        else:
            files.append(t)
    if not files:
        print("no .test files found")
        return 1
    ck = Checker()
    total = 0
    for f in files:
        n = ck.check_file(f)
        total += n
        print("%-32s %4d cases" % (os.path.basename(f), n))
    print("%-32s %4d cases in %d files" % ("total", total, len(files)))
    if ck.problems:
        print("\n%d problem(s):" % len(ck.problems))
        for p in ck.problems:
            print("  " + p)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
