/* Everyday detections: the alerts a month of normal life raises (travel, VPNs,
 * blocked malware, reported phish, admin scripts, RDP brute force) with their evidence and incidents. */
#include "demo_int.h"

#include <stdio.h>

typedef struct det_ctx {
    demo_ctx *c;
    demo_rng *r;
    int d;
} det_ctx;

static int person(det_ctx *x) {
    const demo_org *o = &x->c->org;
    for (;;) {
        int u = (int)demo_rng_below(x->r, (uint32_t)o->nusers);
        const demo_user *pu = &o->users[u];
        if (pu->kind == ACCT_PERSON && pu->enabled && pu->device >= 0 && pu->created < x->c->start &&
            !strcmp(o->devices[pu->device].sensor ? o->devices[pu->device].sensor : "", "Active") &&
            o->devices[pu->device].os != OS_MAC)
            return u;
    }
}

static int64_t work_time(det_ctx *x, int u) {
    int64_t b, e;
    if (demo_workday(x->c, u, x->d, &b, &e))
        return b + (int64_t)(demo_rng_unit(x->r) * (double)(e - b));
    return demo_day_start(x->c, x->d) + (int64_t)((0.4 + demo_rng_unit(x->r) * 0.5) * (double)DEMO_DAY);
}

static const char *xdr_title(det_ctx *x, const demo_alert *a, bool user) {
    return demo_strf(x->c, "%s %s", a->name, user ? "involving one user" : "on one endpoint");
}

/* An incident for the alert, or none (informational noise often has none). */
static demo_incident *incident_for(det_ctx *x, demo_alert *a, const char *title, double p_incident,
                                   const char *classification) {
    if (!demo_rng_chance(x->r, p_incident)) {
        if (demo_rng_chance(x->r, 0.5)) a->resolved_at = a->time + (int64_t)demo_rng_range(x->r, 1, 30) * DEMO_HOUR;
        return NULL;
    }
    demo_incident *inc = demo_incident_new(x->c, title ? title : a->name, a->severity, a->time + 50 * DEMO_SEC);
    demo_incident_add_alert(x->c, inc, a);
    demo_incident_lifecycle(x->c, inc, x->r, NULL, classification);
    return inc;
}

static const char *external_ip(det_ctx *x, const char *cc) {
    static const int US[] = {24, 71, 98}, EU[] = {81, 85, 92}, AS[] = {101, 110, 122};
    int a = !strcmp(cc, "US") ? DEMO_PICK(x->r, US) : (!strcmp(cc, "SG") || !strcmp(cc, "JP") || !strcmp(cc, "IN"))
                                                             ? DEMO_PICK(x->r, AS) : DEMO_PICK(x->r, EU);
    return demo_strf(x->c, "%d.%d.%d.%d", a, demo_rng_range(x->r, 1, 254), demo_rng_range(x->r, 0, 255),
                     demo_rng_range(x->r, 1, 254));
}

/* ------------------------------------------------------------ identity */

static void atypical_travel(det_ctx *x) {
    demo_ctx *c = x->c;
    int u = person(x);
    int64_t t = work_time(x, u);
    static const char *const CITIES[] = {"Paris", "Amsterdam", "Singapore", "Madrid", "Toronto", "Tokyo", "Dublin"};
    const demo_geo *g = demo_geo_find(DEMO_PICK(x->r, CITIES));
    const char *ip = external_ip(x, g->country);
    demo_signin(c, &(dm_signin){.t = t, .user = u, .ip = ip, .geo = g, .app = "Office 365 Exchange Online",
                                .dev = c->org.users[u].device, .risk_level = "medium", .risk_state = "atRisk",
                                .risk_events = "[\"impossibleTravel\"]"});
    demo_alert *a = demo_alert_new(c, SRC_AADIP, "Atypical travel", "Medium", t + 12 * DEMO_MIN);
    a->category = "InitialAccess";
    a->tactics = "InitialAccess";
    a->techniques = "T1078.004";
    a->desc = "Sign-ins from geographically distant locations within a time shorter than the travel time between them.";
    a->start = a->end = t;
    a->ext = demo_strf(c, "\"Client Location\":\"%s, %s, %s\"", g->city, g->state, g->country);
    demo_ent_user(a, u);
    demo_ent_ip(a, ip);
    incident_for(x, a, xdr_title(x, a, true), 0.7, demo_rng_chance(x->r, 0.75) ? "BenignPositive" : NULL);
}

