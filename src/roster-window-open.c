/* roster-window-open.c: the window's file: opening it, at once or after
 * preparing it for this version of Roster, and what happens when it cannot.
 *
 * A file from elsewhere (the seed's SQLModel classes, an older Roster) is
 * checked, copied aside and migrated before the store can use it, which takes
 * seconds for a large one. The window opens at once and shows a page saying
 * so, with a progress bar, while roster_store_open_async() does the work in
 * a worker thread; then it shows the store as after any open. Closing the
 * window meanwhile stops the work: the file is left as it was, and the
 * window goes once the worker has rolled back (a moment). The work holds
 * no reference to the window: one destroyed without a close request (the
 * application quitting) stops it too, and the log says what became of the
 * file.
 *
 * The page is made only for such a file: a file that needs nothing opens
 * synchronously (_roster_window_open_store() below), as fast as before.
 *
 * Below that: opening at once, what the window does with a store it got
 * (_roster_window_take_store(): the daily backup, the damaged signal, the
 * lists through _roster_window_show_store(), the look for other programs'
 * writes), the error page of a file that could not be opened, and its two
 * ways out: another file, or a backup restored.
 */
#define G_LOG_DOMAIN "roster-window-open"

#include <glib/gi18n.h>

#include "roster-list-util.h"
#include "roster-window-private.h"

struct _RosterWindowPreparing
{
  /* Weak: the window may go first (it stops the work then); this is freed
   * when the work is done. */
  RosterWindow   *window;
  char           *path;
  GCancellable   *cancellable;
  GtkWidget      *page;         /* in the main stack, as "preparing" */
  AdwStatusPage  *status;
  GtkProgressBar *bar;
  /* Closed meanwhile: the window goes when the worker is done. */
  gboolean        closing;
  /* To say once the store shows (_roster_window_toast_when_open()). */
  char           *toast;
};

static void
preparing_free (RosterWindowPreparing *preparing)
{
  g_object_unref (preparing->cancellable);
  g_free (preparing->path);
  g_free (preparing->toast);
  g_free (preparing);
}

/* The window lets go of @preparing (which the work's end frees): its page
 * goes, and nothing calls the window any more. */
static void
detach (RosterWindowPreparing *preparing)
{
  RosterWindow *self = preparing->window;

  if (self == NULL)
    return;
  g_object_remove_weak_pointer (G_OBJECT (self), (gpointer *) &preparing->window);
  preparing->window = NULL;
  self->preparing = NULL;
  /* Gone with the template already when the window is disposed. */
  if (gtk_widget_get_parent (preparing->page) == GTK_WIDGET (self->main_stack))
    gtk_stack_remove (self->main_stack, preparing->page);
}

static GtkWidget *
new_page (RosterWindow          *self,
          RosterWindowPreparing *preparing)
{
  g_autofree char *name = g_filename_display_basename (self->path);
  g_autofree char *title = NULL;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *bar = gtk_progress_bar_new ();
  GtkWidget *status = adw_status_page_new ();

  gtk_widget_add_css_class (header, "flat");
  gtk_box_append (GTK_BOX (box), header);

  /* Translators: %s is a file name. */
  title = g_strdup_printf (_("Preparing “%s” for this version of Roster…"), name);
  adw_status_page_set_title (ADW_STATUS_PAGE (status), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   _("This is done once. Closing the window stops it and leaves the file as it was."));
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "document-open-symbolic");
  gtk_widget_set_vexpand (status, TRUE);

  /* The percentage, in the bar's own words. */
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (bar), TRUE);
  gtk_widget_set_size_request (bar, 300, -1);
  gtk_widget_set_halign (bar, GTK_ALIGN_CENTER);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (bar),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, status, NULL,
                                  -1);
  adw_status_page_set_child (ADW_STATUS_PAGE (status), bar);
  gtk_box_append (GTK_BOX (box), status);

  preparing->status = ADW_STATUS_PAGE (status);
  preparing->bar = GTK_PROGRESS_BAR (bar);
  return box;
}

static void
on_progress_cb (double   fraction,
                gpointer data)
{
  RosterWindowPreparing *preparing = data;

  if (preparing->window != NULL)
    gtk_progress_bar_set_fraction (preparing->bar, fraction);
}

