/* roster-window.c: the main window's structure, selection and lists.
 *
 * The sidebar shows the store's user and category lists; the content shows
 * the selected user's (or tag's) task list, or, while finding (Ctrl+F), Find's
 * results over every user's tasks (RosterFindBar). Big changes (deleting a
 * user with thousands of tasks, undoing that) run off the main thread with a
 * progress bar over the list. The window opens its store itself, so a file
 * that cannot be opened becomes a status page instead of a crash. Actions
 * live in roster-window-actions.c.
 */
#define G_LOG_DOMAIN "roster-window"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-messages.h"
#include "roster-sidebar-row.h"
#include "roster-task-row.h"
#include "roster-window-private.h"

G_DEFINE_FINAL_TYPE (RosterWindow, roster_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PATH,
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

static guint
find_item (GListModel *model,
           gpointer    item)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) other = g_list_model_get_item (model, i);

      if (other == item)
        return i;
    }
  return G_MAXUINT;
}

/* The first frame
 *
 * GTK 4.8's list view makes and binds a row for up to 200 items as soon as
 * it has a model, whether they are on screen or not: 600 rows for the three
 * lists of a big file, most of the time to the first frame. So each list
 * view first gets a slice of its model a screenful long; from the frame
 * after the first one on, each slice grows by GROW_ROWS a frame (so that no
 * frame makes many rows) until it is longer than what GTK makes, then it is
 * the whole model. (Newer GTKs make only the rows on screen: there the
 * slices cost nothing.) Whatever the window selects or scrolls to shows the
 * whole list at once: show_position(). */

/* The shortest rows: a sidebar row, and a task row with a title only (38
 * and 50 px apart with Adwaita's fonts here; a little less, for smaller
 * fonts), and what is above the task list (header bar, add-task entry:
 * ~100 px here). */
#define MIN_SIDEBAR_ROW_HEIGHT 38
#define MIN_TASK_ROW_HEIGHT    44
#define ABOVE_TASK_LIST        90
#define GROW_ROWS      10
/* Past this size a slice becomes the whole model: GTK 4.8 makes no more rows. */
#define GROW_LIMIT     210

static void
show_whole (GtkSliceListModel *slice)
{
  if (slice != NULL && gtk_slice_list_model_get_size (slice) != G_MAXUINT)
    gtk_slice_list_model_set_size (slice, G_MAXUINT);
}

/* Makes sure @position of @slice's model is in the slice. */
static void
show_position (GtkSliceListModel *slice,
               guint              position)
{
  if (slice != NULL && position != G_MAXUINT && position >= gtk_slice_list_model_get_size (slice))
    show_whole (slice);
}

/* A key pressed in a list while the lists still fill in (the first frames
 * of a window): End or Page Down must reach the list's real end, not the
 * end of what it shows so far. */
static void
show_whole_lists (RosterWindow *self)
{
  show_whole (self->user_slice);
  show_whole (self->tag_slice);
  show_whole (self->task_slice);
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
  GtkSliceListModel *slices[] = { self->task_slice, self->user_slice, self->tag_slice };
  gboolean growing = FALSE;

  /* The first tick is the first frame's: it is painted as it is. */
  if (self->first_frame < 0)
    {
      self->first_frame = gdk_frame_clock_get_frame_counter (clock);
      return G_SOURCE_CONTINUE;
    }
  if (gdk_frame_clock_get_frame_counter (clock) == self->first_frame)
    return G_SOURCE_CONTINUE;

  for (guint i = 0; i < G_N_ELEMENTS (slices); i++)
    {
      guint size = slices[i] != NULL ? gtk_slice_list_model_get_size (slices[i]) : G_MAXUINT;

      if (size == G_MAXUINT)
        continue;
      if (size >= GROW_LIMIT ||
          size >= g_list_model_get_n_items (gtk_slice_list_model_get_model (slices[i])))
        show_whole (slices[i]);
      else
        {
          gtk_slice_list_model_set_size (slices[i], size + GROW_ROWS);
          growing = TRUE;
        }
    }
  if (growing)
    return G_SOURCE_CONTINUE;
  self->grow_tick = 0;
  /* The lists are whole: now the menus (see make_menus_cb()). */
  if (self->menus_idle == 0)
    self->menus_idle = g_idle_add_full (G_PRIORITY_LOW, make_menus_cb, self, NULL);
  return G_SOURCE_REMOVE;
}

/* Cuts every list to a screenful until the window has painted its first frame. */
static void
start_first_screen (RosterWindow *self)
{
  int height = first_screen_height (self);
  guint rows = height / MIN_SIDEBAR_ROW_HEIGHT + 1;
  guint n_users = g_list_model_get_n_items (self->users);
  guint n_tags = g_list_model_get_n_items (self->categories);

  /* The sidebar's two lists share its height (a GtkBox gives each at least
   * half of it, and one the part the other does not need). */
  gtk_slice_list_model_set_size (self->user_slice, rows - MIN (n_tags, rows / 2));
  gtk_slice_list_model_set_size (self->tag_slice, rows - MIN (n_users, rows / 2));
  gtk_slice_list_model_set_size (self->task_slice, (height - ABOVE_TASK_LIST) / MIN_TASK_ROW_HEIGHT + 1);
  self->first_frame = -1;
  if (self->grow_tick == 0)
    self->grow_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), grow_lists_cb, NULL, NULL);
}

