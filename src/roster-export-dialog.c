/* roster-export-dialog.c: "Export Tasks": the selected user's tasks, the
 * selected tag's, or every task; as iCalendar or CSV.
 *
 * Enter exports wherever the focus is: with the focus on a check button,
 * GTK would give the key to it (and the dialog's default button would only
 * answer Enter with the focus on a button), so a capture-phase key handler
 * activates the default button first. Space still toggles a choice.
 */
#define G_LOG_DOMAIN "roster-export-dialog"

#include <glib/gi18n.h>

#include "roster-export-dialog.h"

struct _RosterExportDialog
{
  AdwMessageDialog  parent_instance;

  /* Template widgets */
  GtkCheckButton   *user;
  GtkCheckButton   *tag;
  GtkCheckButton   *all;
  GtkCheckButton   *ics;
  GtkCheckButton   *csv;
};

G_DEFINE_FINAL_TYPE (RosterExportDialog, roster_export_dialog, ADW_TYPE_MESSAGE_DIALOG)

static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   RosterExportDialog    *self)
{
  GtkWidget *button = gtk_window_get_default_widget (GTK_WINDOW (self));

  if ((keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter) ||
      (state & gtk_accelerator_get_default_mod_mask ()) != 0 || button == NULL)
    return FALSE;
  return gtk_widget_activate (button);
}

static void
roster_export_dialog_class_init (RosterExportDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/rosterapp/Roster/roster-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterExportDialog, user);
  gtk_widget_class_bind_template_child (widget_class, RosterExportDialog, tag);
  gtk_widget_class_bind_template_child (widget_class, RosterExportDialog, all);
  gtk_widget_class_bind_template_child (widget_class, RosterExportDialog, ics);
  gtk_widget_class_bind_template_child (widget_class, RosterExportDialog, csv);
}

static void
roster_export_dialog_init (RosterExportDialog *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

/* Offers @button as @text, and chooses it when it is the first offered. */
static void
offer (RosterExportDialog *self,
       GtkCheckButton     *button,
       char               *text)
{
  gboolean first = !gtk_widget_get_visible (GTK_WIDGET (self->user)) &&
                   !gtk_widget_get_visible (GTK_WIDGET (self->tag));

  gtk_check_button_set_label (button, text);
  gtk_widget_set_visible (GTK_WIDGET (button), TRUE);
  if (first)
    gtk_check_button_set_active (button, TRUE);
  g_free (text);
}

GtkWidget *
roster_export_dialog_new (GtkWindow  *parent,
                          const char *username,
                          const char *tag_name)
{
  RosterExportDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (ROSTER_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  if (username != NULL)
    /* Translators: %s is a user's name */
    offer (self, self->user, g_strdup_printf (_("Tasks of “%s”"), username));
  if (tag_name != NULL)
    /* Translators: %s is a tag's name */
    offer (self, self->tag, g_strdup_printf (_("Tasks tagged “%s”"), tag_name));
  return GTK_WIDGET (self);
}

RosterExportWhat
roster_export_dialog_get_what (RosterExportDialog *self)
{
  g_return_val_if_fail (ROSTER_IS_EXPORT_DIALOG (self), ROSTER_EXPORT_ALL);

  if (gtk_widget_get_visible (GTK_WIDGET (self->user)) && gtk_check_button_get_active (self->user))
    return ROSTER_EXPORT_USER;
  if (gtk_widget_get_visible (GTK_WIDGET (self->tag)) && gtk_check_button_get_active (self->tag))
    return ROSTER_EXPORT_TAG;
  return ROSTER_EXPORT_ALL;
}

RosterExportFormat
roster_export_dialog_get_format (RosterExportDialog *self)
{
  g_return_val_if_fail (ROSTER_IS_EXPORT_DIALOG (self), ROSTER_EXPORT_ICS);

  return gtk_check_button_get_active (self->csv) ? ROSTER_EXPORT_CSV : ROSTER_EXPORT_ICS;
}