static void
on_prepared_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  RosterWindowPreparing *preparing = data;
  RosterWindow *self = preparing->window;
  g_autoptr(GError) error = NULL;
  RosterStore *store = roster_store_open_finish (result, &error);

  /* Closed, or gone altogether: there is nobody to show the file to. */
  if (self == NULL || preparing->closing)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("%s was left as it was: the window was closed before it was prepared", preparing->path);
      else if (store != NULL)
        /* The close came while the migration committed (its last ~50 ms):
         * too late to take back, so say what really happened. */
        g_message ("%s was prepared for this version of Roster: the window was closed as it finished",
                   preparing->path);
      g_clear_object (&store);
      detach (preparing);
      if (self != NULL)
        gtk_window_close (GTK_WINDOW (self));
    }
  else
    {
      detach (preparing);
      _roster_window_take_store (self, store, g_steal_pointer (&error));
      if (self->store != NULL && preparing->toast != NULL)
        _roster_window_toast_when_open (self, preparing->toast);
    }
  preparing_free (preparing);
}

void
_roster_window_prepare_store (RosterWindow *self)
{
  RosterWindowPreparing *preparing = g_new0 (RosterWindowPreparing, 1);

  g_return_if_fail (self->preparing == NULL);

  preparing->window = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &preparing->window);
  preparing->path = g_strdup (self->path);
  preparing->cancellable = g_cancellable_new ();
  preparing->page = new_page (self, preparing);
  gtk_stack_add_named (self->main_stack, preparing->page, "preparing");
  gtk_stack_set_visible_child (self->main_stack, preparing->page);
  self->preparing = preparing;
  _roster_window_update_actions (self);

  roster_store_open_async (self->path, ROSTER_OPEN_DEFAULT, preparing->cancellable,
                           on_progress_cb, preparing, on_prepared_cb, preparing);
}

gboolean
_roster_window_stop_preparing (RosterWindow *self)
{
  RosterWindowPreparing *preparing = self->preparing;

  if (preparing == NULL)
    return FALSE;

  if (!preparing->closing)
    {
      preparing->closing = TRUE;
      g_cancellable_cancel (preparing->cancellable);
      adw_status_page_set_description (preparing->status, _("Stopping. The file is left as it was."));
    }
  return TRUE;
}

void
_roster_window_forget_preparing (RosterWindow *self)
{
  RosterWindowPreparing *preparing = self->preparing;

  if (preparing == NULL)
    return;
  g_cancellable_cancel (preparing->cancellable);
  detach (preparing);
}

void
_roster_window_toast_when_open (RosterWindow *self,
                                const char   *message)
{
  if (self->store != NULL)
    adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
  else if (self->preparing != NULL)
    {
      g_free (self->preparing->toast);
      self->preparing->toast = g_strdup (message);
    }
}

gboolean
roster_window_is_preparing (RosterWindow *self)
{
  g_return_val_if_fail (ROSTER_IS_WINDOW (self), FALSE);

  return self->preparing != NULL;
}

/* ------------------------------------------------------------------------ */
/* Opening at once, the error page, backups, other programs' writes          */

static void
show_open_error (RosterWindow *self)
{
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GPtrArray) backups = roster_backup_list (self->path);

  description = roster_messages_describe_open_error (self->open_error, self->path, &title);
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, description);
  /* The ways out: a backup of this file, when there is one, or another file. */
  gtk_widget_set_visible (self->restore_button, backups->len > 0);
  gtk_stack_set_visible_child_name (self->main_stack, "error");
  if (backups->len > 0)
    gtk_widget_grab_focus (self->restore_button);
}

/* A copy a day, kept for a week (roster-backup.h), written with a connection
 * of its own so a large file does not hold up the window. */
static gpointer
daily_backup_thread (gpointer data)
{
  g_autofree char *path = data;
  g_autoptr(GError) error = NULL;

  if (!roster_backup_daily (path, NULL, &error))
    g_message ("No daily backup of %s: %s", path, error->message);
  return NULL;
}

/* Lets go of the store and every list of it, so that its connection closes.
 * Returns FALSE when something else still holds it. */
static gboolean
close_store (RosterWindow *self)
{
  RosterStore *store = self->store;

  if (store == NULL)
    return TRUE;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->backup_thread != NULL)
    g_thread_join (g_steal_pointer (&self->backup_thread));
  /* Only a damaged file is closed this way, and it refuses every edit. */
  _roster_window_unwatch_edits (self);
  _roster_window_update_waiting_edits (self);
  g_signal_handlers_disconnect_by_data (store, self);
  _roster_window_stop_finding (self);
  roster_find_bar_set_store (self->find_bar, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->work_bar), FALSE);
  gtk_filter_list_model_set_model (self->filtered_tasks, NULL);
  roster_sidebar_set_store (self->sidebar, NULL);
  roster_slice_show_whole (self->task_slice);
  if (self->details != NULL)
    roster_task_details_set_store (self->details, NULL);
  g_clear_object (&self->user);
  g_clear_object (&self->category);
  self->plan = ROSTER_PLAN_NONE;
  g_clear_object (&self->base_tasks);
  g_clear_object (&self->users);
  g_clear_object (&self->categories);

  g_object_add_weak_pointer (G_OBJECT (store), (gpointer *) &store);
  g_clear_object (&self->store);
  if (store != NULL)
    g_object_remove_weak_pointer (G_OBJECT (store), (gpointer *) &store);
  return store == NULL;
}

