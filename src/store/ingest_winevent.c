/* Routing rows to their tables: by the "Type" a Log Analytics export carries,
 * or, for Windows event logs shipped by Winlogbeat/NXLog (Mordor datasets), by
 * channel: Security -> SecurityEvent, every other channel -> WindowsEvent. */
#include "store_int.h"

#include <stdarg.h>
#include <stdio.h>

static const ing_field *get(const ing_field *f, size_t n, const char *name) {
    size_t k = strlen(name);
    for (size_t i = 0; i < n; i++)
        if (f[i].name.n == k && memcmp(f[i].name.p, name, k) == 0) return &f[i];
    return NULL;
}

static bool has_text(const ing_field *f) {
    return f && (f->kind == ING_STR || f->kind == ING_NUM || f->kind == ING_TEXT) && f->text.n;
}

static const ing_field *first(const ing_field *f, size_t n, const char *const *names) {
    for (; *names; names++) {
        const ing_field *x = get(f, n, *names);
        if (has_text(x)) return x;
    }
    return NULL;
}

/* Fields of the collector, or of the event's header, that are not event data. */
static const char *const HEADER[] = {
    "Hostname", "host", "Computer", "TimeGenerated", "TimeCreated", "EventTime", "@timestamp", "@version", "UtcTime_unused",
    "SourceName", "ProviderName", "Channel", "EventID", "Task", "Level", "Keywords", "Version",
    "RecordNumber", "ExecutionProcessID", "ThreadID", "UserID", "ProviderGuid", "Opcode", "OpcodeValue",
    "Severity", "SeverityValue", "Category", "EventReceivedTime", "SourceModuleName", "SourceModuleType",
    "port", "tags", "type", "EventType", "EventTypeOrignal", "Message", "ERROR_EVT_UNRESOLVED", "TaskName",
    "ActivityID", NULL};

static bool is_header(sp_str name) {
    for (const char *const *h = HEADER; *h; h++)
        if (sp_str_eqc(name, *h)) return true;
    return false;
}

typedef struct {
    const char *name;
    size_t off, len;
    uint8_t kind;
} synval;

typedef struct {
    ing_row *out;
    sp_buf *scratch;
    synval syn[8];             /* synthesized values: offsets into scratch, fixed up at the end */
    int nsyn;
} wr;

static bool push(ing_row *row, sp_str name, sp_str text, uint8_t kind) {
    if (row->n >= row->max_fields) return false;
    if (row->n == row->cap) {
        row->cap = row->cap ? row->cap * 2 : 64;
        row->f = sp_realloc(row->f, row->cap * sizeof *row->f);
    }
    row->f[row->n++] = (ing_field){name, text, kind, 0};
    return true;
}

static void synth(wr *w, const char *name, uint8_t kind, const char *fmt, ...) SP_PRINTF(4, 5);
static void synth(wr *w, const char *name, uint8_t kind, const char *fmt, ...) {
    if (w->nsyn >= 8) return;
    size_t off = w->scratch->n;
    va_list ap;
    va_start(ap, fmt);
    sp_buf_vprintf(w->scratch, fmt, ap);
    va_end(ap);
    w->syn[w->nsyn++] = (synval){name, off, w->scratch->n - off, kind};
}

static void xml_text(sp_buf *b, sp_str t) {
    for (size_t i = 0; i < t.n; i++) {
        char c = t.p[i];
        if (c == '&') sp_buf_puts(b, "&amp;");
        else if (c == '<') sp_buf_puts(b, "&lt;");
        else if (c == '>') sp_buf_puts(b, "&gt;");
        else if (c == '"') sp_buf_puts(b, "&quot;");
        else sp_buf_putc(b, c);
    }
}

static void alias(ing_row *out, const char *to, const ing_field *from) {
    if (from) push(out, sp_str_c(to), from->text, from->kind);
}

/* The first line of a rendered message: "An account was successfully logged on." */
static sp_str first_line(sp_str m) {
    size_t k = 0;
    while (k < m.n && m.p[k] != '\r' && m.p[k] != '\n') k++;
    while (k && (m.p[k - 1] == ' ' || m.p[k - 1] == '.')) k--;
    return (sp_str){m.p, k};
}

static const char *const TIME_NAMES[] = {"TimeGenerated", "TimeCreated", "EventTime", "@timestamp", NULL};
static const char *const HOST_NAMES[] = {"Hostname", "Computer", "host", NULL};
static const char *const SOURCE_NAMES[] = {"SourceName", "ProviderName", NULL};

/* Winlogbeat 6 names its fields differently and nests the event's own
 * fields in event_data: rename to the NXLog/Windows names and flatten. */
static const struct { const char *from, *to; } WLB[] = {
    {"event_id", "EventID"},       {"log_name", "Channel"},         {"computer_name", "Hostname"},
    {"source_name", "SourceName"}, {"level", "Level"},              {"record_number", "RecordNumber"},
    {"process_id", "ExecutionProcessID"}, {"thread_id", "ThreadID"}, {"message", "Message"},
    {"provider_guid", "ProviderGuid"}, {"opcode", "Opcode"},        {"keywords", "Keywords"},
    {"version", "Version"},        {"task", "Task"},                {"activity_id", "ActivityID"}};
