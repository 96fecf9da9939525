/* test-plan.c: due times, priorities and repeating tasks (issue 18) against
 * real SQLite files.
 *
 * Run with TZ=Europe/Berlin (tests/meson.build), a zone whose clocks change:
 * a due time is a wall-clock time and must stay one across the change. The
 * file is checked through a second connection; the repeat rules' dates are
 * what RFC 5545 says, worked out by hand here (the store asks libical).
 */
#define G_LOG_DOMAIN "test-plan"

#include <sqlite3.h>

#include "roster-model.h"
#include "roster-store-private.h"
#include "roster-test-util.h"

typedef struct
{
  char        *dir;
  char        *path;
  RosterStore *store;
  RosterUser  *ada;
  RosterTask  *task;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = roster_test_make_dir ("roster-plan-XXXXXX");
  f->path = g_build_filename (f->dir, "roster.db", NULL);
  f->store = roster_store_open (f->path, &error);
  g_assert_no_error (error);
  f->ada = roster_store_create_user (f->store, "ada", &error);
  g_assert_no_error (error);
  f->task = roster_store_create_task (f->store, f->ada, "Water the plants", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->task);
  g_clear_object (&f->ada);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  roster_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
set_due (Fixture    *f,
         const char *date)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) due = _roster_date_from_string (date);

  g_assert_nonnull (due);
  g_assert_true (roster_store_set_task_due_date (f->store, f->task, due, &error));
  g_assert_no_error (error);
}

static void
set_rule (Fixture    *f,
          const char *rule)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (roster_store_set_task_recurrence (f->store, f->task, rule, &error));
  g_assert_no_error (error);
}

/* The first column of @sql's rows, read through a second connection. */
static void
assert_in_file (Fixture    *f,
                const char *sql,
                const char *expected)
{
  g_autofree char *text = roster_test_raw_text (f->path, sql);

  g_assert_cmpstr (text, ==, expected);
}

/* The task's due date as the file has it. */
static void
assert_due_in_file (Fixture    *f,
                    const char *expected)
{
  assert_in_file (f, "SELECT coalesce(due_date, 'none') FROM task", expected);
}

/* Marks the task done, as a person does, and says where its due date went:
 * "YYYY-MM-DD" while it repeats (and it must still be open), "done" once the
 * rule has no occurrence left. */
static char *
mark_done (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *due = NULL;

  g_assert_true (roster_store_set_task_done (f->store, f->task, TRUE, &error));
  g_assert_no_error (error);
  due = roster_test_raw_text (f->path, "SELECT due_date FROM task");
  {
    g_autofree char *object_due = _roster_date_to_string (roster_task_get_due_date (f->task));
    g_assert_cmpstr (object_due, ==, due);
  }
  if (roster_task_get_done (f->task))
    {
      g_assert_cmpint (roster_test_raw_int (f->path, "SELECT done FROM task"), ==, 1);
      return g_strdup ("done");
    }
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT done FROM task"), ==, 0);
  return g_steal_pointer (&due);
}

/* Marks the task done once for each date of @expected (NULL-terminated),
 * checking that its due date moves there. */
