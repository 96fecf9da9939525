/* roster-window-lists.c: the window's list plumbing: the first frame's
 * slices, the task list's rows, finding a row, giving the keyboard back to
 * a row, and the right-click menus.
 *
 * The window has three GtkListViews: the task list (here) and the sidebar's
 * users and tags (RosterSidebar). Each makes rows for what it shows and binds
 * them to one item after another; code that needs the row of an item asks
 * _roster_window_find_task_row() or _roster_window_find_sidebar_row().
 */
#define G_LOG_DOMAIN "roster-window-lists"

#include <glib/gi18n.h>

#include "roster-list-util.h"
#include "roster-sidebar-row.h"
#include "roster-task-row.h"
#include "roster-window-private.h"

/* The first frame
 *
 * GTK 4.8's list view makes and binds a row for up to 200 items as soon as
 * it has a model, whether they are on screen or not: 600 rows for the three
 * lists of a big file, most of the time to the first frame. So each list
 * view first gets a slice of its model a screenful long, cut before the
 * list view sees the model; from the frame after the first one on, the
 * slices grow a little a frame until they are the whole list
 * (roster-list-util.c). Whatever the window selects or scrolls to shows the
 * whole list at once (roster_slice_show_position()).
 */

/* The shortest rows: a sidebar row, and a task row with a title only (38
 * and 50 px apart with Adwaita's fonts here; a little less, for smaller
 * fonts), and what is above the task list (header bar, add-task entry:
 * ~100 px here). */
#define MIN_SIDEBAR_ROW_HEIGHT 38
#define MIN_TASK_ROW_HEIGHT    44
#define ABOVE_TASK_LIST        90

/* A key pressed in a list while the lists still fill in (the first frames
 * of a window): End or Page Down must reach the list's real end, not the
 * end of what it shows so far. */
static void
show_whole_lists (RosterWindow *self)
{
  roster_sidebar_show_whole (self->sidebar);
  roster_slice_show_whole (self->task_slice);
}

static gboolean
on_task_list_key_pressed_cb (GtkEventControllerKey *controller,
                             guint                  keyval,
                             guint                  keycode,
                             GdkModifierType        state,
                             RosterWindow          *self)
{
  show_whole_lists (self);
  return FALSE;
}

/* On the sidebar, before its lists' own keys (the arrows that go on from
 * one list to the other): not for its text fields. */
static gboolean
on_sidebar_key_pressed_cb (GtkEventControllerKey *controller,
                           guint                  keyval,
                           guint                  keycode,
                           GdkModifierType        state,
                           RosterWindow          *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (focus != NULL &&
      (gtk_widget_is_ancestor (focus, roster_sidebar_get_user_list (self->sidebar)) ||
       gtk_widget_is_ancestor (focus, roster_sidebar_get_tag_list (self->sidebar))))
    show_whole_lists (self);
  return FALSE;
}

/* The height the window will have: its default one, or its monitor's. */
static int
first_screen_height (RosterWindow *self)
{
  int width = 0, height = 0;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (gtk_window_is_maximized (GTK_WINDOW (self)) || gtk_window_is_fullscreen (GTK_WINDOW (self)) ||
      height <= 0)
    {
      GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));

      for (guint i = 0; i < g_list_model_get_n_items (monitors); i++)
        {
          g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, i);
          GdkRectangle geometry;

          gdk_monitor_get_geometry (monitor, &geometry);
          height = MAX (height, geometry.height);
        }
    }
  return MAX (height, 480);
}

static gboolean make_menus_cb (gpointer data);

static gboolean
grow_lists_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  RosterWindow *self = ROSTER_WINDOW (widget);
  gboolean tasks_grow, sidebar_grows;

  /* The first tick is the first frame's: it is painted as it is. */
  if (self->first_frame < 0)
    {
      self->first_frame = gdk_frame_clock_get_frame_counter (clock);
      return G_SOURCE_CONTINUE;
    }
  if (gdk_frame_clock_get_frame_counter (clock) == self->first_frame)
    return G_SOURCE_CONTINUE;

  tasks_grow = roster_slice_grow (self->task_slice);
  sidebar_grows = roster_sidebar_grow (self->sidebar);
  if (tasks_grow || sidebar_grows)
    return G_SOURCE_CONTINUE;
  self->grow_tick = 0;
  /* The lists are whole: now the menus (see make_menus_cb()). */
  if (self->menus_idle == 0)
    self->menus_idle = g_idle_add_full (G_PRIORITY_LOW, make_menus_cb, self, NULL);
  return G_SOURCE_REMOVE;
}

