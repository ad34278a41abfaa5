-- bench/kql shape 2 for DuckDB: =~ as lower(x) = lower(literal).
-- (ASCII data: lower() and Kusto's case folding agree.)
SELECT Timestamp, DeviceName, AccountName, ProcessCommandLine
FROM DeviceProcessEvents
WHERE lower(FileName) = 'certutil.exe'
