/* Everyday file activity: documents saved, downloads with their origin URL,
 * temp files, scripts, disk images, patch-day DLLs, backups and file-share writes. */
#include "demo_int.h"

#include <stdio.h>

static const char *const DOCNAMES[] = {"Q3 forecast", "Budget 2025", "Customer proposal", "Meeting notes",
                                       "Project plan", "Invoice summary", "Quarterly review", "Org chart",
                                       "Travel expenses", "Vendor list", "Roadmap", "Status report"};
static const char *const EXT[] = {"docx", "xlsx", "pptx", "pdf", "docx", "xlsx"};

typedef struct download {
    const char *name, *url, *referrer;
    bool run;                  /* installers: executed right away */
} download;

static const download DOWNLOADS[] = {
    {"ZoomInstallerFull.exe", "https://zoom.us/client/6.2.5.48123/ZoomInstallerFull.exe", "https://zoom.us/download", true},
    {"npp.8.6.9.Installer.x64.exe", "https://github.com/notepad-plus-plus/notepad-plus-plus/releases/download/v8.6.9/npp.8.6.9.Installer.x64.exe", "https://notepad-plus-plus.org/downloads/", true},
    {"ChromeSetup.exe", "https://dl.google.com/tag/s/appguid%3D%7B8A69D345-D564-463C-AFF1-A69D9E530F96%7D/update2/installers/ChromeSetup.exe", "https://www.google.com/chrome/", true},
    {"putty-64bit-0.81-installer.msi", "https://the.earth.li/~sgtatham/putty/0.81/w64/putty-64bit-0.81-installer.msi", "https://www.chiark.greenend.org.uk/~sgtatham/putty/", false},
    {"7z2408-x64.exe", "https://www.7-zip.org/a/7z2408-x64.exe", "https://www.7-zip.org/download.html", true},
    {"AcroRdrDC2400320112_en_US.exe", "https://ardownload2.adobe.com/pub/adobe/reader/win/AcrobatDC/2400320112/AcroRdrDC2400320112_en_US.exe", "https://get.adobe.com/reader/", false},
    {"Benefits Guide 2025.pdf", "https://contoso.sharepoint.com/sites/HR/Shared%20Documents/Benefits%20Guide%202025.pdf", NULL, false},
    {"statement_oct.pdf", "https://www.chase.com/content/dam/statements/statement_oct.pdf", NULL, false},
    {"dataset.zip", "https://github.com/contoso/analytics-samples/archive/refs/heads/main.zip", "https://github.com/contoso/analytics-samples", false},
    {"logo-pack.zip", "https://contoso.sharepoint.com/sites/Marketing/Brand/logo-pack.zip", NULL, false},
};

static int64_t in_day(demo_rng *r, int64_t begin, int64_t end) {
    return begin + (int64_t)(demo_rng_unit(r) * (double)(end - begin)) + demo_jitter_ms(r);
}

