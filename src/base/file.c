/* Files and directories: whole-file reads with a size cap (or stdin for "-"),
 * existence checks and mkdir -p, errors naming the path. */
#include "secpilot/base.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

char *sp_read_file(const char *path, size_t limit, size_t *len, sp_err *err) {
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        sp_err_set(err, SP_ERR_IO, "io", 0, 0, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 64 * 1024, n = 0;
    char *buf = sp_malloc(cap + 1);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = sp_realloc(buf, cap + 1);
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (limit && n > limit) {
            sp_err_set(err, SP_ERR_LIMIT, "too_large", 0, 0, "%s is larger than the %zu byte cap", path,
                       limit);
            free(buf);
            if (f != stdin) fclose(f);
            return NULL;
        }
        if (k == 0) break;
    }
    bool bad = ferror(f);
    if (f != stdin) fclose(f);
    if (bad) {
        sp_err_set(err, SP_ERR_IO, "io", 0, 0, "error reading %s", path);
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}

bool sp_file_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

bool sp_is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int sp_mkdir_p(const char *path, sp_err *err) {
    char *p = sp_strdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            sp_err_set(err, SP_ERR_IO, "io", 0, 0, "cannot create %s: %s", p, strerror(errno));
            free(p);
            return -1;
        }
        *s = '/';
    }
    if (mkdir(p, 0755) != 0 && errno != EEXIST) {
        sp_err_set(err, SP_ERR_IO, "io", 0, 0, "cannot create %s: %s", p, strerror(errno));
        free(p);
        return -1;
    }
    free(p);
    return 0;
}
