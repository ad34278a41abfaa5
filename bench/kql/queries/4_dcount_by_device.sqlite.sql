-- bench/kql shape 4 for SQLite: it has no approximate distinct count, so the exact one
-- (as DuckDB's query; KQL's dcount is HLL with ~1.6% error).
SELECT DeviceName, count(DISTINCT AccountName) AS dcount_AccountName
FROM DeviceProcessEvents
GROUP BY DeviceName
