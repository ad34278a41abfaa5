/* The KQL lexer: turns query text into tokens (names, numbers, timespans,
 * strings in every quoting form, punctuation), keeping each token's offset. */
#include "parse_int.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>

static bool is_ident_start(unsigned char c) { return isalpha(c) || c == '_' || c == '$' || c >= 0x80; }
static bool is_ident_char(unsigned char c) { return isalnum(c) || c == '_' || c >= 0x80; }

void kql_pos(const char *text, size_t off, int *line, int *col) {
    int l = 1, c = 1;
    for (size_t i = 0; i < off && text[i]; i++) {
        if (text[i] == '\n') l++, c = 1;
        else if (((unsigned char)text[i] & 0xC0) != 0x80) c++;
    }
    *line = l;
    *col = c;
}

static int lex_error(kql_lexer *lx, size_t off, const char *fmt, const char *what) {
    int line, col;
    kql_pos(lx->text, off, &line, &col);
    sp_err_set(lx->err, SP_ERR_SYNTAX, "syntax", line, col, fmt, what);
    return -1;
}

static void push(kql_lexer *lx, const kql_token *t) {
    if (lx->n == lx->cap) {
        lx->cap = lx->cap ? lx->cap * 2 : 256;
        lx->toks = sp_arena_realloc(lx->arena, lx->toks, (lx->cap / 2) * sizeof *lx->toks,
                                    lx->cap * sizeof *lx->toks);
    }
    lx->toks[lx->n++] = *t;
}

/* Timespan units after a number: 1d, 2h, 30m, 10s, 100ms, 5microseconds, 1tick ... */
static bool timespan_unit(const char *p, size_t n, int64_t *ticks_per) {
    static const struct {
        const char *u;
        int64_t t;
    } units[] = {
        {"d", SP_TICKS_PER_DAY},       {"day", SP_TICKS_PER_DAY},         {"days", SP_TICKS_PER_DAY},
        {"h", SP_TICKS_PER_HOUR},      {"hr", SP_TICKS_PER_HOUR},         {"hrs", SP_TICKS_PER_HOUR},
        {"hour", SP_TICKS_PER_HOUR},   {"hours", SP_TICKS_PER_HOUR},      {"m", SP_TICKS_PER_MIN},
        {"min", SP_TICKS_PER_MIN},     {"minute", SP_TICKS_PER_MIN},      {"minutes", SP_TICKS_PER_MIN},
        {"s", SP_TICKS_PER_SEC},       {"sec", SP_TICKS_PER_SEC},         {"second", SP_TICKS_PER_SEC},
        {"seconds", SP_TICKS_PER_SEC}, {"ms", SP_TICKS_PER_MS},           {"milli", SP_TICKS_PER_MS},
        {"millis", SP_TICKS_PER_MS},   {"millisecond", SP_TICKS_PER_MS},  {"milliseconds", SP_TICKS_PER_MS},
        {"microsecond", 10},           {"microseconds", 10},              {"micro", 10},
        {"micros", 10},                {"tick", 1},                       {"ticks", 1},
    };
    for (size_t i = 0; i < SP_ARRAY_LEN(units); i++) {
        if (strlen(units[i].u) == n && strncasecmp(p, units[i].u, n) == 0) {
            *ticks_per = units[i].t;
            return true;
        }
    }
    return false;
}