static const char *const WLB_DROP[] = {"@metadata", "beat", "host", "type", "agent", "ecs", "log", NULL};

static void winlogbeat(const ing_field *f, size_t n, ing_row *norm, ing_row *nested) {
    norm->n = 0;
    for (size_t i = 0; i < n; i++) {
        sp_str name = f[i].name;
        bool drop = false;
        for (const char *const *d = WLB_DROP; *d && !drop; d++) drop = sp_str_eqc(name, *d);
        if (drop) continue;
        if ((sp_str_eqc(name, "event_data") || sp_str_eqc(name, "user_data") || sp_str_eqc(name, "user")) &&
            f[i].kind == ING_JSON && f[i].text.n && f[i].text.p[0] == '{') {
            char why[64];
            size_t col;
            /* parsed in place: the text lies in the record buffer we own */
            if (!ing_json_object((char *)f[i].text.p, f[i].text.n, nested, why, sizeof why, &col)) continue;
            bool user = sp_str_eqc(name, "user");
            for (size_t k = 0; k < nested->n; k++) {
                if (user) {
                    if (sp_str_eqc(nested->f[k].name, "identifier"))
                        push(norm, SP_STR("UserID"), nested->f[k].text, nested->f[k].kind);
                    continue;
                }
                push(norm, nested->f[k].name, nested->f[k].text, nested->f[k].kind);
            }
            continue;
        }
        const char *to = NULL;
        for (size_t k = 0; k < SP_ARRAY_LEN(WLB) && !to; k++)
            if (sp_str_eqc(name, WLB[k].from)) to = WLB[k].to;
        /* a task given by name ("Process Create (rule: ProcessCreate)") is not the Task number */
        int64_t num;
        if (to && strcmp(to, "Task") == 0 && !ing_parse_long(f[i].text.p, f[i].text.n, &num)) to = "TaskName";
        push(norm, to ? sp_str_c(to) : name, f[i].text, f[i].kind);
    }
}

