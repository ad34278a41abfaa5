-- bench/kql shape 1 for DuckDB: KQL has = whole alphanumeric term, any case: a regex with
-- non-alphanumeric boundaries, behind a contains(lower()) prefilter (same rows; the fastest form tried).
SELECT Timestamp, DeviceName, AccountName, ProcessCommandLine
FROM DeviceProcessEvents
WHERE Timestamp > TIMESTAMP '2024-06-24 00:00:00'
  AND contains(lower(ProcessCommandLine), 'mimikatz')
  AND regexp_matches(ProcessCommandLine, '(^|[^0-9A-Za-z])mimikatz($|[^0-9A-Za-z])', 'i')
