/* roster-test-util.c: helpers the model tests share. See roster-test-util.h. */
#define G_LOG_DOMAIN "roster-test"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "roster-test-util.h"

char *
roster_test_make_dir (const char *tmpl)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  return dir;
}

void
roster_test_remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        roster_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (dir);
}

void
roster_test_raw_exec (const char *path,
                      const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* Waits, rather than fails, while the store holds a lock on the file. */
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

gint64
roster_test_raw_int (const char *path,
                     const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

char *
roster_test_raw_text (const char *path,
                      const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (out, "%s%s", out->len ? "; " : "",
                            sqlite3_column_text (stmt, 0) ? (const char *) sqlite3_column_text (stmt, 0) : "NULL");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

static char *
dump_tables (const char *path,
             gboolean    lenient)
{
  static const char * const queries[] = {
    "SELECT 'user', id, username FROM user ORDER BY id",
    "SELECT 'task', id, title, owner_id, done, notes, due_date, position FROM task ORDER BY id",
    "SELECT 'category', id, name, color FROM category ORDER BY id",
    "SELECT 'link', task_id, category_id FROM taskcategorylink ORDER BY task_id, category_id",
    /* Version 4's columns on a line of their own, so that a lenient dump of
     * an older file still has the rest of the task table. */
    "SELECT 'plan', id, due_time, priority, recurrence FROM task ORDER BY id",
  };
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt = NULL;
      int rc = sqlite3_prepare_v2 (db, queries[q], -1, &stmt, NULL);

      if (lenient && rc != SQLITE_OK)
        continue;
      g_assert_cmpint (rc, ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const char *text = (const char *) sqlite3_column_text (stmt, c);
              g_string_append_printf (out, "%s|", text ? text : "NULL");
            }
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

char *
roster_test_dump (const char *path)
{
  return dump_tables (path, FALSE);
}

char *
roster_test_dump_lenient (const char *path)
{
  return dump_tables (path, TRUE);
}

char *
roster_test_file_digest (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) contents, length);
}

void
roster_test_write_seed_file (const char *path,
                             const char *rows)
{
  g_autofree char *ddl = NULL;
  g_autofree char *ddl_path = g_test_build_filename (G_TEST_DIST, "data", "seed-schema.sql", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (ddl_path, &ddl, NULL, &error));
  g_assert_no_error (error);
  roster_test_raw_exec (path, ddl);
  roster_test_raw_exec (path, rows);
}

void
roster_test_damage_page (const char *path,
                         const char *name,
                         gsize       offset,
                         gsize       length)
{
  g_autofree char *query = g_strdup_printf ("SELECT rootpage FROM sqlite_master WHERE name = '%s'", name);
  g_autofree char *junk = g_malloc (length);
  gint64 root = roster_test_raw_int (path, query);
  gint64 page_size = roster_test_raw_int (path, "PRAGMA page_size");
  FILE *file;

  g_assert_cmpint (root, >, 1);
  memset (junk, 0xA5, length);
  file = fopen (path, "r+b");
  g_assert_nonnull (file);
  g_assert_cmpint (fseek (file, (long) ((root - 1) * page_size + (gint64) offset), SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (junk, 1, length, file), ==, length);
  g_assert_cmpint (fclose (file), ==, 0);
}

guint32
roster_test_env_number (const char *name,
                        guint32     fallback)
{
  const char *value = g_getenv (name);

  return value && *value ? (guint32) g_ascii_strtoull (value, NULL, 10) : fallback;
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *changes)
{
  RosterTestChange change = { position, removed, added };

  /* The contract: the new length is already in place when the signal runs. */
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, position + added);
  g_array_append_val (changes, change);
}

GArray *
roster_test_record_changes (GListModel *model)
{
  GArray *changes = g_array_new (FALSE, FALSE, sizeof (RosterTestChange));

  /* As a view would: it reads the length before it listens. */
  g_list_model_get_n_items (model);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), changes);
  /* Freed with the test; disconnected when the list goes. */
  g_object_set_data_full (G_OBJECT (model), "changes", changes, (GDestroyNotify) g_array_unref);
  return changes;
}

void
roster_test_assert_change (GArray *changes,
                           guint   index,
                           guint   position,
                           guint   removed,
                           guint   added)
{
  RosterTestChange *c;

  g_assert_cmpuint (changes->len, >, index);
  c = &g_array_index (changes, RosterTestChange, index);
  g_assert_cmpuint (c->position, ==, position);
  g_assert_cmpuint (c->removed, ==, removed);
  g_assert_cmpuint (c->added, ==, added);
}

void
roster_test_worker_ready (void)
{
  if (write (STDOUT_FILENO, "R\n", 2) != 2)
    g_error ("the worker cannot say it is ready");
}

void
roster_test_kill_worker (const char *self_path,
                         const char *path,
                         GRand      *rand,
                         guint       max_delay_us)
{
  const char *argv[] = { self_path, "--worker", path, NULL };
  g_autoptr(GError) error = NULL;
  GPid pid;
  int out = -1;
  char ready[2];
  int status;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (read (out, ready, 2), ==, 2);
  g_usleep (g_rand_int_range (rand, 0, max_delay_us));
  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  close (out);
  g_assert_true (WIFSIGNALED (status));
}
