/* roster-delete-user-dialog.c: "Delete “Alice”?" for a user who owns tasks:
 * delete them too, or give them to another user chosen in a drop-down.
 * (A user without tasks is deleted without asking.)
 */
#define G_LOG_DOMAIN "roster-delete-user-dialog"

#include <glib/gi18n.h>

#include "roster-delete-user-dialog.h"

struct _RosterDeleteUserDialog
{
  AdwMessageDialog  parent_instance;

  RosterUser       *user;

  /* Template widgets */
  GtkDropDown      *heirs;
};

G_DEFINE_FINAL_TYPE (RosterDeleteUserDialog, roster_delete_user_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
roster_delete_user_dialog_dispose (GObject *object)
{
  RosterDeleteUserDialog *self = ROSTER_DELETE_USER_DIALOG (object);

  g_clear_object (&self->user);

  G_OBJECT_CLASS (roster_delete_user_dialog_parent_class)->dispose (object);
}

static void
roster_delete_user_dialog_class_init (RosterDeleteUserDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_delete_user_dialog_dispose;

  /* The template's expression names the type. */
  g_type_ensure (ROSTER_TYPE_USER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/rosterapp/Roster/roster-delete-user-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterDeleteUserDialog, heirs);
}

static void
roster_delete_user_dialog_init (RosterDeleteUserDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The drop-down's button is what a screen reader lands on. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->heirs)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Give the tasks to"),
                                      -1);
}

static gboolean
other_user_filter_func (gpointer item,
                        gpointer user_data)
{
  return item != user_data;
}

GtkWidget *
roster_delete_user_dialog_new (GtkWindow  *parent,
                               RosterUser *user,
                               GListModel *users)
{
  RosterDeleteUserDialog *self;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GtkFilterListModel) others = NULL;
  guint n_tasks;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ROSTER_IS_USER (user), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (users), NULL);

  n_tasks = roster_user_get_n_tasks (user);
  /* Translators: %s is a user name */
  heading = g_strdup_printf (_("Delete “%s”?"), roster_user_get_username (user));
  body = g_strdup_printf (ngettext ("%s owns %u task. Delete it too, or give it to another user?",
                                    "%s owns %u tasks. Delete them too, or give them to another user?",
                                    n_tasks),
                          roster_user_get_username (user), n_tasks);
  self = g_object_new (ROSTER_TYPE_DELETE_USER_DIALOG,
                       "transient-for", parent,
                       "heading", heading,
                       "body", body,
                       NULL);
  self->user = g_object_ref (user);

  others = gtk_filter_list_model_new (g_object_ref (users),
                                      GTK_FILTER (gtk_custom_filter_new (other_user_filter_func, user, NULL)));
  if (g_list_model_get_n_items (G_LIST_MODEL (others)) > 0)
    gtk_drop_down_set_model (self->heirs, G_LIST_MODEL (others));
  else
    {
      /* Nobody to give the tasks to. */
      adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "move", FALSE);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), NULL);
      self->heirs = NULL;
    }
  return GTK_WIDGET (self);
}

void
roster_delete_user_dialog_set_synced (RosterDeleteUserDialog *self,
                                      gboolean                synced)
{
  g_autofree char *body = NULL;

  g_return_if_fail (ROSTER_IS_DELETE_USER_DIALOG (self));

  if (!synced)
    return;
  body = g_strconcat (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (self)), "\n\n",
                      _("The user’s task list on the sync server is deleted too."), NULL);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
}

RosterUser *
roster_delete_user_dialog_get_user (RosterDeleteUserDialog *self)
{
  g_return_val_if_fail (ROSTER_IS_DELETE_USER_DIALOG (self), NULL);

  return self->user;
}

RosterUser *
roster_delete_user_dialog_get_heir (RosterDeleteUserDialog *self)
{
  g_return_val_if_fail (ROSTER_IS_DELETE_USER_DIALOG (self), NULL);

  return self->heirs != NULL ? gtk_drop_down_get_selected_item (self->heirs) : NULL;
}
