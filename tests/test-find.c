/* test-find.c: what a million tasks needed of the model layer: Find, the
 * counts the sidebar shows, and tag lists in index order.
 *
 * Every answer is checked against the file read through a second connection
 * or against what a person typed, before and after the store has brought
 * Find's index up to date, and after another program wrote the file.
 */
#define G_LOG_DOMAIN "test-find"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "roster-model.h"
#include "roster-store-private.h"
#include "roster-test-util.h"

typedef struct
{
  char        *dir;
  char        *path;
  RosterStore *store;
  RosterUser  *ada;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = roster_test_make_dir ("roster-find-XXXXXX");
  f->path = g_build_filename (f->dir, "roster.db", NULL);
  f->store = roster_store_open (f->path, &error);
  g_assert_no_error (error);
  f->ada = roster_store_create_user (f->store, "ada", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->ada);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  roster_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static RosterTask *
add_task (Fixture    *f,
          const char *title,
          const char *notes)
{
  g_autoptr(GError) error = NULL;
  RosterTask *task = roster_store_create_task (f->store, f->ada, title, &error);

  g_assert_no_error (error);
  if (notes != NULL)
    {
      roster_store_set_task_notes (f->store, task, notes, &error);
      g_assert_no_error (error);
    }
  return task;
}

/* The titles Find gives for @text, joined with "|". */
static char *
found (Fixture    *f,
       const char *text,
       guint       limit,
       gboolean   *more)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = roster_store_find_tasks (f->store, text, limit, more, &error);
  g_autoptr(GString) titles = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (tasks);
  for (guint i = 0; i < tasks->len; i++)
    {
      g_assert_true (ROSTER_IS_TASK (tasks->pdata[i]));
      if (i > 0)
        g_string_append_c (titles, '|');
      g_string_append (titles, roster_task_get_title (tasks->pdata[i]));
    }
  return g_string_free (g_steal_pointer (&titles), FALSE);
}

static void
assert_found (Fixture    *f,
              const char *text,
              const char *expected)
{
  g_autofree char *titles = found (f, text, 100, NULL);

  g_assert_cmpstr (titles, ==, expected);
}

static void
catch_up (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_roster_store_find_catch_up_all (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_find_stale"), ==, 0);
}

/* Case and accents do not matter, in the title or the notes, for a prefix or
 * any substring, long or short: before the index has the tasks and after. */
static void
test_find_text (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(RosterTask) cafe = add_task (f, "Café crème", NULL);
  g_autoptr(RosterTask) noir = add_task (f, "CAFE NOIR", NULL);
  g_autoptr(RosterTask) milk = add_task (f, "Buy milk", "remember the café on the corner");
  g_autoptr(RosterTask) strasse = add_task (f, "Straße fegen", NULL);
  g_autoptr(RosterTask) quote = add_task (f, "Say \"hi\" 100% _now_", NULL);

  for (int pass = 0; pass < 2; pass++)
    {
      assert_found (f, "cafe", "Café crème|CAFE NOIR|Buy milk");
      assert_found (f, "CAFÉ", "Café crème|CAFE NOIR|Buy milk");
      assert_found (f, "crème", "Café crème");
      assert_found (f, "creme", "Café crème");
      assert_found (f, "ilk", "Buy milk");
      assert_found (f, "corner", "Buy milk");
      assert_found (f, "strasse", "Straße fegen");
      assert_found (f, "é", "Café crème|CAFE NOIR|Buy milk|Straße fegen");
      assert_found (f, "mi", "Buy milk");
      assert_found (f, "\"hi\"", "Say \"hi\" 100% _now_");
      assert_found (f, "0%", "Say \"hi\" 100% _now_");
      assert_found (f, "%", "Say \"hi\" 100% _now_");
      assert_found (f, "_n", "Say \"hi\" 100% _now_");
      assert_found (f, "  noir ", "CAFE NOIR");
      assert_found (f, "tea", "");
      assert_found (f, "", "");
      assert_found (f, "   ", "");
      /* Once without the index (the tasks are only noted), once with it. */
      catch_up (f);
    }
}

static void
test_find_invalid (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = roster_store_find_tasks (f->store, "caf\xc3", 10, NULL, &error);

  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_UTF8);
  g_assert_null (tasks);
}

