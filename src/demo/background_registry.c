/* Everyday registry writes on Windows endpoints: app autoruns set by updaters,
 * Defender and policy refreshes, service configuration, Explorer state. */
#include "demo_int.h"

#include <stdio.h>

void demo_bg_registry(demo_ctx *c) {
    const demo_org *o = &c->org;
    for (int d = 0; d <= c->days; d++) {
        demo_rng r;
        demo_rng_seed(&r, c->opt.seed, "registry", (uint64_t)d);
        for (int dev = 0; dev < o->ndevices; dev++) {
            int64_t begin, end;
            int u;
            if (!demo_device_day(c, dev, d, &begin, &end, &u)) continue;
            const demo_device *dv = &o->devices[dev];
            if (!demo_is_windows(dv)) continue;
            const char *sid = u >= 0 ? o->users[u].sid : "S-1-5-18";
            int n = demo_rng_poisson(&r, 3.0 * c->scale);
            for (int k = 0; k < n; k++) {
                int64_t t = begin + (int64_t)(demo_rng_unit(&r) * (double)(end - begin)) + demo_jitter_ms(&r);
                double x = demo_rng_unit(&r);
                if (x < 0.3) {
                    demo_reg(c, &(dm_reg){.t = t, .dev = dev, .user = -1,
                                          .key = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates",
                                          .name = "SignaturesLastUpdated", .type = "Binary",
                                          .data = "a07f6d1c2e3bdb01", .proc = "MsMpEng.exe"});
                } else if (x < 0.5 && u >= 0) {
                    demo_reg(c, &(dm_reg){.t = t, .dev = dev, .user = u,
                                          .key = demo_tmpf(c, "HKEY_CURRENT_USER\\%s\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RecentDocs\\.%s",
                                                           sid, DEMO_PICK(&r, ((const char *[]){"docx", "xlsx", "pdf", "pptx"}))),
                                          .name = "MRUListEx", .type = "Binary", .data = "0300000002000000",
                                          .proc = "explorer.exe"});
                } else if (x < 0.65) {
                    demo_reg(c, &(dm_reg){.t = t, .dev = dev, .user = -1,
                                          .key = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU",
                                          .name = "NoAutoUpdate", .type = "Dword", .data = "0",
                                          .proc = "svchost.exe",
                                          .proc_cmd = "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s gpsvc"});
                } else if (x < 0.8) {
                    const char *svc = DEMO_PICK(&r, ((const char *[]){"edgeupdate", "gupdate", "BITS", "wuauserv", "Sense"}));
                    demo_reg(c, &(dm_reg){.t = t, .dev = dev, .user = -1,
                                          .key = demo_tmpf(c, "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\%s", svc),
                                          .name = "Start", .type = "Dword",
                                          .data = DEMO_PICK(&r, ((const char *[]){"2", "3"})), .proc = "services.exe"});
                } else if (x < 0.9 && u >= 0) {
                    demo_reg(c, &(dm_reg){.t = t, .dev = dev, .user = u,
                                          .key = demo_tmpf(c, "HKEY_CURRENT_USER\\%s\\Software\\Microsoft\\Windows\\CurrentVersion\\Run", sid),
                                          .name = "OneDrive",
                                          .data = "\"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe\" /background",
                                          .proc = "OneDrive.exe",
                                          .proc_cmd = "\"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe\" /update /restart"});
                } else if (u >= 0) {
                    demo_reg(c, &(dm_reg){.t = t, .dev = dev, .user = u, .action = "RegistryKeyCreated",
                                          .key = demo_tmpf(c, "HKEY_CURRENT_USER\\%s\\Software\\Microsoft\\Office\\16.0\\Common\\Identity\\Identities\\%04x_ADAL",
                                                           sid, (unsigned)demo_rng_below(&r, 65536)),
                                          .proc = "OUTLOOK.EXE"});
                }
            }
            /* App updaters occasionally (re)write their autostart entries. */
            if (u >= 0 && demo_rng_chance(&r, 0.02)) {
                demo_reg(c, &(dm_reg){.t = begin + 5 * DEMO_MIN, .dev = dev, .user = u,
                                      .key = demo_tmpf(c, "HKEY_CURRENT_USER\\%s\\Software\\Microsoft\\Windows\\CurrentVersion\\Run", sid),
                                      .name = "ms-teams", .data = "\"ms-teams.exe\" msteams:system-initiated",
                                      .proc = "ms-teams.exe"});
            }
            if (dv->kind == DEV_SERVER && demo_rng_chance(&r, 0.03)) {
                demo_reg(c, &(dm_reg){.t = begin + 3 * DEMO_HOUR, .dev = dev, .user = -1,
                                      .key = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
                                      .name = "MMAHealthCheck",
                                      .data = "\"C:\\Program Files\\Microsoft Monitoring Agent\\Agent\\HealthService.exe\" -check",
                                      .proc = "msiexec.exe", .proc_cmd = "C:\\Windows\\system32\\msiexec.exe /V"});
            }
        }
    }
}
