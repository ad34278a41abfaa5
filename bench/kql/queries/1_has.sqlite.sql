-- bench/kql shape 1 for SQLite: LIKE (ASCII case-insensitive) prefilter, then a REGEXP with
-- non-alphanumeric boundaries on lower() (bench.py defines REGEXP; it runs only on LIKE hits).
SELECT Timestamp, DeviceName, AccountName, ProcessCommandLine
FROM DeviceProcessEvents
WHERE Timestamp > '2024-06-24T00:00:00.000Z'
  AND ProcessCommandLine LIKE '%mimikatz%'
  AND lower(ProcessCommandLine) REGEXP '(^|[^0-9a-z])mimikatz($|[^0-9a-z])'
