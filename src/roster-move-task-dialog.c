/* roster-move-task-dialog.c: "Move “Buy milk” To…": every other user in a
 * list, the first one chosen and focused, so that Enter gives the task to
 * them.
 */
#define G_LOG_DOMAIN "roster-move-task-dialog"

#include <glib/gi18n.h>

#include "roster-list-util.h"
#include "roster-move-task-dialog.h"

/* The user a row of the list stands for. */
#define ROW_USER_KEY "roster-user"

struct _RosterMoveTaskDialog
{
  AdwMessageDialog  parent_instance;

  RosterTask       *task;

  /* Template widgets */
  GtkListBox       *users;
};

G_DEFINE_FINAL_TYPE (RosterMoveTaskDialog, roster_move_task_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
on_row_activated_cb (RosterMoveTaskDialog *self,
                     GtkListBoxRow        *row)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), "move");
  gtk_window_close (GTK_WINDOW (self));
}

/* Shown: the keyboard starts on the first user. */
static void
roster_move_task_dialog_show (GtkWidget *widget)
{
  RosterMoveTaskDialog *self = ROSTER_MOVE_TASK_DIALOG (widget);
  GtkListBoxRow *first;

  GTK_WIDGET_CLASS (roster_move_task_dialog_parent_class)->show (widget);

  first = gtk_list_box_get_row_at_index (self->users, 0);
  if (first != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (first));
}

static void
roster_move_task_dialog_dispose (GObject *object)
{
  RosterMoveTaskDialog *self = ROSTER_MOVE_TASK_DIALOG (object);

  g_clear_object (&self->task);

  G_OBJECT_CLASS (roster_move_task_dialog_parent_class)->dispose (object);
}

static void
roster_move_task_dialog_class_init (RosterMoveTaskDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_move_task_dialog_dispose;
  widget_class->show = roster_move_task_dialog_show;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/rosterapp/Roster/roster-move-task-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterMoveTaskDialog, users);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
}

static void
roster_move_task_dialog_init (RosterMoveTaskDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static GtkWidget *
new_user_row (RosterUser *user)
{
  GtkWidget *row = roster_list_box_text_row_new (roster_user_get_username (user));

  g_object_set_data_full (G_OBJECT (row), ROW_USER_KEY, g_object_ref (user), g_object_unref);
  return row;
}

GtkWidget *
roster_move_task_dialog_new (GtkWindow  *parent,
                             RosterTask *task,
                             GListModel *users)
{
  RosterMoveTaskDialog *self;
  g_autofree char *heading = NULL;
  guint n;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ROSTER_IS_TASK (task), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (users), NULL);

  /* Translators: %s is a task title */
  heading = g_strdup_printf (_("Move “%s” To…"), roster_task_get_title (task));
  self = g_object_new (ROSTER_TYPE_MOVE_TASK_DIALOG,
                       "transient-for", parent,
                       "heading", heading,
                       NULL);
  self->task = g_object_ref (task);

  n = g_list_model_get_n_items (users);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RosterUser) user = g_list_model_get_item (users, i);

      if (user != roster_task_get_owner (task))
        gtk_list_box_append (self->users, new_user_row (user));
    }
  gtk_list_box_select_row (self->users, gtk_list_box_get_row_at_index (self->users, 0));
  return GTK_WIDGET (self);
}

RosterTask *
roster_move_task_dialog_get_task (RosterMoveTaskDialog *self)
{
  g_return_val_if_fail (ROSTER_IS_MOVE_TASK_DIALOG (self), NULL);

  return self->task;
}

RosterUser *
roster_move_task_dialog_get_user (RosterMoveTaskDialog *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (ROSTER_IS_MOVE_TASK_DIALOG (self), NULL);

  row = gtk_list_box_get_selected_row (self->users);
  return row != NULL ? g_object_get_data (G_OBJECT (row), ROW_USER_KEY) : NULL;
}
