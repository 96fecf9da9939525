/* roster-window-import.c: Import… and Export… in the window, and .ics files
 * dropped on the task list.
 *
 * The window only picks the files (GtkFileChooserNative: a portal in the
 * Flatpak, so it needs no file access) and says what happened; the
 * iCalendar and CSV modules (src/model/roster-ical.h, roster-csv.h) do the
 * rest; the Export dialog (roster-export-dialog.c) asks what to export. An
 * import reads and parses its files in a thread of its own while
 * it writes them on the main thread as one batch (roster_ical_import_run()
 * with the files queued): one undo step, which the toast offers. A file
 * refused (not iCalendar, not UTF-8, cut short, not readable) refuses the
 * whole import, and the toast says why.
 */
#define G_LOG_DOMAIN "roster-window-import"

#include <glib/gi18n.h>

#include "roster-csv.h"
#include "roster-export-dialog.h"
#include "roster-ical.h"
#include "roster-window-private.h"

/* Import */

/* A modal file chooser over the window, shown by the caller; with
 * @filter_name it offers only the files named @pattern or of @mime_type. */
GtkFileChooserNative *
_roster_window_new_file_chooser (RosterWindow         *self,
                                 const char           *title,
                                 GtkFileChooserAction  action,
                                 const char           *accept_label,
                                 const char           *filter_name,
                                 const char           *pattern,
                                 const char           *mime_type)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, accept_label, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (filter_name != NULL)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, filter_name);
      gtk_file_filter_add_pattern (filter, pattern);
      gtk_file_filter_add_mime_type (filter, mime_type);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  return chooser;
}

/* Whose the imported tasks become: the selected user's, else the first
 * user's; with no user at all, NULL lets the import name one after the
 * calendar (or "Imported"). */
static char *
import_owner (RosterWindow *self)
{
  g_autoptr(RosterUser) first = NULL;

  if (self->user != NULL)
    return g_strdup (roster_user_get_username (self->user));
  if (self->users == NULL || g_list_model_get_n_items (self->users) == 0)
    return NULL;
  first = g_list_model_get_item (self->users, 0);
  return g_strdup (roster_user_get_username (first));
}

/* How an import or export went, without Undo: it replaces the toast of an
 * earlier change, as the next change's toast replaces it. */
static void
show_message (RosterWindow *self,
              const char   *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  _roster_window_show_change_toast (self, toast);
}

void
_roster_window_import_files (RosterWindow  *self,
                             GFile        **files,
                             guint          n_files)
{
  g_autoptr(RosterIcalImport) import = roster_ical_import_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *owner = NULL;

  /* The file was closed or refused. */
  if (self->store == NULL || !_roster_window_action_is_enabled (self, "win.import"))
    return;

  /* Read in the import's own thread while it writes. */
  for (guint i = 0; i < n_files; i++)
    roster_ical_import_queue_file (import, files[i]);
  owner = import_owner (self);
  if (!roster_ical_import_run (import, self->store, owner, &error))
    {
      /* A file refused: the import's sentences name it and say why. */
      if (error->domain == ROSTER_ERROR &&
          (error->code == ROSTER_ERROR_INVALID || error->code == ROSTER_ERROR_INVALID_UTF8))
        show_message (self, error->message);
      else if (error->domain == G_IO_ERROR)
        show_message (self, error->message);
      else
        _roster_window_show_error (self, error, ROSTER_SUBJECT_TASK);
      return;
    }

  message = roster_ical_import_describe (import);
  if (roster_ical_import_get_n_imported (import) > 0)
    _roster_window_show_undo_toast (self, message);
  else
    show_message (self, message);
}

static void
import_files_of (RosterWindow *self,
                 GListModel   *model)
{
  guint n = g_list_model_get_n_items (model);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (files, g_list_model_get_item (model, i));
  if (n > 0)
    _roster_window_import_files (self, (GFile **) files->pdata, n);
}

static void
import_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    RosterWindow    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));

      import_files_of (self, files);
    }
  g_object_unref (chooser);
}

