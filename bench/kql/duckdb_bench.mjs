// bench/kql: the DuckDB side of the KQL benchmark — loads the generated CSV
// into a persisted database file once, then times queries warm, in-process.
//
//   node duckdb_bench.mjs load DB.duckdb DATADIR     create the tables from DATADIR/*.csv
//   node duckdb_bench.mjs serve DB.duckdb            answer requests, one JSON line each:
//       in:  {"id": "...", "sql": "...", "result": true|false}
//       out: {"id": "...", "ms": 12.3, "rows": 10, "result": {"columns": [...], "rows": [[...]]}}
// Each SQL text is prepared once (planning is outside the timing, as secpilot's
// stats.elapsed_ms excludes its compile); a timed run executes the prepared
// statement and reads every result chunk into memory.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const TYPES = { datetime: 'TIMESTAMP', string: 'VARCHAR', long: 'BIGINT', int: 'INTEGER', bool: 'BOOLEAN', real: 'DOUBLE' };

function sqlString(s) { return "'" + s.replaceAll("'", "''") + "'"; }

async function load(dbPath, dataDir) {
  const schema = JSON.parse(readFileSync(join(HERE, 'schema.json'), 'utf8'));
  const inst = await DuckDBInstance.create(dbPath);
  const con = await inst.connect();
  const t0 = performance.now();
  for (const [table, cols] of Object.entries(schema)) {
    if (table.startsWith('_')) continue;
    const spec = cols.map(([n, t]) => `${sqlString(n)}: ${sqlString(TYPES[t])}`).join(', ');
    const csv = join(dataDir, `${table}.csv`);
    await con.run(`DROP TABLE IF EXISTS ${table}`);
    await con.run(`CREATE TABLE ${table} AS SELECT * FROM read_csv(${sqlString(csv)}, header = true, ` +
                  `quote = '"', escape = '"', columns = {${spec}})`);
    const n = (await con.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0][0];
    process.stderr.write(`duckdb: ${table}: ${n} rows\n`);
  }
  await con.run('CHECKPOINT');
  process.stderr.write(`duckdb: loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  con.closeSync();
}

// JSON-safe cell: timestamps as ISO text, big integers as numbers.
function cell(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'object') return v.toString();
  return v;
}

async function serve(dbPath) {
  const inst = await DuckDBInstance.create(dbPath);
  const con = await inst.connect();
  const prepared = new Map();
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const req = JSON.parse(line);
    const out = { id: req.id };
    try {
      let stmt = prepared.get(req.sql);
      if (!stmt) {
        stmt = await con.prepare(req.sql);
        prepared.set(req.sql, stmt);
      }
      const t0 = performance.now();
      const reader = await stmt.runAndReadAll();
      out.ms = performance.now() - t0;
      out.rows = reader.currentRowCount;
      if (req.result) {
        out.result = { columns: reader.columnNames(), rows: reader.getRows().map((r) => r.map(cell)) };
      }
    } catch (e) {
      out.error = String(e && e.message ? e.message : e);
    }
    process.stdout.write(JSON.stringify(out) + '\n');
  }
  con.closeSync();
}

const [mode, db, dir] = process.argv.slice(2);
if (mode === 'load' && db && dir) await load(db, dir);
else if (mode === 'serve' && db) await serve(db);
else {
  process.stderr.write('usage: node duckdb_bench.mjs load DB DATADIR | serve DB\n');
  process.exit(2);
}