/* A read found the file damaged: say so, as when it cannot be opened, and
 * offer the same ways out. The store writes nothing more to it. */
static void
on_store_damaged_cb (RosterWindow *self,
                     RosterStore  *store)
{
  g_clear_error (&self->open_error);
  self->open_error = g_error_copy (roster_store_get_damage (store));
  show_open_error (self);
  _roster_window_update_actions (self);
}

static void
open_other_response_cb (GtkNativeDialog *dialog,
                        int              response,
                        RosterWindow    *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file != NULL)
    path = g_file_get_path (file);
  g_object_unref (dialog);
  if (path == NULL)
    return;

  {
    RosterWindow *window = roster_window_new (gtk_window_get_application (GTK_WINDOW (self)), path);

    gtk_window_present (GTK_WINDOW (window));
    /* The window that could not open its file has done its job. */
    if (self->store == NULL)
      gtk_window_destroy (GTK_WINDOW (self));
  }
}

void
_roster_window_open_other_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  RosterWindow *self = ROSTER_WINDOW (widget);
  GtkFileChooserNative *dialog;

  dialog = _roster_window_new_file_chooser (self, _("Open a Roster File"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                            _("Roster files"), "*.db", "application/vnd.sqlite3");
  g_signal_connect (dialog, "response", G_CALLBACK (open_other_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* "daily-2026-11-24.db" and the like, in words. */
static char *
describe_backup (const char *backup_path)
{
  g_autofree char *name = g_path_get_basename (backup_path);
  g_autoptr(GFile) file = g_file_new_for_path (backup_path);
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);
  g_autoptr(GDateTime) when = info ? g_file_info_get_modification_date_time (info) : NULL;
  g_autoptr(GDateTime) local = when ? g_date_time_to_local (when) : NULL;
  g_autofree char *date = local ? g_date_time_format (local, "%x %X") : g_strdup ("");

  if (strstr (name, "-daily-") != NULL)
    /* Translators: %s is a date and time */
    return g_strdup_printf (_("Daily copy of %s"), date);
  if (strstr (name, "-before-restore-") != NULL)
    return g_strdup_printf (_("Before a restore, %s"), date);
  if (strstr (name, "-before-v") != NULL)
    return g_strdup_printf (_("Before an update of Roster, %s"), date);
  return g_strdup_printf (_("Copy of %s"), date);
}

static void
restore_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     RosterWindow     *self)
{
  GtkListBox *list = g_object_get_data (G_OBJECT (dialog), "backups");
  GtkListBoxRow *row = gtk_list_box_get_selected_row (list);
  const char *backup = row ? g_object_get_data (G_OBJECT (row), "path") : NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "restore") != 0 || backup == NULL)
    return;

  /* An old connection left open could later remove the restored file's WAL
   * (SQLite names it after the file): the store must be gone first. */
  if (!close_store (self))
    {
      adw_toast_overlay_add_toast (self->toasts,
                                   adw_toast_new (_("The file is still in use here; close its other windows and try again.")));
      return;
    }

  if (!roster_backup_restore (self->path, backup, &error))
    {
      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (error->message));
      return;
    }

  g_clear_error (&self->open_error);
  _roster_window_open_store (self);
  /* A backup is a rollback-journal file: it is prepared before it shows. */
  _roster_window_toast_when_open (self, _("Restored. What the file held before is kept as a backup too."));
}