static void
assert_advances (Fixture            *f,
                 const char * const *expected)
{
  for (guint i = 0; expected[i] != NULL; i++)
    {
      g_autofree char *due = mark_done (f);
      g_assert_cmpstr (due, ==, expected[i]);
    }
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* ------------------------------------------------------------------------ */
/* The columns                                                               */

/* A new task has none of them; each is stored, notified once, read back by
 * a new store, and undone. */
static void
test_fields (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n_time = 0, n_priority = 0, n_rule = 0;
  gint64 id = roster_task_get_id (f->task);
  RosterPriority priority;
  g_autofree char *time = NULL;

  g_assert_null (roster_task_get_due_time (f->task));
  g_assert_cmpint (roster_task_get_priority (f->task), ==, ROSTER_PRIORITY_NONE);
  g_assert_cmpstr (roster_task_get_recurrence (f->task), ==, "");
  g_assert_null (roster_task_dup_due_local (f->task));
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT priority FROM task"), ==, 0);

  g_signal_connect (f->task, "notify::due-time", G_CALLBACK (count_notify_cb), &n_time);
  g_signal_connect (f->task, "notify::priority", G_CALLBACK (count_notify_cb), &n_priority);
  g_signal_connect (f->task, "notify::recurrence", G_CALLBACK (count_notify_cb), &n_rule);

  set_due (f, "2027-01-04");
  g_assert_true (roster_store_set_task_due_time (f->store, f->task, "09:30", &error));
  g_assert_true (roster_store_set_task_priority (f->store, f->task, ROSTER_PRIORITY_HIGH, &error));
  set_rule (f, "RRULE:FREQ=WEEKLY;BYDAY=MO");
  g_assert_no_error (error);
  /* The same value again changes nothing. */
  g_assert_true (roster_store_set_task_priority (f->store, f->task, ROSTER_PRIORITY_HIGH, &error));
  g_assert_cmpuint (n_time, ==, 1);
  g_assert_cmpuint (n_priority, ==, 1);
  g_assert_cmpuint (n_rule, ==, 1);

  g_object_get (f->task, "due-time", &time, "priority", &priority, NULL);
  g_assert_cmpstr (time, ==, "09:30");
  g_assert_cmpint (priority, ==, ROSTER_PRIORITY_HIGH);
  g_assert_cmpstr (roster_task_get_recurrence (f->task), ==, "FREQ=WEEKLY;BYDAY=MO");
  assert_in_file (f, "SELECT due_time || ' ' || priority || ' ' || recurrence FROM task", "09:30 3 FREQ=WEEKLY;BYDAY=MO");

  /* A new store reads them from the file. */
  g_signal_handlers_disconnect_by_func (f->task, count_notify_cb, &n_time);
  g_signal_handlers_disconnect_by_func (f->task, count_notify_cb, &n_priority);
  g_signal_handlers_disconnect_by_func (f->task, count_notify_cb, &n_rule);
  g_clear_object (&f->task);
  g_clear_object (&f->ada);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  f->store = roster_store_open (f->path, &error);
  g_assert_no_error (error);
  f->task = roster_store_get_task (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->task);
  g_assert_cmpstr (roster_task_get_due_time (f->task), ==, "09:30");
  g_assert_cmpint (roster_task_get_priority (f->task), ==, ROSTER_PRIORITY_HIGH);
  g_assert_cmpstr (roster_task_get_recurrence (f->task), ==, "FREQ=WEEKLY;BYDAY=MO");

  /* Each one an undo step of its own. */
  g_assert_true (roster_store_set_task_priority (f->store, f->task, ROSTER_PRIORITY_LOW, &error));
  g_assert_true (roster_store_undo (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (roster_task_get_priority (f->task), ==, ROSTER_PRIORITY_HIGH);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT priority FROM task"), ==, 3);
}

/* The seed's classes know none of the new columns: their rows get the
 * defaults, and Roster reads them as "none". */
static void
test_seed_rows (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = roster_test_make_dir ("roster-plan-seed-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "seed.db", NULL);
  g_autoptr(RosterStore) store = NULL;
  g_autoptr(GListModel) users = NULL;
  g_autoptr(GListModel) tasks = NULL;
  g_autoptr(RosterUser) user = NULL;
  g_autoptr(RosterTask) task = NULL;

  roster_test_write_seed_file (path, "INSERT INTO user (id, username) VALUES (1, 'grace');\n"
                                     "INSERT INTO task (id, title, owner_id) VALUES (1, 'Old task', 1);\n");
  store = roster_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (roster_test_raw_int (path, "PRAGMA user_version"), ==, ROSTER_SCHEMA_VERSION);
  /* Inserted as the seed's classes do, after the migration. */
  roster_test_raw_exec (path, "INSERT INTO task (id, title, owner_id) VALUES (2, 'New task', 1)");
  roster_store_refresh (store);

  users = roster_store_list_users (store);
  user = g_list_model_get_item (users, 0);
  tasks = roster_store_list_user_tasks (store, user);
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      task = g_list_model_get_item (tasks, i);
      g_assert_null (roster_task_get_due_time (task));
      g_assert_cmpint (roster_task_get_priority (task), ==, ROSTER_PRIORITY_NONE);
      g_assert_cmpstr (roster_task_get_recurrence (task), ==, "");
      g_clear_object (&task);
    }
  g_clear_object (&tasks);
  g_clear_object (&users);
  g_clear_object (&user);
  g_assert_finalize_object (g_steal_pointer (&store));
  roster_test_remove_tree (dir);
}

/* Refused values say why, and change nothing. */
static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  /* No due date: no time, no repeat, and the sentence says why. */
  g_assert_false (roster_store_set_task_due_time (f->store, f->task, "09:00", &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "due date"));
  g_clear_error (&error);
  g_assert_false (roster_store_set_task_recurrence (f->store, f->task, "FREQ=DAILY", &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "without a due date cannot repeat"));
  g_clear_error (&error);

  set_due (f, "2027-01-04");
  before = roster_test_dump (f->path);
  for (guint i = 0; i < 5; i++)
    {
      static const char * const times[] = { "24:00", "9:30", "09:60", "noon", "09:30:00" };

      g_assert_false (roster_store_set_task_due_time (f->store, f->task, times[i], &error));
      g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, times[i]));
      g_clear_error (&error);
    }
  for (guint i = 0; i < 4; i++)
    {
      static const char * const rules[] = { "every monday", "FREQ=SOMETIMES", "FREQ=DAILY;BYDAY=XX", "FREQ=HOURLY" };

      g_assert_false (roster_store_set_task_recurrence (f->store, f->task, rules[i], &error));
      g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_false (roster_store_set_task_priority (f->store, f->task, 7, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID);
  g_clear_error (&error);
  after = roster_test_dump (f->path);
  g_assert_cmpstr (after, ==, before);
}

/* Clearing the due date of a repeating task with a time clears all three in
 * one change; undo brings them back together. */
static void
test_clear_due_date (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  set_due (f, "2027-01-04");
  g_assert_true (roster_store_set_task_due_time (f->store, f->task, "18:15", &error));
  set_rule (f, "FREQ=WEEKLY");
  before = roster_test_dump (f->path);

  g_assert_true (roster_store_set_task_due_date (f->store, f->task, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (roster_task_get_due_date (f->task));
  g_assert_null (roster_task_get_due_time (f->task));
  g_assert_cmpstr (roster_task_get_recurrence (f->task), ==, "");
  assert_in_file (f, "SELECT coalesce(due_time, 'NULL') || '|' || recurrence FROM task", "NULL|");

  g_assert_true (roster_store_undo (f->store, &error));
  g_assert_no_error (error);
  after = roster_test_dump (f->path);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpstr (roster_task_get_due_time (f->task), ==, "18:15");
  g_assert_cmpstr (roster_task_get_recurrence (f->task), ==, "FREQ=WEEKLY");
}

/* ------------------------------------------------------------------------ */
/* Repeating                                                                 */

/* A task that does not repeat is simply done. */
static void
test_done_plain (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *due = NULL;

  set_due (f, "2027-01-31");
  due = mark_done (f);
  g_assert_cmpstr (due, ==, "done");
  assert_due_in_file (f, "2027-01-31");
}

/* Plain monthly from 31 January skips the months without a 31st. */
static void
test_monthly_31st (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const expected[] = { "2027-03-31", "2027-05-31", "2027-07-31", "2027-08-31", NULL };

  set_due (f, "2027-01-31");
  set_rule (f, "FREQ=MONTHLY");
  assert_advances (f, expected);
}

/* The last day of each month: 28 February, then 31 March; 29 February in a
 * leap year. */
static void
test_last_day (Fixture       *f,
               gconstpointer  data)
{
  static const char * const common[] = { "2027-02-28", "2027-03-31", "2027-04-30", NULL };
  static const char * const leap[] = { "2028-02-29", "2028-03-31", NULL };

  set_due (f, "2027-01-31");
  set_rule (f, "FREQ=MONTHLY;BYMONTHDAY=-1");
  assert_advances (f, common);
  set_due (f, "2028-01-31");
  assert_advances (f, leap);
}

/* Every year from 29 February: the next leap year. */
static void
test_leap_year (Fixture       *f,
                gconstpointer  data)
{
  static const char * const expected[] = { "2032-02-29", "2036-02-29", NULL };

  set_due (f, "2028-02-29");
  set_rule (f, "FREQ=YEARLY");
  assert_advances (f, expected);
}

static void
test_weekdays (Fixture       *f,
               gconstpointer  data)
{
  /* Every weekday, from a Friday. */
  static const char * const workdays[] = { "2027-01-11", "2027-01-12", NULL };
  /* Mondays and Wednesdays. */
  static const char * const mo_we[] = { "2027-01-06", "2027-01-11", "2027-01-13", NULL };
  /* The third Thursday, written both ways RFC 5545 allows. */
  static const char * const third_thursday[] = { "2027-02-18", "2027-03-18", "2027-04-15", NULL };
  /* Every 2 weeks. */
  static const char * const fortnightly[] = { "2027-01-19", "2027-02-02", NULL };

  set_due (f, "2027-01-08");
  set_rule (f, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
  assert_advances (f, workdays);

  set_due (f, "2027-01-04");
  set_rule (f, "FREQ=WEEKLY;BYDAY=MO,WE");
  assert_advances (f, mo_we);

  set_due (f, "2027-01-21");
  set_rule (f, "FREQ=MONTHLY;BYDAY=3TH");
  assert_advances (f, third_thursday);
  set_due (f, "2027-01-21");
  set_rule (f, "FREQ=MONTHLY;BYDAY=TH;BYSETPOS=3");
  assert_advances (f, third_thursday);

  set_due (f, "2027-01-05");
  set_rule (f, "FREQ=WEEKLY;INTERVAL=2");
  assert_advances (f, fortnightly);
}

/* COUNT=3: the due date and two more; the rule keeps how many are left. */
static void
test_count (Fixture       *f,
            gconstpointer  data)
{
  static const char * const expected[] = { "2027-01-02", "2027-01-03", "done", NULL };
  g_autoptr(GError) error = NULL;

  set_due (f, "2027-01-01");
  set_rule (f, "FREQ=DAILY;COUNT=3");
  assert_advances (f, expected);
  assert_due_in_file (f, "2027-01-03");
  g_assert_cmpstr (roster_task_get_recurrence (f->task), ==, "FREQ=DAILY;COUNT=1");

  /* Undone, and done again: still no occurrence left. */
  g_assert_true (roster_store_set_task_done (f->store, f->task, FALSE, &error));
  g_assert_no_error (error);
  {
    g_autofree char *due = mark_done (f);
    g_assert_cmpstr (due, ==, "done");
  }
}

/* UNTIL: the last occurrence is on it; done after that means done. A date
 * and time of the UNTIL is kept as its date. */
static void
test_until (Fixture       *f,
            gconstpointer  data)
{
  static const char * const expected[] = { "2027-01-02", "2027-01-03", "done", NULL };

  set_due (f, "2027-01-01");
  set_rule (f, "FREQ=DAILY;UNTIL=20270103T120000");
  g_assert_cmpstr (roster_task_get_recurrence (f->task), ==, "FREQ=DAILY;UNTIL=20270103");
  assert_advances (f, expected);
}

/* Undo of an advance puts back exactly the row that was (date, rule with
 * its COUNT, open); redo moves it on again. */
static void
test_undo_advance (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *advanced = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *redone = NULL;
  g_autofree char *due = NULL;

  set_due (f, "2027-01-31");
  g_assert_true (roster_store_set_task_due_time (f->store, f->task, "07:45", &error));
  set_rule (f, "FREQ=MONTHLY;COUNT=5");
  before = roster_test_dump (f->path);

  due = mark_done (f);
  g_assert_cmpstr (due, ==, "2027-03-31");
  g_assert_cmpstr (roster_store_get_undo_label (f->store), ==, "Move “Water the plants” to its next date");
  advanced = roster_test_dump (f->path);
  g_assert_cmpstr (roster_task_get_recurrence (f->task), ==, "FREQ=MONTHLY;COUNT=4");
  g_assert_cmpstr (roster_task_get_due_time (f->task), ==, "07:45");

  g_assert_true (roster_store_undo (f->store, &error));
  g_assert_no_error (error);
  undone = roster_test_dump (f->path);
  g_assert_cmpstr (undone, ==, before);
  g_assert_cmpstr (roster_task_get_recurrence (f->task), ==, "FREQ=MONTHLY;COUNT=5");
  g_assert_false (roster_task_get_done (f->task));
  assert_due_in_file (f, "2027-01-31");

  g_assert_true (roster_store_redo (f->store, &error));
  g_assert_no_error (error);
  redone = roster_test_dump (f->path);
  g_assert_cmpstr (redone, ==, advanced);
}

/* Due at 09:00 the day before Berlin's clocks go forward: the next one is
 * at 09:00 again, 23 hours later. */
static void
test_due_time_dst (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) second = NULL;
  g_autofree char *due = NULL;

  g_assert_cmpstr (g_getenv ("TZ"), ==, "Europe/Berlin");
  set_due (f, "2027-03-27");
  g_assert_true (roster_store_set_task_due_time (f->store, f->task, "09:00", &error));
  set_rule (f, "FREQ=DAILY");
  first = roster_task_dup_due_local (f->task);
  g_assert_cmpint (g_date_time_get_hour (first), ==, 9);
  g_assert_cmpint (g_date_time_get_utc_offset (first), ==, G_TIME_SPAN_HOUR);

  due = mark_done (f);
  g_assert_cmpstr (due, ==, "2027-03-28");
  g_assert_cmpstr (roster_task_get_due_time (f->task), ==, "09:00");
  second = roster_task_dup_due_local (f->task);
  g_assert_cmpint (g_date_time_get_hour (second), ==, 9);
  g_assert_cmpint (g_date_time_get_minute (second), ==, 0);
  g_assert_cmpint (g_date_time_get_utc_offset (second), ==, 2 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (g_date_time_difference (second, first), ==, 23 * G_TIME_SPAN_HOUR);
}

/* ------------------------------------------------------------------------ */
/* The edit queue                                                            */

static gboolean
nothing_waits (RosterEditQueue *edits)
{
  return roster_edit_queue_get_n_waiting (edits) == 0;
}

/* The new edits wait for a locked file like the others, keep their order,
 * and a rule that is no rule is refused at once, not after the wait. */
static void
test_edit_queue (Fixture       *f,
                 gconstpointer  data)
{
  RosterEditQueue *edits = roster_edit_queue_get_for_store (f->store);
  g_autoptr(GDateTime) day = g_date_time_new_utc (2027, 1, 4, 0, 0, 0);
  g_autoptr(GError) error = NULL;
  sqlite3 *other = NULL;
  gint64 end;

  g_assert_cmpint (roster_edit_queue_set_task_priority (edits, f->task, ROSTER_PRIORITY_MEDIUM, &error),
                   ==, ROSTER_EDIT_SAVED);
  g_assert_cmpint (roster_task_get_priority (f->task), ==, ROSTER_PRIORITY_MEDIUM);
  g_assert_cmpint (roster_edit_queue_set_task_recurrence (edits, f->task, "FREQ=DAILY", &error),
                   ==, ROSTER_EDIT_FAILED);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  roster_store_set_busy_timeout (f->store, 100);

  g_assert_cmpint (roster_edit_queue_set_task_due_date (edits, f->task, day, &error), ==, ROSTER_EDIT_WAITING);
  g_assert_cmpint (roster_edit_queue_set_task_due_time (edits, f->task, "08:00", &error), ==, ROSTER_EDIT_WAITING);
  g_assert_cmpint (roster_edit_queue_set_task_recurrence (edits, f->task, "FREQ=WEEKLY", &error),
                   ==, ROSTER_EDIT_WAITING);
  g_assert_cmpint (roster_edit_queue_set_task_priority (edits, f->task, ROSTER_PRIORITY_HIGH, &error),
                   ==, ROSTER_EDIT_WAITING);
  g_assert_no_error (error);
  g_assert_cmpint (roster_edit_queue_set_task_recurrence (edits, f->task, "FREQ=NEVER", &error),
                   ==, ROSTER_EDIT_FAILED);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (roster_edit_queue_set_task_due_time (edits, f->task, "8 o'clock", &error),
                   ==, ROSTER_EDIT_FAILED);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (roster_edit_queue_get_n_waiting (edits), ==, 4);
  g_assert_cmpint (roster_task_get_priority (f->task), ==, ROSTER_PRIORITY_MEDIUM);

  g_assert_cmpint (sqlite3_exec (other, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  end = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  while (!nothing_waits (edits) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (nothing_waits (edits));
  assert_in_file (f, "SELECT due_date || ' ' || due_time || ' ' || recurrence || ' ' || priority "
                                         "FROM task", "2027-01-04 08:00 FREQ=WEEKLY 3");
}

/* ------------------------------------------------------------------------ */
/* What the editor reads and writes                                          */

static void
test_repeat_parse (void)
{
  static const struct {
    const char *rule;
    RosterRepeat repeat;
    const char *written;
  } cases[] = {
    { "FREQ=DAILY", { ROSTER_REPEAT_DAILY, 1 }, "FREQ=DAILY" },
    { "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", { ROSTER_REPEAT_WEEKLY, 1, ROSTER_REPEAT_WORKDAYS }, NULL },
    { "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU", { ROSTER_REPEAT_WEEKLY, 2, ROSTER_REPEAT_WEEKDAY (6) }, NULL },
    { "FREQ=MONTHLY;BYDAY=3TH", { ROSTER_REPEAT_MONTHLY, 1, ROSTER_REPEAT_WEEKDAY (3), 3 }, NULL },
    { "FREQ=MONTHLY;BYDAY=TH;BYSETPOS=-1", { ROSTER_REPEAT_MONTHLY, 1, ROSTER_REPEAT_WEEKDAY (3), -1 },
      "FREQ=MONTHLY;BYDAY=-1TH" },
    { "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4", { ROSTER_REPEAT_MONTHLY, 1, 0, 0, -1, 4 },
      "FREQ=MONTHLY;COUNT=4;BYMONTHDAY=-1" },
    { "FREQ=YEARLY;UNTIL=20300101", { ROSTER_REPEAT_YEARLY, 1, .until_year = 2030, .until_month = 1, .until_day = 1 },
      NULL },
    { "FREQ=YEARLY;BYMONTH=3", { ROSTER_REPEAT_YEARLY, 1, .more = TRUE }, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RosterRepeat repeat;
      g_autofree char *written = NULL;

      g_test_message ("%s", cases[i].rule);
      g_assert_true (roster_repeat_parse (cases[i].rule, &repeat));
      g_assert_cmpint (repeat.frequency, ==, cases[i].repeat.frequency);
      g_assert_cmpuint (repeat.interval, ==, cases[i].repeat.interval);
      g_assert_cmphex (repeat.weekdays, ==, cases[i].repeat.weekdays);
      g_assert_cmpint (repeat.week_number, ==, cases[i].repeat.week_number);
      g_assert_cmpint (repeat.month_day, ==, cases[i].repeat.month_day);
      g_assert_cmpuint (repeat.count, ==, cases[i].repeat.count);
      g_assert_cmpint (repeat.until_year, ==, cases[i].repeat.until_year);
      g_assert_cmpint (repeat.until_day, ==, cases[i].repeat.until_day);
      g_assert_cmpint (repeat.more, ==, cases[i].repeat.more);
      if (repeat.more)
        continue;
      written = roster_repeat_to_rule (&repeat);
      g_assert_cmpstr (written, ==, cases[i].written ? cases[i].written : cases[i].rule);
    }

  {
    RosterRepeat none;
    g_autofree char *empty = NULL;

    g_assert_false (roster_repeat_parse ("", &none));
    g_assert_false (roster_repeat_parse ("FREQ=HOURLY", &none));
    g_assert_cmpint (none.frequency, ==, ROSTER_REPEAT_NONE);
    empty = roster_repeat_to_rule (&none);
    g_assert_cmpstr (empty, ==, "");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/plan/fields", test_fields);
  ADD ("/plan/seed-rows", test_seed_rows);
  ADD ("/plan/refused", test_refused);
  ADD ("/plan/clear-due-date", test_clear_due_date);
  ADD ("/plan/repeat/done-plain", test_done_plain);
  ADD ("/plan/repeat/monthly-31st", test_monthly_31st);
  ADD ("/plan/repeat/last-day", test_last_day);
  ADD ("/plan/repeat/leap-year", test_leap_year);
  ADD ("/plan/repeat/weekdays", test_weekdays);
  ADD ("/plan/repeat/count", test_count);
  ADD ("/plan/repeat/until", test_until);
  ADD ("/plan/repeat/undo", test_undo_advance);
  ADD ("/plan/repeat/dst", test_due_time_dst);
  ADD ("/plan/edit-queue", test_edit_queue);
#undef ADD
  g_test_add_func ("/plan/repeat/parse", test_repeat_parse);

  return g_test_run ();
}
