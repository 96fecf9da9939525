/* test-plan-views.c: the Plan views (Today, Upcoming) and the sorted lists
 * (roster_store_list_sorted()) against real SQLite files.
 *
 * What a view of them would notice: which tasks they hold, in which order,
 * and the exact items-changed when a due date, a done flag, a title or an
 * owner changes, when a change is undone, and when the day rolls over (with
 * the store's day fixed by the test, as a clock it can set).
 */
#define G_LOG_DOMAIN "test-plan-views"

#include "roster-model.h"
#include "roster-test-util.h"

/* The day the tests call today: a Thursday, 10 December 2026. */
#define TODAY_Y 2026
#define TODAY_M 12
#define TODAY_D 10

typedef struct
{
  char        *dir;
  char        *path;
  RosterStore *store;
  RosterUser  *ada;
  RosterUser  *bob;
} Fixture;

static void
set_day (Fixture *f,
         int      offset)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, TODAY_D, TODAY_M, TODAY_Y);
  if (offset >= 0)
    g_date_add_days (&date, (guint) offset);
  else
    g_date_subtract_days (&date, (guint) -offset);
  roster_store_set_today (f->store, &date);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = roster_test_make_dir ("roster-plan-XXXXXX");
  f->path = g_build_filename (f->dir, "roster.db", NULL);
  f->store = roster_store_open (f->path, &error);
  g_assert_no_error (error);
  set_day (f, 0);
  f->ada = roster_store_create_user (f->store, "ada", &error);
  g_assert_no_error (error);
  f->bob = roster_store_create_user (f->store, "bob", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->ada);
  g_clear_object (&f->bob);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  roster_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* A task of @owner due @offset days from the test's today (G_MININT: none). */
static RosterTask *
task (Fixture    *f,
      RosterUser *owner,
      const char *title,
      int         offset)
{
  g_autoptr(GError) error = NULL;
  RosterTask *t = roster_store_create_task (f->store, owner, title, &error);

  g_assert_no_error (error);
  if (offset != G_MININT)
    {
      g_autoptr(GDateTime) today = g_date_time_new_utc (TODAY_Y, TODAY_M, TODAY_D, 0, 0, 0);
      g_autoptr(GDateTime) due = g_date_time_add_days (today, offset);

      g_assert_true (roster_store_set_task_due_date (f->store, t, due, &error));
      g_assert_no_error (error);
    }
  return t;
}

#define record roster_test_record_changes

/* Checks the only items-changed recorded since the last call, and forgets it. */
static void
assert_one_change (GArray *changes,
                   guint   position,
                   guint   removed,
                   guint   added)
{
  g_assert_cmpuint (changes->len, ==, 1);
  roster_test_assert_change (changes, 0, position, removed, added);
  g_array_set_size (changes, 0);
}

/* "title/owner" of every task of a list, joined with commas. */
static char *
names (GListModel *model)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RosterTask) t = g_list_model_get_item (model, i);

      g_string_append_printf (out, "%s%s/%s", i > 0 ? "," : "", roster_task_get_title (t),
                              roster_user_get_username (roster_task_get_owner (t)));
    }
  return g_string_free (out, FALSE);
}

#define assert_names(model, expected) \
  G_STMT_START { g_autofree char *_n = names (G_LIST_MODEL (model)); \
                 g_assert_cmpstr (_n, ==, expected); } G_STMT_END

static void
test_contents (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GListModel) today = NULL;
  g_autoptr(GListModel) upcoming = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterTask) done = NULL;

  g_object_unref (task (f, f->ada, "today-a", 0));
  g_object_unref (task (f, f->bob, "late", -40));
  g_object_unref (task (f, f->bob, "tomorrow", 1));
  g_object_unref (task (f, f->ada, "no date", G_MININT));
  g_object_unref (task (f, f->bob, "today-b", 0));
  g_object_unref (task (f, f->ada, "last day", 13));
  g_object_unref (task (f, f->ada, "too far", 14));
  g_object_unref (task (f, f->bob, "yesterday", -1));
  done = task (f, f->ada, "done", 0);
  g_assert_true (roster_store_set_task_done (f->store, done, TRUE, &error));

  today = roster_store_list_today (f->store);
  upcoming = roster_store_list_upcoming (f->store);
  g_assert_true (g_list_model_get_item_type (today) == ROSTER_TYPE_TASK);
  /* Overdue first, every user's; then by when the task was made. */
  assert_names (today, "late/bob,yesterday/bob,today-a/ada,today-b/bob");
  assert_names (upcoming, "today-a/ada,today-b/bob,tomorrow/bob,last day/ada");
  g_assert_true (roster_store_list_today (f->store) == today);
  g_object_unref (today);
}

