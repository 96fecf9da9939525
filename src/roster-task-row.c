/* roster-task-row.c: one task in a list.
 *
 * A GtkListView row: made once, then bound to one task after another as the
 * list scrolls. While bound it follows its task (any notify refreshes it) and
 * the task's tag list; every change a person makes goes to the store through
 * the window (which keeps it while another program holds the file), and a
 * failure is shown under the title, keeping what was typed.
 */
#define G_LOG_DOMAIN "roster-task-row"

#include <glib/gi18n.h>

#include "roster-messages.h"
#include "roster-tags-popover.h"
#include "roster-task-row.h"
#include "roster-window-private.h"

struct _RosterTaskRow
{
  AdwBin          parent_instance;

  RosterStore    *store;
  RosterTask     *task;
  GListModel     *categories;
  RosterUser     *owner;
  gboolean        show_owner;

  GtkImage       *drag_handle;
  GtkCheckButton *done_check;
  GtkStack       *title_stack;
  GtkLabel       *title_label;
  GtkEntry       *title_entry;
  GtkLabel       *error_label;
  GtkLabel       *owner_label;
  GtkBox         *chips_box;
  GtkLabel       *due_label;
  GtkMenuButton  *tags_button;
};

G_DEFINE_FINAL_TYPE (RosterTaskRow, roster_task_row, ADW_TYPE_BIN)

static void
show_error (RosterTaskRow *self,
            const GError  *error)
{
  g_autofree char *message = NULL;

  if (error == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
      gtk_widget_remove_css_class (GTK_WIDGET (self->title_entry), "error");
      return;
    }

  message = roster_messages_describe_error (error, ROSTER_SUBJECT_TASK);
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->title_entry),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                  -1);
}

static void
update_owner (RosterTaskRow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->owner_label), self->show_owner && self->owner != NULL);
  if (self->owner != NULL)
    gtk_label_set_label (self->owner_label, roster_user_get_username (self->owner));
}

static void
on_owner_notify_cb (RosterTaskRow *self)
{
  update_owner (self);
}

static void
update_from_task (RosterTaskRow *self)
{
  const char *title;
  gboolean done;
  GDateTime *due;
  RosterUser *owner;
  g_autofree char *a11y_label = NULL;

  if (self->task == NULL)
    return;

  title = roster_task_get_title (self->task);
  done = roster_task_get_done (self->task);
  due = roster_task_get_due_date (self->task);
  owner = roster_task_get_owner (self->task);

  gtk_label_set_label (self->title_label, title);
  if (done)
    gtk_widget_add_css_class (GTK_WIDGET (self), "roster-done");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "roster-done");

  g_signal_handlers_block_matched (self->done_check, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_check_button_set_active (self->done_check, done);
  g_signal_handlers_unblock_matched (self->done_check, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);

  if (due != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *text = roster_messages_format_due_date (due, now);
      g_autofree char *tooltip = g_strdup_printf (_("Due %s"), text);
      gboolean today = g_date_time_get_year (due) == g_date_time_get_year (now) &&
                       g_date_time_get_day_of_year (due) == g_date_time_get_day_of_year (now);
      gboolean overdue = !done && !today && g_date_time_compare (due, now) < 0;

      gtk_label_set_label (self->due_label, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->due_label), tooltip);
      if (overdue)
        gtk_widget_add_css_class (GTK_WIDGET (self->due_label), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->due_label), "error");
      if (today && !done)
        gtk_widget_add_css_class (GTK_WIDGET (self->due_label), "roster-today");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->due_label), "roster-today");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->due_label), due != NULL);

  if (owner != self->owner)
    {
      if (self->owner != NULL)
        g_signal_handlers_disconnect_by_func (self->owner, on_owner_notify_cb, self);
      g_set_object (&self->owner, owner);
      if (self->owner != NULL)
        g_signal_connect_object (self->owner, "notify", G_CALLBACK (on_owner_notify_cb),
                                 self, G_CONNECT_SWAPPED);
    }
  update_owner (self);

  /* A screen reader reads the title and whether the task is done, on the
   * list's item (the row's parent in a GtkListView) as on the row. */
  a11y_label = g_strdup_printf (done ? _("%s, done") : _("%s, not done"), title);
  for (GtkWidget *widget = GTK_WIDGET (self);
       widget != NULL;
       widget = widget == GTK_WIDGET (self) ? gtk_widget_get_parent (widget) : NULL)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, a11y_label,
                                      -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                                   GTK_ACCESSIBLE_STATE_CHECKED,
                                   done ? GTK_ACCESSIBLE_TRISTATE_TRUE : GTK_ACCESSIBLE_TRISTATE_FALSE,
                                   -1);
    }
  /* Translators: accessible name of a task's check button; %s is the title. */
  {
    g_autofree char *check_label = g_strdup_printf (_("Done: %s"), title);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self->done_check),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, check_label,
                                    -1);
  }
}

