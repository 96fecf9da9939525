/* test-safety.c: what keeps a person's tasks safe (issue 6).
 *
 * Backups (before a migration, daily, restore), files Roster may not write,
 * a full disk, a file locked or changed by another program, and hostile
 * input: each checked against the file itself, through a second connection.
 */
#define G_LOG_DOMAIN "test-safety"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "roster-model.h"
#include "roster-store-private.h"
#include "roster-test-util.h"

/* The rows of a file as the seed's SQLModel classes leave it (with their DDL). */
static const char seed_rows[] =
  "INSERT INTO user (id, username) VALUES (1, 'ada');"
  "INSERT INTO task (id, title, owner_id) VALUES (1, 'Write notes', 1);"
  "INSERT INTO category (id, name) VALUES (1, 'work');"
  "INSERT INTO taskcategorylink (task_id, category_id) VALUES (1, 1);";

/* ------------------------------------------------------------------------ */
/* Backups                                                                   */

static void
test_backup_before_migration (void)
{
  g_autofree char *dir = roster_test_make_dir ("roster-safety-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
  g_autofree char *before = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GError) error = NULL;
  RosterStore *store;
  struct stat st;

  /* A brand-new file has nothing to lose: no backup. */
  store = roster_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (store);
  backups = roster_backup_list (path);
  g_assert_cmpuint (backups->len, ==, 0);
  g_clear_pointer (&backups, g_ptr_array_unref);
  roster_test_remove_tree (dir);
  g_mkdir (dir, 0700);

  roster_test_write_seed_file (path, seed_rows);
  before = roster_test_dump_lenient (path);
  store = roster_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (store);

  backups = roster_backup_list (path);
  g_assert_cmpuint (backups->len, ==, 1);
  {
    /* Named after the version it is migrated to and the one it had. */
    g_autofree char *name = g_strdup_printf ("before-v%d-from-v0", ROSTER_SCHEMA_VERSION);

    g_assert_nonnull (strstr (g_ptr_array_index (backups, 0), name));
  }
  {
    /* The backup is the file as the seed left it, schema version and all. */
    g_autofree char *backed_up = roster_test_dump_lenient (g_ptr_array_index (backups, 0));
    g_assert_cmpstr (backed_up, ==, before);
    g_assert_cmpint (roster_test_raw_int (g_ptr_array_index (backups, 0), "PRAGMA user_version"), ==, 0);
    g_assert_cmpint (roster_test_raw_int (g_ptr_array_index (backups, 0), "SELECT integrity_check = 'ok' FROM pragma_integrity_check"), ==, 1);
    g_assert_cmpint (g_stat (g_ptr_array_index (backups, 0), &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }

  roster_test_remove_tree (dir);
}

static void
test_backup_daily (void)
{
  g_autofree char *dir = roster_test_make_dir ("roster-safety-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(RosterStore) store = roster_store_open (path, &error);
  g_autoptr(GDateTime) start = g_date_time_new_local (2026, 11, 1, 9, 0, 0);

  g_assert_no_error (error);
  for (int day = 0; day < 10; day++)
    {
      g_autoptr(GDateTime) now = g_date_time_add_days (start, day);
      g_autofree char *name = g_strdup_printf ("user %d", day);

      g_object_unref (roster_store_create_user (store, name, &error));
      g_assert_no_error (error);
      g_assert_true (roster_backup_daily (path, now, &error));
      g_assert_no_error (error);
      /* Twice the same day writes nothing new. */
      g_assert_true (roster_backup_daily (path, now, &error));
    }

  backups = roster_backup_list (path);
  g_assert_cmpuint (backups->len, ==, ROSTER_BACKUP_DAYS);
  {
    g_autofree char *newest = g_path_get_basename (g_ptr_array_index (backups, 0));
    g_autofree char *oldest = g_path_get_basename (g_ptr_array_index (backups, backups->len - 1));
    g_assert_cmpstr (newest, ==, "roster.db-daily-2026-11-10.db");
    g_assert_cmpstr (oldest, ==, "roster.db-daily-2026-11-04.db");
    /* Each holds the file as it was that day. */
    g_assert_cmpint (roster_test_raw_int (g_ptr_array_index (backups, 0), "SELECT count(*) FROM user"), ==, 10);
    g_assert_cmpint (roster_test_raw_int (g_ptr_array_index (backups, 6), "SELECT count(*) FROM user"), ==, 4);
  }

  g_clear_object (&store);
  roster_test_remove_tree (dir);
}

static void
test_backup_restore (void)
{
  g_autofree char *dir = roster_test_make_dir ("roster-safety-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
  g_autofree char *backup = g_build_filename (dir, "copy.db", NULL);
  g_autofree char *saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  RosterStore *store = roster_store_open (path, &error);

  g_assert_no_error (error);
  g_object_unref (roster_store_create_user (store, "ada", &error));
  g_assert_true (roster_backup_write (path, backup, &error));
  g_assert_no_error (error);
  saved = roster_test_dump_lenient (path);
  g_object_unref (roster_store_create_user (store, "bob", &error));
  g_assert_finalize_object (store);

  g_assert_true (roster_backup_restore (path, backup, &error));
  g_assert_no_error (error);
  {
    g_autofree char *now = roster_test_dump_lenient (path);
    g_assert_cmpstr (now, ==, saved);
  }

  /* What was there before the restore is kept. */
  backups = roster_backup_list (path);
  g_assert_cmpuint (backups->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (backups, 0), "before-restore"));
  g_assert_cmpint (roster_test_raw_int (g_ptr_array_index (backups, 0), "SELECT count(*) FROM user"), ==, 2);

  /* And Roster opens the restored file. */
  store = roster_store_open (path, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GListModel) users = roster_store_list_users (store);
    g_assert_cmpuint (g_list_model_get_n_items (users), ==, 1);
  }
  g_assert_finalize_object (store);
  roster_test_remove_tree (dir);
}

static void
test_backup_restore_over_damaged (void)
{
  g_autofree char *dir = roster_test_make_dir ("roster-safety-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
  g_autofree char *saved = NULL;
  g_autofree char *garbage = g_strnfill (5000, 'Z');
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  RosterStore *store = roster_store_open (path, &error);

  g_assert_no_error (error);
  g_object_unref (roster_store_create_user (store, "ada", &error));
  g_assert_finalize_object (store);
  g_assert_true (roster_backup_daily (path, NULL, &error));
  g_assert_no_error (error);
  saved = roster_test_dump_lenient (path);

  /* The file is ruined (and a stale WAL lies beside it). */
  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));
  g_assert_null (roster_store_open (path, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_A_DATABASE);
  g_clear_error (&error);

  backups = roster_backup_list (path);
  g_assert_cmpuint (backups->len, ==, 1);
  g_assert_true (roster_backup_restore (path, g_ptr_array_index (backups, 0), &error));
  g_assert_no_error (error);
  {
    g_autofree char *now = roster_test_dump_lenient (path);
    g_assert_cmpstr (now, ==, saved);
  }

  /* The ruined bytes are kept, but not offered as a backup to restore. */
  {
    g_autofree char *backup_dir = roster_backup_get_dir (path);
    g_autoptr(GDir) d = g_dir_open (backup_dir, 0, NULL);
    const char *name;
    gboolean kept = FALSE;

    while ((name = g_dir_read_name (d)) != NULL)
      if (g_str_has_prefix (name, "roster.db-damaged-"))
        {
          g_autofree char *kept_path = g_build_filename (backup_dir, name, NULL);
          g_autofree char *contents = NULL;

          g_assert_true (g_file_get_contents (kept_path, &contents, NULL, NULL));
          g_assert_cmpstr (contents, ==, garbage);
          kept = TRUE;
        }
    g_assert_true (kept);
  }
  g_clear_pointer (&backups, g_ptr_array_unref);
  backups = roster_backup_list (path);
  g_assert_cmpuint (backups->len, ==, 1);

  store = roster_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (store);
  roster_test_remove_tree (dir);
}

static void
damaged_cb (RosterStore *store,
            guint       *count)
{
  (*count)++;
}

/* A damaged page is found only when it is read: the store says so, writes
 * nothing from then on, and no daily backup is made of the damaged file. */
static void
test_damaged_page (void)
{
  g_autofree char *dir = roster_test_make_dir ("roster-safety-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
  g_autofree char *digest = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  RosterStore *store = roster_store_open (path, &error);
  guint damaged = 0;

  g_assert_no_error (error);
  {
    g_autoptr(RosterUser) ada = roster_store_create_user (store, "ada", &error);
    for (guint i = 0; i < 20; i++)
      g_object_unref (roster_store_create_task (store, ada, "a task", &error));
    g_assert_no_error (error);
  }
  g_assert_finalize_object (store);

  /* Garbage over the task table's first page. */
  roster_test_raw_exec (path, "PRAGMA wal_checkpoint(TRUNCATE)");
  roster_test_damage_page (path, "task", 8, 512);
  digest = roster_test_file_digest (path);

  g_assert_false (roster_backup_daily (path, NULL, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_A_DATABASE);
  g_clear_error (&error);
  backups = roster_backup_list (path);
  g_assert_cmpuint (backups->len, ==, 0);

  store = roster_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_null (roster_store_get_damage (store));
  g_signal_connect (store, "damaged", G_CALLBACK (damaged_cb), &damaged);
  {
    g_autoptr(RosterUser) ada = roster_store_find_user (store, "ada");
    g_autoptr(GListModel) tasks = roster_store_list_user_tasks (store, ada);

    g_list_model_get_n_items (tasks);
    g_assert_nonnull (roster_store_get_damage (store));
    g_assert_true (g_error_matches (roster_store_get_damage (store), ROSTER_ERROR,
                                    ROSTER_ERROR_NOT_A_DATABASE));
    g_assert_nonnull (strstr (roster_store_get_damage (store)->message, "roster.db"));

    /* Nothing more is written to it. */
    g_assert_false (roster_store_rename_user (store, ada, "bob", &error));
    g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_A_DATABASE);
    g_clear_error (&error);
  }
  /* The signal comes once, from the main loop. */
  g_assert_cmpuint (damaged, ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (damaged, ==, 1);
  g_assert_finalize_object (store);

  {
    g_autofree char *after = roster_test_file_digest (path);
    g_assert_cmpstr (after, ==, digest);
  }
  roster_test_remove_tree (dir);
}

/* The first bytes of one page of a table or an index overwritten: the file
 * is refused, named, and left byte-for-byte as it was, wherever the damage
 * is. A file the seed's classes made is checked before its migration and its
 * backup: neither is made, and the switch to WAL does not rewrite its header. */
static const char * const seed_pages[] = {
  "user", "task", "category", "taskcategorylink",
  "ix_user_username", "sqlite_autoindex_category_1", "sqlite_autoindex_taskcategorylink_1",
};

static void
test_damaged_seed_file (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (seed_pages); i++)
    {
      g_autofree char *dir = roster_test_make_dir ("roster-safety-XXXXXX");
      g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
      g_autofree char *backup_dir = roster_backup_get_dir (path);
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      g_autoptr(GError) error = NULL;
      RosterStore *store;

      g_test_message ("damage on the page of %s", seed_pages[i]);
      roster_test_write_seed_file (path, seed_rows);
      roster_test_damage_page (path, seed_pages[i], 0, 20);
      before = roster_test_file_digest (path);

      store = roster_store_open (path, &error);
      g_assert_null (store);
      g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_A_DATABASE);
      g_assert_nonnull (strstr (error->message, "roster.db"));

      after = roster_test_file_digest (path);
      g_assert_cmpstr (after, ==, before);
      g_assert_false (g_file_test (backup_dir, G_FILE_TEST_EXISTS));
      roster_test_remove_tree (dir);
    }
}

/* A file Roster made, already at this version and in WAL mode: opening it
 * only reads, so it opens at once, and a check in the background reads every
 * page. Until that check has passed nothing is written (an edit made
 * meanwhile waits for it); a damaged file is then refused like a damaged read,
 * through roster_store_get_damage() and the "damaged" signal. */
static const char * const roster_pages[] = {
  "user", "task", "category", "taskcategorylink", "ix_user_username",
  "ix_task_owner_id", "ix_taskcategorylink_category_id", "roster_user_count",
};

static void
make_roster_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterStore) store = roster_store_open (path, &error);
  g_autoptr(RosterUser) ada = NULL;
  g_autoptr(RosterUser) bob = NULL;
  g_autoptr(RosterCategory) work = NULL;

  g_assert_no_error (error);
  ada = roster_store_create_user (store, "ada", &error);
  bob = roster_store_create_user (store, "bob", &error);
  work = roster_store_create_category (store, "work", NULL, &error);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(RosterTask) task = roster_store_create_task (store, i % 2 ? ada : bob, "a task", &error);

      g_assert_true (roster_store_tag_task (store, task, work, &error));
    }
  g_assert_no_error (error);
  /* Find's index caught up, so that nothing is left for the next open to write. */
  g_assert_true (_roster_store_find_catch_up_all (store, &error));
  g_assert_no_error (error);
}