static void workstation(demo_ctx *c, demo_rng *r, int dev, int u, int64_t begin, int64_t end) {
    const demo_org *o = &c->org;
    const demo_user *pu = &o->users[u];
    bool mac = o->devices[dev].os == OS_MAC;
    const char *docs = mac ? "/Users/%USER%/Documents" : "C:\\Users\\%USER%\\OneDrive - Contoso\\Documents";
    int n = demo_rng_poisson(r, 5.0 * pu->activity * c->scale);
    for (int k = 0; k < n; k++) {
        int64_t t = in_day(r, begin, end);
        double x = demo_rng_unit(r);
        const char *ext = DEMO_PICK(r, EXT);
        const char *name = demo_tmpf(c, "%s.%s", DEMO_PICK(r, DOCNAMES), ext);
        const char *app = !strcmp(ext, "docx") ? "WINWORD.EXE" : !strcmp(ext, "xlsx") ? "EXCEL.EXE"
                          : !strcmp(ext, "pptx") ? "POWERPNT.EXE" : "AcroRd32.exe";
        if (mac) app = "Microsoft Word";
        if (x < 0.35) {
            demo_file(c, &(dm_file){.t = t, .dev = dev, .user = u, .action = demo_rng_chance(r, 0.6) ? "FileModified" : "FileCreated",
                                    .name = name, .dir = docs, .proc = app,
                                    .proc_dir = mac ? "/Applications/Microsoft Word.app/Contents/MacOS" : NULL});
        } else if (x < 0.5 && !mac) {
            const download *dl = &DOWNLOADS[demo_rng_below(r, SP_ARRAY_LEN(DOWNLOADS))];
            const char *browser = (sp_hash_u64((uint64_t)u * 3 + 1) % 4) == 0 ? "chrome.exe" : "msedge.exe";
            demo_file(c, &(dm_file){.t = t, .dev = dev, .user = u, .name = dl->name,
                                    .dir = "C:\\Users\\%USER%\\Downloads", .origin_url = dl->url,
                                    .referrer = dl->referrer, .proc = browser});
            if (dl->run)
                demo_proc(c, &(dm_proc){.t = t + demo_rng_range(r, 20, 900) * DEMO_SEC, .dev = dev, .user = u,
                                        .file = dl->name, .dir = "C:\\Users\\%USER%\\Downloads",
                                        .cmd = demo_tmpf(c, "\"C:\\Users\\%s\\Downloads\\%s\" ", pu->sam, dl->name),
                                        .integrity = "High"});
        } else if (x < 0.62 && !mac) {
            demo_file(c, &(dm_file){.t = t, .dev = dev, .user = u, .name = name,
                                    .dir = "C:\\Users\\%USER%\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\Q7TR2XKA",
                                    .proc = "OUTLOOK.EXE"});
        } else if (x < 0.82) {
            const char *tmp = demo_tmpf(c, "~DF%04X.tmp", (unsigned)demo_rng_below(r, 65536));
            const char *dir = mac ? "/private/var/folders/tmp" : "C:\\Users\\%USER%\\AppData\\Local\\Temp";
            demo_file(c, &(dm_file){.t = t, .dev = dev, .user = u, .name = tmp, .dir = dir, .proc = app});
            demo_file(c, &(dm_file){.t = t + demo_rng_range(r, 30, 3000) * DEMO_SEC, .dev = dev, .user = u,
                                    .action = "FileDeleted", .name = tmp, .dir = dir, .proc = app});
        } else if (x < 0.9) {
            demo_file(c, &(dm_file){.t = t, .dev = dev, .user = u, .action = "FileDeleted", .name = name,
                                    .dir = mac ? "/Users/%USER%/Downloads" : "C:\\Users\\%USER%\\Downloads",
                                    .proc = mac ? "Finder" : "explorer.exe"});
        } else if (x < 0.95) {
            demo_file(c, &(dm_file){.t = t, .dev = dev, .user = u,
                                    .name = demo_tmpf(c, "%s.zip", DEMO_PICK(r, DOCNAMES)),
                                    .dir = mac ? "/Users/%USER%/Desktop" : "C:\\Users\\%USER%\\Desktop",
                                    .proc = mac ? "Archive Utility" : "explorer.exe"});
        } else if (pu->dept == 7 || pu->dept == 5 || pu->dept == 8) {
            static const char *const PS[] = {"Get-StaleDevices.ps1", "Export-GroupMembers.ps1", "deploy.ps1",
                                             "Test-Connectivity.ps1", "build.ps1"};
            demo_file(c, &(dm_file){.t = t, .dev = dev, .user = u, .name = DEMO_PICK(r, PS),
                                    .dir = mac ? "/Users/%USER%/src" : "C:\\Users\\%USER%\\source\\scripts",
                                    .proc = mac ? "Code Helper" : "Code.exe",
                                    .proc_dir = mac ? NULL : "C:\\Users\\%USER%\\AppData\\Local\\Programs\\Microsoft VS Code"});
        }
    }
    /* Once in a while, a disk image or an app that starts at logon. */
    if (!mac && demo_rng_chance(r, 0.02)) {
        bool it = pu->dept == 7 || pu->dept == 5;
        demo_file(c, &(dm_file){.t = in_day(r, begin, end), .dev = dev, .user = u,
                                .name = it ? (pu->dept == 7 ? "SERVER_EVAL_x64FRE_en-us.iso" : "ubuntu-24.04.1-live-server-amd64.iso")
                                           : "ubuntu-24.04.1-preinstalled-server-arm64+raspi.img",
                                .dir = "C:\\Users\\%USER%\\Downloads", .size = it ? 5049040896L : 3221225472L,
                                .origin_url = it ? (pu->dept == 7 ? "https://software-static.download.prss.microsoft.com/dbazure/888969d5-f34g-4e03-ac9d-1f9786c66749/26100.1742.240906-0331.ge_release_svc_refresh_SERVER_EVAL_x64FRE_en-us.iso"
                                                                  : "https://releases.ubuntu.com/24.04.1/ubuntu-24.04.1-live-server-amd64.iso")
                                                 : "https://cdimage.ubuntu.com/releases/24.04.1/release/ubuntu-24.04.1-preinstalled-server-arm64+raspi.img.xz",
                                .proc = "msedge.exe"});
    }
    if (!mac && demo_rng_chance(r, 0.004)) {
        demo_file(c, &(dm_file){.t = in_day(r, begin, end), .dev = dev, .user = u, .name = "Zoom.lnk",
                                .dir = "C:\\Users\\%USER%\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup",
                                .proc = "Zoom.exe"});
    }
}

