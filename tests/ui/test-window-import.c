/* test-window-import.c: Import… and Export… in the window, from the file
 * chosen on: an import goes to the selected user (else the first, else a
 * user named after the calendar) as one undo step and says so; a refused
 * file imports nothing and says why; an export writes the user's, the tag's
 * or every task as iCalendar or CSV, which reads back; Enter in the Export
 * dialog exports, whatever has the focus; files dropped on the task list
 * import (through its drop target's signal). The file chooser itself is
 * GTK's (a portal in the Flatpak) and is not driven here.
 *
 * ROSTER_WINDOW_SCREENSHOTS=DIR saves window-export-dialog.png and
 * window-dropped.png there. */
#include <string.h>

/* GtkFileChooserDialog: what GtkFileChooserNative shows without a portal. */
#define GDK_DISABLE_DEPRECATION_WARNINGS

#include "roster-ical.h"
#include "roster-window-test-util.h"

static const char groceries_ics[] =
  "BEGIN:VCALENDAR\r\n"
  "VERSION:2.0\r\n"
  "PRODID:-//Roster tests//EN\r\n"
  "X-WR-CALNAME:Groceries\r\n"
  "BEGIN:VTODO\r\n"
  "UID:import-test-1\r\n"
  "DTSTAMP:20240301T090000Z\r\n"
  "SUMMARY:Buy milk\r\n"
  "CATEGORIES:Shop\r\n"
  "END:VTODO\r\n"
  "BEGIN:VTODO\r\n"
  "UID:import-test-2\r\n"
  "DTSTAMP:20240301T090000Z\r\n"
  "SUMMARY:Buy bread\r\n"
  "DUE;VALUE=DATE:20240305\r\n"
  "END:VTODO\r\n"
  "BEGIN:VTODO\r\n"
  "UID:import-test-3\r\n"
  "DTSTAMP:20240301T090000Z\r\n"
  "SUMMARY:Pay rent\r\n"
  "STATUS:COMPLETED\r\n"
  "END:VTODO\r\n"
  "BEGIN:VEVENT\r\n"
  "UID:import-test-event\r\n"
  "DTSTAMP:20240301T090000Z\r\n"
  "DTSTART:20240302T100000Z\r\n"
  "SUMMARY:Market\r\n"
  "END:VEVENT\r\n"
  "END:VCALENDAR\r\n";

static GFile *
write_file (Fixture    *f,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return g_file_new_for_path (path);
}

