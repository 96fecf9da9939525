/* roster-application.c: options, windows and application actions.
 *
 * `roster` opens $XDG_DATA_HOME/roster/roster.db; `roster --db FILE` opens
 * FILE. The primary instance handles every command line, so a second launch
 * presents the window already showing that file (or opens one for it). The
 * subcommands (`roster import`, `roster add`…: roster-cli.c) are the
 * exception: they run in the process started, with no window.
 *
 * Reminders (roster-notifier.c) come for the default file while the
 * application runs. With "run-in-background" set (the Preferences window),
 * the application holds itself, so that it keeps running with no window;
 * started at login as `roster --gapplication-service`, it opens none.
 */
#define G_LOG_DOMAIN "roster-application"

#include <glib/gi18n.h>

#include "roster-application.h"
#include "roster-cli.h"
#include "roster-notifier.h"
#include "roster-preferences-window.h"
#include "roster-search-provider.h"
#include "roster-window.h"

#define APPLICATION_ID "io.github.rosterapp.Roster"

struct _RosterApplication
{
  AdwApplication        parent_instance;

  RosterSearchProvider *search_provider;
  RosterNotifier       *notifier;
  GSettings            *settings;
  gboolean              held;     /* for "run-in-background" */
};

G_DEFINE_FINAL_TYPE (RosterApplication, roster_application, ADW_TYPE_APPLICATION)

char *
roster_application_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "roster", "roster.db", NULL);
}

static RosterWindow *
find_window (RosterApplication *self,
             const char        *path)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (ROSTER_IS_WINDOW (l->data) &&
          g_strcmp0 (roster_window_get_path (l->data), path) == 0)
        return l->data;
    }
  return NULL;
}

/**
 * roster_application_open_path:
 * @path: a Roster file
 *
 * Presents the window on @path, opened first when there is none.
 *
 * Returns: (transfer none): the window
 */
RosterWindow *
roster_application_open_path (RosterApplication *self,
                              const char        *path)
{
  RosterWindow *window = find_window (self, path);

  if (window == NULL)
    window = roster_window_new (GTK_APPLICATION (self), path);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static int
roster_application_handle_local_options (GApplication *application,
                                         GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "roster", PACKAGE_VERSION);
      return 0;
    }
  return -1;
}

/* A subcommand runs here, before the application registers or opens a
 * display, so that it never waits on (or hands itself to) a running window. */
static gboolean
roster_application_local_command_line (GApplication   *application,
                                       char         ***arguments,
                                       int            *exit_status)
{
  char **argv = *arguments;

  if (argv[0] != NULL && roster_cli_handles (argv[1]))
    {
      *exit_status = roster_cli_run ((int) g_strv_length (argv), argv);
      return TRUE;
    }
  return G_APPLICATION_CLASS (roster_application_parent_class)->local_command_line (application, arguments,
                                                                                   exit_status);
}

static int
roster_application_command_line (GApplication            *application,
                                 GApplicationCommandLine *command_line)
{
  RosterApplication *self = ROSTER_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree char *db = NULL;
  g_autofree char *path = NULL;

  if (g_variant_dict_lookup (options, "db", "^ay", &db) && db[0] != '\0')
    {
      /* Relative to where the command was typed, not to the primary instance. */
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line, db);

      path = g_file_get_path (file);
    }
  else
    path = roster_application_get_default_path ();

  roster_application_open_path (self, path);
  return 0;
}

