/* roster-window-edits.c: the window follows the changes it hands to the
 * store: toasts that say how they went (with Undo), the banner while edits
 * wait for the file, the progress bar while the store saves a big change,
 * undo and redo, and the question asked when the window closes before the
 * edits waiting are saved.
 */
#define G_LOG_DOMAIN "roster-window-edits"

#include <glib/gi18n.h>

#include "roster-messages.h"
#include "roster-window-private.h"

/* Toasts and errors */

/* A change toast shown less than this long ago may still be sliding in. */
#define CHANGE_TOAST_SETTLE_US (G_USEC_PER_SEC)

AdwToast *
_roster_window_get_change_toast (RosterWindow *self)
{
  return self->change_toast;
}

void
_roster_window_forget_change_toast (RosterWindow *self)
{
  if (self->change_toast != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->change_toast, self);
      g_object_remove_weak_pointer (G_OBJECT (self->change_toast), (gpointer *) &self->change_toast);
      self->change_toast = NULL;
    }
}

/* Toasts about changes replace each other: after three quick deletions,
 * one toast offers Undo, not a queue of three. One shown a moment ago is
 * changed in place instead: libadwaita 1.2 may crash when a toast is
 * dismissed while it still slides in (its animation outlives it). */
void
_roster_window_show_change_toast (RosterWindow *self,
                                  AdwToast     *toast)
{
  if (self->change_toast != NULL &&
      g_get_monotonic_time () - self->change_toast_time < CHANGE_TOAST_SETTLE_US)
    {
      AdwToast *shown = self->change_toast;

      adw_toast_set_title (shown, adw_toast_get_title (toast));
      adw_toast_set_button_label (shown, adw_toast_get_button_label (toast));
      adw_toast_set_action_name (shown, adw_toast_get_action_name (toast));
      g_object_unref (toast);
      return;
    }

  if (self->change_toast != NULL)
    {
      AdwToast *old = self->change_toast;

      _roster_window_forget_change_toast (self);
      adw_toast_dismiss (old);
    }
  self->change_toast = toast;
  self->change_toast_time = g_get_monotonic_time ();
  g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) &self->change_toast);
  /* Gone (timed out, closed): never changed in place again. */
  g_signal_connect_swapped (toast, "dismissed", G_CALLBACK (_roster_window_forget_change_toast), self);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

/* A change saved: says what it was, with a way back. */
void
_roster_window_show_undo_toast (RosterWindow *self,
                                const char   *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  _roster_window_show_change_toast (self, toast);
}

