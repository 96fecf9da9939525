/* roster-window.c: the main window's structure, selection and content.
 *
 * The sidebar (RosterSidebar) shows the store's users and tags; the content
 * shows the selected user's (or tag's) task list, or, while finding (Ctrl+F),
 * Find's results over every user's tasks (RosterFindBar). The window opens
 * its store itself, so a file that cannot be opened becomes a status page
 * instead of a crash. The rest of the window has a file each, sharing
 * roster-window-private.h: the task list's rows, the first frame and the
 * menus in roster-window-lists.c, how changes went (toasts, edits waiting,
 * big changes, undo) in roster-window-edits.c, the details pane in
 * roster-window-details.c, and every action and its key in
 * roster-window-actions.c.
 */
#define G_LOG_DOMAIN "roster-window"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-entry-error.h"
#include "roster-list-util.h"
#include "roster-messages.h"
#include "roster-task-row.h"
#include "roster-window-private.h"

G_DEFINE_FINAL_TYPE (RosterWindow, roster_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PATH,
  PROP_SORT_ORDER,
  PROP_HIDE_DONE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GSettings *
create_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Running uninstalled without GSETTINGS_SCHEMA_DIR: work, remember nothing. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "io.github.rosterapp.Roster", TRUE);
  if (schema == NULL)
    {
      g_debug ("GSettings schema not found; window state will not be remembered");
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

/* TRUE when the focus went with a removed row. GTK 4.8 may leave the window
 * pointing at a widget no longer in it, so a NULL check is not enough. */
static gboolean
focus_is_lost (RosterWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  /* Also a field hidden under the keyboard: a list view's row bound to
   * another item ends its rename. (Not "unmapped": a row the list view has
   * just made for the focus is not mapped until the next frame.) */
  return focus == NULL || gtk_widget_get_root (focus) != GTK_ROOT (self) ||
         !gtk_widget_is_visible (focus);
}

static void set_finding (RosterWindow *self,
                         gboolean      finding,
                         gboolean      restore_focus);

/* Selection */

RosterTask *
_roster_window_get_selected_task (RosterWindow *self)
{
  return gtk_single_selection_get_selected_item (self->task_selection);
}

RosterUser *
_roster_window_get_selected_user (RosterWindow *self)
{
  return self->user;
}

RosterCategory *
_roster_window_get_selected_category (RosterWindow *self)
{
  return self->category;
}

RosterPlan
_roster_window_get_plan (RosterWindow *self)
{
  return self->plan;
}

GListModel *
_roster_window_get_shown_tasks (RosterWindow *self)
{
  return G_LIST_MODEL (self->filtered_tasks);
}

gboolean
_roster_window_is_finding (RosterWindow *self)
{
  return self->finding;
}

void
_roster_window_select_task (RosterWindow *self,
                            RosterTask   *task,
                            gboolean      grab_focus)
{
  guint position = task != NULL ? roster_list_find_item (G_LIST_MODEL (self->filtered_tasks), task) : G_MAXUINT;
  GtkWidget *row;

  if (position == G_MAXUINT)
    {
      gtk_single_selection_set_selected (self->task_selection, GTK_INVALID_LIST_POSITION);
      return;
    }

  roster_slice_show_position (self->task_slice, position);
  gtk_single_selection_set_selected (self->task_selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->task_list), "list.scroll-to-item", "u", position);

  /* The list item around the row is what takes the keyboard in a list view. */
  row = _roster_window_find_task_row (self, task);
  if (grab_focus && row != NULL)
    gtk_widget_grab_focus (gtk_widget_get_parent (row));
}

/* What F2 and Delete mean: the sidebar's selection while the focus is in the
 * sidebar, else the selected task, else the sidebar's selection. While
 * finding, nothing outside the sidebar: the list is out of sight, and Space
 * or Delete on a result must not change a task nobody sees. */
RosterTarget
_roster_window_get_target (RosterWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (self->store == NULL)
    return ROSTER_TARGET_NONE;

  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->sidebar)))
    {
      if (self->category != NULL && gtk_widget_is_ancestor (focus, roster_sidebar_get_tag_list (self->sidebar)))
        return ROSTER_TARGET_TAG;
      if (self->user != NULL && gtk_widget_is_ancestor (focus, roster_sidebar_get_user_list (self->sidebar)))
        return ROSTER_TARGET_USER;
    }

  if (self->finding)
    return ROSTER_TARGET_NONE;
  if (_roster_window_get_selected_task (self) != NULL)
    return ROSTER_TARGET_TASK;
  if (self->user != NULL)
    return ROSTER_TARGET_USER;
  if (self->category != NULL)
    return ROSTER_TARGET_TAG;
  return ROSTER_TARGET_NONE;
}

