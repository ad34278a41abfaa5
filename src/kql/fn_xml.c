/* parse_xml(): a small, bounded XML reader turning elements, attributes and
 * text into a dynamic value the way Kusto documents (xml2json's mapping). */
#include "fn_util.h"

#include <ctype.h>
#include <stdlib.h>

/* Mapping: <e/> -> {"e": null}; <e>text</e> -> {"e": "text"}; attributes
 * become "@name" members and text beside them "#text"; repeated child
 * elements become arrays. Text (trimmed) and attribute values that read as
 * JSON numbers become numbers, as in the documented example. Comments,
 * processing instructions and the DOCTYPE are skipped (no entity
 * definitions are honoured: only the five predefined entities and numeric
 * character references). Inputs over 128 KB, nesting over 128 levels and
 * malformed XML give null. */
#define XML_MAX_INPUT (128 * 1024)
#define XML_MAX_DEPTH 128

typedef struct xp {
    const char *p, *e;
    sp_arena *a;
    int depth;
    bool bad;
} xp;

static bool xml_name_char(char c) {
    return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.' || c == ':' || (unsigned char)c >= 0x80;
}

static void skip_ws(xp *x) {
    while (x->p < x->e && isspace((unsigned char)*x->p)) x->p++;
}

static bool starts(xp *x, const char *s) {
    size_t n = strlen(s);
    return (size_t)(x->e - x->p) >= n && memcmp(x->p, s, n) == 0;
}

/* skips to just past `end`; false if it never comes */
static bool skip_past(xp *x, const char *end) {
    size_t n = strlen(end);
    while ((size_t)(x->e - x->p) >= n) {
        if (memcmp(x->p, end, n) == 0) {
            x->p += n;
            return true;
        }
        x->p++;
    }
    return false;
}

/* skips <!DOCTYPE ...> including a bracketed internal subset */
static bool skip_doctype(xp *x) {
    int brackets = 0;
    while (x->p < x->e) {
        char c = *x->p++;
        if (c == '[') brackets++;
        else if (c == ']') brackets--;
        else if (c == '>' && brackets <= 0) return true;
    }
    return false;
}

/* appends decoded text (entities resolved) to b */
static void put_text(fn_sb *b, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '&') {
            sb_putc(b, s[i]);
            continue;
        }
        size_t j = i + 1;
        while (j < n && j - i < 12 && s[j] != ';') j++;
        if (j >= n || s[j] != ';') {
            sb_putc(b, '&');
            continue;
        }
        sp_str ent = {s + i + 1, j - i - 1};
        if (sp_str_eqc(ent, "lt")) sb_putc(b, '<');
        else if (sp_str_eqc(ent, "gt")) sb_putc(b, '>');
        else if (sp_str_eqc(ent, "amp")) sb_putc(b, '&');
        else if (sp_str_eqc(ent, "quot")) sb_putc(b, '"');
        else if (sp_str_eqc(ent, "apos")) sb_putc(b, '\'');
        else if (ent.n > 1 && ent.p[0] == '#') {
            uint32_t cp = (uint32_t)(ent.p[1] == 'x' || ent.p[1] == 'X' ? strtoul(ent.p + 2, NULL, 16) : strtoul(ent.p + 1, NULL, 10));
            char u[4];
            int k = sp_utf8_encode(cp ? cp : 0xFFFD, u);
            sb_put(b, u, (size_t)k);
        } else {
            sb_put(b, s + i, j - i + 1);
            i = j;
            continue;
        }
        i = j;
    }
}