void
_roster_window_show_error (RosterWindow  *self,
                           const GError  *error,
                           RosterSubject  subject)
{
  g_autofree char *message = roster_messages_describe_error (error, subject);
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

/* Edits waiting for the file
 *
 * Every change goes through the store's RosterEditQueue (roster-edit-queue.c),
 * which keeps one the file refuses for now (another program holds it, the
 * store saves a big change, the disk is full) and makes it again later, in
 * order. The window binds to it: the banner over the list says why edits
 * wait, a toast says how a deletion of a user ended, and the window asks
 * before it closes with edits not saved yet (below).
 */

static RosterSubject
get_edit_subject (RosterEditKind kind)
{
  switch (kind)
    {
    case ROSTER_EDIT_CREATE_USER:
    case ROSTER_EDIT_DELETE_USER:
    case ROSTER_EDIT_RENAME_USER:
      return ROSTER_SUBJECT_USER;
    case ROSTER_EDIT_CREATE_CATEGORY:
    case ROSTER_EDIT_DELETE_CATEGORY:
    case ROSTER_EDIT_SET_CATEGORY_COLOR:
    case ROSTER_EDIT_RENAME_CATEGORY:
    case ROSTER_EDIT_SET_TASK_TAGGED:
    case ROSTER_EDIT_CREATE_CATEGORY_FOR_TASK:
      return ROSTER_SUBJECT_TAG;
    case ROSTER_EDIT_CREATE_TASK:
    case ROSTER_EDIT_SET_TASK_DONE:
    case ROSTER_EDIT_MOVE_TASK:
    case ROSTER_EDIT_REORDER_TASK:
    case ROSTER_EDIT_MOVE_TASK_TO:
    case ROSTER_EDIT_DELETE_TASK:
    case ROSTER_EDIT_SET_TASK_TITLE:
    case ROSTER_EDIT_SET_TASK_NOTES:
    case ROSTER_EDIT_SET_TASK_DUE_DATE:
    default:
      return ROSTER_SUBJECT_TASK;
    }
}

gboolean
_roster_window_is_working (RosterWindow *self)
{
  return self->n_replays > 0 || (self->edits != NULL && roster_edit_queue_get_working (self->edits));
}

static gboolean
close_idle_cb (gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

/* Outside of whatever signal is running now (a dialog's response). */
static void
close_later (RosterWindow *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_idle_cb, g_object_ref (self), g_object_unref);
}

/* The banner and the actions follow the queue. */
void
_roster_window_update_waiting_edits (RosterWindow *self)
{
  gboolean waiting = self->edits != NULL && roster_edit_queue_get_n_waiting (self->edits) > 0;

  if (waiting)
    {
      g_autofree char *message = roster_messages_describe_waiting (roster_edit_queue_get_waiting_error (self->edits),
                                                                   _roster_window_is_working (self));

      gtk_label_set_label (self->waiting_label, message);
    }

  /* All saved while the window asked whether to close without them: nothing
   * is lost any more, so it closes, as it was asked to. */
  if (!waiting && self->unsaved_dialog != NULL)
    {
      GtkWindow *dialog = self->unsaved_dialog;

      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->unsaved_dialog);
      self->unsaved_dialog = NULL;
      gtk_window_destroy (dialog);
      close_later (self);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->waiting_bar), waiting);
  gtk_info_bar_set_revealed (self->waiting_bar, waiting);
  _roster_window_update_actions (self);
}

/* A waiting edit the file refused for good when it was made again (its
 * task was deleted meanwhile, its name taken): say why. One dropped on
 * request is in the log already. */
static void
on_edit_dropped_cb (RosterWindow    *self,
                    RosterEditKind   kind,
                    const GError    *error,
                    RosterEditQueue *edits)
{
  if (error != NULL)
    _roster_window_show_error (self, error, get_edit_subject (kind));
}

/* Asked to close while a big change was being saved: now it is (and the
 * answers to what the window asked of the store have come). */
static void
close_if_done (RosterWindow *self)
{
  if (self->close_when_done && !_roster_window_is_working (self))
    {
      self->close_when_done = FALSE;
      close_later (self);
    }
}

static void
on_edits_working_notify_cb (RosterWindow *self)
{
  _roster_window_update_waiting_edits (self);
  close_if_done (self);
}

/* What the bar over the list says while the store works. */
void
_roster_window_update_work_bar (RosterWindow *self)
{
  g_autofree char *text = NULL;

  if (self->work_text == NULL)
    return;
  if (self->close_when_done)
    /* Translators: %s says what Roster is saving, e.g. Deleting “Alice”… */
    text = g_strdup_printf (_("%s Roster closes as soon as it is done."), self->work_text);
  gtk_label_set_label (self->work_label, text != NULL ? text : self->work_text);
}

static void
on_delete_user_done_cb (RosterWindow    *self,
                        RosterUser      *user,
                        RosterUser      *heir,
                        gboolean         waited,
                        const GError    *error,
                        RosterEditQueue *edits)
{
  /* The window closes once this is saved: no toast for it (nobody would
   * see it). Refused, it stays open to say why. A deletion that waited for
   * the file first was said to be kept, not done: no toast either. */
  if (error == NULL && !waited && !self->close_when_done)
    {
      /* Translators: %s is a user name */
      g_autofree char *message = g_strdup_printf (_("“%s” deleted"), roster_user_get_username (user));

      /* As asked from the dialog: the tasks went to the heir, who is shown. */
      if (heir != NULL)
        _roster_window_select_user (self, heir);
      _roster_window_show_undo_toast (self, message);
    }
  else if (error != NULL && (!waited || !g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND)))
    {
      /* A kept deletion of a user gone meanwhile did what it was for. */
      self->close_when_done = FALSE;
      _roster_window_show_error (self, error, ROSTER_SUBJECT_USER);
    }
}

