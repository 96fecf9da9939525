/* roster-window-actions.c: the window's actions, their keys, and the one
 * function that decides which of them are enabled.
 *
 * Keys live in one table. Those that a focused list or text field would
 * otherwise take (Space, Delete, Alt+Up, Ctrl+Page Up, Shift+Ctrl+Up…) are
 * handled in the capture phase; single keys never fire while a text field
 * has focus, so typing a space in a title stays a space. F10 is the one
 * exception: it opens the main menu from anywhere, as in every GNOME app.
 * While finding, the task keys have no target (_roster_window_get_target()):
 * the selected task is out of sight behind Find's results.
 */
#define G_LOG_DOMAIN "roster-window-actions"

#include <glib/gi18n.h>

#include "roster-delete-user-dialog.h"
#include "roster-list-util.h"
#include "roster-messages.h"
#include "roster-move-task-dialog.h"
#include "roster-sidebar-row.h"
#include "roster-task-row.h"
#include "roster-window-private.h"

/* Tells the person when an edit of the queue (@result, @error) was refused.
 * TRUE when it was saved (or handed to the store's worker); FALSE when it
 * was refused or waits for the file (the banner says so). */
static gboolean
edit_done (RosterWindow     *self,
           RosterEditResult  result,
           const GError     *error,
           RosterSubject     subject)
{
  switch (result)
    {
    case ROSTER_EDIT_FAILED:
      _roster_window_show_error (self, error, subject);
      return FALSE;
    case ROSTER_EDIT_WAITING:
      return FALSE;
    case ROSTER_EDIT_SAVED:
    case ROSTER_EDIT_RUNNING:
    default:
      return TRUE;
    }
}

/* The actions that set the selected task's priority, by RosterPriority. */
static const char * const priority_actions[] = {
  "win.priority-none", "win.priority-low", "win.priority-medium", "win.priority-high",
};

static const RosterShortcut shortcuts[] = {
  { "<Control>n",          "win.new-task",        GTK_PHASE_BUBBLE,  TRUE },
  { "<Shift><Control>n",   "win.new-user",        GTK_PHASE_BUBBLE,  TRUE },
  { "F2",                  "win.rename",          GTK_PHASE_CAPTURE, FALSE },
  { "Delete",              "win.delete",          GTK_PHASE_CAPTURE, FALSE },
  { "space",               "win.toggle-done",     GTK_PHASE_CAPTURE, FALSE },
  { "<Control>d",          "win.toggle-done",     GTK_PHASE_CAPTURE, FALSE },
  { "<Control>t",          "win.edit-tags",       GTK_PHASE_BUBBLE,  TRUE },
  { "<Alt>Return",         "win.show-details",    GTK_PHASE_BUBBLE,  TRUE },
  { "<Control>m",          "win.move-task",       GTK_PHASE_BUBBLE,  TRUE },
  { "<Control>z",          "win.undo",            GTK_PHASE_BUBBLE,  TRUE },
  { "<Shift><Control>z",   "win.redo",            GTK_PHASE_BUBBLE,  TRUE },
  { "<Control>f",          "win.find",            GTK_PHASE_BUBBLE,  TRUE },
  { "<Control>i",          "win.import",          GTK_PHASE_BUBBLE,  TRUE },
  { "<Shift><Control>s",   "win.cycle-sort",      GTK_PHASE_BUBBLE,  TRUE },
  { "<Control>h",          "win.hide-done",       GTK_PHASE_BUBBLE,  TRUE },
  { "<Control>1",          "win.show-today",      GTK_PHASE_BUBBLE,  TRUE },
  { "<Control>2",          "win.show-upcoming",   GTK_PHASE_BUBBLE,  TRUE },
  { "F5",                  "win.sync-now",        GTK_PHASE_BUBBLE,  TRUE },
  { "<Alt>Up",             "win.previous-user",   GTK_PHASE_CAPTURE, TRUE },
  { "<Alt>Down",           "win.next-user",       GTK_PHASE_CAPTURE, TRUE },
  { "<Control>Page_Up",    "win.previous-user",   GTK_PHASE_CAPTURE, TRUE },
  { "<Control>Page_Down",  "win.next-user",       GTK_PHASE_CAPTURE, TRUE },
  { "<Shift><Control>Up",  "win.move-task-up",    GTK_PHASE_CAPTURE, FALSE },
  { "<Shift><Control>Down", "win.move-task-down", GTK_PHASE_CAPTURE, FALSE },
  { "<Alt>0",              "win.priority-none",   GTK_PHASE_CAPTURE, FALSE },
  { "<Alt>1",              "win.priority-low",    GTK_PHASE_CAPTURE, FALSE },
  { "<Alt>2",              "win.priority-medium", GTK_PHASE_CAPTURE, FALSE },
  { "<Alt>3",              "win.priority-high",   GTK_PHASE_CAPTURE, FALSE },
  { "F9",                  "win.toggle-sidebar",  GTK_PHASE_BUBBLE,  FALSE },
  { "F10",                 "win.main-menu",       GTK_PHASE_BUBBLE,  TRUE },
  { "<Shift>F10",          "win.context-menu",    GTK_PHASE_CAPTURE, FALSE },
  { "Menu",                "win.context-menu",    GTK_PHASE_CAPTURE, FALSE },
  { "<Control>w",          "window.close",        GTK_PHASE_BUBBLE,  TRUE },
  { "<Control>question",   "win.show-help-overlay", GTK_PHASE_BUBBLE, TRUE },
};