static void server(demo_ctx *c, demo_rng *r, int dev, int d, int64_t begin) {
    const demo_org *o = &c->org;
    const demo_device *dv = &o->devices[dev];
    bool fs = dv->role && !strcmp(dv->role, "FileServer");
    int n = demo_rng_poisson(r, (fs ? 45.0 : 4.0) * c->scale);
    for (int k = 0; k < n; k++) {
        int64_t t = begin + (int64_t)((0.3 + demo_rng_unit(r) * 0.6) * (double)DEMO_DAY) + demo_jitter_ms(r);
        if (fs) {
            int u = (int)demo_rng_below(r, (uint32_t)(o->workstations_end - o->workstations_begin));
            const demo_device *ws = &o->devices[o->workstations_begin + u];
            int owner = ws->owner;
            if (owner < 0 || o->users[owner].dept < 0) continue;
            const char *dept = demo_depts[o->users[owner].dept].site;
            const char *name = demo_tmpf(c, "%s.%s", DEMO_PICK(r, DOCNAMES), DEMO_PICK(r, EXT));
            demo_file(c, &(dm_file){.t = t, .dev = dev, .user = -1,
                                    .action = DEMO_PICK(r, ((const char *[]){"FileModified", "FileModified", "FileCreated", "FileDeleted"})),
                                    .name = name, .dir = demo_tmpf(c, "D:\\Shares\\%s", dept),
                                    .proc = "System", .proc_dir = "", .req_proto = "SMB",
                                    .req_ip = ws->local_ip, .req_account = o->users[owner].sam,
                                    .share = dept});
        } else {
            /* logs rotate and temp files go around the clock */
            int64_t tt = begin + (int64_t)(demo_rng_unit(r) * (double)DEMO_DAY) + demo_jitter_ms(r);
            demo_file(c, &(dm_file){.t = tt, .dev = dev, .user = -1,
                                    .name = demo_tmpf(c, "%s.log", DEMO_PICK(r, ((const char *[]){"u_ex241120", "setupapi.dev", "MpSigStub", "WindowsUpdate"}))),
                                    .dir = DEMO_PICK(r, ((const char *[]){"C:\\inetpub\\logs\\LogFiles\\W3SVC1", "C:\\Windows\\INF", "C:\\Windows\\Temp", "C:\\Windows\\Logs\\WindowsUpdate"})),
                                    .action = demo_rng_chance(r, 0.3) ? "FileDeleted" : "FileModified", .proc = "svchost.exe"});
        }
    }
    int wd = sp_weekday(demo_day_start(c, d));
    if (wd == 3 && dv->os != OS_LINUX) {
        static const char *const DLLS[] = {"ntdll.dll", "kernelbase.dll", "win32kfull.sys", "msmpeng_shim.dll",
                                           "combase.dll", "rpcrt4.dll", "wldp.dll", "cryptsp.dll"};
        int m = demo_rng_range(r, 3, 6);
        for (int k = 0; k < m; k++)
            demo_file(c, &(dm_file){.t = begin + 3 * DEMO_HOUR + demo_rng_range(r, 60, 3000) * DEMO_SEC, .dev = dev,
                                    .user = -1, .action = demo_rng_chance(r, 0.5) ? "FileModified" : "FileCreated",
                                    .name = DEMO_PICK(r, DLLS), .dir = "C:\\Windows\\System32", .proc = "TiWorker.exe",
                                    .proc_cmd = "C:\\Windows\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.17763.6292_none_7b3e3b6b9c1c6a1d\\TiWorker.exe -Embedding"});
    }
    if (dev == o->backup1) {
        /* nightly backups: one image per protected server, then encrypted */
        static const char *const SRC[] = {"srv-fs01", "srv-app01", "srv-sql01", "srv-dc01", "srv-erp01"};
        int64_t t = begin + 22 * DEMO_HOUR + 10 * DEMO_MIN;
        sp_tm tm;
        sp_ticks_to_tm(begin, &tm);
        for (size_t k = 0; k < SP_ARRAY_LEN(SRC); k++) {
            const char *img = demo_tmpf(c, "%s_%04d-%02d-%02d.vhdx", SRC[k], tm.year, tm.month, tm.day);
            demo_file(c, &(dm_file){.t = t + (int64_t)k * 11 * DEMO_MIN, .dev = dev, .user = o->svc_backup,
                                    .name = img, .dir = "E:\\Backups\\Images", .size = 42949672960L,
                                    .proc = "BackupAgent.exe"});
            demo_file(c, &(dm_file){.t = t + (int64_t)k * 11 * DEMO_MIN + 9 * DEMO_MIN, .dev = dev,
                                    .user = o->svc_backup, .name = demo_tmpf(c, "%s.encrypted", img),
                                    .dir = "E:\\Backups\\Offsite", .size = 42949673472L, .proc = "BackupAgent.exe"});
        }
        if (wd == 0)
            demo_file(c, &(dm_file){.t = t + 2 * DEMO_HOUR, .dev = dev, .user = o->svc_backup,
                                    .name = demo_tmpf(c, "weekly_archive_%04d%02d%02d.vhd", tm.year, tm.month, tm.day),
                                    .dir = "E:\\Backups\\AzureUpload", .size = 107374182400L, .proc = "BackupAgent.exe"});
    }
}

void demo_bg_file(demo_ctx *c) {
    const demo_org *o = &c->org;
    for (int d = 0; d <= c->days; d++) {
        demo_rng r;
        demo_rng_seed(&r, c->opt.seed, "file", (uint64_t)d);
        for (int dev = 0; dev < o->ndevices; dev++) {
            int64_t begin, end;
            int u;
            if (!demo_device_day(c, dev, d, &begin, &end, &u)) continue;
            if (o->devices[dev].kind == DEV_SERVER) server(c, &r, dev, d, begin);
            else workstation(c, &r, dev, u, begin, end);
        }
    }
}
