/* roster-cli-sync.c: `roster sync`, one two-way sync of a file with its
 * CalDAV account, with no window.
 *
 *   roster sync [--db FILE] [--server URL --username NAME] [--password-stdin]
 *               [--accept-deletions | --keep-deletions]
 *
 * --server and --username set up the file's account (kept in the file,
 * never the password); later runs reuse it. The password is the keyring's
 * (roster-secret.h), or the first line of standard input with
 * --password-stdin (scripts, tests), never an argument. Success prints one
 * line, "N sent, N received, N conflicts" (each conflict on stderr before
 * it); a failure prints the error's sentence and exits 1. When the server
 * lost many tasks of a list, or a list, the sync refuses until it is told
 * what to do: --accept-deletions deletes them here too, --keep-deletions
 * keeps them and sends them to the server again (then a line on stderr
 * says how many).
 */
#define G_LOG_DOMAIN "roster-cli"

#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roster-caldav.h"
#include "roster-cli-private.h"
#include "roster-secret.h"
#include "roster-sync.h"

/* The first line of standard input, without its line end. */
static char *
read_password_line (GError **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  int c;

  while ((c = getchar ()) != EOF && c != '\n')
    g_string_append_c (line, (char) c);
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  if (line->len == 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--password-stdin was given, but standard input holds no password."));
      return NULL;
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

int
roster_cli_run_sync (int    argc,
                     char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *server = NULL;
  g_autofree char *username = NULL;
  gboolean password_stdin = FALSE;
  gboolean accept_deletions = FALSE;
  gboolean keep_deletions = FALSE;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("Sync FILE instead of the default Roster file"), N_("FILE") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &server,
      N_("Set up the file’s account on the CalDAV server URL (kept for later runs)"), N_("URL") },
    { "username", 0, 0, G_OPTION_ARG_STRING, &username, N_("The account’s username, with --server"), N_("NAME") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      N_("Read the password from the first line of standard input instead of the keyring"), NULL },
    { "accept-deletions", 0, 0, G_OPTION_ARG_NONE, &accept_deletions,
      N_("Delete tasks here that the server no longer has, even many at once"), NULL },
    { "keep-deletions", 0, 0, G_OPTION_ARG_NONE, &keep_deletions,
      N_("Keep the tasks the server no longer has, and send them to it again"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(RosterStore) store = NULL;
  g_autoptr(RosterCaldavClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(RosterSyncResult) result = { 0 };
  g_autofree char *account_server = NULL;
  g_autofree char *account_user = NULL;
  char *password = NULL;
  gboolean ok;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, N_("Sends the file’s changes to its CalDAV account and "
                                            "takes the server’s: each user is a task list there."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!roster_cli_parse (context, argc, argv, &error))
    return roster_cli_usage ("sync", error);
  if ((server == NULL) != (username == NULL))
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Give --server and --username together."));
      return roster_cli_usage ("sync", error);
    }
  if (accept_deletions && keep_deletions)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Give --accept-deletions or --keep-deletions, not both: "
                             "the tasks are either deleted here or sent to the server again."));
      return roster_cli_usage ("sync", error);
    }

  store = roster_cli_open_existing (db, &error);
  if (store == NULL)
    return roster_cli_fail (error);
  if (server != NULL && !roster_sync_set_account (store, server, username, &error))
    return roster_cli_fail (error);
  if (!roster_sync_get_account (store, &account_server, &account_user, &error))
    {
      if (error == NULL)
        g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                             _("This file has no sync account yet: set it up with --server and --username."));
      return error->domain == G_OPTION_ERROR ? roster_cli_usage ("sync", error) : roster_cli_fail (error);
    }

  if (password_stdin)
    password = read_password_line (&error);
  else
    {
      password = roster_secret_lookup (account_server, account_user, NULL, &error);
      if (password == NULL && error == NULL)
        g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                     _("The keyring holds no password for %s on %s: give it with --password-stdin."),
                     account_user, account_server);
    }
  if (password == NULL)
    return roster_cli_fail (error);

  client = roster_caldav_client_new (account_server, account_user, password, &error);
  roster_secret_free (password);
  if (client == NULL)
    return roster_cli_fail (error);

  ok = roster_sync_run (store, client,
                        (accept_deletions ? ROSTER_SYNC_ACCEPT_DELETIONS : ROSTER_SYNC_FLAGS_NONE)
                        | (keep_deletions ? ROSTER_SYNC_KEEP_DELETIONS : ROSTER_SYNC_FLAGS_NONE),
                        &result, NULL, &error);
  for (guint i = 0; result.conflicts != NULL && i < result.conflicts->len; i++)
    {
      g_autofree char *line = roster_sync_describe_conflict (store, result.conflicts->pdata[i]);
      g_printerr ("%s\n", line);
    }
  if (g_error_matches (error, ROSTER_SYNC_ERROR, ROSTER_SYNC_ERROR_DELETIONS))
    {
      g_printerr ("%s\n%s\n", error->message,
                  _("Run it again with --accept-deletions to delete them here too, "
                    "or with --keep-deletions to keep them and send them to the server again."));
      return EXIT_FAILURE;
    }
  if (!ok)
    return roster_cli_fail (error);
  if (result.n_kept > 0)
    g_printerr (ngettext ("%u task the server no longer had was kept and sent to it again.\n",
                          "%u tasks the server no longer had were kept and sent to it again.\n",
                          result.n_kept),
                result.n_kept);

  /* Translators: the one line `roster sync` prints; keep the three numbers in this order */
  g_print (_("%u sent, %u received, %u conflicts\n"), result.n_sent, result.n_received,
           result.conflicts->len);
  return EXIT_SUCCESS;
}
