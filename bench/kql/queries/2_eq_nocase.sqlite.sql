-- bench/kql shape 2 for SQLite: =~ as = ... COLLATE NOCASE, which can use the index on
-- FileName COLLATE NOCASE that bench.py creates.
SELECT Timestamp, DeviceName, AccountName, ProcessCommandLine
FROM DeviceProcessEvents
WHERE FileName = 'CertUtil.exe' COLLATE NOCASE
