/* test-window-edits.c: how the window's changes go: undo and redo, the
 * toasts, a big change in the worker with its bar, and the edit queue: edits
 * that find the file locked wait (the banner says why), are tried again on a
 * timer and saved in order, whichever widget made them (the window, a task
 * row, the sidebar, the details pane, the tags popover), and closing the
 * window while they wait asks first.
 *
 * ROSTER_WINDOW_SCREENSHOTS=DIR saves window-big-delete.png there. */
#include <string.h>

#include "roster-sidebar-row.h"
#include "roster-tags-popover.h"
#include "roster-task-row.h"
#include "roster-window-test-util.h"

static void
test_delete_and_undo (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(GListModel) tasks = user_tasks (f, alice);

  type_and_enter (add_entry (f), "Buy milk");
  type_and_enter (add_entry (f), "Pay rent");
  select_first_task (f);
  g_assert_cmpint (_roster_window_get_target (f->window), ==, ROSTER_TARGET_TASK);

  activate (f, "win.delete");
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 1);
  g_assert_cmpuint (count_task_rows (f->window), ==, 1);
  /* The main menu says what Undo would undo. */
  {
    g_autofree char *label = NULL;

    g_menu_model_get_item_attribute (G_MENU_MODEL (window_part (f->window, "history_section")), 0,
                                     G_MENU_ATTRIBUTE_LABEL, "s", &label);
    g_assert_nonnull (strstr (label, "Buy milk"));
  }
  /* The next task is selected, ready for the next key. */
  g_assert_nonnull (_roster_window_get_selected_task (f->window));

  activate (f, "win.undo");
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 2);
  g_assert_cmpuint (count_task_rows (f->window), ==, 2);

  activate (f, "win.redo");
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 1);
  g_assert_cmpuint (count_task_rows (f->window), ==, 1);
}

static void
test_tags_popover (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(GListModel) tags = NULL;
  g_autoptr(RosterCategory) work = NULL;
  RosterTask *task;
  GtkWidget *row;
  GtkWidget *popover;
  GtkWidget *entry;

  type_and_enter (add_entry (f), "Write report");
  task = select_first_task (f);
  tags = roster_store_list_task_categories (f->store, task);

  activate (f, "win.edit-tags");
  row = _roster_window_find_task_row (f->window, task);
  popover = find_descendant (row, ROSTER_TYPE_TAGS_POPOVER, NULL);
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_visible (popover));
  entry = find_descendant (popover, GTK_TYPE_ENTRY, NULL);

  /* A name that matches nothing creates the tag and tags the task. */
  type_and_enter (GTK_ENTRY (entry), "Work");
  work = roster_store_find_category (f->store, "Work");
  g_assert_nonnull (work);
  g_assert_cmpuint (g_list_model_get_n_items (tags), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_nonnull (find_chip (row, "Work"));
  g_assert_cmpuint (count_rows (sidebar_part (f->window, "tag_list")), ==, 1);

  /* Typing an existing name (any case) toggles it; the row's chips follow. */
  type_and_enter (GTK_ENTRY (entry), "work");
  g_assert_cmpuint (g_list_model_get_n_items (tags), ==, 0);
  g_assert_null (find_chip (row, "Work"));
  type_and_enter (GTK_ENTRY (entry), "WORK");
  g_assert_cmpuint (g_list_model_get_n_items (tags), ==, 1);
  g_assert_nonnull (find_chip (row, "Work"));

  /* Creating the tag and tagging the task is one undo step. */
  activate (f, "win.undo");
  activate (f, "win.undo");
  activate (f, "win.undo");
  g_assert_null (roster_store_find_category (f->store, "Work"));
  /* The window is destroyed with the popover open (see teardown). */
}

static void
assert_titles (GListModel *tasks,
               const char *expected)
{
  g_autoptr(GString) titles = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (tasks); i++)
    {
      g_autoptr(RosterTask) task = g_list_model_get_item (tasks, i);

      g_string_append_printf (titles, "%s%s", i > 0 ? ", " : "", roster_task_get_title (task));
    }
  g_assert_cmpstr (titles->str, ==, expected);
}

