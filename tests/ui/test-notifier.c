/* test-notifier.c: reminders as notifications, through the real
 * RosterApplication on a private session bus (tests/ui/meson.build runs it
 * under dbus-run-session and xvfb-run).
 *
 * The bus has no desktop, so the test itself answers as the desktop's
 * notification server does (org.freedesktop.Notifications, where GLib
 * sends an application's notifications outside GNOME Shell and a sandbox),
 * on a connection of its own: it keeps what each notification says and
 * invokes a button as a click does (ActionInvoked with the button's action,
 * which GLib turns into the application's action with its target). So the
 * test sees the words and buttons a person would, and presses one.
 */
#define G_LOG_DOMAIN "test-notifier"

#include <glib/gstdio.h>

#include "roster-application.h"
#include "roster-test-util.h"
#include "roster-ui-test-util.h"
#include "roster-window-private.h"

static char *data_dir;

/* The desktop's side: the notifications shown, newest last. */
typedef struct
{
  guint32  id;
  char    *summary;
  char    *body;
  GStrv    actions;    /* key, label, key, label… */
} Shown;

static GDBusConnection *desktop;
static GPtrArray *shown;
static guint32 last_id;

static void
shown_free (gpointer data)
{
  Shown *n = data;

  g_free (n->summary);
  g_free (n->body);
  g_strfreev (n->actions);
  g_free (n);
}

static const char server_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "</interface></node>";

static void
server_method_cb (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *path,
                  const char            *interface,
                  const char            *method,
                  GVariant              *params,
                  GDBusMethodInvocation *invocation,
                  gpointer               data)
{
  if (g_str_equal (method, "Notify"))
    {
      Shown *n = g_new0 (Shown, 1);
      guint32 replaces;

      g_variant_get (params, "(&susss^asa{sv}i)", NULL, &replaces, NULL, &n->summary, &n->body,
                     &n->actions, NULL, NULL);
      n->id = replaces != 0 ? replaces : ++last_id;
      g_ptr_array_add (shown, n);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", n->id));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
start_desktop (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (server_xml, &error);
  static const GDBusInterfaceVTable vtable = { server_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GVariant) reply = NULL;

  g_assert_no_error (error);
  desktop = g_dbus_connection_new_for_address_sync (address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                    G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                    NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (desktop, "/org/freedesktop/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (desktop, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 0),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  shown = g_ptr_array_new_with_free_func (shown_free);
}

/* The newest notification shown, waiting for it up to 5 s. */
static Shown *
wait_shown (guint n)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint wake = roster_ui_test_keep_awake ();

  while (shown->len < n && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  g_assert_cmpuint (shown->len, ==, n);
  return g_ptr_array_index (shown, n - 1);
}

/* Presses the button labelled @label, as a click on it does. */
static void
press (Shown      *n,
       const char *label)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; n->actions[i] != NULL && n->actions[i + 1] != NULL; i += 2)
    if (g_str_equal (n->actions[i + 1], label))
      {
        g_dbus_connection_emit_signal (desktop, NULL, "/org/freedesktop/Notifications",
                                       "org.freedesktop.Notifications", "ActionInvoked",
                                       g_variant_new ("(us)", n->id, n->actions[i]), &error);
        g_assert_no_error (error);
        g_dbus_connection_flush_sync (desktop, NULL, NULL);
        return;
      }
  g_error ("no button “%s” on “%s”", label, n->summary);
}

/* Activates the action of the button labelled @label on @app, with its
 * target, as GLib does when that button is pressed. */
static void
activate_button_on (GApplication *app,
                    Shown        *n,
                    const char   *label)
{
  for (guint i = 0; n->actions[i] != NULL && n->actions[i + 1] != NULL; i += 2)
    if (g_str_equal (n->actions[i + 1], label))
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(GVariant) target = NULL;
        g_autofree char *name = NULL;

        g_assert_true (g_action_parse_detailed_name (n->actions[i], &name, &target, &error));
        g_assert_no_error (error);
        g_assert_true (g_str_has_prefix (name, "app."));
        g_action_group_activate_action (G_ACTION_GROUP (app), name + 4, target);
        return;
      }
  g_error ("no button “%s” on “%s”", label, n->summary);
}

#define activate_button(f, n, label) activate_button_on (G_APPLICATION ((f)->app), (n), (label))

/* Runs the main loop until @done says so, up to 5 s. */
static void
wait_until (gboolean (*done) (gpointer),
            gpointer  data)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint wake = roster_ui_test_keep_awake ();

  while (!done (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
}

typedef struct
{
  char              *path;
  RosterApplication *app;
  gint64             plumber;   /* due tomorrow at 10:00 */
  gint64             rent;      /* was due yesterday at 09:00 */
  gint64             cat;       /* due tomorrow at 11:00 */
} Fixture;

static char *
local_moment (int days,
              int hour,
              int minute)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = g_date_time_add_days (now, days);
  g_autoptr(GDateTime) at = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                                   g_date_time_get_day_of_month (day), hour, minute, 0);

  return g_date_time_format (at, "%Y-%m-%d %H:%M");
}

