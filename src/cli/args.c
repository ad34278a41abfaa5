/* Command-line parsing shared by the subcommands: common options anywhere,
 * "--opt value" and "--opt=value" forms, and uniform error messages. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>

int cli_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("secpilot: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return CLI_FAIL;
}

void cli_args_init(cli_args *a, int argc, char **argv, cli_common *common) {
    memset(a, 0, sizeof *a);
    a->argc = argc;
    a->argv = argv;
    a->i = 1; /* argv[0] is the subcommand name */
    a->common = common;
    memset(common, 0, sizeof *common);
    common->workspace = "default";
}

/* Splits "--opt=value" and remembers the value. */
static const char *split(cli_args *a, const char *arg) {
    a->pending = NULL;
    a->cur = arg;
    if (arg[0] == '-' && arg[1] == '-') {
        const char *eq = strchr(arg, '=');
        if (eq) {
            static _Thread_local char name[128];
            size_t n = (size_t)(eq - arg);
            if (n >= sizeof name) n = sizeof name - 1;
            memcpy(name, arg, n);
            name[n] = 0;
            a->pending = eq + 1;
            a->cur = name;
        }
    }
    return a->cur;
}

bool cli_is(const cli_args *a, const char *opt) { return a->cur && strcmp(a->cur, opt) == 0; }

const char *cli_value(cli_args *a) {
    if (a->pending) {
        const char *v = a->pending;
        a->pending = NULL;
        return v;
    }
    if (a->i >= a->argc) {
        cli_error("option %s needs a value", a->cur);
        a->bad = true;
        return NULL;
    }
    return a->argv[a->i++];
}

const char *cli_next(cli_args *a) {
    while (a->i < a->argc) {
        const char *arg = split(a, a->argv[a->i++]);
        cli_common *c = a->common;
        if (cli_is(a, "--data")) c->data = cli_value(a);
        else if (cli_is(a, "--workspace")) c->workspace = cli_value(a);
        else if (cli_is(a, "--session")) c->session = cli_value(a);
        else if (cli_is(a, "--user")) c->user = cli_value(a);
        else if (cli_is(a, "--json")) c->json = true;
        else if (cli_is(a, "--now")) {
            c->now = cli_value(a);
            if (c->now && !sp_parse_datetime(c->now, strlen(c->now), &c->now_ticks)) {
                cli_error("--now: cannot read '%s' as a date and time", c->now);
                a->bad = true;
            }
        } else return arg;
    }
    return NULL;
}
