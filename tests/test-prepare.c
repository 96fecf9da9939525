/* test-prepare.c: preparing a file for this version of Roster in a worker
 * (roster_store_open_async): progress, cancelling, refusing.
 *
 * Every file is made the way the seed's SQLModel classes make it, with
 * enough rows that preparing it takes a while, and checked through a second
 * connection.
 */
#define G_LOG_DOMAIN "test-prepare"

#include <glib/gstdio.h>
#include <string.h>

#include "roster-model.h"
#include "roster-test-util.h"

/* Users 1-100 (user 8 owns no task), tags 1-50, @n_tasks tasks with three
 * tags each, and one task whose owner does not exist. */
static void
write_big_seed_file (const char *path,
                     guint       n_tasks)
{
  g_autofree char *rows = g_strdup_printf (
    "BEGIN;"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)"
    "  INSERT INTO user (id, username) SELECT i, printf('user%%03d', i) FROM n;"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)"
    "  INSERT INTO category (id, name) SELECT i, printf('tag%%02d', i) FROM n;"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %u)"
    "  INSERT INTO task (id, title, owner_id)"
    "  SELECT i, printf('Task number %%d', i), CASE WHEN i %% 100 = 7 THEN 1 ELSE i %% 100 + 1 END FROM n;"
    "INSERT INTO taskcategorylink (task_id, category_id)"
    "  SELECT id, id %% 50 + 1 FROM task UNION ALL"
    "  SELECT id, (id + 17) %% 50 + 1 FROM task UNION ALL"
    "  SELECT id, (id + 31) %% 50 + 1 FROM task;"
    "INSERT INTO task (id, title, owner_id) VALUES (%u, 'Lost', 999);"
    "COMMIT;",
    n_tasks, n_tasks + 1);

  roster_test_write_seed_file (path, rows);
}

/* What the file holds, its schema and its counts, as a checksum (the text
 * is too long for a test's log). Find's index is left out: the store fills it
 * in the background. */
static char *
describe_file (const char *path)
{
  g_autofree char *rows = roster_test_dump (path);
  g_autofree char *schema = roster_test_raw_text (path, "SELECT type || ' ' || name FROM sqlite_master ORDER BY name");
  g_autofree char *users = roster_test_raw_text (path, "SELECT user_id || ':' || n_tasks || '/' || n_open "
                                                       "FROM roster_user_count ORDER BY user_id");
  g_autofree char *tags = roster_test_raw_text (path, "SELECT category_id || ':' || n_tasks "
                                                      "FROM roster_category_count ORDER BY category_id");
  g_autofree char *all = g_strjoin ("\n", rows, schema, users, tags, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, all, -1);
}

typedef struct
{
  GArray       *fractions;     /* double */
  RosterStore  *store;
  GError       *error;
  gboolean      done;
  GCancellable *cancellable;
  double        cancel_at;     /* cancel once progress reaches it (> 1: never) */
} Run;

static void
progress_cb (double   fraction,
             gpointer data)
{
  Run *run = data;

  g_assert_false (run->done);
  g_array_append_val (run->fractions, fraction);
  if (fraction >= run->cancel_at)
    g_cancellable_cancel (run->cancellable);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Run *run = data;

  run->store = roster_store_open_finish (result, &run->error);
  run->done = TRUE;
}

