/* test-window-lists.c: the window's lists and what they show: users, tags
 * and tasks added, rows that follow the model, the selection, the details
 * pane, the move and delete-user dialogs, and the first frame of a big file
 * (a screenful of rows, then the whole lists). */
#include <string.h>

#include "roster-chip.h"
#include "roster-task-row.h"
#include "roster-window-test-util.h"

static void
test_add_user (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");

  g_assert_nonnull (alice);
  g_assert_true (_roster_window_get_selected_user (f->window) == alice);
  g_assert_cmpuint (count_rows (sidebar_part (f->window, "user_list")), ==, 1);
  g_assert_false (gtk_revealer_get_reveal_child (sidebar_part (f->window, "new_user_revealer")));
  /* Ready for the first task. */
  g_assert_true (gtk_widget_is_visible (window_part (f->window, "add_box")));
  g_assert_true (gtk_widget_get_focus_child (GTK_WIDGET (add_entry (f))) != NULL);
  g_assert_cmpstr (adw_status_page_get_title (window_part (f->window, "empty_page")), ==, "No Tasks Yet");
}

static void
test_add_user_duplicate (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(GListModel) users = roster_store_list_users (f->store);

  activate (f, "win.new-user");
  type_and_enter (sidebar_part (f->window, "new_user_entry"), "Alice");

  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (sidebar_part (f->window, "new_user_error"))));
  g_assert_nonnull (strstr (gtk_label_get_label (sidebar_part (f->window, "new_user_error")), "already"));
  /* What was typed is kept. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sidebar_part (f->window, "new_user_entry"))), ==, "Alice");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (sidebar_part (f->window, "new_user_entry")), "error"));
}

static void
test_add_tasks (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(GListModel) tasks = user_tasks (f, alice);

  type_and_enter (add_entry (f), "Buy milk");
  type_and_enter (add_entry (f), "Walk the dog");

  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 2);
  g_assert_cmpuint (count_task_rows (f->window), ==, 2);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_part (f->window, "content_stack")), ==, "tasks");
  /* The entry is cleared and stays ready. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (add_entry (f))), ==, "");
  g_assert_true (gtk_widget_get_focus_child (GTK_WIDGET (add_entry (f))) != NULL);
  g_assert_cmpuint (roster_user_get_n_open_tasks (alice), ==, 2);
  g_assert_nonnull (find_descendant (GTK_WIDGET (sidebar_part (f->window, "user_list")), GTK_TYPE_LABEL, "2"));

  /* An empty title is refused beside the entry; the text is kept. */
  type_and_enter (add_entry (f), "   ");
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 2);
  g_assert_true (gtk_widget_get_visible (window_part (f->window, "add_error")));
  g_assert_cmpstr (gtk_label_get_label (window_part (f->window, "add_error")), ==, "Type a title for the task.");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (add_entry (f))), ==, "   ");
}

static void
test_rows_follow_model (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterTask) task = NULL;
  g_autoptr(RosterTask) other = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *row;

  task = roster_store_create_task (f->store, alice, "Buy milk", &error);
  g_assert_no_error (error);
  other = roster_store_create_task (f->store, alice, "Pay rent", &error);
  g_assert_no_error (error);
  roster_ui_test_spin ();
  g_assert_cmpuint (count_task_rows (f->window), ==, 2);

  roster_store_set_task_title (f->store, task, "Buy oat milk", &error);
  g_assert_no_error (error);
  roster_ui_test_spin ();
  row = _roster_window_find_task_row (f->window, task);
  g_assert_nonnull (row);
  g_assert_nonnull (find_descendant (row, GTK_TYPE_LABEL, "Buy oat milk"));

  roster_store_set_task_done (f->store, task, TRUE, &error);
  g_assert_no_error (error);
  roster_ui_test_spin ();
  row = _roster_window_find_task_row (f->window, task);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (find_descendant (row, GTK_TYPE_CHECK_BUTTON, NULL))));
  /* Struck through and dimmed (ui/style.css). */
  g_assert_true (gtk_widget_has_css_class (find_descendant (row, GTK_TYPE_LABEL, "Buy oat milk"), "roster-done"));
  g_assert_nonnull (find_descendant (GTK_WIDGET (sidebar_part (f->window, "user_list")), GTK_TYPE_LABEL, "1"));

  roster_store_delete_task (f->store, other, &error);
  g_assert_no_error (error);
  roster_ui_test_spin ();
  g_assert_cmpuint (count_task_rows (f->window), ==, 1);
  g_assert_null (_roster_window_find_task_row (f->window, other));
}

