/* URL and path functions: parse_url, parse_urlquery, parse_path, URL
 * encoding and decoding, and a best-effort parse_user_agent. */
#include "fn_util.h"

#include <ctype.h>
#include <stdio.h>

static int hexv(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Appends s to b with invalid UTF-8 sequences replaced by U+FFFD. */
static void put_utf8_clean(fn_sb *b, const char *p, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned char ch = (unsigned char)p[i];
        if (ch < 0x80) {
            sb_putc(b, (char)ch);
            i++;
            continue;
        }
        uint32_t cp;
        int k = sp_utf8_decode(p + i, n - i, &cp);
        if (cp == 0xFFFD && k == 1) sb_put(b, "\xEF\xBF\xBD", 3);
        else sb_put(b, p + i, (size_t)k);
        i += (size_t)(k > 0 ? k : 1);
    }
}

/* Percent-decodes s ('+' is a space when plus_space); malformed escapes stay
 * as they are; the bytes are then made valid UTF-8. */
static sp_str url_decode(kql_fctx *c, sp_str s, bool plus_space) {
    fn_sb raw;
    sb_init(&raw, c->arena, s.n + 1);
    for (size_t i = 0; i < s.n; i++) {
        char ch = s.p[i];
        if (ch == '%' && i + 2 < s.n && hexv(s.p[i + 1]) >= 0 && hexv(s.p[i + 2]) >= 0) {
            sb_putc(&raw, (char)(hexv(s.p[i + 1]) * 16 + hexv(s.p[i + 2])));
            i += 2;
        } else if (ch == '+' && plus_space) {
            sb_putc(&raw, ' ');
        } else {
            sb_putc(&raw, ch);
        }
    }
    if (sp_utf8_valid(raw.p, raw.n)) return (sp_str){raw.p, raw.n};
    fn_sb b;
    sb_init(&b, c->arena, raw.n + 8);
    put_utf8_clean(&b, raw.p, raw.n);
    return (sp_str){b.p, b.n};
}

/* url_decode(text) : string */
static void fn_url_decode(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    sp_str s = fa_str(c, &a[0]);
    if (!fn_len_ok(c, s.n)) return;
    kql_set_str(out, url_decode(c, s, true));
}

/* url_encode(text) : string, as HTML form encoding: letters, digits and
 * -_.!*() stay, a space becomes '+', other bytes %xx (lowercase hex).
 * url_encode_component(text) : RFC 3986: letters, digits and -_.~ stay,
 * other bytes %XX (uppercase). */
static void encode(kql_fctx *c, sp_str s, bool component, kql_value *out) {
    static const char lo[] = "0123456789abcdef", up[] = "0123456789ABCDEF";
    const char *hex = component ? up : lo;
    fn_sb b;
    sb_init(&b, c->arena, s.n * 3 + 1);
    for (size_t i = 0; i < s.n; i++) {
        unsigned char ch = (unsigned char)s.p[i];
        bool keep = isalnum(ch) || ch == '-' || ch == '_' || ch == '.' ||
                    (component ? ch == '~' : (ch == '!' || ch == '*' || ch == '(' || ch == ')'));
        if (ch >= 0x80) keep = false;
        if (keep) {
            sb_putc(&b, (char)ch);
        } else if (ch == ' ' && !component) {
            sb_putc(&b, '+');
        } else {
            char e[3] = {'%', hex[ch >> 4], hex[ch & 15]};
            sb_put(&b, e, 3);
        }
    }
    sb_done(c, &b, out);
}

static void fn_url_encode(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    encode(c, fa_str(c, &a[0]), false, out);
}
static void fn_url_encode_component(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    encode(c, fa_str(c, &a[0]), true, out);
}

/* The query string "k1=v1&k2=v2" as a bag of decoded values (a later
 * duplicate key replaces an earlier one). */
