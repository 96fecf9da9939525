/* test-window-keyboard.c: the window from the keyboard: the shortcuts (and
 * the shortcuts window that lists them), F2 to rename in place, F10 and the
 * Menu key, Find (Ctrl+F) and where the keyboard goes after each.
 *
 * ROSTER_WINDOW_SCREENSHOTS=DIR saves window-find.png and
 * window-find-results.png there. */
#include "roster-sidebar-row.h"
#include "roster-task-row.h"
#include "roster-window-test-util.h"

/* A sidebar row has the keyboard when its list item has it. */
static gboolean
sidebar_row_has_focus (Fixture   *f,
                       GtkWidget *row)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  return row != NULL && focus != NULL && (focus == row || focus == gtk_widget_get_parent (row));
}

/* The row of @task has the keyboard. */
static gboolean
task_row_has_focus (Fixture    *f,
                    RosterTask *task)
{
  GtkWidget *row = _roster_window_find_task_row (f->window, task);

  return row != NULL && focus_is_in (f, gtk_widget_get_parent (row));
}

static void
test_next_previous_user (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");

  g_assert_true (_roster_window_get_selected_user (f->window) == bob);
  activate (f, "win.previous-user");
  g_assert_true (_roster_window_get_selected_user (f->window) == alice);
  activate (f, "win.next-user");
  g_assert_true (_roster_window_get_selected_user (f->window) == bob);
}

/* Renaming re-sorts the sidebar (its row is replaced while it commits). */
static void
test_rename_user_in_place (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");
  GtkWidget *row;
  GtkWidget *entry;

  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  row = _roster_window_find_sidebar_row (f->window, G_OBJECT (alice));
  gtk_widget_grab_focus (row);
  roster_ui_test_spin ();
  activate (f, "win.rename");
  g_assert_true (roster_sidebar_row_get_editing (ROSTER_SIDEBAR_ROW (row)));
  entry = find_descendant (row, GTK_TYPE_ENTRY, NULL);

  /* A taken name is refused beside the field, which keeps it. */
  type_and_enter (GTK_ENTRY (entry), "Bob");
  g_assert_cmpstr (roster_user_get_username (alice), ==, "Alice");
  g_assert_nonnull (find_descendant (row, GTK_TYPE_LABEL, NULL));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Bob");

  type_and_enter (GTK_ENTRY (entry), "Zoe");
  g_assert_cmpstr (roster_user_get_username (alice), ==, "Zoe");
  row = _roster_window_find_sidebar_row (f->window, G_OBJECT (alice));
  g_assert_nonnull (row);
  g_assert_false (roster_sidebar_row_get_editing (ROSTER_SIDEBAR_ROW (row)));
  /* Sorted again, after Bob, and still selected. */
  g_assert_cmpuint (gtk_single_selection_get_selected (sidebar_selection (f->window, "user_list")), ==, 1);
  g_assert_true (_roster_window_get_selected_user (f->window) == alice);
  /* The keyboard stays where it was: on the renamed user. */
  g_assert_true (sidebar_row_has_focus (f, row));
}

static void
test_rename_in_place (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  RosterTask *task;
  GtkWidget *row;
  GtkWidget *entry;
  GtkWidget *error_label;

  type_and_enter (add_entry (f), "Buy milk");
  task = select_first_task (f);
  row = _roster_window_find_task_row (f->window, task);

  activate (f, "win.rename");
  g_assert_true (roster_task_row_get_editing (ROSTER_TASK_ROW (row)));
  entry = find_descendant (row, GTK_TYPE_ENTRY, NULL);
  g_assert_true (gtk_widget_get_focus_child (entry) != NULL);

  type_and_enter (GTK_ENTRY (entry), "");
  g_assert_cmpstr (roster_task_get_title (task), ==, "Buy milk");
  g_assert_true (roster_task_row_get_editing (ROSTER_TASK_ROW (row)));
  error_label = find_descendant (row, GTK_TYPE_LABEL, "Type a title for the task.");
  g_assert_nonnull (error_label);
  g_assert_true (gtk_widget_get_visible (error_label));

  type_and_enter (GTK_ENTRY (entry), "Buy oat milk");
  g_assert_cmpstr (roster_task_get_title (task), ==, "Buy oat milk");
  g_assert_false (roster_task_row_get_editing (ROSTER_TASK_ROW (row)));
  /* On screen: the new title, neither the field nor the error. */
  g_assert_false (gtk_widget_get_mapped (entry));
  g_assert_false (gtk_widget_get_mapped (error_label));
  g_assert_true (gtk_widget_get_mapped (find_descendant (row, GTK_TYPE_LABEL, "Buy oat milk")));

  /* Leaving the field saves too. */
  activate (f, "win.rename");
  g_assert_true (find_descendant (row, GTK_TYPE_ENTRY, NULL) == entry);
  g_assert_true (gtk_widget_get_mapped (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), "Buy soy milk");
  gtk_widget_grab_focus (GTK_WIDGET (add_entry (f)));
  roster_ui_test_spin ();
  g_assert_cmpstr (roster_task_get_title (task), ==, "Buy soy milk");
  g_assert_false (roster_task_row_get_editing (ROSTER_TASK_ROW (row)));
}