static void
test_due_date_changes (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GListModel) today = NULL;
  g_autoptr(GListModel) upcoming = NULL;
  g_autoptr(RosterTask) a = task (f, f->ada, "a", 0);
  g_autoptr(RosterTask) b = task (f, f->ada, "b", 0);
  g_autoptr(RosterTask) c = task (f, f->bob, "c", 2);
  g_autoptr(GDateTime) soon = g_date_time_new_utc (TODAY_Y, TODAY_M, TODAY_D + 1, 0, 0, 0);
  g_autoptr(GDateTime) late = g_date_time_new_utc (TODAY_Y, TODAY_M, TODAY_D - 3, 0, 0, 0);
  g_autoptr(GError) error = NULL;
  GArray *in_today, *in_upcoming;

  today = roster_store_list_today (f->store);
  upcoming = roster_store_list_upcoming (f->store);
  in_today = record (today);
  in_upcoming = record (upcoming);

  /* b: today -> tomorrow. It leaves Today and moves within Upcoming. */
  g_assert_true (roster_store_set_task_due_date (f->store, b, soon, &error));
  assert_one_change (in_today, 1, 1, 0);
  assert_names (today, "a/ada");
  assert_names (upcoming, "a/ada,b/ada,c/bob");
  g_assert_cmpuint (in_upcoming->len, ==, 0);

  /* c: in two days -> three days ago: to the top of Today, out of Upcoming. */
  g_assert_true (roster_store_set_task_due_date (f->store, c, late, &error));
  assert_one_change (in_today, 0, 0, 1);
  assert_one_change (in_upcoming, 2, 1, 0);
  assert_names (today, "c/bob,a/ada");

  /* No date: out of both. Undo brings it back where it was. */
  g_assert_true (roster_store_set_task_due_date (f->store, a, NULL, &error));
  assert_one_change (in_today, 1, 1, 0);
  assert_one_change (in_upcoming, 0, 1, 0);
  g_assert_true (roster_store_undo (f->store, &error));
  g_assert_no_error (error);
  assert_one_change (in_today, 1, 0, 1);
  assert_one_change (in_upcoming, 0, 0, 1);
  assert_names (upcoming, "a/ada,b/ada");
}