static const kql_dyn *query_bag(kql_fctx *c, sp_str q) {
    fn_bag b;
    bag_init(&b, c->arena, 8);
    size_t i = 0;
    while (i < q.n && b.n < KQL_DYN_MAX_ITEMS) {
        size_t s = i;
        while (i < q.n && q.p[i] != '&') i++;
        sp_str part = {q.p + s, i - s};
        i++;
        if (part.n == 0) continue;
        size_t eq = 0;
        while (eq < part.n && part.p[eq] != '=') eq++;
        sp_str k = url_decode(c, (sp_str){part.p, eq}, true);
        sp_str v = eq < part.n ? url_decode(c, (sp_str){part.p + eq + 1, part.n - eq - 1}, true) : (sp_str){"", 0};
        bag_set(&b, k.p, k.n, dyn_str_ref(v.p, v.n));
    }
    return bag_done(&b);
}

/* parse_urlquery(query) : {"Query Parameters": {...}} */
static void fn_parse_urlquery(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    sp_str q = fa_str(c, &a[0]);
    if (q.n && q.p[0] == '?') q.p++, q.n--;
    fn_bag b;
    bag_init(&b, c->arena, 1);
    bag_append(&b, "Query Parameters", 16, *query_bag(c, q));
    fn_set_dyn(out, bag_done(&b));
}

/* parse_url(url) : {"Scheme", "Host", "Port", "Path", "Username", "Password",
 * "Query Parameters": {...}, "Fragment"}, all strings; a text without
 * "scheme://" gives every part empty. */
static void fn_parse_url(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    sp_str u = fa_str(c, &a[0]);
    u.p = sp_arena_strndup(c->arena, u.p, u.n);
    sp_str scheme = {"", 0}, user = {"", 0}, pass = {"", 0}, host = {"", 0}, port = {"", 0}, path = {"", 0},
           query = {"", 0}, frag = {"", 0};
    size_t i = 0;
    while (i < u.n && (isalnum((unsigned char)u.p[i]) || u.p[i] == '+' || u.p[i] == '-' || u.p[i] == '.')) i++;
    bool ok = i > 0 && isalpha((unsigned char)u.p[0]) && u.n - i >= 3 &&
              memcmp(u.p + i, "://", 3) == 0;
    if (ok) {
        scheme = (sp_str){u.p, i};
        size_t s = i + 3, e = s;
        while (e < u.n && u.p[e] != '/' && u.p[e] != '?' && u.p[e] != '#') e++;
        sp_str auth = {u.p + s, e - s};
        /* userinfo@host:port */
        size_t at = auth.n;
        for (size_t k = auth.n; k > 0; k--)
            if (auth.p[k - 1] == '@') {
                at = k - 1;
                break;
            }
        if (at < auth.n) {
            sp_str ui = {auth.p, at};
            size_t colon = 0;
            while (colon < ui.n && ui.p[colon] != ':') colon++;
            user = (sp_str){ui.p, colon};
            if (colon < ui.n) pass = (sp_str){ui.p + colon + 1, ui.n - colon - 1};
            auth.p += at + 1;
            auth.n -= at + 1;
        }
        size_t hp = auth.n;
        if (auth.n && auth.p[0] == '[') {
            size_t k = 0;
            while (k < auth.n && auth.p[k] != ']') k++;
            hp = k < auth.n && k + 1 < auth.n && auth.p[k + 1] == ':' ? k + 1 : auth.n;
        } else {
            for (size_t k = 0; k < auth.n; k++)
                if (auth.p[k] == ':') {
                    hp = k;
                    break;
                }
        }
        host = (sp_str){auth.p, hp};
        if (hp < auth.n) port = (sp_str){auth.p + hp + 1, auth.n - hp - 1};
        size_t ps = e;
        while (e < u.n && u.p[e] != '?' && u.p[e] != '#') e++;
        path = (sp_str){u.p + ps, e - ps};
        if (e < u.n && u.p[e] == '?') {
            size_t qs = ++e;
            while (e < u.n && u.p[e] != '#') e++;
            query = (sp_str){u.p + qs, e - qs};
        }
        if (e < u.n && u.p[e] == '#') frag = (sp_str){u.p + e + 1, u.n - e - 1};
    }
    fn_bag b;
    bag_init(&b, c->arena, 8);
    bag_append(&b, "Scheme", 6, dyn_str_ref(scheme.p, scheme.n));
    bag_append(&b, "Host", 4, dyn_str_ref(host.p, host.n));
    bag_append(&b, "Port", 4, dyn_str_ref(port.p, port.n));
    bag_append(&b, "Path", 4, dyn_str_ref(path.p, path.n));
    bag_append(&b, "Username", 8, dyn_str_ref(user.p, user.n));
    bag_append(&b, "Password", 8, dyn_str_ref(pass.p, pass.n));
    bag_append(&b, "Query Parameters", 16, *query_bag(c, query));
    bag_append(&b, "Fragment", 8, dyn_str_ref(frag.p, frag.n));
    fn_set_dyn(out, bag_done(&b));
}