/* Oldest first, at most as many as asked, and whether there were more, the
 * index and the noted tasks mixed. */
static void
test_find_limit (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *all = NULL;
  gboolean more = FALSE;

  for (int i = 0; i < 6; i++)
    {
      g_autofree char *title = g_strdup_printf ("item %d", i);
      g_autoptr(RosterTask) task = add_task (f, title, NULL);

      if (i == 2)
        catch_up (f);  /* 0-2 in the index, 3-5 only noted */
    }

  first = found (f, "item", 4, &more);
  g_assert_cmpstr (first, ==, "item 0|item 1|item 2|item 3");
  g_assert_true (more);
  all = found (f, "ITEM", 6, &more);
  g_assert_cmpstr (all, ==, "item 0|item 1|item 2|item 3|item 4|item 5");
  g_assert_false (more);
}

/* Renaming, new notes, deleting and undoing each change what Find answers at
 * once, with or without the index caught up. */
static void
test_find_follows_changes (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterTask) task = add_task (f, "Water the plants", NULL);

  catch_up (f);
  g_assert_true (roster_store_set_task_title (f->store, task, "Feed the cat", &error));
  g_assert_no_error (error);
  assert_found (f, "plants", "");
  assert_found (f, "cat", "Feed the cat");
  catch_up (f);
  assert_found (f, "plants", "");
  assert_found (f, "cat", "Feed the cat");

  g_assert_true (roster_store_set_task_notes (f->store, task, "tuna, not salmon", &error));
  g_assert_no_error (error);
  assert_found (f, "salmon", "Feed the cat");
  g_assert_true (roster_store_delete_task (f->store, task, &error));
  g_assert_no_error (error);
  assert_found (f, "cat", "");
  catch_up (f);
  assert_found (f, "cat", "");

  g_assert_true (roster_store_undo (f->store, &error));
  g_assert_no_error (error);
  assert_found (f, "salmon", "Feed the cat");
  catch_up (f);
  assert_found (f, "salmon", "Feed the cat");

  /* The store catches up by itself when the main loop is idle. */
  g_assert_true (roster_store_set_task_title (f->store, task, "Feed the dog", &error));
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_find_stale"), ==, 1);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_find_stale"), ==, 0);
  assert_found (f, "dog", "Feed the dog");
}

/* Another program (the seed's classes, the sqlite3 shell) writes tasks
 * without knowing of Find or the counts: both stay right. */
static void
test_outside_writer (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterTask) task = add_task (f, "Renew the passport", NULL);
  g_autofree char *insert = NULL;

  catch_up (f);
  g_assert_cmpuint (roster_user_get_n_tasks (f->ada), ==, 1);
  insert = g_strdup_printf ("INSERT INTO task (title, owner_id) VALUES ('Pay the rent', %" G_GINT64_FORMAT ");"
                            "UPDATE task SET title = 'Renew the visa' WHERE title = 'Renew the passport';",
                            roster_user_get_id (f->ada));
  roster_test_raw_exec (f->path, insert);

  g_assert_true (roster_store_refresh (f->store));
  g_assert_cmpuint (roster_user_get_n_tasks (f->ada), ==, 2);
  g_assert_cmpuint (roster_user_get_n_open_tasks (f->ada), ==, 2);
  assert_found (f, "rent", "Pay the rent");
  assert_found (f, "passport", "");
  assert_found (f, "visa", "Renew the visa");
  catch_up (f);
  assert_found (f, "visa", "Renew the visa");
}

/* The counts the sidebar shows come from a table the triggers keep: after
 * every kind of change, each equals a count of the rows themselves. */
static void
assert_counts_match (Fixture *f)
{
  g_assert_cmpint (roster_test_raw_int (f->path,
    "SELECT count(*) FROM user AS u LEFT JOIN roster_user_count AS c ON c.user_id = u.id "
    "WHERE coalesce(c.n_tasks, 0) != (SELECT count(*) FROM task WHERE owner_id = u.id) "
    "OR coalesce(c.n_open, 0) != (SELECT count(*) FROM task WHERE owner_id = u.id AND done = 0)"), ==, 0);
  g_assert_cmpint (roster_test_raw_int (f->path,
    "SELECT count(*) FROM category AS g LEFT JOIN roster_category_count AS c ON c.category_id = g.id "
    "WHERE coalesce(c.n_tasks, 0) != (SELECT count(*) FROM taskcategorylink WHERE category_id = g.id)"), ==, 0);
}