static void unfamiliar(det_ctx *x) {
    demo_ctx *c = x->c;
    int u = person(x);
    int64_t t = work_time(x, u);
    const demo_user *pu = &c->org.users[u];
    const demo_geo *g = pu->home;
    const char *ip = external_ip(x, g->country);
    bool low = demo_rng_chance(x->r, 0.6);
    demo_signin(c, &(dm_signin){.t = t, .user = u, .ip = ip, .geo = g, .app = "OfficeHome", .dev = -1, .os = "Windows10",
                                .browser = "Chrome 131.0.0", .risk_level = low ? "low" : "medium", .risk_state = "atRisk",
                                .risk_events = "[\"unfamiliarFeatures\"]"});
    demo_alert *a = demo_alert_new(c, SRC_AADIP, "Unfamiliar sign-in properties", low ? "Low" : "Medium", t + 9 * DEMO_MIN);
    a->category = "InitialAccess";
    a->tactics = "InitialAccess";
    a->techniques = "T1078.004";
    a->desc = "The sign-in had properties not seen recently for the user (IP address, browser).";
    a->start = a->end = t;
    demo_ent_user(a, u);
    demo_ent_ip(a, ip);
    incident_for(x, a, xdr_title(x, a, true), 0.5, NULL);
}

static void anonymous_ip(det_ctx *x) {
    demo_ctx *c = x->c;
    int u = person(x);
    int64_t t = work_time(x, u) + 5 * DEMO_HOUR;
    const char *ip = demo_strf(c, "185.220.%d.%d", demo_rng_range(x->r, 100, 103), demo_rng_range(x->r, 2, 250));
    demo_signin(c, &(dm_signin){.t = t, .user = u, .ip = ip, .geo = demo_geo_find("Frankfurt am Main"),
                                .app = "Microsoft Teams", .dev = -1, .os = "Windows10", .browser = "Firefox 128.0",
                                .risk_level = "low", .risk_state = "atRisk", .risk_events = "[\"anonymizedIPAddress\"]"});
    demo_alert *a = demo_alert_new(c, SRC_AADIP, "Anonymous IP address", "Low", t + 4 * DEMO_MIN);
    a->category = "InitialAccess";
    a->tactics = "InitialAccess";
    a->techniques = "T1090.003";
    a->desc = "Sign-in from an anonymous IP address (e.g. Tor browser, anonymizer VPNs).";
    a->start = a->end = t;
    demo_ent_user(a, u);
    demo_ent_ip(a, ip);
    incident_for(x, a, xdr_title(x, a, true), 0.35, demo_rng_chance(x->r, 0.5) ? "BenignPositive" : "FalsePositive");
}

static void portal_bruteforce(det_ctx *x) {
    demo_ctx *c = x->c;
    int u = person(x);
    int64_t t = work_time(x, u);
    const char *ip = demo_user_ip(c, u, x->d);
    const demo_geo *g = demo_user_geo(c, u, x->d);
    int n = demo_rng_range(x->r, 12, 25);
    for (int k = 0; k < n; k++)
        demo_signin(c, &(dm_signin){.t = t + k * 20 * DEMO_SEC, .user = u, .ip = ip, .geo = g, .app = "Azure Portal",
                                    .dev = c->org.users[u].device, .result = k + 3 < n ? 50126 : 50053});
    demo_alert *a = demo_alert_new(c, SRC_SENTINEL, "Brute force attack against Azure Portal", "Medium", t + 58 * DEMO_MIN);
    a->category = "CredentialAccess";
    a->tactics = "CredentialAccess";
    a->techniques = "T1110.001";
    a->rule_id = "28b42356-45af-40a6-a0b4-a554cdfd5d8a";
    a->desc = "Identifies evidence of brute force activity against the Azure Portal by highlighting multiple authentication failures by a single user.";
    a->start = t;
    a->end = t + n * 20 * DEMO_SEC;
    demo_ent_user(a, u);
    demo_ent_ip(a, ip);
    incident_for(x, a, NULL, 0.8, demo_rng_chance(x->r, 0.6) ? "FalsePositive" : "BenignPositive");
}