/* a text or attribute value: a number when it reads as a JSON number */
static kql_dyn text_value(sp_arena *a, const char *p, size_t n) {
    if (n && n < 40) {
        size_t i = 0;
        if (p[i] == '-') i++;
        size_t d0 = i;
        while (i < n && isdigit((unsigned char)p[i])) i++;
        bool intdigits = i > d0 && !(i - d0 > 1 && p[d0] == '0');
        bool real = false;
        if (intdigits && i < n && p[i] == '.') {
            size_t f0 = ++i;
            while (i < n && isdigit((unsigned char)p[i])) i++;
            real = i > f0;
            if (!real) intdigits = false;
        }
        if (intdigits && i < n && (p[i] == 'e' || p[i] == 'E')) {
            i++;
            if (i < n && (p[i] == '+' || p[i] == '-')) i++;
            size_t e0 = i;
            while (i < n && isdigit((unsigned char)p[i])) i++;
            real = i > e0;
            if (!real) intdigits = false;
        }
        if (intdigits && i == n) {
            char tmp[48];
            memcpy(tmp, p, n);
            tmp[n] = 0;
            if (!real && n - d0 <= 18) return dyn_long(strtoll(tmp, NULL, 10));
            return dyn_real(strtod(tmp, NULL));
        }
    }
    return dyn_str_ref(p, n);
}

static kql_dyn parse_element(xp *x);

/* children of one element, grouped by name in order of first appearance */
typedef struct child {
    sp_str name;
    fn_arr vals;
} child;

static kql_dyn parse_element(xp *x) {
    kql_dyn none;
    memset(&none, 0, sizeof none);
    if (++x->depth > XML_MAX_DEPTH) {
        x->bad = true;
        return none;
    }
    /* at '<' of the start tag */
    x->p++;
    const char *ns = x->p;
    while (x->p < x->e && xml_name_char(*x->p)) x->p++;
    sp_str name = {ns, (size_t)(x->p - ns)};
    if (!name.n) {
        x->bad = true;
        return none;
    }
    fn_bag attrs;
    bag_init(&attrs, x->a, 4);
    for (;;) {
        skip_ws(x);
        if (x->p >= x->e) {
            x->bad = true;
            return none;
        }
        if (*x->p == '/' || *x->p == '>') break;
        const char *as = x->p;
        while (x->p < x->e && xml_name_char(*x->p)) x->p++;
        sp_str an = {as, (size_t)(x->p - as)};
        skip_ws(x);
        if (!an.n || x->p >= x->e || *x->p != '=') {
            x->bad = true;
            return none;
        }
        x->p++;
        skip_ws(x);
        if (x->p >= x->e || (*x->p != '"' && *x->p != '\'')) {
            x->bad = true;
            return none;
        }
        char q = *x->p++;
        const char *vs = x->p;
        while (x->p < x->e && *x->p != q) x->p++;
        if (x->p >= x->e) {
            x->bad = true;
            return none;
        }
        fn_sb v;
        sb_init(&v, x->a, (size_t)(x->p - vs) + 1);
        put_text(&v, vs, (size_t)(x->p - vs));
        x->p++;
        char *key = sp_arena_printf(x->a, "@%.*s", (int)an.n, an.p);
        bag_set(&attrs, key, an.n + 1, text_value(x->a, v.p, v.n));
    }
    bool empty = *x->p == '/';
    if (empty) {
        x->p++;
        if (x->p >= x->e || *x->p != '>') {
            x->bad = true;
            return none;
        }
    }
    x->p++;
    fn_sb text;
    sb_init(&text, x->a, 16);
    child *kids = NULL;
    size_t nkids = 0, ckids = 0;
    while (!empty) {
        if (x->p >= x->e) {
            x->bad = true;
            return none;
        }
        if (*x->p != '<') {
            const char *ts = x->p;
            while (x->p < x->e && *x->p != '<') x->p++;
            put_text(&text, ts, (size_t)(x->p - ts));
            continue;
        }
        if (starts(x, "<!--")) {
            if (!skip_past(x, "-->")) x->bad = true;
        } else if (starts(x, "<![CDATA[")) {
            x->p += 9;
            const char *cs = x->p;
            if (!skip_past(x, "]]>")) x->bad = true;
            else sb_put(&text, cs, (size_t)(x->p - cs - 3));
        } else if (starts(x, "<?")) {
            if (!skip_past(x, "?>")) x->bad = true;
        } else if (starts(x, "</")) {
            x->p += 2;
            const char *es = x->p;
            while (x->p < x->e && xml_name_char(*x->p)) x->p++;
            sp_str en = {es, (size_t)(x->p - es)};
            skip_ws(x);
            if (!sp_str_eq(en, name) || x->p >= x->e || *x->p != '>') x->bad = true;
            else x->p++;
            break;
        } else {
            const char *cs = x->p + 1;
            const char *ce = cs;
            while (ce < x->e && xml_name_char(*ce)) ce++;
            sp_str cn = {cs, (size_t)(ce - cs)};
            kql_dyn v = parse_element(x);
            if (x->bad) return none;
            size_t k = 0;
            while (k < nkids && !sp_str_eq(kids[k].name, cn)) k++;
            if (k == nkids) {
                if (nkids == ckids) {
                    size_t nc = ckids ? ckids * 2 : 4;
                    kids = sp_arena_realloc(x->a, kids, ckids * sizeof(child), nc * sizeof(child));
                    ckids = nc;
                }
                kids[nkids].name = cn;
                arr_init(&kids[nkids].vals, x->a, 2);
                nkids++;
            }
            arr_push(&kids[k].vals, v);
        }
        if (x->bad) return none;
    }
    if (x->bad) return none;
    x->depth--;
    /* trimmed text */
    size_t t0 = 0, t1 = text.n;
    while (t0 < t1 && isspace((unsigned char)text.p[t0])) t0++;
    while (t1 > t0 && isspace((unsigned char)text.p[t1 - 1])) t1--;
    bool has_text = t1 > t0;
    if (attrs.n == 0 && nkids == 0) {
        if (!has_text) return *dyn_null();
        return text_value(x->a, text.p + t0, t1 - t0);
    }
    fn_bag obj = attrs;
    if (has_text) bag_set(&obj, "#text", 5, text_value(x->a, text.p + t0, t1 - t0));
    for (size_t k = 0; k < nkids; k++)
        bag_set(&obj, kids[k].name.p, kids[k].name.n, kids[k].vals.n == 1 ? kids[k].vals.v[0] : *arr_done(&kids[k].vals));
    return *bag_done(&obj);
}