static void
test_counts (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) bob = roster_store_create_user (f->store, "bob", &error);
  g_autoptr(RosterCategory) home = roster_store_create_category (f->store, "home", NULL, &error);
  g_autoptr(RosterTask) a = add_task (f, "a", NULL);
  g_autoptr(RosterTask) b = add_task (f, "b", NULL);
  g_autoptr(RosterTask) c = add_task (f, "c", NULL);

  g_assert_no_error (error);
  roster_store_tag_task (f->store, a, home, &error);
  roster_store_tag_task (f->store, b, home, &error);
  roster_store_set_task_done (f->store, a, TRUE, &error);
  roster_store_move_task (f->store, b, bob, &error);
  g_assert_no_error (error);
  assert_counts_match (f);
  g_assert_cmpuint (roster_user_get_n_tasks (f->ada), ==, 2);
  g_assert_cmpuint (roster_user_get_n_open_tasks (f->ada), ==, 1);
  g_assert_cmpuint (roster_category_get_n_tasks (home), ==, 2);

  roster_store_begin_batch (f->store, "Tidy up");
  roster_store_delete_task (f->store, c, &error);
  roster_store_set_task_done (f->store, b, TRUE, &error);
  roster_store_untag_task (f->store, a, home, &error);
  g_assert_true (roster_store_commit_batch (f->store, &error));
  g_assert_no_error (error);
  assert_counts_match (f);

  g_assert_true (roster_store_delete_user (f->store, f->ada, ROSTER_DELETE_USER_AND_TASKS, NULL, &error));
  g_assert_no_error (error);
  assert_counts_match (f);
  while (roster_store_get_can_undo (f->store))
    {
      g_assert_true (roster_store_undo (f->store, &error));
      g_assert_no_error (error);
      assert_counts_match (f);
    }
  g_assert_cmpuint (roster_user_get_n_tasks (f->ada), ==, 0);
  g_assert_cmpuint (roster_category_get_n_tasks (home), ==, 0);
  while (roster_store_get_can_redo (f->store))
    {
      g_assert_true (roster_store_redo (f->store, &error));
      g_assert_no_error (error);
      assert_counts_match (f);
    }
}

static void
count_changes_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *n_changes)
{
  (*n_changes)++;
}

/* A tag gathers tasks of every user oldest first, whatever their place in
 * their owners' lists, and moving a task up its owner's list leaves the
 * tag's list alone. */
static void
test_tag_order (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) bob = roster_store_create_user (f->store, "bob", &error);
  g_autoptr(RosterCategory) home = roster_store_create_category (f->store, "home", NULL, &error);
  g_autoptr(RosterTask) first = add_task (f, "first", NULL);
  g_autoptr(RosterTask) second = roster_store_create_task (f->store, bob, "second", &error);
  g_autoptr(RosterTask) third = add_task (f, "third", NULL);
  g_autoptr(GListModel) tagged = NULL;
  guint n_changes = 0;

  g_assert_no_error (error);
  roster_store_tag_task (f->store, third, home, &error);
  roster_store_tag_task (f->store, first, home, &error);
  roster_store_tag_task (f->store, second, home, &error);
  g_assert_no_error (error);

  tagged = roster_store_list_category_tasks (f->store, home);
  g_assert_cmpuint (g_list_model_get_n_items (tagged), ==, 3);
  {
    g_autoptr(RosterTask) t0 = g_list_model_get_item (tagged, 0);
    g_autoptr(RosterTask) t1 = g_list_model_get_item (tagged, 1);
    g_autoptr(RosterTask) t2 = g_list_model_get_item (tagged, 2);

    g_assert_true (t0 == first && t1 == second && t2 == third);
  }

  g_signal_connect (tagged, "items-changed", G_CALLBACK (count_changes_cb), &n_changes);
  g_assert_true (roster_store_reorder_task (f->store, third, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_changes, ==, 0);
  {
    g_autoptr(RosterTask) t2 = g_list_model_get_item (tagged, 2);

    g_assert_true (t2 == third);
  }
}

/* A damaged page in Find's own tables: Find says so in words, like any
 * other read of a damaged page, and nothing more is written. */