/* An edit that finds the file locked past the busy timeout is kept, the
 * banner says why, later edits queue behind it, and all are saved in order
 * once the file is free. */
static void
test_edits_wait_for_busy_file (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(GListModel) tasks = user_tasks (f, alice);
  RosterTask *first;
  sqlite3 *other;

  type_and_enter (add_entry (f), "Buy milk");
  first = select_first_task (f);
  gtk_widget_grab_focus (GTK_WIDGET (add_entry (f)));
  /* A try gives up after 0.1 s here, not after the store's 5 s. (A retry
   * from the window's timer sets the store's 5 s back afterwards.) */
  roster_store_set_busy_timeout (f->store, 100);

  other = lock_file (f);
  type_and_enter (add_entry (f), "Walk the dog");
  g_assert_cmpuint (count_waiting (f), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 1);
  /* Kept, so the entry is ready for the next task; the banner says why. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (add_entry (f))), ==, "");
  g_assert_false (gtk_widget_get_visible (window_part (f->window, "add_error")));
  g_assert_true (gtk_widget_get_visible (window_part (f->window, "waiting_bar")));
  g_assert_true (gtk_info_bar_get_revealed (window_part (f->window, "waiting_bar")));
  g_assert_cmpstr (gtk_label_get_label (window_part (f->window, "waiting_label")), ==,
                   "The file is in use by another program. Your changes will be saved as soon as it is free.");
  /* Undo would undo a saved change from before the waiting ones. */
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.undo"));

  /* Later edits queue behind the first, in order. */
  type_and_enter (add_entry (f), "Pay rent");
  _roster_window_select_task (f->window, first, TRUE);
  roster_ui_test_spin ();
  activate (f, "win.toggle-done");
  g_assert_cmpuint (count_waiting (f), ==, 3);
  g_assert_false (roster_task_get_done (first));
  /* A blank title is still refused at once, beside the entry. */
  gtk_widget_grab_focus (GTK_WIDGET (add_entry (f)));
  type_and_enter (add_entry (f), "  ");
  g_assert_true (gtk_widget_get_visible (window_part (f->window, "add_error")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (add_entry (f))), ==, "  ");
  g_assert_cmpuint (count_waiting (f), ==, 3);
  gtk_editable_set_text (GTK_EDITABLE (add_entry (f)), "");

  unlock_file (other);
  wait_until_saved (f);
  assert_titles (tasks, "Buy milk, Walk the dog, Pay rent");
  g_assert_true (roster_task_get_done (first));
  g_assert_cmpuint (count_task_rows (f->window), ==, 3);
  g_assert_false (gtk_widget_get_visible (window_part (f->window, "waiting_bar")));
  g_assert_true (_roster_window_action_is_enabled (f->window, "win.undo"));

  /* Closing while an edit waits: a last try, then a question. Waiting on
   * keeps the window and the edit, which is saved once the file is free. */
  roster_store_set_busy_timeout (f->store, 100);
  other = lock_file (f);
  type_and_enter (add_entry (f), "Call the plumber");
  gtk_window_close (GTK_WINDOW (f->window));
  roster_ui_test_spin ();
  {
    AdwMessageDialog *dialog = find_dialog ();

    g_assert_nonnull (dialog);
    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Changes Not Saved Yet");
    g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                     "The file is still in use by another program. "
                     "If you close the window now, 1 change is lost.");
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
    adw_message_dialog_response (dialog, "wait");
    gtk_window_destroy (GTK_WINDOW (dialog));
    roster_ui_test_spin ();
  }
  g_assert_cmpuint (count_waiting (f), ==, 1);
  unlock_file (other);
  wait_until_saved (f);
  assert_titles (tasks, "Buy milk, Walk the dog, Pay rent, Call the plumber");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));

  /* Saved while the question is still open: it goes, and so does the
   * window, as it was asked to. */
  roster_store_set_busy_timeout (f->store, 100);
  other = lock_file (f);
  type_and_enter (add_entry (f), "Fix the gate");
  gtk_window_close (GTK_WINDOW (f->window));
  roster_ui_test_spin ();
  g_assert_nonnull (find_dialog ());
  {
    RosterWindow *window = f->window;

    g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
    unlock_file (other);
    for (guint i = 0; i < 200 && window != NULL; i++)
      {
        g_usleep (25000);
        roster_ui_test_spin ();
      }
    g_assert_null (window);
    g_assert_null (find_dialog ());
    f->window = NULL;
  }
  assert_titles (tasks, "Buy milk, Walk the dog, Pay rent, Call the plumber, Fix the gate");
}