/* Ctrl+F: Find over every user's tasks in place of the list; a result chosen
 * there shows its owner's list with the task selected; Escape goes back. */
static void
test_find (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");
  g_autoptr(RosterTask) bike = NULL;
  g_autoptr(RosterTask) milk = NULL;
  GtkWidget *results_list;
  GListModel *results;
  int start, end;

  _roster_window_select_user (f->window, bob);
  roster_ui_test_spin ();
  type_and_enter (add_entry (f), "Buy oat milk");
  type_and_enter (add_entry (f), "Fix the bike");
  bike = g_list_model_get_item (_roster_window_get_shown_tasks (f->window), 1);
  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  type_and_enter (add_entry (f), "Buy milk");
  type_and_enter (add_entry (f), "Pay rent");
  type_and_enter (add_entry (f), "Buy bread");
  milk = g_object_ref (select_first_task (f));

  /* Find takes the place of the list, with the keyboard in its entry. */
  activate (f, "win.find");
  g_assert_true (_roster_window_is_finding (f->window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_part (f->window, "content_stack")), ==, "find");
  g_assert_true (gtk_widget_get_mapped (window_part (f->window, "find_bar")));
  g_assert_true (focus_is_in (f, GTK_WIDGET (find_entry (f))));
  g_assert_true (gtk_toggle_button_get_active (window_part (f->window, "search_button")));
  g_assert_false (gtk_widget_get_visible (window_part (f->window, "add_box")));
  g_assert_cmpstr (adw_window_title_get_title (window_part (f->window, "content_title")), ==, "Find Tasks");
  save_screenshot (f, "find");

  /* Every user's tasks, not just Alice's. */
  results = search (f, "buy");
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 3);
  save_screenshot (f, "find-results");

  /* The selected task is out of sight: keys on a result (Space, Delete, F2,
   * Ctrl+D, Shift+Ctrl+Up) must not change it. */
  results_list = find_descendant (window_part (f->window, "find_bar"), GTK_TYPE_LIST_VIEW, NULL);
  gtk_widget_grab_focus (results_list);
  roster_ui_test_spin ();
  g_assert_true (focus_is_in (f, results_list));
  g_assert_cmpint (_roster_window_get_target (f->window), ==, ROSTER_TARGET_NONE);
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.toggle-done"));
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.delete"));
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.rename"));
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.move-task-down"));
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.context-menu"));

  /* Ctrl+F again: back in the entry, its text selected so typing replaces it. */
  activate (f, "win.find");
  g_assert_true (focus_is_in (f, GTK_WIDGET (find_entry (f))));
  g_assert_true (gtk_editable_get_selection_bounds (find_entry (f), &start, &end));
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, ==, 3);

  /* A task of another user: Enter on its result shows Bob's list with the
   * task selected and the keyboard on it. */
  results = search (f, "BIKE");
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);
  g_signal_emit_by_name (results_list, "activate", 0);
  roster_ui_test_spin ();
  g_assert_false (_roster_window_is_finding (f->window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_part (f->window, "content_stack")), ==, "tasks");
  g_assert_false (gtk_toggle_button_get_active (window_part (f->window, "search_button")));
  g_assert_true (_roster_window_get_selected_user (f->window) == bob);
  g_assert_true (gtk_single_selection_get_selected_item (sidebar_selection (f->window, "user_list")) == bob);
  g_assert_true (_roster_window_get_selected_task (f->window) == bike);
  g_assert_true (task_row_has_focus (f, bike));
  g_assert_cmpstr (adw_window_title_get_title (window_part (f->window, "content_title")), ==, "Bob");
  /* The task keys are back, for this task. */
  g_assert_true (_roster_window_action_is_enabled (f->window, "win.toggle-done"));

  /* Enter in the entry takes the first result. */
  activate (f, "win.find");
  results = search (f, "buy milk");
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);
  g_signal_emit_by_name (find_entry (f), "activate");
  roster_ui_test_spin ();
  g_assert_true (_roster_window_get_selected_user (f->window) == alice);
  g_assert_true (_roster_window_get_selected_task (f->window) == milk);
  g_assert_true (task_row_has_focus (f, milk));

  /* Escape: back to the list, the keyboard on the selected task again. */
  activate (f, "win.find");
  g_assert_cmpstr (gtk_editable_get_text (find_entry (f)), ==, "buy milk");
  g_signal_emit_by_name (find_entry (f), "stop-search");
  roster_ui_test_spin ();
  g_assert_false (_roster_window_is_finding (f->window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_part (f->window, "content_stack")), ==, "tasks");
  g_assert_true (gtk_widget_get_visible (window_part (f->window, "add_box")));
  g_assert_true (task_row_has_focus (f, milk));
  g_assert_true (_roster_window_get_selected_user (f->window) == alice);

  /* The search button opens it too; a user chosen in the sidebar closes it. */
  gtk_toggle_button_set_active (window_part (f->window, "search_button"), TRUE);
  roster_ui_test_spin ();
  g_assert_true (_roster_window_is_finding (f->window));
  g_assert_true (focus_is_in (f, GTK_WIDGET (find_entry (f))));
  /* As a click on Bob's row does. */
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (sidebar_selection (f->window, "user_list")), 1, TRUE);
  roster_ui_test_spin ();
  g_assert_false (_roster_window_is_finding (f->window));
  g_assert_true (_roster_window_get_selected_user (f->window) == bob);
  /* Ctrl+click on it does not leave the window without a selected user. */
  g_assert_false (gtk_selection_model_unselect_item (GTK_SELECTION_MODEL (sidebar_selection (f->window, "user_list")), 1));
  g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (sidebar_selection (f->window, "user_list")), 1));
  g_assert_false (gtk_toggle_button_get_active (window_part (f->window, "search_button")));

  /* A found task deleted meanwhile (by another program): said, not shown. */
  activate (f, "win.find");
  results = search (f, "rent");
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);
  {
    g_autoptr(RosterTask) rent = g_list_model_get_item (results, 0);
    g_autoptr(GError) error = NULL;

    g_assert_true (roster_store_delete_task (f->store, rent, &error));
    g_assert_no_error (error);
  }
  g_signal_emit_by_name (find_entry (f), "activate");
  roster_ui_test_spin ();
  g_assert_true (_roster_window_is_finding (f->window));
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 0);
  g_assert_true (_roster_window_get_selected_user (f->window) == bob);
}