static void
test_damaged_roster_file (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (roster_pages); i++)
    for (guint edit_at_once = 0; edit_at_once < 2; edit_at_once++)
      {
        g_autofree char *dir = roster_test_make_dir ("roster-safety-XXXXXX");
        g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
        g_autofree char *before = NULL;
        g_autofree char *after = NULL;
        g_autoptr(GError) error = NULL;
        RosterStore *store;
        guint damaged = 0;

        g_test_message ("damage on the page of %s, %s", roster_pages[i],
                        edit_at_once ? "an edit at once" : "no edit");
        make_roster_file (path);
        roster_test_raw_exec (path, "PRAGMA wal_checkpoint(TRUNCATE)");
        roster_test_damage_page (path, roster_pages[i], 0, 20);
        before = roster_test_file_digest (path);

        store = roster_store_open (path, &error);
        g_assert_no_error (error);
        g_signal_connect (store, "damaged", G_CALLBACK (damaged_cb), &damaged);
        if (edit_at_once)
          {
            /* Before the main loop ever ran: the edit waits for the check. */
            g_autoptr(RosterCategory) tag = roster_store_create_category (store, "home", NULL, &error);

            g_assert_null (tag);
            g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_A_DATABASE);
            g_clear_error (&error);
          }
        for (guint n = 0; damaged == 0 && n < 1000; n++)
          {
            g_main_context_iteration (NULL, FALSE);
            g_usleep (10000);
          }
        g_assert_cmpuint (damaged, ==, 1);
        g_assert_true (g_error_matches (roster_store_get_damage (store), ROSTER_ERROR,
                                        ROSTER_ERROR_NOT_A_DATABASE));
        g_assert_nonnull (strstr (roster_store_get_damage (store)->message, "roster.db"));
        g_assert_finalize_object (store);

        after = roster_test_file_digest (path);
        g_assert_cmpstr (after, ==, before);
        roster_test_remove_tree (dir);
      }
}

