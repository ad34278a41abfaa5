/* The secpilot binary: dispatches to subcommands (kql, ingest, demo, ask, ...).
 * Each subcommand lives in its own cmd_*.c and is listed in the table below. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const cli_command COMMANDS[] = {
#define X(name, fn, help) {name, fn, help},
    CLI_COMMANDS
#undef X
};

static void usage(FILE *f) {
    fprintf(f, "usage: secpilot <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < SP_ARRAY_LEN(COMMANDS); i++)
        fprintf(f, "  %-16s %s\n", COMMANDS[i].name, COMMANDS[i].help);
    fprintf(f, "\nCommon options: --data DIR, --workspace NAME, --now ISO, --json\n"
               "Run 'secpilot <command> --help' for a command's options.\n");
}

int main(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 1 : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("secpilot %s\n", SECPILOT_VERSION);
        return 0;
    }
    for (size_t i = 0; i < SP_ARRAY_LEN(COMMANDS); i++)
        if (strcmp(argv[1], COMMANDS[i].name) == 0) return COMMANDS[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "secpilot: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 1;
}