/* A try from the window's timer gives up on a still-locked file after
 * 0.1 s, not after the store's 5 s: the window does not freeze for five
 * seconds out of every seven while another program holds the file. */
static void
test_edits_retry_briefly (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(GListModel) tasks = user_tasks (f, alice);
  gint64 longest = 0;
  gint64 end;
  sqlite3 *other;

  /* The person's own try waits the whole busy timeout; shortened here only
   * so that the test does not wait 5 s for it. */
  roster_store_set_busy_timeout (f->store, 100);
  other = lock_file (f);
  type_and_enter (add_entry (f), "Buy milk");
  g_assert_cmpuint (count_waiting (f), ==, 1);
  g_assert_true (roster_edit_queue_get_retry_pending (edits (f)));
  g_assert_cmpuint (roster_edit_queue_get_n_retries (edits (f)), ==, 0);
  /* As when the window opened the file. */
  roster_store_set_busy_timeout (f->store, 5000);

  /* The timer's try (two seconds later) fails on the locked file quickly. */
  end = g_get_monotonic_time () + 2600 * 1000;
  while (g_get_monotonic_time () < end)
    {
      gint64 start = g_get_monotonic_time ();

      g_main_context_iteration (NULL, FALSE);
      longest = MAX (longest, g_get_monotonic_time () - start);
      g_usleep (5000);
    }
  /* It tried once, failed, and armed the timer again for the next try. */
  g_assert_cmpuint (roster_edit_queue_get_n_retries (edits (f)), ==, 1);
  g_assert_true (roster_edit_queue_get_retry_pending (edits (f)));
  g_assert_cmpuint (count_waiting (f), ==, 1);
  g_assert_cmpint (longest, <, G_USEC_PER_SEC);

  unlock_file (other);
  wait_until_saved (f);
  assert_titles (tasks, "Buy milk");
}

/* Runs the main loop until the store is done with its big change. */
static void
wait_until_done (Fixture *f)
{
  for (guint i = 0; i < 3000 && _roster_window_is_working (f->window); i++)
    {
      g_usleep (10000);
      roster_ui_test_spin ();
    }
  g_assert_false (_roster_window_is_working (f->window));
  roster_ui_test_spin ();
}

#define N_BIG 2000

/* Deleting a user who owns thousands of tasks runs off the main thread: a
 * bar says so and how far it got, the window stays in use, edits made
 * meanwhile are saved after it, and undo brings every task back the same
 * way. Closing the window meanwhile waits for the change. */