static void rdp_bruteforce(det_ctx *x) {
    demo_ctx *c = x->c;
    int dev = c->org.rdg1;
    int64_t t = demo_day_start(c, x->d) + (int64_t)(demo_rng_unit(x->r) * (double)DEMO_DAY);
    const char *ip = demo_scanners[demo_rng_below(x->r, (uint32_t)demo_nscanners)];
    int n = demo_rng_range(x->r, 40, 90);
    for (int k = 0; k < n; k++) {
        const char *acct = DEMO_PICK(x->r, ((const char *[]){"administrator", "admin", "backup"}));
        demo_secev(c, &(dm_secev){.t = t + k * 7 * DEMO_SEC, .dev = dev, .id = 4625, .user = -1,
                                  .account = demo_tmpf(c, "srv-rdg01\\%s", acct), .logon_type = 3, .ip = ip,
                                  .workstation = "-", .auth_package = "NTLM"});
        if (k % 4 == 0)
            demo_logon(c, &(dm_logon){.t = t + k * 7 * DEMO_SEC, .dev = dev, .user = -1, .account = acct, .domain = "srv-rdg01",
                                      .action = "LogonFailed", .type = "Network", .protocol = "NTLM", .rip = ip,
                                      .local_admin = true});
    }
    demo_alert *a = demo_alert_new(c, SRC_SENTINEL, "Multiple RDP brute force attempts against an internet-facing server", "Low",
                                   t + 70 * DEMO_MIN);
    a->category = "CredentialAccess";
    a->tactics = "CredentialAccess";
    a->techniques = "T1110.001, T1021.001";
    a->rule_id = "d4c3b2a1-6f5e-4d3c-9b2a-1f0e9d8c7b6a";
    a->desc = "Many failed logons from one external address against a server exposed to the internet.";
    a->start = t;
    a->end = t + n * 7 * DEMO_SEC;
    demo_ent_host(a, dev);
    demo_ent_ip(a, ip);
    incident_for(x, a, NULL, 0.55, demo_rng_chance(x->r, 0.7) ? "BenignPositive" : "TruePositive");
}

static void role_added(det_ctx *x) {
    demo_ctx *c = x->c;
    int u = person(x);
    int64_t t = work_time(x, u);
    static const char *const ROLES[] = {"Security Reader", "Reports Reader", "Teams Administrator", "Helpdesk Administrator"};
    const char *role = DEMO_PICK(x->r, ROLES);
    demo_audit(c, &(dm_audit){.t = t, .op = "Add member to role", .category = "RoleManagement", .actor = c->org.admins[0],
                              .actor_ip = demo_offices[OFF_CHICAGO].egress[0], .target = u, .role = role});
    demo_alert *a = demo_alert_new(c, SRC_SENTINEL, "User added to Microsoft Entra ID privileged role", "Low", t + 31 * DEMO_MIN);
    a->category = "Persistence";
    a->tactics = "Persistence, PrivilegeEscalation";
    a->techniques = "T1098";
    a->rule_id = "4d94d4a9-dc96-410a-8dea-4d4d4584188b";
    a->desc = demo_strf(c, "%s was added to the role '%s'.", c->org.users[u].upn, role);
    a->start = a->end = t;
    demo_ent_user(a, u);
    demo_ent_user(a, c->org.admins[0]);
    incident_for(x, a, NULL, 0.6, "BenignPositive");
}

/* ------------------------------------------------------------- endpoint */

