/* roster-window-details.c: the selected task's details: a pane beside the
 * list on a wide window (made when first needed, in its AdwBin), a dialog of
 * its own on a narrow one.
 */
#define G_LOG_DOMAIN "roster-window-details"

#include <glib/gi18n.h>

#include "roster-window-private.h"

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

GtkWindow *
_roster_window_get_details_dialog (RosterWindow *self)
{
  return self->details_dialog;
}

/* The window goes: the dialog too, with the notes being typed saved. */
void
_roster_window_destroy_details_dialog (RosterWindow *self)
{
  GtkWindow *dialog = g_steal_pointer (&self->details_dialog);

  if (dialog == NULL)
    return;
  on_details_dialog_close_request_cb (self, dialog);
  gtk_window_destroy (dialog);
}

/* The pane opened by its button before a task asked for it is made then. */
void
_roster_window_details_init (RosterWindow *self)
{
  g_signal_connect_object (self->details_flap, "notify::reveal-flap",
                           G_CALLBACK (on_details_flap_revealed_cb), self, G_CONNECT_SWAPPED);
}
