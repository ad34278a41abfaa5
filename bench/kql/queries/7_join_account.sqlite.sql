-- bench/kql shape 7 for SQLite: the same inner equi-join (account = the name part of the
-- UPN), every matching pair counted, by sign-in country.
SELECT s.Location, count(*) AS count_
FROM DeviceProcessEvents d
JOIN (SELECT substr(UserPrincipalName, 1, instr(UserPrincipalName, '@') - 1) AS AccountName, IPAddress, Location
      FROM SigninLogs
      WHERE TimeGenerated > '2024-06-24T00:00:00.000Z' AND ResultType <> '0') s
  ON d.AccountName = s.AccountName
WHERE d.Timestamp > '2024-06-24T00:00:00.000Z'
  AND d.FileName = 'powershell.exe' COLLATE NOCASE
GROUP BY s.Location