/* Content: title, add entry, list or empty state */

static void
update_title (RosterWindow *self)
{
  g_autofree char *subtitle = NULL;

  if (self->finding)
    /* The results are every user's: the selected one's name would mislead. */
    adw_window_title_set_title (self->content_title, _("Find Tasks"));
  else if (self->user != NULL)
    {
      guint n_open = roster_user_get_n_open_tasks (self->user);

      adw_window_title_set_title (self->content_title, roster_user_get_username (self->user));
      subtitle = g_strdup_printf (ngettext ("%u open task", "%u open tasks", n_open), n_open);
    }
  else if (self->category != NULL)
    {
      guint n = roster_category_get_n_tasks (self->category);

      adw_window_title_set_title (self->content_title, roster_category_get_name (self->category));
      subtitle = g_strdup_printf (ngettext ("%u task with this tag", "%u tasks with this tag", n), n);
    }
  else if (self->plan != ROSTER_PLAN_NONE)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered_tasks));

      adw_window_title_set_title (self->content_title,
                                  self->plan == ROSTER_PLAN_TODAY ? _("Today") : _("Upcoming"));
      subtitle = g_strdup_printf (ngettext ("%u open task", "%u open tasks", n), n);
    }
  else
    adw_window_title_set_title (self->content_title, _("Roster"));

  adw_window_title_set_subtitle (self->content_title, subtitle);
}

void
_roster_window_update_content (RosterWindow *self)
{
  guint n_visible = g_list_model_get_n_items (G_LIST_MODEL (self->filtered_tasks));
  guint n_users = self->users != NULL ? g_list_model_get_n_items (self->users) : 0;

  update_title (self);
  _roster_window_update_sorting (self);

  gtk_widget_set_visible (self->add_box, self->user != NULL && !self->finding);
  gtk_widget_set_sensitive (self->add_box, self->store != NULL && !roster_store_is_read_only (self->store));

  if (self->finding)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "find");
      return;
    }

  /* Every task done and hidden: the list, empty, with its button. */
  if (n_visible > 0 || _roster_window_count_hidden (self) > 0)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "tasks");
      return;
    }

  if (self->plan != ROSTER_PLAN_NONE)
    {
      adw_status_page_set_icon_name (self->empty_page, self->plan == ROSTER_PLAN_TODAY ? "alarm-symbolic"
                                                                                       : "x-office-calendar-symbolic");
      adw_status_page_set_title (self->empty_page, self->plan == ROSTER_PLAN_TODAY ? _("Nothing Due Today")
                                                                                   : _("Nothing Due Soon"));
      adw_status_page_set_description (self->empty_page,
                                       self->plan == ROSTER_PLAN_TODAY
                                       ? _("Open tasks of every user due today or earlier show up here.")
                                       : _("Open tasks of every user due in the next two weeks show up here, day by day."));
    }
  else if (n_users == 0 && self->category == NULL)
    {
      adw_status_page_set_icon_name (self->empty_page, "system-users-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Users Yet"));
      adw_status_page_set_description (self->empty_page,
                                       _("Add the first person who gets tasks: press Shift+Ctrl+N, or the New User button in the sidebar."));
    }
  else if (self->user != NULL)
    {
      adw_status_page_set_icon_name (self->empty_page, "checkbox-checked-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Tasks Yet"));
      adw_status_page_set_description (self->empty_page,
                                       _("Type a title in the field above and press Enter to give this user a task."));
    }
  else if (self->category != NULL)
    {
      adw_status_page_set_icon_name (self->empty_page, "bookmark-new-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Tasks With This Tag"));
      adw_status_page_set_description (self->empty_page,
                                       _("Select a task and press Ctrl+T to give it this tag."));
    }
  else
    {
      adw_status_page_set_icon_name (self->empty_page, "system-users-symbolic");
      adw_status_page_set_title (self->empty_page, _("No User Selected"));
      adw_status_page_set_description (self->empty_page,
                                       _("Select a user in the sidebar to see their tasks."));
    }

  gtk_stack_set_visible_child_name (self->content_stack, "empty");
}

static void
on_selected_item_notify_cb (RosterWindow *self)
{
  update_title (self);
}