const RosterShortcut *
_roster_window_get_shortcuts (guint *n_shortcuts)
{
  *n_shortcuts = G_N_ELEMENTS (shortcuts);
  return shortcuts;
}

static gboolean
focus_is_text (RosterWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  return focus != NULL && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus));
}

static void
set_enabled (RosterWindow *self,
             const char   *action,
             gboolean      enabled)
{
  if (enabled)
    g_hash_table_add (self->enabled_actions, (gpointer) action);
  else
    g_hash_table_remove (self->enabled_actions, action);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), action, enabled);
}

gboolean
_roster_window_action_is_enabled (RosterWindow *self,
                                  const char   *action)
{
  if (!g_str_has_prefix (action, "win."))
    return TRUE;
  return g_hash_table_contains (self->enabled_actions, action);
}

static gboolean
shortcut_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  RosterWindow *self = ROSTER_WINDOW (widget);
  const RosterShortcut *shortcut = user_data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (!shortcut->in_text && focus_is_text (self))
    return FALSE;
  /* Space on a focused button presses that button. */
  if (g_str_equal (shortcut->accel, "space") && focus != NULL &&
      (GTK_IS_BUTTON (focus) || GTK_IS_CHECK_BUTTON (focus)))
    return FALSE;
  if (!_roster_window_action_is_enabled (self, shortcut->action))
    return FALSE;

  return gtk_widget_activate_action_variant (widget, shortcut->action, NULL);
}

