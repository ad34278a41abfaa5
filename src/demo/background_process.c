/* Everyday process activity on workstations and servers: logon chains, office
 * apps, browsers, admin tools, updaters, monitoring scripts, Linux cron and shells. */
#include "demo_int.h"

#include <stdio.h>

static const char *const DOCS[] = {"Q3 forecast", "Budget 2025", "Team offsite agenda", "Contract draft",
                                   "Customer proposal", "Meeting notes", "Project plan", "Invoice summary",
                                   "Quarterly review", "Onboarding checklist"};

static int64_t at(demo_rng *r, int64_t begin, int64_t end) {
    return begin + (int64_t)(demo_rng_unit(r) * (double)(end - begin)) + demo_jitter_ms(r);
}

static void logon_chain(demo_ctx *c, demo_rng *r, int dev, int u, int64_t t, bool map_drives) {
    const demo_user *pu = &c->org.users[u];
    demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = u, .file = "userinit.exe",
                            .parent = "winlogon.exe", .grandparent = "smss.exe"});
    demo_proc(c, &(dm_proc){.t = t + 2 * DEMO_SEC, .dev = dev, .user = u, .file = "explorer.exe",
                            .cmd = "C:\\Windows\\Explorer.EXE", .parent = "userinit.exe",
                            .grandparent = "winlogon.exe"});
    demo_proc(c, &(dm_proc){.t = t + 5 * DEMO_SEC, .dev = dev, .user = u, .file = "OneDrive.exe",
                            .cmd = "\"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe\" /background"});
    demo_proc(c, &(dm_proc){.t = t + 9 * DEMO_SEC, .dev = dev, .user = u, .file = "ms-teams.exe",
                            .cmd = "\"ms-teams.exe\" msteams:system-initiated"});
    demo_proc(c, &(dm_proc){.t = t + 40 * DEMO_SEC, .dev = dev, .user = u, .file = "OUTLOOK.EXE",
                            .cmd = "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE\" "});
    demo_proc(c, &(dm_proc){.t = t + 55 * DEMO_SEC, .dev = dev, .user = u, .file = "msedge.exe",
                            .cmd = "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --profile-directory=Default"});
    if (map_drives) {
        demo_proc(c, &(dm_proc){.t = t + 6 * DEMO_SEC, .dev = dev, .user = u, .file = "cscript.exe",
                                .cmd = "cscript.exe //nologo \\\\corp.contoso.com\\NETLOGON\\map_drives.vbs",
                                .parent = "userinit.exe"});
        demo_proc(c, &(dm_proc){.t = t + 7 * DEMO_SEC, .dev = dev, .user = u, .file = "net.exe",
                                .cmd = demo_tmpf(c, "net.exe use H: \\\\srv-fs01\\home$\\%s /persistent:no", pu->sam),
                                .parent = "cscript.exe"});
    }
}