static void
test_delete_user_big (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");
  g_autoptr(GListModel) alices = user_tasks (f, alice);
  g_autoptr(GListModel) bobs = user_tasks (f, bob);
  g_autoptr(GError) error = NULL;
  gint64 alice_id = roster_user_get_id (alice);
  RosterWindow *window;
  AdwMessageDialog *dialog;
  sqlite3 *other;

  /* Alice's tasks in one batch, as an import would make them. */
  roster_store_begin_batch (f->store, "Import");
  for (guint i = 0; i < N_BIG; i++)
    {
      g_autofree char *title = g_strdup_printf ("Task %04u", i);

      g_object_unref (roster_store_create_task (f->store, alice, title, &error));
      g_assert_no_error (error);
    }
  g_assert_true (roster_store_commit_batch (f->store, &error));
  g_assert_no_error (error);
  g_object_unref (roster_store_create_task (f->store, bob, "Fix the bike", &error));
  g_assert_no_error (error);
  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  g_assert_cmpuint (g_list_model_get_n_items (alices), ==, N_BIG);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM task WHERE owner_id = ?", alice_id), ==, N_BIG);

  /* Another program holds the file for a moment, so the worker waits for it
   * and the test sees the window while the change runs (alone, it takes a
   * fraction of a second). */
  other = lock_file (f);

  gtk_widget_grab_focus (_roster_window_find_sidebar_row (f->window, G_OBJECT (alice)));
  roster_ui_test_spin ();
  activate (f, "win.delete");
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Right after: the store works in its thread, the bar says on what. */
  g_assert_true (roster_store_get_working (f->store));
  g_assert_true (gtk_widget_get_visible (window_part (f->window, "work_bar")));
  g_assert_true (gtk_info_bar_get_revealed (window_part (f->window, "work_bar")));
  g_assert_cmpstr (gtk_label_get_label (window_part (f->window, "work_label")), ==, "Deleting “Alice”…");
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.undo"));
  /* On screen once the bar has slid in. */
  for (guint i = 0; i < 100 && !gtk_widget_get_mapped (window_part (f->window, "work_progress")); i++)
    {
      g_usleep (10000);
      roster_ui_test_spin ();
    }
  g_assert_true (gtk_widget_get_mapped (window_part (f->window, "work_progress")));
  g_assert_true (roster_store_get_working (f->store));

  /* The window stays in use (and the file is read) while the change waits:
   * Alice's list scrolls, Find finds, and its result shows another user's
   * list. Quickly: the worker waits only 5 s for the lock (switching lists
   * takes seconds under a sanitizer). */
  gtk_widget_activate_action (window_part (f->window, "task_list"), "list.scroll-to-item", "u", 150);
  roster_ui_test_spin ();
  {
    g_autoptr(RosterTask) task = g_list_model_get_item (alices, 150);

    g_assert_nonnull (_roster_window_find_task_row (f->window, task));
  }
  activate (f, "win.find");
  g_assert_cmpuint (g_list_model_get_n_items (search (f, "bike")), ==, 1);
  g_signal_emit_by_name (find_entry (f), "activate");
  roster_ui_test_spin ();
  g_assert_true (_roster_window_get_selected_user (f->window) == bob);
  g_assert_cmpuint (count_task_rows (f->window), ==, 1);
  g_assert_true (roster_store_get_working (f->store));

  /* An edit meanwhile waits for the big change, and the banner says why. */
  gtk_widget_grab_focus (GTK_WIDGET (add_entry (f)));
  type_and_enter (add_entry (f), "Call the plumber");
  g_assert_cmpuint (count_waiting (f), ==, 1);
  g_assert_true (gtk_widget_get_visible (window_part (f->window, "waiting_bar")));
  g_assert_cmpstr (gtk_label_get_label (window_part (f->window, "waiting_label")), ==,
                   "Roster is busy with a big change. Your changes will be saved as soon as it is done.");
  g_assert_cmpuint (g_list_model_get_n_items (bobs), ==, 1);
  save_screenshot (f, "big-delete");
  /* Still waiting for the lock, not given up on it (which would keep the
   * deletion and try again later, without a toast). */
  g_assert_true (roster_edit_queue_get_deleting_user (edits (f)) == alice);

  unlock_file (other);
  wait_until_done (f);

  /* Done: Alice and her tasks are gone, then the waiting edit was saved. */
  g_assert_false (gtk_widget_get_visible (window_part (f->window, "work_bar")));
  g_assert_null (roster_store_find_user (f->store, "Alice"));
  g_assert_cmpuint (count_rows (sidebar_part (f->window, "user_list")), ==, 1);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM task WHERE owner_id = ?", alice_id), ==, 0);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM user WHERE id = ?", alice_id), ==, 0);
  g_assert_cmpuint (count_waiting (f), ==, 0);
  g_assert_false (gtk_widget_get_visible (window_part (f->window, "waiting_bar")));
  assert_titles (bobs, "Fix the bike, Call the plumber");
  g_assert_nonnull (_roster_window_get_change_toast (f->window));
  g_assert_cmpstr (adw_toast_get_title (_roster_window_get_change_toast (f->window)), ==, "“Alice” deleted");
  g_assert_true (_roster_window_action_is_enabled (f->window, "win.undo"));

  /* Undo: the plumber first (small, at once), then Alice with every task,
   * in the worker again. */
  activate (f, "win.undo");
  assert_titles (bobs, "Fix the bike");
  /* Held again, so that the worker is still at it while the test looks
   * (on a busy machine it could finish within activate()'s main-loop turns). */
  other = lock_file (f);
  activate (f, "win.undo");
  g_assert_true (roster_store_get_working (f->store));
  g_assert_true (gtk_widget_get_visible (window_part (f->window, "work_bar")));
  g_assert_cmpstr (gtk_label_get_label (window_part (f->window, "work_label")), ==,
                   "Undoing: Delete user “Alice”…");
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.undo"));
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.redo"));

  /* Closing now would lose it with the application: the window stays,
   * says so, and closes once the change is saved. */
  window = f->window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (_roster_window_closes_when_done (window));
  g_assert_cmpstr (gtk_label_get_label (window_part (window, "work_label")), ==,
                   "Undoing: Delete user “Alice”… Roster closes as soon as it is done.");
  unlock_file (other);
  for (guint i = 0; i < 3000 && window != NULL; i++)
    {
      g_usleep (10000);
      roster_ui_test_spin ();
    }
  g_assert_null (window);
  f->window = NULL;

  /* Every task is back, in the store (kept open by its lists here) and in
   * the file. */
  {
    g_autoptr(RosterUser) back = roster_store_find_user (f->store, "Alice");

    g_assert_true (back == alice);
  }
  g_assert_cmpuint (g_list_model_get_n_items (alices), ==, N_BIG);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM task WHERE owner_id = ?", alice_id), ==, N_BIG);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM task", 0), ==, N_BIG + 1);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM user WHERE id = ?", alice_id), ==, 1);
}