/* Every accelerator the window and the application bind is listed in the
 * shortcuts window, and nothing else is. */
static void
test_shortcuts_window (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/rosterapp/Roster/roster-shortcuts.ui");
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) bound = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSList) objects = gtk_builder_get_objects (builder);
  const RosterShortcut *shortcuts;
  guint n_shortcuts;

  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *accels = NULL;
      g_auto(GStrv) parts = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;
      g_object_get (l->data, "accelerator", &accels, NULL);
      parts = g_strsplit (accels, " ", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        {
          guint key;
          GdkModifierType mods;

          g_assert_true (gtk_accelerator_parse (parts[i], &key, &mods));
          g_ptr_array_add (listed, gtk_accelerator_name (key, mods));
        }
    }

  shortcuts = _roster_window_get_shortcuts (&n_shortcuts);
  for (guint i = 0; i < n_shortcuts; i++)
    {
      guint key;
      GdkModifierType mods;

      g_assert_true (gtk_accelerator_parse (shortcuts[i].accel, &key, &mods));
      g_ptr_array_add (bound, gtk_accelerator_name (key, mods));
    }
  /* Application accelerators (roster-application.c). */
  g_ptr_array_add (bound, g_strdup ("<Control>q"));
  g_ptr_array_add (bound, g_strdup ("<Control>comma"));

  g_assert_cmpuint (listed->len, ==, bound->len);
  for (guint i = 0; i < bound->len; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < listed->len && !found; j++)
        found = g_str_equal (g_ptr_array_index (bound, i), g_ptr_array_index (listed, j));
      if (!found)
        g_error ("%s is bound but not in the shortcuts window", (char *) g_ptr_array_index (bound, i));
    }
}

