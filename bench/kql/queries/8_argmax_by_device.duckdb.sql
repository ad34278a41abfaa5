-- bench/kql shape 8 for DuckDB: per device, every column of its latest row. QUALIFY row_number()
-- (about 15x faster here than arg_max(COLUMNS(*), Timestamp) or arg_max over the row struct).
SELECT *
FROM DeviceProcessEvents
QUALIFY row_number() OVER (PARTITION BY DeviceId ORDER BY Timestamp DESC) = 1