static void
on_filtered_tasks_items_changed_cb (RosterWindow *self,
                                    guint         position,
                                    guint         removed,
                                    guint         added)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered_tasks));

  _roster_window_update_content (self);
  /* A day's first task went or came: the rows after it that GTK does not
   * bind again may start or end a day now. */
  _roster_window_update_headings (self);

  /* The focused row went (moved to another user, deleted elsewhere): the
   * keyboard goes on from its neighbour rather than from nowhere. (Not while
   * finding: the list is out of sight, and the focus in Find.) */
  if (removed > 0 && !self->finding && focus_is_lost (self) &&
      gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      if (n > 0)
        {
          g_autoptr(RosterTask) next = g_list_model_get_item (G_LIST_MODEL (self->filtered_tasks),
                                                              MIN (position, n - 1));

          _roster_window_select_task (self, next, TRUE);
        }
      else if (self->user != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (self->add_entry));
    }

  _roster_window_update_actions (self);
}

static void
set_current (RosterWindow   *self,
             RosterUser     *user,
             RosterCategory *category,
             RosterPlan      plan)
{
  g_autoptr(GListModel) tasks = NULL;

  if (self->user != NULL)
    g_signal_handlers_disconnect_by_func (self->user, on_selected_item_notify_cb, self);
  if (self->category != NULL)
    g_signal_handlers_disconnect_by_func (self->category, on_selected_item_notify_cb, self);

  g_set_object (&self->user, user);
  g_set_object (&self->category, category);
  self->plan = plan;

  if (user != NULL)
    {
      tasks = roster_store_list_user_tasks (self->store, user);
      g_signal_connect_object (user, "notify", G_CALLBACK (on_selected_item_notify_cb),
                               self, G_CONNECT_SWAPPED);
      if (self->settings != NULL)
        g_settings_set_int64 (self->settings, "last-user", roster_user_get_id (user));
    }
  else if (category != NULL)
    {
      tasks = roster_store_list_category_tasks (self->store, category);
      g_signal_connect_object (category, "notify", G_CALLBACK (on_selected_item_notify_cb),
                               self, G_CONNECT_SWAPPED);
    }
  else if (plan == ROSTER_PLAN_TODAY)
    tasks = roster_store_list_today (self->store);
  else if (plan == ROSTER_PLAN_UPCOMING)
    tasks = roster_store_list_upcoming (self->store);

  roster_entry_error_show (GTK_WIDGET (self->add_entry), self->add_error, NULL, ROSTER_SUBJECT_TASK);
  {
    g_autoptr(GListModel) shown = _roster_window_sort_view (self, tasks);

    gtk_filter_list_model_set_model (self->filtered_tasks, shown);
  }
  if (self->details != NULL)
    roster_task_details_set_task (self->details, NULL);

  _roster_window_update_content (self);
  _roster_window_update_actions (self);
}

void
_roster_window_select_user (RosterWindow *self,
                            RosterUser   *user)
{
  gboolean found;

  if (self->store == NULL)
    return;

  found = roster_sidebar_select (self->sidebar, G_OBJECT (user));
  if (user != self->user || self->category != NULL || self->plan != ROSTER_PLAN_NONE)
    set_current (self, found ? user : NULL, NULL, ROSTER_PLAN_NONE);
}

void
_roster_window_select_category (RosterWindow   *self,
                                RosterCategory *category)
{
  gboolean found;

  if (self->store == NULL)
    return;

  found = roster_sidebar_select (self->sidebar, G_OBJECT (category));
  if (category != self->category || self->user != NULL || self->plan != ROSTER_PLAN_NONE)
    set_current (self, NULL, found ? category : NULL, ROSTER_PLAN_NONE);
}

/* A user or tag chosen in the sidebar (a click, the arrow keys, a right
 * click): its list, not Find. */
void
_roster_window_choose_sidebar_item (RosterWindow *self,
                                    GObject      *item)
{
  set_finding (self, FALSE, FALSE);
  if (ROSTER_IS_USER (item))
    _roster_window_select_user (self, ROSTER_USER (item));
  else
    _roster_window_select_category (self, ROSTER_CATEGORY (item));
}

static void
on_sidebar_item_selected_cb (RosterWindow *self,
                             GObject      *item)
{
  _roster_window_choose_sidebar_item (self, item);
}

/* A Plan view chosen in the sidebar or by its key: its list, not Find. */
void
_roster_window_choose_plan (RosterWindow *self,
                            RosterPlan    plan)
{
  if (self->store == NULL)
    return;

  set_finding (self, FALSE, FALSE);
  roster_sidebar_select_plan (self->sidebar, plan);
  if (plan != self->plan || self->user != NULL || self->category != NULL)
    set_current (self, NULL, NULL, plan);
}