/* parse_path(path) : {"Scheme", "RootPath", "DirectoryPath", "DirectoryName",
 * "Filename", "Extension", "AlternateDataStreamName"} for Windows, UNC,
 * Unix and file:// paths; separators '\' and '/' both count. */
static void fn_parse_path(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    sp_str s = fa_str(c, &a[0]);
    s.p = sp_arena_strndup(c->arena, s.p, s.n);
    sp_str scheme = {"", 0}, root = {"", 0}, dir = {"", 0}, dname = {"", 0}, file = {"", 0}, ext = {"", 0},
           ads = {"", 0};
    size_t i = 0;
    while (i < s.n && isalpha((unsigned char)s.p[i])) i++;
    if (i > 1 && s.n - i >= 3 && memcmp(s.p + i, "://", 3) == 0) {
        scheme = (sp_str){s.p, i};
        s.p += i + 3;
        s.n -= i + 3;
    }
    if (s.n >= 2 && isalpha((unsigned char)s.p[0]) && s.p[1] == ':') root = (sp_str){s.p, 2};
    size_t sep = SIZE_MAX;
    for (size_t k = 0; k < s.n; k++)
        if (s.p[k] == '\\' || s.p[k] == '/') sep = k;
    if (sep == SIZE_MAX) {
        file = root.n ? (sp_str){s.p + 2, s.n - 2} : s;
    } else {
        dir = (sp_str){s.p, sep};
        file = (sp_str){s.p + sep + 1, s.n - sep - 1};
        size_t ds = SIZE_MAX;
        for (size_t k = 0; k < dir.n; k++)
            if (dir.p[k] == '\\' || dir.p[k] == '/') ds = k;
        dname = ds == SIZE_MAX ? dir : (sp_str){dir.p + ds + 1, dir.n - ds - 1};
        if (root.n && dname.n == 2 && dname.p == root.p) dname = (sp_str){"", 0};
    }
    for (size_t k = 0; k < file.n; k++)
        if (file.p[k] == ':') {
            ads = (sp_str){file.p + k + 1, file.n - k - 1};
            file.n = k;
            break;
        }
    for (size_t k = file.n; k > 0; k--)
        if (file.p[k - 1] == '.') {
            ext = (sp_str){file.p + k, file.n - k};
            break;
        }
    fn_bag b;
    bag_init(&b, c->arena, 8);
    bag_append(&b, "Scheme", 6, dyn_str_ref(scheme.p, scheme.n));
    bag_append(&b, "RootPath", 8, dyn_str_ref(root.p, root.n));
    bag_append(&b, "DirectoryPath", 13, dyn_str_ref(dir.p, dir.n));
    bag_append(&b, "DirectoryName", 13, dyn_str_ref(dname.p, dname.n));
    bag_append(&b, "Filename", 8, dyn_str_ref(file.p, file.n));
    bag_append(&b, "Extension", 9, dyn_str_ref(ext.p, ext.n));
    bag_append(&b, "AlternateDataStreamName", 23, dyn_str_ref(ads.p, ads.n));
    fn_set_dyn(out, bag_done(&b));
}

/* ------------------------------------------------------- parse_user_agent
 * A small built-in rule set (not the uap-core database): common browsers,
 * tools and crawlers, the major operating systems and Apple/Android/Nokia
 * devices. Unknown parts get the family "Other" and empty versions. */
typedef struct ua_ver {
    sp_str v[4];
} ua_ver;