/* @text is on screen in @widget, as a label (not in an entry). */
static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  GtkWidget *label = find_descendant (widget, GTK_TYPE_LABEL, text);

  return label != NULL && gtk_widget_get_mapped (label);
}

/* @task dropped on @widget, as at the end of a drag. */
static gboolean
drop_task (GtkWidget  *widget,
           RosterTask *task)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  GValue value = G_VALUE_INIT;
  gboolean dropped = FALSE;

  g_value_init (&value, ROSTER_TYPE_TASK);
  g_value_set_object (&value, task);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        g_signal_emit_by_name (controller, "drop", &value, 1.0, 1.0, &dropped);
    }
  g_value_unset (&value);
  roster_ui_test_spin ();
  return dropped;
}

/* What a task row changes waits for a busy file like the window's own
 * edits: the check stays ticked, a rename shows the new title, a drop is
 * taken, no error is shown, and all are saved, in order, once it is free. */
static void
test_edits_row_wait_for_busy_file (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");
  g_autoptr(GListModel) alices = user_tasks (f, alice);
  g_autoptr(GListModel) bobs = user_tasks (f, bob);
  g_autoptr(RosterTask) chore = NULL;
  g_autoptr(RosterTask) task = NULL;
  GtkWidget *row;
  GtkWidget *check;
  GtkWidget *entry;
  sqlite3 *other;

  _roster_window_select_user (f->window, bob);
  roster_ui_test_spin ();
  type_and_enter (add_entry (f), "Walk the dog");
  chore = g_list_model_get_item (bobs, 0);
  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  type_and_enter (add_entry (f), "Buy milk");
  task = g_object_ref (select_first_task (f));
  row = _roster_window_find_task_row (f->window, task);
  check = find_descendant (row, GTK_TYPE_CHECK_BUTTON, NULL);

  roster_store_set_busy_timeout (f->store, 100);
  other = lock_file (f);

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  roster_ui_test_spin ();
  assert_waiting (f, row, 1);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_assert_false (roster_task_get_done (task));

  activate (f, "win.rename");
  /* The row makes its rename field when it is first needed. */
  entry = find_descendant (row, GTK_TYPE_ENTRY, NULL);
  type_and_enter (GTK_ENTRY (entry), "Buy oat milk");
  assert_waiting (f, row, 2);
  g_assert_false (roster_task_row_get_editing (ROSTER_TASK_ROW (row)));
  g_assert_true (shows_label (row, "Buy oat milk"));
  g_assert_cmpstr (roster_task_get_title (task), ==, "Buy milk");

  /* Renamed again while the first waits: F2 starts from the title shown,
   * and the second name is saved after the first. */
  activate (f, "win.rename");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Buy oat milk");
  type_and_enter (GTK_ENTRY (entry), "Buy soy milk");
  assert_waiting (f, row, 3);
  g_assert_true (shows_label (row, "Buy soy milk"));

  /* Bob's task dropped on this row becomes Alice's, at its place. */
  g_assert_true (drop_task (row, chore));
  assert_waiting (f, row, 4);
  g_assert_true (roster_task_get_owner (chore) == bob);

  /* The rows go (another user is shown) while the edits wait: they hold
   * the tasks, not the rows. */
  _roster_window_select_user (f->window, bob);
  roster_ui_test_spin ();
  unlock_file (other);
  wait_until_saved (f);
  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  g_assert_false (gtk_widget_get_visible (window_part (f->window, "waiting_bar")));
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM task WHERE title = 'Buy soy milk' AND done = 1", 0), ==, 1);
  g_assert_cmpint (count_in_file (f, "SELECT owner_id FROM task WHERE id = ?", roster_task_get_id (chore)), ==,
                   roster_user_get_id (alice));
  assert_titles (alices, "Walk the dog, Buy soy milk");
  g_assert_cmpuint (g_list_model_get_n_items (bobs), ==, 0);
  row = _roster_window_find_task_row (f->window, task);
  g_assert_true (shows_label (row, "Buy soy milk"));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (find_descendant (row, GTK_TYPE_CHECK_BUTTON, NULL))));
}

