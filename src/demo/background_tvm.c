/* The vulnerability snapshot (DeviceTvmSoftwareVulnerabilities): installed
 * software per device, and one row per CVE where the installed version is exposed. */
#include "demo_int.h"

#include <stdio.h>

typedef struct cve {
    const char *id, *severity, *tags;   /* tags: CveTags JSON */
} cve;

typedef struct software {
    const char *vendor, *name, *version;
    const char *update, *kb;            /* RecommendedSecurityUpdate(Id) */
    cve cves[4];
} software;

enum { SW_WINDOWS = 1, SW_SERVER = 2, SW_MAC = 4, SW_LINUX = 8 };

typedef struct placement {
    const software *sw;
    int where;                 /* SW_* */
    double installed, exposed;  /* probability installed, and running a vulnerable version */
    int dept;                  /* only this department, or -1 */
} placement;

static const software WIN10 = {"microsoft", "windows_10", "10.0.19045.4894", "October 2024 Security Updates", "KB5044273",
                               {{"CVE-2024-38063", "Critical", "[]"}, {"CVE-2024-43491", "Critical", "[]"},
                                {"CVE-2024-38193", "High", "[\"ZeroDay\"]"}, {"CVE-2024-30088", "High", "[]"}}};
static const software WIN11 = {"microsoft", "windows_11", "10.0.22631.4169", "October 2024 Security Updates", "KB5044285",
                               {{"CVE-2024-38063", "Critical", "[]"}, {"CVE-2024-38193", "High", "[\"ZeroDay\"]"},
                                {"CVE-2024-43573", "Medium", "[\"ZeroDay\"]"}}};
static const software WS2019 = {"microsoft", "windows_server_2019", "10.0.17763.6293", "October 2024 Security Updates", "KB5044277",
                                {{"CVE-2024-38077", "Critical", "[]"}, {"CVE-2024-38063", "Critical", "[]"},
                                 {"CVE-2024-43582", "Critical", "[]"}, {"CVE-2024-38193", "High", "[\"ZeroDay\"]"}}};
static const software WS2016 = {"microsoft", "windows_server_2016", "10.0.14393.7336", "October 2024 Security Updates", "KB5044293",
                                {{"CVE-2024-38077", "Critical", "[]"}, {"CVE-2024-38063", "Critical", "[]"},
                                 {"CVE-2024-43582", "Critical", "[]"}}};
static const software WS2022 = {"microsoft", "windows_server_2022", "10.0.20348.2700", "October 2024 Security Updates", "KB5044281",
                                {{"CVE-2024-38063", "Critical", "[]"}, {"CVE-2024-43582", "Critical", "[]"}}};
static const software CHROME = {"google", "chrome", "124.0.6367.118", "Update Chrome to version 124.0.6367.201 or later", NULL,
                                {{"CVE-2024-4671", "Critical", "[\"ZeroDay\"]"}, {"CVE-2024-4761", "High", "[\"ZeroDay\"]"},
                                 {"CVE-2024-4947", "High", "[\"ZeroDay\"]"}}};
static const software EDGE = {"microsoft", "edge_chromium-based", "124.0.2478.80", "Update Microsoft Edge to version 125.0.2535.51 or later", NULL,
                              {{"CVE-2024-4671", "Critical", "[\"ZeroDay\"]"}, {"CVE-2024-4761", "High", "[\"ZeroDay\"]"}}};
static const software FIREFOX = {"mozilla", "firefox", "131.0.2", "Update Firefox to version 131.0.3 or later", NULL,
                                 {{"CVE-2024-9680", "Critical", "[\"ZeroDay\"]"}}};
static const software SEVENZIP = {"igor_pavlov", "7-zip", "24.07", "Update 7-Zip to version 24.09 or later", NULL,
                                  {{"CVE-2024-11477", "High", "[]"}}};
static const software ACROBAT = {"adobe", "acrobat_reader_dc", "24.002.21005", "Update Adobe Acrobat Reader DC to version 24.003.20112 or later", NULL,
                                 {{"CVE-2024-41869", "High", "[]"}, {"CVE-2024-45112", "High", "[]"}}};
