-- bench/kql shape 3 for SQLite: rows per device.
-- count_ is the column name KQL gives count().
SELECT DeviceName, count(*) AS count_
FROM DeviceProcessEvents
GROUP BY DeviceName