/* Errors */

/* A change toast shown less than this long ago may still be sliding in. */
#define CHANGE_TOAST_SETTLE_US (G_USEC_PER_SEC)

static void
forget_change_toast (RosterWindow *self)
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

      forget_change_toast (self);
      adw_toast_dismiss (old);
    }
  self->change_toast = toast;
  self->change_toast_time = g_get_monotonic_time ();
  g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) &self->change_toast);
  /* Gone (timed out, closed): never changed in place again. */
  g_signal_connect_swapped (toast, "dismissed", G_CALLBACK (forget_change_toast), self);
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

static void
set_entry_error (GtkEntry      *entry,
                 GtkLabel      *label,
                 const GError  *error,
                 RosterSubject  subject)
{
  g_autofree char *message = NULL;

  gtk_widget_set_visible (GTK_WIDGET (label), error != NULL);
  if (error == NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      return;
    }

  message = roster_messages_describe_error (error, subject);
  gtk_label_set_label (label, message);
  gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                  -1);
}

/* Edits waiting for the file
 *
 * Every change goes through the store's RosterEditQueue (roster-edit-queue.c),
 * which keeps one the file refuses for now (another program holds it, the
 * store saves a big change, the disk is full) and makes it again later, in
 * order. The window binds to it: the banner over the list says why edits
 * wait, a toast says how a deletion of a user ended, and the window asks
 * before it closes with edits not saved yet ("Window state").
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
static void
update_waiting_edits (RosterWindow *self)
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
  update_waiting_edits (self);
  close_if_done (self);
}

/* What the bar over the list says while the store works. */
static void
update_work_bar (RosterWindow *self)
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

/* Binds the window to the queue of the store it just opened. */
static void
watch_edits (RosterWindow *self)
{
  self->edits = g_object_ref (roster_edit_queue_get_for_store (self->store));
  g_signal_connect_swapped (self->edits, "notify::n-waiting", G_CALLBACK (update_waiting_edits), self);
  g_signal_connect_swapped (self->edits, "notify::waiting-error", G_CALLBACK (update_waiting_edits), self);
  g_signal_connect_swapped (self->edits, "notify::working", G_CALLBACK (on_edits_working_notify_cb), self);
  g_signal_connect_swapped (self->edits, "edit-dropped", G_CALLBACK (on_edit_dropped_cb), self);
  g_signal_connect_swapped (self->edits, "delete-user-done", G_CALLBACK (on_delete_user_done_cb), self);
}

/* Lets go of the queue, and of the edits still waiting in it, leaving a
 * trace in the log; edits made from now on go straight to the store. */
static void
unwatch_edits (RosterWindow *self)
{
  if (self->edits == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->edits, self);
  roster_edit_queue_close (self->edits);
  g_clear_object (&self->edits);
}

/* Rows */

static void set_finding (RosterWindow *self,
                         gboolean      finding,
                         gboolean      restore_focus);

/* Sidebar rows: as task rows, made by the list views for what they show
 * (users and tags alike), and bound to one item after another. */
static void
on_sidebar_factory_setup_cb (GtkSignalListItemFactory *factory,
                             GtkListItem              *item,
                             RosterWindow             *self)
{
  gtk_list_item_set_child (item, roster_sidebar_row_new (self->store));
}

static void
on_sidebar_factory_bind_cb (GtkSignalListItemFactory *factory,
                            GtkListItem              *item,
                            RosterWindow             *self)
{
  roster_sidebar_row_set_item (ROSTER_SIDEBAR_ROW (gtk_list_item_get_child (item)),
                               gtk_list_item_get_item (item));
}

static void on_sidebar_selected_cb (RosterWindow       *self,
                                    GParamSpec         *pspec,
                                    GtkSingleSelection *selection);

/* Nothing selected until the window selects; nothing else either: the
 * selected item removed leaves no selection, and the window picks the next.
 * A person cannot unselect (Ctrl+click): a list is always shown for the
 * selected user or tag. The window itself unselects with set_selected(). */
static GtkSingleSelection *
new_sidebar_selection (RosterWindow      *self,
                       GtkSliceListModel *slice)
{
  GtkSingleSelection *selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (slice)));

  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, FALSE);
  g_signal_connect_object (selection, "notify::selected", G_CALLBACK (on_sidebar_selected_cb),
                           self, G_CONNECT_SWAPPED);
  return selection;
}

