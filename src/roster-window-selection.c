/* roster-window-selection.c: what the window has selected and what its
 * content shows.
 *
 * The selection is a user, a tag or a Plan view in the sidebar, and a task
 * in the list shown; the content is the title, the task list (or an empty
 * state saying what to do) and, while finding, Find (roster-window-find.c).
 * The selection follows the store's lists (a user or tag that goes leaves
 * its neighbour selected) and the keyboard (a focused row is the selected
 * task); _roster_window_show_store() starts it all for a store just opened.
 */
#define G_LOG_DOMAIN "roster-window"

#include <glib/gi18n.h>

#include "roster-entry-error.h"
#include "roster-list-util.h"
#include "roster-task-row.h"
#include "roster-window-private.h"

/* TRUE when the focus went with a removed row. GTK 4.8 may leave the window
 * pointing at a widget no longer in it, so a NULL check is not enough. */
gboolean
_roster_window_focus_is_lost (RosterWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  /* Also a field hidden under the keyboard: a list view's row bound to
   * another item ends its rename. (Not "unmapped": a row the list view has
   * just made for the focus is not mapped until the next frame.) */
  return focus == NULL || gtk_widget_get_root (focus) != GTK_ROOT (self) ||
         !gtk_widget_is_visible (focus);
}

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
void
_roster_window_select_and_focus_task (RosterWindow *self,
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

/* The empty state in place of the list: an icon, a title and what to do. */
static void
show_empty_state (RosterWindow *self,
                  const char   *icon_name,
                  const char   *title,
                  const char   *description)
{
  adw_status_page_set_icon_name (self->empty_page, icon_name);
  adw_status_page_set_title (self->empty_page, title);
  adw_status_page_set_description (self->empty_page, description);
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

  if (self->plan == ROSTER_PLAN_TODAY)
    show_empty_state (self, "alarm-symbolic", _("Nothing Due Today"),
                      _("Open tasks of every user due today or earlier show up here."));
  else if (self->plan != ROSTER_PLAN_NONE)
    show_empty_state (self, "x-office-calendar-symbolic", _("Nothing Due Soon"),
                      _("Open tasks of every user due in the next two weeks show up here, day by day."));
  else if (n_users == 0 && self->category == NULL)
    show_empty_state (self, "system-users-symbolic", _("No Users Yet"),
                      _("Add the first person who gets tasks: press Shift+Ctrl+N, or the New User button in the sidebar."));
  else if (self->user != NULL)
    show_empty_state (self, "checkbox-checked-symbolic", _("No Tasks Yet"),
                      _("Type a title in the field above and press Enter to give this user a task."));
  else if (self->category != NULL)
    show_empty_state (self, "bookmark-new-symbolic", _("No Tasks With This Tag"),
                      _("Select a task and press Ctrl+T to give it this tag."));
  else
    show_empty_state (self, "system-users-symbolic", _("No User Selected"),
                      _("Select a user in the sidebar to see their tasks."));

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
  if (removed > 0 && !self->finding && _roster_window_focus_is_lost (self) &&
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

/* Selects @user or @category (one of them, or neither) in the sidebar and
 * shows its list, unless that list shows already; one the sidebar does not
 * have leaves nothing selected. */
static void
select_in_sidebar (RosterWindow   *self,
                   RosterUser     *user,
                   RosterCategory *category)
{
  gboolean found;

  if (self->store == NULL)
    return;

  found = roster_sidebar_select (self->sidebar, user != NULL ? G_OBJECT (user) : G_OBJECT (category));
  if (user != self->user || category != self->category || self->plan != ROSTER_PLAN_NONE)
    set_current (self, found ? user : NULL, found ? category : NULL, ROSTER_PLAN_NONE);
}

void
_roster_window_select_user (RosterWindow *self,
                            RosterUser   *user)
{
  select_in_sidebar (self, user, NULL);
}

void
_roster_window_select_category (RosterWindow   *self,
                                RosterCategory *category)
{
  select_in_sidebar (self, NULL, category);
}

/* A user or tag chosen in the sidebar (a click, the arrow keys, a right
 * click): its list, not Find. */
void
_roster_window_choose_sidebar_item (RosterWindow *self,
                                    GObject      *item)
{
  _roster_window_stop_finding (self);
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

  _roster_window_stop_finding (self);
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
  _roster_window_stop_finding (self);
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

  _roster_window_stop_finding (self);
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
      if (_roster_window_focus_is_lost (self))
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
          if (_roster_window_focus_is_lost (self))
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

/* The list shown and its selection: a model whose source follows what is
 * selected, cut for the first frame (roster-window-lists.c). */
void
_roster_window_selection_init (RosterWindow *self)
{
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
}

void
_roster_window_selection_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_item_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_plan_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_item_added_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_task_list_activate_cb);
}