static void
on_sidebar_plan_selected_cb (RosterWindow *self,
                             int           plan)
{
  _roster_window_choose_plan (self, (RosterPlan) plan);
}

static void
on_sidebar_row_activated_cb (RosterWindow *self)
{
  /* The selected row clicked again (or a user just added): its list. */
  set_finding (self, FALSE, FALSE);
  /* On a narrow window the sidebar covers the content: get it out of the way. */
  if (adw_flap_get_folded (self->sidebar_flap))
    adw_flap_set_reveal_flap (self->sidebar_flap, FALSE);
}

/* A user or tag typed in the sidebar and saved: shown, and the keyboard
 * ready for what comes next (a first task for a user). */
static void
on_sidebar_item_added_cb (RosterWindow *self,
                          GObject      *item)
{
  GtkWidget *row;

  if (ROSTER_IS_USER (item))
    {
      _roster_window_select_user (self, ROSTER_USER (item));
      on_sidebar_row_activated_cb (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->add_entry));
      return;
    }

  set_finding (self, FALSE, FALSE);
  _roster_window_select_category (self, ROSTER_CATEGORY (item));
  row = _roster_window_find_sidebar_row (self, item);
  if (row != NULL)
    gtk_widget_grab_focus (row);
}

/* Keep a selection when the selected user or tag goes away: its neighbour. */
static void
on_users_items_changed_cb (RosterWindow *self,
                           guint         position,
                           guint         removed,
                           guint         added)
{
  guint n = g_list_model_get_n_items (self->users);

  if (self->user != NULL && roster_list_find_item (self->users, self->user) == G_MAXUINT)
    {
      g_autoptr(RosterUser) next = NULL;

      if (n > 0)
        next = g_list_model_get_item (self->users, MIN (position, n - 1));
      _roster_window_select_user (self, next);
    }
  else if (self->user != NULL)
    {
      /* A rename re-sorts: select the current user again where it went, and
       * give its row back the focus if its old place had it. */
      _roster_window_select_user (self, self->user);
      if (focus_is_lost (self))
        {
          GtkWidget *row = _roster_window_find_sidebar_row (self, G_OBJECT (self->user));

          if (row != NULL)
            gtk_widget_grab_focus (row);
        }
    }
  else if (self->category == NULL && self->plan == ROSTER_PLAN_NONE && n > 0)
    {
      g_autoptr(RosterUser) first = g_list_model_get_item (self->users, 0);

      _roster_window_select_user (self, first);
    }

  _roster_window_update_content (self);
  _roster_window_update_actions (self);
}

static void
on_categories_items_changed_cb (RosterWindow *self,
                                guint         position,
                                guint         removed,
                                guint         added)
{
  if (self->category != NULL)
    {
      if (roster_list_find_item (self->categories, self->category) == G_MAXUINT)
        {
          g_autoptr(RosterUser) first = NULL;

          if (g_list_model_get_n_items (self->users) > 0)
            first = g_list_model_get_item (self->users, 0);
          if (first != NULL)
            _roster_window_select_user (self, first);
          else
            _roster_window_select_category (self, NULL);
        }
      else
        {
          _roster_window_select_category (self, self->category);
          if (focus_is_lost (self))
            {
              GtkWidget *row = _roster_window_find_sidebar_row (self, G_OBJECT (self->category));

              if (row != NULL)
                gtk_widget_grab_focus (row);
            }
        }
    }

  _roster_window_update_content (self);
  _roster_window_update_actions (self);
}

/* Task list */

/* The selection follows the keyboard: a task whose row gets the focus (by
 * Tab, or a click on its check) becomes the selected task. */
static void
on_focus_widget_notify_cb (RosterWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *row;
  RosterTask *task;
  guint position;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->task_list)))
    return;

  row = gtk_widget_get_ancestor (focus, ROSTER_TYPE_TASK_ROW);
  if (row == NULL)
    row = gtk_widget_get_first_child (focus);
  if (row == NULL || !ROSTER_IS_TASK_ROW (row))
    return;

  task = roster_task_row_get_task (ROSTER_TASK_ROW (row));
  if (task == NULL || task == _roster_window_get_selected_task (self))
    return;

  position = roster_list_find_item (G_LIST_MODEL (self->filtered_tasks), task);
  if (position != G_MAXUINT)
    gtk_single_selection_set_selected (self->task_selection, position);
}