static void
test_toggle_done (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  RosterTask *task;
  GtkWidget *check;

  type_and_enter (add_entry (f), "Buy milk");
  task = select_first_task (f);

  activate (f, "win.toggle-done");
  g_assert_true (roster_task_get_done (task));
  g_assert_cmpuint (roster_user_get_n_open_tasks (alice), ==, 0);
  check = find_descendant (_roster_window_find_task_row (f->window, task), GTK_TYPE_CHECK_BUTTON, NULL);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));

  /* The row's own check goes through the store too. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
  roster_ui_test_spin ();
  g_assert_false (roster_task_get_done (task));
  g_assert_false (gtk_widget_has_css_class (find_descendant (_roster_window_find_task_row (f->window, task),
                                                             GTK_TYPE_LABEL, "Buy milk"),
                                            "roster-done"));

  activate (f, "win.undo");
  g_assert_true (roster_task_get_done (task));
}

static void
test_reorder (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(GListModel) tasks = user_tasks (f, alice);
  g_autoptr(RosterTask) first = NULL;
  g_autoptr(RosterTask) second = NULL;

  type_and_enter (add_entry (f), "One");
  type_and_enter (add_entry (f), "Two");
  first = g_list_model_get_item (tasks, 0);
  second = g_list_model_get_item (tasks, 1);

  _roster_window_select_task (f->window, second, TRUE);
  roster_ui_test_spin ();
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.move-task-down"));
  activate (f, "win.move-task-up");

  {
    g_autoptr(RosterTask) now_first = g_list_model_get_item (tasks, 0);
    g_autoptr(RosterTask) shown_first = g_list_model_get_item (_roster_window_get_shown_tasks (f->window), 0);

    g_assert_true (now_first == second);
    g_assert_true (shown_first == second);
    g_assert_nonnull (_roster_window_find_task_row (f->window, second));
  }
  /* The moved task stays selected. */
  g_assert_true (_roster_window_get_selected_task (f->window) == second);
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.move-task-up"));
}

static void
test_tag_view (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");
  g_autoptr(RosterCategory) home = NULL;
  g_autoptr(RosterTask) a = NULL;
  g_autoptr(RosterTask) b = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *row;
  GtkWidget *owner;

  home = roster_store_create_category (f->store, "Home", "#33d17a", &error);
  g_assert_no_error (error);
  a = roster_store_create_task (f->store, alice, "Buy milk", &error);
  b = roster_store_create_task (f->store, bob, "Fix bike", &error);
  roster_store_tag_task (f->store, a, home, &error);
  g_assert_no_error (error);
  roster_ui_test_spin ();

  _roster_window_select_category (f->window, home);
  roster_ui_test_spin ();
  g_assert_cmpuint (count_task_rows (f->window), ==, 1);
  g_assert_false (gtk_widget_get_visible (window_part (f->window, "add_box")));
  row = _roster_window_find_task_row (f->window, a);
  owner = find_descendant (row, GTK_TYPE_LABEL, "Alice");
  g_assert_nonnull (owner);
  g_assert_true (gtk_widget_get_visible (owner));

  /* Rows follow tagging. */
  roster_store_tag_task (f->store, b, home, &error);
  g_assert_no_error (error);
  roster_ui_test_spin ();
  g_assert_cmpuint (count_task_rows (f->window), ==, 2);

  /* A chip in the user view, on the tag's colour, which it follows. */
  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  row = _roster_window_find_task_row (f->window, a);
  {
    GtkWidget *chip = find_chip (row, "Home");
    GdkRGBA shown, expected;

    g_assert_nonnull (chip);
    roster_chip_get_color (ROSTER_CHIP (chip), &shown);
    g_assert_true (gdk_rgba_parse (&expected, "#33d17a"));
    g_assert_true (gdk_rgba_equal (&shown, &expected));

    g_assert_true (roster_store_set_category_color (f->store, home, "#1c71d8", &error));
    g_assert_no_error (error);
    roster_ui_test_spin ();
    g_assert_true (find_chip (row, "Home") == chip);
    roster_chip_get_color (ROSTER_CHIP (chip), &shown);
    g_assert_true (gdk_rgba_parse (&expected, "#1c71d8"));
    g_assert_true (gdk_rgba_equal (&shown, &expected));
  }

  /* Deleting the tag from the sidebar, then undoing it. */
  _roster_window_select_category (f->window, home);
  roster_ui_test_spin ();
  gtk_widget_grab_focus (_roster_window_find_sidebar_row (f->window, G_OBJECT (home)));
  roster_ui_test_spin ();
  g_assert_cmpint (_roster_window_get_target (f->window), ==, ROSTER_TARGET_TAG);
  activate (f, "win.delete");
  g_assert_null (roster_store_find_category (f->store, "Home"));
  g_assert_cmpuint (count_rows (sidebar_part (f->window, "tag_list")), ==, 0);
  activate (f, "win.undo");
  g_assert_cmpuint (count_rows (sidebar_part (f->window, "tag_list")), ==, 1);
}

