-- bench/kql shape 7 for DuckDB: the same inner equi-join (account = the name part of the
-- UPN), every matching pair counted, by sign-in country.
SELECT s.Location, count(*) AS count_
FROM DeviceProcessEvents d
JOIN (SELECT split_part(UserPrincipalName, '@', 1) AS AccountName, IPAddress, Location
      FROM SigninLogs
      WHERE TimeGenerated > TIMESTAMP '2024-06-24 00:00:00' AND ResultType <> '0') s
  ON d.AccountName = s.AccountName
WHERE d.Timestamp > TIMESTAMP '2024-06-24 00:00:00'
  AND lower(d.FileName) = 'powershell.exe'
GROUP BY s.Location
