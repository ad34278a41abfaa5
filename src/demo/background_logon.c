/* Everyday logons seen by Defender: interactive and unlock on workstations,
 * network logons to file servers and DCs, admin RDP, services, internet brute force. */
#include "demo_int.h"

#include <stdio.h>

static void internet_ip(demo_rng *r, char out[16]) {
    static const int NETS[] = {45, 80, 89, 91, 103, 141, 185, 193, 194, 212};
    snprintf(out, 16, "%d.%d.%d.%d", DEMO_PICK(r, NETS), demo_rng_range(r, 1, 254),
             demo_rng_range(r, 0, 255), demo_rng_range(r, 1, 254));
}

static void workstation(demo_ctx *c, demo_rng *r, int dev, int u, int d, int64_t begin, int64_t end) {
    const demo_org *o = &c->org;
    const demo_user *pu = &o->users[u];
    bool remote = demo_remote_day(c, u, d);
    bool mac = o->devices[dev].os == OS_MAC;
    if (demo_rng_chance(r, 0.04))
        demo_logon(c, &(dm_logon){.t = begin - 20 * DEMO_SEC, .dev = dev, .user = u, .action = "LogonFailed",
                                  .type = "Interactive", .local_admin = pu->local_admin});
    demo_logon(c, &(dm_logon){.t = begin, .dev = dev, .user = u,
                              .type = mac ? "Interactive" : remote ? "CachedInteractive" : "Interactive",
                              .protocol = mac ? NULL : remote ? "Negotiate" : "Kerberos",
                              .local_admin = pu->local_admin, .proc = mac ? "loginwindow" : NULL});
    if (mac) return;
    int n = demo_rng_poisson(r, 3.0 * c->scale);
    for (int k = 0; k < n; k++) {
        int64_t t = begin + (int64_t)(demo_rng_unit(r) * (double)(end - begin));
        demo_logon(c, &(dm_logon){.t = t, .dev = dev, .user = u, .type = "Unlock", .local_admin = pu->local_admin});
    }
    /* The file server sees the user's drive mappings. */
    if (!remote) {
        int fs = o->devices[dev].office == OFF_CHICAGO ? o->fs1
                 : demo_device_find(o, o->devices[dev].office == OFF_LONDON ? "srv-lon-fs01"
                                       : o->devices[dev].office == OFF_MUNICH ? "srv-muc-fs01"
                                       : o->devices[dev].office == OFF_NEWYORK ? "srv-nyc-fs01" : "srv-blr-fs01");
        if (fs >= 0)
            demo_logon(c, &(dm_logon){.t = begin + 9 * DEMO_SEC, .dev = fs, .user = u, .type = "Network",
                                      .protocol = "Kerberos", .rip = o->devices[dev].local_ip,
                                      .rdev = o->devices[dev].name});
    }
    /* ... and the domain controller the machine account. */
    demo_logon(c, &(dm_logon){.t = begin - 2 * DEMO_MIN, .dev = o->dc1, .user = -1,
                              .account = demo_tmpf(c, "%s$", o->devices[dev].name), .domain = "contoso",
                              .type = "Network", .protocol = "Kerberos", .rip = o->devices[dev].local_ip});
}

