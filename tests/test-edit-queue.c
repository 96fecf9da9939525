/* test-edit-queue.c: the edits a file refuses for now, kept in order
 * (RosterEditQueue), without a display.
 *
 * Another program holds the file for real (a second SQLite connection in a
 * write transaction), and the disk fills for real (PRAGMA max_page_count on
 * the store's connection, as test-safety.c does). What was saved is read
 * from the file through a connection of the test's own.
 */
#define G_LOG_DOMAIN "test-edit-queue"

#include <sqlite3.h>

#include "roster-edit-queue.h"
#include "roster-model.h"
#include "roster-store-private.h"
#include "roster-test-util.h"

#define BUSY_TIMEOUT_MS 5000
/* Each wait for the queue's timer (every 2 s) gives up after this. */
#define WAIT_US (20 * G_USEC_PER_SEC)

typedef struct
{
  char            *dir;
  char            *path;
  RosterStore     *store;
  RosterEditQueue *edits;
  RosterUser      *ada;
  RosterTask      *milk;
  sqlite3         *other;   /* while the file is locked */
  /* What "edit-dropped" reported. */
  GPtrArray       *dropped;  /* GError * or NULL, in order */
  GArray          *dropped_kinds;
} Fixture;

static void
free_error (gpointer error)
{
  if (error != NULL)
    g_error_free (error);
}

