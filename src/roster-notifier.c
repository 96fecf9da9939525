/* roster-notifier.c: reminders as desktop notifications.
 *
 * The application has one RosterNotifier, for the default file (the one
 * `roster` opens). It watches that file through a read-only store of its own,
 * as the search provider does when no window is open: it never creates,
 * migrates or writes the file, and costs no check of every page; another
 * program's writes, the window's included, reach it through
 * roster_store_refresh() on each tick of its RosterReminders (HACKING.md,
 * "Reminders"). A file not there yet, or not ready for this version, is
 * looked at again every minute.
 *
 * Each reminder is a GNotification naming the task and its owner, with two
 * buttons: app.reminder-done and app.reminder-show, the task's id as their
 * target (an int64). Done is made through the store of a window open on the
 * file, so that it shows and can be undone there, else through a store
 * opened for that one change. The reminders given while Roster did not run
 * come once, at start, as one summary whose button shows Today. The moment up
 * to which reminders were given is kept in GSettings ("reminders-checked").
 */
#define G_LOG_DOMAIN "roster-notifier"

#include <glib/gi18n.h>

#include "roster-application.h"
#include "roster-notifier.h"
#include "roster-window.h"

/* How long to wait before looking again for a file missing or not ready. */
#define RETRY_SECONDS 60
/* How many titles the summary names. */
#define SUMMARY_TITLES 5

struct _RosterNotifier
{
  GObject          parent_instance;

  GtkApplication  *application;   /* not owned: it owns us */
  GSettings       *settings;
  char            *path;
  RosterStore     *store;         /* read-only */
  RosterReminders *reminders;
  guint            retry;
};

G_DEFINE_FINAL_TYPE (RosterNotifier, roster_notifier, G_TYPE_OBJECT)

char *
roster_notifier_dup_id (gint64 task_id)
{
  if (task_id == 0)
    return g_strdup ("reminders-missed");
  return g_strdup_printf ("reminder-%" G_GINT64_FORMAT, task_id);
}

static void
save_checked (RosterNotifier *self)
{
  if (self->reminders != NULL)
    g_settings_set_string (self->settings, "reminders-checked",
                           roster_reminders_get_checked (self->reminders));
}

static void
on_due_cb (RosterNotifier *self,
           RosterTask     *task)
{
  g_autoptr(GNotification) notification = g_notification_new (roster_task_get_title (task));
  RosterUser *owner = roster_task_get_owner (task);
  gint64 id = roster_task_get_id (task);
  g_autofree char *body = NULL;
  g_autofree char *notification_id = roster_notifier_dup_id (id);

  /* TRANSLATORS: a reminder's text under the task's title: its owner and
   * its due time ("For Alice, due at 10:00"). */
  body = g_strdup_printf (_("For %s, due at %s"),
                          owner != NULL ? roster_user_get_username (owner) : "",
                          roster_task_get_due_time (task));
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.reminder-show", "x", id);
  g_notification_add_button_with_target (notification, _("Mark as Done"), "app.reminder-done", "x", id);
  g_notification_add_button_with_target (notification, _("Show"), "app.reminder-show", "x", id);
  g_application_send_notification (G_APPLICATION (self->application), notification_id, notification);
  save_checked (self);
}

static void
on_missed_cb (RosterNotifier *self,
              GPtrArray      *tasks)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autofree char *notification_id = roster_notifier_dup_id (0);

  title = g_strdup_printf (g_dngettext (NULL, "%u task fell due while Roster was not running",
                                        "%u tasks fell due while Roster was not running", tasks->len),
                           tasks->len);
  for (guint i = 0; i < MIN (tasks->len, SUMMARY_TITLES); i++)
    {
      if (i > 0)
        g_string_append (body, "\n");
      g_string_append (body, roster_task_get_title (g_ptr_array_index (tasks, i)));
    }
  if (tasks->len > SUMMARY_TITLES)
    g_string_append (body, "\n…");

  notification = g_notification_new (title);
  g_notification_set_body (notification, body->str);
  g_notification_set_default_action (notification, "app.reminder-show-today");
  g_notification_add_button (notification, _("Show"), "app.reminder-show-today");
  g_application_send_notification (G_APPLICATION (self->application), notification_id, notification);
  save_checked (self);
}

static gboolean retry_cb (gpointer data);

/* Opens the file and starts the reminders, once it is there and ready. */
static void
try_open (RosterNotifier *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *checked = NULL;

  if (self->reminders != NULL)
    return;
  if (g_file_test (self->path, G_FILE_TEST_EXISTS))
    self->store = roster_store_open_full (self->path, ROSTER_OPEN_READ_ONLY | ROSTER_OPEN_IF_READY, &error);
  if (self->store == NULL)
    {
      g_debug ("No reminders from %s yet: %s", self->path, error != NULL ? error->message : "no file");
      if (self->retry == 0)
        self->retry = g_timeout_add_seconds (RETRY_SECONDS, retry_cb, self);
      return;
    }
  g_clear_handle_id (&self->retry, g_source_remove);
  /* The tick's look must never stall the main loop behind a writer. */
  roster_store_set_busy_timeout (self->store, 0);

  self->reminders = roster_reminders_new (self->store);
  checked = g_settings_get_string (self->settings, "reminders-checked");
  roster_reminders_set_checked (self->reminders, checked);
  g_signal_connect_swapped (self->reminders, "due", G_CALLBACK (on_due_cb), self);
  g_signal_connect_swapped (self->reminders, "missed", G_CALLBACK (on_missed_cb), self);
  roster_reminders_start (self->reminders);
  save_checked (self);
}

