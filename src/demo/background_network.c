/* Everyday network connections from endpoints: SaaS and web traffic, domain
 * services, file shares, RDP from admins, and inbound service traffic on servers. */
#include "demo_int.h"

#include <stdio.h>

typedef struct endpoint {
    const char *url;
    const char *net;           /* first three octets of its addresses */
    int port;
    const char *proc;          /* initiating process (browser = NULL: the user's browser) */
    double weight;
} endpoint;

static const endpoint WEB[] = {
    {"login.microsoftonline.com", "20.190.151", 443, NULL, 5},
    {"outlook.office365.com", "52.96.165", 443, "OUTLOOK.EXE", 6},
    {"contoso.sharepoint.com", "13.107.136", 443, "OneDrive.exe", 5},
    {"contoso-my.sharepoint.com", "13.107.138", 443, "OneDrive.exe", 3},
    {"teams.microsoft.com", "52.113.194", 443, "ms-teams.exe", 5},
    {"graph.microsoft.com", "20.190.152", 443, "ms-teams.exe", 2},
    {"www.office.com", "13.107.6", 443, NULL, 2},
    {"www.google.com", "142.250.190", 443, NULL, 3},
    {"www.bing.com", "204.79.197", 443, NULL, 1},
    {"www.linkedin.com", "13.107.42", 443, NULL, 1},
    {"contoso.my.salesforce.com", "13.110.54", 443, NULL, 1.5},
    {"contoso.zoom.us", "170.114.52", 443, "Zoom.exe", 1},
    {"github.com", "140.82.112", 443, NULL, 1},
    {"contoso.atlassian.net", "104.192.141", 443, NULL, 1},
    {"www.youtube.com", "142.250.191", 443, NULL, 1},
    {"cdn.jsdelivr.net", "151.101.1", 443, NULL, 0.7},
    {"fonts.googleapis.com", "142.250.69", 443, NULL, 1},
    {"update.googleapis.com", "142.250.72", 443, "chrome.exe", 0.5},
    {"settings-win.data.microsoft.com", "20.42.65", 443, "svchost.exe", 1.5},
    {"wdcp.microsoft.com", "20.42.73", 443, "MsMpEng.exe", 1},
    {"winatp-gw-cus.microsoft.com", "20.44.10", 443, "MsSense.exe", 2},
    {"ctldl.windowsupdate.com", "93.184.221", 80, "svchost.exe", 1},
    {"contoso.service-now.com", "149.96.5", 443, NULL, 0.8},
    {"wd5.myworkday.com", "198.175.111", 443, NULL, 0.5},
    {"na2.docusign.net", "64.207.219", 443, NULL, 0.3},
    {"www.dropbox.com", "162.125.1", 443, NULL, 0.3},
    {"www.wikipedia.org", "208.80.154", 443, NULL, 0.5},
    {"www.nytimes.com", "151.101.129", 443, NULL, 0.4},
    {"www.amazon.com", "54.239.28", 443, NULL, 0.4},
};

static void ip_of(const char *url, const char *net, char out[16]) {
    uint64_t h = sp_hash_bytes(url, strlen(url), 5);
    snprintf(out, 16, "%s.%d", net, (int)(h % 200) + 10);
}

static const char *browser_of(const demo_device *d, int user) {
    (void)d;
    return (sp_hash_u64((uint64_t)user * 3 + 1) % 4) == 0 ? "chrome.exe" : "msedge.exe";
}

static void web(demo_ctx *c, demo_rng *r, int dev, int u, int64_t t) {
    static double w[SP_ARRAY_LEN(WEB)];
    if (w[0] == 0)
        for (size_t i = 0; i < SP_ARRAY_LEN(WEB); i++) w[i] = WEB[i].weight;
    const endpoint *e = &WEB[demo_rng_weighted(r, w, SP_ARRAY_LEN(WEB))];
    char ip[16];
    ip_of(e->url, e->net, ip);
    const char *proc = e->proc ? e->proc : browser_of(&c->org.devices[dev], u);
    bool sys = !strcmp(proc, "svchost.exe") || !strcmp(proc, "MsMpEng.exe") || !strcmp(proc, "MsSense.exe");
    demo_net(c, &(dm_net){.t = t, .dev = dev, .user = sys ? -1 : u, .rip = ip, .rport = e->port,
                          .url = e->url, .proc = proc,
                          .action = demo_rng_chance(r, 0.02) ? "ConnectionFailed" : NULL});
}

