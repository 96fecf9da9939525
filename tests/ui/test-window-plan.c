/* test-window-plan.c: the sidebar's Plan views in the window: Today and
 * Upcoming chosen from the sidebar and by their keys' actions, their rows
 * with owners, Upcoming's day headings, and both following changes and the
 * day rolling over (the store's day fixed by the test); and sorting a list
 * and hiding its done tasks, remembered per list. */
#include <string.h>

#include "roster-task-row.h"
#include "roster-window-test-util.h"

/* The day the tests call today: Thursday 10 December 2026. */
static void
set_day (Fixture *f,
         int      offset)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 10, 12, 2026);
  g_date_add_days (&date, (guint) offset);
  roster_store_set_today (f->store, &date);
  roster_ui_test_spin ();
}

static RosterTask *
dated_task (Fixture    *f,
            RosterUser *owner,
            const char *title,
            int         offset)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) today = g_date_time_new_utc (2026, 12, 10, 0, 0, 0);
  g_autoptr(GDateTime) due = g_date_time_add_days (today, offset);
  RosterTask *task = roster_store_create_task (f->store, owner, title, &error);

  g_assert_no_error (error);
  g_assert_true (roster_store_set_task_due_date (f->store, task, due, &error));
  g_assert_no_error (error);
  return task;
}

static void
set_done (Fixture    *f,
          RosterTask *task)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (roster_store_set_task_done (f->store, task, TRUE, &error));
  g_assert_no_error (error);
  roster_ui_test_spin ();
}

/* The heading shown above @task's row, or NULL. */
static const char *
heading (Fixture    *f,
         RosterTask *task)
{
  GtkWidget *row = _roster_window_find_task_row (f->window, task);

  g_assert_nonnull (row);
  for (GtkWidget *w = gtk_widget_get_first_child (gtk_widget_get_first_child (row));
       w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_LABEL (w) && gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (w)) == GTK_ACCESSIBLE_ROLE_HEADING)
      return gtk_widget_get_visible (w) ? gtk_label_get_label (GTK_LABEL (w)) : NULL;
  return NULL;
}

static const char *
subtitle (Fixture *f)
{
  return adw_window_title_get_subtitle (window_part (f->window, "content_title"));
}

static void
test_today (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(RosterUser) ada = add_user (f, "ada");
  g_autoptr(RosterUser) bob = add_user (f, "bob");
  g_autoptr(RosterTask) rent = NULL;
  g_autoptr(RosterTask) milk = NULL;
  g_autoptr(RosterTask) mom = NULL;
  GListModel *shown;

  set_day (f, 0);
  rent = dated_task (f, ada, "Pay rent", -1);
  milk = dated_task (f, bob, "Buy milk", 0);
  mom = dated_task (f, ada, "Call mom", 1);

  activate (f, "win.show-today");
  roster_ui_test_spin ();
  g_assert_cmpint (_roster_window_get_plan (f->window), ==, ROSTER_PLAN_TODAY);
  g_assert_null (_roster_window_get_selected_user (f->window));
  g_assert_true (gtk_list_box_row_is_selected (sidebar_part (f->window, "today_row")));
  g_assert_cmpuint (gtk_single_selection_get_selected (sidebar_selection (f->window, "user_list")),
                    ==, GTK_INVALID_LIST_POSITION);
  g_assert_cmpstr (adw_window_title_get_title (window_part (f->window, "content_title")), ==, "Today");
  g_assert_cmpstr (subtitle (f), ==, "2 open tasks");
  /* No new task without an owner to give it to. */
  g_assert_false (gtk_widget_is_visible (window_part (f->window, "add_box")));

  /* Overdue first, each with its owner. */
  shown = _roster_window_get_shown_tasks (f->window);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);
  {
    g_autoptr(RosterTask) first = g_list_model_get_item (shown, 0);

    g_assert_true (first == rent);
  }
  g_assert_nonnull (find_descendant (_roster_window_find_task_row (f->window, rent), GTK_TYPE_LABEL, "ada"));
  g_assert_nonnull (find_descendant (_roster_window_find_task_row (f->window, milk), GTK_TYPE_LABEL, "bob"));
  save_screenshot (f, "plan-today");

  /* Live: done leaves, a new due date comes. */
  set_done (f, milk);
  g_assert_cmpuint (count_task_rows (f->window), ==, 1);
  g_assert_cmpstr (subtitle (f), ==, "1 open task");
  set_day (f, 1);
  g_assert_cmpuint (count_task_rows (f->window), ==, 2);
  g_assert_nonnull (_roster_window_find_task_row (f->window, mom));

  /* A user chosen in the sidebar takes the Plan row's place. */
  _roster_window_choose_sidebar_item (f->window, G_OBJECT (bob));
  roster_ui_test_spin ();
  g_assert_cmpint (_roster_window_get_plan (f->window), ==, ROSTER_PLAN_NONE);
  g_assert_false (gtk_list_box_row_is_selected (sidebar_part (f->window, "today_row")));
  g_assert_true (_roster_window_get_selected_user (f->window) == bob);

  /* A click on the Plan row (its selection) shows it again. */
  gtk_list_box_select_row (sidebar_part (f->window, "plan_list"), sidebar_part (f->window, "upcoming_row"));
  roster_ui_test_spin ();
  g_assert_cmpint (_roster_window_get_plan (f->window), ==, ROSTER_PLAN_UPCOMING);
  g_assert_null (_roster_window_get_selected_user (f->window));
}