static void malware_blocked_on(det_ctx *x, int u) {
    demo_ctx *c = x->c;
    int dev = c->org.users[u].device;
    int64_t t = work_time(x, u);
    static const char *const F[][3] = {
        {"KMSpico_setup.exe", "HackTool:Win32/AutoKMS", "https://free-activators.example.net/kmspico/KMSpico_setup.exe"},
        {"free_pdf_converter.exe", "PUA:Win32/Presenoker", "https://pdf-convert-free.example.org/dl/free_pdf_converter.exe"},
        {"invoice_viewer.exe", "Trojan:Win32/Wacatac.B!ml", "https://cdn-files.example.info/invoice_viewer.exe"},
        {"chrome_update.js", "Trojan:JS/SocGholish.A", "https://news-portal.example.com/assets/chrome_update.js"},
    };
    size_t k = demo_rng_below(x->r, SP_ARRAY_LEN(F));
    demo_file(c, &(dm_file){.t = t, .dev = dev, .user = u, .name = F[k][0], .dir = "C:\\Users\\%USER%\\Downloads",
                            .origin_url = F[k][2], .proc = "msedge.exe"});
    demo_devev(c, &(dm_devev){.t = t + 2 * DEMO_SEC, .dev = dev, .user = u, .action = "AntivirusDetection",
                              .file = F[k][0], .dir = "C:\\Users\\%USER%\\Downloads", .proc = "MsMpEng.exe",
                              .fields = demo_strf(c, "{\"ThreatName\":\"%s\",\"WasRemediated\":true,\"WasExecutingWhileDetected\":false}", F[k][1])});
    const char *fam = strchr(F[k][1], '/') + 1;
    char name[96];
    snprintf(name, sizeof name, "'%.*s' %s was prevented", (int)strcspn(fam, ".!"), fam,
             !strncmp(F[k][1], "PUA", 3) ? "unwanted software" : !strncmp(F[k][1], "Hack", 4) ? "hacktool" : "malware");
    demo_alert *a = demo_alert_new(c, SRC_MDE, demo_strf(c, "%s", name), !strncmp(F[k][1], "PUA", 3) ? "Informational" : "Low",
                                   t + 3 * DEMO_MIN);
    a->category = !strncmp(F[k][1], "PUA", 3) ? "UnwantedSoftware" : "Malware";
    a->tactics = "Execution";
    a->techniques = "T1204.002";
    a->detection = "Antivirus";
    a->desc = "Malware and unwanted software were detected and blocked by Microsoft Defender Antivirus.";
    a->ext = demo_strf(c, "\"ThreatName\":\"%s\"", F[k][1]);
    a->start = a->end = t;
    demo_ent_host(a, dev);
    demo_ent_user(a, u);
    demo_ent_file(a, dev, F[k][0], demo_strf(c, "C:\\Users\\%s\\Downloads", c->org.users[u].sam), NULL);
    incident_for(x, a, xdr_title(x, a, false), 0.6, demo_rng_chance(x->r, 0.7) ? "TruePositive" : NULL);
}

static void malware_blocked(det_ctx *x) { malware_blocked_on(x, person(x)); }

static void admin_script(det_ctx *x, int dev) {
    demo_ctx *c = x->c;
    int a_user = c->org.admins[demo_rng_below(x->r, (uint32_t)c->org.nadmins)];
    int64_t t = demo_day_start(c, x->d) + (int64_t)((0.6 + demo_rng_unit(x->r) * 0.25) * (double)DEMO_DAY);
    const char *script = "Get-ChildItem -Path D:\\Shares -Recurse | Where-Object {$_.LastWriteTime -lt (Get-Date).AddYears(-3)} | Export-Csv C:\\Scripts\\stale.csv";
    const char *cmd = demo_strf(c, "powershell.exe -NoProfile -ExecutionPolicy Bypass -EncodedCommand %s", demo_ps_encode(c, script));
    demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = a_user, .file = "powershell.exe", .cmd = cmd, .parent = "cmd.exe",
                            .integrity = "High"});
    demo_alert *a = demo_alert_new(c, SRC_MDE, "Suspicious PowerShell command line", "Medium", t + 4 * DEMO_MIN);
    a->category = "Execution";
    a->tactics = "Execution";
    a->techniques = "T1059.001, T1027";
    a->desc = "A PowerShell command line with an encoded command was run.";
    a->start = a->end = t;
    demo_ent_host(a, dev);
    demo_ent_user(a, a_user);
    demo_ent_proc(a, dev, cmd, "powershell.exe", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0", t);
    demo_incident *inc = incident_for(x, a, xdr_title(x, a, false), 0.9, "FalsePositive");
    if (inc && inc->closed_at) inc->reason = "IncorrectAlertLogic";
}

