/* roster-window-sync.c: CalDAV sync from the window: Sync Now (F5), a sync a
 * few seconds after each edit and every few minutes, the status under the
 * sidebar (counting down what is left to send while a sync runs), the
 * banner when a sync fails, a toast per conflict (its Undo puts the local
 * value back and sends it), and the question before deletions: Delete Them
 * syncs again with ROSTER_SYNC_ACCEPT_DELETIONS, Keep Them with
 * ROSTER_SYNC_KEEP_DELETIONS (the tasks stay and go back to the server, and
 * a toast says how many).
 *
 * A sync runs in a worker with a store of its own (roster-sync-worker.c), one
 * at a time; the window's store takes in what it wrote through
 * roster_store_refresh() when it ends, so the lists update live as for any
 * other program's write (and, as then, the undo history goes; a sync that
 * received nothing keeps it). Nothing runs while the file has no account.
 */
#define G_LOG_DOMAIN "roster-window-sync"

#include <glib/gi18n.h>

#include "roster-caldav.h"
#include "roster-preferences-window.h"
#include "roster-sync-page.h"
#include "roster-sync-state.h"
#include "roster-sync-worker.h"
#include "roster-window-private.h"

/* A sync this long after the last edit (edits in a row make one sync). */
#define EDIT_DELAY_SECONDS 5
/* And one this often while Roster runs. */
#define PERIOD_SECONDS (5 * 60)
/* While a sync runs, the status counts what is left to send this often. */
#define PROGRESS_SECONDS 1

struct _RosterWindowSync
{
  GCancellable *cancellable;
  gboolean      has_account;
  gboolean      running;
  /* An edit (or Sync Now) came while a sync ran: another one follows,
   * with these flags (an answer to the deletion question). */
  gboolean      again;
  RosterSyncFlags again_flags;
  /* The window's own refresh after a sync: not an edit to send. */
  gboolean      refreshing;
  guint         edit_source;
  guint         period_source;
  guint         status_source;
  guint         progress_source;
  /* When the last sync ended well (wall clock, µs), or 0. */
  gint64        last_sync;
  GtkWidget    *deletions_dialog;  /* weak */
  AdwToast     *conflict_toast;    /* the last conflict's, weak */

  GtkWidget    *status;
  GtkRevealer  *banner;
  GtkLabel     *banner_label;
  GtkButton    *banner_button;
};

static void start_sync (RosterWindow   *self,
                        RosterSyncFlags flags);
static gboolean edit_delay_cb (gpointer user_data);

/* ------------------------------------------------------------------------ */
/* The status and the banner                                                 */

/* While a sync runs, what still waits to be sent, read from the file
 * (where the worker commits as the server answers): a long first upload
 * counts down. */
static char *
describe_running_sync (RosterWindow *self)
{
  guint pending = self->store != NULL ? roster_sync_state_count_pending (self->store, NULL) : 0;

  if (pending == 0)
    return g_strdup (_("Syncing…"));
  return g_strdup_printf (ngettext ("Syncing… %u change to send", "Syncing… %u changes to send", pending),
                          pending);
}

static char *
describe_last_sync (RosterWindow *self)
{
  RosterWindowSync *sync = self->sync;
  gint64 minutes;

  if (sync->running)
    return describe_running_sync (self);
  if (sync->last_sync == 0)
    return g_strdup (_("Not synced yet"));
  minutes = (g_get_real_time () - sync->last_sync) / G_USEC_PER_SEC / 60;
  if (minutes < 1)
    return g_strdup (_("Synced just now"));
  if (minutes < 60)
    return g_strdup_printf (ngettext ("Synced %d minute ago", "Synced %d minutes ago", (int) minutes),
                            (int) minutes);
  if (minutes < 24 * 60)
    return g_strdup_printf (ngettext ("Synced %d hour ago", "Synced %d hours ago", (int) (minutes / 60)),
                            (int) (minutes / 60));
  return g_strdup_printf (ngettext ("Synced %d day ago", "Synced %d days ago", (int) (minutes / 60 / 24)),
                          (int) (minutes / 60 / 24));
}

static void
update_status (RosterWindow *self)
{
  RosterWindowSync *sync = self->sync;
  g_autofree char *text = describe_last_sync (self);

  gtk_widget_set_visible (sync->status, sync->has_account);
  gtk_label_set_text (GTK_LABEL (sync->status), text);
}