/* Big changes
 *
 * While the store saves a big change in its worker thread, a bar over the
 * list says what it is doing and how far it got. The window stays in use:
 * everything can be read and found, and edits queue until it is done (see
 * "Edits waiting for the file"). Undo and redo wait for it too.
 */

static void
on_store_progress_notify_cb (RosterWindow *self,
                             GParamSpec   *pspec,
                             RosterStore  *store)
{
  gtk_progress_bar_set_fraction (self->work_progress, roster_store_get_progress (store));
}

static void
on_store_working_notify_cb (RosterWindow *self,
                            GParamSpec   *pspec,
                            RosterStore  *store)
{
  gboolean working = roster_store_get_working (store);
  RosterUser *deleting = self->edits != NULL ? roster_edit_queue_get_deleting_user (self->edits) : NULL;

  g_clear_pointer (&self->work_text, g_free);
  if (working)
    {
      /* Set around the call that started it, or the deletion the queue
       * handed to the store; a change started elsewhere gets a plain word. */
      if (self->work_description != NULL)
        self->work_text = g_strdup (self->work_description);
      else if (deleting != NULL)
        /* Translators: over a progress bar while a user with many tasks is deleted; %s is the user's name */
        self->work_text = g_strdup_printf (_("Deleting “%s”…"), roster_user_get_username (deleting));
      else
        self->work_text = g_strdup (_("Saving a big change…"));
      _roster_window_update_work_bar (self);
      gtk_progress_bar_set_fraction (self->work_progress, roster_store_get_progress (store));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->work_bar), working);
  gtk_info_bar_set_revealed (self->work_bar, working);

  /* Done: Find's results follow the change. (The queue saves the edits
   * that waited for it, and the window closes if it was asked to:
   * on_edits_working_notify_cb().) */
  if (!working && self->finding)
    roster_find_bar_refresh (self->find_bar);
}

typedef struct
{
  RosterWindow *window;
  gboolean      redo;
  char         *label;
} Replay;

static void
on_replay_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Replay *replay = user_data;
  RosterWindow *self = replay->window;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (replay->redo)
    ok = roster_store_redo_finish (ROSTER_STORE (source), result, &error);
  else
    ok = roster_store_undo_finish (ROSTER_STORE (source), result, &error);
  self->n_replays--;

  if (self->store == ROSTER_STORE (source))
    {
      if (!ok)
        {
          /* Not saved: the window stays open to say why. */
          self->close_when_done = FALSE;
          _roster_window_show_error (self, error, ROSTER_SUBJECT_TASK);
        }
      else if (replay->label != NULL && !self->close_when_done)
        {
          /* Say what was undone: from the keyboard it may be out of sight. */
          /* Translators: %s says what was undone or redone, e.g. Delete “Alice” */
          g_autofree char *message = g_strdup_printf (replay->redo ? _("Redone: %s") : _("Undone: %s"),
                                                      replay->label);
          AdwToast *toast = adw_toast_new (message);

          adw_toast_set_timeout (toast, 3);
          _roster_window_show_change_toast (self, toast);
        }
      if (self->finding)
        roster_find_bar_refresh (self->find_bar);
      /* The banner and the actions: no longer held by this step. */
      _roster_window_update_waiting_edits (self);
      close_if_done (self);
    }

  g_object_unref (replay->window);
  g_free (replay->label);
  g_free (replay);
}

/* Undo (or redo) the last step; a big one is replayed in the store's worker
 * thread, a small one at once, through the same call. */