static void
test_delete_user_with_tasks (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");
  g_autoptr(GListModel) bobs = user_tasks (f, bob);
  g_autoptr(GListModel) users = roster_store_list_users (f->store);
  AdwMessageDialog *dialog;

  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  type_and_enter (add_entry (f), "Buy milk");
  type_and_enter (add_entry (f), "Pay rent");
  gtk_widget_grab_focus (_roster_window_find_sidebar_row (f->window, G_OBJECT (alice)));
  roster_ui_test_spin ();
  g_assert_cmpint (_roster_window_get_target (f->window), ==, ROSTER_TARGET_USER);

  activate (f, "win.delete");
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  /* Nothing is deleted before the question is answered. */
  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 2);

  adw_message_dialog_response (dialog, "move");
  gtk_window_destroy (GTK_WINDOW (dialog));
  roster_ui_test_spin ();

  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (bobs), ==, 2);
  g_assert_true (_roster_window_get_selected_user (f->window) == bob);
  g_assert_cmpuint (count_rows (sidebar_part (f->window, "user_list")), ==, 1);
  g_assert_cmpuint (count_task_rows (f->window), ==, 2);
}

static void
test_details (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");
  g_autoptr(GListModel) bobs = user_tasks (f, bob);
  g_autoptr(RosterTask) task = NULL;
  GtkWidget *title;
  GtkWidget *notes;
  GtkWidget *owner;

  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  type_and_enter (add_entry (f), "Buy milk");
  task = g_object_ref (select_first_task (f));

  activate (f, "win.show-details");
  g_assert_true (adw_flap_get_reveal_flap (window_part (f->window, "details_flap")));
  g_assert_true (roster_task_details_get_task (details_pane (f)) == task);

  title = find_descendant (GTK_WIDGET (details_pane (f)), GTK_TYPE_ENTRY, NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (title)), ==, "Buy milk");
  type_and_enter (GTK_ENTRY (title), "Buy oat milk");
  g_assert_cmpstr (roster_task_get_title (task), ==, "Buy oat milk");

  /* An empty title is refused and kept in the field. */
  type_and_enter (GTK_ENTRY (title), "");
  g_assert_cmpstr (roster_task_get_title (task), ==, "Buy oat milk");
  g_assert_nonnull (find_descendant (GTK_WIDGET (details_pane (f)), GTK_TYPE_LABEL, "Type a title for the task."));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (title)), ==, "");
  gtk_editable_set_text (GTK_EDITABLE (title), "Buy oat milk");

  /* Notes are saved when the pane leaves the task. */
  notes = find_descendant (GTK_WIDGET (details_pane (f)), GTK_TYPE_TEXT_VIEW, NULL);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes)), "Two litres", -1);
  roster_task_details_set_task (details_pane (f), NULL);
  g_assert_cmpstr (roster_task_get_notes (task), ==, "Two litres");

  /* Choosing another owner moves the task. */
  roster_task_details_set_task (details_pane (f), task);
  /* By its id: the pane has other drop-downs (priority, repeat). */
  owner = roster_ui_test_template_child (details_pane (f), ROSTER_TYPE_TASK_DETAILS, "owner_dropdown");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (owner), 1);
  roster_ui_test_spin ();
  g_assert_true (roster_task_get_owner (task) == bob);
  g_assert_cmpuint (g_list_model_get_n_items (bobs), ==, 1);
  g_assert_cmpuint (count_task_rows (f->window), ==, 0);
}