static void app_launch(demo_ctx *c, demo_rng *r, int dev, int u, int64_t t) {
    const demo_user *pu = &c->org.users[u];
    bool tech = pu->dept == 5 || pu->dept == 6 || pu->dept == 7 || pu->dept == 8;
    double x = demo_rng_unit(r);
    const char *doc = DEMO_PICK(r, DOCS);
    if (x < 0.16) {
        demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = u, .file = "msedge.exe",
                                .cmd = "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --type=renderer --lang=en-US",
                                .parent = "msedge.exe", .grandparent = "explorer.exe"});
    } else if (x < 0.24) {
        demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = u, .file = "chrome.exe",
                                .cmd = "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\""});
    } else if (x < 0.34) {
        demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = u, .file = "WINWORD.EXE",
                                .cmd = demo_tmpf(c, "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE\" /n \"C:\\Users\\%s\\OneDrive - Contoso\\Documents\\%s.docx\"", pu->sam, doc)});
        if (demo_rng_chance(r, 0.25)) /* printing goes through the spooler's 64-bit helper */
            demo_proc(c, &(dm_proc){.t = t + demo_rng_range(r, 120, 3000) * DEMO_SEC, .dev = dev, .user = u, .file = "splwow64.exe",
                                    .dir = "C:\\Windows", .cmd = "C:\\Windows\\splwow64.exe 12288", .parent = "WINWORD.EXE"});
    } else if (x < 0.44) {
        if (demo_rng_chance(r, 0.2)) /* a hyperlink in a workbook opens the browser */
            demo_proc(c, &(dm_proc){.t = t + demo_rng_range(r, 60, 1800) * DEMO_SEC, .dev = dev, .user = u, .file = "msedge.exe",
                                    .cmd = "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --single-argument https://contoso.sharepoint.com/sites/Finance/SitePages/Reports.aspx",
                                    .parent = "EXCEL.EXE"});
        demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = u, .file = "EXCEL.EXE",
                                .cmd = demo_tmpf(c, "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE\" \"C:\\Users\\%s\\OneDrive - Contoso\\Documents\\%s.xlsx\"", pu->sam, doc)});
    } else if (x < 0.49) {
        demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = u, .file = "POWERPNT.EXE",
                                .cmd = "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\POWERPNT.EXE\""});
        if (demo_rng_chance(r, 0.3)) /* a link in a slide opens the browser */
            demo_proc(c, &(dm_proc){.t = t + demo_rng_range(r, 60, 1800) * DEMO_SEC, .dev = dev, .user = u, .file = "msedge.exe",
                                    .cmd = "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --single-argument https://contoso.sharepoint.com/sites/Marketing/SitePages/Brand.aspx",
                                    .parent = "POWERPNT.EXE"});
    } else if (x < 0.55) {
        demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = u, .file = "AcroRd32.exe",
                                .cmd = demo_tmpf(c, "\"C:\\Program Files (x86)\\Adobe\\Acrobat Reader DC\\Reader\\AcroRd32.exe\" \"C:\\Users\\%s\\Downloads\\%s.pdf\"", pu->sam, doc)});
    } else if (x < 0.60) {
        demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = u, .file = "notepad.exe",
                                .cmd = "\"C:\\Windows\\system32\\notepad.exe\""});
    } else if (x < 0.64) {
        demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = u, .file = "Zoom.exe",
                                .cmd = "\"C:\\Users\\%USER%\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe\" --action=join"});
    } else if (x < 0.66) {
        demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = u, .file = "ONENOTE.EXE",
                                .cmd = "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\ONENOTE.EXE\""});
        demo_proc(c, &(dm_proc){.t = t + 2 * DEMO_SEC, .dev = dev, .user = u, .file = "ONENOTEM.EXE",
                                .cmd = "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\ONENOTEM.EXE\" /tsr",
                                .parent = "ONENOTE.EXE"});
    } else if (x < 0.76 && tech) {
        double y = demo_rng_unit(r);
        if (y < 0.3) {
            demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = u, .file = "powershell.exe",
                                    .cmd = "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" "});
        } else if (y < 0.45) {
            demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = u, .file = "pwsh.exe",
                                    .cmd = "\"C:\\Program Files\\PowerShell\\7\\pwsh.exe\" -NoLogo"});
        } else if (y < 0.6) {
            demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = u, .file = "cmd.exe",
                                    .cmd = "\"C:\\Windows\\system32\\cmd.exe\" "});
            static const char *const TROUBLESHOOT[][2] = {
                {"ipconfig.exe", "ipconfig  /all"}, {"ipconfig.exe", "ipconfig /flushdns"},
                {"systeminfo.exe", "systeminfo"}, {"nltest.exe", "nltest  /dsgetdc:corp.contoso.com"},
                {"whoami.exe", "whoami"}, {"ipconfig.exe", "ipconfig"}};
            size_t k = demo_rng_below(r, SP_ARRAY_LEN(TROUBLESHOOT));
            demo_proc(c, &(dm_proc){.t = t + 20 * DEMO_SEC, .dev = dev, .user = u, .file = TROUBLESHOOT[k][0],
                                    .cmd = TROUBLESHOOT[k][1], .parent = "cmd.exe"});
        } else if (y < 0.8) {
            demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = u, .file = "Code.exe",
                                    .cmd = "\"C:\\Users\\%USER%\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe\""});
            demo_proc(c, &(dm_proc){.t = t + 90 * DEMO_SEC, .dev = dev, .user = u, .file = "git.exe",
                                    .cmd = DEMO_PICK(r, ((const char *[]){"git.exe fetch --all", "git.exe pull", "git.exe status -z -uall"})),
                                    .parent = "Code.exe",
                                    .parent_dir = "C:\\Users\\%USER%\\AppData\\Local\\Programs\\Microsoft VS Code"});
        } else if (y < 0.9 && pu->dept == 7) {
            demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = u, .file = "mstsc.exe",
                                    .cmd = demo_tmpf(c, "\"C:\\Windows\\system32\\mstsc.exe\" /v:%s", c->org.devices[demo_rng_range(r, 0, 15)].name)});
        } else if (pu->dept == 7 || pu->dept == 8) {
            demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = u, .file = "certutil.exe",
                                    .cmd = demo_tmpf(c, "certutil.exe -hashfile C:\\Users\\%s\\Downloads\\%s SHA256", pu->sam,
                                                     DEMO_PICK(r, ((const char *[]){"npp.8.6.9.Installer.x64.exe", "putty-64bit-0.81-installer.msi", "wireshark-4.2.5-x64.exe"}))),
                                    .parent = "powershell.exe"});
        } else {
            demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = u, .file = "python.exe",
                                    .cmd = "python.exe -m pytest tests", .parent = "Code.exe",
                                    .parent_dir = "C:\\Users\\%USER%\\AppData\\Local\\Programs\\Microsoft VS Code"});
        }
    } else if (x < 0.80) {
        demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = -1, .file = "SearchProtocolHost.exe",
                                .cmd = "\"C:\\Windows\\system32\\SearchProtocolHost.exe\" Global\\UsGthrFltPipeMssGthrPipe_S-1-5-21 Global\\UsGthrCtrlFltPipeMssGthrPipe_S-1-5-21 1 -2147483646 \"Software\\Microsoft\\Windows Search\"",
                                .parent = "SearchIndexer.exe"});
    } else if (x < 0.84) {
        demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = -1, .file = "MpCmdRun.exe",
                                .cmd = "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MpCmdRun.exe\" -SignatureUpdate -MMPC",
                                .parent = "MsMpEng.exe"});
    } else if (x < 0.87) {
        demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = -1, .file = "AgentExecutor.exe",
                                .cmd = "\"C:\\Program Files (x86)\\Microsoft Intune Management Extension\\agentexecutor.exe\" -powershell \"C:\\Program Files (x86)\\Microsoft Intune Management Extension\\Policies\\Scripts\\0f1c6b2a_Set-TimeZone.ps1\" -executionPolicy bypass",
                                .parent = "Microsoft.Management.Services.IntuneWindowsAgent.exe"});
        demo_proc(c, &(dm_proc){.t = t + 2 * DEMO_SEC, .dev = dev, .user = -1, .file = "powershell.exe",
                                .cmd = "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" -NoProfile -executionPolicy bypass -file \"C:\\Program Files (x86)\\Microsoft Intune Management Extension\\Policies\\Scripts\\0f1c6b2a_Set-TimeZone.ps1\"",
                                .parent = "AgentExecutor.exe"});
    } else if (x < 0.90) {
        demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = -1, .file = "CompatTelRunner.exe",
                                .cmd = "C:\\Windows\\system32\\compattelrunner.exe -m:appraiser.dll -f:DoScheduledTelemetryRun",
                                .parent = "svchost.exe"});
    } else if (x < 0.93) {
        /* updaters run from Temp folders */
        bool sys = demo_rng_chance(r, 0.5);
        char guid[37];
        demo_guid(r, guid);
        demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = sys ? -1 : u,
                                .file = sys ? "MpSigStub.exe" : "GoogleUpdateSetup.exe",
                                .dir = sys ? demo_tmpf(c, "C:\\Windows\\Temp\\%s", guid)
                                           : "C:\\Users\\%USER%\\AppData\\Local\\Temp\\GUM7A3F.tmp",
                                .cmd = sys ? "MpSigStub.exe /stub 1.1.24090.11 /payload 1.421.200.0 /program C:\\Windows\\SoftwareDistribution\\Download\\Install\\AM_Delta_Patch_1.421.200.0.exe"
                                           : "GoogleUpdateSetup.exe /silent /install \"appguid={8A69D345-D564-463C-AFF1-A69D9E530F96}\"",
                                .parent = sys ? "wuauclt.exe" : "chrome.exe"});
    } else if (x < 0.95) {
        demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = -1, .file = "gpupdate.exe",
                                .cmd = "gpupdate.exe /target:computer", .parent = "svchost.exe"});
    } else if (x < 0.97) {
        demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = u, .file = "7z.exe",
                                .cmd = demo_tmpf(c, "\"C:\\Program Files\\7-Zip\\7z.exe\" x \"C:\\Users\\%s\\Downloads\\%s.zip\" -o\"C:\\Users\\%s\\Downloads\\%s\"", pu->sam, doc, pu->sam, doc)});
    } else {
        demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = -1, .file = "backgroundTaskHost.exe",
                                .cmd = "\"C:\\Windows\\system32\\backgroundTaskHost.exe\" -ServerName:BackgroundTaskHost.WebAccountProvider",
                                .parent = "svchost.exe"});
    }
}