gboolean
_roster_window_lists_are_growing (RosterWindow *self)
{
  return self->grow_tick != 0;
}

/* Cuts every list to a screenful until the window has painted its first
 * frame. Called with the store's lists, before the sidebar shows them. */
void
_roster_window_start_first_screen (RosterWindow *self)
{
  int height = first_screen_height (self);
  guint rows = height / MIN_SIDEBAR_ROW_HEIGHT + 1;
  guint n_users = g_list_model_get_n_items (self->users);
  guint n_tags = g_list_model_get_n_items (self->categories);

  /* The sidebar's two lists share its height (a GtkBox gives each at least
   * half of it, and one the part the other does not need). */
  roster_sidebar_limit_rows (self->sidebar, rows - MIN (n_tags, rows / 2), rows - MIN (n_users, rows / 2));
  gtk_slice_list_model_set_size (self->task_slice, (height - ABOVE_TASK_LIST) / MIN_TASK_ROW_HEIGHT + 1);
  self->first_frame = -1;
  if (self->grow_tick == 0)
    self->grow_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), grow_lists_cb, NULL, NULL);
}

/* Task rows: made by the list view for the visible items only, and bound
 * to one task after another as the list scrolls. */
static void
on_task_factory_setup_cb (GtkSignalListItemFactory *factory,
                          GtkListItem              *item,
                          RosterWindow             *self)
{
  gtk_list_item_set_child (item, roster_task_row_new (self->store));
}

/* Upcoming's day headings (GTK 4.8's list view has no sections): the
 * first task of each day shows the day above it, in its own row, so that
 * every row stays one task for the keyboard and the accessibility tree. */
static guint32
due_day (RosterTask *task)
{
  GDateTime *due = task != NULL ? roster_task_get_due_date (task) : NULL;
  GDate date;

  if (due == NULL)
    return 0;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (due), g_date_time_get_month (due),
                  g_date_time_get_year (due));
  return g_date_get_julian (&date);
}

static void
update_heading (RosterWindow *self,
                GtkListItem  *item)
{
  RosterTaskRow *row = ROSTER_TASK_ROW (gtk_list_item_get_child (item));
  guint position = gtk_list_item_get_position (item);
  g_autofree char *heading = NULL;
  guint32 day;

  if (self->plan == ROSTER_PLAN_UPCOMING && position != GTK_INVALID_LIST_POSITION &&
      (day = due_day (gtk_list_item_get_item (item))) != 0)
    {
      g_autoptr(RosterTask) before = NULL;

      if (position > 0)
        before = g_list_model_get_item (G_LIST_MODEL (self->filtered_tasks), position - 1);
      if (before == NULL || due_day (before) != day)
        heading = roster_messages_format_day_heading (day, roster_store_get_today (self->store));
    }
  roster_task_row_set_heading (row, heading);
}

void
_roster_window_update_headings (RosterWindow *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->task_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);
      GtkListItem *item = row != NULL ? g_object_get_data (G_OBJECT (row), "roster-list-item") : NULL;

      if (item != NULL)
        update_heading (self, item);
    }
}

static void
on_task_factory_bind_cb (GtkSignalListItemFactory *factory,
                         GtkListItem              *item,
                         RosterWindow             *self)
{
  RosterTaskRow *row = ROSTER_TASK_ROW (gtk_list_item_get_child (item));

  roster_task_row_set_show_owner (row, self->category != NULL || self->plan != ROSTER_PLAN_NONE);
  /* A drop reorders the owner's list: only in the order it shows. */
  roster_task_row_set_reorderable (row, self->sort_order == ROSTER_SORT_MANUAL && self->plan == ROSTER_PLAN_NONE);
  roster_task_row_set_task (row, gtk_list_item_get_item (item));
  /* Not a reference: the item holds the row. */
  g_object_set_data (G_OBJECT (row), "roster-list-item", item);
  update_heading (self, item);
}

static void
on_task_factory_unbind_cb (GtkSignalListItemFactory *factory,
                           GtkListItem              *item,
                           RosterWindow             *self)
{
  g_object_set_data (G_OBJECT (gtk_list_item_get_child (item)), "roster-list-item", NULL);
  roster_task_row_set_task (ROSTER_TASK_ROW (gtk_list_item_get_child (item)), NULL);
}

/* The row showing @task, if the list view made one (it is visible). */
GtkWidget *
_roster_window_find_task_row (RosterWindow *self,
                              RosterTask   *task)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->task_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);

      if (row != NULL && ROSTER_IS_TASK_ROW (row) &&
          roster_task_row_get_task (ROSTER_TASK_ROW (row)) == task)
        return row;
    }
  return NULL;
}

