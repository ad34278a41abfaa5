-- bench/kql shape 3 for DuckDB: rows per device.
-- count_ is the column name KQL gives count().
SELECT DeviceName, count(*) AS count_
FROM DeviceProcessEvents
GROUP BY DeviceName