static void
test_done_changes (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GListModel) today = NULL;
  g_autoptr(RosterTask) a = task (f, f->ada, "a", -1);
  g_autoptr(RosterTask) b = task (f, f->bob, "b", 0);
  g_autoptr(GError) error = NULL;
  GArray *changes;

  today = roster_store_list_today (f->store);
  changes = record (today);

  g_assert_true (roster_store_set_task_done (f->store, a, TRUE, &error));
  assert_one_change (changes, 0, 1, 0);
  assert_names (today, "b/bob");
  g_assert_true (roster_store_set_task_done (f->store, a, FALSE, &error));
  assert_one_change (changes, 0, 0, 1);
  assert_names (today, "a/ada,b/bob");

  /* Deleting a task, and undoing that. */
  g_assert_true (roster_store_delete_task (f->store, b, &error));
  assert_one_change (changes, 1, 1, 0);
  g_assert_true (roster_store_undo (f->store, &error));
  assert_one_change (changes, 1, 0, 1);
  assert_names (today, "a/ada,b/bob");
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_owner_changes (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GListModel) today = NULL;
  g_autoptr(RosterTask) a = task (f, f->ada, "a", 0);
  g_autoptr(RosterTask) b = task (f, f->ada, "b", 0);
  g_autoptr(GError) error = NULL;
  GArray *changes;
  guint owner_notes = 0;

  today = roster_store_list_today (f->store);
  changes = record (today);
  g_signal_connect (a, "notify::owner", G_CALLBACK (on_notify), &owner_notes);

  /* The task stays where it is; its row shows the new owner. */
  g_assert_true (roster_store_move_task (f->store, a, f->bob, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (owner_notes, ==, 1);
  assert_names (today, "a/bob,b/ada");

  /* Deleting a user with their tasks takes them out. */
  g_assert_true (roster_store_delete_user (f->store, f->bob, ROSTER_DELETE_USER_AND_TASKS, NULL, &error));
  g_assert_no_error (error);
  assert_one_change (changes, 0, 1, 0);
  assert_names (today, "b/ada");
}

/* The day rolls over: each view drops the days it no longer shows and reads
 * only those it now shows. To see that it reads nothing else, another
 * program changes a task the views already hold: they keep showing it as
 * they read it, until the store's next refresh. */
static void
test_midnight (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GListModel) today = NULL;
  g_autoptr(GListModel) upcoming = NULL;
  g_autoptr(RosterTask) old = task (f, f->ada, "old", -5);
  g_autoptr(RosterTask) now = task (f, f->bob, "now", 0);
  g_autoptr(RosterTask) next = task (f, f->ada, "next", 1);
  g_autoptr(RosterTask) next2 = task (f, f->bob, "next2", 1);
  g_autoptr(RosterTask) later = task (f, f->ada, "later", 5);
  g_autoptr(RosterTask) far = task (f, f->bob, "far", 14);
  g_autoptr(RosterTask) farther = task (f, f->bob, "farther", 15);
  GArray *in_today, *in_upcoming;
  guint day_notes = 0;

  today = roster_store_list_today (f->store);
  upcoming = roster_store_list_upcoming (f->store);
  assert_names (today, "old/ada,now/bob");
  assert_names (upcoming, "now/bob,next/ada,next2/bob,later/ada");
  in_today = record (today);
  in_upcoming = record (upcoming);
  g_signal_connect (f->store, "notify::today", G_CALLBACK (on_notify), &day_notes);

  {
    g_autofree char *sql = g_strdup_printf ("UPDATE task SET due_date = NULL WHERE id = %" G_GINT64_FORMAT,
                                            roster_task_get_id (old));
    roster_test_raw_exec (f->path, sql);
  }

  set_day (f, 1);
  g_assert_cmpuint (day_notes, ==, 1);
  /* Today gains tomorrow's two tasks at its end. */
  assert_one_change (in_today, 2, 0, 2);
  assert_names (today, "old/ada,now/bob,next/ada,next2/bob");
  /* Upcoming loses today's task and gains the 14th day's: one change. */
  assert_one_change (in_upcoming, 0, 4, 4);
  assert_names (upcoming, "next/ada,next2/bob,later/ada,far/bob");

  /* Two days on at once (a computer that slept): the same, for both days. */
  set_day (f, 3);
  g_assert_cmpuint (in_today->len, ==, 0);
  assert_names (today, "old/ada,now/bob,next/ada,next2/bob");
  assert_one_change (in_upcoming, 0, 4, 3);
  assert_names (upcoming, "later/ada,far/bob,farther/bob");

  /* Back (the clock was wrong): the days come back out of Today. */
  set_day (f, 0);
  assert_one_change (in_today, 2, 2, 0);
  assert_names (today, "old/ada,now/bob");
  assert_one_change (in_upcoming, 0, 3, 4);
  assert_names (upcoming, "now/bob,next/ada,next2/bob,later/ada");

  /* The refresh reads what the other program wrote. */
  g_assert_true (roster_store_refresh (f->store));
  assert_names (today, "now/bob");
}

/* Following the local date: a new time zone (the computer travelled) is
 * seen at the next refresh, as the window polls it, and the views move. Two
 * zones 26 hours apart, so that the dates differ at any time of day. */
static void
test_local_date (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GListModel) today = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) ahead = NULL;
  g_autoptr(RosterTask) t = NULL;
  g_autoptr(GError) error = NULL;
  const char *tz = g_getenv ("TZ");
  g_autofree char *saved = g_strdup (tz);
  GArray *changes;
  guint day_notes = 0;
  guint32 before;

  g_setenv ("TZ", "Etc/GMT+12", TRUE);
  roster_store_set_today (f->store, NULL);
  now = g_date_time_new_now_local ();
  {
    GDate local;

    g_date_clear (&local, 1);
    g_date_set_dmy (&local, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                    g_date_time_get_year (now));
    before = roster_store_get_today (f->store);
    g_assert_cmpuint (before, ==, g_date_get_julian (&local));
  }
  /* Due tomorrow (UTC-12), which is today or yesterday at UTC+14. */
  ahead = g_date_time_add_days (now, 1);
  t = roster_store_create_task (f->store, f->ada, "ahead", &error);
  {
    g_autoptr(GDateTime) due = g_date_time_new_utc (g_date_time_get_year (ahead), g_date_time_get_month (ahead),
                                                    g_date_time_get_day_of_month (ahead), 0, 0, 0);

    g_assert_true (roster_store_set_task_due_date (f->store, t, due, &error));
  }
  today = roster_store_list_today (f->store);
  g_assert_cmpuint (g_list_model_get_n_items (today), ==, 0);
  changes = record (today);
  g_signal_connect (f->store, "notify::today", G_CALLBACK (on_notify), &day_notes);

  g_setenv ("TZ", "Etc/GMT-14", TRUE);
  roster_store_refresh (f->store);
  g_assert_cmpuint (day_notes, ==, 1);
  g_assert_cmpuint (roster_store_get_today (f->store), >, before);
  assert_one_change (changes, 0, 0, 1);
  assert_names (today, "ahead/ada");

  if (saved != NULL)
    g_setenv ("TZ", saved, TRUE);
  else
    g_unsetenv ("TZ");
}