static int dc_for(const demo_ctx *c, const demo_device *d) {
    int k = demo_device_find(&c->org, d->office == OFF_LONDON ? "srv-lon-dc01"
                                      : d->office == OFF_BANGALORE ? "srv-blr-dc01" : "srv-dc01");
    return k >= 0 ? k : c->org.dc1;
}

static void internal(demo_ctx *c, demo_rng *r, int dev, int u, int64_t t) {
    const demo_org *o = &c->org;
    const demo_device *d = &o->devices[dev];
    const demo_device *dc = &o->devices[dc_for(c, d)];
    double x = demo_rng_unit(r);
    if (x < 0.35) {
        demo_net(c, &(dm_net){.t = t, .dev = dev, .user = -1, .rip = dc->local_ip, .rport = 88,
                              .proc = "lsass.exe", .proc_cmd = "C:\\Windows\\system32\\lsass.exe"});
    } else if (x < 0.55) {
        demo_net(c, &(dm_net){.t = t, .dev = dev, .user = -1, .rip = dc->local_ip, .rport = 389,
                              .proc = "svchost.exe", .proc_cmd = "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s gpsvc"});
    } else if (x < 0.65) {
        demo_net(c, &(dm_net){.t = t, .dev = dev, .user = -1, .rip = dc->local_ip, .rport = 53, .proto = "Udp",
                              .proc = "svchost.exe", .proc_cmd = "C:\\Windows\\system32\\svchost.exe -k NetworkService -p -s Dnscache"});
    } else {
        const demo_device *fs = &o->devices[d->office == OFF_CHICAGO || d->office == OFF_REMOTE ? o->fs1
                                            : demo_device_find(o, d->office == OFF_LONDON ? "srv-lon-fs01"
                                                                  : d->office == OFF_MUNICH ? "srv-muc-fs01"
                                                                  : d->office == OFF_NEWYORK ? "srv-nyc-fs01"
                                                                                             : "srv-blr-fs01")];
        demo_net(c, &(dm_net){.t = t, .dev = dev, .user = u, .rip = fs->local_ip, .rport = 445,
                              .proc = "System", .proc_dir = "", .proc_cmd = ""});
    }
}

static void server_traffic(demo_ctx *c, demo_rng *r, int dev, int64_t begin) {
    const demo_org *o = &c->org;
    const demo_device *d = &o->devices[dev];
    int n = demo_rng_poisson(r, 10.0 * c->scale);
    for (int k = 0; k < n; k++) {
        int64_t t = begin + (int64_t)(demo_rng_unit(r) * (double)DEMO_DAY) + demo_jitter_ms(r);
        if (demo_rng_chance(r, 0.5)) {
            const endpoint *e = &WEB[18 + demo_rng_below(r, 4)];
            char ip[16];
            ip_of(e->url, e->net, ip);
            demo_net(c, &(dm_net){.t = t, .dev = dev, .user = -1, .rip = ip, .rport = e->port, .url = e->url,
                                  .proc = d->os == OS_LINUX ? "mdatp_audisp_plugin" : e->proc});
        } else {
            internal(c, r, dev, -1, t);
        }
    }
    /* Services that listen, and who connects to them. */
    if (d->internet_facing) {
        int m = demo_rng_poisson(r, 25.0 * c->scale);
        for (int k = 0; k < m; k++) {
            int64_t t = begin + (int64_t)(demo_rng_unit(r) * (double)DEMO_DAY) + demo_jitter_ms(r);
            char ip[16];
            int u = (int)demo_rng_below(r, (uint32_t)o->nusers);
            const char *src = o->users[u].home_ip;
            if (demo_rng_chance(r, 0.35)) {
                snprintf(ip, sizeof ip, "%d.%d.%d.%d", DEMO_PICK(r, ((const int[]){45, 89, 103, 167, 185, 193, 212})),
                         demo_rng_range(r, 1, 254), demo_rng_range(r, 0, 255), demo_rng_range(r, 1, 254));
                src = ip;
            }
            int port = !strcmp(d->role, "ExchangeServer") && demo_rng_chance(r, 0.4) ? 25 : 443;
            demo_net(c, &(dm_net){.t = t, .dev = dev, .user = -1, .action = "InboundConnectionAccepted",
                                  .rip = src, .lport = port,
                                  .proc = d->os == OS_LINUX ? "nginx" : !strcmp(d->role, "RemoteDesktopGateway") ? "svchost.exe" : "System",
                                  .proc_dir = d->os == OS_LINUX ? "/usr/sbin" : NULL});
        }
    }
    if (demo_rng_chance(r, 0.25)) {
        const char *proc = d->os == OS_LINUX ? "sshd"
                           : d->role && !strcmp(d->role, "DatabaseServer") ? "sqlservr.exe"
                           : d->role && !strcmp(d->role, "WebServer") ? "w3wp.exe" : "svchost.exe";
        int port = !strcmp(proc, "sshd") ? 22 : !strcmp(proc, "sqlservr.exe") ? 1433
                   : !strcmp(proc, "w3wp.exe") ? 443 : 3389;
        demo_net(c, &(dm_net){.t = begin + 4 * DEMO_HOUR + demo_rng_range(r, 0, 3000) * DEMO_SEC, .dev = dev,
                              .user = -1, .action = "ListeningConnectionCreated", .lport = port,
                              .proc = proc, .proc_dir = d->os == OS_LINUX ? "/usr/sbin" : NULL});
    }
}