static void
on_task_notify_cb (RosterTaskRow *self)
{
  update_from_task (self);
}

static void
on_category_notify_cb (GtkLabel *chip,
                       GParamSpec *pspec,
                       RosterCategory *category)
{
  gtk_label_set_label (chip, roster_category_get_name (category));
}

static void
rebuild_chips (RosterTaskRow *self)
{
  GtkWidget *child;
  guint n = self->categories != NULL ? g_list_model_get_n_items (self->categories) : 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->chips_box))))
    gtk_box_remove (self->chips_box, child);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RosterCategory) category = g_list_model_get_item (self->categories, i);
      g_autofree char *klass = roster_messages_tag_css_class (self->store, roster_category_get_id (category));
      GtkWidget *chip = gtk_label_new (roster_category_get_name (category));

      gtk_widget_add_css_class (chip, "roster-chip");
      gtk_widget_add_css_class (chip, klass);
      gtk_widget_add_css_class (chip, "caption");
      gtk_widget_set_valign (chip, GTK_ALIGN_CENTER);
      g_signal_connect_object (category, "notify", G_CALLBACK (on_category_notify_cb),
                               chip, G_CONNECT_SWAPPED);
      gtk_box_append (self->chips_box, chip);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->chips_box), n > 0);
}

static void
on_categories_items_changed_cb (RosterTaskRow *self)
{
  rebuild_chips (self);
}

static void
on_done_check_toggled_cb (RosterTaskRow *self)
{
  g_autoptr(RosterTaskRow) hold = g_object_ref (self);
  g_autoptr(RosterTask) task = self->task != NULL ? g_object_ref (self->task) : NULL;
  g_autoptr(GError) error = NULL;
  /* What the check shows, not what the file says: unticked again while the
   * first click waits for the file, it is kept as unticked. */
  RosterEdit edit = { ROSTER_EDIT_SET_DONE, task, NULL, NULL,
                      gtk_check_button_get_active (self->done_check) };

  if (task == NULL)
    return;

  if (_roster_window_apply_widget_edit (GTK_WIDGET (self), self->store, &edit, &error) == ROSTER_EDIT_FAILED &&
      self->done_check != NULL)
    {
      show_error (self, error);
      update_from_task (self);
    }
}

static void
stop_rename (RosterTaskRow *self)
{
  gboolean had_focus = gtk_widget_has_focus (GTK_WIDGET (self->title_entry)) ||
                       gtk_widget_is_focus (gtk_widget_get_first_child (GTK_WIDGET (self->title_entry)));

  show_error (self, NULL);
  gtk_stack_set_visible_child_name (self->title_stack, "label");
  if (had_focus)
    gtk_widget_grab_focus (GTK_WIDGET (self));
}

static gboolean
commit_rename (RosterTaskRow *self)
{
  /* A change may replace (dispose) this row while the store call runs. */
  g_autoptr(RosterTaskRow) hold = g_object_ref (self);
  g_autoptr(RosterTask) task = self->task != NULL ? g_object_ref (self->task) : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_entry)));
  RosterEditResult result = ROSTER_EDIT_SAVED;

  if (task == NULL)
    return FALSE;

  /* Compared with the title shown: a new one may still wait for the file. */
  if (g_strcmp0 (text, gtk_label_get_label (self->title_label)) != 0)
    {
      RosterEdit edit = { ROSTER_EDIT_SET_TITLE, task, NULL, text, 0 };

      result = _roster_window_apply_widget_edit (GTK_WIDGET (self), self->store, &edit, &error);
    }

  /* The row may have been disposed, or given another task, meanwhile. */
  if (self->title_stack == NULL || self->task != task)
    return result != ROSTER_EDIT_FAILED;

  if (result == ROSTER_EDIT_FAILED)
    {
      /* Keep what was typed, say why it was refused. */
      gtk_widget_add_css_class (GTK_WIDGET (self->title_entry), "error");
      show_error (self, error);
      return FALSE;
    }

  stop_rename (self);
  /* Kept until the file is free (the window's banner says so): the new
   * title shows meanwhile, and the task's notify confirms it once saved. */
  if (result == ROSTER_EDIT_WAITING)
    gtk_label_set_label (self->title_label, text);
  return TRUE;
}