/* "Undo Delete “Alice”" in the main menu: the store names its history. */
static void
update_history_menu (RosterWindow *self)
{
  g_autoptr(GString) undo = NULL;
  g_autoptr(GString) redo = NULL;
  g_autofree char *undo_text = NULL;
  g_autofree char *redo_text = NULL;

  if (self->store != NULL && roster_store_get_undo_label (self->store) != NULL)
    {
      /* A name with "_" in it must not become a mnemonic. */
      undo = g_string_new (roster_store_get_undo_label (self->store));
      g_string_replace (undo, "_", "__", 0);
    }
  if (self->store != NULL && roster_store_get_redo_label (self->store) != NULL)
    {
      redo = g_string_new (roster_store_get_redo_label (self->store));
      g_string_replace (redo, "_", "__", 0);
    }

  /* Translators: %s says what would be undone, e.g. Delete “Alice” */
  undo_text = undo != NULL ? g_strdup_printf (_("_Undo %s"), undo->str) : g_strdup (_("_Undo"));
  /* Translators: %s says what would be redone, e.g. Delete “Alice” */
  redo_text = redo != NULL ? g_strdup_printf (_("_Redo %s"), redo->str) : g_strdup (_("_Redo"));

  /* Unchanged labels leave the menu alone: rebuilding it would disturb an
   * open menu (this runs at every focus change). */
  if (g_menu_model_get_n_items (G_MENU_MODEL (self->history_section)) == 2)
    {
      g_autofree char *old_undo = NULL;
      g_autofree char *old_redo = NULL;

      g_menu_model_get_item_attribute (G_MENU_MODEL (self->history_section), 0,
                                       G_MENU_ATTRIBUTE_LABEL, "s", &old_undo);
      g_menu_model_get_item_attribute (G_MENU_MODEL (self->history_section), 1,
                                       G_MENU_ATTRIBUTE_LABEL, "s", &old_redo);
      if (g_strcmp0 (old_undo, undo_text) == 0 && g_strcmp0 (old_redo, redo_text) == 0)
        return;
    }

  g_menu_remove_all (self->history_section);
  g_menu_append (self->history_section, undo_text, "win.undo");
  g_menu_append (self->history_section, redo_text, "win.redo");
}

/* The one place that says which actions can run now. */
void
_roster_window_update_actions (RosterWindow *self)
{
  gboolean has_store = self->store != NULL;
  /* A read-only file can be looked at and searched, not changed. */
  gboolean writable = has_store && !roster_store_is_read_only (self->store) &&
                      roster_store_get_damage (self->store) == NULL;
  RosterTarget target = _roster_window_get_target (self);
  /* Task commands act on the selected task unless the focus is in the
   * sidebar, where Space or Ctrl+M would surprise. */
  RosterTask *task = target == ROSTER_TARGET_TASK ? _roster_window_get_selected_task (self) : NULL;
  guint n_users = self->users != NULL ? g_list_model_get_n_items (self->users) : 0;
  gboolean can_move_up = FALSE;
  gboolean can_move_down = FALSE;
  gboolean waiting = self->edits != NULL && roster_edit_queue_get_n_waiting (self->edits) > 0;
  /* A big change being saved: edits queue behind it, undo waits for it. */
  gboolean working = has_store && _roster_window_is_working (self);
  /* Find reads a read-only file too, not a damaged one. */
  gboolean can_find = has_store && roster_store_get_damage (self->store) == NULL;

  if (task != NULL && self->user != NULL)
    {
      g_autoptr(GListModel) tasks = roster_store_list_user_tasks (self->store, self->user);
      guint index = roster_list_find_item (tasks, task);
      guint n = g_list_model_get_n_items (tasks);

      can_move_up = index != G_MAXUINT && index > 0;
      can_move_down = index != G_MAXUINT && index + 1 < n;
    }

  set_enabled (self, "win.new-task", writable && self->user != NULL);
  set_enabled (self, "win.new-user", writable);
  set_enabled (self, "win.sync-now", writable);
  set_enabled (self, "win.sync-settings", writable);
  set_enabled (self, "win.new-tag", writable);
  set_enabled (self, "win.rename", writable && target != ROSTER_TARGET_NONE);
  set_enabled (self, "win.delete", writable && target != ROSTER_TARGET_NONE);
  set_enabled (self, "win.toggle-done", writable && task != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (priority_actions); i++)
    set_enabled (self, priority_actions[i], writable && task != NULL);
  set_enabled (self, "win.edit-tags", writable && task != NULL);
  set_enabled (self, "win.show-details", task != NULL);
  set_enabled (self, "win.move-task", writable && task != NULL && n_users > 1);
  /* Moving up and down is the manual order's (the sort note says so). */
  set_enabled (self, "win.move-task-up", writable && can_move_up && self->sort_order == ROSTER_SORT_MANUAL);
  set_enabled (self, "win.move-task-down", writable && can_move_down && self->sort_order == ROSTER_SORT_MANUAL);
  set_enabled (self, "win.sort-by", self->base_tasks != NULL && !self->finding);
  set_enabled (self, "win.cycle-sort", self->base_tasks != NULL && !self->finding);
  set_enabled (self, "win.hide-done", self->base_tasks != NULL && !self->finding);
  /* Undo names the last saved change: not what it would undo while later
   * edits still wait for the file, or while a big one is being saved. */
  set_enabled (self, "win.undo", writable && !waiting && !working && roster_store_get_can_undo (self->store));
  set_enabled (self, "win.redo", writable && !waiting && !working && roster_store_get_can_redo (self->store));
  set_enabled (self, "win.find", can_find);
  /* An import is a change like any (in order: not past edits that wait);
   * an export only reads. */
  set_enabled (self, "win.import", writable && !waiting && !working);
  set_enabled (self, "win.export", can_find);
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_button), can_find);
  set_enabled (self, "win.previous-user", n_users > 0);
  set_enabled (self, "win.next-user", n_users > 0);
  set_enabled (self, "win.show-today", has_store);
  set_enabled (self, "win.show-upcoming", has_store);
  set_enabled (self, "win.toggle-sidebar", has_store);
  set_enabled (self, "win.main-menu", TRUE);
  set_enabled (self, "win.show-help-overlay", TRUE);
  set_enabled (self, "win.context-menu", target != ROSTER_TARGET_NONE);
  set_enabled (self, "win.tag-color", writable && self->category != NULL);

  update_history_menu (self);
}