const char *ing_winevent_route(const ing_field *f, size_t n, ing_row *out, sp_buf *scratch, char *why,
                               size_t whyn) {
    out->n = 0;
    sp_buf_reset(scratch);
    /* Winlogbeat 6: normalize first (kept for the life of the call) */
    static _Thread_local ing_row norm, nested;
    if (!get(f, n, "EventID") && get(f, n, "event_id")) {
        norm.max_fields = nested.max_fields = 4096;
        norm.max_depth = nested.max_depth = 64;
        winlogbeat(f, n, &norm, &nested);
        f = norm.f;
        n = norm.n;
    }
    const ing_field *chan = get(f, n, "Channel"), *eid = get(f, n, "EventID");
    int64_t id = -1;
    if (!eid || !has_text(eid) || !ing_parse_long(eid->text.p, eid->text.n, &id)) {
        snprintf(why, whyn, "not a Windows event (no EventID)");
        return NULL;
    }
    /* without a channel, the Security audit event ids still say where it belongs */
    bool security_ids = (id >= 1100 && id <= 1108) || (id >= 4608 && id <= 6424);
    if (!has_text(chan) && !security_ids) {
        snprintf(why, whyn, "not a Windows event (no Channel)");
        return NULL;
    }
    bool security = has_text(chan) ? sp_str_ieqc(chan->text, "Security") : true;
    wr w = {out, scratch, {{0}}, 0};
    const ing_field *host = first(f, n, HOST_NAMES), *when = first(f, n, TIME_NAMES);
    const ing_field *src = first(f, n, SOURCE_NAMES), *msg = get(f, n, "Message");
    alias(out, "Computer", host);
    alias(out, "TimeGenerated", when);
    if (has_text(chan)) alias(out, "Channel", chan);
    else push(out, SP_STR("Channel"), SP_STR("Security"), ING_STR);
    alias(out, "EventID", eid);
    alias(out, "Task", get(f, n, "Task"));
    if (security) {
        alias(out, "EventSourceName", src);
        alias(out, "Level", get(f, n, "Level"));
        if (has_text(msg)) {
            sp_str l = first_line(msg->text);
            synth(&w, "Activity", ING_STR, "%.*s - %.*s", (int)eid->text.n, eid->text.p, (int)l.n, l.p);
        }
        /* Account as Sentinel writes it: the target of logons, else the subject */
        const ing_field *tu = get(f, n, "TargetUserName"), *td = get(f, n, "TargetDomainName");
        const ing_field *su = get(f, n, "SubjectUserName"), *sd = get(f, n, "SubjectDomainName");
        bool target = has_text(tu) && !sp_str_eqc(tu->text, "-");
        const ing_field *u = target ? tu : su, *d = target ? td : sd;
        if (has_text(u)) {
            if (has_text(d) && !sp_str_eqc(d->text, "-"))
                synth(&w, "Account", ING_STR, "%.*s\\%.*s", (int)d->text.n, d->text.p, (int)u->text.n, u->text.p);
            else
                synth(&w, "Account", ING_STR, "%.*s", (int)u->text.n, u->text.p);
        }
        /* the event's own fields: SecurityEvent columns by name, and all of them in
         * EventData as Sentinel writes it (XML), so the ones without a column stay */
        size_t off = scratch->n;
        sp_buf_puts(scratch, "<EventData xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">");
        for (size_t i = 0; i < n; i++) {
            if (is_header(f[i].name) || sp_str_eqc(f[i].name, "Account") || sp_str_eqc(f[i].name, "Activity") ||
                sp_str_eqc(f[i].name, "EventData"))
                continue;
            if (push(out, f[i].name, f[i].text, f[i].kind)) out->f[out->n - 1].quiet = 1;
            sp_buf_puts(scratch, "<Data Name=\"");
            xml_text(scratch, f[i].name);
            sp_buf_puts(scratch, "\">");
            if (f[i].kind != ING_NULL) xml_text(scratch, f[i].text);
            sp_buf_puts(scratch, "</Data>");
        }
        sp_buf_puts(scratch, "</EventData>");
        if (w.nsyn < 8) w.syn[w.nsyn++] = (synval){"EventData", off, scratch->n - off, ING_STR};
    } else {
        alias(out, "Provider", src);
        const ing_field *lvl = get(f, n, "Level");
        if (has_text(lvl)) {
            int64_t v;
            if (ing_parse_long(lvl->text.p, lvl->text.n, &v)) alias(out, "EventLevel", lvl);
            else alias(out, "EventLevelName", lvl);
        }
        alias(out, "Keywords", get(f, n, "Keywords"));
        alias(out, "Version", get(f, n, "Version"));
        alias(out, "EventRecordId", get(f, n, "RecordNumber"));
        alias(out, "SystemProcessId", get(f, n, "ExecutionProcessID"));
        alias(out, "SystemThreadId", get(f, n, "ThreadID"));
        alias(out, "SystemUserId", get(f, n, "UserID"));
        alias(out, "Opcode", get(f, n, "Opcode"));
        /* EventData: every other field, as a bag */
        size_t off = scratch->n;
        sp_buf_putc(scratch, '{');
        bool any = false;
        for (size_t i = 0; i < n; i++) {
            if (is_header(f[i].name)) continue;
            if (any) sp_buf_putc(scratch, ',');
            any = true;
            sp_buf_put_json_str(scratch, f[i].name.p, f[i].name.n);
            sp_buf_putc(scratch, ':');
            if (f[i].kind == ING_STR || f[i].kind == ING_TEXT) sp_buf_put_json_str(scratch, f[i].text.p, f[i].text.n);
            else sp_buf_put(scratch, f[i].text.p, f[i].text.n);
        }
        sp_buf_putc(scratch, '}');
        if (w.nsyn < 8) w.syn[w.nsyn++] = (synval){"EventData", off, scratch->n - off, ING_JSON};
    }
    /* the scratch buffer is final now: point the synthesized fields into it */
    for (int i = 0; i < w.nsyn; i++)
        push(out, sp_str_c(w.syn[i].name), (sp_str){scratch->p + w.syn[i].off, w.syn[i].len}, w.syn[i].kind);
    return security ? "SecurityEvent" : "WindowsEvent";
}

/* Defender advanced hunting exports without a table column: the table follows
 * from the fields and the ActionType (as Microsoft documents each table's). */
const char *ing_defender_route(const ing_field *f, size_t n) {
    const ing_field *at = get(f, n, "ActionType");
    if (!has_text(at)) return NULL;
    sp_str a = at->text;
    if (get(f, n, "DeviceId")) {
        static const struct { const char *prefix, *table; } DEV[] = {
            {"ProcessCreated", "DeviceProcessEvents"}, {"Connection", "DeviceNetworkEvents"},
            {"InboundConnectionAccepted", "DeviceNetworkEvents"}, {"ListeningConnectionCreated", "DeviceNetworkEvents"},
            {"NetworkSignatureInspected", "DeviceNetworkEvents"}, {"File", "DeviceFileEvents"},
            {"Registry", "DeviceRegistryEvents"}, {"Logon", "DeviceLogonEvents"}, {"ImageLoaded", "DeviceImageLoadEvents"}};
        for (size_t i = 0; i < SP_ARRAY_LEN(DEV); i++) {
            size_t k = strlen(DEV[i].prefix);
            if (a.n >= k && memcmp(a.p, DEV[i].prefix, k) == 0) {
                /* FileCreated etc. are DeviceFileEvents, but FileCertificate... events are not */
                return DEV[i].table;
            }
        }
        return "DeviceEvents";
    }
    const ing_field *app = get(f, n, "Application");
    if (get(f, n, "QueryType") || get(f, n, "QueryTarget")) return "IdentityQueryEvents";
    if (app && sp_str_eqc(app->text, "Active Directory")) {
        if (a.n >= 5 && memcmp(a.p, "Logon", 5) == 0) return "IdentityLogonEvents";
        return "IdentityDirectoryEvents";
    }
    if (get(f, n, "ActivityType") || get(f, n, "ActivityObjects")) return "CloudAppEvents";
    return NULL;
}