static void
test_long_view (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GListModel) today = NULL;
  g_autoptr(GError) error = NULL;
  const guint n = 1200;

  /* A batch, so that the list reads the file once. Days -n/4 … 0, every
   * fourth task undated. */
  roster_store_begin_batch (f->store, "many");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("t%04u", i);

      g_object_unref (task (f, i % 2 ? f->ada : f->bob, title, i % 4 == 3 ? G_MININT : -(int) (i / 4)));
    }
  g_assert_true (roster_store_commit_batch (f->store, &error));

  today = roster_store_list_today (f->store);
  g_assert_cmpuint (g_list_model_get_n_items (today), ==, n / 4 * 3);
  {
    /* Overdue first: the oldest day (the last tasks made) at the top. */
    g_autoptr(RosterTask) first = g_list_model_get_item (today, 0);
    g_autoptr(RosterTask) last = g_list_model_get_item (today, n / 4 * 3 - 1);
    g_autoptr(RosterTask) mid = g_list_model_get_item (today, 600);

    g_assert_cmpstr (roster_task_get_title (first), ==, "t1196");
    g_assert_cmpstr (roster_task_get_title (last), ==, "t0002");
    /* Position 600 is day -99, its first task. */
    g_assert_cmpstr (roster_task_get_title (mid), ==, "t0396");
  }
  {
    g_autoptr(RosterTask) t0 = g_list_model_get_item (today, n / 4 * 3 - 3);
    GArray *changes = record (today);

    /* Marked done: out, its position right in a list read only in part. */
    g_assert_cmpstr (roster_task_get_title (t0), ==, "t0000");
    g_assert_true (roster_store_set_task_done (f->store, t0, TRUE, &error));
    assert_one_change (changes, n / 4 * 3 - 3, 1, 0);
  }
}

static void
rename_task (Fixture    *f,
             RosterTask *t,
             const char *title)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (roster_store_set_task_title (f->store, t, title, &error));
  g_assert_no_error (error);
}

static void
set_done (Fixture    *f,
          RosterTask *t,
          gboolean    done)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (roster_store_set_task_done (f->store, t, done, &error));
  g_assert_no_error (error);
}

/* By due date: the dated first, by day, then those without one; ties by
 * age. The user's own list keeps its order. */
static void
test_sorted_due_date (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RosterTask) a = task (f, f->ada, "a", 3);
  g_autoptr(RosterTask) b = task (f, f->ada, "b", G_MININT);
  g_autoptr(RosterTask) c = task (f, f->ada, "c", -1);
  g_autoptr(RosterTask) d = task (f, f->ada, "d", 3);
  g_autoptr(RosterTask) e = task (f, f->ada, "e", G_MININT);
  g_autoptr(GListModel) mine = roster_store_list_user_tasks (f->store, f->ada);
  g_autoptr(GListModel) by_due = roster_store_list_sorted (f->store, mine, ROSTER_SORT_DUE_DATE, FALSE);
  g_autoptr(GDateTime) early = g_date_time_new_utc (TODAY_Y, TODAY_M, TODAY_D - 5, 0, 0, 0);
  g_autoptr(GError) error = NULL;
  GArray *changes, *base_changes;

  assert_names (by_due, "c/ada,a/ada,d/ada,b/ada,e/ada");
  assert_names (mine, "a/ada,b/ada,c/ada,d/ada,e/ada");
  changes = record (by_due);
  base_changes = record (mine);

  g_assert_true (roster_store_set_task_due_date (f->store, b, early, &error));
  assert_one_change (changes, 0, 4, 4);
  assert_names (by_due, "b/ada,c/ada,a/ada,d/ada,e/ada");
  g_assert_cmpuint (base_changes->len, ==, 0);

  /* A new task without a date goes last; moved to bob, it leaves. */
  {
    g_autoptr(RosterTask) g = task (f, f->ada, "g", G_MININT);

    assert_one_change (changes, 5, 0, 1);
    g_assert_true (roster_store_move_task (f->store, a, f->bob, &error));
    assert_one_change (changes, 2, 1, 0);
    assert_names (by_due, "b/ada,c/ada,d/ada,e/ada,g/ada");
  }

  /* Undo the move: back in its place. */
  g_assert_true (roster_store_undo (f->store, &error));
  assert_one_change (changes, 2, 0, 1);
  g_assert_true (roster_store_list_sorted (f->store, mine, ROSTER_SORT_MANUAL, FALSE) == mine);
  g_object_unref (mine);
}