static gint64
add_task (RosterStore *store,
          RosterUser  *owner,
          const char  *title,
          int          days,
          const char  *time)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterTask) task = roster_store_create_task (store, owner, title, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) due = g_date_time_add_days (now, days);

  g_assert_no_error (error);
  g_assert_true (roster_store_set_task_due_date (store, task, due, &error));
  g_assert_true (roster_store_set_task_due_time (store, task, time, &error));
  g_assert_no_error (error);
  return roster_task_get_id (task);
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.rosterapp.Roster");
  g_autoptr(RosterStore) store = NULL;
  g_autoptr(RosterUser) alice = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *last_run = local_moment (-2, 12, 0);

  g_ptr_array_set_size (shown, 0);
  f->path = roster_application_get_default_path ();
  g_assert_true (g_str_has_prefix (f->path, data_dir));
  store = roster_store_open (f->path, &error);
  g_assert_no_error (error);
  alice = roster_store_create_user (store, "alice", &error);
  g_assert_no_error (error);
  f->plumber = add_task (store, alice, "Call the plumber", 1, "10:00");
  f->rent = add_task (store, alice, "Pay the rent", -1, "09:00");
  f->cat = add_task (store, alice, "Feed the cat", 1, "11:00");
  g_clear_object (&store);

  /* Roster last ran two days ago. */
  g_settings_set_string (settings, "reminders-checked", last_run);
  f->app = roster_application_new ();
  g_application_register (G_APPLICATION (f->app), NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_application_get_is_remote (G_APPLICATION (f->app)));
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (f->app)));

  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free (windows);
  roster_ui_test_spin ();
  g_clear_object (&f->app);
  g_remove (f->path);
  g_free (f->path);
}

static gint64
task_done (Fixture *f,
           gint64   id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT done FROM task WHERE id = %" G_GINT64_FORMAT, id);

  return roster_test_raw_int (f->path, sql);
}

static gboolean
plumber_done (gpointer data)
{
  Fixture *f = data;

  return task_done (f, f->plumber) == 1;
}

static gboolean
cat_done (gpointer data)
{
  Fixture *f = data;

  return task_done (f, f->cat) == 1;
}

/* Tomorrow at @hour:00 on the notifier's clock; the @n-th notification. */
static Shown *
tomorrow_at (Fixture *f,
             int      hour,
             guint    n)
{
  RosterReminders *reminders = roster_notifier_get_reminders (roster_application_get_notifier (f->app));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = g_date_time_add_days (now, 1);
  g_autoptr(GDateTime) ten = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                                    g_date_time_get_day_of_month (day), hour, 0, 0);

  g_assert_nonnull (reminders);
  roster_reminders_set_now (reminders, ten);
  return wait_shown (n);
}

static gboolean
has_selection (gpointer data)
{
  Fixture *f = data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (f->app));

  return window != NULL && _roster_window_get_selected_task (ROSTER_WINDOW (window)) != NULL;
}

static void
show_then_done (Fixture *f,
                Shown   *reminder)
{
  RosterWindow *window;
  RosterTask *selected;

  press (reminder, "Show");
  wait_until (has_selection, f);
  window = ROSTER_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (f->app)));
  g_assert_nonnull (window);
  g_assert_cmpstr (roster_window_get_path (window), ==, f->path);
  selected = _roster_window_get_selected_task (window);
  g_assert_nonnull (selected);
  g_assert_cmpstr (reminder->summary, ==, "Feed the cat");
  g_assert_cmpint (roster_task_get_id (selected), ==, f->cat);

  /* With the window open, "Mark as Done" goes through its store: it shows
   * there at once, and can be undone there. The desktop forgets a
   * notification once a button was pressed: its other button's action is
   * activated on the application directly, with the target it carries. */
  activate_button (f, reminder, "Mark as Done");
  wait_until (cat_done, f);
  g_assert_true (roster_task_get_done (selected));
  g_assert_true (roster_store_get_can_undo (roster_window_get_store (window)));
}

static void
test_reminders (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.rosterapp.Roster");
  g_autofree char *checked = NULL;
  g_autofree char *expected = local_moment (1, 10, 0);
  Shown *summary, *reminder;

  /* At start, the one missed since the last run, once, as a summary. */
  summary = wait_shown (1);
  g_assert_cmpstr (summary->summary, ==, "1 task fell due while Roster was not running");
  g_assert_cmpstr (summary->body, ==, "Pay the rent");

  reminder = tomorrow_at (f, 10, 2);
  g_assert_cmpstr (reminder->summary, ==, "Call the plumber");
  g_assert_cmpstr (reminder->body, ==, "For alice, due at 10:00");
  checked = g_settings_get_string (settings, "reminders-checked");
  g_assert_cmpstr (checked, ==, expected);

  /* Its "Mark as Done" button, with no window open. */
  g_assert_cmpint (task_done (f, f->plumber), ==, 0);
  press (reminder, "Mark as Done");
  wait_until (plumber_done, f);
  g_assert_cmpint (task_done (f, f->plumber), ==, 1);
  g_assert_cmpint (task_done (f, f->rent), ==, 0);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (f->app)));
  /* Nothing was said twice. */
  g_assert_cmpuint (shown->len, ==, 2);

  /* The cat's reminder, at 11:00: "Show" opens the window on it. */
  show_then_done (f, tomorrow_at (f, 11, 3));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Before GLib reads it: the default file goes to a folder of the test's. */
  data_dir = roster_test_make_dir ("roster-notifier-XXXXXX");
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  if (!roster_ui_test_init (&argc, &argv))
    return 77;
  start_desktop ();

  /* One test: an application exports itself on the bus once per process. */
  g_test_add ("/notifier/reminders", Fixture, NULL, setup, test_reminders, teardown);
  status = g_test_run ();
  roster_test_remove_tree (data_dir);
  g_free (data_dir);
  g_ptr_array_unref (shown);
  g_object_unref (desktop);
  return status;
}