static void
on_sidebar_factory_unbind_cb (GtkSignalListItemFactory *factory,
                              GtkListItem              *item,
                              RosterWindow             *self)
{
  roster_sidebar_row_set_item (ROSTER_SIDEBAR_ROW (gtk_list_item_get_child (item)), NULL);
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

static void
on_task_factory_bind_cb (GtkSignalListItemFactory *factory,
                         GtkListItem              *item,
                         RosterWindow             *self)
{
  RosterTaskRow *row = ROSTER_TASK_ROW (gtk_list_item_get_child (item));

  roster_task_row_set_show_owner (row, self->category != NULL);
  roster_task_row_set_task (row, gtk_list_item_get_item (item));
}

static void
on_task_factory_unbind_cb (GtkSignalListItemFactory *factory,
                           GtkListItem              *item,
                           RosterWindow             *self)
{
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

static GtkWidget *
find_sidebar_row_in_view (GtkWidget *list,
                          GObject   *item)
{
  for (GtkWidget *child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);

      if (row != NULL && ROSTER_IS_SIDEBAR_ROW (row) &&
          roster_sidebar_row_get_item (ROSTER_SIDEBAR_ROW (row)) == item)
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
  GtkWidget *list = ROSTER_IS_USER (item) ? GTK_WIDGET (self->user_list) : GTK_WIDGET (self->tag_list);
  GListModel *model = ROSTER_IS_USER (item) ? self->users : self->categories;
  GtkWidget *row;
  guint position;

  if (model == NULL)
    return NULL;
  if ((row = find_sidebar_row_in_view (list, item)) != NULL)
    return row;

  position = find_item (model, item);
  if (position == G_MAXUINT)
    return NULL;
  show_position (ROSTER_IS_USER (item) ? self->user_slice : self->tag_slice, position);
  gtk_widget_activate_action (list, "list.scroll-to-item", "u", position);
  return find_sidebar_row_in_view (list, item);
}

/* The item whose row the focus is on in @list (on its list item, not in
 * its rename field). */
static GObject *
get_focused_sidebar_item (RosterWindow *self,
                          GtkWidget    *list)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *row;

  if (focus == NULL || gtk_widget_get_parent (focus) != list)
    return NULL;
  row = gtk_widget_get_first_child (focus);
  return row != NULL && ROSTER_IS_SIDEBAR_ROW (row) ? roster_sidebar_row_get_item (ROSTER_SIDEBAR_ROW (row)) : NULL;
}

RosterTask *
_roster_window_get_selected_task (RosterWindow *self)
{
  return gtk_single_selection_get_selected_item (self->task_selection);
}

void
_roster_window_select_task (RosterWindow *self,
                            RosterTask   *task,
                            gboolean      grab_focus)
{
  guint position = task != NULL ? find_item (G_LIST_MODEL (self->filtered_tasks), task) : G_MAXUINT;
  GtkWidget *row;

  if (position == G_MAXUINT)
    {
      gtk_single_selection_set_selected (self->task_selection, GTK_INVALID_LIST_POSITION);
      return;
    }

  show_position (self->task_slice, position);
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

  if (focus != NULL && gtk_widget_is_ancestor (focus, self->sidebar))
    {
      if (self->category != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->tag_list)))
        return ROSTER_TARGET_TAG;
      if (self->user != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->user_list)))
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
  else
    adw_window_title_set_title (self->content_title, _("Roster"));

  adw_window_title_set_subtitle (self->content_title, subtitle);
}

void
_roster_window_update_content (RosterWindow *self)
{
  guint n_visible = g_list_model_get_n_items (G_LIST_MODEL (self->filtered_tasks));
  guint n_users = self->users != NULL ? g_list_model_get_n_items (self->users) : 0;
  guint n_tags = self->categories != NULL ? g_list_model_get_n_items (self->categories) : 0;

  update_title (self);

  gtk_widget_set_visible (self->add_box, self->user != NULL && !self->finding);
  gtk_widget_set_sensitive (self->add_box, self->store != NULL && !roster_store_is_read_only (self->store));
  gtk_widget_set_visible (GTK_WIDGET (self->users_empty_label), n_users == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->tags_empty_label), n_tags == 0);
  /* An empty list takes no room: a scrolled window that may show its
   * scrollbar is at least as tall as the scrollbar. */
  gtk_scrolled_window_set_policy (self->user_list_scroller, GTK_POLICY_NEVER,
                                  n_users > 0 ? GTK_POLICY_AUTOMATIC : GTK_POLICY_NEVER);
  gtk_scrolled_window_set_policy (self->tag_list_scroller, GTK_POLICY_NEVER,
                                  n_tags > 0 ? GTK_POLICY_AUTOMATIC : GTK_POLICY_NEVER);

  if (self->finding)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "find");
      return;
    }

  if (n_visible > 0)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "tasks");
      return;
    }

  if (n_users == 0 && self->category == NULL)
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
             RosterCategory *category)
{
  g_autoptr(GListModel) tasks = NULL;

  if (self->user != NULL)
    g_signal_handlers_disconnect_by_func (self->user, on_selected_item_notify_cb, self);
  if (self->category != NULL)
    g_signal_handlers_disconnect_by_func (self->category, on_selected_item_notify_cb, self);

  g_set_object (&self->user, user);
  g_set_object (&self->category, category);

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

  set_entry_error (self->add_entry, self->add_error, NULL, ROSTER_SUBJECT_TASK);
  gtk_filter_list_model_set_model (self->filtered_tasks, tasks);
  if (self->details != NULL)
    roster_task_details_set_task (self->details, NULL);

  _roster_window_update_content (self);
  _roster_window_update_actions (self);
}