/* By title: letters without case, ties by age; a rename moves the task. */
static void
test_sorted_title (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(RosterTask) beta = task (f, f->ada, "beta", G_MININT);
  g_autoptr(RosterTask) alpha = task (f, f->ada, "Alpha", G_MININT);
  g_autoptr(RosterTask) alpha2 = task (f, f->ada, "alpha", G_MININT);
  g_autoptr(RosterTask) beta2 = task (f, f->ada, "Beta", G_MININT);
  g_autoptr(GListModel) mine = roster_store_list_user_tasks (f->store, f->ada);
  g_autoptr(GListModel) by_title = roster_store_list_sorted (f->store, mine, ROSTER_SORT_TITLE, FALSE);
  GArray *changes;

  assert_names (by_title, "Alpha/ada,alpha/ada,beta/ada,Beta/ada");
  changes = record (by_title);
  rename_task (f, alpha, "gamma");
  assert_one_change (changes, 0, 4, 4);
  assert_names (by_title, "alpha/ada,beta/ada,Beta/ada,gamma/ada");
  /* Notes are no key: nothing moves. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (roster_store_set_task_notes (f->store, beta, "n", &error));
    g_assert_cmpuint (changes->len, ==, 0);
  }
}

/* By priority: high, medium, low, then none, ties by age; setting a
 * priority moves the task, undoing it moves it back. */
static void
test_sorted_priority (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RosterTask) none = task (f, f->ada, "none", G_MININT);
  g_autoptr(RosterTask) low = task (f, f->ada, "low", G_MININT);
  g_autoptr(RosterTask) high = task (f, f->ada, "high", G_MININT);
  g_autoptr(RosterTask) low2 = task (f, f->ada, "low2", G_MININT);
  g_autoptr(GListModel) mine = roster_store_list_user_tasks (f->store, f->ada);
  g_autoptr(GListModel) by_priority = NULL;
  g_autoptr(GError) error = NULL;
  GArray *changes;

  g_assert_true (roster_store_set_task_priority (f->store, low, ROSTER_PRIORITY_LOW, &error));
  g_assert_true (roster_store_set_task_priority (f->store, high, ROSTER_PRIORITY_HIGH, &error));
  g_assert_true (roster_store_set_task_priority (f->store, low2, ROSTER_PRIORITY_LOW, &error));
  by_priority = roster_store_list_sorted (f->store, mine, ROSTER_SORT_PRIORITY, FALSE);
  assert_names (by_priority, "high/ada,low/ada,low2/ada,none/ada");

  changes = record (by_priority);
  g_assert_true (roster_store_set_task_priority (f->store, none, ROSTER_PRIORITY_MEDIUM, &error));
  g_assert_no_error (error);
  assert_one_change (changes, 1, 3, 3);
  assert_names (by_priority, "high/ada,none/ada,low/ada,low2/ada");
  g_assert_true (roster_store_undo (f->store, &error));
  g_assert_no_error (error);
  assert_names (by_priority, "high/ada,low/ada,low2/ada,none/ada");
}

/* Done tasks hidden: marking one done takes it out, undone puts it back
 * where it was; the length comes from the counts of a long list. */
