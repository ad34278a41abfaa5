-- bench/kql shape 8 for SQLite: with a lone max() aggregate, SQLite takes the bare
-- columns from the row that holds the max (documented behaviour), so one GROUP BY.
SELECT DeviceId, max(Timestamp) AS Timestamp, DeviceName, ActionType, FileName, FolderPath, SHA256, ProcessId,
       ProcessCommandLine, ProcessIntegrityLevel, AccountDomain, AccountName, InitiatingProcessFileName,
       InitiatingProcessId, InitiatingProcessCommandLine, ReportId
FROM DeviceProcessEvents
GROUP BY DeviceId
