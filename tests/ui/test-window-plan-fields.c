/* test-window-plan-fields.c: a task's due time, priority and repeat rule in
 * the window (issue 18): the details pane's controls, the row's marks, and
 * Alt+0 to Alt+3 from the list.
 */
#include "roster-repeat-editor.h"
#include "roster-window-test-util.h"

static gpointer
pane_part (Fixture    *f,
           const char *id)
{
  return roster_ui_test_template_child (details_pane (f), ROSTER_TYPE_TASK_DETAILS, id);
}

static gpointer
repeat_part (Fixture    *f,
             const char *id)
{
  return roster_ui_test_template_child (pane_part (f, "repeat_editor"), ROSTER_TYPE_REPEAT_EDITOR, id);
}

/* A task of Alice's, selected, with the details pane open on it; due on
 * @day (YYYY, MM, DD) unless @year is 0. */
static RosterTask *
open_task (Fixture *f,
           int      year,
           int      month,
           int      day)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  RosterTask *task;

  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  type_and_enter (add_entry (f), "Water the plants");
  task = select_first_task (f);
  if (year != 0)
    {
      g_autoptr(GDateTime) due = g_date_time_new_utc (year, month, day, 0, 0, 0);
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (roster_edit_queue_set_task_due_date (edits (f), task, due, &error), ==, ROSTER_EDIT_SAVED);
    }
  activate (f, "win.show-details");
  roster_ui_test_spin ();
  g_assert_true (roster_task_details_get_task (details_pane (f)) == task);
  return task;
}

/* The row's repeat icon, or NULL when it has none (yet). */
static GtkWidget *
find_repeat_icon (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_IMAGE (child) &&
          g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (child)), "media-playlist-repeat-symbolic") == 0)
        return child;
      found = find_repeat_icon (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
task_row (Fixture    *f,
          RosterTask *task)
{
  GtkWidget *row = _roster_window_find_task_row (f->window, task);

  g_assert_nonnull (row);
  return row;
}

/* The due time: off without a due date; typed as people write times; text
 * that is no time stays, with a line that says so. */
static void
test_due_time (Fixture       *f,
               gconstpointer  data)
{
  RosterTask *task = open_task (f, 0, 0, 0);
  GtkEntry *entry = pane_part (f, "due_time_entry");
  GtkLabel *error = pane_part (f, "due_time_error");
  g_autoptr(GDateTime) due = g_date_time_new_utc (2027, 1, 4, 0, 0, 0);
  g_autoptr(GError) err = NULL;

  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (entry)));
  g_assert_cmpint (roster_edit_queue_set_task_due_date (edits (f), task, due, &err), ==, ROSTER_EDIT_SAVED);
  roster_ui_test_spin ();
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (entry)));

  type_and_enter (entry, "9:30");
  g_assert_cmpstr (roster_task_get_due_time (task), ==, "09:30");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "09:30");
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM task WHERE id = ?1 AND due_time = '09:30'",
                                  roster_task_get_id (task)), ==, 1);

  type_and_enter (entry, "half past nine");
  g_assert_cmpstr (roster_task_get_due_time (task), ==, "09:30");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error)));
  g_assert_nonnull (strstr (gtk_label_get_label (error), "half past nine"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "half past nine");
  save_screenshot (f, "plan-due-time-error");

  /* Emptied, the time goes; the line too. */
  type_and_enter (entry, "");
  g_assert_null (roster_task_get_due_time (task));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error)));

  /* Clearing the due date takes the time with it, and the field is off. */
  type_and_enter (entry, "18:00");
  g_assert_cmpstr (roster_task_get_due_time (task), ==, "18:00");
  g_signal_emit_by_name (pane_part (f, "clear_due_button"), "clicked");
  roster_ui_test_spin ();
  g_assert_null (roster_task_get_due_time (task));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (entry)));
}

