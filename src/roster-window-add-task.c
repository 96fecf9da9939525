/* roster-window-add-task.c: adding a task, in the entry above a user's
 * list (users and tags are added in the sidebar, roster-sidebar.c).
 */
#define G_LOG_DOMAIN "roster-window"

#include "roster-entry-error.h"
#include "roster-window-private.h"

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
    _roster_window_select_and_focus_task (self, task);
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

void
_roster_window_add_task_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_add_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_entry_changed_cb);
}

void
_roster_window_add_task_init (RosterWindow *self)
{
  GtkEventController *controller;

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_add_entry_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->add_entry), controller);
}