/* the version digits after `tok` ("Chrome/74.0.3729" -> 74, 0, 3729) */
static bool ua_find(sp_str ua, const char *tok, ua_ver *ver, char sepch) {
    long at = sp_str_find(ua, sp_str_c(tok));
    if (at < 0) return false;
    memset(ver, 0, sizeof *ver);
    for (int i = 0; i < 4; i++) ver->v[i] = (sp_str){"", 0};
    size_t i = (size_t)at + strlen(tok);
    for (int k = 0; k < 4 && i < ua.n; k++) {
        size_t s = i;
        while (i < ua.n && isalnum((unsigned char)ua.p[i])) i++;
        ver->v[k] = (sp_str){ua.p + s, i - s};
        if (i >= ua.n || (ua.p[i] != '.' && ua.p[i] != sepch)) break;
        i++;
    }
    return true;
}

static kql_dyn ua_s(sp_str s) { return dyn_str_ref(s.p, s.n); }

static const kql_dyn *ua_browser(kql_fctx *c, sp_str ua) {
    static const struct {
        const char *tok, *family;
    } rules[] = {
        {"Edg/", "Edge"}, {"Edge/", "Edge"}, {"EdgA/", "Edge Mobile"}, {"EdgiOS/", "Edge Mobile"},
        {"OPR/", "Opera"}, {"SamsungBrowser/", "Samsung Internet"}, {"YaBrowser/", "Yandex Browser"},
        {"Vivaldi/", "Vivaldi"}, {"CriOS/", "Chrome Mobile iOS"}, {"FxiOS/", "Firefox iOS"},
        {"Firefox/", "Firefox"}, {"AdobeAIR/", "AdobeAIR"}, {"Googlebot/", "Googlebot"}, {"bingbot/", "bingbot"},
        {"curl/", "curl"}, {"Wget/", "Wget"}, {"python-requests/", "Python Requests"}, {"okhttp/", "okhttp"},
        {"Go-http-client/", "Go-http-client"}, {"PostmanRuntime/", "PostmanRuntime"},
        {"PowerShell/", "PowerShell"}, {"MSIE ", "IE"}, {"Chromium/", "Chromium"},
    };
    ua_ver v;
    const char *fam = NULL;
    for (size_t i = 0; i < SP_ARRAY_LEN(rules) && !fam; i++)
        if (ua_find(ua, rules[i].tok, &v, 0)) fam = rules[i].family;
    if (!fam && ua_find(ua, "Chrome/", &v, 0))
        fam = sp_str_find(ua, SP_STR("Mobile")) >= 0 ? "Chrome Mobile" : "Chrome";
    if (!fam && sp_str_find(ua, SP_STR("Trident/")) >= 0 && ua_find(ua, "rv:", &v, 0)) fam = "IE";
    if (!fam && sp_str_find(ua, SP_STR("Safari/")) >= 0 && ua_find(ua, "Version/", &v, 0))
        fam = sp_str_find(ua, SP_STR("Mobile")) >= 0 ? "Mobile Safari" : "Safari";
    if (!fam && ua_find(ua, "Opera/", &v, 0)) {
        ua_ver v2;
        if (ua_find(ua, "Version/", &v2, 0)) v = v2;
        fam = "Opera";
    }
    if (!fam && ua_find(ua, "Series60/", &v, 0)) fam = "Nokia OSS Browser";
    fn_bag b;
    bag_init(&b, c->arena, 4);
    if (!fam) {
        memset(&v, 0, sizeof v);
        for (int i = 0; i < 4; i++) v.v[i] = (sp_str){"", 0};
        fam = "Other";
    }
    bag_append(&b, "Family", 6, dyn_str_ref(fam, strlen(fam)));
    bag_append(&b, "MajorVersion", 12, ua_s(v.v[0]));
    bag_append(&b, "MinorVersion", 12, ua_s(v.v[1]));
    bag_append(&b, "Patch", 5, ua_s(v.v[2]));
    return bag_done(&b);
}