static const software ZOOM = {"zoom", "zoom", "5.16.10.26186", "Update Zoom to version 5.17.0 or later", NULL,
                              {{"CVE-2024-24691", "Critical", "[]"}}};
static const software WINRAR = {"rarlab", "winrar", "6.22", "Update WinRAR to version 6.23 or later", NULL,
                                {{"CVE-2023-38831", "High", "[\"ZeroDay\"]"}, {"CVE-2023-40477", "High", "[]"}}};
static const software NPP = {"notepad-plus-plus", "notepad++", "8.5.6", "Update Notepad++ to version 8.5.7 or later", NULL,
                             {{"CVE-2023-40031", "High", "[]"}}};
static const software PUTTY = {"simon_tatham", "putty", "0.80", "Update PuTTY to version 0.81 or later", NULL,
                               {{"CVE-2024-31497", "Medium", "[]"}}};
static const software JAVA = {"eclipse", "temurin_jre", "17.0.9", "Update Temurin JRE to version 17.0.10 or later", NULL,
                              {{"CVE-2024-20918", "High", "[]"}, {"CVE-2024-20952", "High", "[]"}}};
static const software OFFICE = {"microsoft", "office", "16.0.17928.20156", "October 2024 Security Updates", "KB5002645",
                                {{"CVE-2024-43505", "High", "[]"}, {"CVE-2024-38021", "High", "[]"}}};
static const software MACOS = {"apple", "mac_os", "14.6.1", "Update macOS to version 14.7.1 or later", NULL,
                               {{"CVE-2024-44308", "High", "[\"ZeroDay\"]"}, {"CVE-2024-44309", "Medium", "[\"ZeroDay\"]"}}};
static const software OPENSSL = {"openssl", "openssl", "3.0.2", "Update openssl to version 3.0.15 or later", NULL,
                                 {{"CVE-2024-5535", "Critical", "[]"}, {"CVE-2024-6119", "High", "[]"}}};
static const software OPENSSH = {"openbsd", "openssh", "8.9p1", "Update openssh to version 9.8p1 or later", NULL,
                                 {{"CVE-2024-6387", "High", "[]"}}};
static const software SUDO = {"sudo_project", "sudo", "1.9.9", "Update sudo to version 1.9.15p5 or later", NULL,
                              {{"CVE-2023-22809", "High", "[]"}}};

static const placement FLEET[] = {
    {&CHROME, SW_WINDOWS | SW_MAC, 0.45, 0.35, -1},
    {&EDGE, SW_WINDOWS, 1.0, 0.12, -1},
    {&FIREFOX, SW_WINDOWS | SW_MAC, 0.12, 0.5, -1},
    {&SEVENZIP, SW_WINDOWS, 0.5, 0.6, -1},
    {&ACROBAT, SW_WINDOWS | SW_MAC, 0.6, 0.45, -1},
    {&ZOOM, SW_WINDOWS | SW_MAC, 0.4, 0.25, -1},
    {&WINRAR, SW_WINDOWS, 0.1, 0.6, -1},
    {&NPP, SW_WINDOWS, 0.5, 0.5, 5},
    {&PUTTY, SW_WINDOWS, 0.8, 0.5, 7},
    {&JAVA, SW_WINDOWS | SW_MAC, 0.5, 0.4, 5},
    {&OFFICE, SW_WINDOWS, 1.0, 0.2, -1},
    {&MACOS, SW_MAC, 1.0, 0.5, -1},
    {&OPENSSL, SW_LINUX, 1.0, 0.5, -1},
    {&OPENSSH, SW_LINUX, 1.0, 0.6, -1},
    {&SUDO, SW_LINUX, 1.0, 0.3, -1},
};

