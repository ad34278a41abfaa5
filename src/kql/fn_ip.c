/* IP address functions: IPv4 and IPv6 parsing, masks, comparison and range
 * tests, private ranges, finding addresses in text; geo lookup stub. */
#include "fn_util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>

/* An IPv4 address "a.b.c.d" with an optional "/prefix" (0..32). */
typedef struct ip4 {
    uint32_t addr;
    int prefix;            /* 32 when absent */
} ip4;

static bool parse_octets(const char *p, size_t n, uint32_t *out, size_t *used) {
    uint32_t v = 0;
    size_t i = 0;
    for (int k = 0; k < 4; k++) {
        if (k) {
            if (i >= n || p[i] != '.') return false;
            i++;
        }
        size_t s = i;
        unsigned o = 0;
        while (i < n && isdigit((unsigned char)p[i]) && i - s < 3) o = o * 10 + (unsigned)(p[i++] - '0');
        if (i == s || o > 255 || (i < n && isdigit((unsigned char)p[i]))) return false;
        v = (v << 8) | o;
    }
    *out = v;
    *used = i;
    return true;
}

static bool ip4_parse(sp_str s, ip4 *ip) {
    while (s.n && isspace((unsigned char)*s.p)) s.p++, s.n--;
    while (s.n && isspace((unsigned char)s.p[s.n - 1])) s.n--;
    size_t used;
    if (!parse_octets(s.p, s.n, &ip->addr, &used)) return false;
    ip->prefix = 32;
    if (used == s.n) return true;
    if (s.p[used] != '/' || used + 1 >= s.n || s.n - used - 1 > 2) return false;
    int pf = 0;
    for (size_t i = used + 1; i < s.n; i++) {
        if (!isdigit((unsigned char)s.p[i])) return false;
        pf = pf * 10 + (s.p[i] - '0');
    }
    if (pf > 32) return false;
    ip->prefix = pf;
    return true;
}

static uint32_t mask4(int prefix) { return prefix <= 0 ? 0 : prefix >= 32 ? 0xFFFFFFFFu : ~(0xFFFFFFFFu >> prefix); }

static bool arg_ip4(kql_fctx *c, const kql_value *v, ip4 *ip) {
    if (fa_isnull(v)) return false;
    return ip4_parse(fa_str(c, v), ip);
}

/* ipv4_is_private(ip) : bool, in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 */
static bool is_private4(uint32_t a) {
    return (a & 0xFF000000u) == 0x0A000000u || (a & 0xFFF00000u) == 0xAC100000u || (a & 0xFFFF0000u) == 0xC0A80000u;
}

static void fn_ipv4_is_private(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    ip4 ip;
    if (!arg_ip4(c, &a[0], &ip)) kql_set_null(out);
    else kql_set_bool(out, is_private4(ip.addr));
}

/* the common prefix of two addresses and an optional explicit prefix */
static bool ip4_pair(kql_fctx *c, const kql_value *a, size_t n, ip4 *x, ip4 *y, uint32_t *mask) {
    if (!arg_ip4(c, &a[0], x) || !arg_ip4(c, &a[1], y)) return false;
    int p = x->prefix < y->prefix ? x->prefix : y->prefix;
    if (n > 2 && !fa_isnull(&a[2])) {
        int64_t q;
        if (!fa_long(&a[2], &q) || q < 0 || q > 32) return false;
        if (q < p) p = (int)q;
    }
    *mask = mask4(p);
    return true;
}

/* ipv4_compare(ip1, ip2 [, prefix]) : long -1/0/1 over the masked addresses */
static void fn_ipv4_compare(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    ip4 x, y;
    uint32_t m;
    if (!ip4_pair(c, a, n, &x, &y, &m)) {
        kql_set_null(out);
        return;
    }
    uint32_t u = x.addr & m, v = y.addr & m;
    kql_set_long(out, u < v ? -1 : u > v);
}

/* ipv4_is_match(ip1, ip2 [, prefix]) : bool */
static void fn_ipv4_is_match(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    ip4 x, y;
    uint32_t m;
    if (!ip4_pair(c, a, n, &x, &y, &m)) kql_set_null(out);
    else kql_set_bool(out, (x.addr & m) == (y.addr & m));
}

/* ipv4_is_in_range(ip, range) : bool, the address inside the range's CIDR block */
static void fn_ipv4_is_in_range(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    ip4 x, r;
    if (!arg_ip4(c, &a[0], &x) || !arg_ip4(c, &a[1], &r)) {
        kql_set_null(out);
        return;
    }
    uint32_t m = mask4(r.prefix);
    kql_set_bool(out, (x.addr & m) == (r.addr & m));
}