static const kql_dyn *ua_os(kql_fctx *c, sp_str ua) {
    ua_ver v;
    const char *fam = NULL;
    for (int i = 0; i < 4; i++) v.v[i] = (sp_str){"", 0};
    if (ua_find(ua, "Windows NT ", &v, 0)) {
        static const struct {
            const char *nt, *ver;
        } map[] = {{"10.0", "10"}, {"6.3", "8.1"}, {"6.2", "8"}, {"6.1", "7"}, {"6.0", "Vista"},
                   {"5.2", "XP"},  {"5.1", "XP"}};
        char nt[16];
        snprintf(nt, sizeof nt, "%.*s.%.*s", (int)SP_MIN(v.v[0].n, 4), v.v[0].p, (int)SP_MIN(v.v[1].n, 4), v.v[1].p);
        sp_str major = v.v[0], minor = (sp_str){"", 0};
        for (size_t i = 0; i < SP_ARRAY_LEN(map); i++)
            if (strcmp(nt, map[i].nt) == 0) {
                major = sp_str_c(map[i].ver);
                if (strcmp(map[i].ver, "8.1") == 0) major = SP_STR("8"), minor = SP_STR("1");
            }
        v.v[0] = major;
        v.v[1] = minor;
        v.v[2] = v.v[3] = (sp_str){"", 0};
        fam = "Windows";
    } else if (ua_find(ua, "Windows Phone ", &v, 0)) {
        fam = "Windows Phone";
    } else if (ua_find(ua, "Android ", &v, 0) || ua_find(ua, "Android/", &v, 0)) {
        fam = "Android";
    } else if (ua_find(ua, "iPhone OS ", &v, '_') || ua_find(ua, "CPU OS ", &v, '_')) {
        fam = "iOS";
    } else if (ua_find(ua, "Mac OS X ", &v, '_')) {
        fam = "Mac OS X";
    } else if (sp_str_find(ua, SP_STR("CrOS")) >= 0) {
        fam = "Chrome OS";
    } else if (ua_find(ua, "SymbianOS/", &v, 0)) {
        fam = "Symbian OS";
    } else if (sp_str_find(ua, SP_STR("Ubuntu")) >= 0) {
        fam = "Ubuntu";
    } else if (sp_str_find(ua, SP_STR("Linux")) >= 0) {
        fam = "Linux";
    } else if (sp_str_find(ua, SP_STR("Windows")) >= 0) {
        fam = "Windows";
    }
    if (!fam) fam = "Other";
    /* versions made only of digits */
    for (int i = 0; i < 4; i++)
        for (size_t k = 0; k < v.v[i].n; k++)
            if (!isdigit((unsigned char)v.v[i].p[k]) && strcmp(fam, "Windows") != 0) {
                v.v[i] = (sp_str){"", 0};
                break;
            }
    fn_bag b;
    bag_init(&b, c->arena, 5);
    bag_append(&b, "Family", 6, dyn_str_ref(fam, strlen(fam)));
    bag_append(&b, "MajorVersion", 12, ua_s(v.v[0]));
    bag_append(&b, "MinorVersion", 12, ua_s(v.v[1]));
    bag_append(&b, "Patch", 5, ua_s(v.v[2]));
    bag_append(&b, "PatchMinor", 10, ua_s(v.v[3]));
    return bag_done(&b);
}

static const kql_dyn *ua_device(kql_fctx *c, sp_str ua) {
    sp_str fam = SP_STR("Other"), brand = {"", 0}, model = {"", 0};
    long at;
    if (sp_str_find(ua, SP_STR("iPhone")) >= 0) {
        fam = SP_STR("iPhone"), brand = SP_STR("Apple"), model = SP_STR("iPhone");
    } else if (sp_str_find(ua, SP_STR("iPad")) >= 0) {
        fam = SP_STR("iPad"), brand = SP_STR("Apple"), model = SP_STR("iPad");
    } else if (sp_str_find(ua, SP_STR("Macintosh")) >= 0) {
        fam = SP_STR("Mac"), brand = SP_STR("Apple"), model = SP_STR("Mac");
    } else if ((at = sp_str_find(ua, SP_STR("Nokia"))) >= 0 && (size_t)at + 5 < ua.n &&
               isalnum((unsigned char)ua.p[at + 5])) {
        size_t s = (size_t)at + 5, e = s;
        while (e < ua.n && (isalnum((unsigned char)ua.p[e]) || ua.p[e] == '-')) e++;
        model = (sp_str){ua.p + s, e - s};
        size_t base = 0;
        while (base < model.n && model.p[base] != '-') base++;
        char *f = sp_arena_printf(c->arena, "Nokia %.*s", (int)base, model.p);
        fam = sp_str_c(f), brand = SP_STR("Nokia");
    } else if ((at = sp_str_find(ua, SP_STR(" Build/"))) >= 0) {
        size_t e = (size_t)at, s = e;
        while (s > 0 && ua.p[s - 1] != ';' && ua.p[s - 1] != '(') s--;
        while (s < e && ua.p[s] == ' ') s++;
        model = (sp_str){ua.p + s, e - s};
        fam = model;
        brand = SP_STR("Generic_Android");
    } else if (sp_str_ifind(ua, SP_STR("bot")) >= 0 || sp_str_ifind(ua, SP_STR("spider")) >= 0 ||
               sp_str_ifind(ua, SP_STR("crawler")) >= 0) {
        fam = SP_STR("Spider"), brand = SP_STR("Spider"), model = SP_STR("Desktop");
    }
    fn_bag b;
    bag_init(&b, c->arena, 3);
    bag_append(&b, "Family", 6, ua_s(fam));
    bag_append(&b, "Brand", 5, ua_s(brand));
    bag_append(&b, "Model", 5, ua_s(model));
    return bag_done(&b);
}