/* Renames @item (a user or a tag) in its sidebar row: selected, F2, the
 * name typed, Enter. Returns the row. */
static GtkWidget *
rename_in_sidebar (Fixture    *f,
                   GObject    *item,
                   const char *name)
{
  GtkWidget *row;

  if (ROSTER_IS_USER (item))
    _roster_window_select_user (f->window, ROSTER_USER (item));
  else
    _roster_window_select_category (f->window, ROSTER_CATEGORY (item));
  roster_ui_test_spin ();
  row = _roster_window_find_sidebar_row (f->window, item);
  gtk_widget_grab_focus (row);
  roster_ui_test_spin ();
  activate (f, "win.rename");
  g_assert_true (roster_sidebar_row_get_editing (ROSTER_SIDEBAR_ROW (row)));
  type_and_enter (GTK_ENTRY (find_descendant (row, GTK_TYPE_ENTRY, NULL)), name);
  return row;
}

/* The same for the sidebar: a task dropped on a user, a user and a tag
 * renamed. A rename refused once its turn comes is said, and the row shows
 * the name in the file again. Undo then takes the saved ones back in order. */
static void
test_edits_sidebar_wait_for_busy_file (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");
  g_autoptr(RosterUser) carol = add_user (f, "Carol");
  g_autoptr(GListModel) carols = user_tasks (f, carol);
  g_autoptr(RosterCategory) work = NULL;
  RosterTask *task;
  GtkWidget *row;
  gint64 task_id;
  sqlite3 *other;

  activate (f, "win.new-tag");
  type_and_enter (sidebar_part (f->window, "new_tag_entry"), "Work");
  work = roster_store_find_category (f->store, "Work");
  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  type_and_enter (add_entry (f), "Write report");
  task = select_first_task (f);
  task_id = roster_task_get_id (task);

  roster_store_set_busy_timeout (f->store, 100);
  other = lock_file (f);

  row = _roster_window_find_sidebar_row (f->window, G_OBJECT (carol));
  g_assert_true (drop_task (row, task));
  assert_waiting (f, row, 1);
  g_assert_true (roster_task_get_owner (task) == alice);

  row = rename_in_sidebar (f, G_OBJECT (alice), "Amy");
  assert_waiting (f, row, 2);
  g_assert_false (roster_sidebar_row_get_editing (ROSTER_SIDEBAR_ROW (row)));
  g_assert_true (shows_label (row, "Amy"));
  g_assert_cmpstr (roster_user_get_username (alice), ==, "Alice");

  /* Bob asks for the same name after her. */
  row = rename_in_sidebar (f, G_OBJECT (bob), "Amy");
  assert_waiting (f, row, 3);
  g_assert_true (shows_label (row, "Amy"));

  row = rename_in_sidebar (f, G_OBJECT (work), "Job");
  assert_waiting (f, row, 4);
  g_assert_true (shows_label (row, "Job"));

  unlock_file (other);
  wait_until_saved (f);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM user WHERE username IN ('Amy', 'Bob', 'Carol')", 0), ==, 3);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM category WHERE name = 'Job'", 0), ==, 1);
  g_assert_cmpint (count_in_file (f, "SELECT owner_id FROM task WHERE id = ?", task_id), ==, roster_user_get_id (carol));
  g_assert_cmpuint (g_list_model_get_n_items (carols), ==, 1);
  g_assert_true (shows_label (_roster_window_find_sidebar_row (f->window, G_OBJECT (alice)), "Amy"));
  g_assert_true (shows_label (_roster_window_find_sidebar_row (f->window, G_OBJECT (bob)), "Bob"));
  g_assert_true (shows_label (_roster_window_find_sidebar_row (f->window, G_OBJECT (work)), "Job"));

  activate (f, "win.undo");
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM category WHERE name = 'Work'", 0), ==, 1);
  activate (f, "win.undo");
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM user WHERE username = 'Alice'", 0), ==, 1);
  activate (f, "win.undo");
  g_assert_cmpint (count_in_file (f, "SELECT owner_id FROM task WHERE id = ?", task_id), ==, roster_user_get_id (alice));
}

