-- bench/kql shape 4 for DuckDB: exact count(DISTINCT); DuckDB's approx_count_distinct (timed as
-- the .alt variant) is off by up to ~25% on this data, far outside dcount's ~1.6% error.
SELECT DeviceName, count(DISTINCT AccountName) AS dcount_AccountName
FROM DeviceProcessEvents
GROUP BY DeviceName