void
_roster_window_select_user (RosterWindow *self,
                            RosterUser   *user)
{
  guint position = user != NULL && self->users != NULL ? find_item (self->users, user) : G_MAXUINT;

  if (self->user_selection == NULL)
    return;

  self->changing_selection = TRUE;
  show_position (self->user_slice, position);
  gtk_single_selection_set_selected (self->tag_selection, GTK_INVALID_LIST_POSITION);
  gtk_single_selection_set_selected (self->user_selection,
                                     position != G_MAXUINT ? position : GTK_INVALID_LIST_POSITION);
  if (position != G_MAXUINT)
    gtk_widget_activate_action (GTK_WIDGET (self->user_list), "list.scroll-to-item", "u", position);
  self->changing_selection = FALSE;

  if (user != self->user || self->category != NULL)
    set_current (self, position != G_MAXUINT ? user : NULL, NULL);
}

void
_roster_window_select_category (RosterWindow   *self,
                                RosterCategory *category)
{
  guint position = category != NULL && self->categories != NULL ? find_item (self->categories, category)
                                                                 : G_MAXUINT;

  if (self->tag_selection == NULL)
    return;

  self->changing_selection = TRUE;
  show_position (self->tag_slice, position);
  gtk_single_selection_set_selected (self->user_selection, GTK_INVALID_LIST_POSITION);
  gtk_single_selection_set_selected (self->tag_selection,
                                     position != G_MAXUINT ? position : GTK_INVALID_LIST_POSITION);
  if (position != G_MAXUINT)
    gtk_widget_activate_action (GTK_WIDGET (self->tag_list), "list.scroll-to-item", "u", position);
  self->changing_selection = FALSE;

  if (category != self->category || self->user != NULL)
    set_current (self, NULL, position != G_MAXUINT ? category : NULL);
}

/* A user or tag chosen in the sidebar (a click, the arrow keys): its list,
 * not Find. Taking a selection away (the other list's choice, the selected
 * item gone) is the window's own doing and ends here. */
static void
on_sidebar_selected_cb (RosterWindow       *self,
                        GParamSpec         *pspec,
                        GtkSingleSelection *selection)
{
  GObject *item = gtk_single_selection_get_selected_item (selection);

  if (self->changing_selection || item == NULL)
    return;
  set_finding (self, FALSE, FALSE);
  if (ROSTER_IS_USER (item))
    _roster_window_select_user (self, ROSTER_USER (item));
  else
    _roster_window_select_category (self, ROSTER_CATEGORY (item));
}

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
  GtkWidget *popover;

  if (list == GTK_WIDGET (self->task_list))
    {
      GtkWidget *picked = gtk_widget_pick (list, x, y, GTK_PICK_DEFAULT);
      GtkWidget *row = picked != NULL ? gtk_widget_get_ancestor (picked, ROSTER_TYPE_TASK_ROW) : NULL;

      if (row == NULL || roster_task_row_get_task (ROSTER_TASK_ROW (row)) == NULL)
        return;
      _roster_window_select_task (self, roster_task_row_get_task (ROSTER_TASK_ROW (row)), TRUE);
    }
  else
    {
      GtkWidget *picked = gtk_widget_pick (list, x, y, GTK_PICK_DEFAULT);
      GtkWidget *row = picked != NULL ? gtk_widget_get_ancestor (picked, ROSTER_TYPE_SIDEBAR_ROW) : NULL;
      GObject *item = row != NULL ? roster_sidebar_row_get_item (ROSTER_SIDEBAR_ROW (row)) : NULL;

      if (item == NULL)
        return;
      set_finding (self, FALSE, FALSE);
      if (ROSTER_IS_USER (item))
        _roster_window_select_user (self, ROSTER_USER (item));
      else
        _roster_window_select_category (self, ROSTER_CATEGORY (item));
      gtk_widget_grab_focus (row);
    }

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  _roster_window_update_actions (self);

  popover = _roster_window_ensure_context_menu (self, list);
  gtk_popover_set_pointing_to (GTK_POPOVER (popover), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (popover));
}

/* The menu a right click on @list (or the Menu key) opens, made after the
 * first frame (make_menus_cb()) or when first needed: an empty window's
 * start-up is shorter without three popover menus nobody has opened yet. */
