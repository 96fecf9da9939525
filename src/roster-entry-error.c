/* roster-entry-error.c: shows why a change was refused under the field it
 * was typed in, or takes that away. */
#define G_LOG_DOMAIN "roster-entry-error"

#include "roster-entry-error.h"

/* With @error, @label says why (roster_messages_describe_error(), about
 * @subject), @entry takes the error style, and a screen reader that stays in
 * @entry reads the sentence as its description; without one, all three go.
 * @entry may be NULL for a label that belongs to no single field, and
 * @label, when there is no error, for one not made yet. */
void
roster_entry_error_show (GtkWidget     *entry,
                         GtkLabel      *label,
                         const GError  *error,
                         RosterSubject  subject)
{
  g_autofree char *message = NULL;

  g_return_if_fail (entry == NULL || GTK_IS_WIDGET (entry));
  g_return_if_fail (label == NULL || GTK_IS_LABEL (label));
  g_return_if_fail (error == NULL || label != NULL);

  if (label != NULL)
    gtk_widget_set_visible (GTK_WIDGET (label), error != NULL);
  if (error == NULL)
    {
      if (entry != NULL)
        {
          gtk_widget_remove_css_class (entry, "error");
          gtk_accessible_reset_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
        }
      return;
    }

  message = roster_messages_describe_error (error, subject);
  gtk_label_set_label (label, message);
  if (entry != NULL)
    {
      gtk_widget_add_css_class (entry, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                      -1);
    }
}