static void
on_task_selected_cb (RosterWindow *self)
{
  RosterTask *task = _roster_window_get_selected_task (self);

  if (task != NULL)
    roster_task_details_set_task (_roster_window_ensure_details (self), task);
  _roster_window_update_actions (self);
}

static void
on_task_list_activate_cb (RosterWindow *self,
                          guint         position)
{
  gtk_single_selection_set_selected (self->task_selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-details", NULL);
}

/* Find
 *
 * Ctrl+F (or the search button) puts Find in place of the list; the sidebar
 * stays. A result chosen there shows its owner's list with that task
 * selected; Escape goes back to where the keyboard was. While finding, the
 * window's task keys (Space, Delete, F2…) do not reach the selected task,
 * which is out of sight (_roster_window_get_target()).
 */

/* The keyboard back in the list: on the selected task, else where a person
 * would go on from. */
static void
focus_list (RosterWindow *self)
{
  RosterTask *task = _roster_window_get_selected_task (self);
  GtkWidget *row = task != NULL ? _roster_window_find_task_row (self, task) : NULL;

  if (row != NULL)
    _roster_window_select_task (self, task, TRUE);
  else if (self->user != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->add_entry));
  else if (self->category != NULL &&
           (row = _roster_window_find_sidebar_row (self, G_OBJECT (self->category))) != NULL)
    gtk_widget_grab_focus (row);
  else
    gtk_widget_grab_focus (roster_sidebar_get_user_list (self->sidebar));
}

static void
set_finding (RosterWindow *self,
             gboolean      finding,
             gboolean      restore_focus)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gboolean focus_in_find = focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->find_bar));

  if (finding && self->store == NULL)
    return;

  if (self->finding != finding)
    {
      self->finding = finding;
      /* Its "toggled" finds the state already set. */
      gtk_toggle_button_set_active (self->search_button, finding);
      _roster_window_update_content (self);
      _roster_window_update_actions (self);
    }

  if (finding)
    {
      /* On a narrow window the sidebar would cover Find. */
      if (adw_flap_get_folded (self->sidebar_flap))
        adw_flap_set_reveal_flap (self->sidebar_flap, FALSE);
      /* Again: Ctrl+F in Find selects the text, so typing replaces it. */
      roster_find_bar_focus (self->find_bar);
    }
  else if (restore_focus && (focus_in_find || focus_is_lost (self)))
    focus_list (self);
}

void
_roster_window_set_finding (RosterWindow *self,
                            gboolean      finding)
{
  set_finding (self, finding, TRUE);
}

/* Find closed without moving the keyboard (the file is going). */
void
_roster_window_stop_finding (RosterWindow *self)
{
  set_finding (self, FALSE, FALSE);
}

static void
on_search_button_toggled_cb (RosterWindow *self)
{
  gboolean active = gtk_toggle_button_get_active (self->search_button);

  if (active != self->finding)
    set_finding (self, active, TRUE);
}

static gboolean
select_pending_task_cb (gpointer user_data)
{
  RosterWindow *self = user_data;
  g_autoptr(RosterTask) task = g_steal_pointer (&self->pending_task);

  self->pending_task_source = 0;
  if (!self->finding && task == _roster_window_get_selected_task (self))
    _roster_window_select_task (self, task, TRUE);
  return G_SOURCE_REMOVE;
}

/* Selects @task in the list shown and gives its row the keyboard. Right
 * after the list changed (another user), the list view may not have made
 * the row yet: then the focus follows from an idle. */
static void
select_and_focus_task (RosterWindow *self,
                       RosterTask   *task)
{
  GtkWidget *row;

  _roster_window_select_task (self, task, TRUE);
  row = _roster_window_find_task_row (self, task);
  if (row != NULL && gtk_widget_has_focus (gtk_widget_get_parent (row)))
    return;

  g_set_object (&self->pending_task, task);
  if (self->pending_task_source == 0)
    self->pending_task_source = g_idle_add (select_pending_task_cb, self);
}

static void
on_find_bar_task_activated_cb (RosterWindow *self,
                               RosterTask   *task)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterTask) live = NULL;

  if (self->store == NULL)
    return;

  /* Deleted since it was found (by another program, or here). */
  live = roster_store_get_task (self->store, roster_task_get_id (task), &error);
  if (live != task)
    {
      if (error == NULL)
        g_set_error_literal (&error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND, "");
      _roster_window_show_error (self, error, ROSTER_SUBJECT_TASK);
      roster_find_bar_refresh (self->find_bar);
      return;
    }

  set_finding (self, FALSE, FALSE);
  _roster_window_select_user (self, roster_task_get_owner (task));
  select_and_focus_task (self, task);
}

