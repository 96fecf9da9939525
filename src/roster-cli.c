/* roster-cli.c: the subcommands' dispatch and what they share, and
 * `roster import` and `roster export`, with no window.
 *
 *   roster import [--db FILE] [--user NAME] FILE.ics…
 *   roster export [--db FILE] [--user NAME | --tag NAME] [--format ics|csv] --output FILE
 *
 * `add`, `list`, `done`, `undone`, `users` and `tags` are in
 * roster-cli-tasks.c, `sync` in roster-cli-sync.c.
 *
 * RosterApplication hands these to roster_cli_run() from its
 * local_command_line, before it registers with the session bus or opens a
 * display: a subcommand runs in the process that was started, whether or not
 * a window is open elsewhere (the window notices the change to the file as it
 * notices any other program's). Exit status 0 on success; otherwise a sentence
 * on stderr and 1 (2 for a command line that makes no sense).
 */
#define G_LOG_DOMAIN "roster-cli"

#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>

#include "roster-application.h"
#include "roster-cli.h"
#include "roster-cli-private.h"

static int run_import (int argc, char **argv);
static int run_export (int argc, char **argv);

static const struct
{
  const char *name;
  int (*run) (int argc, char **argv);
} commands[] = {
  { "import", run_import },
  { "export", run_export },
  { "add", roster_cli_run_add },
  { "list", roster_cli_run_list },
  { "done", roster_cli_run_done },
  { "undone", roster_cli_run_done },
  { "users", roster_cli_run_users },
  { "tags", roster_cli_run_tags },
  { "sync", roster_cli_run_sync },
};

gboolean
roster_cli_handles (const char *command)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (command, commands[i].name) == 0)
      return TRUE;
  return FALSE;
}

gboolean
roster_cli_parse (GOptionContext  *context,
                  int              argc,
                  char           **argv,
                  GError         **error)
{
  g_autofree char *name = g_strdup_printf ("%s %s", g_get_prgname () ? g_get_prgname () : "roster", argv[1]);
  g_auto(GStrv) args = g_new0 (char *, argc);

  g_set_prgname (name);
  args[0] = g_strdup (name);
  for (int i = 2; i < argc; i++)
    args[i - 1] = g_strdup (argv[i]);
  return g_option_context_parse_strv (context, &args, error);
}

int
roster_cli_usage (const char   *command,
                  const GError *error)
{
  /* Translators: the second %s is a command: "import", "export", "add"… */
  g_printerr (_("%s\nTry “roster %s --help”.\n"), error->message, command);
  return ROSTER_CLI_EXIT_USAGE;
}

int
roster_cli_fail (const GError *error)
{
  g_printerr ("%s\n", error->message);
  return EXIT_FAILURE;
}

char *
roster_cli_database_path (const char *db)
{
  if (db != NULL && db[0] != '\0')
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (db);
      return g_file_get_path (file);
    }
  return roster_application_get_default_path ();
}

RosterStore *
roster_cli_open_existing (const char  *db,
                          GError     **error)
{
  g_autofree char *path = roster_cli_database_path (db);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_FAILED, _("“%s” does not exist."), display);
      return NULL;
    }
  return roster_store_open (path, error);
}