static void
test_upcoming_headings (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(RosterUser) ada = add_user (f, "ada");
  g_autoptr(RosterUser) bob = add_user (f, "bob");
  g_autoptr(RosterTask) a = NULL;
  g_autoptr(RosterTask) b = NULL;
  g_autoptr(RosterTask) c = NULL;
  g_autoptr(RosterTask) d = NULL;
  g_autoptr(RosterTask) e = NULL;

  set_day (f, 0);
  a = dated_task (f, ada, "a", 0);
  b = dated_task (f, bob, "b", 0);
  c = dated_task (f, ada, "c", 1);
  d = dated_task (f, bob, "d", 2);
  e = dated_task (f, ada, "e", 2);

  activate (f, "win.show-upcoming");
  roster_ui_test_spin ();
  g_assert_cmpstr (adw_window_title_get_title (window_part (f->window, "content_title")), ==, "Upcoming");
  g_assert_cmpuint (count_task_rows (f->window), ==, 5);
  g_assert_cmpstr (heading (f, a), ==, "Today");
  g_assert_null (heading (f, b));
  g_assert_cmpstr (heading (f, c), ==, "Tomorrow");
  g_assert_cmpstr (heading (f, d), ==, "Saturday 12 December");
  g_assert_null (heading (f, e));
  save_screenshot (f, "plan-upcoming");

  /* The first of a day goes: the next one starts the day. */
  set_done (f, a);
  g_assert_cmpstr (heading (f, b), ==, "Today");

  /* Midnight: today's tasks leave, and the days are named anew. */
  set_day (f, 1);
  g_assert_null (_roster_window_find_task_row (f->window, b));
  g_assert_cmpstr (heading (f, c), ==, "Today");
  g_assert_cmpstr (heading (f, d), ==, "Tomorrow");
  g_assert_null (heading (f, e));

  /* The same rows in another list show no headings. */
  _roster_window_choose_sidebar_item (f->window, G_OBJECT (ada));
  roster_ui_test_spin ();
  g_assert_null (heading (f, c));
}

/* The titles of the list shown, joined with commas. */
static char *
shown_titles (Fixture *f)
{
  GListModel *shown = _roster_window_get_shown_tasks (f->window);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(RosterTask) t = g_list_model_get_item (shown, i);

      g_string_append_printf (out, "%s%s", i > 0 ? "," : "", roster_task_get_title (t));
    }
  return g_string_free (out, FALSE);
}