static void commodity_ransomware(det_ctx *x) {
    /* once in the month: a commodity locker from a cracked game, stopped after a dozen files */
    demo_ctx *c = x->c;
    int u = person(x);
    int dev = c->org.users[u].device;
    int64_t t = work_time(x, u);
    const char *sam = c->org.users[u].sam;
    demo_file(c, &(dm_file){.t = t - 4 * DEMO_MIN, .dev = dev, .user = u, .name = "GTA_crack_loader.exe",
                            .dir = "C:\\Users\\%USER%\\Downloads", .origin_url = "https://warez-mirror.example.net/dl/GTA_crack_loader.exe",
                            .proc = "chrome.exe"});
    demo_proc(c, &(dm_proc){.t = t - 3 * DEMO_MIN, .dev = dev, .user = u, .file = "GTA_crack_loader.exe",
                            .dir = "C:\\Users\\%USER%\\Downloads", .cmd = "\"C:\\Users\\%USER%\\Downloads\\GTA_crack_loader.exe\"",
                            .signature = "Unsigned"});
    static const char *const FILES[] = {"holiday.jpg", "resume.docx", "taxes_2023.pdf", "notes.txt", "budget.xlsx",
                                        "photo_001.jpg", "photo_002.jpg", "letter.docx", "passport_scan.pdf",
                                        "recipes.docx", "playlist.m3u", "wedding.mp4"};
    for (int k = 0; k < 12; k++)
        demo_file(c, &(dm_file){.t = t + k * 2 * DEMO_SEC, .dev = dev, .user = u, .action = "FileRenamed",
                                .name = demo_tmpf(c, "%s.crypt", FILES[k]), .dir = "C:\\Users\\%USER%\\Pictures",
                                .prev_name = FILES[k], .proc = "GTA_crack_loader.exe", .proc_dir = "C:\\Users\\%USER%\\Downloads"});
    demo_devev(c, &(dm_devev){.t = t + 30 * DEMO_SEC, .dev = dev, .user = u, .action = "AntivirusDetection",
                              .file = "GTA_crack_loader.exe", .dir = "C:\\Users\\%USER%\\Downloads", .proc = "MsMpEng.exe",
                              .fields = "{\"ThreatName\":\"Ransom:Win32/Filecoder.ARA!MTB\",\"WasRemediated\":true,\"WasExecutingWhileDetected\":true}"});
    demo_alert *a = demo_alert_new(c, SRC_MDE, "'Filecoder' ransomware was prevented", "High", t + DEMO_MIN);
    a->category = "Ransomware";
    a->tactics = "Impact";
    a->techniques = "T1486, T1204.002";
    a->detection = "Antivirus";
    a->desc = "Ransomware was detected and stopped after it renamed a few files.";
    a->ext = "\"ThreatName\":\"Ransom:Win32/Filecoder.ARA!MTB\"";
    a->start = t;
    a->end = t + 30 * DEMO_SEC;
    demo_ent_host(a, dev);
    demo_ent_user(a, u);
    demo_ent_file(a, dev, "GTA_crack_loader.exe", demo_strf(c, "C:\\Users\\%s\\Downloads", sam), NULL);
    demo_incident *inc = demo_incident_new(c, "Ransomware prevented on one endpoint", "High", a->time + 40 * DEMO_SEC);
    demo_incident_add_alert(c, inc, a);
    demo_incident_label(inc, "Ransomware", false);
    demo_incident_lifecycle(c, inc, x->r, "Closed", "TruePositive");
}

