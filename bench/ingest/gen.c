/* Benchmark data: DeviceProcessEvents-shaped rows (the Defender advanced
 * hunting columns, realistic value shapes and cardinalities), deterministic,
 * written as NDJSON and as CSV with a header (for SQLite's .import).
 * usage: gen ROWS OUT.ndjson OUT.csv */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t st = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
    uint64_t z = (st += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static uint64_t hashn(uint64_t x) {
    x ^= x >> 33; x *= 0xff51afd7ed558ccdULL; x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53ULL; x ^= x >> 33;
    return x;
}
static void hex(char *out, uint64_t seed, int n) {
    static const char h[] = "0123456789abcdef";
    for (int i = 0; i < n; i++) {
        if (i % 16 == 0) seed = hashn(seed + (uint64_t)i);
        out[i] = h[(seed >> ((i % 16) * 4)) & 15];
    }
    out[n] = 0;
}
static void guid(char *out, uint64_t seed) {
    char x[33];
    hex(x, seed, 32);
    sprintf(out, "%.8s-%.4s-%.4s-%.4s-%.12s", x, x + 8, x + 12, x + 16, x + 20);
}

typedef struct {
    const char *name, *dir, *company, *product, *desc, *cmd;
} proc;

static const proc PROCS[] = {
    {"cmd.exe", "C:\\Windows\\System32", "Microsoft Corporation", "Microsoft\u00ae Windows\u00ae Operating System", "Windows Command Processor", "\"cmd.exe\" /c echo %u > C:\\Users\\%s\\AppData\\Local\\Temp\\%08x.tmp"},
    {"powershell.exe", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0", "Microsoft Corporation", "Microsoft\u00ae Windows\u00ae Operating System", "Windows PowerShell", "powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\ProgramData\\scripts\\task%u.ps1 -Computer %s -Id %08x"},
    {"svchost.exe", "C:\\Windows\\System32", "Microsoft Corporation", "Microsoft\u00ae Windows\u00ae Operating System", "Host Process for Windows Services", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule%u"},
    {"chrome.exe", "C:\\Program Files\\Google\\Chrome\\Application", "Google LLC", "Google Chrome", "Google Chrome", "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=renderer --lang=en-US --renderer-client-id=%u --field-trial-handle=%s,%08x"},
    {"msedge.exe", "C:\\Program Files (x86)\\Microsoft\\Edge\\Application", "Microsoft Corporation", "Microsoft Edge", "Microsoft Edge", "\"msedge.exe\" --type=utility --utility-sub-type=network.mojom.NetworkService --service-sandbox-type=%u --user=%s --seed=%08x"},
    {"conhost.exe", "C:\\Windows\\System32", "Microsoft Corporation", "Microsoft\u00ae Windows\u00ae Operating System", "Console Window Host", "\\??\\C:\\Windows\\system32\\conhost.exe 0x%u -ForceV1 %s %08x"},
    {"SenseNdr.exe", "C:\\Program Files\\Windows Defender Advanced Threat Protection", "Microsoft Corporation", "Microsoft\u00ae Windows\u00ae Operating System", "Windows Defender ATP Network Detection", "\"SenseNdr.exe\" -mode %u -user %s -session %08x"},
    {"OUTLOOK.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16", "Microsoft Corporation", "Microsoft Outlook", "Microsoft Outlook", "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE\" /recycle /profile %u %s %08x"},
    {"git.exe", "C:\\Program Files\\Git\\cmd", "The Git Development Community", "Git", "Git for Windows", "git.exe fetch --prune origin refs/heads/feature-%u:refs/remotes/%s/%08x"},
    {"python.exe", "C:\\Python311", "Python Software Foundation", "Python", "Python", "python.exe -m pip install --user package%u==1.%s.%08x"},
    {"rundll32.exe", "C:\\Windows\\System32", "Microsoft Corporation", "Microsoft\u00ae Windows\u00ae Operating System", "Windows host process (Rundll32)", "rundll32.exe C:\\Windows\\System32\\shell32.dll,Control_RunDLL %u %s %08x"},
    {"wmiprvse.exe", "C:\\Windows\\System32\\wbem", "Microsoft Corporation", "Microsoft\u00ae Windows\u00ae Operating System", "WMI Provider Host", "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding %u %s %08x"},
};
#define NPROCS (sizeof PROCS / sizeof PROCS[0])
static const char *FIRST[] = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
                              "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "wendy", "zoe"};

static void fmt_time(char *out, int64_t ticks) {
    time_t secs = (time_t)(ticks / 10000000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    sprintf(out, "%04d-%02d-%02dT%02d:%02d:%02d.%07dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
            tm.tm_min, tm.tm_sec, (int)(ticks % 10000000));
}

/* JSON string body: escape \ and " */
static void jesc(FILE *f, const char *s) {
    for (; *s; s++) {
        if (*s == '\\' || *s == '"') fputc('\\', f);
        fputc(*s, f);
    }
}
static void cesc(FILE *f, const char *s) {
    if (!strpbrk(s, ",\"\n\r")) { fputs(s, f); return; }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

enum { T_S, T_N, T_D };  /* string, number (as written), dynamic (JSON text or null) */
typedef struct { const char *k; int t; char v[512]; } fld;

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: gen ROWS OUT.ndjson OUT.csv\n");
        return 2;
    }
    long rows = atol(argv[1]);
    FILE *j = fopen(argv[2], "w"), *c = fopen(argv[3], "w");
    if (!j || !c) { perror("gen"); return 1; }
    static char jb[1 << 20], cb[1 << 20];
    setvbuf(j, jb, _IOFBF, sizeof jb);
    setvbuf(c, cb, _IOFBF, sizeof cb);
    int64_t t0 = 17619840000000000LL;   /* 2025-11-01T00:00:00Z in ticks since 1970 */
    char tenant[40];
    guid(tenant, 42);
    static fld f[65];
    for (long i = 0; i < rows; i++) {
        int n = 0;
#define S(K, ...) (f[n].k = K, f[n].t = T_S, snprintf(f[n].v, sizeof f[n].v, __VA_ARGS__), n++)
#define N(K, ...) (f[n].k = K, f[n].t = T_N, snprintf(f[n].v, sizeof f[n].v, __VA_ARGS__), n++)
#define D(K, ...) (f[n].k = K, f[n].t = T_D, snprintf(f[n].v, sizeof f[n].v, __VA_ARGS__), n++)
        int64_t ts = t0 + i * 500000LL + (int64_t)(rnd() % 5000000);
        char tsb[40], pct[40], ppct[40];
        fmt_time(tsb, ts);
        fmt_time(pct, ts - (int64_t)(rnd() % 36000000000LL));
        fmt_time(ppct, ts - 36000000000LL - (int64_t)(rnd() % 360000000000LL));
        unsigned dev = (unsigned)(rnd() % 600), user = (unsigned)(rnd() % 500);
        const proc *p = &PROCS[rnd() % NPROCS], *ip = &PROCS[rnd() % NPROCS];
        size_t pi = (size_t)(p - PROCS), ipi = (size_t)(ip - PROCS);
        char devid[41], sha1[41], sha256[65], md5[33], isha1[41], isha256[65], imd5[33], uoid[40], acct[40];
        hex(devid, 1000 + dev, 40);
        hex(sha1, 2000 + pi, 40), hex(sha256, 3000 + pi, 64), hex(md5, 4000 + pi, 32);
        hex(isha1, 2000 + ipi, 40), hex(isha256, 3000 + ipi, 64), hex(imd5, 4000 + ipi, 32);
        guid(uoid, 5000 + user);
        snprintf(acct, sizeof acct, "%s%u", FIRST[user % 20], user);
        char cmd[400], icmd[400];
        snprintf(cmd, sizeof cmd, p->cmd, (unsigned)(rnd() % 100000), acct, (unsigned)rnd());
        snprintf(icmd, sizeof icmd, ip->cmd, (unsigned)(rnd() % 1000), acct, (unsigned)(rnd() % 64));
        S("Timestamp", "%s", tsb);
        S("DeviceId", "%s", devid);
        S("DeviceName", "ws-%04u.contoso.com", dev);
        S("ActionType", "ProcessCreated");
        S("FileName", "%s", p->name);
        S("FolderPath", "%s\\%s", p->dir, p->name);
        S("SHA1", "%s", sha1);
        S("SHA256", "%s", sha256);
        S("MD5", "%s", md5);
        N("FileSize", "%u", 50000 + (unsigned)(hashn(pi) % 5000000));
        S("ProcessVersionInfoCompanyName", "%s", p->company);
        S("ProcessVersionInfoProductName", "%s", p->product);
        S("ProcessVersionInfoProductVersion", "10.0.19041.%u", (unsigned)(hashn(pi) % 4000));
        S("ProcessVersionInfoInternalFileName", "%s", p->name);
        S("ProcessVersionInfoOriginalFileName", "%s", p->name);
        S("ProcessVersionInfoFileDescription", "%s", p->desc);
        N("ProcessId", "%u", 1000 + (unsigned)(rnd() % 60000));
        S("ProcessCommandLine", "%s", cmd);
        S("ProcessIntegrityLevel", "%s", (rnd() & 3) ? "Medium" : "High");
        S("ProcessTokenElevation", "%s", (rnd() & 7) ? "TokenElevationTypeDefault" : "TokenElevationTypeFull");
        S("ProcessCreationTime", "%s", tsb);
        S("AccountDomain", "contoso");
        S("AccountName", "%s", acct);
        S("AccountSid", "S-1-5-21-1004336348-1177238915-682003330-%u", 1000 + user);
        S("AccountUpn", "%s@contoso.com", acct);
        S("AccountObjectId", "%s", uoid);
        N("LogonId", "%u", (unsigned)(hashn(user) % 10000000));
        S("InitiatingProcessAccountDomain", "contoso");
        S("InitiatingProcessAccountName", "%s", acct);
        S("InitiatingProcessAccountSid", "S-1-5-21-1004336348-1177238915-682003330-%u", 1000 + user);
        S("InitiatingProcessAccountUpn", "%s@contoso.com", acct);
        S("InitiatingProcessAccountObjectId", "%s", uoid);
        N("InitiatingProcessLogonId", "%u", (unsigned)(hashn(user) % 10000000));
        S("InitiatingProcessIntegrityLevel", "Medium");
        S("InitiatingProcessTokenElevation", "TokenElevationTypeDefault");
        S("InitiatingProcessSHA1", "%s", isha1);
        S("InitiatingProcessSHA256", "%s", isha256);
        S("InitiatingProcessMD5", "%s", imd5);
        S("InitiatingProcessFileName", "%s", ip->name);
        N("InitiatingProcessFileSize", "%u", 50000 + (unsigned)(hashn(ipi) % 5000000));
        S("InitiatingProcessVersionInfoCompanyName", "%s", ip->company);
        S("InitiatingProcessVersionInfoProductName", "%s", ip->product);
        S("InitiatingProcessVersionInfoProductVersion", "10.0.19041.%u", (unsigned)(hashn(ipi) % 4000));
        S("InitiatingProcessVersionInfoInternalFileName", "%s", ip->name);
        S("InitiatingProcessVersionInfoOriginalFileName", "%s", ip->name);
        S("InitiatingProcessVersionInfoFileDescription", "%s", ip->desc);
        N("InitiatingProcessId", "%u", 1000 + (unsigned)(rnd() % 60000));
        S("InitiatingProcessCommandLine", "%s", icmd);
        S("InitiatingProcessCreationTime", "%s", pct);
        S("InitiatingProcessFolderPath", "%s\\%s", ip->dir, ip->name);
        N("InitiatingProcessParentId", "%u", 1000 + (unsigned)(rnd() % 60000));
        S("InitiatingProcessParentFileName", "%s", (rnd() & 1) ? "explorer.exe" : "services.exe");
        S("InitiatingProcessParentCreationTime", "%s", ppct);
        S("InitiatingProcessSignerType", "%s", (rnd() & 3) ? "OsVendor" : "Microsoft");
        S("InitiatingProcessSignatureStatus", "Valid");
        N("ReportId", "%ld", 10000 + i);
        S("AppGuardContainerId", "%s", "");
        if (rnd() % 10 == 0)
            D("AdditionalFields", "{\"ProcessStartKey\":%llu,\"Flags\":[\"IsInteractive\",\"%s\"]}",
              (unsigned long long)(rnd() % 100000000000ull),
              (rnd() & 1) ? "HasParent" : "Elevated");
        else
            D("AdditionalFields", "null");
        S("TimeGenerated", "%s", tsb);
        S("MachineGroup", "%s", (dev % 3) ? "Workstations" : "Servers");
        S("SourceSystem", "%s", "");
        S("TenantId", "%s", tenant);
        S("Type", "DeviceProcessEvents");
        N("_BilledSize", "%u", 2000 + (unsigned)(rnd() % 1500));
        S("_IsBillable", "True");
        if (i == 0) {
            for (int k = 0; k < n; k++) fprintf(c, "%s%s", k ? "," : "", f[k].k);
            fputc('\n', c);
        }
        fputc('{', j);
        for (int k = 0; k < n; k++) {
            fprintf(j, "%s\"%s\":", k ? "," : "", f[k].k);
            if (f[k].t == T_S) {
                fputc('"', j);
                jesc(j, f[k].v);
                fputc('"', j);
            } else {
                fputs(f[k].v, j);
            }
            if (k) fputc(',', c);
            if (f[k].t == T_D && strcmp(f[k].v, "null") == 0) continue;
            cesc(c, f[k].v);
        }
        fputs("}\n", j);
        fputc('\n', c);
    }
    fclose(j);
    fclose(c);
    return 0;
}
