/* File-system steps of durability: writing whole buffers, fsync of files and
 * directories, atomic replacement (tmp + fsync + rename + dir fsync), paths. */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int st_write_all(int fd, const void *p, size_t n) {
    const char *c = p;
    while (n) {
        ssize_t k = write(fd, c, n > (1u << 30) ? (1u << 30) : n);
        if (k < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

int st_fsync_dir(const char *dir, bool enabled, sp_err *err) {
    if (!enabled) return 0;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return sp_err_set(err, SP_ERR_IO, "io", 0, 0, "cannot open %s: %s", dir, strerror(errno));
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    if (rc != 0) return sp_err_set(err, SP_ERR_IO, "io", 0, 0, "fsync %s: %s", dir, strerror(e));
    return 0;
}

int st_write_file_atomic(const char *path, const void *p, size_t n, bool sync, sp_err *err) {
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return sp_err_set(err, SP_ERR_IO, "io", 0, 0, "cannot create %s: %s", tmp, strerror(errno));
    if (st_write_all(fd, p, n) != 0 || (sync && fsync(fd) != 0)) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return sp_err_set(err, SP_ERR_IO, "io", 0, 0, "cannot write %s: %s", tmp, strerror(e));
    }
    close(fd);
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return sp_err_set(err, SP_ERR_IO, "io", 0, 0, "cannot rename %s: %s", tmp, strerror(e));
    }
    char *dir = sp_strdup(path);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = 0;
    int rc = st_fsync_dir(slash ? dir : ".", sync, err);
    free(dir);
    return rc;
}

char *st_seg_path(store_ws *ws, const char *table, uint64_t id) {
    char buf[4200];
    snprintf(buf, sizeof buf, "%s/tables/%s/%016llx.seg", ws->dir, table, (unsigned long long)id);
    return sp_strdup(buf);
}

uint64_t st_new_id(store_ws *ws) { return atomic_fetch_add(&ws->next_id, 1); }

int64_t st_now(const store *s) { return s->opt.now ? s->opt.now : sp_now_ticks(); }