static gboolean
status_tick_cb (gpointer user_data)
{
  update_status (user_data);
  return G_SOURCE_CONTINUE;
}

static void
show_banner (RosterWindow *self,
             const char   *text,
             const char   *button_label,
             const char   *action)
{
  RosterWindowSync *sync = self->sync;

  gtk_label_set_text (sync->banner_label, text);
  gtk_button_set_label (sync->banner_button, button_label);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (sync->banner_button), action);
  gtk_revealer_set_reveal_child (sync->banner, TRUE);
}

static void
hide_banner (RosterWindow *self)
{
  gtk_revealer_set_reveal_child (self->sync->banner, FALSE);
}

/* libadwaita 1.2 has no AdwBanner: a revealer over the list with the
 * sentence and one button, and a label at the foot of the sidebar. */
static void
build_widgets (RosterWindow *self)
{
  RosterWindowSync *sync = self->sync;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  sync->banner_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (sync->banner_label, TRUE);
  gtk_label_set_wrap_mode (sync->banner_label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (sync->banner_label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (sync->banner_label), TRUE);
  /* Named from the start: the accessibility tree holds it while hidden. */
  sync->banner_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Retry")));
  gtk_widget_set_valign (GTK_WIDGET (sync->banner_button), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (sync->banner_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (sync->banner_button));
  gtk_widget_add_css_class (box, "roster-sync-banner");
  sync->banner = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_child (sync->banner, box);
  gtk_widget_insert_after (GTK_WIDGET (sync->banner), gtk_widget_get_parent (GTK_WIDGET (self->waiting_bar)),
                           GTK_WIDGET (self->waiting_bar));

  sync->status = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (sync->status), 0);
  gtk_label_set_ellipsize (GTK_LABEL (sync->status), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (sync->status, "caption");
  gtk_widget_add_css_class (sync->status, "dim-label");
  gtk_widget_add_css_class (sync->status, "roster-sync-status");
  gtk_widget_set_visible (sync->status, FALSE);
  gtk_box_append (GTK_BOX (self->sidebar), sync->status);
}

/* ------------------------------------------------------------------------ */
/* Conflicts                                                                 */

static RosterSyncConflict *
conflict_copy (const RosterSyncConflict *conflict)
{
  RosterSyncConflict *copy = g_new0 (RosterSyncConflict, 1);

  copy->property = g_strdup (conflict->property);
  copy->local_value = g_strdup (conflict->local_value);
  copy->server_value = g_strdup (conflict->server_value);
  copy->task_id = conflict->task_id;
  return copy;
}

static void
on_conflict_undo_cb (AdwToast     *toast,
                     RosterWindow *self)
{
  const RosterSyncConflict *conflict = g_object_get_data (G_OBJECT (toast), "conflict");
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;
  /* A local edit like any other: the outbox sends it with the next sync. */
  if (!roster_sync_conflict_restore (self->store, conflict, &error))
    _roster_window_show_error (self, error, ROSTER_SUBJECT_TASK);
}

/* The conflict in a person's words: what the field is called here, and
 * the task by its title. */
static char *
describe_conflict (RosterWindow             *self,
                   const RosterSyncConflict *conflict)
{
  g_autoptr(RosterTask) task = NULL;
  const char *title;

  if (conflict->task_id != 0)
    task = roster_store_get_task (self->store, conflict->task_id, NULL);
  if (task == NULL)
    return roster_sync_describe_conflict (self->store, conflict);
  title = roster_task_get_title (task);

  if (g_strcmp0 (conflict->property, "SUMMARY") == 0)
    /* Translators: the server's title, then the one typed here */
    return g_strdup_printf (_("Changed on both sides: the server’s title “%s” was kept, not “%s”."),
                            conflict->server_value, conflict->local_value);
  if (g_strcmp0 (conflict->property, "DESCRIPTION") == 0)
    return g_strdup_printf (_("“%s” was changed on both sides: the server’s notes were kept."), title);
  if (g_strcmp0 (conflict->property, "STATUS") == 0)
    return g_strdup_printf (_("“%s” was changed on both sides: done or not as on the server."), title);
  if (g_strcmp0 (conflict->property, "DUE") == 0)
    return g_strdup_printf (_("“%s” was changed on both sides: the server’s due date was kept."), title);
  return roster_sync_describe_conflict (self->store, conflict);
}

static void
show_conflicts (RosterWindow *self,
                GPtrArray    *conflicts)
{
  for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
    {
      const RosterSyncConflict *conflict = conflicts->pdata[i];
      g_autofree char *text = describe_conflict (self, conflict);
      AdwToast *toast = adw_toast_new (text);

      adw_toast_set_timeout (toast, 10);
      if (conflict->task_id != 0)
        {
          adw_toast_set_button_label (toast, _("_Undo"));
          g_object_set_data_full (G_OBJECT (toast), "conflict", conflict_copy (conflict),
                                  roster_sync_conflict_free);
          g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_conflict_undo_cb), self, 0);
        }
      if (self->sync->conflict_toast != NULL)
        g_object_remove_weak_pointer (G_OBJECT (self->sync->conflict_toast),
                                      (gpointer *) &self->sync->conflict_toast);
      self->sync->conflict_toast = toast;
      g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) &self->sync->conflict_toast);
      adw_toast_overlay_add_toast (self->toasts, toast);
    }
}