GtkWidget *
_roster_window_ensure_context_menu (RosterWindow *self,
                                    GtkWidget    *list)
{
  GtkWidget **popover = &self->tag_popover;
  GMenuModel *model = self->tag_menu;

  if (list == GTK_WIDGET (self->task_list))
    {
      popover = &self->task_popover;
      model = self->task_menu;
    }
  else if (list == GTK_WIDGET (self->user_list))
    {
      popover = &self->user_popover;
      model = self->user_menu;
    }

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
  _roster_window_ensure_context_menu (self, GTK_WIDGET (self->user_list));
  _roster_window_ensure_context_menu (self, GTK_WIDGET (self->tag_list));
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

/* Arrow keys go on from the last user to the first tag and back, and
 * select where they land, as they do within a list. */
static gboolean
on_sidebar_key_pressed_cb (GtkEventControllerKey *controller,
                           guint                  keyval,
                           guint                  keycode,
                           GdkModifierType        state,
                           RosterWindow          *self)
{
  GtkWidget *list = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GObject *focused = get_focused_sidebar_item (self, list);
  g_autoptr(GObject) last_user = NULL;
  g_autoptr(GObject) first_tag = NULL;
  guint n_users, n_tags;
  GtkWidget *row = NULL;

  show_whole_lists (self);
  /* Plain arrows only (Num Lock and the like aside). */
  if (focused == NULL || self->users == NULL ||
      (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0)
    return FALSE;

  n_users = g_list_model_get_n_items (self->users);
  n_tags = g_list_model_get_n_items (self->categories);
  if (n_users > 0)
    last_user = g_list_model_get_item (self->users, n_users - 1);
  if (n_tags > 0)
    first_tag = g_list_model_get_item (self->categories, 0);

  if ((keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down) &&
      list == GTK_WIDGET (self->user_list) && focused == last_user && first_tag != NULL)
    {
      set_finding (self, FALSE, FALSE);
      _roster_window_select_category (self, ROSTER_CATEGORY (first_tag));
      row = _roster_window_find_sidebar_row (self, first_tag);
    }
  else if ((keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up) &&
           list == GTK_WIDGET (self->tag_list) && focused == first_tag && last_user != NULL)
    {
      set_finding (self, FALSE, FALSE);
      _roster_window_select_user (self, ROSTER_USER (last_user));
      row = _roster_window_find_sidebar_row (self, last_user);
    }
  else
    return FALSE;

  if (row != NULL)
    gtk_widget_grab_focus (row);
  return TRUE;
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

static void
on_sidebar_row_activated_cb (RosterWindow *self)
{
  /* The selected row clicked again (or a user just added): its list. */
  set_finding (self, FALSE, FALSE);
  /* On a narrow window the sidebar covers the content: get it out of the way. */
  if (adw_flap_get_folded (self->sidebar_flap))
    adw_flap_set_reveal_flap (self->sidebar_flap, FALSE);
}

/* A click on a row of the sidebar, even the selected one: its list. */
static void
on_sidebar_clicked_cb (GtkGestureClick *gesture,
                       int              n_press,
                       double           x,
                       double           y,
                       RosterWindow    *self)
{
  GtkWidget *list = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *picked = gtk_widget_pick (list, x, y, GTK_PICK_DEFAULT);
  GtkWidget *row = picked != NULL ? gtk_widget_get_ancestor (picked, ROSTER_TYPE_SIDEBAR_ROW) : NULL;

  /* Not a click into the field renaming it. */
  if (row != NULL && !roster_sidebar_row_get_editing (ROSTER_SIDEBAR_ROW (row)))
    on_sidebar_row_activated_cb (self);
}

static void
on_sidebar_list_activate_cb (RosterWindow *self,
                             guint         position)
{
  on_sidebar_row_activated_cb (self);
}

/* Keep a selection when the selected user or tag goes away: its neighbour. */
static void
on_users_items_changed_cb (RosterWindow *self,
                           guint         position,
                           guint         removed,
                           guint         added)
{
  guint n = g_list_model_get_n_items (self->users);

  if (self->user != NULL && find_item (self->users, self->user) == G_MAXUINT)
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
  else if (self->category == NULL && n > 0)
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
      if (find_item (self->categories, self->category) == G_MAXUINT)
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

  position = find_item (G_LIST_MODEL (self->filtered_tasks), task);
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
    gtk_widget_grab_focus (GTK_WIDGET (self->user_list));
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

/* Adding: a task from the entry above the list, users and tags from the sidebar. */

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
      set_entry_error (self->add_entry, self->add_error, error, ROSTER_SUBJECT_TASK);
      return;
    }

  /* Saved, or kept until the file is free (the banner says so). */
  set_entry_error (self->add_entry, self->add_error, NULL, ROSTER_SUBJECT_TASK);
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
    set_entry_error (self->add_entry, self->add_error, NULL, ROSTER_SUBJECT_TASK);
}

static void
on_new_user_entry_activate_cb (RosterWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) user = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->new_user_entry));
  RosterEditResult result = roster_edit_queue_create_user (self->edits, name, &user, &error);

  if (result == ROSTER_EDIT_FAILED)
    {
      set_entry_error (self->new_user_entry, self->new_user_error, error, ROSTER_SUBJECT_USER);
      return;
    }

  set_entry_error (self->new_user_entry, self->new_user_error, NULL, ROSTER_SUBJECT_USER);
  gtk_editable_set_text (GTK_EDITABLE (self->new_user_entry), "");
  gtk_revealer_set_reveal_child (self->new_user_revealer, FALSE);
  if (result == ROSTER_EDIT_WAITING)
    {
      /* The user shows up once saved; until then, back to the list. */
      gtk_widget_grab_focus (GTK_WIDGET (self->user_list));
      return;
    }
  _roster_window_select_user (self, user);
  on_sidebar_row_activated_cb (self);
  /* Ready to give the new user a first task. */
  gtk_widget_grab_focus (GTK_WIDGET (self->add_entry));
}