static void
on_find_bar_closed_cb (RosterWindow *self)
{
  set_finding (self, FALSE, FALSE);
  focus_list (self);
}

/* Adding a task: the entry above the list (users and tags: the sidebar). */

static void
on_add_entry_activate_cb (RosterWindow *self)
{
  g_autoptr(GError) error = NULL;
  const char *title = gtk_editable_get_text (GTK_EDITABLE (self->add_entry));

  if (self->user == NULL)
    return;

  if (roster_edit_queue_create_task (self->edits, self->user, title, NULL, &error) == ROSTER_EDIT_FAILED)
    {
      /* Keep what was typed, say why. */
      roster_entry_error_show (GTK_WIDGET (self->add_entry), self->add_error, error, ROSTER_SUBJECT_TASK);
      return;
    }

  /* Saved, or kept until the file is free (the banner says so). */
  roster_entry_error_show (GTK_WIDGET (self->add_entry), self->add_error, NULL, ROSTER_SUBJECT_TASK);
  gtk_editable_set_text (GTK_EDITABLE (self->add_entry), "");
  /* The entry stays focused, ready for the next title. */
}

/* Escape leaves the entry, keeping what was typed, for the list: the
 * selected task, else the first, else the user the list belongs to. */
static gboolean
on_add_entry_key_pressed_cb (GtkEventControllerKey *controller,
                             guint                  keyval,
                             guint                  keycode,
                             GdkModifierType        state,
                             RosterWindow          *self)
{
  g_autoptr(RosterTask) first = NULL;
  RosterTask *task;
  GtkWidget *row;

  if (keyval != GDK_KEY_Escape)
    return FALSE;

  task = _roster_window_get_selected_task (self);
  if (task == NULL && g_list_model_get_n_items (G_LIST_MODEL (self->filtered_tasks)) > 0)
    task = first = g_list_model_get_item (G_LIST_MODEL (self->filtered_tasks), 0);

  if (task != NULL)
    select_and_focus_task (self, task);
  else if (self->user != NULL &&
           (row = _roster_window_find_sidebar_row (self, G_OBJECT (self->user))) != NULL)
    gtk_widget_grab_focus (gtk_widget_get_parent (row));
  return TRUE;
}

static void
on_add_entry_changed_cb (RosterWindow *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->add_error)))
    roster_entry_error_show (GTK_WIDGET (self->add_entry), self->add_error, NULL, ROSTER_SUBJECT_TASK);
}

/* Shows the store just opened: the lists, the user chosen last time, the
 * keyboard in the add entry (roster-window-open.c does the rest). */
void
_roster_window_show_store (RosterWindow *self)
{
  gint64 last_user = 0;

  gtk_stack_set_visible_child_name (self->main_stack, "store");
  if (self->details != NULL)
    roster_task_details_set_store (self->details, self->store);
  roster_find_bar_set_store (self->find_bar, self->store);

  _roster_window_watch_edits (self);

  self->users = roster_store_list_users (self->store);
  self->categories = roster_store_list_categories (self->store);

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    _roster_window_start_first_screen (self);
  roster_sidebar_set_store (self->sidebar, self->store);

  on_categories_items_changed_cb (self, 0, 0, g_list_model_get_n_items (self->categories));

  /* Connected after the selections, which are then up to date when these run. */
  g_signal_connect_object (self->users, "items-changed",
                           G_CALLBACK (on_users_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->categories, "items-changed",
                           G_CALLBACK (on_categories_items_changed_cb), self, G_CONNECT_SWAPPED);

  if (self->settings != NULL)
    last_user = g_settings_get_int64 (self->settings, "last-user");

  {
    g_autoptr(RosterUser) user = NULL;

    if (last_user > 0)
      user = roster_store_get_user (self->store, last_user, NULL);
    if (user == NULL && g_list_model_get_n_items (self->users) > 0)
      user = g_list_model_get_item (self->users, 0);
    _roster_window_select_user (self, user);
  }

  /* Ready to type a task (or, without users, to use the sidebar). */
  if (self->user != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->add_entry));

  _roster_window_update_content (self);
  _roster_window_update_actions (self);
}

/* Window state */

gboolean
_roster_window_closes_when_done (RosterWindow *self)
{
  return self->close_when_done;
}