static void
test_find_damaged (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  gint64 root, page_size;

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *title = g_strdup_printf ("Water the plants %u", i);
      g_autoptr(RosterTask) task = add_task (f, title, NULL);
    }
  catch_up (f);
  g_clear_object (&f->ada);
  g_assert_finalize_object (g_steal_pointer (&f->store));

  roster_test_raw_exec (f->path, "PRAGMA wal_checkpoint(TRUNCATE)");
  root = roster_test_raw_int (f->path, "SELECT rootpage FROM sqlite_master WHERE name = 'roster_find_data'");
  page_size = roster_test_raw_int (f->path, "PRAGMA page_size");
  {
    FILE *file = fopen (f->path, "r+b");
    char junk[1024];

    memset (junk, 0xA5, sizeof junk);
    g_assert_nonnull (file);
    g_assert_cmpint (fseek (file, (root - 1) * page_size, SEEK_SET), ==, 0);
    g_assert_cmpuint (fwrite (junk, 1, sizeof junk, file), ==, sizeof junk);
    fclose (file);
  }

  f->store = roster_store_open (f->path, &error);
  g_assert_no_error (error);
  f->ada = roster_store_find_user (f->store, "ada");
  tasks = roster_store_find_tasks (f->store, "plants", 10, NULL, &error);
  g_assert_null (tasks);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_A_DATABASE);
  g_assert_nonnull (roster_store_get_damage (f->store));
}

/* Another program holds the write lock: a change waits as long as it is
 * told to, then fails with ROSTER_ERROR_BUSY and leaves nothing behind. */
static void
test_busy_timeout (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) bob = NULL;
  sqlite3 *other = NULL;
  gint64 t0;

  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  roster_store_set_busy_timeout (f->store, 50);
  t0 = g_get_monotonic_time ();
  bob = roster_store_create_user (f->store, "bob", &error);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_BUSY);
  g_assert_null (bob);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 2 * G_USEC_PER_SEC);
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_exec (other, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  bob = roster_store_create_user (f->store, "bob", &error);
  g_assert_no_error (error);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM user"), ==, 2);
}

/* Bringing Find's index up to date happens unasked, on the main thread:
 * it must never wait for another program's lock, and it catches up once
 * the lock is gone. */