/* parse_xml(text) : dynamic, {"root": value}; null when not well-formed */
static void fn_parse_xml(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    sp_str s = fa_str(c, &a[0]);
    if (s.n == 0 || s.n > XML_MAX_INPUT) {
        kql_set_null(out);
        return;
    }
    char *copy = sp_arena_strndup(c->arena, s.p, s.n);
    xp x = {copy, copy + s.n, c->arena, 0, false};
    /* prolog: declaration, comments, processing instructions, DOCTYPE */
    for (;;) {
        skip_ws(&x);
        if (starts(&x, "<?")) {
            if (!skip_past(&x, "?>")) break;
        } else if (starts(&x, "<!--")) {
            if (!skip_past(&x, "-->")) break;
        } else if (starts(&x, "<!DOCTYPE") || starts(&x, "<!doctype")) {
            if (!skip_doctype(&x)) break;
        } else {
            break;
        }
    }
    if (x.p >= x.e || *x.p != '<' || x.p + 1 >= x.e || !xml_name_char(x.p[1])) {
        kql_set_null(out);
        return;
    }
    const char *ns = x.p + 1, *ne = ns;
    while (ne < x.e && xml_name_char(*ne)) ne++;
    kql_dyn root = parse_element(&x);
    if (x.bad) {
        kql_set_null(out);
        return;
    }
    /* only comments, processing instructions and blanks may follow */
    for (;;) {
        skip_ws(&x);
        if (x.p >= x.e) break;
        if ((starts(&x, "<!--") && skip_past(&x, "-->")) || (starts(&x, "<?") && skip_past(&x, "?>"))) continue;
        kql_set_null(out);
        return;
    }
    fn_bag b;
    bag_init(&b, c->arena, 1);
    bag_append(&b, ns, (size_t)(ne - ns), root);
    fn_set_dyn(out, bag_done(&b));
}

static const kql_fn FNS[] = {
    {"parse_xml", KQL_FN_SCALAR, "s", "dynamic", NULL, NULL, fn_parse_xml, NULL, KQL_FNF_NAME_ARG0, NULL},
};

KQL_FN_TABLE(kql_fns_xml, FNS);