static void
test_move_task_dialog (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");
  g_autoptr(GListModel) bobs = user_tasks (f, bob);
  AdwMessageDialog *dialog;
  RosterTask *task;

  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  type_and_enter (add_entry (f), "Buy milk");
  task = select_first_task (f);

  activate (f, "win.move-task");
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  /* The only other user is chosen already: Enter (or Move) gives it to Bob. */
  adw_message_dialog_response (dialog, "move");
  gtk_window_destroy (GTK_WINDOW (dialog));
  roster_ui_test_spin ();

  g_assert_true (roster_task_get_owner (task) == bob);
  g_assert_cmpuint (g_list_model_get_n_items (bobs), ==, 1);
  g_assert_cmpuint (count_task_rows (f->window), ==, 0);
  g_assert_cmpstr (adw_status_page_get_title (window_part (f->window, "empty_page")), ==, "No Tasks Yet");
}

static void
test_new_tag_and_color (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(RosterCategory) work = NULL;
  g_autoptr(GListModel) tags = roster_store_list_categories (f->store);

  activate (f, "win.new-tag");
  g_assert_true (gtk_revealer_get_reveal_child (sidebar_part (f->window, "new_tag_revealer")));
  type_and_enter (sidebar_part (f->window, "new_tag_entry"), "");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (sidebar_part (f->window, "new_tag_error"))));
  g_assert_cmpuint (g_list_model_get_n_items (tags), ==, 0);

  type_and_enter (sidebar_part (f->window, "new_tag_entry"), "Work");
  work = roster_store_find_category (f->store, "Work");
  g_assert_nonnull (work);
  g_assert_true (_roster_window_get_selected_category (f->window) == work);
  g_assert_cmpuint (count_rows (sidebar_part (f->window, "tag_list")), ==, 1);
  g_assert_cmpstr (adw_status_page_get_title (window_part (f->window, "empty_page")), ==, "No Tasks With This Tag");

  /* The tag's row shows its colour as a dot, which follows a new colour. */
  {
    GtkWidget *dot = find_descendant (_roster_window_find_sidebar_row (f->window, G_OBJECT (work)),
                                      ROSTER_TYPE_CHIP, NULL);
    GdkRGBA shown, expected;
    int width = 0;

    g_assert_nonnull (dot);
    g_assert_true (gtk_widget_get_visible (dot));
    gtk_widget_measure (dot, GTK_ORIENTATION_HORIZONTAL, -1, &width, NULL, NULL, NULL);
    g_assert_cmpint (width, ==, 16);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.tag-color", "s", "#e01b24"));
    roster_ui_test_spin ();
    g_assert_cmpstr (roster_category_get_color (work), ==, "#e01b24");
    roster_chip_get_color (ROSTER_CHIP (dot), &shown);
    g_assert_true (gdk_rgba_parse (&expected, "#e01b24"));
    g_assert_true (gdk_rgba_equal (&shown, &expected));
  }
}

/* Row widgets the task list has made, bound or not. */
static guint
count_task_row_widgets (RosterWindow *window)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (window_part (window, "task_list"));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += gtk_widget_get_first_child (child) != NULL &&
         ROSTER_IS_TASK_ROW (gtk_widget_get_first_child (child));
  return n;
}

/* Whether the rows @list made reach the bottom of its scrolled window: no
 * empty space under a long list. */