/* The row of @item (a user or a tag), scrolled into view first so that the
 * list view has made it. Giving it the focus gives it to its list item. */
GtkWidget *
_roster_window_find_sidebar_row (RosterWindow *self,
                                 GObject      *item)
{
  return roster_sidebar_find_row (self->sidebar, item);
}

/* The keyboard back on a row
 *
 * A popover opened from the keyboard for a task (Ctrl+T's tags popover) gives
 * the keyboard back to the task's row when it closes. GTK leaves it on what
 * the popover hangs from, the row's tags button, where Space would open the
 * popover again instead of marking the task done. (The context menu and the
 * dialogs need nothing: GTK gives the focus back to the row itself.) */

typedef struct
{
  GWeakRef    window;
  RosterTask *task;
} ReturnFocus;

static ReturnFocus *
return_focus_new (RosterWindow *self,
                  RosterTask   *task)
{
  ReturnFocus *rf = g_new0 (ReturnFocus, 1);

  g_weak_ref_init (&rf->window, self);
  rf->task = g_object_ref (task);
  return rf;
}

static void
return_focus_free (gpointer data)
{
  ReturnFocus *rf = data;

  g_weak_ref_clear (&rf->window);
  g_clear_object (&rf->task);
  g_free (rf);
}

/* From an idle, once GTK has moved the focus itself. */
static gboolean
return_focus_cb (gpointer data)
{
  ReturnFocus *rf = data;
  g_autoptr(RosterWindow) self = g_weak_ref_get (&rf->window);
  GtkWidget *row, *focus;

  if (self == NULL || self->store == NULL)
    return G_SOURCE_REMOVE;

  /* Not when the row is gone, nor when the person has put the keyboard
   * somewhere else than the list meanwhile. */
  row = _roster_window_find_task_row (self, rf->task);
  focus = gtk_root_get_focus (GTK_ROOT (self));
  if (row != NULL && (focus == NULL || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->task_list))))
    gtk_widget_grab_focus (gtk_widget_get_parent (row));
  return G_SOURCE_REMOVE;
}

static void
on_opened_closed_cb (GtkPopover  *popover,
                     ReturnFocus *rf)
{
  g_autoptr(RosterWindow) self = g_weak_ref_get (&rf->window);

  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, return_focus_cb, return_focus_new (self, rf->task),
                   return_focus_free);
  /* Once: the same popover may open again later, by a click. */
  g_signal_handlers_disconnect_by_data (popover, rf);
}

/* When @popover, opened from the keyboard for @task, closes, the keyboard
 * goes back to the task's row. */
void
_roster_window_return_focus_on_close (RosterWindow *self,
                                      GtkPopover   *popover,
                                      RosterTask   *task)
{
  g_return_if_fail (ROSTER_IS_WINDOW (self));
  g_return_if_fail (GTK_IS_POPOVER (popover));
  g_return_if_fail (ROSTER_IS_TASK (task));

  /* Opened again before it closed: one return is enough. */
  g_signal_handlers_disconnect_matched (popover, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        on_opened_closed_cb, NULL);
  g_signal_connect_data (popover, "closed", G_CALLBACK (on_opened_closed_cb),
                         return_focus_new (self, task),
                         (GClosureNotify) (void (*) (void)) return_focus_free, 0);
}

/* Menus */

/* Context menus: a right click selects the row under the pointer, gives it
 * the focus (so the window's actions target it) and opens the row's menu. */
static void
on_list_pressed_cb (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    RosterWindow    *self)
{
  GtkWidget *list = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *picked = gtk_widget_pick (list, x, y, GTK_PICK_DEFAULT);
  GtkWidget *popover;

  if (list == GTK_WIDGET (self->task_list))
    {
      GtkWidget *row = picked != NULL ? gtk_widget_get_ancestor (picked, ROSTER_TYPE_TASK_ROW) : NULL;

      if (row == NULL || roster_task_row_get_task (ROSTER_TASK_ROW (row)) == NULL)
        return;
      _roster_window_select_task (self, roster_task_row_get_task (ROSTER_TASK_ROW (row)), TRUE);
    }
  else
    {
      GtkWidget *row = picked != NULL ? gtk_widget_get_ancestor (picked, ROSTER_TYPE_SIDEBAR_ROW) : NULL;
      GObject *item = row != NULL ? roster_sidebar_row_get_item (ROSTER_SIDEBAR_ROW (row)) : NULL;

      if (item == NULL)
        return;
      _roster_window_choose_sidebar_item (self, item);
      gtk_widget_grab_focus (row);
    }

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  _roster_window_update_actions (self);

  popover = _roster_window_ensure_context_menu (self, list);
  gtk_popover_set_pointing_to (GTK_POPOVER (popover), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (popover));
}