static void mac_day(demo_ctx *c, demo_rng *r, int dev, int u, int64_t begin, int64_t end) {
    static const char *const APPS[][2] = {
        {"Microsoft Outlook", "/Applications/Microsoft Outlook.app/Contents/MacOS"},
        {"Microsoft Teams", "/Applications/Microsoft Teams.app/Contents/MacOS"},
        {"Google Chrome", "/Applications/Google Chrome.app/Contents/MacOS"},
        {"Safari", "/Applications/Safari.app/Contents/MacOS"},
        {"zsh", "/bin"},
        {"Slack", "/Applications/Slack.app/Contents/MacOS"},
        {"softwareupdated", "/System/Library/PrivateFrameworks/SoftwareUpdate.framework/Resources"},
        {"mdworker_shared", "/System/Library/Frameworks/CoreServices.framework/Frameworks/Metadata.framework/Versions/A/Support"},
    };
    int n = demo_rng_poisson(r, 8.0 * c->scale);
    for (int k = 0; k < n; k++) {
        size_t i = demo_rng_below(r, SP_ARRAY_LEN(APPS));
        demo_proc(c, &(dm_proc){.t = at(r, begin, end), .dev = dev, .user = i >= 6 ? -1 : u,
                                .account = i >= 6 ? "root" : NULL, .file = APPS[i][0], .dir = APPS[i][1],
                                .cmd = APPS[i][0], .parent = "launchd", .parent_dir = "/sbin",
                                .signature = "Valid"});
    }
}