static void
on_new_tag_entry_activate_cb (RosterWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterCategory) category = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->new_tag_entry));
  RosterEditResult result = roster_edit_queue_create_category (self->edits, name, &category, &error);

  if (result == ROSTER_EDIT_FAILED)
    {
      set_entry_error (self->new_tag_entry, self->new_tag_error, error, ROSTER_SUBJECT_TAG);
      return;
    }

  set_entry_error (self->new_tag_entry, self->new_tag_error, NULL, ROSTER_SUBJECT_TAG);
  gtk_editable_set_text (GTK_EDITABLE (self->new_tag_entry), "");
  gtk_revealer_set_reveal_child (self->new_tag_revealer, FALSE);
  if (result == ROSTER_EDIT_WAITING)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->tag_list));
      return;
    }
  set_finding (self, FALSE, FALSE);
  _roster_window_select_category (self, category);
  {
    GtkWidget *row = _roster_window_find_sidebar_row (self, G_OBJECT (category));

    if (row != NULL)
      gtk_widget_grab_focus (row);
  }
}

static gboolean
on_sidebar_entry_key_pressed_cb (GtkEventControllerKey *controller,
                                 guint                  keyval,
                                 guint                  keycode,
                                 GdkModifierType        state,
                                 RosterWindow          *self)
{
  GtkWidget *entry = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkRevealer *revealer = entry == GTK_WIDGET (self->new_user_entry) ? self->new_user_revealer
                                                                     : self->new_tag_revealer;

  if (keyval != GDK_KEY_Escape)
    return FALSE;

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_revealer_set_reveal_child (revealer, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (entry == GTK_WIDGET (self->new_user_entry) ? self->new_user_error
                                                                                  : self->new_tag_error),
                          FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->user_list));
  return TRUE;
}

/* Opening the store */

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

static void open_store (RosterWindow *self);

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
  unwatch_edits (self);
  update_waiting_edits (self);
  g_signal_handlers_disconnect_by_data (store, self);
  set_finding (self, FALSE, FALSE);
  roster_find_bar_set_store (self->find_bar, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->work_bar), FALSE);
  gtk_filter_list_model_set_model (self->filtered_tasks, NULL);
  gtk_list_view_set_model (self->user_list, NULL);
  gtk_list_view_set_model (self->tag_list, NULL);
  g_clear_object (&self->user_selection);
  g_clear_object (&self->tag_selection);
  g_clear_object (&self->user_slice);
  g_clear_object (&self->tag_slice);
  show_whole (self->task_slice);
  if (self->details != NULL)
    roster_task_details_set_store (self->details, NULL);
  g_clear_object (&self->user);
  g_clear_object (&self->category);
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

static void
open_other_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  RosterWindow *self = ROSTER_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Open a Roster File"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Roster files"));
  gtk_file_filter_add_pattern (filter, "*.db");
  gtk_file_filter_add_mime_type (filter, "application/vnd.sqlite3");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
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
  open_store (self);
  /* A backup is a rollback-journal file: it is prepared before it shows. */
  _roster_window_toast_when_open (self, _("Restored. What the file held before is kept as a backup too."));
}

