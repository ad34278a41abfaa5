/* Suggestions for unknown names: the nearest column or table by edit
 * distance, and the Sentinel <-> Defender column pairs analysts mix up. */
#include "bind.h"

#include <strings.h>

/* Columns with different names for the same thing across Sentinel (Log
 * Analytics) and Defender XDR (advanced hunting) tables. */
static const char *const PAIRS[][2] = {
    {"TimeGenerated", "Timestamp"},
    {"Computer", "DeviceName"},
    {"Account", "AccountName"},
    {"UserPrincipalName", "AccountUpn"},
    {"IPAddress", "RemoteIP"},
    {"IpAddress", "RemoteIP"},
    {"SourceIP", "LocalIP"},
    {"DestinationIP", "RemoteIP"},
    {"CommandLine", "ProcessCommandLine"},
    {"Process", "FileName"},
    {"NewProcessName", "FolderPath"},
    {"ParentProcessName", "InitiatingProcessFileName"},
    {"SubjectUserName", "InitiatingProcessAccountName"},
    {"TargetUserName", "AccountName"},
    {"UserId", "AccountObjectId"},
    {"ClientIP", "IPAddress"},
    {"Url", "RemoteUrl"},
    {"SHA256", "FileHash"},
    {"Hostname", "DeviceName"},
    {"HostName", "DeviceName"},
};

const char *kql_suggest_column(const kql_schema *s, const char *name, size_t n) {
    if (!s) return NULL;
    /* a case-only difference first */
    for (size_t i = 0; i < s->n; i++)
        if (strlen(s->cols[i].name) == n && strncasecmp(s->cols[i].name, name, n) == 0) return s->cols[i].name;
    /* the Sentinel/Defender counterpart, when the schema has it */
    for (size_t k = 0; k < SP_ARRAY_LEN(PAIRS); k++) {
        for (int side = 0; side < 2; side++) {
            const char *a = PAIRS[k][side], *bname = PAIRS[k][1 - side];
            if (strlen(a) == n && strncasecmp(a, name, n) == 0 && kql_schema_find(s, bname, strlen(bname)) >= 0)
                return bname;
        }
    }
    const char *best = NULL;
    size_t bestd = n <= 4 ? 1 : n <= 10 ? 2 : 3;
    bestd++;
    for (size_t i = 0; i < s->n; i++) {
        size_t d = kql_edit_distance(name, n, s->cols[i].name, strlen(s->cols[i].name));
        if (d < bestd) {
            bestd = d;
            best = s->cols[i].name;
        }
    }
    return best;
}

const char *kql_suggest_table(const kql_catalog *cat, const char *name, size_t n) {
    if (!cat || !cat->list) return NULL;
    const kql_table *tabs[512];
    size_t nt = cat->list(cat->ctx, tabs, SP_ARRAY_LEN(tabs));
    if (nt > SP_ARRAY_LEN(tabs)) nt = SP_ARRAY_LEN(tabs);
    const char *best = NULL;
    size_t bestd = n <= 6 ? 2 : 3;
    bestd++;
    for (size_t i = 0; i < nt; i++) {
        const char *t = tabs[i]->name;
        if (strlen(t) == n && strncasecmp(t, name, n) == 0) return t;
        size_t d = kql_edit_distance(name, n, t, strlen(t));
        if (d < bestd) {
            bestd = d;
            best = t;
        }
    }
    return best;
}
