/* Retention by age per table: segments wholly older than the cutoff are
 * dropped, segments that straddle it are rewritten without the old rows. */
#include "store_int.h"

#include <limits.h>
#include <stdlib.h>

int store_apply_retention(store_ws *ws, int64_t now, uint64_t *rows_dropped, sp_err *err) {
    if (ws->readonly) return sp_err_set(err, SP_ERR_USAGE, "readonly", 0, 0, "the store is open read-only");
    if (rows_dropped) *rows_dropped = 0;
    int rc = 0;
    size_t ntab;
    st_table **tabs = st_tables_now(ws, &ntab);
    for (size_t ti = 0; ti < ntab && rc == 0; ti++) {
        st_table *t = tabs[ti];
        if (t->retention_days <= 0 || t->kt.time_col < 0) continue;
        int64_t cutoff = now - (int64_t)t->retention_days * SP_TICKS_PER_DAY;
        pthread_mutex_lock(&ws->state_mu);
        st_tstate *st = t->state;
        atomic_fetch_add(&st->refs, 1);
        pthread_mutex_unlock(&ws->state_mu);
        const char *tname = t->kt.cols[t->kt.time_col].name;
        for (size_t i = 0; i < st->n && rc == 0; i++) {
            st_seg *s = st->segs[i];
            seg_meta *m = &s->meta;
            if (!m->has_time || m->time_col < 0 || strcmp(m->cols[m->time_col].name, tname) != 0) continue;
            if (m->tmin >= cutoff) continue;
            st_seg *nw = NULL;
            bool empty = true;
            if (m->tmax >= cutoff) {
                nw = st_merge(ws, t, &s, 1, cutoff, ws->st->opt.zstd_level, &empty, err);
                if (!nw && !empty) { rc = -1; break; }
            }
            pthread_mutex_lock(&ws->write_mu);
            if (st_still_there(ws, t, &s, 1)) {
                uint64_t before = m->nrows, after = nw ? nw->meta.nrows : 0;
                rc = st_swap_segments(ws, t, &s, 1, nw, err);
                if (rc == 0 && rows_dropped) *rows_dropped += before - after;
            } else if (nw) {
                atomic_store(&nw->dropped, true);
                st_seg_unref(nw);
            }
            pthread_mutex_unlock(&ws->write_mu);
        }
        st_tstate_unref(st);
    }
    free(tabs);
    return rc;
}