/* number := digits ['.' digits] [('e'|'E') ['+'|'-'] digits] [unit] | '0x' hexdigits */
static int lex_number(kql_lexer *lx, size_t *pos) {
    const char *s = lx->text;
    size_t i = *pos, start = i;
    kql_token t = {.off = (uint32_t)start};
    if (s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X') && isxdigit((unsigned char)s[i + 2])) {
        i += 2;
        uint64_t v = 0;
        while (isxdigit((unsigned char)s[i])) {
            int d = isdigit((unsigned char)s[i]) ? s[i] - '0' : (tolower((unsigned char)s[i]) - 'a' + 10);
            v = v * 16 + (uint64_t)d;
            i++;
        }
        t.kind = TK_INT;
        t.ival = (int64_t)v;
    } else {
        bool isreal = false;
        while (isdigit((unsigned char)s[i])) i++;
        if (s[i] == '.' && isdigit((unsigned char)s[i + 1])) {
            isreal = true;
            i++;
            while (isdigit((unsigned char)s[i])) i++;
        }
        if ((s[i] == 'e' || s[i] == 'E') &&
            (isdigit((unsigned char)s[i + 1]) ||
             ((s[i + 1] == '+' || s[i + 1] == '-') && isdigit((unsigned char)s[i + 2])))) {
            isreal = true;
            i += 2;
            while (isdigit((unsigned char)s[i])) i++;
        }
        char tmp[64];
        size_t n = i - start;
        if (n >= sizeof tmp) return lex_error(lx, start, "%s", "number literal too long");
        memcpy(tmp, s + start, n);
        tmp[n] = 0;
        double r = strtod(tmp, NULL);
        /* a unit suffix makes it a timespan */
        size_t u = i;
        while (isalpha((unsigned char)s[u])) u++;
        int64_t per;
        if (u > i && timespan_unit(s + i, u - i, &per)) {
            t.kind = TK_TIMESPAN;
            t.ival = (int64_t)llround(r * (double)per);
            i = u;
        } else if (isreal) {
            t.kind = TK_REAL;
            t.rval = r;
        } else {
            errno = 0;
            long long v = strtoll(tmp, NULL, 10);
            if (errno == ERANGE) {
                t.kind = TK_REAL;
                t.rval = r;
            } else {
                t.kind = TK_INT;
                t.ival = v;
            }
        }
        if (is_ident_char((unsigned char)s[i]) && t.kind != TK_TIMESPAN) {
            /* digits then letters: an identifier such as 2022Exploited */
            size_t j = start;
            while (is_ident_char((unsigned char)s[j])) j++;
            kql_token id = {.kind = TK_IDENT, .off = (uint32_t)start, .len = (uint32_t)(j - start)};
            id.sval = (sp_str){s + start, j - start};
            push(lx, &id);
            *pos = j;
            return 0;
        }
    }
    t.len = (uint32_t)(i - start);
    push(lx, &t);
    *pos = i;
    return 0;
}

/* string := '...' | "..." (backslash escapes) | @'...' | @"..." (verbatim, doubled quote)
 *         | h'...' | H"..." (obfuscated) | ```...``` | ~~~...~~~ (multi-line) */