static char *
read_file (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static const char *
toast_title (Fixture *f)
{
  AdwToast *toast = _roster_window_get_change_toast (f->window);

  return toast != NULL ? adw_toast_get_title (toast) : NULL;
}

static gboolean
time_out_cb (gpointer user_data)
{
  g_error ("the import did not end: no toast came");
  return G_SOURCE_REMOVE;
}

/* Imports @files as if chosen in Import…, and waits for the toast that
 * says how it went (the files are read in a thread). */
static void
import_files (Fixture *f,
              GFile  **files,
              guint    n_files)
{
  guint timeout;

  _roster_window_forget_change_toast (f->window);
  _roster_window_import_files (f->window, files, n_files);
  timeout = g_timeout_add_seconds (20, time_out_cb, NULL);
  while (toast_title (f) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  roster_ui_test_spin ();
}

static void
test_import_into_selected_user (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");
  g_autoptr(GListModel) alice_tasks = user_tasks (f, alice);
  g_autoptr(GListModel) bob_tasks = user_tasks (f, bob);
  g_autoptr(GFile) file = write_file (f, "groceries.ics", groceries_ics);
  g_autoptr(RosterCategory) shop = NULL;
  AdwToast *toast;

  g_assert_true (_roster_window_action_is_enabled (f->window, "win.import"));
  _roster_window_select_user (f->window, bob);
  roster_ui_test_spin ();
  import_files (f, &file, 1);

  g_assert_cmpuint (g_list_model_get_n_items (bob_tasks), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (alice_tasks), ==, 0);
  g_assert_cmpuint (count_task_rows (f->window), ==, 3);
  shop = roster_store_find_category (f->store, "Shop");
  g_assert_nonnull (shop);
  toast = _roster_window_get_change_toast (f->window);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "Imported 3 tasks; 1 event was skipped");
  g_assert_cmpstr (adw_toast_get_action_name (toast), ==, "win.undo");

  /* One step takes them all back. */
  activate (f, "win.undo");
  g_assert_cmpuint (g_list_model_get_n_items (bob_tasks), ==, 0);
  g_assert_cmpuint (count_task_rows (f->window), ==, 0);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM task WHERE id > ?", 0), ==, 0);

  /* With a tag selected, the first user gets them. */
  activate (f, "win.redo");
  g_assert_cmpuint (g_list_model_get_n_items (bob_tasks), ==, 3);
  _roster_window_select_category (f->window, shop);
  roster_ui_test_spin ();
  {
    g_autoptr(GFile) other = write_file (f, "other.ics",
                                         "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
                                         "BEGIN:VTODO\r\nUID:import-test-4\r\nDTSTAMP:20240301T090000Z\r\n"
                                         "SUMMARY:Call mum\r\nEND:VTODO\r\nEND:VCALENDAR\r\n");

    import_files (f, &other, 1);
  }
  g_assert_cmpuint (g_list_model_get_n_items (alice_tasks), ==, 1);
  g_assert_cmpstr (toast_title (f), ==, "Imported 1 task");
}

static void
test_import_without_user (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (f, "groceries.ics", groceries_ics);
  g_autoptr(RosterUser) groceries = NULL;

  import_files (f, &file, 1);
  groceries = roster_store_find_user (f->store, "Groceries");
  g_assert_nonnull (groceries);
  g_assert_cmpuint (roster_user_get_n_tasks (groceries), ==, 3);
}

static void
test_import_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(GListModel) tasks = user_tasks (f, alice);
  GFile *files[2];

  files[0] = write_file (f, "groceries.ics", groceries_ics);
  files[1] = write_file (f, "contact.ics", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Alice\r\nEND:VCARD\r\n");
  import_files (f, files, 2);

  /* Nothing of the good file either, and the toast names the bad one. */
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 0);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM task WHERE id > ?", 0), ==, 0);
  g_assert_cmpstr (toast_title (f), ==, "“contact.ics” is not an iCalendar file. Nothing was imported.");
  g_assert_null (adw_toast_get_action_name (_roster_window_get_change_toast (f->window)));
  g_object_unref (files[0]);
  g_object_unref (files[1]);
}

/* Reads an exported .ics back as an import would. */
static guint
count_todos (GFile *file)
{
  g_autoptr(RosterIcalImport) import = roster_ical_import_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (roster_ical_import_add_file (import, file, NULL, &error));
  g_assert_no_error (error);
  return roster_ical_import_get_n_todos (import);
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");
  g_autoptr(GFile) groceries = write_file (f, "groceries.ics", groceries_ics);
  g_autofree char *user_path = g_build_filename (f->dir, "alice.ics", NULL);
  g_autofree char *tag_path = g_build_filename (f->dir, "shop.ics", NULL);
  g_autofree char *all_path = g_build_filename (f->dir, "all.csv", NULL);
  g_autoptr(GFile) user_file = g_file_new_for_path (user_path);
  g_autoptr(GFile) tag_file = g_file_new_for_path (tag_path);
  g_autoptr(GFile) all_file = g_file_new_for_path (all_path);
  g_autoptr(RosterCategory) shop = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *ics = NULL;
  g_auto(GStrv) lines = NULL;

  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  import_files (f, &groceries, 1);
  _roster_window_select_user (f->window, bob);
  roster_ui_test_spin ();
  type_and_enter (add_entry (f), "Fix the bike");

  /* Bob's one task. */
  g_assert_true (_roster_window_action_is_enabled (f->window, "win.export"));
  g_assert_true (_roster_window_export_to (f->window, ROSTER_EXPORT_USER, ROSTER_EXPORT_ICS, user_file));
  g_assert_cmpstr (toast_title (f), ==, "Exported to “alice.ics”");
  g_assert_cmpuint (count_todos (user_file), ==, 1);
  ics = read_file (user_file);
  g_assert_nonnull (strstr (ics, "SUMMARY:Fix the bike"));

  /* The tag's: the one task tagged Shop, with its UID kept. */
  shop = roster_store_find_category (f->store, "Shop");
  _roster_window_select_category (f->window, shop);
  roster_ui_test_spin ();
  g_assert_true (_roster_window_export_to (f->window, ROSTER_EXPORT_TAG, ROSTER_EXPORT_ICS, tag_file));
  g_assert_cmpuint (count_todos (tag_file), ==, 1);
  g_clear_pointer (&ics, g_free);
  ics = read_file (tag_file);
  g_assert_nonnull (strstr (ics, "UID:import-test-1"));

  /* Everything, as CSV: a header and four tasks. */
  g_assert_true (_roster_window_export_to (f->window, ROSTER_EXPORT_ALL, ROSTER_EXPORT_CSV, all_file));
  csv = read_file (all_file);
  g_assert_true (g_str_has_prefix (csv, "title,owner,done,due,due_time,priority,repeat,tags,notes"));
  g_assert_nonnull (strstr (csv, "Buy bread,Alice,no,2024-03-05,,"));
  g_assert_nonnull (strstr (csv, "Fix the bike,Bob,no,,,"));
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
}