/* The priority from the pane, shown in the row as a mark a screen reader
 * names; Alt+1 to Alt+3 and Alt+0 from the list. */
static void
test_priority (Fixture       *f,
               gconstpointer  data)
{
  RosterTask *task = open_task (f, 0, 0, 0);
  GtkDropDown *dropdown = pane_part (f, "priority_dropdown");
  static const struct { const char *accel; RosterPriority priority; const char *mark; } keys[] = {
    { "<Alt>1", ROSTER_PRIORITY_LOW, "!" },
    { "<Alt>2", ROSTER_PRIORITY_MEDIUM, "!!" },
    { "<Alt>0", ROSTER_PRIORITY_NONE, NULL },
    { "<Alt>3", ROSTER_PRIORITY_HIGH, "!!!" },
  };
  GtkWidget *mark;

  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, ROSTER_PRIORITY_NONE);
  g_assert_null (find_descendant (task_row (f, task), GTK_TYPE_LABEL, "!!!"));
  gtk_drop_down_set_selected (dropdown, ROSTER_PRIORITY_HIGH);
  roster_ui_test_spin ();
  g_assert_cmpint (roster_task_get_priority (task), ==, ROSTER_PRIORITY_HIGH);
  mark = find_descendant (task_row (f, task), GTK_TYPE_LABEL, "!!!");
  g_assert_nonnull (mark);
  g_assert_true (gtk_widget_get_mapped (mark));
  save_screenshot (f, "plan-priority");

  /* From the list: the keys the window binds, each one undoable. */
  gtk_widget_grab_focus (task_row (f, task));
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      guint n;
      const RosterShortcut *shortcuts = _roster_window_get_shortcuts (&n);
      const char *action = NULL;

      for (guint j = 0; j < n; j++)
        if (g_str_equal (shortcuts[j].accel, keys[i].accel))
          action = shortcuts[j].action;
      g_assert_nonnull (action);
      activate (f, action);
      g_assert_cmpint (roster_task_get_priority (task), ==, keys[i].priority);
      g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, keys[i].priority);
      mark = find_descendant (task_row (f, task), GTK_TYPE_LABEL, keys[i].mark ? keys[i].mark : "");
      if (keys[i].mark != NULL)
        g_assert_true (gtk_widget_get_mapped (mark));
      else
        g_assert_true (mark == NULL || !gtk_widget_get_mapped (mark));
    }
  activate (f, "win.undo");
  g_assert_cmpint (roster_task_get_priority (task), ==, ROSTER_PRIORITY_NONE);
}

/* The Repeat editor: off without a due date (and says why); the choices
 * write the rules they say; on the 31st "every month" offers the last day;
 * the row shows a repeat icon; marking the task done moves it on. */