static gboolean
list_fills_scroller (GtkWidget *list)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW);
  float bottom = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t bounds;

      if (gtk_widget_get_child_visible (child) && gtk_widget_compute_bounds (child, scroller, &bounds))
        bottom = MAX (bottom, bounds.origin.y + bounds.size.height);
    }
  return gtk_widget_get_height (scroller) > 0 && bottom >= gtk_widget_get_height (scroller);
}

static void
on_first_paint_cb (GdkFrameClock *clock,
                   RosterWindow  *window)
{
  if (g_object_get_data (G_OBJECT (window), "rows-at-first-paint") != NULL)
    return;
  g_object_set_data (G_OBJECT (window), "rows-at-first-paint",
                     GUINT_TO_POINTER (count_task_row_widgets (window)));
  g_object_set_data (G_OBJECT (window), "lists-full-at-first-paint",
                     GINT_TO_POINTER (list_fills_scroller (GTK_WIDGET (sidebar_part (window, "user_list"))) &&
                                      list_fills_scroller (GTK_WIDGET (sidebar_part (window, "tag_list"))) &&
                                      list_fills_scroller (window_part (window, "task_list"))));
}

/* What the task list view is given: a slice of the list shown for the first
 * frame, then all of it. */
static GListModel *
task_list_items (RosterWindow *window)
{
  return G_LIST_MODEL (gtk_list_view_get_model (window_part (window, "task_list")));
}

/* A big file: the first frame makes a screenful of rows, not the hundreds
 * GTK 4.8 makes for a whole list; then every row is there to scroll to, and
 * a user far down the sidebar can be chosen at once. */