static void
test_find_catch_up_locked (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(RosterTask) task = add_task (f, "Mend the fence", NULL);
  sqlite3 *other = NULL;
  gint64 t0;

  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_find_stale"), >, 0);
  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  t0 = g_get_monotonic_time ();
  for (int i = 0; i < 5; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, G_USEC_PER_SEC);
  assert_found (f, "fence", "Mend the fence");

  g_assert_cmpint (sqlite3_exec (other, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  t0 = g_get_monotonic_time ();
  while (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_find_stale") > 0)
    {
      g_assert_cmpint (g_get_monotonic_time () - t0, <, 10 * G_USEC_PER_SEC);
      g_main_context_iteration (NULL, TRUE);
    }
  assert_found (f, "fence", "Mend the fence");
}

/* Deleting a user with thousands of tasks, and undoing and redoing it, run
 * in a worker thread: meanwhile the store says it is working, reads go on,
 * changes are refused with a message, and at the end the file, the lists
 * and the counts are exactly as after the synchronous calls. */
static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  gboolean *done = data;
  g_autoptr(GError) error = NULL;

  if (g_task_get_source_tag (G_TASK (result)) == roster_store_delete_user_async)
    g_assert_true (roster_store_delete_user_finish (ROSTER_STORE (source), result, &error));
  else if (g_task_get_source_tag (G_TASK (result)) == roster_store_undo_async)
    g_assert_true (roster_store_undo_finish (ROSTER_STORE (source), result, &error));
  else
    g_assert_true (roster_store_redo_finish (ROSTER_STORE (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *n)
{
  (*n)++;
}

/* Waits for the big change just started, checking what a window would see
 * meanwhile. */
static void
wait_for_work (Fixture          *f,
               gboolean         *done,
               RosterCategory   *tag)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) someone = NULL;

  g_assert_true (roster_store_get_working (f->store));
  g_assert_false (*done);
  someone = roster_store_create_user (f->store, "someone", &error);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "Delete user “ada”"));
  g_assert_null (someone);
  g_assert_cmpuint (roster_category_get_n_tasks (tag), >, 0);

  while (!*done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (roster_store_get_working (f->store));
}

static void
test_big_change_in_worker (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) bob = roster_store_create_user (f->store, "bob", &error);
  g_autoptr(GListModel) users = roster_store_list_users (f->store);
  g_autoptr(GListModel) ada_tasks = roster_store_list_user_tasks (f->store, f->ada);
  RosterCategory *tags[3] = { NULL };
  g_autoptr(GListModel) tagged = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint n_working = 0, n_changes = 0;
  gboolean done = FALSE;

  roster_store_begin_batch (f->store, "Fill");
  for (guint c = 0; c < 3; c++)
    {
      g_autofree char *name = g_strdup_printf ("tag %u", c);
      tags[c] = roster_store_create_category (f->store, name, NULL, &error);
    }
  for (guint i = 0; i < 600; i++)
    {
      g_autofree char *title = g_strdup_printf ("task %u", i);
      g_autoptr(RosterTask) task = roster_store_create_task (f->store, i % 10 ? f->ada : bob, title, &error);

      for (guint c = 0; c < 3; c++)
        roster_store_tag_task (f->store, task, tags[c], &error);
    }
  g_assert_true (roster_store_commit_batch (f->store, &error));
  g_assert_no_error (error);
  tagged = roster_store_list_category_tasks (f->store, tags[0]);
  g_assert_cmpuint (g_list_model_get_n_items (ada_tasks), ==, 540);
  g_assert_cmpuint (g_list_model_get_n_items (tagged), ==, 600);
  before = roster_test_dump (f->path);
  g_signal_connect (f->store, "notify::working", G_CALLBACK (count_notify_cb), &n_working);
  g_signal_connect (tagged, "items-changed", G_CALLBACK (count_changes_cb), &n_changes);

  roster_store_delete_user_async (f->store, f->ada, ROSTER_DELETE_USER_AND_TASKS, NULL, NULL,
                                  async_done_cb, &done);
  wait_for_work (f, &done, tags[0]);
  g_assert_cmpuint (n_working, ==, 2);
  g_assert_cmpuint (n_changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (ada_tasks), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (tagged), ==, 60);
  g_assert_cmpuint (roster_category_get_n_tasks (tags[1]), ==, 60);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, 60);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM taskcategorylink"), ==, 180);
  g_assert_cmpstr (roster_store_get_undo_label (f->store), ==, "Delete user “ada”");
  assert_counts_match (f);
  after = roster_test_dump (f->path);

  /* Undo: the same rows, the same objects. */
  done = FALSE;
  roster_store_undo_async (f->store, async_done_cb, &done);
  wait_for_work (f, &done, tags[0]);
  {
    g_autofree char *restored = roster_test_dump (f->path);

    g_assert_cmpstr (restored, ==, before);
  }
  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (ada_tasks), ==, 540);
  g_assert_cmpuint (g_list_model_get_n_items (tagged), ==, 600);
  g_assert_cmpuint (roster_user_get_n_tasks (f->ada), ==, 540);
  assert_counts_match (f);
  assert_found (f, "task 599", "task 599");

  done = FALSE;
  roster_store_redo_async (f->store, async_done_cb, &done);
  wait_for_work (f, &done, tags[0]);
  {
    g_autofree char *redone = roster_test_dump (f->path);

    g_assert_cmpstr (redone, ==, after);
  }
  /* Nothing taken for another program's change: the history is kept. */
  g_assert_false (roster_store_refresh (f->store));
  g_assert_true (roster_store_get_can_undo (f->store));
  for (guint c = 0; c < 3; c++)
    g_object_unref (tags[c]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/find/text", test_find_text);
  ADD ("/find/invalid", test_find_invalid);
  ADD ("/find/limit", test_find_limit);
  ADD ("/find/follows-changes", test_find_follows_changes);
  ADD ("/find/outside-writer", test_outside_writer);
  ADD ("/find/damaged", test_find_damaged);
  ADD ("/find/catch-up-locked", test_find_catch_up_locked);
  ADD ("/store/busy-timeout", test_busy_timeout);
  ADD ("/counts/kept", test_counts);
  ADD ("/tags/order", test_tag_order);
  ADD ("/big/worker", test_big_change_in_worker);
#undef ADD

  return g_test_run ();
}