static void linux_day(demo_ctx *c, demo_rng *r, int dev, int64_t begin) {
    const demo_device *d = &c->org.devices[dev];
    int n = demo_rng_poisson(r, 18.0 * c->scale);
    for (int k = 0; k < n; k++) {
        int64_t t = begin + (int64_t)(demo_rng_unit(r) * (double)DEMO_DAY);
        double x = demo_rng_unit(r);
        if (x < 0.4) {
            demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = -1, .file = "bash",
                                    .cmd = "/bin/sh -c /usr/local/bin/healthcheck.sh", .parent = "cron",
                                    .grandparent = "systemd"});
            demo_proc(c, &(dm_proc){.t = t + DEMO_SEC, .dev = dev, .user = -1, .file = "curl",
                                    .cmd = "curl -fsS --max-time 5 http://127.0.0.1:8080/health",
                                    .parent = "bash", .grandparent = "cron"});
        } else if (x < 0.7) {
            demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = -1, .file = "python3",
                                    .cmd = !strcmp(d->role, "BuildServer") ? "python3 /opt/ci/runner.py --poll"
                                                                          : "python3 /opt/app/jobs/rotate_logs.py",
                                    .parent = "cron", .grandparent = "systemd"});
        } else if (x < 0.85) {
            demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = -1, .file = "apt-get",
                                    .cmd = "apt-get -qq update", .parent = "bash", .grandparent = "cron"});
        } else {
            demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = -1, .account = "svc-deploy", .file = "sudo",
                                    .cmd = "sudo systemctl restart app.service", .parent = "bash",
                                    .grandparent = "sshd"});
        }
    }
}