static int
run_import (int    argc,
            char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *user = NULL;
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("Import into FILE instead of the default Roster file"), N_("FILE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("Give the tasks to NAME (created when missing); by default to the user who has them already, "
         "else to one named after the calendar, else to “Imported”"), N_("NAME") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE.ics…") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(RosterIcalImport) import = roster_ical_import_new ();
  g_autoptr(RosterStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *summary = NULL;
  GPtrArray *unreadable;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, N_("Imports the to-dos of iCalendar files as tasks, in one step that "
                                            "Undo takes back."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!roster_cli_parse (context, argc, argv, &error))
    return roster_cli_usage ("import", error);
  if (files == NULL || files[0] == NULL)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("Name at least one file to import."));
      return roster_cli_usage ("import", error);
    }

  /* Every file is read before the Roster file is opened: a file refused
   * leaves it as it was, not even created. */
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (files[i]);

      if (!roster_ical_import_add_file (import, file, NULL, &error))
        return roster_cli_fail (error);
    }

  path = roster_cli_database_path (db);
  store = roster_store_open (path, &error);
  if (store == NULL || !roster_ical_import_run (import, store, user, &error))
    return roster_cli_fail (error);

  unreadable = roster_ical_import_get_unreadable (import);
  for (guint i = 0; i < unreadable->len; i++)
    g_printerr ("%s\n", (const char *) g_ptr_array_index (unreadable, i));
  summary = roster_ical_import_describe (import);
  g_print ("%s\n", summary);
  return EXIT_SUCCESS;
}

/* Writes @bytes to @output ("-" is stdout). */
static gboolean
write_output (const char  *output,
              GBytes      *bytes,
              GError     **error)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  if (g_strcmp0 (output, "-") == 0)
    {
      if (fwrite (data, 1, size, stdout) != size || fflush (stdout) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("The tasks could not be written to the standard output."));
          return FALSE;
        }
      return TRUE;
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (output);

      return g_file_replace_contents (file, data, size, NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, error);
    }
}

static int
run_export (int    argc,
            char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *user_name = NULL;
  g_autofree char *tag_name = NULL;
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("Export from FILE instead of the default Roster file"), N_("FILE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user_name, N_("Export the tasks of the user NAME"), N_("NAME") },
    { "tag", 0, 0, G_OPTION_ARG_STRING, &tag_name, N_("Export the tasks tagged NAME"), N_("NAME") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("ics (iCalendar, the default) or csv (for spreadsheets)"),
      N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE; - is the standard output"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(RosterStore) store = NULL;
  g_autoptr(RosterUser) user = NULL;
  g_autoptr(RosterCategory) tag = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gboolean csv;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, N_("Exports tasks as one iCalendar file of to-dos, or as CSV: a user’s, "
                                            "a tag’s, or every task."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!roster_cli_parse (context, argc, argv, &error))
    return roster_cli_usage ("export", error);
  if (output == NULL)
    g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                 _("Say where to write the tasks with --output FILE (- is the standard output)."));
  else if (user_name != NULL && tag_name != NULL)
    g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                 _("Export a user’s tasks or a tag’s, not both: give --user or --tag."));
  else if (format != NULL && g_strcmp0 (format, "ics") != 0 && g_strcmp0 (format, "csv") != 0)
    g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 _("“%s” is not a format Roster writes: use ics or csv."), format);
  if (error != NULL)
    return roster_cli_usage ("export", error);
  csv = g_strcmp0 (format, "csv") == 0;

  /* Exporting never creates a Roster file. */
  store = roster_cli_open_existing (db, &error);
  if (store == NULL)
    return roster_cli_fail (error);

  if (user_name != NULL && (user = roster_store_find_user (store, user_name)) == NULL)
    g_set_error (&error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND, _("There is no user called “%s”."), user_name);
  else if (tag_name != NULL && (tag = roster_store_find_category (store, tag_name)) == NULL)
    g_set_error (&error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND, _("There is no tag called “%s”."), tag_name);
  if (error != NULL)
    return roster_cli_fail (error);

  bytes = csv ? roster_csv_export (store, user, tag, &error) : roster_ical_export (store, user, tag, &error);
  if (bytes == NULL || !write_output (output, bytes, &error))
    return roster_cli_fail (error);
  return EXIT_SUCCESS;
}

int
roster_cli_run (int    argc,
                char **argv)
{
  g_return_val_if_fail (argc >= 2, ROSTER_CLI_EXIT_USAGE);

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (argv[1], commands[i].name) == 0)
      return commands[i].run (argc, argv);
  g_return_val_if_reached (ROSTER_CLI_EXIT_USAGE);
}