/* The file chooser shown, GTK's own without a portal. */
static GtkWidget *
visible_file_chooser (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (GTK_IS_FILE_CHOOSER_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static void
test_export_dialog (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  AdwMessageDialog *dialog;

  type_and_enter (add_entry (f), "Buy milk");
  activate (f, "win.export");
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  /* The selected user's tasks are offered first, and chosen. */
  g_assert_nonnull (find_descendant (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON, NULL));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Export Tasks");
  roster_ui_test_save_screenshot (GTK_WIDGET (dialog), "ROSTER_WINDOW_SCREENSHOTS", "window", "export-dialog");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  roster_ui_test_spin ();
  g_assert_null (find_dialog ());

#ifdef __SANITIZE_ADDRESS__
  /* GTK 4.8's own file chooser (what GtkFileChooserNative shows without a
   * portal) leaves GIO allocations behind that LeakSanitizer reports (the CI
   * run of 2026-12-06); the normal build checks the rest. */
  g_test_message ("the file chooser is not opened under AddressSanitizer");
  return;
#endif

  /* Export… then asks where, with a name made of what is exported (here,
   * without a portal, in GTK's own dialog). */
  activate (f, "win.export");
  dialog = find_dialog ();
  adw_message_dialog_response (dialog, "export");
  gtk_window_destroy (GTK_WINDOW (dialog));
  roster_ui_test_spin ();
  {
    GtkWidget *chooser = visible_file_chooser ();
    g_autofree char *name = NULL;

    g_assert_nonnull (chooser);
    name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
    g_assert_cmpstr (name, ==, "Alice.ics");
    gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
    roster_ui_test_spin ();
  }
}

static void
record_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    char            **out)
{
  g_free (*out);
  *out = g_strdup (response);
}

/* Enter exports with the focus on a choice (a check button would take the
 * key for itself), the format chosen; Escape does not. */
static void
test_export_dialog_enter (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autofree char *response = NULL;
  g_autofree char *name = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *csv;
  GtkWidget *chooser;
  gint64 deadline;

#ifdef __SANITIZE_ADDRESS__
  /* Enter opens GTK's own file chooser: see test_export_dialog(). */
  g_test_skip ("the file chooser is not opened under AddressSanitizer");
  return;
#endif

  type_and_enter (add_entry (f), "Buy milk");
  activate (f, "win.export");
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (record_response_cb), &response);
  csv = find_descendant (GTK_WIDGET (dialog), GTK_TYPE_LABEL, "CSV (.csv), for spreadsheets");
  g_assert_nonnull (csv);
  csv = gtk_widget_get_ancestor (csv, GTK_TYPE_CHECK_BUTTON);
  g_assert_nonnull (csv);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (csv), TRUE);
  gtk_widget_grab_focus (csv);
  roster_ui_test_spin ();
  g_assert_true (gtk_widget_has_focus (csv));

  /* Other keys are the check button's. */
  g_assert_false (roster_ui_test_press_key (GTK_WIDGET (dialog), GDK_KEY_space));
  g_assert_null (response);

  /* The button pressed, as GTK shows it for a moment before its click. */
  g_assert_true (roster_ui_test_press_key (GTK_WIDGET (dialog), GDK_KEY_Return));
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (response == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  roster_ui_test_spin ();
  g_assert_cmpstr (response, ==, "export");
  g_assert_null (find_dialog ());

  /* The file chooser asks where, for the CSV of Alice's tasks. */
  chooser = visible_file_chooser ();
  g_assert_nonnull (chooser);
  name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
  g_assert_cmpstr (name, ==, "Alice.csv");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  roster_ui_test_spin ();
}