/* ipv4_is_in_any_range(ip, range1, range2, ...) or (ip, dynamic array) : bool */
static bool in_range_text(const ip4 *x, sp_str r) {
    ip4 rr;
    if (!ip4_parse(r, &rr)) return false;
    uint32_t m = mask4(rr.prefix);
    return (x->addr & m) == (rr.addr & m);
}

static void fn_ipv4_is_in_any_range(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    ip4 x;
    if (!arg_ip4(c, &a[0], &x)) {
        kql_set_null(out);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        if (fa_isnull(&a[i])) continue;
        const kql_dyn *d = a[i].type == KQL_DYNAMIC ? a[i].u.d : NULL;
        if (d && d->kind == KQL_DYN_ARRAY) {
            for (uint32_t k = 0; k < d->n; k++) {
                sp_str s;
                if (dyn_is_str(&d->u.items[k], &s) && in_range_text(&x, s)) {
                    kql_set_bool(out, true);
                    return;
                }
            }
        } else if (in_range_text(&x, fa_str(c, &a[i]))) {
            kql_set_bool(out, true);
            return;
        }
    }
    kql_set_bool(out, false);
}

/* parse_ipv4(ip) : long, the address (masked by its /prefix when present) */
static void fn_parse_ipv4(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    ip4 x;
    if (!arg_ip4(c, &a[0], &x)) kql_set_null(out);
    else kql_set_long(out, x.addr & mask4(x.prefix));
}

/* parse_ipv4_mask(ip, prefix) : long */
static void fn_parse_ipv4_mask(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    ip4 x;
    int64_t p;
    if (!arg_ip4(c, &a[0], &x) || !fa_long(&a[1], &p) || p < 0 || p > 32) {
        kql_set_null(out);
        return;
    }
    kql_set_long(out, x.addr & mask4(x.prefix) & mask4((int)p));
}

/* ipv4_netmask_suffix(ip) : long, the /prefix (32 without one) */
static void fn_ipv4_netmask_suffix(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    ip4 x;
    if (!arg_ip4(c, &a[0], &x)) kql_set_null(out);
    else kql_set_long(out, x.prefix);
}

/* an address argument given as text or as a number */
static bool ip4_any(kql_fctx *c, const kql_value *v, ip4 *x) {
    kql_value s = *v;
    if (v->type == KQL_DYNAMIC && !v->null) kql_dyn_to_value(v->u.d, &s);
    if (s.type == KQL_INT || s.type == KQL_LONG || s.type == KQL_REAL) {
        int64_t i;
        if (!fa_long(&s, &i) || i < 0 || i > 0xFFFFFFFFLL) return false;
        x->addr = (uint32_t)i;
        x->prefix = 32;
        return true;
    }
    return arg_ip4(c, &s, x);
}