void
_roster_window_import_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  RosterWindow *self = ROSTER_WINDOW (widget);
  GtkFileChooserNative *chooser;

  chooser = _roster_window_new_file_chooser (self, _("Import Tasks"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"),
                                             _("iCalendar files"), "*.ics", "text/calendar");
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (import_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Files dropped on the task list import as if chosen in Import…. */
static gboolean
on_drop_cb (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            RosterWindow  *self)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new ();
  /* (transfer container): the list is ours, its files the value's. */
  g_autoptr(GSList) list = NULL;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) ||
      !_roster_window_action_is_enabled (self, "win.import"))
    return FALSE;

  list = gdk_file_list_get_files (g_value_get_boxed (value));
  for (GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, l->data);
  if (files->len == 0)
    return FALSE;
  _roster_window_import_files (self, (GFile **) files->pdata, files->len);
  return TRUE;
}

void
_roster_window_import_init (RosterWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_signal_connect (target, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->content_stack), GTK_EVENT_CONTROLLER (target));
}

/* Export */

gboolean
_roster_window_export_to (RosterWindow       *self,
                          RosterExportWhat    what,
                          RosterExportFormat  format,
                          GFile              *file)
{
  RosterUser *user = what == ROSTER_EXPORT_USER ? self->user : NULL;
  RosterCategory *category = what == ROSTER_EXPORT_TAG ? self->category : NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;

  if (self->store == NULL)
    return FALSE;
  if (format == ROSTER_EXPORT_CSV)
    bytes = roster_csv_export (self->store, user, category, &error);
  else
    bytes = roster_ical_export (self->store, user, category, &error);

  if (bytes == NULL)
    {
      _roster_window_show_error (self, error, ROSTER_SUBJECT_TASK);
      return FALSE;
    }
  if (!g_file_replace_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, &error))
    {
      /* Translators: %s is a file name, then why it could not be written */
      message = g_strdup_printf (_("Could not export to “%s”: %s"), name, error->message);
      show_message (self, message);
      return FALSE;
    }

  /* Translators: %s is a file name */
  message = g_strdup_printf (_("Exported to “%s”"), name);
  show_message (self, message);
  return TRUE;
}

/* What the export dialog asked, kept with the file chooser. */
typedef struct
{
  RosterExportWhat what;
  RosterExportFormat format;
} ExportChoice;

static void
export_chosen_cb (GtkNativeDialog *chooser,
                  int              response,
                  RosterWindow    *self)
{
  ExportChoice *choice = g_object_get_data (G_OBJECT (chooser), "roster-export-choice");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        _roster_window_export_to (self, choice->what, choice->format, file);
    }
  g_object_unref (chooser);
}

static void
export_response_cb (RosterExportDialog *dialog,
                    const char         *response,
                    RosterWindow       *self)
{
  ExportChoice *choice;
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;
  const char *base;

  if (!g_str_equal (response, "export") || self->store == NULL)
    return;

  choice = g_new0 (ExportChoice, 1);
  choice->what = roster_export_dialog_get_what (dialog);
  choice->format = roster_export_dialog_get_format (dialog);
  /* The selection may have changed meanwhile. */
  if (choice->what == ROSTER_EXPORT_USER && self->user != NULL)
    base = roster_user_get_username (self->user);
  else if (choice->what == ROSTER_EXPORT_TAG && self->category != NULL)
    base = roster_category_get_name (self->category);
  else
    {
      choice->what = ROSTER_EXPORT_ALL;
      /* Translators: the file name an export of every task suggests */
      base = _("Tasks");
    }
  name = g_strconcat (base, choice->format == ROSTER_EXPORT_CSV ? ".csv" : ".ics", NULL);
  /* A name is no path. */
  g_strdelimit (name, "/", '-');

  chooser = _roster_window_new_file_chooser (self, _("Export Tasks"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                             NULL, NULL, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "roster-export-choice", choice, g_free);
  g_signal_connect (chooser, "response", G_CALLBACK (export_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_roster_window_export_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  RosterWindow *self = ROSTER_WINDOW (widget);
  GtkWidget *dialog;

  dialog = roster_export_dialog_new (GTK_WINDOW (self),
                                     self->user != NULL ? roster_user_get_username (self->user) : NULL,
                                     self->category != NULL ? roster_category_get_name (self->category) : NULL);
  g_signal_connect_object (dialog, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