/* The same for the details pane (the title, the notes and the due date keep
 * what was asked for) and its tags popover (a tag ticked, a new tag made for
 * the task: one undo step once saved). */
static void
test_edits_details_wait_for_busy_file (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(GDateTime) due = g_date_time_new_utc (2031, 5, 17, 0, 0, 0);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *due_text = roster_messages_format_due_date (due, now);
  GtkWidget *details;
  RosterTask *task;
  GtkWidget *title;
  GtkWidget *notes;
  GtkWidget *tags_button;
  GtkWidget *popover;
  GtkWidget *check;
  GtkWidget *entry;
  gint64 task_id;
  sqlite3 *other;

  activate (f, "win.new-tag");
  type_and_enter (sidebar_part (f->window, "new_tag_entry"), "Work");
  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  type_and_enter (add_entry (f), "Buy milk");
  task = select_first_task (f);
  task_id = roster_task_get_id (task);
  activate (f, "win.show-details");
  details = GTK_WIDGET (details_pane (f));
  title = find_descendant (details, GTK_TYPE_ENTRY, NULL);
  notes = find_descendant (details, GTK_TYPE_TEXT_VIEW, NULL);

  roster_store_set_busy_timeout (f->store, 100);
  other = lock_file (f);

  gtk_widget_grab_focus (title);
  type_and_enter (GTK_ENTRY (title), "Buy oat milk");
  assert_waiting (f, details, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (title)), ==, "Buy oat milk");
  g_assert_cmpstr (roster_task_get_title (task), ==, "Buy milk");

  /* Leaving the field asks for the same title again: it waits once. The
   * notes are saved when their view is left. */
  gtk_widget_grab_focus (notes);
  roster_ui_test_spin ();
  assert_waiting (f, details, 1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes)), "Two litres", -1);
  gtk_widget_grab_focus (title);
  roster_ui_test_spin ();
  assert_waiting (f, details, 2);

  gtk_calendar_select_day (GTK_CALENDAR (find_descendant (details, GTK_TYPE_CALENDAR, NULL)), due);
  roster_ui_test_spin ();
  assert_waiting (f, details, 3);
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (find_descendant (details, GTK_TYPE_MENU_BUTTON, NULL))),
                   ==, due_text);
  g_assert_null (roster_task_get_due_date (task));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (title)), ==, "Buy oat milk");

  /* The tags popover: a tag ticked stays ticked; a new tag is kept like a
   * saved one, so the entry is ready for the next. */
  tags_button = gtk_widget_get_ancestor (find_descendant (details, GTK_TYPE_LABEL, "Edit Tags…"), GTK_TYPE_MENU_BUTTON);
  gtk_menu_button_popup (GTK_MENU_BUTTON (tags_button));
  roster_ui_test_spin ();
  popover = find_descendant (details, ROSTER_TYPE_TAGS_POPOVER, NULL);
  g_assert_nonnull (popover);
  check = find_descendant (popover, GTK_TYPE_CHECK_BUTTON, NULL);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  roster_ui_test_spin ();
  assert_waiting (f, popover, 4);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  entry = find_descendant (popover, GTK_TYPE_ENTRY, NULL);
  type_and_enter (GTK_ENTRY (entry), "Home");
  assert_waiting (f, popover, 5);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_null (roster_store_find_category (f->store, "Home"));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (tags_button));
  roster_ui_test_spin ();

  unlock_file (other);
  wait_until_saved (f);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM task WHERE id = ? AND title = 'Buy oat milk' "
                                     "AND notes = 'Two litres' AND due_date = '2031-05-17'", task_id), ==, 1);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM taskcategorylink l JOIN category c ON c.id = l.category_id "
                                     "WHERE l.task_id = ? AND c.name IN ('Work', 'Home')", task_id), ==, 2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (title)), ==, "Buy oat milk");
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (find_descendant (details, GTK_TYPE_MENU_BUTTON, NULL))),
                   ==, due_text);

  /* The new tag and the tag on the task go back in one step. */
  activate (f, "win.undo");
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM category WHERE name = 'Home'", 0), ==, 0);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM taskcategorylink WHERE task_id = ?", task_id), ==, 1);
}