/* Actions */

static void
new_task_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  RosterWindow *self = ROSTER_WINDOW (widget);

  /* The entry is hidden while finding. */
  _roster_window_set_finding (self, FALSE);
  if (adw_flap_get_folded (self->sidebar_flap))
    adw_flap_set_reveal_flap (self->sidebar_flap, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->add_entry));
}

static void
new_user_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  RosterWindow *self = ROSTER_WINDOW (widget);

  adw_flap_set_reveal_flap (self->sidebar_flap, TRUE);
  roster_sidebar_begin_new_user (self->sidebar);
}

static void
new_tag_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  RosterWindow *self = ROSTER_WINDOW (widget);

  adw_flap_set_reveal_flap (self->sidebar_flap, TRUE);
  roster_sidebar_begin_new_tag (self->sidebar);
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  RosterWindow *self = ROSTER_WINDOW (widget);
  GtkWidget *row = NULL;

  switch (_roster_window_get_target (self))
    {
    case ROSTER_TARGET_TASK:
      row = _roster_window_find_task_row (self, _roster_window_get_selected_task (self));
      if (row != NULL)
        roster_task_row_start_rename (ROSTER_TASK_ROW (row));
      return;
    case ROSTER_TARGET_USER:
      row = _roster_window_find_sidebar_row (self, G_OBJECT (self->user));
      break;
    case ROSTER_TARGET_TAG:
      row = _roster_window_find_sidebar_row (self, G_OBJECT (self->category));
      break;
    case ROSTER_TARGET_NONE:
    default:
      return;
    }

  if (row != NULL)
    {
      adw_flap_set_reveal_flap (self->sidebar_flap, TRUE);
      roster_sidebar_row_start_rename (ROSTER_SIDEBAR_ROW (row));
    }
}

static void
delete_task (RosterWindow *self,
             RosterTask   *task)
{
  g_autofree char *message = NULL;
  g_autoptr(GListModel) tasks = NULL;
  g_autoptr(GError) error = NULL;
  RosterEditResult result;
  guint index;

  /* After the deletion, the next task (or the previous) is selected. */
  tasks = g_object_ref (G_LIST_MODEL (self->filtered_tasks));
  index = roster_list_find_item (tasks, task);

  /* Translators: %s is a task title */
  message = g_strdup_printf (_("“%s” deleted"), roster_task_get_title (task));
  result = roster_edit_queue_delete_task (self->edits, task, &error);
  if (!edit_done (self, result, error, ROSTER_SUBJECT_TASK))
    return;
  _roster_window_show_undo_toast (self, message);

  if (index != G_MAXUINT && g_list_model_get_n_items (tasks) > 0)
    {
      g_autoptr(RosterTask) next = g_list_model_get_item (tasks, MIN (index, g_list_model_get_n_items (tasks) - 1));

      _roster_window_select_task (self, next, TRUE);
    }
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->add_entry));
}