/* @popover is a shown menu of @model, with an item labelled @label (as
 * written, mnemonic included); closes it. */
static void
assert_menu_open (GtkWidget  *popover,
                  GMenuModel *model,
                  const char *label)
{
  g_assert_nonnull (popover);
  g_assert_true (GTK_IS_POPOVER_MENU (popover));
  g_assert_true (gtk_widget_get_visible (popover));
  g_assert_true (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover)) == model);
  g_assert_nonnull (find_descendant (popover, GTK_TYPE_LABEL, label));
  gtk_popover_popdown (GTK_POPOVER (popover));
  roster_ui_test_spin ();
}

/* The same for the right-click menu of @list. */
static void
assert_context_menu_open (Fixture    *f,
                          GtkWidget  *list,
                          const char *label)
{
  assert_menu_open (_roster_window_get_context_menu (f->window, list),
                    _roster_window_get_context_menu_model (f->window, list), label);
}

/* The main menu and the context menus: F10 and the Menu key (win.main-menu,
 * win.context-menu) open them, for the task, the user and the tag the
 * keyboard is on. */
static void
test_menus (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterCategory) home = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *task_list = window_part (f->window, "task_list");
  GtkWidget *user_list = sidebar_part (f->window, "user_list");
  GtkWidget *tag_list = sidebar_part (f->window, "tag_list");
  RosterTask *task;

  home = roster_store_create_category (f->store, "Home", NULL, &error);
  g_assert_no_error (error);
  type_and_enter (add_entry (f), "Buy milk");
  task = select_first_task (f);
  g_assert_cmpstr (roster_task_get_title (task), ==, "Buy milk");

  /* The main menu is made when first opened; the right-click menus once the
   * lists are whole (/window/first-frame: not before the first frame). */
  g_assert_null (gtk_menu_button_get_popover (window_part (f->window, "menu_button")));
  g_assert_nonnull (_roster_window_get_context_menu (f->window, task_list));
  g_assert_nonnull (_roster_window_get_context_menu (f->window, user_list));
  g_assert_nonnull (_roster_window_get_context_menu (f->window, tag_list));

  activate (f, "win.main-menu");
  assert_menu_open (GTK_WIDGET (gtk_menu_button_get_popover (window_part (f->window, "menu_button"))),
                    window_part (f->window, "main_menu"), "_Keyboard Shortcuts");

  gtk_widget_grab_focus (_roster_window_find_task_row (f->window, task));
  roster_ui_test_spin ();
  activate (f, "win.context-menu");
  assert_context_menu_open (f, task_list, "Re_name");

  gtk_widget_grab_focus (_roster_window_find_sidebar_row (f->window, G_OBJECT (alice)));
  roster_ui_test_spin ();
  activate (f, "win.context-menu");
  assert_context_menu_open (f, user_list, "Re_name");

  _roster_window_select_category (f->window, home);
  roster_ui_test_spin ();
  gtk_widget_grab_focus (_roster_window_find_sidebar_row (f->window, G_OBJECT (home)));
  roster_ui_test_spin ();
  activate (f, "win.context-menu");
  assert_context_menu_open (f, tag_list, "_Colour");
}

int
main (int   argc,
      char *argv[])
{
  if (!roster_ui_test_init (&argc, &argv))
    return 77;

  ADD_TEST ("/window/users/next-previous", test_next_previous_user);
  ADD_TEST ("/window/users/rename-in-place", test_rename_user_in_place);
  ADD_TEST ("/window/tasks/rename-in-place", test_rename_in_place);
  ADD_TEST ("/window/tasks/find", test_find);
  ADD_TEST ("/window/shortcuts-window", test_shortcuts_window);
  ADD_TEST ("/window/menus", test_menus);

  return g_test_run ();
}