static void backup_lsass(det_ctx *x) {
    /* the backup agent's credential-store snapshot looks like an LSASS dump */
    demo_ctx *c = x->c;
    int dev = c->org.backup1;
    int64_t t = demo_day_start(c, x->d) + 22 * DEMO_HOUR + 41 * DEMO_MIN;
    const char *cmd = "\"C:\\Program Files\\Contoso\\SecureSync\\BackupAgent.exe\" --job nightly --encrypt --vss-writer system-state";
    demo_devev(c, &(dm_devev){.t = t, .dev = dev, .user = c->org.svc_backup, .action = "OpenProcessApiCall",
                              .file = "lsass.exe", .dir = "C:\\Windows\\System32", .proc = "BackupAgent.exe", .proc_cmd = cmd,
                              .fields = "{\"DesiredAccess\":4112}"});
    demo_alert *a = demo_alert_new(c, SRC_MDE, "Suspicious access to LSASS service", "High", t + 3 * DEMO_MIN);
    a->category = "CredentialAccess";
    a->tactics = "CredentialAccess";
    a->techniques = "T1003.001";
    a->desc = "A process opened LSASS with access rights that allow reading its memory.";
    a->start = a->end = t;
    demo_ent_host(a, dev);
    demo_ent_user(a, c->org.svc_backup);
    demo_ent_proc(a, dev, cmd, "BackupAgent.exe", "C:\\Program Files\\Contoso\\SecureSync", t);
    demo_incident *inc = incident_for(x, a, xdr_title(x, a, false), 1.0, "FalsePositive");
    if (inc && inc->closed_at) inc->reason = "IncorrectAlertLogic";
}

static void leaked_credentials(det_ctx *x) {
    demo_ctx *c = x->c;
    int u = person(x);
    int64_t t = demo_day_start(c, x->d) + (int64_t)(demo_rng_unit(x->r) * (double)DEMO_DAY);
    demo_alert *a = demo_alert_new(c, SRC_AADIP, "Leaked credentials", "High", t);
    a->category = "CredentialAccess";
    a->tactics = "CredentialAccess";
    a->techniques = "T1078.004";
    a->desc = "The user's valid credentials were found in a public leak.";
    a->start = a->end = t;
    demo_ent_user(a, u);
    demo_incident *inc = incident_for(x, a, xdr_title(x, a, true), 1.0, demo_rng_chance(x->r, 0.5) ? "TruePositive" : "BenignPositive");
    (void)inc;
    demo_audit(c, &(dm_audit){.t = t + 3 * DEMO_HOUR, .op = "Reset user password", .actor = c->org.admins[4],
                              .actor_ip = demo_offices[OFF_CHICAGO].egress[0], .target = u});
}

/* ---------------------------------------------------------------- email */

static void reported_phish(det_ctx *x) {
    demo_ctx *c = x->c;
    int u = person(x);
    int64_t t = work_time(x, u);
    static const char *const SUBJ[] = {"Your mailbox is almost full", "Shared document: Q4 bonus structure",
                                       "Voicemail received (00:47)", "Urgent: wire transfer request"};
    const char *subject = DEMO_PICK(x->r, SUBJ);
    const char *sender = demo_strf(c, "notice@%s", DEMO_PICK(x->r, ((const char *[]){"mailbox-storage-alert.com", "voicemail-notify.net", "hr-bonus-docs.com"})));
    const char *url = demo_strf(c, "https://%s/view?id=%d", strchr(sender, '@') + 1, demo_rng_range(x->r, 1000, 9999));
    const char *nmid = demo_strf(c, "%s", demo_email(c, x->r, &(dm_email){.t = t, .to = u, .from = -1, .from_addr = sender,
                                                                       .from_display = "Notification", .subject = subject,
                                                                       .sender_ip = demo_strf(c, "203.0.113.%d", demo_rng_range(x->r, 200, 240)),
                                                                       .urls = {url}, .nurls = 1, .threats = "Phish",
                                                                       .detection = "{\"Phish\":[\"User reported\"]}",
                                                                       .confidence = "{\"Phish\":\"Low\"}", .spf = "softfail",
                                                                       .dmarc = "fail", .compauth = "fail"}));
    demo_alert *a = demo_alert_new(c, SRC_MDO, "Email reported by user as malware or phish", "Informational", t + 35 * DEMO_MIN);
    a->category = "InitialAccess";
    a->tactics = "InitialAccess";
    a->techniques = "T1566";
    a->desc = "A user reported an email as malware or phish.";
    a->start = a->end = t + 30 * DEMO_MIN;
    demo_ent_mailbox(a, u);
    demo_ent_mail(a, u, subject, sender, nmid);
    demo_ent_url(a, url);
    incident_for(x, a, xdr_title(x, a, true), 0.45, demo_rng_chance(x->r, 0.5) ? "TruePositive" : "BenignPositive");
}