static void
roster_application_activate (GApplication *application)
{
  RosterApplication *self = ROSTER_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    gtk_window_present (window);
  else
    {
      g_autofree char *path = roster_application_get_default_path ();

      roster_application_open_path (self, path);
    }
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  RosterApplication *self = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Quit means quit, in the background too (until the next start). */
  if (self->held)
    {
      self->held = FALSE;
      g_application_release (G_APPLICATION (self));
    }
  /* Closing each window saves its state and pending notes. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  RosterApplication *self = user_data;
  const char *developers[] = { _("The Roster developers"), NULL };

  adw_show_about_window (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "application-name", _("Roster"),
                         "application-icon", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "website", "https://github.com/rosterapp/roster",
                         "issue-url", "https://github.com/rosterapp/roster/issues",
                         "copyright", "© 2026 The Roster developers",
                         "comments", _("Who does what: tasks for a household or a small team"),
                         NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  RosterApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  RosterPreferencesWindow *preferences = roster_preferences_window_new (parent);

  if (ROSTER_IS_WINDOW (parent))
    roster_window_add_preferences (ROSTER_WINDOW (parent), ADW_PREFERENCES_WINDOW (preferences));
  gtk_window_present (GTK_WINDOW (preferences));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_action },
  { .name = "about", .activate = about_action },
  { .name = "preferences", .activate = preferences_action },
};

/* Kept running with no window while "run-in-background" is set. */
static void
update_hold (RosterApplication *self)
{
  gboolean hold = g_settings_get_boolean (self->settings, "run-in-background");

  if (hold == self->held)
    return;
  self->held = hold;
  if (hold)
    g_application_hold (G_APPLICATION (self));
  else
    g_application_release (G_APPLICATION (self));
}

static void
roster_application_startup (GApplication *application)
{
  RosterApplication *self = ROSTER_APPLICATION (application);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };
  g_autofree char *path = roster_application_get_default_path ();

  G_APPLICATION_CLASS (roster_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_window_set_default_icon_name (APPLICATION_ID);

  self->settings = g_settings_new (APPLICATION_ID);
  g_signal_connect_swapped (self->settings, "changed::run-in-background", G_CALLBACK (update_hold), self);
  update_hold (self);
  self->notifier = roster_notifier_new (GTK_APPLICATION (self), path);
  /* A window may have just created or prepared the default file. */
  g_signal_connect_swapped (self, "window-removed", G_CALLBACK (roster_notifier_check), self->notifier);
}

static void
roster_application_shutdown (GApplication *application)
{
  RosterApplication *self = ROSTER_APPLICATION (application);

  /* Saves the moment up to which reminders were given. */
  g_signal_handlers_disconnect_by_data (self, self->notifier);
  g_clear_object (&self->notifier);
  g_clear_object (&self->settings);
  G_APPLICATION_CLASS (roster_application_parent_class)->shutdown (application);
}

/**
 * roster_application_get_notifier:
 *
 * Returns: (transfer none) (nullable): the reminders' notifications, once
 *   the application has started up
 */
RosterNotifier *
roster_application_get_notifier (RosterApplication *self)
{
  g_return_val_if_fail (ROSTER_IS_APPLICATION (self), NULL);

  return self->notifier;
}

/* GNOME Shell's search, on the primary instance's connection. */
static gboolean
roster_application_dbus_register (GApplication     *application,
                                  GDBusConnection  *connection,
                                  const char       *object_path,
                                  GError          **error)
{
  RosterApplication *self = ROSTER_APPLICATION (application);
  g_autoptr(GError) local_error = NULL;

  if (!G_APPLICATION_CLASS (roster_application_parent_class)->dbus_register (application, connection,
                                                                             object_path, error))
    return FALSE;
  /* Roster works without it. */
  self->search_provider = roster_search_provider_new (GTK_APPLICATION (self));
  if (!roster_search_provider_register (self->search_provider, connection, object_path, &local_error))
    g_message ("GNOME Shell's search will not find tasks: %s", local_error->message);
  return TRUE;
}

static void
roster_application_dbus_unregister (GApplication    *application,
                                    GDBusConnection *connection,
                                    const char      *object_path)
{
  RosterApplication *self = ROSTER_APPLICATION (application);

  g_clear_object (&self->search_provider);
  G_APPLICATION_CLASS (roster_application_parent_class)->dbus_unregister (application, connection,
                                                                          object_path);
}

static void
roster_application_class_init (RosterApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->local_command_line = roster_application_local_command_line;
  app_class->handle_local_options = roster_application_handle_local_options;
  app_class->command_line = roster_application_command_line;
  app_class->activate = roster_application_activate;
  app_class->startup = roster_application_startup;
  app_class->shutdown = roster_application_shutdown;
  app_class->dbus_register = roster_application_dbus_register;
  app_class->dbus_unregister = roster_application_dbus_unregister;
}

static void
roster_application_init (RosterApplication *self)
{
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Open FILE instead of the default Roster file"), N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Show the version and quit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Who does what: users, their tasks and category tags."));
  g_application_set_option_context_description (G_APPLICATION (self),
                                                _("Commands (see “roster COMMAND --help”):\n"
                                                  "  add      Add a task\n"
                                                  "  list     List tasks\n"
                                                  "  done     Mark tasks done (undone: not done)\n"
                                                  "  users    List the users\n"
                                                  "  tags     List the tags\n"
                                                  "  import   Import tasks from iCalendar (.ics) files\n"
                                                  "  export   Export tasks as iCalendar or CSV\n"
                                                  "  sync     Sync with a CalDAV server (each user a task list)\n"
                                                  "They change the file even while Roster’s window is open on it."));
}

RosterApplication *
roster_application_new (void)
{
  return g_object_new (ROSTER_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/rosterapp/Roster",
                       NULL);
}