/* Deleting a user runs in the store's worker thread when they own
 * thousands of tasks: the window says how it ended (and offers Undo) when it
 * is done (roster-window-edits.c, "Edits waiting for the file"). */
static void
delete_user_response_cb (RosterDeleteUserDialog *dialog,
                         const char             *response,
                         RosterWindow           *self)
{
  g_autoptr(GError) error = NULL;
  RosterUser *user = roster_delete_user_dialog_get_user (dialog);
  RosterDeleteUser mode;
  RosterUser *heir = NULL;
  RosterEditResult result;

  if (self->store == NULL || user == NULL)
    return;

  if (g_str_equal (response, "delete"))
    mode = ROSTER_DELETE_USER_AND_TASKS;
  else if (g_str_equal (response, "move"))
    {
      mode = ROSTER_DELETE_USER_MOVE_TASKS;
      heir = roster_delete_user_dialog_get_heir (dialog);
      if (heir == NULL)
        return;
    }
  else
    return;

  result = roster_edit_queue_delete_user (self->edits, user, mode, heir, &error);
  edit_done (self, result, error, ROSTER_SUBJECT_USER);
}

/* A user without tasks goes at once; one with tasks asks what becomes of
 * them (RosterDeleteUserDialog). */
static void
delete_user (RosterWindow *self,
             RosterUser   *user)
{
  GtkWidget *dialog;

  if (roster_user_get_n_tasks (user) == 0)
    {
      g_autoptr(GError) error = NULL;
      RosterEditResult result = roster_edit_queue_delete_user (self->edits, user, ROSTER_DELETE_USER_ONLY,
                                                               NULL, &error);

      edit_done (self, result, error, ROSTER_SUBJECT_USER);
      return;
    }

  dialog = roster_delete_user_dialog_new (GTK_WINDOW (self), user, self->users);
  roster_delete_user_dialog_set_synced (ROSTER_DELETE_USER_DIALOG (dialog), _roster_window_sync_has_account (self));
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_user_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  RosterWindow *self = ROSTER_WINDOW (widget);

  switch (_roster_window_get_target (self))
    {
    case ROSTER_TARGET_TASK:
      delete_task (self, _roster_window_get_selected_task (self));
      break;

    case ROSTER_TARGET_USER:
      delete_user (self, self->user);
      break;

    case ROSTER_TARGET_TAG:
      {
        g_autoptr(RosterCategory) category = g_object_ref (self->category);
        g_autofree char *message = g_strdup_printf (_("Tag “%s” deleted"),
                                                    roster_category_get_name (category));
        g_autoptr(GError) error = NULL;
        RosterEditResult result = roster_edit_queue_delete_category (self->edits, category, &error);

        if (edit_done (self, result, error, ROSTER_SUBJECT_TAG))
          _roster_window_show_undo_toast (self, message);
      }
      break;

    case ROSTER_TARGET_NONE:
    default:
      break;
    }
}

static void
toggle_done_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  RosterWindow *self = ROSTER_WINDOW (widget);
  RosterTask *task = _roster_window_get_selected_task (self);
  g_autoptr(GError) error = NULL;
  RosterEditResult result;

  if (task == NULL)
    return;
  /* The state wanted now: pressed twice while waiting, it stays done. */
  result = roster_edit_queue_set_task_done (self->edits, task, !roster_task_get_done (task), &error);
  edit_done (self, result, error, ROSTER_SUBJECT_TASK);
}