void
_roster_window_restore_backup_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  RosterWindow *self = ROSTER_WINDOW (widget);
  g_autoptr(GPtrArray) backups = roster_backup_list (self->path);
  GtkWidget *dialog, *list, *scrolled;

  if (backups->len == 0)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Restore a Backup?"),
                                   _("The file is replaced by the copy you choose. "
                                     "What it holds now is kept as a backup too."));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_BROWSE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Backups, newest first"), -1);
  for (guint i = 0; i < backups->len; i++)
    {
      const char *backup = g_ptr_array_index (backups, i);
      g_autofree char *text = describe_backup (backup);
      GtkWidget *row = roster_list_box_text_row_new (text);

      g_object_set_data_full (G_OBJECT (row), "path", g_strdup (backup), g_free);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  gtk_list_box_select_row (GTK_LIST_BOX (list), gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 280);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);
  g_object_set_data (G_OBJECT (dialog), "backups", list);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "restore",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "restore");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (restore_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_store_history_notify_cb (RosterWindow *self)
{
  _roster_window_update_actions (self);
}

/* Other programs (another Roster, the seed's scripts) may write the file:
 * look for their changes now and then, and whenever the window is used. */
static void
refresh_store (RosterWindow *self)
{
  /* A sync's own writes are taken in when it ends (roster-window-sync.c),
   * knowing whether they changed anything the undo history holds. */
  if (_roster_window_sync_is_running (self))
    return;
  if (self->store != NULL && roster_store_refresh (self->store) && self->finding)
    roster_find_bar_refresh (self->find_bar);
}

static gboolean
refresh_cb (gpointer user_data)
{
  refresh_store (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_is_active_notify_cb (RosterWindow *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)))
    refresh_store (self);
}

void
_roster_window_open_store (RosterWindow *self)
{
  g_autoptr(GError) error = NULL;
  RosterStore *store;

  /* A file to migrate first (a seed-made one, say) is prepared in a worker
   * behind a page of its own (roster-window-open.c); the rest open here,
   * without a main-loop turn before the first frame. */
  store = roster_store_open_full (self->path, ROSTER_OPEN_IF_READY, &error);
  if (store == NULL && g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_NEEDS_PREPARING))
    {
      _roster_window_prepare_store (self);
      return;
    }
  _roster_window_take_store (self, store, g_steal_pointer (&error));
}

void
_roster_window_take_store (RosterWindow *self,
                           RosterStore  *store,
                           GError       *error)
{
  self->store = store;
  if (self->store == NULL)
    {
      g_message ("Cannot open %s: %s", self->path, error->message);
      self->open_error = error;
      show_open_error (self);
      _roster_window_update_actions (self);
      return;
    }
  g_clear_error (&error);

  if (!roster_store_is_read_only (self->store) && self->backup_thread == NULL)
    self->backup_thread = g_thread_new ("roster-backup", daily_backup_thread, g_strdup (self->path));

  {
    const char *history[] = { "notify::can-undo", "notify::can-redo",
                              "notify::undo-label", "notify::redo-label" };

    for (guint i = 0; i < G_N_ELEMENTS (history); i++)
      g_signal_connect_object (self->store, history[i], G_CALLBACK (on_store_history_notify_cb),
                               self, G_CONNECT_SWAPPED);
  }
  g_signal_connect_object (self->store, "damaged", G_CALLBACK (on_store_damaged_cb),
                           self, G_CONNECT_SWAPPED);
  /* The day rolled over: "Today" and "Tomorrow" are other days now. */
  g_signal_connect_object (self->store, "notify::today", G_CALLBACK (_roster_window_update_headings),
                           self, G_CONNECT_SWAPPED);
  _roster_window_show_store (self);
  if (!roster_store_is_read_only (self->store))
    _roster_window_sync_start (self);

  if (roster_store_is_read_only (self->store))
    {
      AdwToast *toast = adw_toast_new (_("This file is read-only: you can look, but not change anything."));

      adw_toast_set_timeout (toast, 0);
      adw_toast_overlay_add_toast (self->toasts, toast);
    }

  self->refresh_source = g_timeout_add_seconds (2, refresh_cb, self);
  g_signal_connect_object (self, "notify::is-active", G_CALLBACK (on_is_active_notify_cb),
                           self, G_CONNECT_SWAPPED);

  /* A file written by other programs may hold rows that break the rules;
   * Roster shows what it can and says so once. */
  {
    GPtrArray *problems = roster_store_get_problems (self->store);

    if (problems->len > 0)
      {
        g_autofree char *message = g_strdup_printf (ngettext ("This file has %u damaged entry; Roster shows the rest.",
                                                              "This file has %u damaged entries; Roster shows the rest.",
                                                              problems->len),
                                                    problems->len);
        AdwToast *toast = adw_toast_new (message);

        adw_toast_set_timeout (toast, 0);
        adw_toast_overlay_add_toast (self->toasts, toast);
        for (guint i = 0; i < problems->len; i++)
          g_message ("%s: %s", self->path, (const char *) g_ptr_array_index (problems, i));
      }
  }
}

