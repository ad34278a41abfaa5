/* Story: an internet-facing server with a known CVE exploited. MOVEit Transfer
 * on srv-web01 (CVE-2023-34362): probing, SQL injection to RCE, a web shell, commands. */
#include "demo_int.h"

#include <stdio.h>

void demo_story_cve(demo_ctx *c) {
    const demo_org *o = &c->org;
    const demo_plan *p = &c->plan;
    demo_rng r;
    demo_rng_seed(&r, c->opt.seed, "story-cve", 0);
    int dev = p->cve_dev;
    const demo_device *dv = &o->devices[dev];
    int64_t t0 = p->cve_begin;
    demo_story *s = demo_story_new(c, "cve", "Internet-facing MOVEit Transfer server exploited (CVE-2023-34362)");
    s->summary = "srv-web01, the internet-facing MOVEit Transfer server still on a vulnerable build, is "
                 "probed from one address and exploited from another at night: the IIS worker compiles "
                 "and writes the human2.aspx web shell, runs commands through cmd.exe and the attacker "
                 "pulls data out over HTTPS. The shell is removed the next day; the patch is still pending "
                 "in the vulnerability snapshot and the incident stays open until it is installed.";
    s->techniques = "T1595.002, T1190, T1505.003, T1059.003, T1033, T1087";
    const char *w3wp_cmd = "c:\\windows\\system32\\inetsrv\\w3wp.exe -ap \"moveitdmz pool\" -v \"v4.0\" -l \"webengine4.dll\" -a \\\\.\\pipe\\iisipm5e1c -h \"C:\\inetpub\\temp\\apppools\\moveitdmz pool\\moveitdmz pool.config\" -w \"\" -m 0";

    /* 1. Probing, two days before. */
    for (int k = 0; k < 14; k++) {
        int64_t t = t0 - 2 * DEMO_DAY + 3 * DEMO_HOUR + k * 37 * DEMO_SEC;
        demo_net(c, &(dm_net){.t = t, .dev = dev, .user = -1, .action = "InboundConnectionAccepted", .rip = IOC_CVE_IP2,
                              .lport = 443, .proc = "System", .proc_dir = ""});
        demo_cef(c, &(dm_cef){.t = t, .office = OFF_CHICAGO, .src = IOC_CVE_IP2, .dst = dv->public_ip, .dport = 443,
                              .app = "ssl", .url = "https://files.contoso.com/human.aspx", .sent = 1200, .received = 5400,
                              .dir = "Inbound"});
    }
    demo_story_event(c, s, t0 - 2 * DEMO_DAY + 3 * DEMO_HOUR, "DeviceNetworkEvents", "probing of /human.aspx from 198.51.100.151");

    /* 2. Exploitation. */
    for (int k = 0; k < 22; k++) {
        int64_t t = t0 + k * 19 * DEMO_SEC;
        demo_net(c, &(dm_net){.t = t, .dev = dev, .user = -1, .action = "InboundConnectionAccepted", .rip = IOC_CVE_IP1,
                              .lport = 443, .proc = "w3wp.exe", .proc_cmd = w3wp_cmd});
        demo_cef(c, &(dm_cef){.t = t, .office = OFF_CHICAGO, .src = IOC_CVE_IP1, .dst = dv->public_ip, .dport = 443,
                              .app = "ssl", .url = "https://files.contoso.com/moveitisapi/moveitisapi.dll?action=m2",
                              .sent = 3400 + k * 10, .received = k < 15 ? 2800 : 48000000 + k * 1000, .dir = "Inbound"});
    }
    demo_story_event(c, s, t0, "DeviceNetworkEvents", "exploitation requests from 198.51.100.150 to moveitisapi.dll");
    const char *csc = "\"C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe\" /noconfig /fullpaths @\"C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\Temporary ASP.NET Files\\root\\9a1b2c3d\\e4f5a6b7\\ndvkb3b5.cmdline\"";
    demo_proc(c, &(dm_proc){.t = t0 + 95 * DEMO_SEC, .dev = dev, .user = -1, .account = "moveitdmz pool", .file = "csc.exe",
                            .cmd = csc, .parent = "w3wp.exe", .parent_cmd = w3wp_cmd, .integrity = "High"});
    demo_file(c, &(dm_file){.t = t0 + 97 * DEMO_SEC, .dev = dev, .user = -1, .name = "App_Web_ndvkb3b5.dll",
                            .dir = "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\Temporary ASP.NET Files\\root\\9a1b2c3d\\e4f5a6b7",
                            .size = 9728, .proc = "csc.exe", .proc_cmd = csc});
    demo_file(c, &(dm_file){.t = t0 + 99 * DEMO_SEC, .dev = dev, .user = -1, .name = IOC_CVE_WEBSHELL,
                            .dir = "C:\\MOVEitTransfer\\wwwroot", .size = 7341, .proc = "w3wp.exe", .proc_cmd = w3wp_cmd});
    demo_story_event(c, s, t0 + 99 * DEMO_SEC, "DeviceFileEvents", "web shell C:\\MOVEitTransfer\\wwwroot\\human2.aspx written by w3wp.exe");
    static const char *const CMDS[][2] = {
        {"whoami.exe", "whoami"},
        {"net.exe", "net  user"},
        {"ipconfig.exe", "ipconfig  /all"},
        {"cmd.exe", "cmd.exe /c dir C:\\MOVEitTransfer\\Files"},
    };
    for (int k = 0; k < 4; k++) {
        int64_t t = t0 + 3 * DEMO_MIN + k * 50 * DEMO_SEC;
        const char *cmd = demo_tmpf(c, "cmd.exe /c %s", CMDS[k][1]);
        demo_proc(c, &(dm_proc){.t = t, .dev = dev, .user = -1, .account = "moveitdmz pool", .file = "cmd.exe", .cmd = cmd,
                                .parent = "w3wp.exe", .parent_cmd = w3wp_cmd, .integrity = "High"});
        demo_secev(c, &(dm_secev){.t = t, .dev = dev, .id = 4688, .user = -1, .account = "IIS APPPOOL\\moveitdmz pool",
                                  .process = "C:\\Windows\\System32\\cmd.exe", .parent = "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
                                  .cmd = cmd});
        if (strcmp(CMDS[k][0], "cmd.exe")) {
            demo_proc(c, &(dm_proc){.t = t + DEMO_SEC, .dev = dev, .user = -1, .account = "moveitdmz pool", .file = CMDS[k][0],
                                    .cmd = CMDS[k][1], .parent = "cmd.exe", .parent_cmd = cmd, .grandparent = "w3wp.exe"});
            demo_secev(c, &(dm_secev){.t = t + DEMO_SEC, .dev = dev, .id = 4688, .user = -1, .account = "IIS APPPOOL\\moveitdmz pool",
                                      .process = demo_tmpf(c, "C:\\Windows\\System32\\%s", CMDS[k][0]),
                                      .parent = "C:\\Windows\\System32\\cmd.exe", .cmd = CMDS[k][1]});
        }
    }
    demo_story_event(c, s, t0 + 3 * DEMO_MIN, "DeviceProcessEvents", "w3wp.exe -> cmd.exe /c whoami, net user, ipconfig");

    /* 3. Clean-up the next day. */
    int64_t fix = t0 + 31 * DEMO_HOUR;
    int admin = o->admins[3];
    demo_logon(c, &(dm_logon){.t = fix - 5 * DEMO_MIN, .dev = dev, .user = admin, .type = "RemoteInteractive",
                              .rip = o->devices[o->mgmt1].local_ip, .rdev = o->devices[o->mgmt1].name, .local_admin = true});
    demo_file(c, &(dm_file){.t = fix, .dev = dev, .user = admin, .action = "FileDeleted", .name = IOC_CVE_WEBSHELL,
                            .dir = "C:\\MOVEitTransfer\\wwwroot", .proc = "explorer.exe"});
    demo_proc(c, &(dm_proc){.t = fix + 2 * DEMO_MIN, .dev = dev, .user = admin, .file = "powershell.exe",
                            .cmd = "powershell.exe -Command \"iisreset /restart\"", .integrity = "High"});

    /* Alerts and the incident. */
    demo_alert *a1 = demo_alert_new(c, SRC_MDE, "Possible exploitation of MOVEit Transfer vulnerability (CVE-2023-34362)", "High",
                                    t0 + 2 * DEMO_MIN);
    a1->category = "InitialAccess";
    a1->tactics = "InitialAccess";
    a1->techniques = "T1190";
    a1->desc = "Requests and process activity on srv-web01 match exploitation of the MOVEit Transfer SQL injection vulnerability.";
    a1->start = t0;
    a1->end = t0 + 95 * DEMO_SEC;
    demo_ent_host(a1, dev);
    demo_ent_ip(a1, IOC_CVE_IP1);
    demo_ent_url(a1, "https://files.contoso.com/moveitisapi/moveitisapi.dll?action=m2");

    demo_alert *a2 = demo_alert_new(c, SRC_MDE, "A web shell was installed on a web server", "High", t0 + 4 * DEMO_MIN);
    a2->category = "Persistence";
    a2->tactics = "Persistence";
    a2->techniques = "T1505.003";
    a2->desc = "The IIS worker process wrote a script file that can run attacker commands (human2.aspx).";
    a2->start = a2->end = t0 + 99 * DEMO_SEC;
    demo_ent_host(a2, dev);
    demo_ent_file(a2, dev, IOC_CVE_WEBSHELL, "C:\\MOVEitTransfer\\wwwroot", NULL);
    demo_ent_ip(a2, IOC_CVE_IP1);

    demo_alert *a3 = demo_alert_new(c, SRC_MDE, "Suspicious process launched by an IIS worker process", "Medium", t0 + 6 * DEMO_MIN);
    a3->category = "Execution";
    a3->tactics = "Execution, Discovery";
    a3->techniques = "T1059.003, T1033, T1087";
    a3->desc = "w3wp.exe started a command shell that ran reconnaissance commands.";
    a3->start = t0 + 3 * DEMO_MIN;
    a3->end = t0 + 6 * DEMO_MIN;
    demo_ent_host(a3, dev);
    demo_ent_proc(a3, dev, "cmd.exe /c whoami", "cmd.exe", "C:\\Windows\\System32", t0 + 3 * DEMO_MIN);

    demo_alert *a4 = demo_alert_new(c, SRC_SENTINEL, "TI map IP entity to CommonSecurityLog", "Medium", t0 + 58 * DEMO_MIN);
    a4->category = "CommandAndControl";
    a4->tactics = "Impact";
    a4->techniques = "T1190";
    a4->rule_id = "66c81ae2-1f89-4433-be00-2fbbd9ba5ebe";
    a4->desc = "A firewall log entry matched an active threat intelligence IP indicator.";
    a4->start = t0;
    a4->end = t0 + 7 * DEMO_MIN;
    demo_ent_ip(a4, IOC_CVE_IP1);
    demo_ent_host(a4, dev);
    demo_alert *alerts[] = {a1, a2, a3, a4};
    for (size_t k = 0; k < SP_ARRAY_LEN(alerts); k++) alerts[k]->story = "cve";

    demo_incident *inc = demo_incident_new(c, "Exploitation of internet-facing MOVEit Transfer server srv-web01", "High",
                                           a1->time + 80 * DEMO_SEC);
    inc->story = "cve";
    inc->desc = "CVE-2023-34362 exploited on srv-web01: web shell installed and commands run by the IIS worker process.";
    for (size_t k = 0; k < SP_ARRAY_LEN(alerts); k++) demo_incident_add_alert(c, inc, alerts[k]);
    inc->owner = o->analysts[5 % o->nanalysts];
    inc->assigned_at = t0 + 5 * DEMO_HOUR;
    inc->active_at = t0 + 5 * DEMO_HOUR + 10 * DEMO_MIN;
    demo_incident_label(inc, "Vulnerability", false);
    demo_incident_label(inc, "Internet-facing", true);
    demo_incident_comment(inc, inc->active_at + 12 * DEMO_MIN, inc->owner,
                          "srv-web01 runs MOVEit Transfer 2023.0.1, vulnerable to CVE-2023-34362. Source 198.51.100.150 is in our TI feed.");
    demo_incident_comment(inc, fix + 20 * DEMO_MIN, inc->owner,
                          "Web shell removed and IIS restarted; a WAF rule now blocks moveitisapi abuse. Keeping the incident open until the patch to 2023.0.3 is installed in the next maintenance window.");
    demo_rng lr;
    demo_rng_seed(&lr, c->opt.seed, "story-cve-life", 0);
    demo_incident_lifecycle(c, inc, &lr, "Active", NULL);

    demo_story_fact(c, s, "device", dv->name);
    demo_story_fact(c, s, "public_ip", dv->public_ip);
    demo_story_fact(c, s, "cve", "CVE-2023-34362");
    demo_story_fact(c, s, "software", "progress moveit_transfer 15.0.1.0");
    demo_story_fact(c, s, "exploit_ip", IOC_CVE_IP1);
    demo_story_fact(c, s, "scanner_ip", IOC_CVE_IP2);
    demo_story_fact(c, s, "web_shell", "C:\\MOVEitTransfer\\wwwroot\\human2.aspx");
}