static void row(demo_ctx *c, const demo_device *d, const software *s, const cve *v, int64_t t) {
    dj_begin(c, "DeviceTvmSoftwareVulnerabilities");
    dj_t(c, "TimeGenerated", t);   /* a snapshot: no Timestamp in the table */
    dj_s(c, "CveId", v->id);
    dj_raw(c, "CveTags", v->tags, strlen(v->tags));
    dj_s(c, "DeviceId", d->id);
    dj_s(c, "DeviceName", d->name);
    dj_s(c, "OSArchitecture", "x64");
    dj_s(c, "OSPlatform", d->platform);
    dj_s(c, "OSVersion", d->os_version);
    dj_s(c, "RecommendedSecurityUpdate", s->update);
    dj_s(c, "RecommendedSecurityUpdateId", s->kb);
    dj_s(c, "SoftwareName", s->name);
    dj_s(c, "SoftwareVendor", s->vendor);
    dj_s(c, "SoftwareVersion", s->version);
    dj_s(c, "VulnerabilitySeverityLevel", v->severity);
    dj_end(c);
}

static void all_cves(demo_ctx *c, const demo_device *d, const software *s, int64_t t) {
    for (int k = 0; k < 4 && s->cves[k].id; k++) row(c, d, s, &s->cves[k], t);
}

void demo_bg_tvm(demo_ctx *c) {
    const demo_org *o = &c->org;
    demo_rng r;
    demo_rng_seed(&r, c->opt.seed, "tvm", 0);
    int64_t t = c->now - 5 * DEMO_HOUR - 17 * DEMO_MIN;
    static const software MOVEIT = {"progress", "moveit_transfer", "15.0.1.0", "Update MOVEit Transfer to version 15.0.3 (2023.0.3) or later", NULL,
                                    {{"CVE-2023-34362", "Critical", "[\"ZeroDay\"]"}, {"CVE-2023-35036", "Critical", "[]"},
                                     {"CVE-2023-35708", "Critical", "[]"}}};
    static const software EXCHANGE = {"microsoft", "exchange_server", "15.2.1544.4", "Exchange Server 2019 CU14 Security Update", "KB5041552",
                                      {{"CVE-2024-21410", "Critical", "[\"ZeroDay\"]"}, {"CVE-2024-26198", "High", "[]"}}};
    static const software LOG4J = {"apache", "log4j", "2.14.1", "Update log4j to version 2.17.1 or later", NULL,
                                   {{"CVE-2021-44228", "Critical", "[]"}, {"CVE-2021-45046", "Critical", "[]"}}};
    for (int i = 0; i < o->ndevices; i++) {
        const demo_device *d = &o->devices[i];
        if (strcmp(d->onboarding, "Onboarded") || d->kind == DEV_MOBILE) continue;
        int where = d->os == OS_MAC ? SW_MAC : d->os == OS_LINUX ? SW_LINUX
                    : d->kind == DEV_SERVER ? SW_SERVER : SW_WINDOWS;
        int dept = d->owner >= 0 ? o->users[d->owner].dept : -1;
        /* the operating system itself, where it is behind on updates */
        bool behind = demo_rng_chance(&r, d->kind == DEV_SERVER ? 0.55 : 0.3) || d->internet_facing;
        if (behind) {
            const software *os = d->os == OS_WIN10 ? &WIN10 : d->os == OS_WIN11 ? &WIN11
                                 : d->os == OS_WS2016 ? &WS2016 : d->os == OS_WS2019 ? &WS2019
                                 : d->os == OS_WS2022 ? &WS2022 : NULL;
            if (os) all_cves(c, d, os, t);
        }
        for (size_t k = 0; k < SP_ARRAY_LEN(FLEET); k++) {
            const placement *p = &FLEET[k];
            if (!(p->where & where) || (p->dept >= 0 && p->dept != dept)) continue;
            bool has = demo_rng_chance(&r, p->installed) && demo_rng_chance(&r, p->exposed);
            if (!has && !(d->internet_facing && p->sw == &OPENSSL)) continue;
            all_cves(c, d, p->sw, t);
        }
        if (i == o->web1) all_cves(c, d, &MOVEIT, t);
        if (i == o->exch1) all_cves(c, d, &EXCHANGE, t);
        if (d->os == OS_LINUX && d->role && !strcmp(d->role, "ApplicationServer") && demo_rng_chance(&r, 0.5))
            all_cves(c, d, &LOG4J, t);
    }
}
