-- bench/kql shape 4, alternate for DuckDB: its HyperLogLog approx_count_distinct, the same kind of
-- algorithm as KQL's dcount but much coarser here; reported beside the table, not in it.
SELECT DeviceName, approx_count_distinct(AccountName) AS dcount_AccountName
FROM DeviceProcessEvents
GROUP BY DeviceName
