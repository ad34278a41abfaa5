/* JSON records for ingestion: one object parsed in place into named fields
 * (strings unescaped where they lie, nested values kept as raw text), with caps. */
#include "store_int.h"

#include <stdio.h>

static inline bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static inline void ws(const char **pp, const char *e) {
    const char *p = *pp;
    while (p < e && is_ws(*p)) p++;
    *pp = p;
}

/* string := '"' chars '"' (validating: escapes, no raw newline is required) */
static bool skip_string(const char **pp, const char *e) {
    const char *p = *pp + 1;
    for (;;) {
        while (p < e && *p != '"' && *p != '\\') p++;
        if (p >= e) return false;
        if (*p == '"') break;
        p++;
        if (p >= e) return false;
        if (*p == 'u') {
            if (e - p < 5) return false;
            for (int i = 1; i <= 4; i++) {
                char c = p[i];
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
                    return false;
            }
            p += 5;
        } else if (strchr("\"\\/bfnrt", *p) && *p) {
            p++;
        } else {
            return false;
        }
    }
    *pp = p + 1;
    return true;
}

static bool skip_number(const char **pp, const char *e) {
    const char *p = *pp;
    if (p < e && *p == '-') p++;
    if (e - p >= 8 && memcmp(p, "Infinity", 8) == 0) { *pp = p + 8; return true; }
    const char *d = p;
    while (p < e && *p >= '0' && *p <= '9') p++;
    if (p == d) return false;
    if (p < e && *p == '.') {
        p++;
        d = p;
        while (p < e && *p >= '0' && *p <= '9') p++;
        if (p == d) return false;
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < e && (*p == '+' || *p == '-')) p++;
        d = p;
        while (p < e && *p >= '0' && *p <= '9') p++;
        if (p == d) return false;
    }
    *pp = p;
    return true;
}

static bool word(const char **pp, const char *e, const char *w, size_t n) {
    if ((size_t)(e - *pp) >= n && memcmp(*pp, w, n) == 0) {
        *pp += n;
        return true;
    }
    return false;
}

/* value := object | array | string | number | true | false | null | NaN */
bool ing_json_skip(const char **pp, const char *e, int depth, int max_depth) {
    ws(pp, e);
    const char *p = *pp;
    if (p >= e) return false;
    switch (*p) {
    case '"': return skip_string(pp, e);
    case '{':
    case '[': {
        if (depth + 1 > max_depth) return false;
        char close = *p == '{' ? '}' : ']';
        bool obj = *p == '{';
        p++;
        ws(&p, e);
        if (p < e && *p == close) { *pp = p + 1; return true; }
        for (;;) {
            if (obj) {
                ws(&p, e);
                if (p >= e || *p != '"' || !skip_string(&p, e)) return false;
                ws(&p, e);
                if (p >= e || *p != ':') return false;
                p++;
            }
            if (!ing_json_skip(&p, e, depth + 1, max_depth)) return false;
            ws(&p, e);
            if (p >= e) return false;
            if (*p == ',') { p++; continue; }
            if (*p == close) { *pp = p + 1; return true; }
            return false;
        }
    }
    case 't': return word(pp, e, "true", 4);
    case 'f': return word(pp, e, "false", 5);
    case 'n': return word(pp, e, "null", 4);
    case 'N': return word(pp, e, "NaN", 3);
    case 'I': return word(pp, e, "Infinity", 8);
    default: return skip_number(pp, e);
    }
}

static int hexv(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return c - 'A' + 10;
}

/* Unescapes the string whose opening quote is at *pp in place; returns the
 * slice and moves *pp past the closing quote. The output never outgrows the
 * input (\uXXXX -> at most 3 bytes, a surrogate pair of 12 -> 4). */
static bool string_in_place(char **pp, char *e, sp_str *out) {
    char *p = *pp + 1, *start = p;
    while (p < e && *p != '"' && *p != '\\') p++;
    if (p < e && *p == '"') {
        *out = (sp_str){start, (size_t)(p - start)};
        *pp = p + 1;
        return true;
    }
    char *w = p;
    while (p < e && *p != '"') {
        if (*p != '\\') {
            *w++ = *p++;
            continue;
        }
        p++;
        if (p >= e) return false;
        char c = *p++;
        switch (c) {
        case '"': *w++ = '"'; break;
        case '\\': *w++ = '\\'; break;
        case '/': *w++ = '/'; break;
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 't': *w++ = '\t'; break;
        case 'u': {
            if (e - p < 4) return false;
            uint32_t cp = 0;
            for (int i = 0; i < 4; i++) {
                char h = p[i];
                if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) return false;
                cp = cp << 4 | (uint32_t)hexv(h);
            }
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && e - p >= 6 && p[0] == '\\' && p[1] == 'u') {
                uint32_t lo = 0;
                bool ok = true;
                for (int i = 0; i < 4; i++) {
                    char h = p[2 + i];
                    if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) ok = false;
                    else lo = lo << 4 | (uint32_t)hexv(h);
                }
                if (ok && lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6;
                }
            }
            char u[4];
            int k = sp_utf8_encode(cp, u);
            memcpy(w, u, (size_t)k);
            w += k;
            break;
        }
        default: return false;
        }
    }
    if (p >= e) return false;
    *out = (sp_str){start, (size_t)(w - start)};
    *pp = p + 1;
    return true;
}

