// Loads an NDJSON file into a DuckDB database file with read_json and checkpoints
// it (durable), as bench/ingest/run.sh's peer measurement.
// usage: node duckdb_ingest.mjs ROWS.ndjson OUT.duckdb [THREADS]
import { DuckDBInstance } from '@duckdb/node-api';

const [input, dbPath, threads] = process.argv.slice(2);
if (!input || !dbPath) {
  console.error('usage: node duckdb_ingest.mjs ROWS.ndjson OUT.duckdb [THREADS]');
  process.exit(2);
}
const instance = await DuckDBInstance.create(dbPath, threads ? { threads: String(threads) } : {});
const con = await instance.connect();
const q = input.replace(/'/g, "''");
await con.run(`CREATE TABLE DeviceProcessEvents AS SELECT * FROM read_json('${q}', format = 'newline_delimited')`);
await con.run('CHECKPOINT');
const r = await con.runAndReadAll('SELECT count(*) FROM DeviceProcessEvents');
console.error(`duckdb: ${r.getRows()[0][0]} rows`);
con.closeSync?.();
