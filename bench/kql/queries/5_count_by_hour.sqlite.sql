-- bench/kql shape 5 for SQLite: timestamps are ISO 8601 text of fixed width, so the hour
-- is the first 13 characters (cheaper than strftime), printed back as a full timestamp.
SELECT substr(Timestamp, 1, 13) || ':00:00.000Z' AS Timestamp, count(*) AS count_
FROM DeviceProcessEvents
GROUP BY substr(Timestamp, 1, 13)