static int lex_string(kql_lexer *lx, size_t *pos) {
    const char *s = lx->text;
    size_t i = *pos, start = i;
    bool verbatim = false;
    if (s[i] == 'h' || s[i] == 'H') i++;
    if (s[i] == '@') {
        verbatim = true;
        i++;
    }
    sp_buf b;
    sp_buf_init(&b, 0);
    if ((s[i] == '`' && s[i + 1] == '`' && s[i + 2] == '`') || (s[i] == '~' && s[i + 1] == '~' && s[i + 2] == '~')) {
        char q = s[i];
        i += 3;
        size_t cs = i;
        while (s[i] && !(s[i] == q && s[i + 1] == q && s[i + 2] == q)) i++;
        if (!s[i]) {
            sp_buf_free(&b);
            return lex_error(lx, start, "%s", "unterminated multi-line string literal");
        }
        sp_buf_put(&b, s + cs, i - cs);
        i += 3;
    } else {
        char q = s[i++];
        for (;;) {
            char c = s[i];
            if (!c || (!verbatim && c == '\n')) {
                sp_buf_free(&b);
                return lex_error(lx, start, "%s", "unterminated string literal");
            }
            if (c == q) {
                if (verbatim && s[i + 1] == q) {
                    sp_buf_putc(&b, q);
                    i += 2;
                    continue;
                }
                i++;
                break;
            }
            if (c == '\\' && !verbatim) {
                char x = s[i + 1];
                i += 2;
                switch (x) {
                case 'n': sp_buf_putc(&b, '\n'); break;
                case 't': sp_buf_putc(&b, '\t'); break;
                case 'r': sp_buf_putc(&b, '\r'); break;
                case '0': sp_buf_putc(&b, '\0'); break;
                case 'a': sp_buf_putc(&b, '\a'); break;
                case 'b': sp_buf_putc(&b, '\b'); break;
                case 'f': sp_buf_putc(&b, '\f'); break;
                case 'v': sp_buf_putc(&b, '\v'); break;
                case 'u':
                case 'x': {
                    int want = x == 'u' ? 4 : 2;
                    uint32_t cp = 0;
                    int k = 0;
                    while (k < want && isxdigit((unsigned char)s[i])) {
                        char h = s[i++];
                        cp = cp * 16 + (uint32_t)(isdigit((unsigned char)h) ? h - '0' : tolower((unsigned char)h) - 'a' + 10);
                        k++;
                    }
                    if (k != want) {
                        sp_buf_free(&b);
                        return lex_error(lx, i - 2 - (size_t)k, "%s", "bad escape sequence in string literal");
                    }
                    char u[4];
                    int m = sp_utf8_encode(cp, u);
                    sp_buf_put(&b, u, (size_t)m);
                    break;
                }
                case 0:
                    sp_buf_free(&b);
                    return lex_error(lx, start, "%s", "unterminated string literal");
                default: sp_buf_putc(&b, x); break; /* \\ \' \" and unknown escapes keep the character */
                }
                continue;
            }
            sp_buf_putc(&b, c);
            i++;
        }
    }
    kql_token t = {.kind = TK_STRING, .off = (uint32_t)start, .len = (uint32_t)(i - start)};
    t.sval.p = sp_arena_strndup(lx->arena, b.p ? b.p : "", b.n);
    t.sval.n = b.n;
    sp_buf_free(&b);
    /* adjacent string literals concatenate: 'a' 'b' is 'ab' */
    if (lx->n && lx->toks[lx->n - 1].kind == TK_STRING && lx->last_was_string) {
        kql_token *prev = &lx->toks[lx->n - 1];
        size_t n = prev->sval.n + t.sval.n;
        char *cat = sp_arena_alloc(lx->arena, n + 1);
        memcpy(cat, prev->sval.p, prev->sval.n);
        memcpy(cat + prev->sval.n, t.sval.p, t.sval.n);
        cat[n] = 0;
        prev->sval.p = cat;
        prev->sval.n = n;
        prev->len = (uint32_t)(i - prev->off);
    } else {
        push(lx, &t);
    }
    *pos = i;
    return 0;
}

static const struct {
    const char *s;
    int op;
} PUNCT[] = {
    {"=~", P_EQTILDE}, {"!~", P_NETILDE}, {"==", P_EQEQ}, {"!=", P_NE},   {"<>", P_NE},
    {"<=", P_LE},      {">=", P_GE},      {"=>", P_ARROW}, {"..", P_DOTDOT},
    {"|", P_PIPE},     {"(", P_LPAREN},   {")", P_RPAREN}, {"[", P_LBRACK}, {"]", P_RBRACK},
    {"{", P_LBRACE},   {"}", P_RBRACE},   {",", P_COMMA},  {";", P_SEMI},   {".", P_DOT},
    {":", P_COLON},    {"=", P_EQ},       {"<", P_LT},     {">", P_GT},     {"+", P_PLUS},
    {"-", P_MINUS},    {"*", P_STAR},     {"/", P_SLASH},  {"%", P_PERCENT}, {"!", P_BANG},
    {"~", P_TILDE},    {"?", P_QUESTION}, {"@", P_AT},
};