static sp_str format4(kql_fctx *c, uint32_t a, int prefix) {
    char tmp[24];
    int k = prefix >= 0 ? snprintf(tmp, sizeof tmp, "%u.%u.%u.%u/%d", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255,
                                   prefix)
                        : snprintf(tmp, sizeof tmp, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
    return kql_fstr(c, tmp, (size_t)k);
}

/* format_ipv4(ip [, prefix]) : string, the masked address; "" when invalid */
static void fn_format_ipv4(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    ip4 x;
    int64_t p = 32;
    if (!ip4_any(c, &a[0], &x) || (n > 1 && !fa_isnull(&a[1]) && (!fa_long(&a[1], &p) || p < 0 || p > 32))) {
        kql_set_str(out, (sp_str){"", 0});
        return;
    }
    kql_set_str(out, format4(c, x.addr & mask4(x.prefix) & mask4((int)p), -1));
}

/* format_ipv4_mask(ip, prefix) : string "a.b.c.d/prefix" of the masked address */
static void fn_format_ipv4_mask(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    ip4 x;
    int64_t p = 32;
    if (!ip4_any(c, &a[0], &x) || (n > 1 && !fa_isnull(&a[1]) && (!fa_long(&a[1], &p) || p < 0 || p > 32))) {
        kql_set_str(out, (sp_str){"", 0});
        return;
    }
    int pf = (int)p < x.prefix ? (int)p : x.prefix;
    kql_set_str(out, format4(c, x.addr & mask4(pf), pf));
}

/* --------------------------------------------------------------------- IPv6
 * Addresses as 16 bytes; IPv4 text becomes the IPv4-mapped ::ffff:a.b.c.d
 * (an IPv4 /prefix then counts within the last 32 bits). */
typedef struct ip6 {
    uint8_t b[16];
    int prefix;
} ip6;

static bool ip6_parse(sp_str s, ip6 *ip) {
    while (s.n && isspace((unsigned char)*s.p)) s.p++, s.n--;
    while (s.n && isspace((unsigned char)s.p[s.n - 1])) s.n--;
    ip4 v4;
    if (ip4_parse(s, &v4)) {
        memset(ip->b, 0, 10);
        ip->b[10] = ip->b[11] = 0xFF;
        for (int i = 0; i < 4; i++) ip->b[12 + i] = (uint8_t)(v4.addr >> (24 - 8 * i));
        ip->prefix = 96 + v4.prefix;
        return true;
    }
    char tmp[64];
    size_t addr_n = s.n;
    ip->prefix = 128;
    for (size_t i = 0; i < s.n; i++)
        if (s.p[i] == '/') {
            addr_n = i;
            int pf = 0;
            if (i + 1 >= s.n || s.n - i - 1 > 3) return false;
            for (size_t k = i + 1; k < s.n; k++) {
                if (!isdigit((unsigned char)s.p[k])) return false;
                pf = pf * 10 + (s.p[k] - '0');
            }
            if (pf > 128) return false;
            ip->prefix = pf;
            break;
        }
    if (addr_n == 0 || addr_n >= sizeof tmp) return false;
    memcpy(tmp, s.p, addr_n);
    tmp[addr_n] = 0;
    return inet_pton(AF_INET6, tmp, ip->b) == 1;
}

static void mask6(uint8_t *b, int prefix) {
    for (int i = 0; i < 16; i++) {
        int bits = prefix - 8 * i;
        if (bits >= 8) continue;
        b[i] &= bits <= 0 ? 0 : (uint8_t)(0xFF << (8 - bits));
    }
}

static bool ip6_pair(kql_fctx *c, const kql_value *a, size_t n, ip6 *x, ip6 *y) {
    if (fa_isnull(&a[0]) || fa_isnull(&a[1]) || !ip6_parse(fa_str(c, &a[0]), x) || !ip6_parse(fa_str(c, &a[1]), y))
        return false;
    int p = x->prefix < y->prefix ? x->prefix : y->prefix;
    if (n > 2 && !fa_isnull(&a[2])) {
        int64_t q;
        if (!fa_long(&a[2], &q) || q < 0 || q > 128) return false;
        if (q < p) p = (int)q;
    }
    mask6(x->b, p);
    mask6(y->b, p);
    return true;
}

/* ipv6_compare(ip1, ip2 [, prefix]) : long; ipv6_is_match(...) : bool */
static void fn_ipv6_compare(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    ip6 x, y;
    if (!ip6_pair(c, a, n, &x, &y)) {
        kql_set_null(out);
        return;
    }
    int r = memcmp(x.b, y.b, 16);
    kql_set_long(out, r < 0 ? -1 : r > 0);
}

static void fn_ipv6_is_match(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    ip6 x, y;
    if (!ip6_pair(c, a, n, &x, &y)) kql_set_null(out);
    else kql_set_bool(out, memcmp(x.b, y.b, 16) == 0);
}

/* ipv6_is_in_range(ip, range) : bool */
static void fn_ipv6_is_in_range(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    ip6 x, r;
    if (!ip6_parse(fa_str(c, &a[0]), &x) || !ip6_parse(fa_str(c, &a[1]), &r)) {
        kql_set_null(out);
        return;
    }
    mask6(x.b, r.prefix);
    mask6(r.b, r.prefix);
    kql_set_bool(out, memcmp(x.b, r.b, 16) == 0);
}

/* parse_ipv6(ip) : string, the canonical form: eight 4-digit groups */
static void put_ip6(kql_fctx *c, const uint8_t *b, kql_value *out) {
    char tmp[48];
    int k = 0;
    for (int i = 0; i < 8; i++) k += snprintf(tmp + k, sizeof tmp - (size_t)k, "%s%02x%02x", i ? ":" : "", b[2 * i], b[2 * i + 1]);
    kql_set_str(out, kql_fstr(c, tmp, (size_t)k));
}

static void fn_parse_ipv6(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    ip6 x;
    if (!ip6_parse(fa_str(c, &a[0]), &x)) {
        kql_set_str(out, (sp_str){"", 0});
        return;
    }
    mask6(x.b, x.prefix);
    put_ip6(c, x.b, out);
}

/* parse_ipv6_mask(ip, prefix) : string; an IPv4 address takes an IPv4 prefix */
static void fn_parse_ipv6_mask(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    ip6 x;
    int64_t p;
    sp_str s = fa_str(c, &a[0]);
    ip4 v4;
    bool is4 = ip4_parse(s, &v4);
    if (!ip6_parse(s, &x) || !fa_long(&a[1], &p) || p < 0 || p > (is4 ? 32 : 128)) {
        kql_set_str(out, (sp_str){"", 0});
        return;
    }
    int pf = (int)p + (is4 ? 96 : 0);
    mask6(x.b, x.prefix < pf ? x.prefix : pf);
    put_ip6(c, x.b, out);
}

/* ------------------------------------------------------- addresses in text
 * An address in text is a dotted quad not run into other digits, letters or
 * dots ("10.1.2.3." at a sentence end still counts). */
typedef bool (*ip_visit)(uint32_t addr, sp_str text, void *ud);

static void scan_ipv4(sp_str s, ip_visit f, void *ud) {
    for (size_t i = 0; i < s.n; i++) {
        if (!isdigit((unsigned char)s.p[i])) continue;
        if (i > 0 && (isalnum((unsigned char)s.p[i - 1]) || s.p[i - 1] == '.' || s.p[i - 1] == '_')) continue;
        uint32_t addr;
        size_t used;
        if (parse_octets(s.p + i, s.n - i, &addr, &used)) {
            size_t e = i + used;
            bool ok = e == s.n || !(isalnum((unsigned char)s.p[e]) || s.p[e] == '_');
            if (ok && e < s.n && s.p[e] == '.' && e + 1 < s.n && isdigit((unsigned char)s.p[e + 1])) ok = false;
            if (ok && f(addr, (sp_str){s.p + i, used}, ud)) return;
            i = e - 1;
        } else {
            while (i + 1 < s.n && (isdigit((unsigned char)s.p[i + 1]) || s.p[i + 1] == '.')) i++;
        }
    }
}

typedef struct ipfind {
    const uint32_t *addrs;
    const sp_str *prefixes;
    size_t n;
    bool found;
} ipfind;

static bool visit_addr(uint32_t addr, sp_str text, void *ud) {
    (void)text;
    ipfind *f = ud;
    for (size_t i = 0; i < f->n; i++)
        if (f->addrs[i] == addr) return f->found = true;
    return false;
}

static bool visit_prefix(uint32_t addr, sp_str text, void *ud) {
    (void)addr;
    ipfind *f = ud;
    for (size_t i = 0; i < f->n; i++) {
        sp_str p = f->prefixes[i];
        if (p.n && p.n <= text.n && memcmp(text.p, p.p, p.n) == 0 && (p.n == text.n || p.p[p.n - 1] == '.'))
            return f->found = true;
    }
    return false;
}

/* the addresses (or prefixes) to look for: strings, or dynamic arrays of them */
static size_t collect(kql_fctx *c, const kql_value *a, size_t n, sp_str *out, size_t max) {
    size_t k = 0;
    for (size_t i = 0; i < n && k < max; i++) {
        if (fa_isnull(&a[i])) continue;
        const kql_dyn *d = a[i].type == KQL_DYNAMIC ? a[i].u.d : NULL;
        if (d && d->kind == KQL_DYN_ARRAY) {
            for (uint32_t j = 0; j < d->n && k < max; j++)
                if (dyn_is_str(&d->u.items[j], &out[k])) k++;
        } else {
            out[k++] = fa_str(c, &a[i]);
        }
    }
    return k;
}

#define IPFIND_MAX 256
static void find_ips(kql_fctx *c, const kql_value *a, size_t n, kql_value *out, bool prefix) {
    sp_str want[IPFIND_MAX];
    uint32_t addrs[IPFIND_MAX];
    size_t k = collect(c, a + 1, n - 1, want, IPFIND_MAX), m = 0;
    ipfind f = {addrs, want, 0, false};
    if (!prefix) {
        for (size_t i = 0; i < k; i++) {
            ip4 x;
            if (ip4_parse(want[i], &x) && x.prefix == 32) addrs[m++] = x.addr;
        }
        if (m == 0 && k > 0) {
            kql_set_null(out);
            return;
        }
        f.n = m;
    } else {
        f.n = k;
    }
    scan_ipv4(fa_str(c, &a[0]), prefix ? visit_prefix : visit_addr, &f);
    kql_set_bool(out, f.found);
}

/* has_ipv4(source, ip), has_any_ipv4(source, ips...) : bool */
static void fn_has_ipv4(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) { find_ips(c, a, n, out, false); }
/* has_ipv4_prefix(source, prefix), has_any_ipv4_prefix(source, prefixes...) :
 * bool; a prefix is a whole address or ends with '.' ("10.1.") */
static void fn_has_ipv4_prefix(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    find_ips(c, a, n, out, true);
}

/* geo_info_from_ip_address(ip) : dynamic. No geolocation data ships with
 * secpilot, so every address gives an empty property bag. */
static void fn_geo_info(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)a, (void)n;
    fn_bag b;
    bag_init(&b, c->arena, 1);
    fn_set_dyn(out, bag_done(&b));
}