/* Where the menu of @list is kept, and its model. */
static GtkWidget **
context_menu_of (RosterWindow  *self,
                 GtkWidget     *list,
                 GMenuModel   **model)
{
  if (list == GTK_WIDGET (self->task_list))
    {
      *model = self->task_menu;
      return &self->task_popover;
    }
  if (list == roster_sidebar_get_user_list (self->sidebar))
    {
      *model = self->user_menu;
      return &self->user_popover;
    }
  *model = self->tag_menu;
  return &self->tag_popover;
}

GtkWidget *
_roster_window_get_context_menu (RosterWindow *self,
                                 GtkWidget    *list)
{
  GMenuModel *model;

  return *context_menu_of (self, list, &model);
}

GMenuModel *
_roster_window_get_context_menu_model (RosterWindow *self,
                                       GtkWidget    *list)
{
  GMenuModel *model;

  context_menu_of (self, list, &model);
  return model;
}

/* The menu a right click on @list (or the Menu key) opens, made after the
 * first frame (make_menus_cb()) or when first needed: an empty window's
 * start-up is shorter without three popover menus nobody has opened yet. */
GtkWidget *
_roster_window_ensure_context_menu (RosterWindow *self,
                                    GtkWidget    *list)
{
  GMenuModel *model;
  GtkWidget **popover = context_menu_of (self, list, &model);

  if (*popover == NULL)
    {
      *popover = gtk_popover_menu_new_from_model (model);
      gtk_widget_set_parent (*popover, list);
      gtk_popover_set_has_arrow (GTK_POPOVER (*popover), FALSE);
      gtk_widget_set_halign (*popover, GTK_ALIGN_START);
    }
  return *popover;
}

/* The right-click menus are made after the first frame, once the lists are
 * whole, rather than when first opened: a popover menu made and popped up at
 * once is measured before its style is, and showed its last item cut off. */
static gboolean
make_menus_cb (gpointer data)
{
  RosterWindow *self = ROSTER_WINDOW (data);

  self->menus_idle = 0;
  _roster_window_ensure_context_menu (self, GTK_WIDGET (self->task_list));
  _roster_window_ensure_context_menu (self, roster_sidebar_get_user_list (self->sidebar));
  _roster_window_ensure_context_menu (self, roster_sidebar_get_tag_list (self->sidebar));
  return G_SOURCE_REMOVE;
}

/* The main menu's popover, made when it first opens (see above). */
static void
create_main_menu_cb (GtkMenuButton *button,
                     gpointer       user_data)
{
  RosterWindow *self = ROSTER_WINDOW (user_data);

  gtk_menu_button_set_menu_model (button, self->main_menu);
}

static void
add_context_menu (RosterWindow *self,
                  GtkWidget    *list)
{
  GtkGesture *gesture = gtk_gesture_click_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_list_pressed_cb), self);
  gtk_widget_add_controller (list, GTK_EVENT_CONTROLLER (gesture));
}

/* The task list's rows, the menus of the three lists, and the keys that
 * show the lists whole. */
void
_roster_window_lists_init (RosterWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkEventController *controller;

  g_signal_connect (factory, "setup", G_CALLBACK (on_task_factory_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_task_factory_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_task_factory_unbind_cb), self);
  gtk_list_view_set_factory (self->task_list, factory);
  g_object_unref (factory);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_task_list_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->task_list), controller);
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_sidebar_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->sidebar), controller);

  {
    GMenu *tag_menu = g_menu_new ();

    g_menu_append (tag_menu, _("Re_name"), "win.rename");
    g_menu_append_submenu (tag_menu, _("_Colour"), self->tag_color_menu);
    g_menu_append (tag_menu, _("_Delete"), "win.delete");
    self->tag_menu = G_MENU_MODEL (tag_menu);
  }
  gtk_menu_button_set_create_popup_func (self->menu_button, create_main_menu_cb, self, NULL);
  add_context_menu (self, GTK_WIDGET (self->task_list));
  add_context_menu (self, roster_sidebar_get_user_list (self->sidebar));
  add_context_menu (self, roster_sidebar_get_tag_list (self->sidebar));
}