/* Alt+0 to Alt+3 from the list. */
static void
priority_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  RosterWindow *self = ROSTER_WINDOW (widget);
  RosterTask *task = _roster_window_get_selected_task (self);
  g_autoptr(GError) error = NULL;
  RosterPriority priority = ROSTER_PRIORITY_NONE;

  if (task == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (priority_actions); i++)
    if (g_str_equal (action_name, priority_actions[i]))
      priority = i;
  edit_done (self, roster_edit_queue_set_task_priority (self->edits, task, priority, &error), error,
             ROSTER_SUBJECT_TASK);
}

static void
edit_tags_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  RosterWindow *self = ROSTER_WINDOW (widget);
  RosterTask *task = _roster_window_get_selected_task (self);
  GtkWidget *row = task != NULL ? _roster_window_find_task_row (self, task) : NULL;

  GtkPopover *popover = row != NULL ? roster_task_row_popup_tags (ROSTER_TASK_ROW (row)) : NULL;

  if (popover != NULL)
    _roster_window_return_focus_on_close (self, popover, task);
}

static void
show_details_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  RosterWindow *self = ROSTER_WINDOW (widget);
  RosterTask *task = _roster_window_get_selected_task (self);

  if (task == NULL)
    return;
  roster_task_details_set_task (_roster_window_ensure_details (self), task);
  _roster_window_show_details (self);
}

static void
move_task_response_cb (RosterMoveTaskDialog *dialog,
                       const char           *response,
                       RosterWindow         *self)
{
  g_autoptr(GError) error = NULL;
  RosterUser *user;
  RosterEditResult result;

  if (!g_str_equal (response, "move") || self->store == NULL)
    return;

  user = roster_move_task_dialog_get_user (dialog);
  if (user == NULL)
    return;

  result = roster_edit_queue_move_task (self->edits, roster_move_task_dialog_get_task (dialog), user, &error);
  edit_done (self, result, error, ROSTER_SUBJECT_TASK);
}

static void
move_task_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  RosterWindow *self = ROSTER_WINDOW (widget);
  RosterTask *task = _roster_window_get_selected_task (self);
  GtkWidget *dialog;

  if (task == NULL)
    return;

  dialog = roster_move_task_dialog_new (GTK_WINDOW (self), task, self->users);
  g_signal_connect_object (dialog, "response", G_CALLBACK (move_task_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
reorder (RosterWindow *self,
         int           delta)
{
  g_autoptr(GListModel) tasks = NULL;
  g_autoptr(RosterTask) task = NULL;
  g_autoptr(GError) error = NULL;
  RosterEditResult result;
  guint index;

  if (self->user == NULL || _roster_window_get_selected_task (self) == NULL)
    return;

  task = g_object_ref (_roster_window_get_selected_task (self));
  tasks = roster_store_list_user_tasks (self->store, self->user);
  index = roster_list_find_item (tasks, task);
  if (index == G_MAXUINT || (delta < 0 && index == 0))
    return;

  result = roster_edit_queue_reorder_task (self->edits, task, (guint) ((int) index + delta), &error);
  if (!edit_done (self, result, error, ROSTER_SUBJECT_TASK))
    return;
  _roster_window_select_task (self, task, TRUE);
}

static void
reorder_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  reorder (ROSTER_WINDOW (widget), g_str_equal (action_name, "win.move-task-up") ? -1 : 1);
}

static void
undo_redo_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  _roster_window_replay (ROSTER_WINDOW (widget), g_str_equal (action_name, "win.redo"));
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  _roster_window_set_finding (ROSTER_WINDOW (widget), TRUE);
}