/* ------------------------------------------------------------------------ */
/* Deletions                                                                 */

static void
on_deletions_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          RosterWindow     *self)
{
  /* Kept: the tasks stay here, and since the server lost them, the sync
   * sends them to it again (a vanished list is made again). */
  start_sync (self, g_strcmp0 (response, "delete") == 0 ? ROSTER_SYNC_ACCEPT_DELETIONS
                                                          : ROSTER_SYNC_KEEP_DELETIONS);
}

static void
ask_about_deletions (RosterWindow *self,
                     const char   *message)
{
  RosterWindowSync *sync = self->sync;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (sync->deletions_dialog != NULL)
    return;
  /* What each answer does: keeping is not only "not now". */
  body = g_strdup_printf ("%s\n\n%s", message,
                          _("Keep Them to have them here and on the server again, or Delete Them "
                            "to follow the server."));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Delete Tasks Here Too?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep Them"),
                                    "delete", _("_Delete Them"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_deletions_response_cb), self, 0);
  sync->deletions_dialog = GTK_WIDGET (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &sync->deletions_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------ */
/* Running                                                                   */

/* Takes in what the sync wrote. One that received nothing only wrote its
 * own tables (what was sent, when): the undo history still holds, and an
 * edit undone is sent like any other. */
static void
refresh_after_sync (RosterWindow           *self,
                    const RosterSyncResult *outcome)
{
  RosterWindowSync *sync = self->sync;
  gboolean changed;

  sync->refreshing = TRUE;
  if (outcome != NULL && outcome->n_received == 0
      && (outcome->conflicts == NULL || outcome->conflicts->len == 0))
    changed = roster_store_refresh_keeping_history (self->store);
  else
    changed = roster_store_refresh (self->store);
  if (changed && _roster_window_is_finding (self))
    roster_find_bar_refresh (self->find_bar);
  sync->refreshing = FALSE;
}

/* The tasks a Keep Them sent back, in a toast. */
static void
show_kept (RosterWindow *self,
           guint         n_kept)
{
  g_autofree char *text = NULL;

  if (n_kept == 0)
    return;
  text = g_strdup_printf (ngettext ("%u task was kept and sent back to the server",
                                    "%u tasks were kept and sent back to the server", n_kept),
                          n_kept);
  /* A change to the window's tasks' fate, said as the other changes are. */
  _roster_window_show_change_toast (self, adw_toast_new (text));
}

static void
show_failure (RosterWindow *self,
              const GError *error)
{
  /* Every answer settles it, so each time it comes it is a new question. */
  if (g_error_matches (error, ROSTER_SYNC_ERROR, ROSTER_SYNC_ERROR_DELETIONS))
    {
      ask_about_deletions (self, error->message);
      return;
    }
  /* Another window or `roster sync` is syncing the file: its writes, seen
   * here, start the next sync (or the next tick does); nothing for a
   * person to do. */
  if (g_error_matches (error, ROSTER_SYNC_ERROR, ROSTER_SYNC_ERROR_NO_ACCOUNT)
      || g_error_matches (error, ROSTER_SYNC_ERROR, ROSTER_SYNC_ERROR_BUSY))
    return;
  if (g_error_matches (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_AUTH))
    show_banner (self, error->message, _("_Sign In…"), "win.sync-settings");
  else
    show_banner (self, error->message, _("_Retry"), "win.sync-now");
}

static void
sync_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(RosterWindow) self = user_data;
  RosterWindowSync *sync = self->sync;
  g_autoptr(RosterSyncResult) outcome = NULL;
  g_autoptr(GError) error = NULL;
  RosterSyncFlags again_flags;

  outcome = roster_sync_worker_run_finish (result, &error);
  if (sync == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  sync->running = FALSE;
  g_clear_handle_id (&sync->progress_source, g_source_remove);
  if (self->store != NULL)
    refresh_after_sync (self, outcome);

  if (outcome != NULL)
    {
      sync->last_sync = g_get_real_time ();
      hide_banner (self);
      show_conflicts (self, outcome->conflicts);
      show_kept (self, outcome->n_kept);
    }
  else
    {
      g_message ("Sync failed: %s", error->message);
      show_failure (self, error);
    }
  update_status (self);

  if (sync->again)
    {
      sync->again = FALSE;
      again_flags = sync->again_flags;
      sync->again_flags = ROSTER_SYNC_FLAGS_NONE;
      /* After a failure, not at once: the edit waits as any edit does
       * (an answer to the deletion question goes at once). */
      if (outcome != NULL || again_flags != ROSTER_SYNC_FLAGS_NONE)
        start_sync (self, again_flags);
      else
        {
          g_clear_handle_id (&sync->edit_source, g_source_remove);
          sync->edit_source = g_timeout_add_seconds (EDIT_DELAY_SECONDS, edit_delay_cb, self);
        }
    }
}

static void
start_sync (RosterWindow   *self,
            RosterSyncFlags flags)
{
  RosterWindowSync *sync = self->sync;

  if (self->store == NULL || !sync->has_account)
    return;
  if (sync->running)
    {
      sync->again = TRUE;
      sync->again_flags |= flags;
      return;
    }
  g_clear_handle_id (&sync->edit_source, g_source_remove);
  sync->running = TRUE;
  sync->again = FALSE;
  sync->again_flags = ROSTER_SYNC_FLAGS_NONE;
  update_status (self);
  sync->progress_source = g_timeout_add_seconds (PROGRESS_SECONDS, status_tick_cb, self);
  roster_sync_worker_run_async (self->store, flags, sync->cancellable,
                                sync_cb, g_object_ref (self));
}

static gboolean
edit_delay_cb (gpointer user_data)
{
  RosterWindow *self = user_data;

  self->sync->edit_source = 0;
  start_sync (self, ROSTER_SYNC_FLAGS_NONE);
  return G_SOURCE_REMOVE;
}

static gboolean
period_cb (gpointer user_data)
{
  start_sync (user_data, ROSTER_SYNC_FLAGS_NONE);
  return G_SOURCE_CONTINUE;
}

/* Every change of the store's history is an edit here or another program's
 * write: either may have something to send. */
static void
on_store_history_cb (RosterWindow *self)
{
  RosterWindowSync *sync = self->sync;

  if (!sync->has_account || sync->refreshing)
    return;
  if (sync->running)
    {
      sync->again = TRUE;
      return;
    }
  g_clear_handle_id (&sync->edit_source, g_source_remove);
  sync->edit_source = g_timeout_add_seconds (EDIT_DELAY_SECONDS, edit_delay_cb, self);
}

/* Reads the account from the file, and starts or stops the timers. */
static void
load_account (RosterWindow *self)
{
  RosterWindowSync *sync = self->sync;
  g_auto(RosterSyncAccount) account = { 0 };
  g_autoptr(GError) error = NULL;

  sync->has_account = self->store != NULL
                      && roster_sync_state_get_account (self->store, &account, &error);
  sync->last_sync = 0;
  if (account.last_sync != NULL)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (account.last_sync, NULL);

      if (when != NULL)
        sync->last_sync = g_date_time_to_unix (when) * G_USEC_PER_SEC;
    }
  g_clear_handle_id (&sync->period_source, g_source_remove);
  g_clear_handle_id (&sync->status_source, g_source_remove);
  if (sync->has_account)
    {
      sync->period_source = g_timeout_add_seconds (PERIOD_SECONDS, period_cb, self);
      sync->status_source = g_timeout_add_seconds (30, status_tick_cb, self);
    }
  else
    hide_banner (self);
  update_status (self);
}