static void
run_open (const char *path,
          Run        *run,
          double      cancel_at)
{
  run->fractions = g_array_new (FALSE, FALSE, sizeof (double));
  run->cancellable = g_cancellable_new ();
  run->cancel_at = cancel_at;
  roster_store_open_async (path, ROSTER_OPEN_DEFAULT, run->cancellable,
                           progress_cb, run, opened_cb, run);
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
  /* Nothing comes after the result. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->fractions, g_array_unref);
  g_clear_object (&run->store);
  g_clear_error (&run->error);
  g_clear_object (&run->cancellable);
}

/* The progress only goes up, stops on the way, ends at 1, and the store
 * then holds what a synchronous open of the same file gives. */
static void
test_progress (void)
{
  g_autofree char *dir = roster_test_make_dir ("roster-prepare-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
  g_autofree char *copy = g_build_filename (dir, "copy.db", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  guint between = 0;

  write_big_seed_file (path, 20000);
  {
    g_autoptr(GFile) from = g_file_new_for_path (path);
    g_autoptr(GFile) to = g_file_new_for_path (copy);

    g_assert_true (g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }

  run_open (path, &run, 2);
  g_assert_no_error (run.error);
  g_assert_nonnull (run.store);

  g_assert_cmpuint (run.fractions->len, >, 2);
  for (guint i = 0; i < run.fractions->len; i++)
    {
      double f = g_array_index (run.fractions, double, i);

      g_assert_cmpfloat (f, >=, 0);
      g_assert_cmpfloat (f, <=, 1);
      if (i > 0)
        g_assert_cmpfloat (f, >, g_array_index (run.fractions, double, i - 1));
      if (f > 0 && f < 1)
        between++;
    }
  g_assert_cmpuint (between, >, 0);
  g_assert_cmpfloat (g_array_index (run.fractions, double, run.fractions->len - 1), ==, 1);

  /* Everything is there, counted, and in the store's lists. */
  {
    g_autoptr(GListModel) users = roster_store_list_users (run.store);
    g_autoptr(GListModel) tags = roster_store_list_categories (run.store);
    g_autoptr(RosterUser) first = roster_store_find_user (run.store, "user001");
    g_autoptr(RosterUser) eighth = roster_store_find_user (run.store, "user008");
    g_autoptr(RosterCategory) tag = roster_store_find_category (run.store, "tag01");
    g_autoptr(GListModel) tasks = roster_store_list_user_tasks (run.store, first);
    g_autoptr(RosterTask) task = g_list_model_get_item (tasks, 0);

    g_assert_cmpuint (g_list_model_get_n_items (users), ==, 100);
    g_assert_cmpuint (g_list_model_get_n_items (tags), ==, 50);
    g_assert_cmpuint (roster_user_get_n_tasks (first), ==, 400);
    g_assert_cmpuint (roster_user_get_n_open_tasks (first), ==, 400);
    g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 400);
    g_assert_cmpstr (roster_task_get_title (task), ==, "Task number 7");
    g_assert_cmpuint (roster_user_get_n_tasks (eighth), ==, 0);
    g_assert_cmpuint (roster_category_get_n_tasks (tag), ==, 1200);
  }
  /* The task without an owner, found as the file arrived, as a synchronous
   * open finds it. */
  g_assert_cmpuint (roster_store_get_problems (run.store)->len, ==, 1);
  g_assert_true (roster_store_is_read_only (run.store) == FALSE);
  got = describe_file (path);
  run_clear (&run);

  {
    RosterStore *store = roster_store_open (copy, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (roster_store_get_problems (store)->len, ==, 1);
    g_assert_finalize_object (store);
  }
  expected = describe_file (copy);
  g_assert_cmpstr (got, ==, expected);

  g_assert_cmpint (roster_test_raw_int (path, "PRAGMA user_version"), ==, ROSTER_SCHEMA_VERSION);
  g_assert_cmpint (roster_test_raw_int (path, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), ==, 1);
  backups = roster_backup_list (path);
  g_assert_cmpuint (backups->len, ==, 1);

  /* Prepared once: the next open needs nothing. */
  {
    RosterStore *store = roster_store_open_full (path, ROSTER_OPEN_IF_READY, &error);

    g_assert_no_error (error);
    g_assert_finalize_object (store);
  }
  roster_test_remove_tree (dir);
}

/* Stopped at any point before the commit, the file is left byte-for-byte
 * as it was (a backup may have been made), and a later open works. */
static void
test_cancel (void)
{
  const double points[] = { 0, 0.05, 0.25, 0.45 };

  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      g_autofree char *dir = roster_test_make_dir ("roster-prepare-XXXXXX");
      g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
      g_autofree char *journal = g_strconcat (path, "-journal", NULL);
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      g_autoptr(GError) error = NULL;
      RosterStore *store;
      Run run = { 0 };

      g_test_message ("cancelled at %.0f %%", points[i] * 100);
      write_big_seed_file (path, 30000);
      before = roster_test_file_digest (path);

      run_open (path, &run, points[i]);
      g_assert_null (run.store);
      g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      for (guint j = 1; j < run.fractions->len; j++)
        g_assert_cmpfloat (g_array_index (run.fractions, double, j), >,
                           g_array_index (run.fractions, double, j - 1));
      run_clear (&run);

      after = roster_test_file_digest (path);
      g_assert_cmpstr (after, ==, before);
      g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
      /* The last one stopped the migration itself, after the backup. */
      if (points[i] > 0.4)
        {
          g_autoptr(GPtrArray) backups = roster_backup_list (path);

          g_assert_cmpuint (backups->len, ==, 1);
        }

      store = roster_store_open (path, &error);
      g_assert_no_error (error);
      {
        g_autoptr(RosterUser) user = roster_store_find_user (store, "user002");

        g_assert_cmpuint (roster_user_get_n_tasks (user), ==, 300);
      }
      g_assert_finalize_object (store);
      roster_test_remove_tree (dir);
    }
}

/* A damaged seed file is refused, named, and not written: no backup, no
 * migration, the same bytes. */
static void
test_damaged (void)
{
  g_autofree char *dir = roster_test_make_dir ("roster-prepare-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
  g_autofree char *backup_dir = roster_backup_get_dir (path);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  Run run = { 0 };

  write_big_seed_file (path, 2000);
  roster_test_damage_page (path, "task", 0, 20);
  before = roster_test_file_digest (path);

  run_open (path, &run, 2);
  g_assert_null (run.store);
  g_assert_error (run.error, ROSTER_ERROR, ROSTER_ERROR_NOT_A_DATABASE);
  g_assert_nonnull (strstr (run.error->message, "roster.db"));
  run_clear (&run);

  after = roster_test_file_digest (path);
  g_assert_cmpstr (after, ==, before);
  g_assert_false (g_file_test (backup_dir, G_FILE_TEST_EXISTS));
  roster_test_remove_tree (dir);
}

/* ROSTER_OPEN_IF_READY: a file to prepare is refused with the reason, and
 * not written; a new file and a Roster file open at once. */
static void
test_if_ready (void)
{
  g_autofree char *dir = roster_test_make_dir ("roster-prepare-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
  g_autofree char *fresh = g_build_filename (dir, "new.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  RosterStore *store;

  write_big_seed_file (path, 100);
  before = roster_test_file_digest (path);
  store = roster_store_open_full (path, ROSTER_OPEN_IF_READY, &error);
  g_assert_null (store);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_NEEDS_PREPARING);
  g_assert_nonnull (strstr (error->message, "roster.db"));
  g_clear_error (&error);
  after = roster_test_file_digest (path);
  g_assert_cmpstr (after, ==, before);

  /* The same file in rollback-journal mode at this version: the switch to
   * WAL is what remains to do. */
  store = roster_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (store);
  roster_test_raw_exec (path, "PRAGMA journal_mode = DELETE");
  store = roster_store_open_full (path, ROSTER_OPEN_IF_READY, &error);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_NEEDS_PREPARING);
  g_clear_error (&error);
  {
    Run run = { 0 };

    run_open (path, &run, 2);
    g_assert_no_error (run.error);
    g_assert_cmpfloat (g_array_index (run.fractions, double, run.fractions->len - 1), ==, 1);
    run_clear (&run);
  }
  store = roster_store_open_full (path, ROSTER_OPEN_IF_READY, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (store);

  store = roster_store_open_full (fresh, ROSTER_OPEN_IF_READY, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (store);
  roster_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/prepare/progress", test_progress);
  g_test_add_func ("/prepare/cancel", test_cancel);
  g_test_add_func ("/prepare/damaged", test_damaged);
  g_test_add_func ("/prepare/if-ready", test_if_ready);

  return g_test_run ();
}