static bool push(ing_row *row, sp_str name, sp_str text, ing_kind k) {
    if (row->n >= row->max_fields) return false;
    if (row->n == row->cap) {
        row->cap = row->cap ? row->cap * 2 : 64;
        row->f = sp_realloc(row->f, row->cap * sizeof *row->f);
    }
    row->f[row->n++] = (ing_field){name, text, (uint8_t)k, 0};
    return true;
}

/* object := '{' (string ':' value (',' string ':' value)*)? '}' */
bool ing_json_object(char *s, size_t n, ing_row *row, char *why, size_t whyn, size_t *errcol) {
    char *p = s, *e = s + n;
    row->n = 0;
    const char *cp = p;
#define FAIL(msg)                                   \
    do {                                            \
        snprintf(why, whyn, "%s", msg);             \
        *errcol = (size_t)(p - s) + 1;              \
        return false;                               \
    } while (0)
    ws(&cp, e);
    p = (char *)cp;
    if (p >= e || *p != '{') FAIL("not a JSON object");
    p++;
    cp = p;
    ws(&cp, e);
    p = (char *)cp;
    if (p < e && *p == '}') {
        p++;
        goto end;
    }
    for (;;) {
        cp = p;
        ws(&cp, e);
        p = (char *)cp;
        if (p >= e || *p != '"') FAIL("expected a quoted field name");
        sp_str name;
        if (!string_in_place(&p, e, &name)) FAIL("bad string");
        cp = p;
        ws(&cp, e);
        p = (char *)cp;
        if (p >= e || *p != ':') FAIL("expected ':'");
        p++;
        cp = p;
        ws(&cp, e);
        p = (char *)cp;
        if (p >= e) FAIL("unexpected end of row");
        sp_str text;
        ing_kind k;
        const char *v0 = p;
        switch (*p) {
        case '"':
            if (!string_in_place(&p, e, &text)) FAIL("bad string");
            k = ING_STR;
            break;
        case '{':
        case '[':
            cp = p;
            if (!ing_json_skip(&cp, e, 1, row->max_depth)) {
                /* find out whether it was depth or syntax */
                const char *q = p;
                if (!ing_json_skip(&q, e, 1, 1000)) FAIL("malformed JSON value (or nested deeper than 1000)");
                snprintf(why, whyn, "nesting deeper than %d", row->max_depth);
                *errcol = (size_t)(p - s) + 1;
                return false;
            }
            p = (char *)cp;
            text = (sp_str){v0, (size_t)(p - v0)};
            k = ING_JSON;
            break;
        case 't':
            if (!word(&cp, e, "true", 4)) FAIL("bad literal");
            p = (char *)cp, text = (sp_str){v0, 4}, k = ING_TRUE;
            break;
        case 'f':
            if (!word(&cp, e, "false", 5)) FAIL("bad literal");
            p = (char *)cp, text = (sp_str){v0, 5}, k = ING_FALSE;
            break;
        case 'n':
            if (!word(&cp, e, "null", 4)) FAIL("bad literal");
            p = (char *)cp, text = (sp_str){v0, 4}, k = ING_NULL;
            break;
        case 'N':
            if (!word(&cp, e, "NaN", 3)) FAIL("bad literal");
            p = (char *)cp, text = (sp_str){v0, 3}, k = ING_NUM;
            break;
        default:
            if (!skip_number(&cp, e)) FAIL("bad number");
            p = (char *)cp;
            text = (sp_str){v0, (size_t)(p - v0)};
            k = ING_NUM;
        }
        if (!push(row, name, text, k)) {
            snprintf(why, whyn, "more than %zu fields", row->max_fields);
            *errcol = (size_t)(v0 - s) + 1;
            return false;
        }
        cp = p;
        ws(&cp, e);
        p = (char *)cp;
        if (p < e && *p == ',') { p++; continue; }
        if (p < e && *p == '}') { p++; break; }
        FAIL("expected ',' or '}'");
    }
end:
    cp = p;
    ws(&cp, e);
    p = (char *)cp;
    if (p != e) FAIL("text after the object");
#undef FAIL
    return true;
}
