/* roster-window-open.c: the window while its file is prepared for this
 * version of Roster.
 *
 * A file from elsewhere (the seed's SQLModel classes, an older Roster) is
 * checked, copied aside and migrated before the store can use it, which takes
 * seconds for a large one. The window opens at once and shows a page saying
 * so, with a progress bar, while roster_store_open_async() does the work in
 * a worker thread; then it shows the store as after any open. Closing the
 * window meanwhile stops the work: the file is left as it was, and the
 * window goes once the worker has rolled back (a moment). The work holds
 * no reference to the window: one destroyed without a close request (the
 * application quitting) stops it too, and the log says what became of the
 * file.
 *
 * The page is made only for such a file: a file that needs nothing opens
 * synchronously (open_store() in roster-window.c), as fast as before.
 */
#define G_LOG_DOMAIN "roster-window-open"

#include <glib/gi18n.h>

#include "roster-window-private.h"

struct _RosterWindowPreparing
{
  /* Weak: the window may go first (it stops the work then); this is freed
   * when the work is done. */
  RosterWindow   *window;
  char           *path;
  GCancellable   *cancellable;
  GtkWidget      *page;         /* in the main stack, as "preparing" */
  AdwStatusPage  *status;
  GtkProgressBar *bar;
  /* Closed meanwhile: the window goes when the worker is done. */
  gboolean        closing;
  /* To say once the store shows (_roster_window_toast_when_open()). */
  char           *toast;
};

static void
preparing_free (RosterWindowPreparing *preparing)
{
  g_object_unref (preparing->cancellable);
  g_free (preparing->path);
  g_free (preparing->toast);
  g_free (preparing);
}

/* The window lets go of @preparing (which the work's end frees): its page
 * goes, and nothing calls the window any more. */
static void
detach (RosterWindowPreparing *preparing)
{
  RosterWindow *self = preparing->window;

  if (self == NULL)
    return;
  g_object_remove_weak_pointer (G_OBJECT (self), (gpointer *) &preparing->window);
  preparing->window = NULL;
  self->preparing = NULL;
  /* Gone with the template already when the window is disposed. */
  if (gtk_widget_get_parent (preparing->page) == GTK_WIDGET (self->main_stack))
    gtk_stack_remove (self->main_stack, preparing->page);
}

static GtkWidget *
new_page (RosterWindow          *self,
          RosterWindowPreparing *preparing)
{
  g_autofree char *name = g_filename_display_basename (self->path);
  g_autofree char *title = NULL;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *bar = gtk_progress_bar_new ();
  GtkWidget *status = adw_status_page_new ();

  gtk_widget_add_css_class (header, "flat");
  gtk_box_append (GTK_BOX (box), header);

  /* Translators: %s is a file name. */
  title = g_strdup_printf (_("Preparing “%s” for this version of Roster…"), name);
  adw_status_page_set_title (ADW_STATUS_PAGE (status), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   _("This is done once. Closing the window stops it and leaves the file as it was."));
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "document-open-symbolic");
  gtk_widget_set_vexpand (status, TRUE);

  /* The percentage, in the bar's own words. */
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (bar), TRUE);
  gtk_widget_set_size_request (bar, 300, -1);
  gtk_widget_set_halign (bar, GTK_ALIGN_CENTER);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (bar),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, status, NULL,
                                  -1);
  adw_status_page_set_child (ADW_STATUS_PAGE (status), bar);
  gtk_box_append (GTK_BOX (box), status);

  preparing->status = ADW_STATUS_PAGE (status);
  preparing->bar = GTK_PROGRESS_BAR (bar);
  return box;
}

static void
on_progress_cb (double   fraction,
                gpointer data)
{
  RosterWindowPreparing *preparing = data;

  if (preparing->window != NULL)
    gtk_progress_bar_set_fraction (preparing->bar, fraction);
}

static void
on_prepared_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  RosterWindowPreparing *preparing = data;
  RosterWindow *self = preparing->window;
  g_autoptr(GError) error = NULL;
  RosterStore *store = roster_store_open_finish (result, &error);

  /* Closed, or gone altogether: there is nobody to show the file to. */
  if (self == NULL || preparing->closing)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("%s was left as it was: the window was closed before it was prepared", preparing->path);
      else if (store != NULL)
        /* The close came while the migration committed (its last ~50 ms):
         * too late to take back, so say what really happened. */
        g_message ("%s was prepared for this version of Roster: the window was closed as it finished",
                   preparing->path);
      g_clear_object (&store);
      detach (preparing);
      if (self != NULL)
        gtk_window_close (GTK_WINDOW (self));
    }
  else
    {
      detach (preparing);
      _roster_window_take_store (self, store, g_steal_pointer (&error));
      if (self->store != NULL && preparing->toast != NULL)
        _roster_window_toast_when_open (self, preparing->toast);
    }
  preparing_free (preparing);
}

void
_roster_window_prepare_store (RosterWindow *self)
{
  RosterWindowPreparing *preparing = g_new0 (RosterWindowPreparing, 1);

  g_return_if_fail (self->preparing == NULL);

  preparing->window = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &preparing->window);
  preparing->path = g_strdup (self->path);
  preparing->cancellable = g_cancellable_new ();
  preparing->page = new_page (self, preparing);
  gtk_stack_add_named (self->main_stack, preparing->page, "preparing");
  gtk_stack_set_visible_child (self->main_stack, preparing->page);
  self->preparing = preparing;
  _roster_window_update_actions (self);

  roster_store_open_async (self->path, ROSTER_OPEN_DEFAULT, preparing->cancellable,
                           on_progress_cb, preparing, on_prepared_cb, preparing);
}

gboolean
_roster_window_stop_preparing (RosterWindow *self)
{
  RosterWindowPreparing *preparing = self->preparing;

  if (preparing == NULL)
    return FALSE;

  if (!preparing->closing)
    {
      preparing->closing = TRUE;
      g_cancellable_cancel (preparing->cancellable);
      adw_status_page_set_description (preparing->status, _("Stopping. The file is left as it was."));
    }
  return TRUE;
}

void
_roster_window_forget_preparing (RosterWindow *self)
{
  RosterWindowPreparing *preparing = self->preparing;

  if (preparing == NULL)
    return;
  g_cancellable_cancel (preparing->cancellable);
  detach (preparing);
}

void
_roster_window_toast_when_open (RosterWindow *self,
                                const char   *message)
{
  if (self->store != NULL)
    adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
  else if (self->preparing != NULL)
    {
      g_free (self->preparing->toast);
      self->preparing->toast = g_strdup (message);
    }
}

gboolean
roster_window_is_preparing (RosterWindow *self)
{
  g_return_val_if_fail (ROSTER_IS_WINDOW (self), FALSE);

  return self->preparing != NULL;
}