void
_roster_window_replay (RosterWindow *self,
                       gboolean      redo)
{
  Replay *replay;

  if (self->store == NULL)
    return;

  replay = g_new0 (Replay, 1);
  replay->window = g_object_ref (self);
  self->n_replays++;
  replay->redo = redo;
  replay->label = g_strdup (redo ? roster_store_get_redo_label (self->store)
                                 : roster_store_get_undo_label (self->store));

  if (replay->label != NULL)
    /* Translators: over a progress bar while a big step is undone or redone; %s says what, e.g. Delete user “Alice” */
    self->work_description = g_strdup_printf (redo ? _("Redoing: %s…") : _("Undoing: %s…"), replay->label);
  if (redo)
    roster_store_redo_async (self->store, on_replay_done_cb, replay);
  else
    roster_store_undo_async (self->store, on_replay_done_cb, replay);
  g_clear_pointer (&self->work_description, g_free);
}

/* Binds the window to the work of the store it just opened, and to the
 * store's queue. */
void
_roster_window_watch_edits (RosterWindow *self)
{
  /* Before the queue (made here) hears of the same: the bar says what the
   * store does before the queue saves the edits that waited for it. */
  g_signal_connect_object (self->store, "notify::working", G_CALLBACK (on_store_working_notify_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "notify::progress", G_CALLBACK (on_store_progress_notify_cb),
                           self, G_CONNECT_SWAPPED);
  self->edits = g_object_ref (roster_edit_queue_get_for_store (self->store));
  g_signal_connect_swapped (self->edits, "notify::n-waiting", G_CALLBACK (_roster_window_update_waiting_edits), self);
  g_signal_connect_swapped (self->edits, "notify::waiting-error", G_CALLBACK (_roster_window_update_waiting_edits), self);
  g_signal_connect_swapped (self->edits, "notify::working", G_CALLBACK (on_edits_working_notify_cb), self);
  g_signal_connect_swapped (self->edits, "edit-dropped", G_CALLBACK (on_edit_dropped_cb), self);
  g_signal_connect_swapped (self->edits, "delete-user-done", G_CALLBACK (on_delete_user_done_cb), self);
}

/* Lets go of the queue, and of the edits still waiting in it, leaving a
 * trace in the log; edits made from now on go straight to the store. */
void
_roster_window_unwatch_edits (RosterWindow *self)
{
  if (self->edits == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->edits, self);
  roster_edit_queue_close (self->edits);
  g_clear_object (&self->edits);
}

/* Closing with edits not saved yet */

static void
on_unsaved_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        RosterWindow     *self)
{
  /* Answered: from now on the window stays open until closed again. */
  if (self->unsaved_dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->unsaved_dialog), (gpointer *) &self->unsaved_dialog);
  self->unsaved_dialog = NULL;

  if (!g_str_equal (response, "discard"))
    return;

  roster_edit_queue_drop_waiting (self->edits);
  /* The window closes once the dialog is done with its response (closing
   * it destroys the dialog too). */
  close_later (self);
}

/* The window is closing with edits the file still refuses: say what would
 * be lost, and let the person wait instead. */
void
_roster_window_ask_about_waiting_edits (RosterWindow *self)
{
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (self->unsaved_dialog != NULL)
    {
      gtk_window_present (self->unsaved_dialog);
      return;
    }

  body = roster_messages_describe_unsaved (roster_edit_queue_get_waiting_error (self->edits),
                                           roster_store_get_working (self->store),
                                           roster_edit_queue_get_n_waiting (self->edits));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Changes Not Saved Yet"), body));
  adw_message_dialog_add_responses (dialog,
                                    "wait", _("_Keep Waiting"),
                                    "discard", _("_Discard Changes"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "wait");
  adw_message_dialog_set_close_response (dialog, "wait");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_unsaved_response_cb), self, 0);

  self->unsaved_dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->unsaved_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}
