/* Everyday firewall logs (CommonSecurityLog, CEF) from each office's firewall:
 * allowed outbound web, DNS, DMZ services, denied internet scans and blocked apps. */
#include "demo_int.h"

#include <stdio.h>

static const char *const SAAS[][2] = {
    {"52.96.165.41", "outlook.office365.com"}, {"13.107.136.22", "contoso.sharepoint.com"},
    {"52.113.194.132", "teams.microsoft.com"}, {"20.190.151.70", "login.microsoftonline.com"},
    {"142.250.190.78", "www.google.com"},      {"140.82.112.3", "github.com"},
    {"13.110.54.15", "contoso.my.salesforce.com"}, {"170.114.52.2", "contoso.zoom.us"},
    {"151.101.1.140", "cdn.jsdelivr.net"},     {"104.192.141.1", "contoso.atlassian.net"},
    {"208.80.154.224", "www.wikipedia.org"},   {"54.239.28.85", "www.amazon.com"},
};

static void scanner_ip(demo_rng *r, char out[16]) {
    if (demo_rng_chance(r, 0.3)) {
        snprintf(out, 16, "%s", demo_scanners[demo_rng_below(r, (uint32_t)demo_nscanners)]);
        return;
    }
    static const int NETS[] = {45, 80, 89, 91, 103, 141, 162, 185, 193, 194, 212};
    snprintf(out, 16, "%d.%d.%d.%d", DEMO_PICK(r, NETS), demo_rng_range(r, 1, 254),
             demo_rng_range(r, 0, 255), demo_rng_range(r, 1, 254));
}