static void server_day(demo_ctx *c, demo_rng *r, int dev, int d, int64_t begin) {
    const demo_org *o = &c->org;
    const demo_device *dv = &o->devices[dev];
    int n = demo_rng_poisson(r, 14.0 * c->scale);
    for (int k = 0; k < n; k++) {
        int64_t t = begin + (int64_t)(demo_rng_unit(r) * (double)DEMO_DAY) + demo_jitter_ms(r);
        double x = demo_rng_unit(r);
        if (x < 0.35) {
            demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = -1, .file = "svchost.exe",
                                    .cmd = DEMO_PICK(r, ((const char *[]){"C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule",
                                                                          "C:\\Windows\\System32\\svchost.exe -k LocalServiceNetworkRestricted -p",
                                                                          "C:\\Windows\\system32\\svchost.exe -k wsappx -p -s ClipSVC"})),
                                    .parent = "services.exe"});
        } else if (x < 0.5) {
            demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = -1, .account = "network service",
                                    .file = "WmiPrvSE.exe", .cmd = "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding",
                                    .parent = "svchost.exe"});
        } else if (x < 0.62) {
            demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = -1, .file = "MpCmdRun.exe",
                                    .cmd = "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MpCmdRun.exe\" -SignatureUpdate -MMPC",
                                    .parent = "MsMpEng.exe"});
        } else if (x < 0.75) {
            demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = -1, .file = "HealthService.exe",
                                    .cmd = "\"C:\\Program Files\\Microsoft Monitoring Agent\\Agent\\HealthService.exe\"",
                                    .parent = "services.exe"});
        } else if (x < 0.85) {
            demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = -1, .file = "conhost.exe",
                                    .cmd = "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1",
                                    .parent = "cmd.exe"});
        } else {
            demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = -1, .file = "taskhostw.exe",
                                    .cmd = "taskhostw.exe", .parent = "svchost.exe"});
        }
    }
    /* The role's own processes. */
    if (dv->role && !strcmp(dv->role, "DatabaseServer"))
        demo_proc(c, &(dm_proc){.t = begin + 3 * DEMO_HOUR, .dev = dev, .user = o->svc_sql, .file = "sqlservr.exe",
                                .cmd = "\"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe\" -sMSSQLSERVER",
                                .parent = "services.exe"});
    if (dv->role && !strcmp(dv->role, "BackupServer")) {
        demo_proc(c, &(dm_proc){.t = begin + 22 * DEMO_HOUR, .dev = dev, .user = o->svc_backup, .file = "BackupAgent.exe",
                                .cmd = "\"C:\\Program Files\\Contoso\\SecureSync\\BackupAgent.exe\" --job nightly --encrypt",
                                .parent = "services.exe"});
    }
    /* Monitoring runs its checks as encoded PowerShell on two servers. */
    if (dev == o->sql1 || dev == o->exch1) {
        const char *script = dev == o->sql1
            ? "Get-Service MSSQLSERVER,SQLSERVERAGENT | Select-Object Name,Status | ConvertTo-Json -Compress"
            : "Get-ExchangeServer | Test-ServiceHealth | ConvertTo-Json -Compress";
        demo_proc(c, &(dm_proc){.t = begin + 6 * DEMO_HOUR + 5 * DEMO_MIN, .dev = dev, .user = -1,
                                .file = "powershell.exe",
                                .cmd = demo_tmpf(c, "powershell.exe -NoLogo -NonInteractive -NoProfile -EncodedCommand %s", demo_ps_encode(c, script)),
                                .parent = "HealthService.exe"});
    }
    /* Patch Tuesday week: the servicing stack replaces system DLLs. */
    int wd = sp_weekday(demo_day_start(c, d));
    if (wd == 3 && demo_rng_chance(r, 0.6)) {
        int64_t t = begin + 3 * DEMO_HOUR + demo_rng_range(r, 0, 3600) * DEMO_SEC;
        demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = -1, .file = "TiWorker.exe",
                                .cmd = "C:\\Windows\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.17763.6292_none_7b3e3b6b9c1c6a1d\\TiWorker.exe -Embedding",
                                .parent = "svchost.exe"});
    }
    /* An administrator's working session on the server. */
    if (demo_rng_chance(r, dv->os == OS_LINUX ? 0.0 : 0.35)) {
        int a = o->admins[demo_rng_below(r, (uint32_t)o->nadmins)];
        int64_t t = begin + (int64_t)((0.58 + demo_rng_unit(r) * 0.3) * (double)DEMO_DAY);
        demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = a, .file = "explorer.exe",
                                .cmd = "C:\\Windows\\Explorer.EXE", .parent = "userinit.exe",
                                .grandparent = "winlogon.exe", .integrity = "High"});
        demo_proc(c, &(dm_proc){.t = t + 40 * DEMO_SEC, .dev = dev, .user = a, .file = "mmc.exe",
                                .cmd = DEMO_PICK(r, ((const char *[]){"\"C:\\Windows\\system32\\mmc.exe\" \"C:\\Windows\\system32\\eventvwr.msc\" /s",
                                                                      "\"C:\\Windows\\system32\\mmc.exe\" \"C:\\Windows\\system32\\services.msc\"",
                                                                      "\"C:\\Windows\\system32\\mmc.exe\" \"C:\\Windows\\system32\\dsa.msc\""})),
                                .integrity = "High"});
        demo_proc(c, &(dm_proc){.t = t + 4 * DEMO_MIN, .dev = dev, .user = a, .file = "powershell.exe",
                                .cmd = DEMO_PICK(r, ((const char *[]){"\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" ",
                                                                      "powershell.exe -ExecutionPolicy Bypass -File C:\\Scripts\\Get-DiskReport.ps1",
                                                                      "powershell.exe -Command \"Get-WindowsUpdateLog\""})),
                                .integrity = "High"});
        if (demo_rng_chance(r, 0.3)) {
            demo_proc(c, &(dm_proc){.t = t + 6 * DEMO_MIN, .dev = dev, .user = a, .file = "cmd.exe",
                                    .cmd = "\"C:\\Windows\\system32\\cmd.exe\" ", .integrity = "High"});
            demo_proc(c, &(dm_proc){.t = t + 7 * DEMO_MIN, .dev = dev, .user = a, .file = "whoami.exe",
                                    .cmd = "whoami  /groups", .parent = "cmd.exe", .integrity = "High"});
            demo_proc(c, &(dm_proc){.t = t + 8 * DEMO_MIN, .dev = dev, .user = a, .file = "gpupdate.exe",
                                    .cmd = "gpupdate  /force", .parent = "cmd.exe", .integrity = "High"});
        }
    }
}

void demo_bg_process(demo_ctx *c) {
    const demo_org *o = &c->org;
    for (int d = 0; d <= c->days; d++) {
        demo_rng r;
        demo_rng_seed(&r, c->opt.seed, "process", (uint64_t)d);
        for (int dev = 0; dev < o->ndevices; dev++) {
            int64_t begin, end;
            int u;
            if (!demo_device_day(c, dev, d, &begin, &end, &u)) continue;
            const demo_device *dv = &o->devices[dev];
            if (dv->os == OS_LINUX) {
                linux_day(c, &r, dev, begin);
                continue;
            }
            if (dv->kind == DEV_SERVER) {
                server_day(c, &r, dev, d, begin);
                continue;
            }
            if (dv->os == OS_MAC) {
                mac_day(c, &r, dev, u, begin, end);
                continue;
            }
            bool maps = (sp_hash_u64((uint64_t)dev * 17 + 5) % 10) < 3;
            logon_chain(c, &r, dev, u, begin, maps);
            int n = demo_rng_poisson(&r, 7.0 * o->users[u].activity * c->scale);
            for (int k = 0; k < n; k++) app_launch(c, &r, dev, u, at(&r, begin + 2 * DEMO_MIN, end));
        }
    }
}