static void
test_repeat (Fixture       *f,
             gconstpointer  data)
{
  RosterTask *task = open_task (f, 0, 0, 0);
  GtkWidget *controls = repeat_part (f, "controls");
  GtkDropDown *frequency = repeat_part (f, "frequency_dropdown");
  GtkDropDown *monthly = repeat_part (f, "monthly_dropdown");
  GtkDropDown *end = repeat_part (f, "end_dropdown");
  GtkSpinButton *count = repeat_part (f, "count_spin");
  GtkBox *weekdays = repeat_part (f, "weekdays_box");
  g_autoptr(GDateTime) due = g_date_time_new_utc (2027, 1, 31, 0, 0, 0);
  g_autoptr(GDateTime) mid_month = g_date_time_new_utc (2027, 2, 10, 0, 0, 0);
  g_autoptr(GError) error = NULL;
  GtkWidget *wednesday;

  g_assert_false (gtk_widget_get_sensitive (controls));
  g_assert_true (gtk_widget_get_visible (repeat_part (f, "off_label")));
  save_screenshot (f, "plan-repeat-off");

  g_assert_cmpint (roster_edit_queue_set_task_due_date (edits (f), task, due, &error), ==, ROSTER_EDIT_SAVED);
  roster_ui_test_spin ();
  g_assert_true (gtk_widget_get_sensitive (controls));
  g_assert_false (gtk_widget_get_visible (repeat_part (f, "off_label")));

  /* Every week: on the due date's weekday (a Sunday), then Wednesday too. */
  gtk_drop_down_set_selected (frequency, 3);
  roster_ui_test_spin ();
  g_assert_cmpstr (roster_task_get_recurrence (task), ==, "FREQ=WEEKLY;BYDAY=SU");
  wednesday = gtk_widget_get_next_sibling (gtk_widget_get_next_sibling (gtk_widget_get_first_child (GTK_WIDGET (weekdays))));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (wednesday), TRUE);
  roster_ui_test_spin ();
  g_assert_cmpstr (roster_task_get_recurrence (task), ==, "FREQ=WEEKLY;BYDAY=WE,SU");
  g_assert_true (gtk_widget_get_mapped (find_repeat_icon (task_row (f, task))));

  /* Every month, on the 31st: the last day is offered, and chosen. */
  gtk_drop_down_set_selected (frequency, 4);
  roster_ui_test_spin ();
  g_assert_cmpstr (roster_task_get_recurrence (task), ==, "FREQ=MONTHLY");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (monthly)));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (monthly)), ==, 3);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (monthly)), 1),
                   ==, "On the last Sunday");
  gtk_drop_down_set_selected (monthly, 2);
  roster_ui_test_spin ();
  g_assert_cmpstr (roster_task_get_recurrence (task), ==, "FREQ=MONTHLY;BYMONTHDAY=-1");

  /* Ends after 3 times. */
  gtk_drop_down_set_selected (end, 2);
  gtk_spin_button_set_value (count, 3);
  roster_ui_test_spin ();
  g_assert_cmpstr (roster_task_get_recurrence (task), ==, "FREQ=MONTHLY;COUNT=3;BYMONTHDAY=-1");
  save_screenshot (f, "plan-repeat");

  /* Done moves it to 28 February, open, two times left. */
  activate (f, "win.toggle-done");
  roster_ui_test_spin ();
  g_assert_false (roster_task_get_done (task));
  g_assert_cmpint (g_date_time_get_month (roster_task_get_due_date (task)), ==, 2);
  g_assert_cmpint (g_date_time_get_day_of_month (roster_task_get_due_date (task)), ==, 28);
  g_assert_cmpstr (roster_task_get_recurrence (task), ==, "FREQ=MONTHLY;COUNT=2;BYMONTHDAY=-1");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (count), ==, 2);

  /* On the 10th, the last day is not offered for a new choice. */
  g_assert_true (roster_store_set_task_recurrence (f->store, task, "", &error));
  g_assert_true (roster_store_set_task_due_date (f->store, task, mid_month, &error));
  roster_ui_test_spin ();
  gtk_drop_down_set_selected (frequency, 4);
  roster_ui_test_spin ();
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (monthly)), ==, 2);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (monthly)), 1),
                   ==, "On the second Wednesday");

  /* Clearing the due date stops it repeating: the editor is off again. */
  g_signal_emit_by_name (pane_part (f, "clear_due_button"), "clicked");
  roster_ui_test_spin ();
  g_assert_cmpstr (roster_task_get_recurrence (task), ==, "");
  g_assert_false (gtk_widget_get_sensitive (controls));
  g_assert_false (gtk_widget_get_mapped (find_repeat_icon (task_row (f, task))));
}

int
main (int   argc,
      char *argv[])
{
  if (!roster_ui_test_init (&argc, &argv))
    return 77;

  ADD_TEST ("/window/plan/due-time", test_due_time);
  ADD_TEST ("/window/plan/priority", test_priority);
  ADD_TEST ("/window/plan/repeat", test_repeat);

  return g_test_run ();
}
