-- bench/kql shape 6 for DuckDB: top 10 by Timestamp desc.
-- (DuckDB plans ORDER BY ... LIMIT as a top-N.)
SELECT *
FROM DeviceProcessEvents
ORDER BY Timestamp DESC
LIMIT 10