static void
restore_backup_action (GtkWidget  *widget,
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
      GtkWidget *label = gtk_label_new (text);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
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
      update_work_bar (self);
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
      update_waiting_edits (self);
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

/* Other programs (another Roster, the seed's scripts) may write the file:
 * look for their changes now and then, and whenever the window is used. */
static void
refresh_store (RosterWindow *self)
{
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

static void
open_store (RosterWindow *self)
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
  gint64 last_user = 0;

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

  gtk_stack_set_visible_child_name (self->main_stack, "store");
  if (self->details != NULL)
    roster_task_details_set_store (self->details, self->store);
  roster_find_bar_set_store (self->find_bar, self->store);

  if (!roster_store_is_read_only (self->store) && self->backup_thread == NULL)
    self->backup_thread = g_thread_new ("roster-backup", daily_backup_thread, g_strdup (self->path));

  {
    const char *history[] = { "notify::can-undo", "notify::can-redo",
                              "notify::undo-label", "notify::redo-label" };

    for (guint i = 0; i < G_N_ELEMENTS (history); i++)
      g_signal_connect_object (self->store, history[i], G_CALLBACK (on_store_history_notify_cb),
                               self, G_CONNECT_SWAPPED);
  }
  g_signal_connect_object (self->store, "notify::working", G_CALLBACK (on_store_working_notify_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "notify::progress", G_CALLBACK (on_store_progress_notify_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "damaged", G_CALLBACK (on_store_damaged_cb),
                           self, G_CONNECT_SWAPPED);
  watch_edits (self);

  self->users = roster_store_list_users (self->store);
  self->categories = roster_store_list_categories (self->store);

  self->user_slice = gtk_slice_list_model_new (g_object_ref (self->users), 0, G_MAXUINT);
  self->tag_slice = gtk_slice_list_model_new (g_object_ref (self->categories), 0, G_MAXUINT);
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    start_first_screen (self);
  self->user_selection = new_sidebar_selection (self, self->user_slice);
  self->tag_selection = new_sidebar_selection (self, self->tag_slice);
  gtk_list_view_set_model (self->user_list, GTK_SELECTION_MODEL (self->user_selection));
  gtk_list_view_set_model (self->tag_list, GTK_SELECTION_MODEL (self->tag_selection));

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

  /* Ready to type a task (or, without users, to use the sidebar). */
  if (self->user != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->add_entry));

  _roster_window_update_content (self);
  _roster_window_update_actions (self);
}

static gboolean on_details_dialog_close_request_cb (RosterWindow *self,
                                                    GtkWindow    *dialog);

/* Window state */

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
static void
ask_about_waiting_edits (RosterWindow *self)
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
      update_work_bar (self);
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
          ask_about_waiting_edits (self);
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
    open_store (self);
}

static void
roster_window_dispose (GObject *object)
{
  RosterWindow *self = ROSTER_WINDOW (object);

  if (self->details_dialog != NULL)
    {
      GtkWindow *dialog = g_steal_pointer (&self->details_dialog);

      on_details_dialog_close_request_cb (self, dialog);
      gtk_window_destroy (dialog);
    }

  _roster_window_forget_preparing (self);
  /* A change still running in the store keeps it (and this window) alive
   * until it is done; nothing here is to hear about it any more. */
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_handle_id (&self->pending_task_source, g_source_remove);
  g_clear_object (&self->pending_task);

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
  unwatch_edits (self);
  if (self->unsaved_dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->unsaved_dialog), (gpointer *) &self->unsaved_dialog);
  self->unsaved_dialog = NULL;
  forget_change_toast (self);
  g_clear_pointer (&self->task_popover, gtk_widget_unparent);
  g_clear_pointer (&self->user_popover, gtk_widget_unparent);
  g_clear_pointer (&self->tag_popover, gtk_widget_unparent);
  g_clear_object (&self->tag_menu);

  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_WINDOW);
  self->details = NULL;   /* went with its bin */

  g_clear_object (&self->task_selection);
  g_clear_object (&self->task_slice);
  g_clear_object (&self->filtered_tasks);
  g_clear_object (&self->user_selection);
  g_clear_object (&self->tag_selection);
  g_clear_object (&self->user_slice);
  g_clear_object (&self->tag_slice);
  g_clear_object (&self->user);
  g_clear_object (&self->category);
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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ROSTER_TYPE_TASK_DETAILS);
  g_type_ensure (ROSTER_TYPE_FIND_BAR);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rosterapp/Roster/roster-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, restore_button);
  gtk_widget_class_install_action (widget_class, "win.open-other", NULL, open_other_action);
  gtk_widget_class_install_action (widget_class, "win.restore-backup", NULL, restore_backup_action);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, sidebar_flap);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, new_user_revealer);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, new_user_entry);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, new_user_error);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, user_list);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, users_empty_label);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, user_list_scroller);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, tag_list_scroller);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, new_tag_revealer);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, new_tag_entry);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, new_tag_error);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, tag_list);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, tags_empty_label);
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
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, find_bar);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, details_bin);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, main_menu);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, task_menu);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, user_menu);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, tag_color_menu);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, history_section);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_task_list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_button_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_find_bar_task_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_find_bar_closed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_new_user_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_new_tag_entry_activate_cb);

  _roster_window_class_actions_init (widget_class);
}

static void
on_details_close_requested_cb (RosterWindow *self)
{
  adw_flap_set_reveal_flap (self->details_flap, FALSE);
  _roster_window_select_task (self, _roster_window_get_selected_task (self), TRUE);
}

/* The details pane is made when first needed (a task selected, the pane
 * opened): its widgets, a calendar among them, were 6 ms of every
 * start-up, for a pane that starts hidden. */
RosterTaskDetails *
_roster_window_ensure_details (RosterWindow *self)
{
  if (self->details != NULL)
    return self->details;

  self->details = g_object_new (ROSTER_TYPE_TASK_DETAILS, NULL);
  adw_bin_set_child (self->details_bin, GTK_WIDGET (self->details));
  if (self->store != NULL)
    roster_task_details_set_store (self->details, self->store);
  /* A hidden pane must not take the focus from Tab. */
  g_object_bind_property (self->details_flap, "reveal-flap",
                          self->details, "can-focus",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->details, "close-requested",
                           G_CALLBACK (on_details_close_requested_cb), self, G_CONNECT_SWAPPED);
  return self->details;
}

static void
on_details_flap_revealed_cb (RosterWindow *self)
{
  if (adw_flap_get_reveal_flap (self->details_flap))
    _roster_window_ensure_details (self);
}

static gboolean
on_details_dialog_close_request_cb (RosterWindow *self,
                                    GtkWindow    *dialog)
{
  RosterTaskDetails *details = ROSTER_TASK_DETAILS (adw_window_get_content (ADW_WINDOW (dialog)));

  /* Saves the notes being typed. */
  roster_task_details_set_task (details, NULL);
  if (self->details_dialog == dialog)
    self->details_dialog = NULL;
  _roster_window_select_task (self, _roster_window_get_selected_task (self), TRUE);
  return FALSE;
}

/* Beside the list on a wide window; in a dialog of its own on a narrow one,
 * where a pane would cover the list anyway. */