/* ------------------------------------------------------------------------ */
/* The window's side                                                         */

static void
on_account_changed_cb (RosterWindow *self)
{
  load_account (self);
  hide_banner (self);
  start_sync (self, ROSTER_SYNC_FLAGS_NONE);
}

GtkWidget *
_roster_window_sync_make_page (RosterWindow *self)
{
  GtkWidget *page = roster_sync_page_new (self->store);

  g_signal_connect_object (page, "account-changed", G_CALLBACK (on_account_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return page;
}

/* The Sync page of @preferences, for this window's file (none before the
 * file is open). */
static GtkWidget *
add_sync_page (RosterWindow         *self,
               AdwPreferencesWindow *preferences)
{
  GtkWidget *page;

  if (self->store == NULL)
    return NULL;
  page = _roster_window_sync_make_page (self);
  adw_preferences_window_add (preferences, ADW_PREFERENCES_PAGE (page));
  return page;
}

void
roster_window_add_preferences (RosterWindow         *self,
                               AdwPreferencesWindow *preferences)
{
  g_return_if_fail (ROSTER_IS_WINDOW (self));

  add_sync_page (self, preferences);
}

/* Preferences, open at the Sync page (Sync…, or F5 with no account). */
void
_roster_window_show_sync_page (RosterWindow *self)
{
  AdwPreferencesWindow *preferences;
  GtkWidget *page;

  if (self->store == NULL)
    return;
  preferences = ADW_PREFERENCES_WINDOW (roster_preferences_window_new (GTK_WINDOW (self)));
  page = add_sync_page (self, preferences);
  adw_preferences_window_set_visible_page (preferences, ADW_PREFERENCES_PAGE (page));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
sync_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  RosterWindow *self = ROSTER_WINDOW (widget);

  if (self->store == NULL)
    return;
  if (!self->sync->has_account)
    {
      _roster_window_show_sync_page (self);
      return;
    }
  start_sync (self, ROSTER_SYNC_FLAGS_NONE);
}

static void
sync_settings_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  _roster_window_show_sync_page (ROSTER_WINDOW (widget));
}

void
_roster_window_sync_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.sync-now", NULL, sync_now_action);
  gtk_widget_class_install_action (widget_class, "win.sync-settings", NULL, sync_settings_action);
}