static void server(demo_ctx *c, demo_rng *r, int dev, int64_t begin) {
    const demo_org *o = &c->org;
    const demo_device *dv = &o->devices[dev];
    if (dv->os == OS_LINUX) {
        int n = demo_rng_poisson(r, 1.5 * c->scale);
        for (int k = 0; k < n; k++) {
            int a = o->admins[demo_rng_below(r, (uint32_t)o->nadmins)];
            int ws = o->users[o->users[a].person].device;
            demo_logon(c, &(dm_logon){.t = begin + (int64_t)((0.55 + demo_rng_unit(r) * 0.35) * (double)DEMO_DAY),
                                      .dev = dev, .user = -1, .account = o->users[o->users[a].person].sam,
                                      .type = "Network", .rip = o->devices[ws].local_ip, .rport = 22});
        }
        if (dv->internet_facing) {
            int m = demo_rng_poisson(r, 30.0 * c->scale);
            for (int k = 0; k < m; k++) {
                char ip[16];
                internet_ip(r, ip);
                demo_logon(c, &(dm_logon){.t = begin + (int64_t)(demo_rng_unit(r) * (double)DEMO_DAY),
                                          .dev = dev, .user = -1, .account = DEMO_PICK(r, ((const char *[]){"root", "admin", "ubuntu", "test", "oracle"})),
                                          .action = "LogonFailed", .type = "Network", .rip = ip, .rport = 22,
                                          .failure = "InvalidUserNameOrPassword", .local_admin = true});
            }
        }
        return;
    }
    /* Service logons at the start of the day. */
    if (dv->role && (!strcmp(dv->role, "DatabaseServer") || !strcmp(dv->role, "BackupServer")))
        demo_logon(c, &(dm_logon){.t = begin + 5 * DEMO_MIN, .dev = dev,
                                  .user = !strcmp(dv->role, "DatabaseServer") ? o->svc_sql : o->svc_backup,
                                  .type = "Service", .protocol = "Negotiate", .proc = "services.exe"});
    /* Administrators over RDP from their workstations or the jump host. */
    int n = demo_rng_poisson(r, 0.6 * c->scale);
    for (int k = 0; k < n; k++) {
        int a = o->admins[demo_rng_below(r, (uint32_t)o->nadmins)];
        int from = demo_rng_chance(r, 0.6) ? o->mgmt1 : o->users[o->users[a].person].device;
        int64_t t = begin + (int64_t)((0.55 + demo_rng_unit(r) * 0.35) * (double)DEMO_DAY);
        if (demo_rng_chance(r, 0.08))
            demo_logon(c, &(dm_logon){.t = t - 15 * DEMO_SEC, .dev = dev, .user = a, .action = "LogonFailed",
                                      .type = "RemoteInteractive", .rip = o->devices[from].local_ip,
                                      .rdev = o->devices[from].name, .local_admin = true});
        demo_logon(c, &(dm_logon){.t = t, .dev = dev, .user = a, .type = "RemoteInteractive",
                                  .protocol = "Negotiate", .rip = o->devices[from].local_ip,
                                  .rdev = o->devices[from].name, .local_admin = true});
    }
    /* The internet-facing gateway and web servers are probed all day. */
    if (dv->internet_facing && dv->os != OS_LINUX) {
        int m = demo_rng_poisson(r, 14.0 * c->scale);
        for (int k = 0; k < m; k++) {
            char ip[16];
            internet_ip(r, ip);
            demo_logon(c, &(dm_logon){.t = begin + (int64_t)(demo_rng_unit(r) * (double)DEMO_DAY), .dev = dev,
                                      .user = -1,
                                      .account = DEMO_PICK(r, ((const char *[]){"administrator", "Administrator", "admin", "scanner", "backup"})),
                                      .domain = dv->name, .action = "LogonFailed", .type = "Network",
                                      .protocol = "NTLM", .rip = ip, .local_admin = true,
                                      .failure = demo_rng_chance(r, 0.8) ? "InvalidUserNameOrPassword" : "AccountLocked"});
        }
    }
}

void demo_bg_logon(demo_ctx *c) {
    const demo_org *o = &c->org;
    for (int d = 0; d <= c->days; d++) {
        demo_rng r;
        demo_rng_seed(&r, c->opt.seed, "logon", (uint64_t)d);
        for (int dev = 0; dev < o->ndevices; dev++) {
            int64_t begin, end;
            int u;
            if (!demo_device_day(c, dev, d, &begin, &end, &u)) continue;
            if (o->devices[dev].kind == DEV_SERVER) server(c, &r, dev, begin);
            else workstation(c, &r, dev, u, d, begin, end);
        }
    }
}