#define assert_shown(f, expected) \
  G_STMT_START { g_autofree char *_t = shown_titles (f); g_assert_cmpstr (_t, ==, expected); } G_STMT_END

static void
test_sorting (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(RosterUser) bob = add_user (f, "bob");
  g_autoptr(RosterUser) ada = add_user (f, "ada");
  g_autoptr(RosterTask) b = NULL;
  g_autoptr(RosterTask) a = NULL;
  g_autoptr(RosterTask) c = NULL;
  g_autoptr(RosterTask) d = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *note = window_part (f->window, "sort_note");
  GtkWidget *show_done = window_part (f->window, "show_done_button");

  set_day (f, 0);
  b = dated_task (f, ada, "b", 2);
  a = roster_store_create_task (f->store, ada, "a", &error);
  c = dated_task (f, ada, "c", -1);
  d = roster_store_create_task (f->store, ada, "d", &error);
  set_done (f, d);
  _roster_window_choose_sidebar_item (f->window, G_OBJECT (ada));
  roster_ui_test_spin ();
  assert_shown (f, "b,a,c,d");
  g_assert_false (gtk_widget_get_visible (note));

  /* Shift+Ctrl+S: by due date. Moving up is off, and the list says why. */
  activate (f, "win.cycle-sort");
  assert_shown (f, "c,b,a,d");
  _roster_window_select_task (f->window, b, TRUE);
  roster_ui_test_spin ();
  g_assert_true (gtk_widget_get_visible (note));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (note)), "manual order"));
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.move-task-up"));

  /* Again: by title; Ctrl+H hides the done task and leaves a button. */
  activate (f, "win.cycle-sort");
  assert_shown (f, "a,b,c,d");
  activate (f, "win.hide-done");
  assert_shown (f, "a,b,c");
  g_assert_true (gtk_widget_get_visible (show_done));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (show_done)), ==, "Show 1 Done Task");
  save_screenshot (f, "sorted");

  /* Live: a task renamed moves; one marked done goes. */
  {
    g_autoptr(GError) rename_error = NULL;

    g_assert_true (roster_store_set_task_title (f->store, a, "z", &rename_error));
    roster_ui_test_spin ();
    assert_shown (f, "b,c,z");
    set_done (f, c);
    assert_shown (f, "b,z");
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (show_done)), ==, "Show 2 Done Tasks");
  }

  /* Remembered for this list only. */
  _roster_window_choose_sidebar_item (f->window, G_OBJECT (bob));
  roster_ui_test_spin ();
  g_assert_false (gtk_widget_get_visible (note));
  g_assert_false (gtk_widget_get_visible (show_done));
  _roster_window_choose_sidebar_item (f->window, G_OBJECT (ada));
  roster_ui_test_spin ();
  assert_shown (f, "b,z");

  /* The button shows them again; by priority, then back to manual order,
   * where moving is on. */
  g_signal_emit_by_name (show_done, "clicked");
  roster_ui_test_spin ();
  assert_shown (f, "b,c,d,z");
  g_assert_false (gtk_widget_get_visible (show_done));
  /* By priority: high first, ties by age. */
  g_assert_true (roster_store_set_task_priority (f->store, c, ROSTER_PRIORITY_HIGH, &error));
  g_assert_no_error (error);
  activate (f, "win.cycle-sort");
  assert_shown (f, "c,b,z,d");
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.move-task-up"));
  activate (f, "win.cycle-sort");
  assert_shown (f, "b,z,c,d");
  _roster_window_select_task (f->window, c, TRUE);
  roster_ui_test_spin ();
  g_assert_false (gtk_widget_get_visible (note));
  g_assert_true (_roster_window_action_is_enabled (f->window, "win.move-task-up"));
}

int
main (int   argc,
      char *argv[])
{
  if (!roster_ui_test_init (&argc, &argv))
    return 77;

  ADD_TEST ("/window/plan/today", test_today);
  ADD_TEST ("/window/plan/upcoming-headings", test_upcoming_headings);
  ADD_TEST ("/window/sorting", test_sorting);

  return g_test_run ();
}
