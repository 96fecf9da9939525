/* test-reminders.c: when tasks with a due time fall due (RosterReminders,
 * issue 18) against real SQLite files, with a clock the test sets.
 *
 * Run with TZ=Europe/Berlin (tests/meson.build): a due time is a wall-clock
 * time, so the hour that comes twice in October reminds once, and the hour
 * that never comes in March reminds when it is over.
 */
#define G_LOG_DOMAIN "test-reminders"

#include "roster-model.h"
#include "roster-store-private.h"
#include "roster-test-util.h"

typedef struct
{
  char            *dir;
  char            *path;
  RosterStore     *store;
  RosterUser      *ada;
  RosterReminders *reminders;
  GPtrArray       *due;      /* titles, in the order "due" said them */
  GPtrArray       *missed;   /* one string per "missed": the titles joined by "," */
} Fixture;

static void
on_due_cb (RosterReminders *reminders,
           RosterTask      *task,
           Fixture         *f)
{
  g_ptr_array_add (f->due, g_strdup (roster_task_get_title (task)));
}

/* @items' strings (or, with @get, what it gives for each) joined by ",". */
static char *
join (GPtrArray     *items,
      const char *(*get) (gpointer))
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      gpointer item = g_ptr_array_index (items, i);

      g_string_append_printf (text, "%s%s", i > 0 ? "," : "", get != NULL ? get (item) : (char *) item);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const char *
title_of (gpointer task)
{
  return roster_task_get_title (task);
}

static void
on_missed_cb (RosterReminders *reminders,
              GPtrArray       *tasks,
              Fixture         *f)
{
  g_ptr_array_add (f->missed, join (tasks, title_of));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = roster_test_make_dir ("roster-reminders-XXXXXX");
  f->path = g_build_filename (f->dir, "roster.db", NULL);
  f->store = roster_store_open (f->path, &error);
  g_assert_no_error (error);
  f->ada = roster_store_create_user (f->store, "ada", &error);
  g_assert_no_error (error);
  f->reminders = roster_reminders_new (f->store);
  f->due = g_ptr_array_new_with_free_func (g_free);
  f->missed = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->reminders, "due", G_CALLBACK (on_due_cb), f);
  g_signal_connect (f->reminders, "missed", G_CALLBACK (on_missed_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&f->reminders));
  g_clear_object (&f->ada);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  roster_test_remove_tree (f->dir);
  g_ptr_array_unref (f->due);
  g_ptr_array_unref (f->missed);
  g_free (f->path);
  g_free (f->dir);
}

/* A task of Ada's due on @date ("YYYY-MM-DD") at @time ("HH:MM" or NULL). */
static RosterTask *
add_task (Fixture    *f,
          const char *title,
          const char *date,
          const char *time)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) due = _roster_date_from_string (date);
  RosterTask *task = roster_store_create_task (f->store, f->ada, title, &error);

  g_assert_no_error (error);
  g_assert_true (roster_store_set_task_due_date (f->store, task, due, &error));
  g_assert_no_error (error);
  if (time != NULL)
    {
      g_assert_true (roster_store_set_task_due_time (f->store, task, time, &error));
      g_assert_no_error (error);
    }
  return task;
}

/* Sets the clock to @now (transfer full). */
static void
set_now (Fixture   *f,
         GDateTime *now)
{
  roster_reminders_set_now (f->reminders, now);
  g_date_time_unref (now);
}

/* A local wall-clock time, and a moment given in UTC (for the hour that
 * comes twice). */
#define LOCAL(y, mo, d, h, mi) g_date_time_new_local ((y), (mo), (d), (h), (mi), 0)
#define UTC(y, mo, d, h, mi) g_date_time_new_utc ((y), (mo), (d), (h), (mi), 0)

static void
start_at (Fixture   *f,
          GDateTime *now)
{
  set_now (f, now);
  roster_reminders_start (f->reminders);
}

/* The titles "due" said since the last call, joined by ",". */
static char *
take_due (Fixture *f)
{
  char *due = join (f->due, NULL);

  g_ptr_array_set_size (f->due, 0);
  return due;
}

static void
assert_due (Fixture    *f,
            const char *expected)
{
  g_autofree char *due = take_due (f);

  g_assert_cmpstr (due, ==, expected);
}

static void
assert_next (Fixture    *f,
             const char *expected)
{
  g_autoptr(GDateTime) next = roster_reminders_dup_next (f->reminders);
  g_autofree char *text = next != NULL ? g_date_time_format (next, "%Y-%m-%d %H:%M") : NULL;

  g_assert_cmpstr (text, ==, expected);
}