static void
on_title_entry_activate_cb (RosterTaskRow *self)
{
  commit_rename (self);
}

static gboolean
on_title_entry_key_pressed_cb (GtkEventControllerKey *controller,
                               guint                  keyval,
                               guint                  keycode,
                               GdkModifierType        state,
                               RosterTaskRow         *self)
{
  if (keyval == GDK_KEY_Escape)
    {
      stop_rename (self);
      return TRUE;
    }
  return FALSE;
}

static void
on_title_entry_leave_cb (RosterTaskRow *self)
{
  /* Leaving the field saves, like GtkEditableLabel; a refused title stays
   * visible with its error so nothing typed is lost. */
  if (roster_task_row_get_editing (self))
    commit_rename (self);
}

static GdkContentProvider *
on_drag_prepare_cb (GtkDragSource *source,
                    double         x,
                    double         y,
                    RosterTaskRow *self)
{
  if (self->task == NULL || roster_task_row_get_editing (self))
    return NULL;
  return gdk_content_provider_new_typed (ROSTER_TYPE_TASK, self->task);
}

static void
on_drag_begin_cb (GtkDragSource *source,
                  GdkDrag       *drag,
                  RosterTaskRow *self)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (self));

  gtk_drag_source_set_icon (source, paintable, 0, 0);
}

static guint
index_in_owner_list (RosterStore *store,
                     RosterTask  *task)
{
  g_autoptr(GListModel) tasks = roster_store_list_user_tasks (store, roster_task_get_owner (task));
  guint n = g_list_model_get_n_items (tasks);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RosterTask) item = g_list_model_get_item (tasks, i);

      if (item == task)
        return i;
    }
  return G_MAXUINT;
}

static gboolean
on_drop_cb (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            RosterTaskRow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterTaskRow) hold = g_object_ref (self);
  g_autoptr(RosterTask) here = self->task != NULL ? g_object_ref (self->task) : NULL;
  RosterTask *dropped = g_value_get_object (value);
  RosterEdit edit = { ROSTER_EDIT_REORDER_TASK, dropped, NULL, NULL, 0 };
  guint index;

  if (dropped == NULL || here == NULL || dropped == here)
    return FALSE;

  index = index_in_owner_list (self->store, here);
  if (index == G_MAXUINT)
    return FALSE;
  edit.value = (int) index;

  if (roster_task_get_owner (dropped) != roster_task_get_owner (here))
    {
      /* Dropped from another user's list: give it to this row's owner, here. */
      edit.kind = ROSTER_EDIT_MOVE_AND_REORDER;
      edit.other = roster_task_get_owner (here);
    }

  if (_roster_window_apply_widget_edit (GTK_WIDGET (self), self->store, &edit, &error) == ROSTER_EDIT_FAILED)
    {
      if (self->error_label != NULL)
        show_error (self, error);
      return FALSE;
    }
  return TRUE;
}

static GtkPopover *
ensure_tags_popover (RosterTaskRow *self)
{
  GtkPopover *popover = gtk_menu_button_get_popover (self->tags_button);

  if (popover == NULL && self->task != NULL)
    {
      popover = GTK_POPOVER (roster_tags_popover_new (self->store, self->task));
      gtk_menu_button_set_popover (self->tags_button, GTK_WIDGET (popover));
    }
  return popover;
}

static void
create_tags_popup_cb (GtkMenuButton *button,
                      gpointer       user_data)
{
  ensure_tags_popover (ROSTER_TASK_ROW (user_data));
}

static void
roster_task_row_dispose (GObject *object)
{
  RosterTaskRow *self = (RosterTaskRow *)object;

  roster_task_row_set_task (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_TASK_ROW);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (roster_task_row_parent_class)->dispose (object);
}

static void
roster_task_row_class_init (RosterTaskRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_task_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rosterapp/Roster/roster-task-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterTaskRow, drag_handle);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskRow, done_check);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskRow, title_stack);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskRow, title_entry);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskRow, owner_label);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskRow, chips_box);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskRow, due_label);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskRow, tags_button);
  gtk_widget_class_bind_template_callback (widget_class, on_done_check_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_title_entry_activate_cb);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
