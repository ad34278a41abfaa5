-- bench/kql shape 6 for SQLite: top 10 by Timestamp desc.
-- (The index on Timestamp answers it.)
SELECT *
FROM DeviceProcessEvents
ORDER BY Timestamp DESC
LIMIT 10