static void zap_malware(det_ctx *x) {
    demo_ctx *c = x->c;
    int u = person(x);
    int64_t t = work_time(x, u);
    static const char *const ATT[][3] = {{"Invoice_30318.exe", "exe", "Trojan:Win32/Formbook.RPZ!MTB"},
                                         {"Payment_Details.js", "js", "TrojanDownloader:JS/Nemucod.BF"},
                                         {"Order_Confirmation.iso", "iso", "Trojan:Win32/Qakbot.RPX!MTB"}};
    size_t k = demo_rng_below(x->r, SP_ARRAY_LEN(ATT));
    const char *sender = "accounts@invoice-notify.net";
    const char *subject = "Invoice and payment details";
    const char *nmid = demo_strf(c, "%s", demo_email(c, x->r, &(dm_email){.t = t, .to = u, .from = -1, .from_addr = sender,
                                                                       .from_display = "Accounts", .subject = subject,
                                                                       .sender_ip = "198.51.100.170",
                                                                       .att = {{.name = ATT[k][0], .type = ATT[k][1], .threat = "Malware",
                                                                                .threat_name = ATT[k][2]}},
                                                                       .natt = 1, .threats = "Malware", .threat_names = ATT[k][2],
                                                                       .detection = "{\"Malware\":[\"File detonation\"]}",
                                                                       .action = "Delivered", .location = "Inbox/Folder"}));
    if (!strcmp(ATT[k][1], "js") && demo_rng_chance(x->r, 0.6)) {
        /* the user saved and double-clicked it before ZAP pulled the mail */
        int dev = c->org.users[u].device;
        demo_file(c, &(dm_file){.t = t + 6 * DEMO_MIN, .dev = dev, .user = u, .name = ATT[k][0],
                                .dir = "C:\\Users\\%USER%\\Downloads", .proc = "OUTLOOK.EXE"});
        demo_proc(c, &(dm_proc){.t = t + 7 * DEMO_MIN, .dev = dev, .user = u, .file = "wscript.exe",
                                .cmd = demo_tmpf(c, "\"C:\\Windows\\System32\\WScript.exe\" \"C:\\Users\\%s\\Downloads\\%s\"",
                                                 c->org.users[u].sam, ATT[k][0])});
        demo_devev(c, &(dm_devev){.t = t + 7 * DEMO_MIN + 2 * DEMO_SEC, .dev = dev, .user = u, .action = "AntivirusDetection",
                                  .file = ATT[k][0], .dir = "C:\\Users\\%USER%\\Downloads", .proc = "wscript.exe",
                                  .fields = "{\"ThreatName\":\"TrojanDownloader:JS/Nemucod.BF\",\"WasRemediated\":true}"});
    }
    demo_alert *a = demo_alert_new(c, SRC_MDO, "Email messages containing malicious file removed after delivery", "Informational",
                                   t + 48 * DEMO_MIN);
    a->category = "InitialAccess";
    a->tactics = "InitialAccess";
    a->techniques = "T1566.001";
    a->desc = "Emails with a malicious file were delivered and later removed (ZAP).";
    a->start = a->end = t;
    demo_ent_mailbox(a, u);
    demo_ent_mail(a, u, subject, sender, nmid);
    demo_ent_file(a, -1, ATT[k][0], "", demo_sha_tmp(ATT[k][0]));
    incident_for(x, a, xdr_title(x, a, true), 0.3, "TruePositive");
}