static void
on_edit_dropped_cb (RosterEditQueue *edits,
                    RosterEditKind   kind,
                    const GError    *error,
                    Fixture         *f)
{
  g_ptr_array_add (f->dropped, error != NULL ? g_error_copy (error) : NULL);
  g_array_append_val (f->dropped_kinds, kind);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = roster_test_make_dir ("roster-edit-queue-XXXXXX");
  f->path = g_build_filename (f->dir, "roster.db", NULL);
  f->store = roster_store_open (f->path, &error);
  g_assert_no_error (error);
  f->edits = roster_edit_queue_get_for_store (f->store);
  f->ada = roster_store_create_user (f->store, "ada", &error);
  g_assert_no_error (error);
  f->milk = roster_store_create_task (f->store, f->ada, "Buy milk", &error);
  g_assert_no_error (error);
  f->dropped = g_ptr_array_new_with_free_func (free_error);
  f->dropped_kinds = g_array_new (FALSE, FALSE, sizeof (RosterEditKind));
  g_signal_connect (f->edits, "edit-dropped", G_CALLBACK (on_edit_dropped_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_null (f->other);
  /* Nothing waits any more, and nothing here keeps the file open. */
  g_assert_cmpuint (roster_edit_queue_get_n_waiting (f->edits), ==, 0);
  g_signal_handlers_disconnect_by_data (f->edits, f);
  g_clear_object (&f->milk);
  g_clear_object (&f->ada);
  g_object_add_weak_pointer (G_OBJECT (f->edits), (gpointer *) &f->edits);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  g_assert_null (f->edits);
  g_ptr_array_unref (f->dropped);
  g_array_unref (f->dropped_kinds);
  roster_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* Another program takes the file's write lock; the store gives up waiting
 * for it after 0.1 s (not 5 s, so that the test is quick). */
static void
lock_file (Fixture *f)
{
  g_assert_null (f->other);
  g_assert_cmpint (sqlite3_open (f->path, &f->other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (f->other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  roster_store_set_busy_timeout (f->store, 100);
}

/* …and lets it go, committing what it did meanwhile. */
static void
unlock_file (Fixture *f)
{
  g_assert_cmpint (sqlite3_exec (f->other, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (f->other);
  f->other = NULL;
}

/* Runs the main loop (the queue's timer) until @done says so; returns the
 * longest one iteration took, in µs. */
static gint64
spin_until (gboolean (*done) (Fixture *f),
            Fixture  *f)
{
  gint64 end = g_get_monotonic_time () + WAIT_US;
  gint64 longest = 0;

  while (!done (f))
    {
      gint64 start = g_get_monotonic_time ();

      g_assert_cmpint (start, <, end);
      g_main_context_iteration (NULL, FALSE);
      longest = MAX (longest, g_get_monotonic_time () - start);
      g_usleep (5000);
    }
  return longest;
}

static gboolean
nothing_waits (Fixture *f)
{
  return roster_edit_queue_get_n_waiting (f->edits) == 0;
}

static gboolean
retried_once (Fixture *f)
{
  return roster_edit_queue_get_n_retries (f->edits) >= 1;
}

static gboolean
not_working (Fixture *f)
{
  return !roster_edit_queue_get_working (f->edits);
}

/* The titles of Ada's tasks in the file, in list order. */
static char *
titles_in_file (Fixture *f)
{
  return roster_test_raw_text (f->path, "SELECT title FROM task ORDER BY position, id");
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* One queue per store, for as long as the store lives. */
static void
test_one_per_store (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterStore) other = roster_store_open (f->path, &error);
  RosterEditQueue *others;

  g_assert_no_error (error);
  g_assert_true (roster_edit_queue_get_for_store (f->store) == f->edits);
  others = roster_edit_queue_get_for_store (other);
  g_assert_true (others != f->edits);
  g_object_add_weak_pointer (G_OBJECT (others), (gpointer *) &others);
  g_assert_finalize_object (g_steal_pointer (&other));
  g_assert_null (others);

  /* Nothing waits: an edit is saved at once. */
  g_assert_cmpint (roster_edit_queue_set_task_done (f->edits, f->milk, TRUE, &error), ==, ROSTER_EDIT_SAVED);
  g_assert_no_error (error);
  g_assert_true (roster_task_get_done (f->milk));
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT done FROM task"), ==, 1);
  g_assert_false (roster_edit_queue_get_retry_pending (f->edits));
}

/* An edit made while the file is locked waits; later ones queue behind it
 * without trying, even once the file is free, and all reach the file in
 * the order they were made. */
static void
test_order (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterTask) created = NULL;
  g_autofree char *titles = NULL;
  guint n_waiting_notifies = 0;

  g_signal_connect (f->edits, "notify::n-waiting", G_CALLBACK (count_notify_cb), &n_waiting_notifies);

  lock_file (f);
  g_assert_cmpint (roster_edit_queue_create_task (f->edits, f->ada, "Walk the dog", &created, &error),
                   ==, ROSTER_EDIT_WAITING);
  g_assert_no_error (error);
  g_assert_null (created);
  g_assert_cmpuint (roster_edit_queue_get_n_waiting (f->edits), ==, 1);
  g_assert_cmpuint (n_waiting_notifies, ==, 1);
  g_assert_error (roster_edit_queue_get_waiting_error (f->edits), ROSTER_ERROR, ROSTER_ERROR_BUSY);
  g_assert_true (roster_edit_queue_get_retry_pending (f->edits));
  g_assert_false (roster_edit_queue_get_working (f->edits));
  unlock_file (f);

  /* Later edits queue behind it, although the file is free now. Moving
   * milk to the end only comes out right after both new tasks exist. */
  g_assert_cmpint (roster_edit_queue_create_task (f->edits, f->ada, "Pay rent", NULL, &error),
                   ==, ROSTER_EDIT_WAITING);
  g_assert_cmpint (roster_edit_queue_reorder_task (f->edits, f->milk, 2, &error), ==, ROSTER_EDIT_WAITING);
  g_assert_cmpint (roster_edit_queue_set_task_done (f->edits, f->milk, TRUE, &error), ==, ROSTER_EDIT_WAITING);
  /* Asked again with the same value: it waits once. */
  g_assert_cmpint (roster_edit_queue_set_task_done (f->edits, f->milk, TRUE, &error), ==, ROSTER_EDIT_WAITING);
  g_assert_no_error (error);
  g_assert_cmpuint (roster_edit_queue_get_n_waiting (f->edits), ==, 4);
  /* A blank title is refused at once, as the store would. */
  g_assert_cmpint (roster_edit_queue_create_task (f->edits, f->ada, "  ", NULL, &error), ==, ROSTER_EDIT_FAILED);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_cmpuint (roster_edit_queue_get_n_waiting (f->edits), ==, 4);
  /* Nothing is in the file or the objects yet. */
  g_assert_false (roster_task_get_done (f->milk));
  g_assert_cmpint (roster_user_get_n_tasks (f->ada), ==, 1);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, 1);

  spin_until (nothing_waits, f);
  titles = titles_in_file (f);
  g_assert_cmpstr (titles, ==, "Walk the dog; Pay rent; Buy milk");
  g_signal_handlers_disconnect_by_data (f->edits, &n_waiting_notifies);
  g_assert_true (roster_task_get_done (f->milk));
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT done FROM task WHERE title = 'Buy milk'"), ==, 1);
  g_assert_null (roster_edit_queue_get_waiting_error (f->edits));
  g_assert_false (roster_edit_queue_get_retry_pending (f->edits));
  /* Once per edit kept, once when all were saved. */
  g_assert_cmpuint (n_waiting_notifies, ==, 5);
  g_assert_cmpuint (f->dropped->len, ==, 0);
}

/* The timer's try gives up on a still-locked file quickly, keeps the edit
 * and arms itself again; once the file is free, the edit is saved. */
static void
test_retry_after_busy (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *titles = NULL;
  gint64 longest;

  lock_file (f);
  g_assert_cmpint (roster_edit_queue_create_task (f->edits, f->ada, "Walk the dog", NULL, &error),
                   ==, ROSTER_EDIT_WAITING);
  g_assert_no_error (error);
  g_assert_true (roster_edit_queue_get_retry_pending (f->edits));
  g_assert_cmpuint (roster_edit_queue_get_n_retries (f->edits), ==, 0);
  /* As when the file was opened: a person's own edit waits 5 s for a lock. */
  roster_store_set_busy_timeout (f->store, BUSY_TIMEOUT_MS);

  longest = spin_until (retried_once, f);
  /* It tried once, found the file still locked without waiting the 5 s
   * for it, and armed its timer again. */
  g_assert_cmpint (longest, <, BUSY_TIMEOUT_MS * 1000 / 2);
  g_assert_cmpuint (roster_edit_queue_get_n_retries (f->edits), ==, 1);
  g_assert_true (roster_edit_queue_get_retry_pending (f->edits));
  g_assert_cmpuint (roster_edit_queue_get_n_waiting (f->edits), ==, 1);
  g_assert_error (roster_edit_queue_get_waiting_error (f->edits), ROSTER_ERROR, ROSTER_ERROR_BUSY);

  unlock_file (f);
  spin_until (nothing_waits, f);
  titles = titles_in_file (f);
  g_assert_cmpstr (titles, ==, "Buy milk; Walk the dog");
  g_assert_false (roster_edit_queue_get_retry_pending (f->edits));
}

/* An edit that waited for the lock and then finds the disk full waits for
 * room the same way, and is saved once there is some. */
static void
test_disk_full (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *big = g_strnfill (3000, 'x');
  g_autofree char *sql = NULL;
  sqlite3 *db = _roster_store_get_db (f->store);
  gint64 n_tasks;

  /* No room for more pages than the file has, and what is free inside it
   * filled, so that the next task needs a page the disk does not have. */
  roster_test_raw_exec (f->path, "PRAGMA wal_checkpoint(TRUNCATE)");
  sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT,
                         roster_test_raw_int (f->path, "PRAGMA page_count"));
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < 100 && error == NULL; i++)
    {
      RosterTask *task = roster_store_create_task (f->store, f->ada, big, &error);

      g_clear_object (&task);
    }
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_DISK_FULL);
  g_clear_error (&error);
  n_tasks = roster_test_raw_int (f->path, "SELECT count(*) FROM task");

  lock_file (f);
  g_assert_cmpint (roster_edit_queue_create_task (f->edits, f->ada, big, NULL, &error), ==, ROSTER_EDIT_WAITING);
  g_assert_no_error (error);
  unlock_file (f);

  /* Free, but full: it waits on, and says why. */
  spin_until (retried_once, f);
  g_assert_cmpuint (roster_edit_queue_get_n_waiting (f->edits), ==, 1);
  g_assert_error (roster_edit_queue_get_waiting_error (f->edits), ROSTER_ERROR, ROSTER_ERROR_DISK_FULL);
  g_assert_true (roster_edit_queue_get_retry_pending (f->edits));
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, n_tasks);
  g_assert_cmpuint (f->dropped->len, ==, 0);

  /* Room again. */
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA max_page_count = 1000000", NULL, NULL, NULL), ==, SQLITE_OK);
  spin_until (nothing_waits, f);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, n_tasks + 1);
  g_assert_null (roster_edit_queue_get_waiting_error (f->edits));
}

/* A waiting edit the file refuses for good when it is made again (the name
 * it gives was taken meanwhile) is dropped with the reason, and what it
 * would have changed notifies, so that a view shows the file's value again;
 * a deletion of what is gone already did what it was for, and is dropped
 * without a word. The edits behind them are saved. */
static void
test_refused_later (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("INSERT INTO user (username) VALUES ('bob');"
                                          "DELETE FROM task WHERE id = %" G_GINT64_FORMAT,
                                          roster_task_get_id (f->milk));
  g_autofree char *titles = NULL;
  g_autofree char *names = NULL;
  guint name_notifies = 0;

  g_signal_connect (f->ada, "notify::username", G_CALLBACK (count_notify_cb), &name_notifies);
  lock_file (f);
  g_assert_cmpint (roster_edit_queue_rename_user (f->edits, f->ada, "bob", &error), ==, ROSTER_EDIT_WAITING);
  g_assert_cmpint (roster_edit_queue_delete_task (f->edits, f->milk, &error), ==, ROSTER_EDIT_WAITING);
  g_assert_cmpint (roster_edit_queue_create_task (f->edits, f->ada, "Walk the dog", NULL, &error),
                   ==, ROSTER_EDIT_WAITING);
  g_assert_no_error (error);
  /* The other program takes the name and deletes the task before it lets go. */
  g_assert_cmpint (sqlite3_exec (f->other, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  unlock_file (f);

  spin_until (nothing_waits, f);
  g_assert_cmpuint (f->dropped->len, ==, 1);
  g_assert_error ((GError *) g_ptr_array_index (f->dropped, 0), ROSTER_ERROR, ROSTER_ERROR_DUPLICATE);
  g_assert_cmpint (g_array_index (f->dropped_kinds, RosterEditKind, 0), ==, ROSTER_EDIT_RENAME_USER);
  g_assert_cmpuint (name_notifies, ==, 1);
  g_assert_cmpstr (roster_user_get_username (f->ada), ==, "ada");
  names = roster_test_raw_text (f->path, "SELECT username FROM user ORDER BY id");
  g_assert_cmpstr (names, ==, "ada; bob");
  titles = titles_in_file (f);
  g_assert_cmpstr (titles, ==, "Walk the dog");
  g_signal_handlers_disconnect_by_data (f->ada, &name_notifies);
}

/* Closing: a last try, then the waiting edits are dropped, with a trace in
 * the log; from then on nothing waits, an edit goes to the store at once. */
static void
test_drop_on_close (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *titles = NULL;

  lock_file (f);
  g_assert_cmpint (roster_edit_queue_create_task (f->edits, f->ada, "Walk the dog", NULL, &error),
                   ==, ROSTER_EDIT_WAITING);
  g_assert_cmpint (roster_edit_queue_set_task_done (f->edits, f->milk, TRUE, &error), ==, ROSTER_EDIT_WAITING);
  g_assert_no_error (error);

  /* The last try meets the lock too. */
  roster_edit_queue_retry (f->edits);
  g_assert_cmpuint (roster_edit_queue_get_n_waiting (f->edits), ==, 2);
  g_assert_true (roster_edit_queue_get_retry_pending (f->edits));

  g_test_expect_message ("roster-edit-queue", G_LOG_LEVEL_MESSAGE, "*roster.db: an edit was not saved (Walk the dog)");
  g_test_expect_message ("roster-edit-queue", G_LOG_LEVEL_MESSAGE, "*roster.db: an edit was not saved");
  roster_edit_queue_close (f->edits);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (roster_edit_queue_get_n_waiting (f->edits), ==, 0);
  g_assert_false (roster_edit_queue_get_retry_pending (f->edits));
  g_assert_null (roster_edit_queue_get_waiting_error (f->edits));
  g_assert_cmpuint (f->dropped->len, ==, 2);
  g_assert_null (g_ptr_array_index (f->dropped, 0));
  g_assert_cmpint (g_array_index (f->dropped_kinds, RosterEditKind, 0), ==, ROSTER_EDIT_CREATE_TASK);
  g_assert_cmpint (g_array_index (f->dropped_kinds, RosterEditKind, 1), ==, ROSTER_EDIT_SET_TASK_DONE);

  /* Still locked: a new edit is refused, not kept. */
  g_assert_cmpint (roster_edit_queue_set_task_title (f->edits, f->milk, "Buy oat milk", &error),
                   ==, ROSTER_EDIT_FAILED);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_cmpuint (roster_edit_queue_get_n_waiting (f->edits), ==, 0);
  unlock_file (f);

  /* Nothing of it reaches the file later. */
  for (gint64 end = g_get_monotonic_time () + 2500 * 1000; g_get_monotonic_time () < end;)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  titles = titles_in_file (f);
  g_assert_cmpstr (titles, ==, "Buy milk");
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT done FROM task"), ==, 0);
  /* Free again: straight to the store. */
  g_assert_cmpint (roster_edit_queue_set_task_done (f->edits, f->milk, TRUE, &error), ==, ROSTER_EDIT_SAVED);
  g_assert_no_error (error);
}

typedef struct
{
  RosterUser *user;
  RosterUser *heir;
  gboolean    waited;
  GError     *error;
  guint       count;
} Deletion;

static void
on_delete_user_done_cb (RosterEditQueue *edits,
                        RosterUser      *user,
                        RosterUser      *heir,
                        gboolean         waited,
                        const GError    *error,
                        Deletion        *deletion)
{
  deletion->user = user;
  deletion->heir = heir;
  deletion->waited = waited;
  deletion->error = error != NULL ? g_error_copy (error) : NULL;
  deletion->count++;
}

/* Deleting a user runs until the store's answer comes; edits made meanwhile
 * wait behind it and are saved after it. */
static void
test_delete_user (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) bob = roster_store_create_user (f->store, "bob", &error);
  g_autofree char *titles = NULL;
  Deletion deletion = { 0 };

  g_assert_no_error (error);
  g_signal_connect (f->edits, "delete-user-done", G_CALLBACK (on_delete_user_done_cb), &deletion);
  g_assert_cmpint (roster_edit_queue_delete_user (f->edits, bob, ROSTER_DELETE_USER_AND_TASKS, NULL, &error),
                   ==, ROSTER_EDIT_RUNNING);
  g_assert_no_error (error);
  g_assert_true (roster_edit_queue_get_working (f->edits));
  g_assert_true (roster_edit_queue_get_deleting_user (f->edits) == bob);
  g_assert_cmpint (roster_edit_queue_create_task (f->edits, f->ada, "Walk the dog", NULL, &error),
                   ==, ROSTER_EDIT_WAITING);
  g_assert_no_error (error);
  g_assert_cmpuint (roster_edit_queue_get_n_waiting (f->edits), ==, 1);
  g_assert_cmpuint (deletion.count, ==, 0);

  spin_until (not_working, f);
  g_assert_cmpuint (deletion.count, ==, 1);
  g_assert_true (deletion.user == bob);
  g_assert_null (deletion.heir);
  g_assert_false (deletion.waited);
  g_assert_no_error (deletion.error);
  g_assert_null (roster_edit_queue_get_deleting_user (f->edits));
  g_assert_cmpuint (roster_edit_queue_get_n_waiting (f->edits), ==, 0);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM user"), ==, 1);
  titles = titles_in_file (f);
  g_assert_cmpstr (titles, ==, "Buy milk; Walk the dog");
  g_signal_handlers_disconnect_by_data (f->edits, &deletion);
  g_clear_error (&deletion.error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/edit-queue/one-per-store", test_one_per_store);
  ADD ("/edit-queue/order", test_order);
  ADD ("/edit-queue/retry-after-busy", test_retry_after_busy);
  ADD ("/edit-queue/disk-full", test_disk_full);
  ADD ("/edit-queue/refused-later", test_refused_later);
  ADD ("/edit-queue/drop-on-close", test_drop_on_close);
  ADD ("/edit-queue/delete-user", test_delete_user);
#undef ADD

  return g_test_run ();
}