static const kql_fn FNS[] = {
    {"ipv4_is_private", KQL_FN_SCALAR, "s", "bool", NULL, NULL, fn_ipv4_is_private, NULL, 0, NULL},
    {"ipv4_compare", KQL_FN_SCALAR, "s,s,i?", "long", NULL, NULL, fn_ipv4_compare, NULL, 0, NULL},
    {"ipv4_is_match", KQL_FN_SCALAR, "s,s,i?", "bool", NULL, NULL, fn_ipv4_is_match, NULL, 0, NULL},
    {"ipv4_is_in_range", KQL_FN_SCALAR, "s,s", "bool", NULL, NULL, fn_ipv4_is_in_range, NULL, 0, NULL},
    {"ipv4_is_in_any_range", KQL_FN_SCALAR, "s,a,a*", "bool", NULL, NULL, fn_ipv4_is_in_any_range, NULL, 0, NULL},
    {"parse_ipv4", KQL_FN_SCALAR, "s", "long", NULL, NULL, fn_parse_ipv4, NULL, 0, NULL},
    {"parse_ipv4_mask", KQL_FN_SCALAR, "s,i", "long", NULL, NULL, fn_parse_ipv4_mask, NULL, 0, NULL},
    {"ipv4_netmask_suffix", KQL_FN_SCALAR, "s", "long", NULL, NULL, fn_ipv4_netmask_suffix, NULL, 0, NULL},
    {"format_ipv4", KQL_FN_SCALAR, "a,i?", "string", NULL, NULL, fn_format_ipv4, NULL, 0, NULL},
    {"format_ipv4_mask", KQL_FN_SCALAR, "a,i", "string", NULL, NULL, fn_format_ipv4_mask, NULL, 0, NULL},
    {"parse_ipv6", KQL_FN_SCALAR, "s", "string", NULL, NULL, fn_parse_ipv6, NULL, 0, NULL},
    {"parse_ipv6_mask", KQL_FN_SCALAR, "s,i", "string", NULL, NULL, fn_parse_ipv6_mask, NULL, 0, NULL},
    {"ipv6_compare", KQL_FN_SCALAR, "s,s,i?", "long", NULL, NULL, fn_ipv6_compare, NULL, 0, NULL},
    {"ipv6_is_match", KQL_FN_SCALAR, "s,s,i?", "bool", NULL, NULL, fn_ipv6_is_match, NULL, 0, NULL},
    {"ipv6_is_in_range", KQL_FN_SCALAR, "s,s", "bool", NULL, NULL, fn_ipv6_is_in_range, NULL, 0, NULL},
    {"has_ipv4", KQL_FN_SCALAR, "s,s", "bool", NULL, NULL, fn_has_ipv4, NULL, 0, NULL},
    {"has_any_ipv4", KQL_FN_SCALAR, "s,a,a*", "bool", NULL, NULL, fn_has_ipv4, NULL, 0, NULL},
    {"has_ipv4_prefix", KQL_FN_SCALAR, "s,s", "bool", NULL, NULL, fn_has_ipv4_prefix, NULL, 0, NULL},
    {"has_any_ipv4_prefix", KQL_FN_SCALAR, "s,a,a*", "bool", NULL, NULL, fn_has_ipv4_prefix, NULL, 0, NULL},
    {"geo_info_from_ip_address", KQL_FN_SCALAR, "s", "dynamic", NULL, NULL, fn_geo_info, NULL, 0, NULL},
};

KQL_FN_TABLE(kql_fns_ip, FNS);