/* parse_user_agent(user_agent [, look_for]) : dynamic with "Browser",
 * "OperatingSystem" and/or "Device" as look_for asks ("browser", "os",
 * "device", or an array of them; all three when omitted). */
static void fn_parse_user_agent(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    sp_str ua = fa_str(c, &a[0]);
    ua.p = sp_arena_strndup(c->arena, ua.p, ua.n);
    bool want[3] = {n < 2, n < 2, n < 2};
    if (n >= 2 && !fa_isnull(&a[1])) {
        sp_str items[3];
        size_t k = 0;
        const kql_dyn *d = a[1].type == KQL_DYNAMIC ? a[1].u.d : NULL;
        if (d && d->kind == KQL_DYN_ARRAY) {
            for (uint32_t i = 0; i < d->n && k < 3; i++)
                if (dyn_is_str(&d->u.items[i], &items[k])) k++;
        } else {
            items[k++] = fa_str(c, &a[1]);
        }
        for (size_t i = 0; i < k; i++) {
            if (sp_str_ieqc(items[i], "browser")) want[0] = true;
            else if (sp_str_ieqc(items[i], "os")) want[1] = true;
            else if (sp_str_ieqc(items[i], "device")) want[2] = true;
        }
    }
    fn_bag b;
    bag_init(&b, c->arena, 3);
    if (want[0]) bag_append(&b, "Browser", 7, *ua_browser(c, ua));
    if (want[1]) bag_append(&b, "OperatingSystem", 15, *ua_os(c, ua));
    if (want[2]) bag_append(&b, "Device", 6, *ua_device(c, ua));
    fn_set_dyn(out, bag_done(&b));
}

static const kql_fn FNS[] = {
    {"url_decode", KQL_FN_SCALAR, "s", "string", NULL, NULL, fn_url_decode, NULL, 0, NULL},
    {"url_encode", KQL_FN_SCALAR, "s", "string", NULL, NULL, fn_url_encode, NULL, 0, NULL},
    {"url_encode_component", KQL_FN_SCALAR, "s", "string", NULL, NULL, fn_url_encode_component, NULL, 0, NULL},
    {"parse_url", KQL_FN_SCALAR, "s", "dynamic", NULL, NULL, fn_parse_url, NULL, 0, NULL},
    {"parseurl", KQL_FN_SCALAR, "s", "dynamic", NULL, NULL, fn_parse_url, NULL, 0, NULL},
    {"parse_urlquery", KQL_FN_SCALAR, "s", "dynamic", NULL, NULL, fn_parse_urlquery, NULL, 0, NULL},
    {"parseurlquery", KQL_FN_SCALAR, "s", "dynamic", NULL, NULL, fn_parse_urlquery, NULL, 0, NULL},
    {"parse_path", KQL_FN_SCALAR, "s", "dynamic", NULL, NULL, fn_parse_path, NULL, 0, NULL},
    {"parse_user_agent", KQL_FN_SCALAR, "s,a?", "dynamic", NULL, NULL, fn_parse_user_agent, NULL, 0, NULL},
};

KQL_FN_TABLE(kql_fns_url, FNS);
