/* Everyday Windows Security log from servers (SecurityEvent): logons and
 * logoffs, privileged logons, process creation, Kerberos on DCs, failed logons. */
#include "demo_int.h"

#include <stdio.h>

static const char *const PROCS[][3] = {
    /* new process, parent, command line */
    {"C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\services.exe", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p"},
    {"C:\\Windows\\System32\\taskhostw.exe", "C:\\Windows\\System32\\svchost.exe", "taskhostw.exe"},
    {"C:\\Windows\\System32\\conhost.exe", "C:\\Windows\\System32\\cmd.exe", "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1"},
    {"C:\\Windows\\System32\\robocopy.exe", "C:\\Windows\\System32\\cmd.exe", "robocopy D:\\Shares\\Finance \\\\srv-backup01\\stage$\\Finance /MIR /R:1 /W:1 /NP /LOG+:C:\\Scripts\\logs\\sync.log"},
    {"C:\\Windows\\System32\\forfiles.exe", "C:\\Windows\\System32\\cmd.exe", "forfiles /p C:\\inetpub\\logs\\LogFiles /s /m *.log /d -30 /c \"cmd /c del @path\""},
    {"C:\\Windows\\System32\\cmd.exe", "C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\system32\\cmd.exe /c C:\\Scripts\\nightly_cleanup.bat"},
    {"C:\\Windows\\System32\\wbem\\WmiPrvSE.exe", "C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding"},
    {"C:\\Program Files\\Microsoft Monitoring Agent\\Agent\\MonitoringHost.exe", "C:\\Program Files\\Microsoft Monitoring Agent\\Agent\\HealthService.exe", "\"C:\\Program Files\\Microsoft Monitoring Agent\\Agent\\MonitoringHost.exe\" -Embedding"},
    {"C:\\Windows\\System32\\wevtutil.exe", "C:\\Windows\\System32\\cmd.exe", "wevtutil epl Application C:\\Scripts\\logs\\app.evtx"},
    {"C:\\Windows\\System32\\gpupdate.exe", "C:\\Windows\\System32\\svchost.exe", "gpupdate.exe /target:computer"},
};

static void internet_ip(demo_rng *r, char out[16]) {
    static const int NETS[] = {45, 80, 89, 91, 103, 141, 185, 193, 194, 212};
    snprintf(out, 16, "%d.%d.%d.%d", DEMO_PICK(r, NETS), demo_rng_range(r, 1, 254),
             demo_rng_range(r, 0, 255), demo_rng_range(r, 1, 254));
}

static int random_ws(const demo_ctx *c, demo_rng *r) {
    return c->org.workstations_begin +
           (int)demo_rng_below(r, (uint32_t)(c->org.workstations_end - c->org.workstations_begin));
}

void demo_bg_secevent(demo_ctx *c) {
    const demo_org *o = &c->org;
    for (int d = 0; d <= c->days; d++) {
        demo_rng r;
        demo_rng_seed(&r, c->opt.seed, "secevent", (uint64_t)d);
        for (int dev = 0; dev < o->ndevices; dev++) {
            int64_t begin, end;
            int u;
            const demo_device *dv = &o->devices[dev];
            if (dv->kind != DEV_SERVER || !demo_is_windows(dv)) continue;
            if (!demo_device_day(c, dev, d, &begin, &end, &u)) continue;
            bool dc = dv->role && !strcmp(dv->role, "DomainController");
            /* network logons from workstations, each with its logoff */
            int n = demo_rng_poisson(&r, (dc ? 30.0 : 14.0) * c->scale);
            for (int k = 0; k < n; k++) {
                int64_t t = begin + (int64_t)((0.25 + demo_rng_unit(&r) * 0.6) * (double)DEMO_DAY) + demo_jitter_ms(&r);
                int ws = random_ws(c, &r);
                int who = o->devices[ws].owner;
                if (who < 0) continue;
                demo_secev(c, &(dm_secev){.t = t, .dev = dev, .id = 4624, .user = who, .logon_type = 3,
                                          .ip = o->devices[ws].local_ip, .workstation = o->devices[ws].name,
                                          .auth_package = demo_rng_chance(&r, 0.8) ? "Kerberos" : "NTLM",
                                          .logon_process = "Kerberos"});
                demo_secev(c, &(dm_secev){.t = t + demo_rng_range(&r, 5, 900) * DEMO_SEC, .dev = dev, .id = 4634,
                                          .user = who, .logon_type = 3});
                if (dc) {
                    demo_secev(c, &(dm_secev){.t = t - 2 * DEMO_SEC, .dev = dev, .id = 4768, .user = who,
                                              .ip = o->devices[ws].local_ip});
                    demo_secev(c, &(dm_secev){.t = t - DEMO_SEC, .dev = dev, .id = 4769, .user = who,
                                              .ip = o->devices[ws].local_ip,
                                              .service_name = DEMO_PICK(&r, ((const char *[]){"srv-fs01$", "srv-sql01$", "HTTP/srv-web02.corp.contoso.com", "cifs/srv-fs01"}))});
                }
            }
            /* machine and service logons */
            demo_secev(c, &(dm_secev){.t = begin + 2 * DEMO_HOUR, .dev = dev, .id = 4624, .user = -1, .logon_type = 5,
                                      .account = "NT AUTHORITY\\SYSTEM", .logon_process = "Advapi  ",
                                      .auth_package = "Negotiate", .process = "C:\\Windows\\System32\\services.exe"});
            /* process creation */
            int m = demo_rng_poisson(&r, 12.0 * c->scale);
            for (int k = 0; k < m; k++) {
                const char *const *p = PROCS[demo_rng_below(&r, SP_ARRAY_LEN(PROCS))];
                int64_t t = begin + (int64_t)(demo_rng_unit(&r) * (double)DEMO_DAY) + demo_jitter_ms(&r);
                bool svc = strstr(p[0], "robocopy") != NULL;
                demo_secev(c, &(dm_secev){.t = t, .dev = dev, .id = 4688, .user = svc ? o->svc_backup : -1,
                                          .account = svc ? NULL : demo_tmpf(c, "%s\\%.15s$", DEMO_NETBIOS, dv->name),
                                          .process = p[0], .parent = p[1], .cmd = p[2]});
            }
            /* an administrator's session: RDP logon, privileges, a few commands */
            if (demo_rng_chance(&r, 0.35)) {
                int a = o->admins[demo_rng_below(&r, (uint32_t)o->nadmins)];
                int from = o->mgmt1;
                int64_t t = begin + (int64_t)((0.58 + demo_rng_unit(&r) * 0.3) * (double)DEMO_DAY);
                demo_secev(c, &(dm_secev){.t = t, .dev = dev, .id = 4624, .user = a, .logon_type = 10,
                                          .ip = o->devices[from].local_ip, .workstation = o->devices[from].name,
                                          .auth_package = "Negotiate", .logon_process = "User32 "});
                demo_secev(c, &(dm_secev){.t = t, .dev = dev, .id = 4672, .user = a});
                demo_secev(c, &(dm_secev){.t = t + 60 * DEMO_SEC, .dev = dev, .id = 4688, .user = a,
                                          .process = "C:\\Windows\\System32\\cmd.exe",
                                          .parent = "C:\\Windows\\explorer.exe", .cmd = "\"C:\\Windows\\system32\\cmd.exe\" "});
                demo_secev(c, &(dm_secev){.t = t + 90 * DEMO_SEC, .dev = dev, .id = 4688, .user = a,
                                          .process = DEMO_PICK(&r, ((const char *[]){"C:\\Windows\\System32\\ipconfig.exe", "C:\\Windows\\System32\\net.exe", "C:\\Windows\\System32\\sc.exe"})),
                                          .parent = "C:\\Windows\\System32\\cmd.exe",
                                          .cmd = DEMO_PICK(&r, ((const char *[]){"ipconfig /all", "net use", "sc query Spooler"}))});
                demo_secev(c, &(dm_secev){.t = t + 120 * DEMO_SEC, .dev = dev, .id = 4688, .user = a,
                                          .process = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                                          .parent = "C:\\Windows\\explorer.exe",
                                          .cmd = "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" "});
            }
            /* failed logons: typos inside, password guessing from the internet outside */
            int f = demo_rng_poisson(&r, (dv->internet_facing ? 16.0 : 1.0) * c->scale);
            for (int k = 0; k < f; k++) {
                int64_t t = begin + (int64_t)(demo_rng_unit(&r) * (double)DEMO_DAY) + demo_jitter_ms(&r);
                char ip[16];
                if (dv->internet_facing) {
                    internet_ip(&r, ip);
                    demo_secev(c, &(dm_secev){.t = t, .dev = dev, .id = 4625, .user = -1,
                                              .account = demo_tmpf(c, "%s\\%s", dv->name,
                                                                   DEMO_PICK(&r, ((const char *[]){"administrator", "admin", "user", "scanner", "test"}))),
                                              .logon_type = 3, .ip = ip, .workstation = "-",
                                              .auth_package = "NTLM", .status = "0xc000006d",
                                              .substatus = demo_rng_chance(&r, 0.7) ? "0xc0000064" : "0xc000006a"});
                } else {
                    int ws = random_ws(c, &r);
                    if (o->devices[ws].owner < 0) continue;
                    demo_secev(c, &(dm_secev){.t = t, .dev = dev, .id = 4625, .user = o->devices[ws].owner,
                                              .logon_type = 3, .ip = o->devices[ws].local_ip,
                                              .workstation = o->devices[ws].name});
                }
            }
            if (dc && demo_rng_chance(&r, 0.15)) {
                int ws = random_ws(c, &r);
                int who = o->devices[ws].owner;
                if (who >= 0)
                    demo_secev(c, &(dm_secev){.t = begin + 15 * DEMO_HOUR, .dev = dev, .id = 4740, .user = o->admins[0],
                                              .account = "NT AUTHORITY\\SYSTEM", .target_account = o->users[who].sam,
                                              .workstation = o->devices[ws].name});
            }
        }
    }
}