static gboolean
roster_window_close_request (GtkWindow *window)
{
  RosterWindow *self = ROSTER_WINDOW (window);

  /* The file being prepared is left as it was; the window goes then. */
  if (_roster_window_stop_preparing (self))
    return TRUE;

  /* A big change being saved would be lost with the application: the
   * window stays (its bar shows how far it got, and says so) and closes
   * once it is done. */
  if (_roster_window_is_working (self))
    {
      self->close_when_done = TRUE;
      _roster_window_update_work_bar (self);
      return TRUE;
    }

  /* Notes being typed are saved before the window goes. */
  if (self->details != NULL)
    roster_task_details_set_task (self->details, NULL);

  /* Edits waiting for the file get a last try; if it is still not free,
   * the window stays until the person says to drop them. */
  if (self->edits != NULL && roster_edit_queue_get_n_waiting (self->edits) > 0)
    {
      roster_edit_queue_retry (self->edits);
      if (roster_edit_queue_get_n_waiting (self->edits) > 0)
        {
          _roster_window_ask_about_waiting_edits (self);
          return TRUE;
        }
    }

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
    }

  return GTK_WINDOW_CLASS (roster_window_parent_class)->close_request (window);
}

static void
roster_window_constructed (GObject *object)
{
  RosterWindow *self = ROSTER_WINDOW (object);

  G_OBJECT_CLASS (roster_window_parent_class)->constructed (object);

  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
  else
    gtk_window_set_default_size (GTK_WINDOW (self), 960, 640);

  if (self->path != NULL)
    _roster_window_open_store (self);
}

static void
roster_window_dispose (GObject *object)
{
  RosterWindow *self = ROSTER_WINDOW (object);

  _roster_window_destroy_details_dialog (self);

  _roster_window_forget_preparing (self);
  /* A change still running in the store keeps it (and this window) alive
   * until it is done; nothing here is to hear about it any more. */
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_handle_id (&self->pending_task_source, g_source_remove);
  g_clear_object (&self->pending_task);
  _roster_window_sync_dispose (self);

  if (self->filtered_tasks != NULL)
    gtk_filter_list_model_set_model (self->filtered_tasks, NULL);
  if (self->task_list != NULL)
    gtk_list_view_set_model (self->task_list, NULL);

  g_clear_handle_id (&self->menus_idle, g_source_remove);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->backup_thread != NULL)
    g_thread_join (g_steal_pointer (&self->backup_thread));
  /* Destroyed without a close request (the application quitting): too late
   * to ask, so the log says what was not saved. Edits that widgets make
   * from now on (a field left as it goes) go straight to the store. */
  _roster_window_unwatch_edits (self);
  if (self->unsaved_dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->unsaved_dialog), (gpointer *) &self->unsaved_dialog);
  self->unsaved_dialog = NULL;
  _roster_window_forget_change_toast (self);
  g_clear_pointer (&self->task_popover, gtk_widget_unparent);
  g_clear_pointer (&self->user_popover, gtk_widget_unparent);
  g_clear_pointer (&self->tag_popover, gtk_widget_unparent);
  g_clear_object (&self->tag_menu);

  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_WINDOW);
  self->details = NULL;   /* went with its bin */

  g_clear_object (&self->task_selection);
  g_clear_object (&self->task_slice);
  g_clear_object (&self->filtered_tasks);
  g_clear_object (&self->user);
  g_clear_object (&self->category);
  g_clear_object (&self->base_tasks);
  g_clear_object (&self->users);
  g_clear_object (&self->categories);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_pointer (&self->enabled_actions, g_hash_table_unref);

  G_OBJECT_CLASS (roster_window_parent_class)->dispose (object);
}