static void
test_sorted_hide_done (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GListModel) mine = roster_store_list_user_tasks (f->store, f->ada);
  g_autoptr(GListModel) open = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterTask) third = NULL;
  GArray *changes;
  const guint n = 700;

  roster_store_begin_batch (f->store, "many");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("t%03u", i);
      g_autoptr(RosterTask) t = task (f, f->ada, title, G_MININT);

      if (i % 7 == 0)
        set_done (f, t, TRUE);
    }
  g_assert_true (roster_store_commit_batch (f->store, &error));

  open = roster_store_list_sorted (f->store, mine, ROSTER_SORT_MANUAL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (open), ==, n - n / 7);
  {
    g_autoptr(RosterTask) last = g_list_model_get_item (open, n - n / 7 - 1);

    g_assert_cmpstr (roster_task_get_title (last), ==, "t699");
  }
  third = g_list_model_get_item (open, 2);
  g_assert_cmpstr (roster_task_get_title (third), ==, "t003");
  changes = record (open);
  set_done (f, third, TRUE);
  assert_one_change (changes, 2, 1, 0);
  set_done (f, third, FALSE);
  assert_one_change (changes, 2, 0, 1);
  /* t000 undone: it comes back first. */
  {
    g_autoptr(RosterTask) first = g_list_model_get_item (mine, 0);

    set_done (f, first, FALSE);
    assert_one_change (changes, 0, 0, 1);
  }
}

/* A tag's list by title without done tasks: tagging, untagging and done. */
static void
test_sorted_tag (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterCategory) home = roster_store_create_category (f->store, "home", NULL, &error);
  g_autoptr(RosterTask) z = task (f, f->ada, "zebra", G_MININT);
  g_autoptr(RosterTask) m = task (f, f->bob, "mango", G_MININT);
  g_autoptr(RosterTask) a = task (f, f->bob, "apple", G_MININT);
  g_autoptr(GListModel) tagged = NULL;
  g_autoptr(GListModel) sorted = NULL;
  GArray *changes;

  g_assert_true (roster_store_tag_task (f->store, z, home, &error));
  g_assert_true (roster_store_tag_task (f->store, m, home, &error));
  tagged = roster_store_list_category_tasks (f->store, home);
  sorted = roster_store_list_sorted (f->store, tagged, ROSTER_SORT_TITLE, TRUE);
  assert_names (sorted, "mango/bob,zebra/ada");
  changes = record (sorted);

  g_assert_true (roster_store_tag_task (f->store, a, home, &error));
  assert_one_change (changes, 0, 0, 1);
  set_done (f, m, TRUE);
  assert_one_change (changes, 1, 1, 0);
  assert_names (sorted, "apple/bob,zebra/ada");
  g_assert_true (roster_store_untag_task (f->store, z, home, &error));
  assert_one_change (changes, 1, 1, 0);
  g_assert_true (roster_store_undo (f->store, &error));
  assert_one_change (changes, 1, 0, 1);
  assert_names (sorted, "apple/bob,zebra/ada");
  assert_names (tagged, "zebra/ada,mango/bob,apple/bob");
}

/* Today by title, and through the day rolling over. */
static void
test_sorted_plan (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GListModel) today = NULL;
  g_autoptr(GListModel) by_title = NULL;

  g_object_unref (task (f, f->ada, "zz late", -3));
  g_object_unref (task (f, f->bob, "aa now", 0));
  g_object_unref (task (f, f->bob, "mm next", 1));
  today = roster_store_list_today (f->store);
  by_title = roster_store_list_sorted (f->store, today, ROSTER_SORT_TITLE, TRUE);
  assert_names (by_title, "aa now/bob,zz late/ada");
  set_day (f, 1);
  assert_names (by_title, "aa now/bob,mm next/bob,zz late/ada");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/plan/contents", test_contents);
  ADD ("/plan/changes/due-date", test_due_date_changes);
  ADD ("/plan/changes/done", test_done_changes);
  ADD ("/plan/changes/owner", test_owner_changes);
  ADD ("/plan/midnight", test_midnight);
  ADD ("/plan/long-view", test_long_view);
  ADD ("/plan/local-date", test_local_date);
  ADD ("/sorted/due-date", test_sorted_due_date);
  ADD ("/sorted/title", test_sorted_title);
  ADD ("/sorted/priority", test_sorted_priority);
  ADD ("/sorted/hide-done", test_sorted_hide_done);
  ADD ("/sorted/tag", test_sorted_tag);
  ADD ("/sorted/plan", test_sorted_plan);

  return g_test_run ();
}
