-- bench/kql shape 5 for DuckDB: bin(Timestamp, 1h) as date_trunc('hour', ...),
-- the same bucket for timestamps since 1970.
SELECT date_trunc('hour', Timestamp) AS Timestamp, count(*) AS count_
FROM DeviceProcessEvents
GROUP BY 1