/* The same check passes a sound file: edits go through, at once or later. */
static void
test_sound_roster_file (void)
{
  g_autofree char *dir = roster_test_make_dir ("roster-safety-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
  g_autoptr(GError) error = NULL;
  RosterStore *store;

  make_roster_file (path);
  store = roster_store_open (path, &error);
  g_assert_no_error (error);
  {
    g_autoptr(RosterCategory) tag = roster_store_create_category (store, "home", NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (tag);
  }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (roster_store_get_damage (store));
  g_assert_finalize_object (store);
  g_assert_cmpint (roster_test_raw_int (path, "SELECT count(*) FROM category WHERE name = 'home'"), ==, 1);
  roster_test_remove_tree (dir);
}

/* ------------------------------------------------------------------------ */
/* Files Roster may not write                                                */

static void
test_read_only_flag (void)
{
  g_autofree char *dir = roster_test_make_dir ("roster-safety-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
  g_autofree char *digest = NULL;
  g_autoptr(GError) error = NULL;
  RosterStore *store = roster_store_open (path, &error);

  g_assert_no_error (error);
  g_object_unref (roster_store_create_user (store, "ada", &error));
  g_assert_finalize_object (store);
  digest = roster_test_file_digest (path);

  store = roster_store_open_full (path, ROSTER_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (roster_store_is_read_only (store));
  {
    g_autoptr(RosterUser) ada = roster_store_find_user (store, "ada");
    g_autoptr(GListModel) users = roster_store_list_users (store);

    g_assert_cmpuint (g_list_model_get_n_items (users), ==, 1);
    g_assert_false (roster_store_rename_user (store, ada, "bob", &error));
    g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_READ_ONLY);
    g_assert_nonnull (strstr (error->message, "read-only"));
    g_clear_error (&error);
    g_assert_null (roster_store_create_user (store, "carol", &error));
    g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_READ_ONLY);
    g_clear_error (&error);
    g_assert_cmpstr (roster_user_get_username (ada), ==, "ada");
  }
  g_assert_finalize_object (store);

  {
    g_autofree char *after = roster_test_file_digest (path);
    g_assert_cmpstr (after, ==, digest);
  }
  roster_test_remove_tree (dir);
}

/* Opens @path as a user who may not write it. Root ignores file modes, so as
 * root the check runs in a child that has given up root. Returns what the
 * child saw: 0 opened read-only and refused a change, anything else failed. */
static int
open_as_reader (const char *path)
{
  pid_t pid = fork ();
  int status = 0;

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autoptr(GError) error = NULL;
      RosterStore *store;

      if (geteuid () == 0 && (setgid (65534) != 0 || setuid (65534) != 0))
        _exit (10);
      store = roster_store_open (path, &error);
      if (store == NULL)
        _exit (11);
      if (!roster_store_is_read_only (store))
        _exit (12);
      if (roster_store_create_user (store, "intruder", &error) != NULL ||
          !g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_READ_ONLY))
        _exit (13);
      _exit (0);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
test_read_only_file (void)
{
  g_autofree char *dir = roster_test_make_dir ("roster-safety-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
  g_autofree char *digest = NULL;
  g_autoptr(GError) error = NULL;
  RosterStore *store = roster_store_open (path, &error);

  g_assert_no_error (error);
  g_object_unref (roster_store_create_user (store, "ada", &error));
  g_assert_finalize_object (store);
  /* A file in rollback-journal mode, readable by all, writable by its owner. */
  roster_test_raw_exec (path, "PRAGMA journal_mode = DELETE");
  g_chmod (dir, 0755);
  g_chmod (path, 0444);
  digest = roster_test_file_digest (path);

  g_assert_cmpint (open_as_reader (path), ==, 0);
  {
    g_autofree char *after = roster_test_file_digest (path);
    g_assert_cmpstr (after, ==, digest);
  }

  g_chmod (path, 0600);
  roster_test_remove_tree (dir);
}

static void
test_read_only_folder (void)
{
  g_autofree char *dir = roster_test_make_dir ("roster-safety-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
  g_autofree char *digest = NULL;
  g_autoptr(GError) error = NULL;
  RosterStore *store = roster_store_open (path, &error);

  g_assert_no_error (error);
  g_object_unref (roster_store_create_user (store, "ada", &error));
  g_assert_finalize_object (store);
  roster_test_raw_exec (path, "PRAGMA journal_mode = DELETE");
  /* The file itself is writable by all, but nothing can be created beside it. */
  g_chmod (path, 0666);
  g_chmod (dir, 0555);
  digest = roster_test_file_digest (path);

  if (geteuid () != 0)
    {
      g_assert_cmpint (open_as_reader (path), ==, 0);
    }
  else
    {
      int result = open_as_reader (path);
      /* As nobody: the folder refuses the WAL files, so read-only it is. */
      g_assert_cmpint (result, ==, 0);
    }
  {
    g_autofree char *after = roster_test_file_digest (path);
    g_assert_cmpstr (after, ==, digest);
  }

  g_chmod (dir, 0700);
  roster_test_remove_tree (dir);
}

/* ------------------------------------------------------------------------ */
/* A full disk                                                               */

static void
test_disk_full (void)
{
  g_autofree char *dir = roster_test_make_dir ("roster-safety-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterStore) store = roster_store_open (path, &error);
  g_autoptr(RosterUser) ada = NULL;
  g_autoptr(GListModel) tasks = NULL;
  g_autofree char *big = g_strnfill (3000, 'x');
  g_autofree char *before = NULL;
  sqlite3 *db;
  gint64 pages;
  guint n_before;
  RosterTask *task = NULL;

  g_assert_no_error (error);
  ada = roster_store_create_user (store, "ada", &error);
  tasks = roster_store_list_user_tasks (store, ada);

  /* No room for more pages than the file has now. */
  db = _roster_store_get_db (store);
  roster_test_raw_exec (path, "PRAGMA wal_checkpoint(TRUNCATE)");
  pages = roster_test_raw_int (path, "PRAGMA page_count");
  {
    g_autofree char *sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages);
    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  }

  for (guint i = 0; i < 100 && task == NULL; i++)
    {
      n_before = g_list_model_get_n_items (tasks);
      g_free (before);
      before = roster_test_dump_lenient (path);
      task = roster_store_create_task (store, ada, big, &error);
      if (task != NULL)
        g_clear_object (&task);
      else
        break;
    }

  /* The write failed with words a person understands… */
  g_assert_null (task);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_DISK_FULL);
  g_assert_nonnull (strstr (error->message, "disk"));
  g_clear_error (&error);
  /* …and neither the file nor the objects changed. */
  {
    g_autofree char *after = roster_test_dump_lenient (path);
    g_assert_cmpstr (after, ==, before);
  }
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, n_before);
  g_assert_cmpuint (roster_user_get_n_tasks (ada), ==, n_before);
  g_assert_cmpint (roster_test_raw_int (path, "SELECT integrity_check = 'ok' FROM pragma_integrity_check"), ==, 1);

  /* Once there is room, the same edit goes through. */
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA max_page_count = 1000000", NULL, NULL, NULL), ==, SQLITE_OK);
  task = roster_store_create_task (store, ada, big, &error);
  g_assert_no_error (error);
  g_assert_nonnull (task);
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, n_before + 1);
  g_clear_object (&task);

  g_clear_object (&tasks);
  g_clear_object (&ada);
  g_clear_object (&store);
  roster_test_remove_tree (dir);
}

/* ------------------------------------------------------------------------ */
/* Another program                                                           */

static void
count_cb (GListModel *model, guint position, guint removed, guint added, guint *count)
{
  (*count)++;
}

static void
test_outside_changes (void)
{
  g_autofree char *dir = roster_test_make_dir ("roster-safety-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterStore) store = roster_store_open (path, &error);
  g_autoptr(RosterUser) ada = NULL;
  g_autoptr(RosterTask) one = NULL;
  g_autoptr(RosterTask) two = NULL;
  g_autoptr(GListModel) users = NULL;
  g_autoptr(GListModel) tasks = NULL;
  guint users_changed = 0, tasks_changed = 0;

  g_assert_no_error (error);
  ada = roster_store_create_user (store, "ada", &error);
  one = roster_store_create_task (store, ada, "one", &error);
  two = roster_store_create_task (store, ada, "two", &error);
  users = roster_store_list_users (store);
  tasks = roster_store_list_user_tasks (store, ada);
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 1);
  g_signal_connect (users, "items-changed", G_CALLBACK (count_cb), &users_changed);
  g_signal_connect (tasks, "items-changed", G_CALLBACK (count_cb), &tasks_changed);

  /* Nothing from outside yet. */
  g_assert_false (roster_store_refresh (store));

  /* The sqlite3 shell, say, adds a user, renames a task and deletes another. */
  roster_test_raw_exec (path, "INSERT INTO user (username) VALUES ('bob');"
                  "UPDATE task SET title = 'uno' WHERE title = 'one';"
                  "DELETE FROM task WHERE title = 'two';");
  g_assert_true (roster_store_refresh (store));

  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 2);
  g_assert_cmpuint (users_changed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 1);
  g_assert_cmpuint (tasks_changed, ==, 1);
  g_assert_cmpstr (roster_task_get_title (one), ==, "uno");
  g_assert_cmpuint (roster_user_get_n_tasks (ada), ==, 1);
  /* Undo could now clobber the other program's work: it is gone. */
  g_assert_false (roster_store_get_can_undo (store));

  /* Our own writes still work and are not mistaken for outside ones. */
  g_assert_true (roster_store_set_task_done (store, one, TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (roster_store_refresh (store));
  g_assert_cmpint (roster_test_raw_int (path, "SELECT done FROM task WHERE title = 'uno'"), ==, 1);

  g_clear_object (&tasks);
  g_clear_object (&users);
  g_clear_object (&store);
  roster_test_remove_tree (dir);
}

static void
test_locked_file (void)
{
  g_autofree char *dir = roster_test_make_dir ("roster-safety-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterStore) store = roster_store_open (path, &error);
  g_autoptr(RosterUser) ada = NULL;
  sqlite3 *other = NULL;

  g_assert_no_error (error);
  ada = roster_store_create_user (store, "ada", &error);
  sqlite3_busy_timeout (_roster_store_get_db (store), 100);

  /* Another writer holds the write lock longer than Roster waits. */
  g_assert_cmpint (sqlite3_open (path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_false (roster_store_rename_user (store, ada, "ada lovelace", &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_cmpstr (roster_user_get_username (ada), ==, "ada");

  /* When the lock goes, the same edit, retried, is saved. */
  g_assert_cmpint (sqlite3_exec (other, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  g_assert_true (roster_store_rename_user (store, ada, "ada lovelace", &error));
  g_assert_no_error (error);
  {
    g_autofree char *name = roster_test_raw_text (path, "SELECT username FROM user");
    g_assert_cmpstr (name, ==, "ada lovelace");
  }

  g_clear_object (&ada);
  g_clear_object (&store);
  roster_test_remove_tree (dir);
}

/* ------------------------------------------------------------------------ */
/* Hostile input                                                             */

static void
test_exact_text (void)
{
  g_autofree char *dir = roster_test_make_dir ("roster-safety-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterStore) store = roster_store_open (path, &error);
  g_autoptr(RosterUser) owner = NULL;
  GString *megabyte = g_string_new (NULL);
  const char *texts[] = {
    "Robert'); DROP TABLE task;--",
    "%s %n %x \\ \" ' ` ; -- /* */",
    "bell\a tab\t cr\r nl\n esc\x1b del\x7f",
    "עברית مرحبا mixed \u202e reversed",
    "emoji 👩‍👩‍👧‍👦 🇩🇪 ✅",
    "combining: e\u0301 vs \u00e9, a\u0308\u0304",
    "zero\u200bwidth\ufeffjoiner",
    NULL,  /* the megabyte */
  };

  g_assert_no_error (error);
  owner = roster_store_create_user (store, "Robert'); DROP TABLE user;--", &error);
  g_assert_no_error (error);

  while (megabyte->len < 1024 * 1024)
    g_string_append (megabyte, "Ünïcödé and ascii, over and over. ");
  texts[G_N_ELEMENTS (texts) - 1] = megabyte->str;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(RosterTask) task = roster_store_create_task (store, owner, texts[i], &error);
      g_autofree char *sql = NULL;
      g_autofree char *stored = NULL;

      g_assert_no_error (error);
      g_assert_true (roster_store_set_task_notes (store, task, texts[i], &error));
      g_assert_no_error (error);
      g_assert_cmpstr (roster_task_get_title (task), ==, texts[i]);

      sql = g_strdup_printf ("SELECT title = notes FROM task WHERE id = %" G_GINT64_FORMAT,
                             roster_task_get_id (task));
      g_assert_cmpint (roster_test_raw_int (path, sql), ==, 1);
      g_free (sql);
      sql = g_strdup_printf ("SELECT title FROM task WHERE id = %" G_GINT64_FORMAT,
                             roster_task_get_id (task));
      stored = roster_test_raw_text (path, sql);
      g_assert_cmpstr (stored, ==, texts[i]);
    }

  /* Nothing was executed: every table is still there, with what it should hold. */
  g_assert_cmpint (roster_test_raw_int (path, "SELECT count(*) FROM task"), ==, G_N_ELEMENTS (texts));
  g_assert_cmpint (roster_test_raw_int (path, "SELECT count(*) FROM user"), ==, 1);
  {
    g_autoptr(RosterCategory) tag = roster_store_create_category (store, "'; DELETE FROM category; --", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (roster_test_raw_int (path, "SELECT count(*) FROM category"), ==, 1);
  }

  g_string_free (megabyte, TRUE);
  g_clear_object (&owner);
  g_clear_object (&store);
  roster_test_remove_tree (dir);
}

/* Only bound parameters reach SQLite: no SQL is ever built from a value. */
static void
test_no_sql_built_from_values (void)
{
  const char *files[] = { "roster-store.c", "roster-change.c", "roster-schema.c", "roster-backup.c" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "src", "model", files[i], NULL);
      g_autofree char *source = NULL;
      g_auto(GStrv) lines = NULL;

      g_assert_true (g_file_get_contents (path, &source, NULL, NULL));
      lines = g_strsplit (source, "\n", -1);
      for (guint l = 0; lines[l] != NULL; l++)
        {
          const char *line = lines[l];
          gboolean formats = strstr (line, "printf") != NULL;
          gboolean sql = strstr (line, "SELECT") || strstr (line, "INSERT") ||
                         strstr (line, "UPDATE") || strstr (line, "DELETE");

          /* The only formatted statements are PRAGMAs with numbers of ours. */
          if (formats && sql)
            g_error ("%s:%u builds SQL with printf: %s", files[i], l + 1, line);
          if (strstr (line, "sqlite3_mprintf") || strstr (line, "sqlite3_snprintf"))
            g_error ("%s:%u builds SQL: %s", files[i], l + 1, line);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/safety/backup/before-migration", test_backup_before_migration);
  g_test_add_func ("/safety/backup/daily", test_backup_daily);
  g_test_add_func ("/safety/backup/restore", test_backup_restore);
  g_test_add_func ("/safety/backup/restore-over-damaged", test_backup_restore_over_damaged);
  g_test_add_func ("/safety/damaged-page", test_damaged_page);
  g_test_add_func ("/safety/damaged-at-open/seed-file", test_damaged_seed_file);
  g_test_add_func ("/safety/damaged-at-open/roster-file", test_damaged_roster_file);
  g_test_add_func ("/safety/damaged-at-open/sound-roster-file", test_sound_roster_file);
  g_test_add_func ("/safety/read-only/flag", test_read_only_flag);
  g_test_add_func ("/safety/read-only/file", test_read_only_file);
  g_test_add_func ("/safety/read-only/folder", test_read_only_folder);
  g_test_add_func ("/safety/disk-full", test_disk_full);
  g_test_add_func ("/safety/outside-changes", test_outside_changes);
  g_test_add_func ("/safety/locked-file", test_locked_file);
  g_test_add_func ("/safety/input/exact-text", test_exact_text);
  g_test_add_func ("/safety/input/bound-parameters-only", test_no_sql_built_from_values);

  return g_test_run ();
}