static void
roster_window_finalize (GObject *object)
{
  RosterWindow *self = ROSTER_WINDOW (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_error (&self->open_error);
  g_clear_pointer (&self->work_description, g_free);
  g_clear_pointer (&self->work_text, g_free);

  G_OBJECT_CLASS (roster_window_parent_class)->finalize (object);
}

static void
roster_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RosterWindow *self = ROSTER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_SORT_ORDER:
      g_value_set_string (value, _roster_window_sort_order_name (self->sort_order));
      break;
    case PROP_HIDE_DONE:
      g_value_set_boolean (value, self->hide_done);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  RosterWindow *self = ROSTER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    case PROP_SORT_ORDER:
      _roster_window_set_sort_order (self, g_value_get_string (value));
      break;
    case PROP_HIDE_DONE:
      _roster_window_set_hide_done (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_window_class_init (RosterWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = roster_window_constructed;
  object_class->dispose = roster_window_dispose;
  object_class->finalize = roster_window_finalize;
  object_class->get_property = roster_window_get_property;
  object_class->set_property = roster_window_set_property;
  window_class->close_request = roster_window_close_request;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* How the list shown is sorted (roster-window-sort.c), for win.sort-by
   * and win.hide-done. */
  properties[PROP_SORT_ORDER] =
    g_param_spec_string ("sort-order", NULL, NULL, "manual",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HIDE_DONE] =
    g_param_spec_boolean ("hide-done", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ROSTER_TYPE_TASK_DETAILS);
  g_type_ensure (ROSTER_TYPE_FIND_BAR);
  g_type_ensure (ROSTER_TYPE_SIDEBAR);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rosterapp/Roster/roster-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, restore_button);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, sidebar_flap);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, details_flap);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, content_header);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, details_button);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, work_bar);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, work_label);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, work_progress);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, waiting_bar);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, waiting_label);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, add_box);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, add_entry);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, add_error);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, task_list);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, sort_note);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, show_done_button);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, find_bar);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, details_bin);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, main_menu);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, task_menu);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, user_menu);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, tag_color_menu);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, history_section);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_item_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_plan_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_item_added_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_task_list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, _roster_window_on_show_done_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_search_button_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_find_bar_task_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_find_bar_closed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_entry_changed_cb);

  _roster_window_class_actions_init (widget_class);
  _roster_window_sync_class_init (widget_class);
}

static void
roster_window_init (RosterWindow *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = create_settings ();
  self->enabled_actions = g_hash_table_new (g_str_hash, g_str_equal);

  /* No filter for now: a model whose source follows the selection. */
  self->filtered_tasks = gtk_filter_list_model_new (NULL, NULL);
  self->task_slice = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->filtered_tasks)), 0, G_MAXUINT);
  self->task_selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->task_slice)));
  gtk_single_selection_set_autoselect (self->task_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->task_selection, TRUE);
  g_signal_connect_object (self->task_selection, "notify::selected-item",
                           G_CALLBACK (on_task_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (on_focus_widget_notify_cb), NULL);
  _roster_window_lists_init (self);
  gtk_list_view_set_model (self->task_list, GTK_SELECTION_MODEL (self->task_selection));
  /* After the selection model's own handler, so rows exist when this runs. */
  g_signal_connect_object (self->filtered_tasks, "items-changed",
                           G_CALLBACK (on_filtered_tasks_items_changed_cb), self, G_CONNECT_SWAPPED);

  g_object_bind_property (self->sidebar_flap, "reveal-flap",
                          self->sidebar_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->details_flap, "reveal-flap",
                          self->details_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  _roster_window_details_init (self);
  _roster_window_import_init (self);
  _roster_window_sync_init (self);
  g_object_bind_property (self->sidebar_flap, "folded",
                          self->details_button, "visible",
                          G_BINDING_INVERT_BOOLEAN | G_BINDING_SYNC_CREATE);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_add_entry_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->add_entry), controller);

  _roster_window_actions_init (self);
  _roster_window_update_content (self);
}

RosterWindow *
roster_window_new (GtkApplication *application,
                   const char     *path)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  return g_object_new (ROSTER_TYPE_WINDOW,
                       "application", application,
                       "path", path,
                       NULL);
}

const char *
roster_window_get_path (RosterWindow *self)
{
  g_return_val_if_fail (ROSTER_IS_WINDOW (self), NULL);

  return self->path;
}

RosterStore *
roster_window_get_store (RosterWindow *self)
{
  g_return_val_if_fail (ROSTER_IS_WINDOW (self), NULL);

  return self->store;
}

/**
 * roster_window_show_task:
 * @task: a task of the window's store
 *
 * Shows @task selected in its owner's list, with the keyboard on it, as a
 * result activated in Find does (the search provider's results).
 */
void
roster_window_show_task (RosterWindow *self,
                         RosterTask   *task)
{
  g_return_if_fail (ROSTER_IS_WINDOW (self));
  g_return_if_fail (ROSTER_IS_TASK (task));

  on_find_bar_task_activated_cb (self, task);
}

/**
 * roster_window_find:
 * @text: what to find
 *
 * Opens Find with @text in its entry and its results shown (the search
 * provider's "search in Roster").
 */
void
roster_window_find (RosterWindow *self,
                    const char   *text)
{
  g_return_if_fail (ROSTER_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  roster_find_bar_set_text (self->find_bar, text);
  set_finding (self, TRUE, TRUE);
}