void demo_bg_network(demo_ctx *c) {
    const demo_org *o = &c->org;
    for (int d = 0; d <= c->days; d++) {
        demo_rng r;
        demo_rng_seed(&r, c->opt.seed, "network", (uint64_t)d);
        for (int dev = 0; dev < o->ndevices; dev++) {
            int64_t begin, end;
            int u;
            if (!demo_device_day(c, dev, d, &begin, &end, &u)) continue;
            const demo_device *dv = &o->devices[dev];
            if (dv->kind == DEV_SERVER) {
                server_traffic(c, &r, dev, begin);
                continue;
            }
            int n = demo_rng_poisson(&r, 9.0 * o->users[u].activity * c->scale);
            for (int k = 0; k < n; k++) {
                int64_t t = begin + (int64_t)(demo_rng_unit(&r) * (double)(end - begin)) + demo_jitter_ms(&r);
                if (demo_rng_chance(&r, 0.72) || dv->os == OS_MAC) web(c, &r, dev, u, t);
                else internal(c, &r, dev, u, t);
            }
            /* Admins remote into servers. */
            if (o->users[u].dept == 7 && demo_rng_chance(&r, 0.5)) {
                int srv = demo_rng_range(&r, 0, 17);
                demo_net(c, &(dm_net){.t = begin + (int64_t)(demo_rng_unit(&r) * (double)(end - begin)),
                                      .dev = dev, .user = u, .rip = o->devices[srv].local_ip, .rport = 3389,
                                      .proc = "mstsc.exe",
                                      .proc_cmd = demo_tmpf(c, "\"C:\\Windows\\system32\\mstsc.exe\" /v:%s", o->devices[srv].name)});
            }
            /* IT and engineering PowerShell reaching the gallery and Azure. */
            if ((o->users[u].dept == 7 || o->users[u].dept == 5) && dv->os != OS_MAC && demo_rng_chance(&r, 0.12)) {
                demo_net(c, &(dm_net){.t = begin + (int64_t)(demo_rng_unit(&r) * (double)(end - begin)),
                                      .dev = dev, .user = u, .rip = "20.37.158.1", .rport = 443,
                                      .url = "management.azure.com", .proc = "pwsh.exe",
                                      .proc_cmd = "\"C:\\Program Files\\PowerShell\\7\\pwsh.exe\" -NoLogo"});
            }
            if ((o->users[u].dept == 7 || o->users[u].dept == 5) && dv->os != OS_MAC && demo_rng_chance(&r, 0.08)) {
                demo_net(c, &(dm_net){.t = begin + (int64_t)(demo_rng_unit(&r) * (double)(end - begin)),
                                      .dev = dev, .user = u, .rip = "13.107.246.40", .rport = 443,
                                      .url = "www.powershellgallery.com", .proc = "powershell.exe",
                                      .proc_cmd = "powershell.exe -NoProfile -Command \"Install-Module Az.Accounts -Scope CurrentUser\""});
            }
        }
    }
}