static void
step_user (RosterWindow *self,
           int           delta)
{
  guint n = g_list_model_get_n_items (self->users);
  guint index;
  g_autoptr(RosterUser) next = NULL;
  GtkWidget *row;

  if (n == 0)
    return;

  index = self->user != NULL ? roster_list_find_item (self->users, self->user) : G_MAXUINT;
  if (index == G_MAXUINT)
    index = delta > 0 ? 0 : n - 1;
  else
    index = (index + n + delta) % n;

  next = g_list_model_get_item (self->users, index);
  _roster_window_select_user (self, next);
  /* Another user's list, in place of Find. */
  _roster_window_set_finding (self, FALSE);

  /* Keep the focus where it was, unless it was on the old user's row. */
  row = _roster_window_find_sidebar_row (self, G_OBJECT (next));
  if (row != NULL && gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (self)),
                                             roster_sidebar_get_user_list (self->sidebar)))
    gtk_widget_grab_focus (row);
}

static void
step_user_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  step_user (ROSTER_WINDOW (widget), g_str_equal (action_name, "win.previous-user") ? -1 : 1);
}

static void
show_plan_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  RosterWindow *self = ROSTER_WINDOW (widget);
  RosterPlan plan = g_str_equal (action_name, "win.show-today") ? ROSTER_PLAN_TODAY : ROSTER_PLAN_UPCOMING;

  _roster_window_choose_plan (self, plan);
  if (adw_flap_get_folded (self->sidebar_flap))
    adw_flap_set_reveal_flap (self->sidebar_flap, FALSE);
}

static void
toggle_sidebar_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  RosterWindow *self = ROSTER_WINDOW (widget);

  adw_flap_set_reveal_flap (self->sidebar_flap, !adw_flap_get_reveal_flap (self->sidebar_flap));
}

static void
main_menu_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  RosterWindow *self = ROSTER_WINDOW (widget);

  gtk_menu_button_popup (self->menu_button);
}

/* The shortcuts window, made when first asked for: GtkApplication would
 * build one from gtk/help-overlay.ui for every window as it opens, a few
 * milliseconds of every start-up for a window few people open. */
static void
show_help_overlay_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  RosterWindow *self = ROSTER_WINDOW (widget);

  if (self->shortcuts_window == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/rosterapp/Roster/roster-shortcuts.ui");

      self->shortcuts_window = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_window_set_transient_for (self->shortcuts_window, GTK_WINDOW (self));
      gtk_window_set_destroy_with_parent (self->shortcuts_window, TRUE);
      gtk_window_set_hide_on_close (self->shortcuts_window, TRUE);
      g_object_add_weak_pointer (G_OBJECT (self->shortcuts_window), (gpointer *) &self->shortcuts_window);
    }
  gtk_window_present (self->shortcuts_window);
}

/* The menu a right click opens, for the item the keyboard is on. */
static void
context_menu_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  RosterWindow *self = ROSTER_WINDOW (widget);
  GtkWidget *row = NULL;
  GtkWidget *list = NULL;
  GtkWidget *popover;
  graphene_point_t point;

  switch (_roster_window_get_target (self))
    {
    case ROSTER_TARGET_TASK:
      row = _roster_window_find_task_row (self, _roster_window_get_selected_task (self));
      list = GTK_WIDGET (self->task_list);
      break;
    case ROSTER_TARGET_USER:
      row = _roster_window_find_sidebar_row (self, G_OBJECT (self->user));
      list = roster_sidebar_get_user_list (self->sidebar);
      break;
    case ROSTER_TARGET_TAG:
      row = _roster_window_find_sidebar_row (self, G_OBJECT (self->category));
      list = roster_sidebar_get_tag_list (self->sidebar);
      break;
    case ROSTER_TARGET_NONE:
    default:
      return;
    }

  if (row == NULL)
    return;
  popover = _roster_window_ensure_context_menu (self, list);
  if (!gtk_widget_compute_point (row, list, &GRAPHENE_POINT_INIT (24, gtk_widget_get_height (row) / 2.f),
                                 &point))
    return;

  gtk_popover_set_pointing_to (GTK_POPOVER (popover),
                               &(GdkRectangle) { (int) point.x, (int) point.y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (popover));
}