roster_task_row_init (RosterTaskRow *self)
{
  GtkEventController *controller;
  GtkDragSource *source;
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));

  controller = gtk_event_controller_key_new ();
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (on_title_entry_key_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->title_entry), controller);

  controller = gtk_event_controller_focus_new ();
  /* The window may keep the entry (as its focus) after the row is gone. */
  g_signal_connect_object (controller, "leave", G_CALLBACK (on_title_entry_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->title_entry), controller);

  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare_cb), self);
  g_signal_connect (source, "drag-begin", G_CALLBACK (on_drag_begin_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (source));

  target = gtk_drop_target_new (ROSTER_TYPE_TASK, GDK_ACTION_MOVE);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  gtk_menu_button_set_create_popup_func (self->tags_button, create_tags_popup_cb, self, NULL);
}

GtkWidget *
roster_task_row_new (RosterStore *store)
{
  RosterTaskRow *self;

  g_return_val_if_fail (ROSTER_IS_STORE (store), NULL);

  self = g_object_new (ROSTER_TYPE_TASK_ROW, NULL);
  self->store = g_object_ref (store);

  return GTK_WIDGET (self);
}

void
roster_task_row_set_task (RosterTaskRow *self,
                          RosterTask    *task)
{
  g_return_if_fail (ROSTER_IS_TASK_ROW (self));
  g_return_if_fail (task == NULL || ROSTER_IS_TASK (task));

  if (self->task == task)
    return;

  if (self->task != NULL)
    {
      /* The tags popover and an unfinished rename belong to the old task.
       * A popover still shown would also outlive the row. */
      if (self->tags_button != NULL && gtk_menu_button_get_popover (self->tags_button) != NULL)
        {
          gtk_menu_button_popdown (self->tags_button);
          gtk_menu_button_set_popover (self->tags_button, NULL);
        }
      if (self->title_stack != NULL)
        {
          show_error (self, NULL);
          gtk_stack_set_visible_child_name (self->title_stack, "label");
        }

      g_signal_handlers_disconnect_by_data (self->task, self);
      g_signal_handlers_disconnect_by_data (self->categories, self);
      if (self->owner != NULL)
        g_signal_handlers_disconnect_by_data (self->owner, self);
      g_clear_object (&self->categories);
      g_clear_object (&self->owner);
      g_clear_object (&self->task);
    }

  if (task == NULL)
    return;

  self->task = g_object_ref (task);
  self->categories = roster_store_list_task_categories (self->store, task);
  g_signal_connect_object (task, "notify", G_CALLBACK (on_task_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->categories, "items-changed",
                           G_CALLBACK (on_categories_items_changed_cb), self, G_CONNECT_SWAPPED);

  update_from_task (self);
  rebuild_chips (self);
}

void
roster_task_row_set_show_owner (RosterTaskRow *self,
                                gboolean       show_owner)
{
  g_return_if_fail (ROSTER_IS_TASK_ROW (self));

  self->show_owner = !!show_owner;
  update_owner (self);
}

RosterTask *
roster_task_row_get_task (RosterTaskRow *self)
{
  g_return_val_if_fail (ROSTER_IS_TASK_ROW (self), NULL);

  return self->task;
}

gboolean
roster_task_row_get_editing (RosterTaskRow *self)
{
  g_return_val_if_fail (ROSTER_IS_TASK_ROW (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->title_stack), "entry") == 0;
}

void
roster_task_row_start_rename (RosterTaskRow *self)
{
  g_return_if_fail (ROSTER_IS_TASK_ROW (self));

  if (self->task == NULL)
    return;

  show_error (self, NULL);
  /* The title shown: a new one may still wait for the file. */
  gtk_editable_set_text (GTK_EDITABLE (self->title_entry), gtk_label_get_label (self->title_label));
  gtk_stack_set_visible_child_name (self->title_stack, "entry");
  gtk_widget_grab_focus (GTK_WIDGET (self->title_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->title_entry), 0, -1);
}

void
roster_task_row_popup_tags (RosterTaskRow *self)
{
  g_return_if_fail (ROSTER_IS_TASK_ROW (self));

  if (ensure_tags_popover (self) != NULL)
    gtk_menu_button_popup (self->tags_button);
}
