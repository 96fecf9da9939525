/* test-window-settings.c: the window's settings (its size, the last user
 * selected) and its size: at 360 px the sidebar folds away and the details
 * open in a dialog. */
#include "roster-window-test-util.h"

static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.rosterapp.Roster");
  g_autoptr(RosterUser) alice = NULL;
  g_autoptr(RosterUser) bob = NULL;
  int width, height;

  g_settings_set_int (settings, "window-width", 777);
  g_settings_set_int (settings, "window-height", 555);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  open_window (f);
  gtk_window_get_default_size (GTK_WINDOW (f->window), &width, &height);
  g_assert_cmpint (width, ==, 777);
  g_assert_cmpint (height, ==, 555);

  alice = add_user (f, "Alice");
  bob = add_user (f, "Bob");
  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  g_assert_cmpint (g_settings_get_int64 (settings, "last-user"), ==, roster_user_get_id (alice));

  gtk_window_set_default_size (GTK_WINDOW (f->window), 640, 480);
  gtk_window_close (GTK_WINDOW (f->window));
  roster_ui_test_spin ();
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 640);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 480);

  /* The next window on this file starts with the last selected user. */
  g_clear_object (&alice);
  g_clear_object (&bob);
  f->store = NULL;
  f->window = NULL;
  open_window (f);
  g_assert_nonnull (_roster_window_get_selected_user (f->window));
  g_assert_cmpstr (roster_user_get_username (_roster_window_get_selected_user (f->window)), ==, "Alice");
}

/* At 360 px the sidebar folds away and the details open in a dialog. */
static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  RosterTask *task;
  GtkWidget *details;
  sqlite3 *other;

  type_and_enter (add_entry (f), "Buy milk");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  for (guint i = 0; i < 50 && !adw_flap_get_folded (window_part (f->window, "sidebar_flap")); i++)
    {
      g_usleep (10000);
      roster_ui_test_spin ();
    }
  g_assert_true (adw_flap_get_folded (window_part (f->window, "sidebar_flap")));

  task = select_first_task (f);
  activate (f, "win.show-details");
  g_assert_nonnull (_roster_window_get_details_dialog (f->window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (_roster_window_get_details_dialog (f->window))));
  details = adw_window_get_content (ADW_WINDOW (_roster_window_get_details_dialog (f->window)));
  g_assert_true (roster_task_details_get_task (ROSTER_TASK_DETAILS (details)) == task);

  /* The dialog's edits wait for a busy file like the pane's. */
  roster_store_set_busy_timeout (f->store, 100);
  other = lock_file (f);
  type_and_enter (GTK_ENTRY (find_descendant (details, GTK_TYPE_ENTRY, NULL)), "Buy oat milk");
  assert_waiting (f, details, 1);
  unlock_file (other);
  wait_until_saved (f);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM task WHERE title = 'Buy oat milk'", 0), ==, 1);

  gtk_window_close (_roster_window_get_details_dialog (f->window));
  roster_ui_test_spin ();
  g_assert_null (_roster_window_get_details_dialog (f->window));

  /* F9 brings the sidebar over the content, and takes it away again. */
  activate (f, "win.toggle-sidebar");
  g_assert_true (adw_flap_get_reveal_flap (window_part (f->window, "sidebar_flap")));
  activate (f, "win.toggle-sidebar");
  g_assert_false (adw_flap_get_reveal_flap (window_part (f->window, "sidebar_flap")));
}

int
main (int   argc,
      char *argv[])
{
  if (!roster_ui_test_init (&argc, &argv))
    return 77;

  ADD_TEST_OWN_FILE ("/window/settings", test_settings);
  ADD_TEST ("/window/narrow", test_narrow);

  return g_test_run ();
}