/* What the task list's drop target does with the files dropped on it (a
 * real drag and drop needs a compositor Xvfb does not have): the drop
 * signal of its GtkDropTarget with a GdkFileList, as GTK emits it. */
static gboolean
drop_files (Fixture  *f,
            GFile   **files,
            guint     n_files)
{
  GtkWidget *content = GTK_WIDGET (f->window->content_stack);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (content);
  g_autoptr(GSList) list = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  GtkDropTarget *target = NULL;
  gboolean accepted = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);
  /* It takes files, to copy. */
  g_assert_cmpint (gtk_drop_target_get_actions (target), ==, GDK_ACTION_COPY);
  g_assert_true (g_type_is_a (GDK_TYPE_FILE_LIST, gtk_drop_target_get_gtypes (target, NULL)[0]));

  for (guint i = n_files; i > 0; i--)
    list = g_slist_prepend (list, files[i - 1]);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (list));
  _roster_window_forget_change_toast (f->window);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  roster_ui_test_spin ();
  return accepted;
}

static void
test_drop (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(GListModel) tasks = user_tasks (f, alice);
  g_autoptr(GFile) groceries = write_file (f, "groceries.ics", groceries_ics);
  g_autoptr(GFile) contact = write_file (f, "contact.ics", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Alice\r\nEND:VCARD\r\n");
  GFile *both[2] = { groceries, contact };

  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();

  /* A refused file among those dropped: nothing, and the toast says why. */
  g_assert_true (drop_files (f, both, 2));
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 0);
  g_assert_cmpstr (toast_title (f), ==, "“contact.ics” is not an iCalendar file. Nothing was imported.");

  /* The calendar alone: the selected user's tasks, rows shown, one undo. */
  g_assert_true (drop_files (f, &groceries, 1));
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 3);
  g_assert_cmpuint (count_task_rows (f->window), ==, 3);
  g_assert_cmpstr (toast_title (f), ==, "Imported 3 tasks; 1 event was skipped");
  g_assert_cmpstr (adw_toast_get_action_name (_roster_window_get_change_toast (f->window)), ==, "win.undo");
  roster_ui_test_save_screenshot (GTK_WIDGET (f->window), "ROSTER_WINDOW_SCREENSHOTS", "window", "dropped");
  activate (f, "win.undo");
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 0);

  /* Nothing dropped, nothing done. */
  g_assert_false (drop_files (f, NULL, 0));
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  if (!roster_ui_test_init (&argc, &argv))
    return 77;

  ADD_TEST ("/window/import/selected-user", test_import_into_selected_user);
  ADD_TEST ("/window/import/without-user", test_import_without_user);
  ADD_TEST ("/window/import/refused", test_import_refused);
  ADD_TEST ("/window/export/to-file", test_export);
  ADD_TEST ("/window/export/dialog", test_export_dialog);
  ADD_TEST ("/window/export/dialog-enter", test_export_dialog_enter);
  ADD_TEST ("/window/import/drop", test_drop);

  return g_test_run ();
}