void
_roster_window_show_details (RosterWindow *self)
{
  if (!adw_flap_get_folded (self->sidebar_flap))
    {
      adw_flap_set_reveal_flap (self->details_flap, TRUE);
      roster_task_details_focus (_roster_window_ensure_details (self));
      return;
    }

  if (self->details_dialog == NULL)
    {
      GtkWidget *details = g_object_new (ROSTER_TYPE_TASK_DETAILS, NULL);
      int width = gtk_widget_get_width (GTK_WIDGET (self));
      int height = gtk_widget_get_height (GTK_WIDGET (self));

      roster_task_details_set_store (ROSTER_TASK_DETAILS (details), self->store);
      roster_task_details_set_task (ROSTER_TASK_DETAILS (details),
                                    self->details != NULL ? roster_task_details_get_task (self->details) : NULL);
      self->details_dialog = GTK_WINDOW (adw_window_new ());
      gtk_window_set_title (self->details_dialog, _("Details"));
      gtk_window_set_modal (self->details_dialog, TRUE);
      gtk_window_set_transient_for (self->details_dialog, GTK_WINDOW (self));
      gtk_window_set_destroy_with_parent (self->details_dialog, TRUE);
      gtk_window_set_default_size (self->details_dialog, MAX (width, 360), MAX (height, 480));
      adw_window_set_content (ADW_WINDOW (self->details_dialog), details);
      g_signal_connect_object (details, "close-requested",
                               G_CALLBACK (gtk_window_close), self->details_dialog,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->details_dialog, "close-request",
                               G_CALLBACK (on_details_dialog_close_request_cb), self,
                               G_CONNECT_SWAPPED);
    }

  gtk_window_present (self->details_dialog);
  roster_task_details_focus (ROSTER_TASK_DETAILS (adw_window_get_content (ADW_WINDOW (self->details_dialog))));
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
  {
    GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

    g_signal_connect (factory, "setup", G_CALLBACK (on_task_factory_setup_cb), self);
    g_signal_connect (factory, "bind", G_CALLBACK (on_task_factory_bind_cb), self);
    g_signal_connect (factory, "unbind", G_CALLBACK (on_task_factory_unbind_cb), self);
    gtk_list_view_set_factory (self->task_list, factory);
    g_object_unref (factory);
  }
  gtk_list_view_set_model (self->task_list, GTK_SELECTION_MODEL (self->task_selection));
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_task_list_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->task_list), controller);
  /* After the selection model's own handler, so rows exist when this runs. */
  g_signal_connect_object (self->filtered_tasks, "items-changed",
                           G_CALLBACK (on_filtered_tasks_items_changed_cb), self, G_CONNECT_SWAPPED);

  g_object_bind_property (self->sidebar_flap, "reveal-flap",
                          self->sidebar_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->details_flap, "reveal-flap",
                          self->details_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->details_flap, "notify::reveal-flap",
                           G_CALLBACK (on_details_flap_revealed_cb), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->sidebar_flap, "folded",
                          self->details_button, "visible",
                          G_BINDING_INVERT_BOOLEAN | G_BINDING_SYNC_CREATE);
  {
    GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
    GtkWidget *lists[] = { GTK_WIDGET (self->user_list), GTK_WIDGET (self->tag_list) };

    g_signal_connect (factory, "setup", G_CALLBACK (on_sidebar_factory_setup_cb), self);
    g_signal_connect (factory, "bind", G_CALLBACK (on_sidebar_factory_bind_cb), self);
    g_signal_connect (factory, "unbind", G_CALLBACK (on_sidebar_factory_unbind_cb), self);
    for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
      {
        GtkGesture *click = gtk_gesture_click_new ();

        gtk_list_view_set_factory (GTK_LIST_VIEW (lists[i]), factory);

        controller = gtk_event_controller_key_new ();
        gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
        g_signal_connect (controller, "key-pressed", G_CALLBACK (on_sidebar_key_pressed_cb), self);
        gtk_widget_add_controller (lists[i], controller);

        gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
        gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
        g_signal_connect (click, "pressed", G_CALLBACK (on_sidebar_clicked_cb), self);
        gtk_widget_add_controller (lists[i], GTK_EVENT_CONTROLLER (click));
      }
    g_object_unref (factory);
  }

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_add_entry_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->add_entry), controller);
  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_sidebar_entry_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->new_user_entry), controller);
  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_sidebar_entry_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->new_tag_entry), controller);

  {
    GMenu *tag_menu = g_menu_new ();

    g_menu_append (tag_menu, _("Re_name"), "win.rename");
    g_menu_append_submenu (tag_menu, _("_Colour"), self->tag_color_menu);
    g_menu_append (tag_menu, _("_Delete"), "win.delete");
    self->tag_menu = G_MENU_MODEL (tag_menu);
  }
  gtk_menu_button_set_create_popup_func (self->menu_button, create_main_menu_cb, self, NULL);
  add_context_menu (self, GTK_WIDGET (self->task_list));
  add_context_menu (self, GTK_WIDGET (self->user_list));
  add_context_menu (self, GTK_WIDGET (self->tag_list));

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