static void url_click(det_ctx *x) {
    demo_ctx *c = x->c;
    int u = person(x);
    int64_t t = work_time(x, u);
    const char *url = demo_strf(c, "https://office365-mailbox-quota.com/owa/verify?u=%d", demo_rng_range(x->r, 100, 999));
    const char *nmid = demo_strf(c, "%s", demo_email(c, x->r, &(dm_email){.t = t - 20 * DEMO_MIN, .to = u, .from = -1,
                                                                       .from_addr = "admin@office365-mailbox-quota.com",
                                                                       .from_display = "Microsoft 365 Admin",
                                                                       .subject = "Action required: mailbox quota exceeded",
                                                                       .sender_ip = "203.0.113.154", .urls = {url}, .nurls = 1,
                                                                       .threats = "Phish", .confidence = "{\"Phish\":\"Low\"}",
                                                                       .detection = "{\"Phish\":[\"URL detonation reputation\"]}"}));
    demo_click(c, &(dm_click){.t = t, .user = u, .url = url, .nmid = nmid, .ip = demo_user_ip(c, u, x->d),
                              .threats = "Phish", .through = true});
    demo_alert *a = demo_alert_new(c, SRC_MDO, "A potentially malicious URL click was detected", "High", t + 5 * DEMO_MIN);
    a->category = "InitialAccess";
    a->tactics = "InitialAccess";
    a->techniques = "T1566.002, T1204.001";
    a->desc = "A user clicked a link that was later found to be malicious.";
    a->start = a->end = t;
    demo_ent_user(a, u);
    demo_ent_mailbox(a, u);
    demo_ent_url(a, url);
    demo_ent_ip(a, demo_user_ip(c, u, x->d));
    incident_for(x, a, xdr_title(x, a, true), 0.95, demo_rng_chance(x->r, 0.6) ? "TruePositive" : "BenignPositive");
}

static void mass_download(det_ctx *x) {
    demo_ctx *c = x->c;
    int u = person(x);
    int64_t t = work_time(x, u);
    demo_alert *a = demo_alert_new(c, SRC_MDCA, "Mass download by a single user", "Low", t + 40 * DEMO_MIN);
    a->category = "Collection";
    a->tactics = "Collection";
    a->techniques = "T1530";
    a->desc = "A user downloaded many files from OneDrive in a short time (new device sync).";
    a->start = t;
    a->end = t + 30 * DEMO_MIN;
    for (int k = 0; k < 25; k++)
        demo_office_activity(c, &(dm_office){.t = t + k * 70 * DEMO_SEC, .user = u, .ip = demo_user_ip(c, u, x->d),
                                             .workload = "OneDrive", .op = "FileSyncDownloadedFull",
                                             .site_url = "https://contoso-my.sharepoint.com/personal/", .file = demo_tmpf(c, "file_%03d.docx", k),
                                             .rel_url = "Documents"});
    demo_ent_user(a, u);
    demo_ent_ip(a, demo_user_ip(c, u, x->d));
    demo_ent_app(a, "Microsoft OneDrive for Business");
    incident_for(x, a, xdr_title(x, a, true), 0.5, "BenignPositive");
}

/* ----------------------------------------------------------------- driver */

void demo_bg_detections(demo_ctx *c) {
    const demo_org *o = &c->org;
    typedef void (*tmpl)(det_ctx *);
    static const struct {
        tmpl fn;
        double per_day;
    } T[] = {
        {atypical_travel, 0.25}, {unfamiliar, 0.45},  {anonymous_ip, 0.25}, {portal_bruteforce, 0.12},
        {rdp_bruteforce, 0.2},   {role_added, 0.08},  {malware_blocked, 0.4}, {reported_phish, 0.55},
        {zap_malware, 0.3},      {url_click, 0.12},   {mass_download, 0.08},
        {backup_lsass, 0.06},    {leaked_credentials, 0.06},
    };
    for (int d = 0; d <= c->days; d++) {
        demo_rng r;
        demo_rng_seed(&r, c->opt.seed, "detections", (uint64_t)d);
        det_ctx x = {c, &r, d};
        for (size_t k = 0; k < SP_ARRAY_LEN(T); k++) {
            /* some detections fire every day: never a day without them */
            bool daily = T[k].fn == unfamiliar || T[k].fn == reported_phish || T[k].fn == malware_blocked;
            int n = (daily ? 1 : 0) + demo_rng_poisson(&r, T[k].per_day);
            for (int i = 0; i < n; i++) T[k].fn(&x);
        }
        if (demo_rng_chance(&r, 0.15)) {
            int servers[] = {o->fs1, o->app1, o->sql1, o->mgmt1};
            admin_script(&x, servers[demo_rng_below(&r, 4)]);
        }
        if (d == c->days - 20) admin_script(&x, o->fs1);        /* an old FP on the file server */
        if (d == c->days - 17) commodity_ransomware(&x);
        if (d == c->days - 15) malware_blocked_on(&x, c->plan.rw_user); /* patient zero, two weeks before */
    }
}