void demo_bg_cef(demo_ctx *c) {
    const demo_org *o = &c->org;
    int per_office[OFF_COUNT] = {0};
    for (int u = 0; u < o->nusers; u++)
        if (o->users[u].kind == ACCT_PERSON) per_office[o->users[u].office]++;
    for (int d = 0; d <= c->days; d++) {
        demo_rng r;
        demo_rng_seed(&r, c->opt.seed, "cef", (uint64_t)d);
        int64_t day0 = demo_day_start(c, d);
        int wd = sp_weekday(day0);
        bool weekend = wd == 0 || wd == 6;
        for (int of = 0; of < OFF_REMOTE; of++) {
            const demo_office *off = &demo_offices[of];
            int64_t work = day0 - (int64_t)off->tz_min * DEMO_MIN + 8 * DEMO_HOUR;
            /* outbound web from the office's people */
            int n = demo_rng_poisson(&r, per_office[of] * (weekend ? 0.8 : 6.0) * c->scale);
            for (int k = 0; k < n; k++) {
                int ws = o->workstations_begin + (int)demo_rng_below(&r, (uint32_t)(o->workstations_end - o->workstations_begin));
                const demo_device *dv = &o->devices[ws];
                if (dv->office != of || dv->owner < 0) continue;
                const char *const *dst = SAAS[demo_rng_below(&r, SP_ARRAY_LEN(SAAS))];
                int64_t t = work + (int64_t)(demo_rng_unit(&r) * 10.0 * (double)DEMO_HOUR) + demo_jitter_ms(&r);
                demo_cef(c, &(dm_cef){.t = t, .office = of, .src = dv->local_ip, .dst = dst[0], .dport = 443,
                                      .app = "ssl", .url = dst[1],
                                      .user = demo_tmpf(c, "contoso\\%s", o->users[dv->owner].sam),
                                      .sent = demo_rng_range(&r, 900, 60000),
                                      .received = demo_rng_range(&r, 4000, 4000000), .dir = "Outbound"});
            }
            /* DNS from the site's domain controller */
            int m = demo_rng_poisson(&r, 20.0 * c->scale);
            for (int k = 0; k < m; k++)
                demo_cef(c, &(dm_cef){.t = day0 + (int64_t)(demo_rng_unit(&r) * (double)DEMO_DAY), .office = of,
                                      .src = demo_tmpf(c, "10.%d.1.10", off->lan), .dst = DEMO_PICK(&r, ((const char *[]){"8.8.8.8", "1.1.1.1"})),
                                      .dport = 53, .proto = "UDP", .app = "dns", .sent = 74, .received = 160,
                                      .dir = "Outbound"});
            /* the internet knocking on the door */
            int s = demo_rng_poisson(&r, (of == OFF_CHICAGO ? 110.0 : 45.0) * c->scale);
            for (int k = 0; k < s; k++) {
                char ip[16];
                scanner_ip(&r, ip);
                static const int PORTS[] = {22, 23, 445, 3389, 1433, 3306, 8080, 5900, 25, 21, 139, 5985, 6379, 9200};
                static const double PW[] = {14, 9, 12, 16, 6, 4, 7, 3, 3, 3, 2, 2, 1, 1};
                int port = PORTS[demo_rng_weighted(&r, PW, SP_ARRAY_LEN(PW))];
                double x = demo_rng_unit(&r);
                demo_cef(c, &(dm_cef){.t = day0 + (int64_t)(demo_rng_unit(&r) * (double)DEMO_DAY) + demo_jitter_ms(&r),
                                      .office = of, .src = ip, .dst = off->egress[0], .dport = port,
                                      .action = x < 0.6 ? off->fw_deny : off->fw_drop, .deny = true,
                                      .dir = "Inbound", .app = "incomplete"});
            }
            /* blocked outbound applications */
            int b = demo_rng_poisson(&r, 4.0 * c->scale);
            for (int k = 0; k < b; k++) {
                int ws = o->workstations_begin + (int)demo_rng_below(&r, (uint32_t)(o->workstations_end - o->workstations_begin));
                if (o->devices[ws].office != of) continue;
                char ip[16];
                snprintf(ip, sizeof ip, "%d.%d.%d.%d", demo_rng_range(&r, 60, 220), demo_rng_range(&r, 1, 254),
                         demo_rng_range(&r, 0, 255), demo_rng_range(&r, 1, 254));
                demo_cef(c, &(dm_cef){.t = work + (int64_t)(demo_rng_unit(&r) * 9.0 * (double)DEMO_HOUR), .office = of,
                                      .src = o->devices[ws].local_ip, .dst = ip,
                                      .dport = DEMO_PICK(&r, ((const int[]){6881, 9001, 51413, 1194})),
                                      .action = of == OFF_LONDON || of == OFF_BANGALORE ? "block" : off->fw_deny,
                                      .deny = true, .app = DEMO_PICK(&r, ((const char *[]){"bittorrent", "tor", "openvpn"})),
                                      .dir = "Outbound"});
            }
        }
        /* the DMZ behind the Chicago firewall */
        static const int DMZ_PORT[] = {443, 443, 443, 25};
        int nd = demo_rng_poisson(&r, 90.0 * c->scale);
        for (int k = 0; k < nd; k++) {
            int target = DEMO_PICK(&r, ((const int[]){0, 1, 2, 3}));
            int devs[4] = {o->web1, o->rdg1, o->exch1, demo_device_find(o, "lnx-web01")};
            const demo_device *dv = &o->devices[devs[target]];
            int u = (int)demo_rng_below(&r, (uint32_t)o->nusers);
            demo_cef(c, &(dm_cef){.t = day0 + (int64_t)(demo_rng_unit(&r) * (double)DEMO_DAY) + demo_jitter_ms(&r),
                                  .office = OFF_CHICAGO, .src = o->users[u].home_ip, .dst = dv->public_ip,
                                  .dport = target == 2 ? DMZ_PORT[demo_rng_below(&r, 4)] : 443, .app = "ssl",
                                  .sent = demo_rng_range(&r, 800, 30000), .received = demo_rng_range(&r, 2000, 900000),
                                  .dir = "Inbound"});
        }
    }
}