/* Runs what the store's "changed" scheduled. */
static void
settle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_next_moment (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(RosterTask) no_time = add_task (f, "No time", "2026-12-07", NULL);
  g_autoptr(RosterTask) later = add_task (f, "Later", "2026-12-09", "08:00");
  g_autoptr(RosterTask) evening = add_task (f, "Evening", "2026-12-07", "18:30");
  g_autoptr(RosterTask) morning = add_task (f, "Morning", "2026-12-07", "09:15");
  g_autoptr(RosterTask) done = add_task (f, "Done", "2026-12-07", "07:00");
  g_autoptr(GError) error = NULL;

  g_assert_true (roster_store_set_task_done (f->store, done, TRUE, &error));
  g_assert_no_error (error);

  start_at (f, LOCAL (2026, 12, 7, 8, 0));
  g_assert_cmpstr (roster_reminders_get_checked (f->reminders), ==, "2026-12-07 08:00");
  /* The first run ever: nothing counts as missed. */
  g_assert_cmpuint (f->missed->len, ==, 0);
  assert_next (f, "2026-12-07 09:15");

  set_now (f, LOCAL (2026, 12, 7, 9, 14));
  assert_due (f, "");
  set_now (f, LOCAL (2026, 12, 7, 9, 15));
  assert_due (f, "Morning");
  assert_next (f, "2026-12-07 18:30");
  /* Over the next two days at once: each in its order, the done one never. */
  set_now (f, LOCAL (2026, 12, 9, 12, 0));
  assert_due (f, "Evening,Later");
  assert_next (f, NULL);
  g_assert_cmpstr (roster_reminders_get_checked (f->reminders), ==, "2026-12-09 12:00");
}

static void
test_once (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(RosterTask) task = add_task (f, "Call the plumber", "2026-12-07", "10:00");
  g_autoptr(GError) error = NULL;

  start_at (f, LOCAL (2026, 12, 7, 9, 0));
  set_now (f, LOCAL (2026, 12, 7, 10, 0));
  assert_due (f, "Call the plumber");
  set_now (f, LOCAL (2026, 12, 7, 10, 1));
  roster_reminders_check (f->reminders);
  assert_due (f, "");

  /* Edited after its moment, it stays said; a title change re-arms nothing. */
  g_assert_true (roster_store_set_task_title (f->store, task, "Call the plumber again", &error));
  g_assert_no_error (error);
  settle ();
  assert_due (f, "");

  /* The clock going back does not say it twice either. */
  set_now (f, LOCAL (2026, 12, 7, 9, 30));
  set_now (f, LOCAL (2026, 12, 7, 10, 30));
  assert_due (f, "");
  g_assert_cmpstr (roster_reminders_get_checked (f->reminders), ==, "2026-12-07 10:30");

  /* Moved to a later moment, it is due again then. */
  g_assert_true (roster_store_set_task_due_time (f->store, task, "11:00", &error));
  g_assert_no_error (error);
  settle ();
  assert_next (f, "2026-12-07 11:00");
  set_now (f, LOCAL (2026, 12, 7, 11, 0));
  assert_due (f, "Call the plumber again");
}

static void
test_rearm_on_change (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RosterTask) late = add_task (f, "Late", "2026-12-07", "20:00");
  g_autoptr(RosterTask) task = NULL;
  g_autoptr(RosterStore) other = NULL;
  g_autoptr(GError) error = NULL;

  start_at (f, LOCAL (2026, 12, 7, 8, 0));
  assert_next (f, "2026-12-07 20:00");

  /* A commit in the store. */
  task = add_task (f, "Soon", "2026-12-07", "08:30");
  settle ();
  assert_next (f, "2026-12-07 08:30");

  /* Undo takes it away again. */
  g_assert_true (roster_store_undo (f->store, &error));
  g_assert_no_error (error);
  settle ();
  assert_next (f, "2026-12-07 20:00");

  /* Another program's write, noticed by a refresh. */
  other = roster_store_open (f->path, &error);
  g_assert_no_error (error);
  {
    g_autoptr(RosterTask) theirs = roster_store_get_task (other, roster_task_get_id (late), &error);

    g_assert_no_error (error);
    g_assert_true (roster_store_set_task_due_time (other, theirs, "09:45", &error));
    g_assert_no_error (error);
  }
  assert_next (f, "2026-12-07 20:00");
  g_assert_true (roster_store_refresh (f->store));
  settle ();
  assert_next (f, "2026-12-07 09:45");

  /* A task marked done has no moment. */
  g_assert_true (roster_store_set_task_done (f->store, late, TRUE, &error));
  g_assert_no_error (error);
  settle ();
  assert_next (f, NULL);
  set_now (f, LOCAL (2026, 12, 7, 23, 0));
  assert_due (f, "");
}

