/* CSV records for ingestion (RFC 4180): cells split in place, quotes removed
 * and doubled quotes undone; quoted cells may span lines. */
#include "store_int.h"

#include <stdio.h>

static bool push(ing_row *row, char *p, size_t n) {
    if (row->n >= row->max_fields) return false;
    if (row->n == row->cap) {
        row->cap = row->cap ? row->cap * 2 : 64;
        row->f = sp_realloc(row->f, row->cap * sizeof *row->f);
    }
    row->f[row->n++] = (ing_field){{NULL, 0}, {p, n}, ING_TEXT, 0};
    return true;
}

/* record := cell (',' cell)* ; cell := quoted | bare ; quoted := '"' ( [^"] | '""' )* '"' */
bool ing_csv_record(char *p, size_t n, ing_row *row, char *why, size_t whyn) {
    char *e = p + n;
    row->n = 0;
    if (n && e[-1] == '\r') e--;              /* CRLF line ends */
    for (;;) {
        if (p < e && *p == '"') {
            char *w = ++p, *start = p;
            for (;;) {
                if (p >= e) {
                    snprintf(why, whyn, "unterminated quoted cell");
                    return false;
                }
                if (*p == '"') {
                    if (p + 1 < e && p[1] == '"') {
                        *w++ = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                *w++ = *p++;
            }
            /* text after the closing quote up to the comma is kept (lenient, as Excel does) */
            while (p < e && *p != ',') *w++ = *p++;
            if (!push(row, start, (size_t)(w - start))) goto toomany;
        } else {
            char *start = p;
            while (p < e && *p != ',') p++;
            if (!push(row, start, (size_t)(p - start))) goto toomany;
        }
        if (p >= e) break;
        p++; /* ',' */
    }
    return true;
toomany:
    snprintf(why, whyn, "more than %zu fields", row->max_fields);
    return false;
}