void
_roster_window_sync_init (RosterWindow *self)
{
  self->sync = g_new0 (RosterWindowSync, 1);
  self->sync->cancellable = g_cancellable_new ();
  build_widgets (self);
}

void
_roster_window_sync_start (RosterWindow *self)
{
  g_signal_connect_object (self->store, "notify::undo-label", G_CALLBACK (on_store_history_cb), self,
                           G_CONNECT_SWAPPED);
  load_account (self);
  /* What waited since the last run goes out now. */
  start_sync (self, ROSTER_SYNC_FLAGS_NONE);
}

gboolean
_roster_window_sync_has_account (RosterWindow *self)
{
  return self->sync != NULL && self->sync->has_account;
}

gboolean
_roster_window_sync_is_running (RosterWindow *self)
{
  return self->sync != NULL && self->sync->running;
}

const char *
_roster_window_sync_get_status (RosterWindow *self)
{
  return gtk_label_get_text (GTK_LABEL (self->sync->status));
}

AdwToast *
_roster_window_sync_get_conflict_toast (RosterWindow *self)
{
  return self->sync->conflict_toast;
}

const char *
_roster_window_sync_get_banner (RosterWindow *self)
{
  if (!gtk_revealer_get_reveal_child (self->sync->banner))
    return NULL;
  return gtk_label_get_text (self->sync->banner_label);
}

void
_roster_window_sync_dispose (RosterWindow *self)
{
  RosterWindowSync *sync = self->sync;

  if (sync == NULL)
    return;
  g_cancellable_cancel (sync->cancellable);
  g_clear_object (&sync->cancellable);
  g_clear_handle_id (&sync->edit_source, g_source_remove);
  g_clear_handle_id (&sync->period_source, g_source_remove);
  g_clear_handle_id (&sync->status_source, g_source_remove);
  g_clear_handle_id (&sync->progress_source, g_source_remove);
  if (sync->conflict_toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (sync->conflict_toast), (gpointer *) &sync->conflict_toast);
  if (sync->deletions_dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (sync->deletions_dialog), (gpointer *) &sync->deletions_dialog);
  g_clear_pointer (&self->sync, g_free);
}
