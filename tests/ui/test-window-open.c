/* test-window-open.c: the window and its file (roster-window-open.c): a new
 * file is made, a damaged one (or one found damaged while it is read) shows
 * the error page and is never written, a backup restores it, and another
 * program's writes show after a refresh. (A file that must first be prepared
 * for this version: test-open.c.) */
#include <glib/gstdio.h>
#include <string.h>

#include "roster-test-util.h"
#include "roster-window-test-util.h"

static void
test_open_creates_file (Fixture       *f,
                        gconstpointer  data)
{
  g_assert_nonnull (f->store);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_part (f->window, "main_stack")), ==, "store");
  /* No users: the empty state says what to do, there is nothing to add tasks to. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_part (f->window, "content_stack")), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (window_part (f->window, "empty_page")), ==, "No Users Yet");
  g_assert_false (gtk_widget_get_visible (window_part (f->window, "add_box")));
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.new-task"));
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.toggle-done"));
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.undo"));
  g_assert_true (_roster_window_action_is_enabled (f->window, "win.new-user"));

  /* The sidebar's empty lists take no room: "No users yet" sits right under
   * "Users". Then the first user's row shows. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (sidebar_part (f->window, "users_empty_label"))));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (sidebar_part (f->window, "user_list_scroller"))), <, 20);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (sidebar_part (f->window, "tag_list_scroller"))), <, 20);
  g_object_unref (add_user (f, "Alice"));
  for (guint i = 0; i < 200 && gtk_widget_get_height (GTK_WIDGET (sidebar_part (f->window, "user_list_scroller"))) < 30; i++)
    {
      g_usleep (2000);
      roster_ui_test_spin ();
    }
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (sidebar_part (f->window, "users_empty_label"))));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (sidebar_part (f->window, "user_list_scroller"))), >=, 30);
}

static void
test_open_damaged_file (Fixture       *f,
                        gconstpointer  data)
{
  const char garbage[] = "this is not a database, just some bytes of text that go on long enough....";
  g_autofree char *after = NULL;
  gsize length;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (f->path, garbage, sizeof garbage, &error);
  g_assert_no_error (error);

  open_window (f);

  g_assert_null (f->store);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_part (f->window, "main_stack")), ==, "error");
  g_assert_cmpstr (adw_status_page_get_title (window_part (f->window, "error_page")), ==,
                   "Cannot Open the Roster File");
  g_assert_nonnull (strstr (adw_status_page_get_description (window_part (f->window, "error_page")),
                            "Nothing was changed"));
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.new-user"));

  /* The file is never overwritten. */
  g_file_get_contents (f->path, &after, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (after, length, garbage, sizeof garbage);
}

/* A damaged page found while the window reads the file: the window says so,
 * with the same ways out, and nothing more is written. */
static void
test_damaged_while_open (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;

  {
    g_autoptr(RosterStore) store = roster_store_open (f->path, &error);
    g_autoptr(RosterUser) ada = roster_store_create_user (store, "Ada", &error);

    for (guint i = 0; i < 10; i++)
      g_object_unref (roster_store_create_task (store, ada, "a task", &error));
    g_assert_no_error (error);
  }
  /* Garbage over the task table's page, read through SQLite's own idea of it. */
  roster_test_raw_exec (f->path, "PRAGMA wal_checkpoint(TRUNCATE)");
  roster_test_damage_page (f->path, "task", 8, 512);
  g_file_get_contents (f->path, &before, &before_len, NULL);

  open_window (f);
  roster_ui_test_spin ();
  g_assert_nonnull (f->store);
  g_assert_nonnull (roster_store_get_damage (f->store));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_part (f->window, "main_stack")), ==, "error");
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.new-user"));

  g_file_get_contents (f->path, &after, &after_len, NULL);
  g_assert_cmpmem (after, after_len, before, before_len);
}

static void
test_open_damaged_file_restore (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;

  /* A file with a user, and today's backup of it (as a window writes it). */
  {
    g_autoptr(RosterStore) store = roster_store_open (f->path, &error);
    g_assert_no_error (error);
    g_object_unref (roster_store_create_user (store, "Ada", &error));
    g_assert_no_error (error);
  }
  g_assert_true (roster_backup_daily (f->path, NULL, &error));
  g_assert_no_error (error);
  {
    g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_file_set_contents (f->path, "ruined", -1, &error);
  g_assert_no_error (error);

  open_window (f);
  g_assert_null (f->store);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_part (f->window, "main_stack")), ==, "error");
  /* The way out is offered, and has the focus. */
  g_assert_true (gtk_widget_get_visible (window_part (f->window, "restore_button")));
  g_assert_true (gtk_widget_has_focus (window_part (f->window, "restore_button")));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.restore-backup", NULL));
  roster_ui_test_spin ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "restore");
  roster_ui_test_spin ();
  /* A backup is a rollback-journal file: the window prepares it first. */
  while (roster_window_is_preparing (f->window))
    g_main_context_iteration (NULL, TRUE);
  roster_ui_test_spin ();

  /* The window now shows the restored file. */
  f->store = roster_window_get_store (f->window);
  g_assert_nonnull (f->store);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_part (f->window, "main_stack")), ==, "store");
  {
    g_autoptr(RosterUser) ada = roster_store_find_user (f->store, "Ada");
    g_assert_nonnull (ada);
  }

  /* Let the window's own daily backup finish before the folder goes. */
  gtk_window_destroy (GTK_WINDOW (f->window));
  roster_ui_test_spin ();
  f->window = NULL;
  f->store = NULL;
}

/* Another program writes the file: after a refresh (the window runs one on a
 * timer and when it becomes active) the sidebar and the list follow. */
static void
test_external_changes (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterStore) other = roster_store_open (f->path, &error);
  g_autoptr(RosterUser) other_alice = NULL;
  g_autoptr(RosterUser) zed = NULL;
  g_autoptr(RosterTask) task = NULL;

  g_assert_no_error (error);
  other_alice = roster_store_find_user (other, "Alice");
  g_assert_nonnull (other_alice);
  zed = roster_store_create_user (other, "Zed", &error);
  g_assert_no_error (error);
  task = roster_store_create_task (other, other_alice, "Written elsewhere", &error);
  g_assert_no_error (error);

  g_assert_true (roster_store_refresh (f->store));
  roster_ui_test_spin ();
  g_assert_cmpuint (count_rows (sidebar_part (f->window, "user_list")), ==, 2);
  g_assert_cmpuint (count_task_rows (f->window), ==, 1);
  g_assert_true (_roster_window_get_selected_user (f->window) == alice);
}

int
main (int   argc,
      char *argv[])
{
  if (!roster_ui_test_init (&argc, &argv))
    return 77;

  ADD_TEST ("/window/open/creates-file", test_open_creates_file);
  ADD_TEST_OWN_FILE ("/window/open/damaged-file", test_open_damaged_file);
  ADD_TEST_OWN_FILE ("/window/open/damaged-while-open", test_damaged_while_open);
  ADD_TEST_OWN_FILE ("/window/open/damaged-file-restore", test_open_damaged_file_restore);
  ADD_TEST ("/window/external-changes", test_external_changes);

  return g_test_run ();
}