int kql_lex(kql_lexer *lx) {
    const char *s = lx->text;
    size_t i = 0, n = lx->len;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\0') return lex_error(lx, i, "%s", "NUL character in query text");
        if (isspace(c)) { i++; continue; }
        /* U+00A0 and U+202F (no-break spaces) as whitespace */
        if (c == 0xC2 && (unsigned char)s[i + 1] == 0xA0) { i += 2; continue; }
        if (c == 0xE2 && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0xAF) { i += 3; continue; }
        if (c == 0xEF && (unsigned char)s[i + 1] == 0xBB && (unsigned char)s[i + 2] == 0xBF) { i += 3; continue; }
        if (c == 0xE2 && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x8B) { i += 3; continue; }
        if (c == '/' && s[i + 1] == '/') {
            while (i < n && s[i] != '\n') i++;
            continue;
        }
        bool string_next = c == '"' || c == '\'' ||
                           (c == '@' && (s[i + 1] == '"' || s[i + 1] == '\'')) ||
                           ((c == 'h' || c == 'H') && (s[i + 1] == '"' || s[i + 1] == '\'' ||
                                                       (s[i + 1] == '@' && (s[i + 2] == '"' || s[i + 2] == '\'')))) ||
                           (c == '`' && s[i + 1] == '`' && s[i + 2] == '`') ||
                           (c == '~' && s[i + 1] == '~' && s[i + 2] == '~');
        if (string_next) {
            /* h'..' only when 'h' is not the end of an identifier */
            if (lex_string(lx, &i) < 0) return -1;
            lx->last_was_string = true;
            continue;
        }
        lx->last_was_string = false;
        if (isdigit(c) || (c == '.' && isdigit((unsigned char)s[i + 1]) &&
                           !(lx->n && (lx->toks[lx->n - 1].kind == TK_IDENT ||
                                       (lx->toks[lx->n - 1].kind == TK_PUNCT &&
                                        (lx->toks[lx->n - 1].op == P_RPAREN || lx->toks[lx->n - 1].op == P_RBRACK)))))) {
            if (c == '.') {
                /* .5 */
                size_t j = i + 1;
                while (isdigit((unsigned char)s[j])) j++;
                kql_token t = {.kind = TK_REAL, .off = (uint32_t)i, .len = (uint32_t)(j - i)};
                t.rval = strtod(s + i, NULL);
                push(lx, &t);
                i = j;
                continue;
            }
            if (lex_number(lx, &i) < 0) return -1;
            continue;
        }
        if (is_ident_start(c)) {
            size_t j = i + 1;
            while (j < n && is_ident_char((unsigned char)s[j])) j++;
            kql_token t = {.kind = TK_IDENT, .off = (uint32_t)i, .len = (uint32_t)(j - i)};
            t.sval = (sp_str){s + i, j - i};
            push(lx, &t);
            i = j;
            continue;
        }
        bool matched = false;
        for (size_t k = 0; k < SP_ARRAY_LEN(PUNCT); k++) {
            size_t pl = strlen(PUNCT[k].s);
            if (strncmp(s + i, PUNCT[k].s, pl) == 0) {
                kql_token t = {.kind = TK_PUNCT, .op = PUNCT[k].op, .off = (uint32_t)i, .len = (uint32_t)pl};
                push(lx, &t);
                i += pl;
                matched = true;
                break;
            }
        }
        if (!matched) {
            char what[8] = {0};
            int k = 1;
            if (c >= 0x80) {
                uint32_t cp;
                k = sp_utf8_decode(s + i, n - i, &cp);
            }
            memcpy(what, s + i, (size_t)k);
            return lex_error(lx, i, "unexpected character '%s'", what);
        }
    }
    kql_token eof = {.kind = TK_EOF, .off = (uint32_t)n};
    push(lx, &eof);
    return 0;
}
