/* roster-cli-private.h: what the subcommands' files (roster-cli.c,
 * roster-cli-tasks.c) share: parsing, the two kinds of failure, the file. */
#pragma once

#include <glib.h>

#include "roster-model.h"

G_BEGIN_DECLS

#define ROSTER_CLI_EXIT_USAGE 2

/* Parses the options after the command (@argv[1]); "roster COMMAND"
 * becomes the program's name, as --help and the errors show it. */
gboolean     roster_cli_parse          (GOptionContext  *context,
                                        int              argc,
                                        char           **argv,
                                        GError         **error);
/* A command line that makes no sense: the sentence, a hint, status 2. */
int          roster_cli_usage          (const char      *command,
                                        const GError    *error);
/* Anything else: the sentence, status 1. */
int          roster_cli_fail           (const GError    *error);
/* The file --db names, or the one the window opens. */
char        *roster_cli_database_path  (const char      *db);
/* Opens the file @db names, which must exist: only `import` creates one. */
RosterStore *roster_cli_open_existing  (const char      *db,
                                        GError         **error);

int          roster_cli_run_add        (int argc, char **argv);
int          roster_cli_run_list       (int argc, char **argv);
int          roster_cli_run_done       (int argc, char **argv);
int          roster_cli_run_users      (int argc, char **argv);
int          roster_cli_run_tags       (int argc, char **argv);
int          roster_cli_run_sync       (int argc, char **argv);

G_END_DECLS