static void
tag_color_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  RosterWindow *self = ROSTER_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  RosterEditResult result;

  if (self->category == NULL)
    return;
  result = roster_edit_queue_set_category_color (self->edits, self->category,
                                                 g_variant_get_string (param, NULL), &error);
  edit_done (self, result, error, ROSTER_SUBJECT_TAG);
}

static void
on_focus_widget_notify_cb (RosterWindow *self)
{
  _roster_window_update_actions (self);
}

void
_roster_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.new-task", NULL, new_task_action);
  gtk_widget_class_install_action (widget_class, "win.new-user", NULL, new_user_action);
  gtk_widget_class_install_action (widget_class, "win.new-tag", NULL, new_tag_action);
  gtk_widget_class_install_action (widget_class, "win.rename", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "win.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-done", NULL, toggle_done_action);
  for (guint i = 0; i < G_N_ELEMENTS (priority_actions); i++)
    gtk_widget_class_install_action (widget_class, priority_actions[i], NULL, priority_action);
  gtk_widget_class_install_action (widget_class, "win.edit-tags", NULL, edit_tags_action);
  gtk_widget_class_install_action (widget_class, "win.show-details", NULL, show_details_action);
  gtk_widget_class_install_action (widget_class, "win.move-task", NULL, move_task_action);
  gtk_widget_class_install_action (widget_class, "win.move-task-up", NULL, reorder_action);
  gtk_widget_class_install_action (widget_class, "win.move-task-down", NULL, reorder_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_redo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, undo_redo_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, _roster_window_import_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, _roster_window_export_action);
  gtk_widget_class_install_action (widget_class, "win.previous-user", NULL, step_user_action);
  gtk_widget_class_install_action (widget_class, "win.next-user", NULL, step_user_action);
  gtk_widget_class_install_property_action (widget_class, "win.sort-by", "sort-order");
  gtk_widget_class_install_property_action (widget_class, "win.hide-done", "hide-done");
  gtk_widget_class_install_action (widget_class, "win.cycle-sort", NULL, _roster_window_cycle_sort_action);
  gtk_widget_class_install_action (widget_class, "win.show-today", NULL, show_plan_action);
  gtk_widget_class_install_action (widget_class, "win.show-upcoming", NULL, show_plan_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL, toggle_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.main-menu", NULL, main_menu_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_help_overlay_action);
  gtk_widget_class_install_action (widget_class, "win.context-menu", NULL, context_menu_action);
  gtk_widget_class_install_action (widget_class, "win.tag-color", "s", tag_color_action);
  /* The error page's, with the code that opens files (roster-window-open.c). */
  gtk_widget_class_install_action (widget_class, "win.open-other", NULL, _roster_window_open_other_action);
  gtk_widget_class_install_action (widget_class, "win.restore-backup", NULL,
                                   _roster_window_restore_backup_action);
}

void
_roster_window_actions_init (RosterWindow *self)
{
  GtkShortcutController *capture = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  GtkShortcutController *bubble = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());

  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (capture), GTK_PHASE_CAPTURE);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (bubble), GTK_PHASE_BUBBLE);
  /* Work from anywhere in the window, popovers and dialogs aside. */
  gtk_shortcut_controller_set_scope (capture, GTK_SHORTCUT_SCOPE_LOCAL);
  gtk_shortcut_controller_set_scope (bubble, GTK_SHORTCUT_SCOPE_LOCAL);

  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    {
      GtkShortcutTrigger *trigger = gtk_shortcut_trigger_parse_string (shortcuts[i].accel);
      GtkShortcutAction *action = gtk_callback_action_new (shortcut_cb, (gpointer) &shortcuts[i], NULL);
      GtkShortcut *shortcut = gtk_shortcut_new (trigger, action);

      g_assert (trigger != NULL);
      gtk_shortcut_controller_add_shortcut (shortcuts[i].phase == GTK_PHASE_CAPTURE ? capture : bubble,
                                            shortcut);
    }

  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (capture));
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (bubble));

  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (on_focus_widget_notify_cb), NULL);

  _roster_window_update_actions (self);
}