static gboolean
retry_cb (gpointer data)
{
  RosterNotifier *self = data;

  self->retry = 0;
  try_open (self);
  return G_SOURCE_REMOVE;
}

void
roster_notifier_check (RosterNotifier *self)
{
  g_return_if_fail (ROSTER_IS_NOTIFIER (self));

  if (self->reminders == NULL)
    {
      try_open (self);
      return;
    }
  roster_store_refresh (self->store);
  roster_reminders_check (self->reminders);
}

static RosterWindow *
find_window (RosterNotifier *self)
{
  for (GList *l = gtk_application_get_windows (self->application); l != NULL; l = l->next)
    if (ROSTER_IS_WINDOW (l->data) && g_strcmp0 (roster_window_get_path (l->data), self->path) == 0)
      return l->data;
  return NULL;
}

static void
reminder_done_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  RosterNotifier *self = user_data;
  gint64 id = g_variant_get_int64 (param);
  RosterWindow *window = find_window (self);
  g_autoptr(RosterStore) own = NULL;
  g_autoptr(RosterTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *notification_id = roster_notifier_dup_id (id);
  RosterStore *store = window != NULL ? roster_window_get_store (window) : NULL;

  g_application_withdraw_notification (G_APPLICATION (self->application), notification_id);
  if (store == NULL)
    store = own = roster_store_open_full (self->path, ROSTER_OPEN_IF_READY, &error);
  if (store != NULL && (task = roster_store_get_task (store, id, &error)) != NULL &&
      !roster_task_get_done (task))
    {
      /* Through the queue, which keeps it while the file is busy; a store
       * of our own is gone after this, so it waits no longer than the busy
       * timeout. */
      if (own != NULL)
        roster_store_set_task_done (own, task, TRUE, &error);
      else
        roster_edit_queue_set_task_done (roster_edit_queue_get_for_store (store), task, TRUE, &error);
    }
  if (error != NULL)
    g_warning ("Could not mark task %" G_GINT64_FORMAT " done: %s", id, error->message);
  /* The next reminder, at once. */
  if (self->store != NULL)
    roster_store_refresh (self->store);
}

/* The window on the file, with the task @id selected in its owner's list,
 * or Today for 0. A task deleted since, or a file still being prepared:
 * the window alone. */
static void
show (RosterNotifier *self,
      gint64          id)
{
  RosterWindow *window = roster_application_open_path (ROSTER_APPLICATION (self->application), self->path);
  RosterStore *store = roster_window_get_store (window);
  g_autoptr(RosterTask) task = NULL;

  if (store == NULL)
    return;
  if (id == 0)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-today", NULL);
  else if ((task = roster_store_get_task (store, id, NULL)) != NULL)
    roster_window_show_task (window, task);
}

static void
reminder_show_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  show (user_data, g_variant_get_int64 (param));
}

static void
reminder_show_today_action (GSimpleAction *action,
                            GVariant      *param,
                            gpointer       user_data)
{
  show (user_data, 0);
}

static const char *const action_names[] = { "reminder-done", "reminder-show", "reminder-show-today" };

static void
roster_notifier_dispose (GObject *object)
{
  RosterNotifier *self = ROSTER_NOTIFIER (object);

  save_checked (self);
  /* They point at us. */
  for (guint i = 0; self->application != NULL && i < G_N_ELEMENTS (action_names); i++)
    g_action_map_remove_action (G_ACTION_MAP (self->application), action_names[i]);
  self->application = NULL;
  g_clear_handle_id (&self->retry, g_source_remove);
  g_clear_object (&self->reminders);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (roster_notifier_parent_class)->dispose (object);
}

static void
roster_notifier_finalize (GObject *object)
{
  RosterNotifier *self = ROSTER_NOTIFIER (object);

  g_free (self->path);
  G_OBJECT_CLASS (roster_notifier_parent_class)->finalize (object);
}

static void
roster_notifier_class_init (RosterNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = roster_notifier_dispose;
  object_class->finalize = roster_notifier_finalize;
}

static void
roster_notifier_init (RosterNotifier *self)
{
  self->settings = g_settings_new ("io.github.rosterapp.Roster");
}

RosterNotifier *
roster_notifier_new (GtkApplication *application,
                     const char     *path)
{
  const GActionEntry actions[G_N_ELEMENTS (action_names)] = {
    { .name = action_names[0], .activate = reminder_done_action, .parameter_type = "x" },
    { .name = action_names[1], .activate = reminder_show_action, .parameter_type = "x" },
    { .name = action_names[2], .activate = reminder_show_today_action },
  };
  RosterNotifier *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (ROSTER_TYPE_NOTIFIER, NULL);
  self->application = application;
  self->path = g_strdup (path);
  g_action_map_add_action_entries (G_ACTION_MAP (application), actions, G_N_ELEMENTS (actions), self);
  try_open (self);
  return self;
}

RosterReminders *
roster_notifier_get_reminders (RosterNotifier *self)
{
  g_return_val_if_fail (ROSTER_IS_NOTIFIER (self), NULL);

  return self->reminders;
}