static void
test_repeat (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(RosterTask) task = add_task (f, "Bins out", "2026-12-07", "07:00");
  g_autoptr(GError) error = NULL;

  g_assert_true (roster_store_set_task_recurrence (f->store, task, "FREQ=WEEKLY;BYDAY=MO", &error));
  g_assert_no_error (error);
  start_at (f, LOCAL (2026, 12, 7, 6, 0));
  set_now (f, LOCAL (2026, 12, 7, 7, 0));
  assert_due (f, "Bins out");

  /* Done moves it on a week, open: its next Monday reminds again. */
  g_assert_true (roster_store_set_task_done (f->store, task, TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (roster_task_get_done (task));
  settle ();
  assert_next (f, "2026-12-14 07:00");
  set_now (f, LOCAL (2026, 12, 14, 6, 59));
  assert_due (f, "");
  set_now (f, LOCAL (2026, 12, 14, 7, 0));
  assert_due (f, "Bins out");
}

static void
test_missed (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(RosterTask) before = add_task (f, "Before", "2026-12-01", "09:00");
  g_autoptr(RosterTask) one = add_task (f, "One", "2026-12-03", "12:00");
  g_autoptr(RosterTask) two = add_task (f, "Two", "2026-12-02", "18:00");
  g_autoptr(RosterTask) after = add_task (f, "After", "2026-12-07", "11:00");

  /* Roster last looked on 1 December at 10:00 and starts again on the 7th. */
  roster_reminders_set_checked (f->reminders, "2026-12-01 10:00");
  start_at (f, LOCAL (2026, 12, 7, 9, 0));
  g_assert_cmpuint (f->missed->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->missed, 0), ==, "Two,One");
  assert_due (f, "");
  assert_next (f, "2026-12-07 11:00");

  /* Said once: later checks say only what comes later. */
  roster_reminders_check (f->reminders);
  set_now (f, LOCAL (2026, 12, 7, 11, 0));
  g_assert_cmpuint (f->missed->len, ==, 1);
  assert_due (f, "After");

  /* Anything else in the setting counts as no last run. */
  roster_reminders_set_checked (f->reminders, "yesterday");
  g_assert_cmpstr (roster_reminders_get_checked (f->reminders), ==, "");
}

/* Europe/Berlin: on 25 October 2026 clocks go back from 03:00 CEST to
 * 02:00 CET; on 29 March 2026 they go forward from 02:00 CET to 03:00 CEST. */
static void
test_dst (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(RosterTask) autumn = add_task (f, "Autumn", "2026-10-25", "02:30");
  g_autoptr(RosterTask) spring = add_task (f, "Spring", "2026-03-29", "02:30");

  start_at (f, LOCAL (2026, 3, 29, 1, 0));
  /* 02:30 does not exist that night: its timer is for the end of the gap. */
  assert_next (f, "2026-03-29 03:00");
  set_now (f, LOCAL (2026, 3, 29, 1, 59));
  assert_due (f, "");
  set_now (f, UTC (2026, 3, 29, 1, 0));    /* 03:00 CEST, the minute after 01:59 CET */
  assert_due (f, "Spring");

  set_now (f, UTC (2026, 10, 25, 0, 29));  /* 02:29 CEST */
  assert_due (f, "");
  set_now (f, UTC (2026, 10, 25, 0, 30));  /* 02:30 CEST */
  assert_due (f, "Autumn");
  set_now (f, UTC (2026, 10, 25, 1, 30));  /* 02:30 CET, the same wall-clock time again */
  assert_due (f, "");
  set_now (f, UTC (2026, 10, 25, 2, 0));   /* 03:00 CET */
  assert_due (f, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/reminders/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("next-moment", test_next_moment);
  ADD ("once", test_once);
  ADD ("rearm-on-change", test_rearm_on_change);
  ADD ("repeat", test_repeat);
  ADD ("missed", test_missed);
  ADD ("dst", test_dst);
#undef ADD

  return g_test_run ();
}