/* Told that a waiting edit would be lost, the person may close anyway. */
static void
test_edits_discarded_on_close (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  RosterWindow *window = f->window;
  AdwMessageDialog *dialog;
  sqlite3 *other;

  roster_store_set_busy_timeout (f->store, 100);
  other = lock_file (f);
  type_and_enter (add_entry (f), "Buy milk");
  g_assert_cmpuint (count_waiting (f), ==, 1);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (f->window));
  roster_ui_test_spin ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_test_expect_message ("roster-edit-queue", G_LOG_LEVEL_MESSAGE, "*an edit was not saved (Buy milk)*");
  adw_message_dialog_response (dialog, "discard");
  roster_ui_test_spin ();
  g_test_assert_expected_messages ();
  g_assert_null (window);
  f->window = NULL;
  unlock_file (other);
}

int
main (int   argc,
      char *argv[])
{
  if (!roster_ui_test_init (&argc, &argv))
    return 77;

  ADD_TEST ("/window/users/delete-big", test_delete_user_big);
  ADD_TEST ("/window/tasks/delete-and-undo", test_delete_and_undo);
  ADD_TEST ("/window/tags/popover", test_tags_popover);
  ADD_TEST ("/window/edits/wait-for-busy-file", test_edits_wait_for_busy_file);
  ADD_TEST ("/window/edits/retry-briefly", test_edits_retry_briefly);
  ADD_TEST ("/window/edits/discarded-on-close", test_edits_discarded_on_close);
  ADD_TEST ("/window/edits/row-waits-for-busy-file", test_edits_row_wait_for_busy_file);
  ADD_TEST ("/window/edits/sidebar-waits-for-busy-file", test_edits_sidebar_wait_for_busy_file);
  ADD_TEST ("/window/edits/details-and-tags-wait-for-busy-file", test_edits_details_wait_for_busy_file);

  return g_test_run ();
}