static void
test_first_frame (Fixture       *f,
                  gconstpointer  data)
{
  const guint n_users = 300, n_tags = 60, n_tasks = 400;
  g_autoptr(GError) error = NULL;
  RosterWindow *other;
  guint first_screen;

  {
    g_autoptr(RosterStore) store = roster_store_open (f->path, &error);

    g_assert_no_error (error);
    roster_store_begin_batch (store, "Import");
    for (guint i = 0; i < n_users; i++)
      {
        g_autofree char *name = g_strdup_printf ("user%03u", i);
        g_autoptr(RosterUser) user = roster_store_create_user (store, name, &error);

        g_assert_no_error (error);
        for (guint j = 0; i == 0 && j < n_tasks; j++)
          {
            g_autofree char *title = g_strdup_printf ("Task %03u", j);

            g_object_unref (roster_store_create_task (store, user, title, &error));
            g_assert_no_error (error);
          }
      }
    for (guint i = 0; i < n_tags; i++)
      {
        g_autofree char *name = g_strdup_printf ("tag%02u", i);

        g_object_unref (roster_store_create_category (store, name, NULL, &error));
        g_assert_no_error (error);
      }
    g_assert_true (roster_store_commit_batch (store, &error));
  }

  /* A screenful depends on the window's height. */
  set_window_size (960, 640);
  f->window = roster_window_new (NULL, f->path);
  f->store = roster_window_get_store (f->window);
  /* Nothing the first frame does not show: no menu yet. */
  g_assert_null (_roster_window_get_context_menu (f->window, window_part (f->window, "task_list")));
  g_assert_null (_roster_window_get_context_menu (f->window, sidebar_part (f->window, "user_list")));
  g_assert_null (_roster_window_get_context_menu (f->window, sidebar_part (f->window, "tag_list")));
  g_assert_null (gtk_menu_button_get_popover (window_part (f->window, "menu_button")));
  first_screen = g_list_model_get_n_items (task_list_items (f->window));
  g_assert_cmpuint (first_screen, >=, 480 / 60);
  g_assert_cmpuint (first_screen, <, 60);
  /* The sidebar's lists share its height: together, about a window's
   * height of 38 px rows. */
  {
    int width = 0, height = 0;

    gtk_window_get_default_size (GTK_WINDOW (f->window), &width, &height);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sidebar_selection (f->window, "user_list"))) +
                      g_list_model_get_n_items (G_LIST_MODEL (sidebar_selection (f->window, "tag_list"))), <=,
                      MAX (height, 480) / 38 + 2);
  }

  /* The first frame. */
  gtk_window_present (GTK_WINDOW (f->window));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (f->window)), "after-paint",
                    G_CALLBACK (on_first_paint_cb), f->window);
  for (guint i = 0; i < 500 && g_object_get_data (G_OBJECT (f->window), "rows-at-first-paint") == NULL; i++)
    {
      g_usleep (2000);
      roster_ui_test_spin ();
    }
  g_assert_cmpuint (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f->window), "rows-at-first-paint")), >, 0);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f->window), "rows-at-first-paint")), <=, first_screen);
  /* Yet no list shows an empty space at its end (these tasks have a title
   * only: the shortest task rows). */
  g_assert_true (g_object_get_data (G_OBJECT (f->window), "lists-full-at-first-paint"));

  /* Then the whole lists, a few rows a frame. */
  for (guint i = 0; i < 500 && _roster_window_lists_are_growing (f->window); i++)
    {
      g_usleep (2000);
      roster_ui_test_spin ();
    }
  g_assert_cmpuint (g_list_model_get_n_items (task_list_items (f->window)), ==, n_tasks);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sidebar_selection (f->window, "user_list"))), ==, n_users);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sidebar_selection (f->window, "tag_list"))), ==, n_tags);
  gtk_widget_activate_action (window_part (f->window, "task_list"), "list.scroll-to-item", "u", n_tasks - 1);
  roster_ui_test_spin ();
  {
    g_autoptr(RosterTask) last = g_list_model_get_item (_roster_window_get_shown_tasks (f->window), n_tasks - 1);

    g_assert_cmpstr (roster_task_get_title (last), ==, "Task 399");
    g_assert_nonnull (_roster_window_find_task_row (f->window, last));
  }

  /* Before its first frame, a window selects the last user all the same. */
  other = roster_window_new (NULL, f->path);
  {
    g_autoptr(RosterUser) last = roster_store_find_user (roster_window_get_store (other), "user299");

    _roster_window_select_user (other, last);
    g_assert_cmpuint (gtk_single_selection_get_selected (sidebar_selection (other, "user_list")), ==, n_users - 1);
    g_assert_true (gtk_single_selection_get_selected_item (sidebar_selection (other, "user_list")) == (gpointer) last);
  }
  gtk_window_destroy (GTK_WINDOW (other));
  roster_ui_test_spin ();

  /* A key pressed in a list before the lists are whole (End, say) finds
   * them whole. */
  other = roster_window_new (NULL, f->path);
  {
    g_autoptr(RosterUser) first = roster_store_find_user (roster_window_get_store (other), "user000");

    _roster_window_select_user (other, first);
  }
  g_assert_cmpuint (g_list_model_get_n_items (task_list_items (other)), ==, first_screen);
  g_assert_false (roster_ui_test_press_key (window_part (other, "task_list"), GDK_KEY_End));
  g_assert_cmpuint (g_list_model_get_n_items (task_list_items (other)), ==, n_tasks);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sidebar_selection (other, "user_list"))), ==, n_users);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sidebar_selection (other, "tag_list"))), ==, n_tags);
  gtk_window_destroy (GTK_WINDOW (other));
  roster_ui_test_spin ();
}

int
main (int   argc,
      char *argv[])
{
  if (!roster_ui_test_init (&argc, &argv))
    return 77;

  ADD_TEST ("/window/users/add", test_add_user);
  ADD_TEST ("/window/users/duplicate", test_add_user_duplicate);
  ADD_TEST ("/window/users/delete-with-tasks", test_delete_user_with_tasks);
  ADD_TEST ("/window/tasks/add", test_add_tasks);
  ADD_TEST ("/window/tasks/rows-follow-model", test_rows_follow_model);
  ADD_TEST ("/window/tasks/toggle-done", test_toggle_done);
  ADD_TEST ("/window/tasks/reorder", test_reorder);
  ADD_TEST ("/window/tasks/details", test_details);
  ADD_TEST ("/window/tasks/move-dialog", test_move_task_dialog);
  ADD_TEST ("/window/tags/view", test_tag_view);
  ADD_TEST ("/window/tags/new-and-colour", test_new_tag_and_color);
  ADD_TEST_OWN_FILE ("/window/first-frame", test_first_frame);

  return g_test_run ();
}
