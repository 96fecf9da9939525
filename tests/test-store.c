/* test-store.c: the model layer against real SQLite files.
 *
 * Every test works on a file in a fresh temporary directory and checks what a
 * user of the store would notice: the rows in the file (read through a second,
 * independent connection), the objects, and the exact items-changed of the
 * live lists.
 */
#define G_LOG_DOMAIN "test-store"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "roster-model.h"
#include "roster-store-private.h"
#include "roster-test-util.h"

/* ------------------------------------------------------------------------ */
/* Fixtures and helpers                                                      */

typedef struct
{
  char        *dir;
  char        *path;
  RosterStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = roster_test_make_dir ("roster-test-XXXXXX");
  f->path = g_build_filename (f->dir, "roster.db", NULL);
  if (data == NULL)
    {
      f->store = roster_store_open (f->path, &error);
      g_assert_no_error (error);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->store != NULL)
    g_assert_finalize_object (g_steal_pointer (&f->store));
  roster_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
reopen (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  if (f->store != NULL)
    g_assert_finalize_object (g_steal_pointer (&f->store));
  f->store = roster_store_open (f->path, &error);
  g_assert_no_error (error);
}

/* Every items-changed of a list, and one of them (roster-test-util.h). */
#define record        roster_test_record_changes
#define assert_change roster_test_assert_change

/* The usernames, titles or names of a list, joined with commas. */
static char *
names (GListModel *model)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (i > 0)
        g_string_append_c (out, ',');
      if (ROSTER_IS_USER (item))
        g_string_append (out, roster_user_get_username (ROSTER_USER (item)));
      else if (ROSTER_IS_TASK (item))
        g_string_append (out, roster_task_get_title (ROSTER_TASK (item)));
      else
        g_string_append (out, roster_category_get_name (ROSTER_CATEGORY (item)));
    }
  return g_string_free (out, FALSE);
}

#define assert_names(model, expected) \
  G_STMT_START { g_autofree char *_n = names (G_LIST_MODEL (model)); \
                 g_assert_cmpstr (_n, ==, expected); } G_STMT_END

static RosterUser *
user (Fixture    *f,
      const char *name)
{
  g_autoptr(GError) error = NULL;
  RosterUser *u = roster_store_create_user (f->store, name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (u);
  return u;
}

static RosterTask *
task (Fixture    *f,
      RosterUser *owner,
      const char *title)
{
  g_autoptr(GError) error = NULL;
  RosterTask *t = roster_store_create_task (f->store, owner, title, &error);

  g_assert_no_error (error);
  g_assert_nonnull (t);
  return t;
}

static RosterCategory *
category (Fixture    *f,
          const char *name)
{
  g_autoptr(GError) error = NULL;
  RosterCategory *c = roster_store_create_category (f->store, name, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (c);
  return c;
}

static void
tag (Fixture        *f,
     RosterTask     *t,
     RosterCategory *c)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (roster_store_tag_task (f->store, t, c, &error));
  g_assert_no_error (error);
}

static void
counter_cb (GObject    *object,
            GParamSpec *pspec,
            guint      *count)
{
  (*count)++;
}

/* The rows of a file as the seed's SQLModel classes leave it (with their DDL). */
static const char seed_rows[] =
  "INSERT INTO user (id, username) VALUES (1, 'ada'), (2, 'grace');"
  "INSERT INTO task (id, title, owner_id) VALUES (1, 'Write notes', 1), (2, 'Debug', 2),"
  " (3, 'Compile', 1);"
  "INSERT INTO category (id, name) VALUES (1, 'work'), (2, 'home');"
  "INSERT INTO taskcategorylink (task_id, category_id) VALUES (1, 1), (1, 2), (2, 1);";

/* ------------------------------------------------------------------------ */
/* The schema                                                                */

static char *
schema_of (const char *path,
           const char *where)
{
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT sql FROM sqlite_master WHERE %s ORDER BY rowid", where);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (sqlite3_column_text (stmt, 0) != NULL)
      g_string_append_printf (out, "%s;\n", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

static void
test_schema_new_file (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *seed_path = g_build_filename (f->dir, "seed.db", NULL);
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  struct stat st;

  /* The same file as the seed's classes make, once migrated. */
  roster_test_write_seed_file (seed_path, seed_rows);
  roster_test_raw_exec (seed_path, "DELETE FROM taskcategorylink; DELETE FROM task; DELETE FROM user; DELETE FROM category;");
  g_assert_finalize_object (roster_store_open (seed_path, NULL));
  ours = schema_of (f->path, "1");
  theirs = schema_of (seed_path, "1");
  g_assert_cmpstr (ours, ==, theirs);

  /* The seed's DDL is there to the letter… */
  {
    g_autofree char *ddl = NULL;
    g_autofree char *ddl_path = g_test_build_filename (G_TEST_DIST, "data", "seed-schema.sql", NULL);
    g_auto(GStrv) statements = NULL;

    g_assert_true (g_file_get_contents (ddl_path, &ddl, NULL, NULL));
    statements = g_strsplit (ddl, ";\n", -1);
    for (guint i = 0; statements[i] != NULL; i++)
      {
        g_autofree char *statement = g_strstrip (g_strdup (statements[i]));
        g_autofree char *sql = NULL;

        if (*statement == '\0')
          continue;
        /* What ALTER TABLE appends does not change the seed's lines before it. */
        g_assert_nonnull (strstr (ours, statement) ? statement
                          : (g_str_has_prefix (statement, "CREATE TABLE task") ||
                             g_str_has_prefix (statement, "CREATE TABLE category"))
                            ? statement : NULL);
      }
  }

  /* …with Roster's indexes and defaults added. */
  g_assert_nonnull (strstr (ours, "CREATE INDEX ix_task_owner_id ON task (owner_id, position)"));
  g_assert_nonnull (strstr (ours, "CREATE INDEX ix_taskcategorylink_category_id ON taskcategorylink (category_id, task_id)"));
  g_assert_nonnull (strstr (ours, "done BOOLEAN NOT NULL DEFAULT 0"));
  g_assert_nonnull (strstr (ours, "color VARCHAR NOT NULL DEFAULT '#3584e4'"));

  g_assert_cmpint (roster_test_raw_int (f->path, "PRAGMA user_version"), ==, ROSTER_SCHEMA_VERSION);
  g_assert_cmpint (roster_test_raw_int (f->path, "PRAGMA application_id"), ==, ROSTER_APPLICATION_ID);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), ==, 1);

  /* Private to the user. */
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_schema_private_folder (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "deep", "er", "roster.db", NULL);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterStore) store = roster_store_open (path, &error);
  struct stat st;

  g_assert_no_error (error);
  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
}

static void
test_schema_seed_file (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) ada = NULL;
  g_autoptr(GListModel) tasks = NULL;
  g_autoptr(RosterTask) first = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  roster_test_write_seed_file (f->path, seed_rows);
  before = schema_of (f->path, "name = 'user'");
  f->store = roster_store_open (f->path, &error);
  g_assert_no_error (error);

  /* Nothing lost, everything reachable through the relationships. */
  ada = roster_store_find_user (f->store, "ada");
  g_assert_nonnull (ada);
  tasks = roster_store_list_user_tasks (f->store, ada);
  assert_names (tasks, "Write notes,Compile");
  first = g_list_model_get_item (tasks, 0);
  g_assert_false (roster_task_get_done (first));
  g_assert_cmpstr (roster_task_get_notes (first), ==, "");
  g_assert_null (roster_task_get_due_date (first));
  {
    g_autoptr(GListModel) tags = roster_store_list_task_categories (f->store, first);
    assert_names (tags, "home,work");
  }
  g_assert_cmpint (roster_test_raw_int (f->path, "PRAGMA user_version"), ==, ROSTER_SCHEMA_VERSION);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM taskcategorylink"), ==, 3);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM category WHERE color = '#3584e4'"), ==, 2);
  after = schema_of (f->path, "name = 'user'");
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (roster_store_get_problems (f->store)->len, ==, 0);

  /* A row the seed's classes add later (they know only id, title, owner_id)
   * is a valid Roster row. */
  roster_test_raw_exec (f->path, "INSERT INTO task (title, owner_id) VALUES ('Added by SQLModel', 2)");
  g_clear_object (&first);
  g_clear_object (&tasks);
  reopen (f);
  {
    g_autoptr(RosterUser) grace = roster_store_find_user (f->store, "grace");
    g_autoptr(GListModel) grace_tasks = roster_store_list_user_tasks (f->store, grace);
    assert_names (grace_tasks, "Debug,Added by SQLModel");
  }
}

static void
assert_refused_untouched (Fixture    *f,
                          int         code)
{
  g_autofree char *before = roster_test_file_digest (f->path);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  RosterStore *store = roster_store_open (f->path, &error);

  g_assert_null (store);
  g_assert_error (error, ROSTER_ERROR, code);
  g_assert_nonnull (strstr (error->message, "roster.db"));
  after = roster_test_file_digest (f->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_schema_newer_refused (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = 99; PRAGMA application_id = %d",
                                          ROSTER_APPLICATION_ID);

  roster_test_write_seed_file (f->path, seed_rows);
  roster_test_raw_exec (f->path, sql);
  assert_refused_untouched (f, ROSTER_ERROR_NEWER_VERSION);
}

static void
test_schema_foreign_refused (Fixture       *f,
                             gconstpointer  data)
{
  roster_test_raw_exec (f->path, "CREATE TABLE song (id INTEGER PRIMARY KEY, title TEXT)");
  assert_refused_untouched (f, ROSTER_ERROR_NOT_ROSTER);

  roster_test_raw_exec (f->path, "PRAGMA application_id = 42");
  assert_refused_untouched (f, ROSTER_ERROR_NOT_ROSTER);
}

static void
test_schema_garbage_refused (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  char bytes[4096];

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = (char) g_test_rand_int_range (0, 256);
  g_assert_true (g_file_set_contents (f->path, bytes, sizeof bytes, &error));
  assert_refused_untouched (f, ROSTER_ERROR_NOT_A_DATABASE);
}

/* A Roster file cut short (a copy that stopped half way, a full disk):
 * refused with a clear error, and left as it was. */
static void
test_schema_truncated_refused (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  {
    g_autoptr(RosterStore) store = roster_store_open (f->path, &error);
    g_autoptr(RosterUser) ada = NULL;

    g_assert_no_error (error);
    ada = roster_store_create_user (store, "Ada", &error);
    roster_store_begin_batch (store, "fill");
    for (guint i = 0; i < 2000; i++)
      {
        g_autofree char *title = g_strdup_printf ("Task number %u, with a title long enough to fill pages", i);

        g_object_unref (roster_store_create_task (store, ada, title, &error));
      }
    g_assert_true (roster_store_commit_batch (store, &error));
    g_assert_no_error (error);
  }

  g_assert_true (g_file_get_contents (f->path, &contents, &length, &error));
  g_assert_cmpuint (length, >, 16 * 4096);
  /* The first four pages only: the header and the schema, not the tables. */
  g_assert_true (g_file_set_contents (f->path, contents, 4 * 4096, &error));
  assert_refused_untouched (f, ROSTER_ERROR_NOT_A_DATABASE);
}

static void
test_schema_directory_refused (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  RosterStore *store = roster_store_open (f->dir, &error);

  g_assert_null (store);
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_A_DATABASE);
}

static void
test_schema_broken_foreign_keys (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *problems;

  roster_test_write_seed_file (f->path, seed_rows);
  roster_test_raw_exec (f->path, "INSERT INTO task (id, title, owner_id) VALUES (9, 'Orphan', 77);"
                     "INSERT INTO taskcategorylink (task_id, category_id) VALUES (2, 55)");
  f->store = roster_store_open (f->path, &error);
  g_assert_no_error (error);

  /* Reported, not dropped. */
  problems = roster_store_get_problems (f->store);
  g_assert_cmpuint (problems->len, ==, 2);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task WHERE id = 9"), ==, 1);

  {
    g_autoptr(RosterTask) orphan = roster_store_get_task (f->store, 9, &error);
    g_assert_no_error (error);
    g_assert_null (roster_task_get_owner (orphan));
    g_assert_cmpint (roster_task_get_owner_id (orphan), ==, 77);
  }
  {
    /* The link to a missing category is left out of the list. */
    g_autoptr(RosterTask) debug = roster_store_get_task (f->store, 2, &error);
    g_autoptr(GListModel) tags = roster_store_list_task_categories (f->store, debug);
    assert_names (tags, "work");
  }

  /* Rows broken later (by the seed's classes, say) show in a check on demand. */
  roster_test_raw_exec (f->path, "INSERT INTO task (id, title, owner_id) VALUES (10, 'Another orphan', 78)");
  {
    g_autoptr(GPtrArray) found = roster_store_check_file (f->path, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 3);
  }
}

/* ------------------------------------------------------------------------ */
/* Identity and relationships                                                */

static void
test_identity (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(RosterUser) ada = user (f, "ada");
  g_autoptr(RosterTask) t = task (f, ada, "one");
  g_autoptr(RosterTask) again = roster_store_get_task (f->store, roster_task_get_id (t), NULL);
  g_autoptr(GListModel) tasks = roster_store_list_user_tasks (f->store, ada);
  g_autoptr(GListModel) same = roster_store_list_user_tasks (f->store, ada);
  g_autoptr(RosterTask) item = g_list_model_get_item (tasks, 0);
  g_autoptr(RosterUser) ada2 = roster_store_find_user (f->store, "ada");
  g_autoptr(GListModel) users = roster_store_list_users (f->store);
  g_autoptr(RosterUser) listed = g_list_model_get_item (users, 0);

  g_assert_true (t == again);
  g_assert_true (t == item);
  g_assert_true (tasks == same);
  g_assert_true (ada == ada2);
  g_assert_true (ada == listed);
  g_assert_true (roster_task_get_owner (t) == ada);
  g_assert_true (g_list_model_get_item_type (tasks) == ROSTER_TYPE_TASK);
  g_assert_true (g_list_model_get_item_type (users) == ROSTER_TYPE_USER);
  g_assert_null (g_list_model_get_item (tasks, 1));
}

static void
test_users_list (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GListModel) users = roster_store_list_users (f->store);
  GArray *changes;
  g_autoptr(RosterUser) carol = NULL;
  g_autoptr(RosterUser) alice = NULL;
  g_autoptr(RosterUser) bob = NULL;
  g_autoptr(GError) error = NULL;
  guint notified = 0;

  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 0);
  changes = record (users);

  carol = user (f, "carol");
  alice = user (f, "alice");
  bob = user (f, "bob");
  assert_names (users, "alice,bob,carol");
  g_assert_cmpuint (changes->len, ==, 3);
  assert_change (changes, 0, 0, 0, 1);
  assert_change (changes, 1, 0, 0, 1);
  assert_change (changes, 2, 1, 0, 1);

  /* A rename that moves a row is one emission covering the rows between. */
  g_signal_connect (alice, "notify::username", G_CALLBACK (counter_cb), &notified);
  g_assert_true (roster_store_rename_user (f->store, alice, "dave", &error));
  g_assert_no_error (error);
  assert_names (users, "bob,carol,dave");
  g_assert_cmpuint (changes->len, ==, 4);
  assert_change (changes, 3, 0, 3, 3);
  g_assert_cmpuint (notified, ==, 1);

  /* Renaming to the same name changes nothing and records nothing. */
  g_assert_true (roster_store_rename_user (f->store, alice, "dave", &error));
  g_assert_cmpuint (changes->len, ==, 4);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (roster_store_get_undo_label (f->store), ==, "Rename user “alice”");

  g_assert_true (roster_store_delete_user (f->store, carol, ROSTER_DELETE_USER_ONLY, NULL, &error));
  g_assert_no_error (error);
  assert_names (users, "bob,dave");
  assert_change (changes, 4, 1, 1, 0);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM user"), ==, 2);
}

static void
test_move_task (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(RosterUser) ada = user (f, "ada");
  g_autoptr(RosterUser) bob = user (f, "bob");
  g_autoptr(RosterTask) t1 = task (f, ada, "one");
  g_autoptr(RosterTask) t2 = task (f, ada, "two");
  g_autoptr(RosterTask) t3 = task (f, bob, "three");
  g_autoptr(GListModel) ada_tasks = roster_store_list_user_tasks (f->store, ada);
  g_autoptr(GListModel) bob_tasks = roster_store_list_user_tasks (f->store, bob);
  g_autoptr(GError) error = NULL;
  GArray *ada_changes, *bob_changes;
  guint owner_notified = 0;

  assert_names (ada_tasks, "one,two");
  assert_names (bob_tasks, "three");
  g_assert_cmpuint (roster_user_get_n_tasks (ada), ==, 2);
  g_assert_cmpuint (roster_user_get_n_open_tasks (bob), ==, 1);
  ada_changes = record (ada_tasks);
  bob_changes = record (bob_tasks);
  g_signal_connect (t1, "notify::owner", G_CALLBACK (counter_cb), &owner_notified);

  g_assert_true (roster_store_move_task (f->store, t1, bob, &error));
  g_assert_no_error (error);

  assert_names (ada_tasks, "two");
  assert_names (bob_tasks, "three,one");
  g_assert_cmpuint (ada_changes->len, ==, 1);
  assert_change (ada_changes, 0, 0, 1, 0);
  g_assert_cmpuint (bob_changes->len, ==, 1);
  assert_change (bob_changes, 0, 1, 0, 1);
  g_assert_cmpuint (owner_notified, ==, 1);
  g_assert_true (roster_task_get_owner (t1) == bob);
  g_assert_cmpuint (roster_user_get_n_tasks (ada), ==, 1);
  g_assert_cmpuint (roster_user_get_n_tasks (bob), ==, 2);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT owner_id FROM task WHERE title = 'one'"), ==,
                   roster_user_get_id (bob));

  /* Undo puts it back where it was, in both lists. */
  g_assert_true (roster_store_undo (f->store, &error));
  g_assert_no_error (error);
  assert_names (ada_tasks, "one,two");
  assert_names (bob_tasks, "three");
  g_assert_true (roster_task_get_owner (t1) == ada);
  g_assert_cmpuint (owner_notified, ==, 2);
  g_assert_cmpuint (roster_user_get_n_tasks (ada), ==, 2);
  (void) t2; (void) t3;
}

static void
test_done_and_counts (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RosterUser) ada = user (f, "ada");
  g_autoptr(RosterTask) t = task (f, ada, "one");
  g_autoptr(RosterTask) t2 = task (f, ada, "two");
  g_autoptr(GError) error = NULL;
  guint done_notified = 0, open_notified = 0;

  g_assert_cmpuint (roster_user_get_n_open_tasks (ada), ==, 2);
  g_signal_connect (t, "notify::done", G_CALLBACK (counter_cb), &done_notified);
  g_signal_connect (ada, "notify::n-open-tasks", G_CALLBACK (counter_cb), &open_notified);

  g_assert_true (roster_store_set_task_done (f->store, t, TRUE, &error));
  g_assert_true (roster_store_set_task_done (f->store, t, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (roster_task_get_done (t));
  g_assert_cmpuint (done_notified, ==, 1);
  g_assert_cmpuint (open_notified, ==, 1);
  g_assert_cmpuint (roster_user_get_n_open_tasks (ada), ==, 1);
  g_assert_cmpuint (roster_user_get_n_tasks (ada), ==, 2);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT done FROM task WHERE title = 'one'"), ==, 1);

  /* One undo step for the one real change. */
  g_assert_true (roster_store_undo (f->store, NULL));
  g_assert_false (roster_task_get_done (t));
  g_assert_cmpuint (roster_user_get_n_open_tasks (ada), ==, 2);
  g_assert_true (roster_store_undo (f->store, NULL));   /* creating "two" */
  g_assert_cmpuint (roster_user_get_n_open_tasks (ada), ==, 1);
  (void) t2;
}

static void
test_task_fields (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(RosterUser) ada = user (f, "ada");
  g_autoptr(RosterTask) t = task (f, ada, "one");
  g_autoptr(GDateTime) due = g_date_time_new_local (2026, 12, 24, 18, 30, 0);
  g_autoptr(GError) error = NULL;
  guint notified = 0;

  g_signal_connect (t, "notify", G_CALLBACK (counter_cb), &notified);
  g_assert_true (roster_store_set_task_title (f->store, t, "uno", &error));
  g_assert_true (roster_store_set_task_notes (f->store, t, "line 1\nline 2 ☃", &error));
  g_assert_true (roster_store_set_task_due_date (f->store, t, due, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 3);

  g_assert_cmpstr (roster_task_get_title (t), ==, "uno");
  g_assert_cmpstr (roster_task_get_notes (t), ==, "line 1\nline 2 ☃");
  g_assert_cmpint (g_date_time_get_day_of_month (roster_task_get_due_date (t)), ==, 24);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT due_date = '2026-12-24' FROM task"), ==, 1);

  g_assert_true (roster_store_set_task_due_date (f->store, t, NULL, &error));
  g_assert_null (roster_task_get_due_date (t));
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT due_date IS NULL FROM task"), ==, 1);

  /* Survives closing and opening again. */
  g_clear_object (&t);
  g_clear_object (&ada);
  reopen (f);
  t = roster_store_get_task (f->store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (roster_task_get_title (t), ==, "uno");
  g_assert_cmpstr (roster_task_get_notes (t), ==, "line 1\nline 2 ☃");
}

static void
test_tags (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(RosterUser) ada = user (f, "ada");
  g_autoptr(RosterUser) bob = user (f, "bob");
  g_autoptr(RosterTask) t1 = task (f, ada, "one");
  g_autoptr(RosterTask) t2 = task (f, bob, "two");
  g_autoptr(RosterCategory) work = category (f, "work");
  g_autoptr(RosterCategory) home = category (f, "home");
  g_autoptr(GListModel) t1_tags = roster_store_list_task_categories (f->store, t1);
  g_autoptr(GListModel) work_tasks = roster_store_list_category_tasks (f->store, work);
  g_autoptr(GListModel) all = roster_store_list_categories (f->store);
  g_autoptr(GError) error = NULL;
  GArray *tag_changes, *work_changes, *all_changes;

  assert_names (all, "home,work");
  g_assert_cmpuint (g_list_model_get_n_items (t1_tags), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (work_tasks), ==, 0);
  tag_changes = record (t1_tags);
  work_changes = record (work_tasks);
  all_changes = record (all);

  tag (f, t1, work);
  tag (f, t1, home);
  tag (f, t2, work);
  tag (f, t2, work);   /* twice: nothing more */
  assert_names (t1_tags, "home,work");
  assert_names (work_tasks, "one,two");
  g_assert_cmpuint (tag_changes->len, ==, 2);
  assert_change (tag_changes, 0, 0, 0, 1);
  assert_change (tag_changes, 1, 0, 0, 1);
  g_assert_cmpuint (work_changes->len, ==, 2);
  g_assert_cmpuint (roster_category_get_n_tasks (work), ==, 2);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM taskcategorylink"), ==, 3);

  /* A tag gathers every user's tasks, in position order, and follows moves. */
  g_assert_true (roster_store_untag_task (f->store, t1, home, &error));
  g_assert_no_error (error);
  assert_names (t1_tags, "work");

  /* Deleting a category removes it from every task's tags. */
  g_assert_true (roster_store_delete_category (f->store, work, &error));
  g_assert_no_error (error);
  assert_names (t1_tags, "");
  assert_names (all, "home");
  assert_names (work_tasks, "");
  assert_change (all_changes, 0, 1, 1, 0);
  g_assert_cmpuint (work_changes->len, ==, 3);
  assert_change (work_changes, 2, 0, 2, 0);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM taskcategorylink"), ==, 0);

  /* Undo brings back the same object and its links. */
  g_assert_true (roster_store_undo (f->store, &error));
  g_assert_no_error (error);
  assert_names (all, "home,work");
  assert_names (t1_tags, "work");
  assert_names (work_tasks, "one,two");
  {
    g_autoptr(RosterCategory) again = g_list_model_get_item (all, 1);
    g_assert_true (again == work);
  }

  /* Renaming a tag re-sorts it in the tasks' lists. */
  g_assert_true (roster_store_tag_task (f->store, t1, home, &error));
  assert_names (t1_tags, "home,work");
  g_assert_true (roster_store_rename_category (f->store, work, "act", &error));
  g_assert_no_error (error);
  assert_names (t1_tags, "act,home");
  g_assert_true (roster_store_set_category_color (f->store, work, "#E01B24", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (roster_category_get_color (work), ==, "#e01b24");
}

static void
test_reorder (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(RosterUser) ada = user (f, "ada");
  g_autoptr(GListModel) tasks = roster_store_list_user_tasks (f->store, ada);
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterTask) a = task (f, ada, "a");
  g_autoptr(RosterTask) b = task (f, ada, "b");
  g_autoptr(RosterTask) c = task (f, ada, "c");
  g_autoptr(RosterTask) d = task (f, ada, "d");
  GArray *changes = record (tasks);
  g_autofree char *before = roster_test_dump (f->path);

  g_assert_true (roster_store_reorder_task (f->store, d, 0, &error));
  g_assert_no_error (error);
  assert_names (tasks, "d,a,b,c");
  assert_change (changes, 0, 0, 4, 4);
  g_assert_true (roster_store_reorder_task (f->store, d, 2, &error));
  assert_names (tasks, "a,b,d,c");
  g_assert_true (roster_store_reorder_task (f->store, a, 99, &error));
  assert_names (tasks, "b,d,c,a");
  /* Moving one step down is one emission over the two rows. */
  g_assert_true (roster_store_reorder_task (f->store, b, 1, &error));
  assert_names (tasks, "d,b,c,a");
  assert_change (changes, changes->len - 1, 0, 2, 2);

  for (guint i = 0; i < 4; i++)
    g_assert_true (roster_store_undo (f->store, &error));
  assert_names (tasks, "a,b,c,d");
  {
    g_autofree char *after = roster_test_dump (f->path);
    g_assert_cmpstr (before, ==, after);
  }
}

static void
test_reorder_without_gaps (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) ada = NULL;
  g_autoptr(GListModel) tasks = NULL;
  g_autoptr(RosterTask) compile = NULL;

  /* The seed's rows all have position 0: order is by id until reordered. */
  roster_test_write_seed_file (f->path, seed_rows);
  roster_test_raw_exec (f->path, "INSERT INTO task (id, title, owner_id) VALUES (4, 'Test', 1), (5, 'Ship', 1)");
  f->store = roster_store_open (f->path, &error);
  g_assert_no_error (error);
  ada = roster_store_find_user (f->store, "ada");
  tasks = roster_store_list_user_tasks (f->store, ada);
  assert_names (tasks, "Write notes,Compile,Test,Ship");

  compile = g_list_model_get_item (tasks, 1);
  g_assert_true (roster_store_reorder_task (f->store, compile, 2, &error));
  g_assert_no_error (error);
  assert_names (tasks, "Write notes,Test,Compile,Ship");
  g_clear_object (&compile);
  g_clear_object (&tasks);
  reopen (f);
  {
    g_autoptr(RosterUser) ada2 = roster_store_find_user (f->store, "ada");
    g_autoptr(GListModel) tasks2 = roster_store_list_user_tasks (f->store, ada2);
    assert_names (tasks2, "Write notes,Test,Compile,Ship");
  }
}

/* ------------------------------------------------------------------------ */
/* Rules and errors                                                          */

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(RosterUser) ada = user (f, "ada");
  g_autoptr(RosterTask) t = task (f, ada, "one");
  g_autoptr(RosterCategory) work = category (f, "work");
  g_autoptr(GListModel) users = roster_store_list_users (f->store);
  g_autofree char *before = roster_test_dump (f->path);
  g_autofree char *undo_label = g_strdup (roster_store_get_undo_label (f->store));
  GArray *changes = record (users);
  GError *error = NULL;
  guint notified = 0;

  g_signal_connect (ada, "notify", G_CALLBACK (counter_cb), &notified);

  g_assert_null (roster_store_create_user (f->store, "ada", &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "“ada”"));
  g_clear_error (&error);

  {
    g_autoptr(RosterUser) bob = user (f, "bob");
    g_assert_false (roster_store_rename_user (f->store, bob, "ada", &error));
    g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_DUPLICATE);
    g_assert_nonnull (strstr (error->message, "“ada”"));
    g_clear_error (&error);
    g_assert_cmpstr (roster_user_get_username (bob), ==, "bob");
    g_assert_true (roster_store_undo (f->store, NULL));  /* drop bob again */
  }

  g_assert_null (roster_store_create_user (f->store, "", &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_null (roster_store_create_user (f->store, " \t\u3000 ", &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_null (roster_store_create_user (f->store, "bad \xff\xfe", &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_UTF8);
  g_clear_error (&error);

  g_assert_null (roster_store_create_task (f->store, ada, "   ", &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_null (roster_store_create_task (f->store, NULL, "orphan", &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_NO_OWNER);
  g_clear_error (&error);
  g_assert_false (roster_store_set_task_title (f->store, t, "", &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_false (roster_store_set_task_notes (f->store, t, "\xc3", &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_UTF8);
  g_clear_error (&error);

  g_assert_null (roster_store_create_category (f->store, "work", NULL, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "“work”"));
  g_clear_error (&error);
  g_assert_null (roster_store_create_category (f->store, "\n", NULL, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_null (roster_store_create_category (f->store, "red", "red", &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (roster_store_delete_user (f->store, ada, ROSTER_DELETE_USER_ONLY, NULL, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_HAS_TASKS);
  g_assert_nonnull (strstr (error->message, "1 task"));
  g_clear_error (&error);
  g_assert_false (roster_store_delete_user (f->store, ada, ROSTER_DELETE_USER_MOVE_TASKS, ada, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_NO_OWNER);
  g_clear_error (&error);

  /* Nothing of it reached the file, the objects or the history. */
  {
    g_autofree char *after = roster_test_dump (f->path);
    g_assert_cmpstr (before, ==, after);
  }
  g_assert_cmpstr (roster_user_get_username (ada), ==, "ada");
  g_assert_cmpstr (roster_task_get_title (t), ==, "one");
  g_assert_cmpuint (notified, ==, 0);
  g_assert_cmpstr (roster_store_get_undo_label (f->store), ==, undo_label);
  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 1);
  /* bob came and went: two emissions, nothing from the failures. */
  g_assert_cmpuint (changes->len, ==, 2);
  (void) work;
}

static void
test_deleted_objects (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RosterUser) ada = user (f, "ada");
  g_autoptr(RosterTask) t = task (f, ada, "one");
  GError *error = NULL;

  g_assert_true (roster_store_delete_task (f->store, t, &error));
  g_assert_no_error (error);
  g_assert_false (roster_store_set_task_done (f->store, t, TRUE, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (roster_store_delete_user (f->store, ada, ROSTER_DELETE_USER_ONLY, NULL, &error));
  g_assert_null (roster_store_create_task (f->store, ada, "late", &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_NO_OWNER);
  g_clear_error (&error);

  /* Undo brings both back: the very same objects. */
  g_assert_true (roster_store_undo (f->store, NULL));
  g_assert_true (roster_store_undo (f->store, NULL));
  {
    g_autoptr(RosterTask) again = roster_store_get_task (f->store, roster_task_get_id (t), &error);
    g_autoptr(RosterUser) ada2 = roster_store_find_user (f->store, "ada");
    g_assert_no_error (error);
    g_assert_true (again == t);
    g_assert_true (ada2 == ada);
  }
  g_assert_true (roster_store_set_task_done (f->store, t, TRUE, &error));
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------------ */
/* Deleting users                                                            */

static void
test_delete_user_with_tasks (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(RosterUser) ada = user (f, "ada");
  g_autoptr(RosterUser) bob = user (f, "bob");
  g_autoptr(RosterCategory) work = category (f, "work");
  g_autoptr(GListModel) users = roster_store_list_users (f->store);
  g_autoptr(GListModel) work_tasks = roster_store_list_category_tasks (f->store, work);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after_delete = NULL;
  GArray *work_changes;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *title = g_strdup_printf ("ada %u", i);
      g_autoptr(RosterTask) t = task (f, ada, title);
      if (i % 2 == 0)
        tag (f, t, work);
    }
  {
    g_autoptr(RosterTask) t = task (f, bob, "bob 0");
    tag (f, t, work);
  }
  assert_names (work_tasks, "ada 0,ada 2,ada 4,bob 0");
  work_changes = record (work_tasks);
  before = roster_test_dump (f->path);

  g_assert_true (roster_store_delete_user (f->store, ada, ROSTER_DELETE_USER_AND_TASKS, NULL, &error));
  g_assert_no_error (error);
  assert_names (users, "bob");
  assert_names (work_tasks, "bob 0");
  /* Three rows gone from the tag's list (oldest first: ada's three come
   * before "bob 0") in one emission. */
  g_assert_cmpuint (work_changes->len, ==, 1);
  assert_change (work_changes, 0, 0, 3, 0);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, 1);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM taskcategorylink"), ==, 1);
  g_assert_cmpuint (roster_category_get_n_tasks (work), ==, 1);
  after_delete = roster_test_dump (f->path);

  /* Undo: the same ids, the same links. */
  g_assert_true (roster_store_undo (f->store, &error));
  g_assert_no_error (error);
  {
    g_autofree char *restored = roster_test_dump (f->path);
    g_assert_cmpstr (restored, ==, before);
  }
  assert_names (users, "ada,bob");
  assert_names (work_tasks, "ada 0,ada 2,ada 4,bob 0");
  g_assert_cmpuint (work_changes->len, ==, 2);
  g_assert_cmpuint (roster_category_get_n_tasks (work), ==, 4);

  g_assert_true (roster_store_redo (f->store, &error));
  g_assert_no_error (error);
  {
    g_autofree char *redone = roster_test_dump (f->path);
    g_assert_cmpstr (redone, ==, after_delete);
  }
}

static void
test_delete_user_moving_tasks (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(RosterUser) ada = user (f, "ada");
  g_autoptr(RosterUser) bob = user (f, "bob");
  g_autoptr(GListModel) bob_tasks = roster_store_list_user_tasks (f->store, bob);
  g_autoptr(RosterTask) a1 = task (f, ada, "a1");
  g_autoptr(RosterTask) a2 = task (f, ada, "a2");
  g_autoptr(RosterTask) b1 = task (f, bob, "b1");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = roster_test_dump (f->path);

  g_assert_true (roster_store_delete_user (f->store, ada, ROSTER_DELETE_USER_MOVE_TASKS, bob, &error));
  g_assert_no_error (error);
  assert_names (bob_tasks, "b1,a1,a2");
  g_assert_true (roster_task_get_owner (a1) == bob);
  g_assert_cmpuint (roster_user_get_n_tasks (bob), ==, 3);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM user"), ==, 1);

  g_assert_true (roster_store_undo (f->store, &error));
  g_assert_no_error (error);
  {
    g_autofree char *after = roster_test_dump (f->path);
    g_assert_cmpstr (after, ==, before);
  }
  assert_names (bob_tasks, "b1");
  g_assert_true (roster_task_get_owner (a1) == ada);
  (void) a2; (void) b1;
}

/* ------------------------------------------------------------------------ */
/* Undo and redo of every kind of change                                     */

typedef void (*Mutation) (Fixture *f, RosterUser *ada, RosterUser *bob, RosterTask *t, RosterCategory *c);

#define MUTATION(name, body) \
  static void name (Fixture *f, RosterUser *ada, RosterUser *bob, RosterTask *t, RosterCategory *c) \
  { g_autoptr(GError) error = NULL; body; g_assert_no_error (error); }

MUTATION (m_create_user, g_object_unref (roster_store_create_user (f->store, "zed", &error)))
MUTATION (m_rename_user, roster_store_rename_user (f->store, ada, "ada lovelace", &error))
MUTATION (m_delete_user, roster_store_delete_user (f->store, bob, ROSTER_DELETE_USER_ONLY, NULL, &error))
MUTATION (m_delete_user_tasks, roster_store_delete_user (f->store, ada, ROSTER_DELETE_USER_AND_TASKS, NULL, &error))
MUTATION (m_create_task, g_object_unref (roster_store_create_task (f->store, ada, "new", &error)))
MUTATION (m_title, roster_store_set_task_title (f->store, t, "renamed", &error))
MUTATION (m_done, roster_store_set_task_done (f->store, t, TRUE, &error))
MUTATION (m_notes, roster_store_set_task_notes (f->store, t, "some notes", &error))
MUTATION (m_due, { g_autoptr(GDateTime) d = g_date_time_new_utc (2030, 1, 2, 0, 0, 0);
                   roster_store_set_task_due_date (f->store, t, d, &error); })
MUTATION (m_move, roster_store_move_task (f->store, t, bob, &error))
MUTATION (m_reorder, roster_store_reorder_task (f->store, t, 1, &error))
MUTATION (m_delete_task, roster_store_delete_task (f->store, t, &error))
MUTATION (m_create_category, g_object_unref (roster_store_create_category (f->store, "new", "#00ff00", &error)))
MUTATION (m_rename_category, roster_store_rename_category (f->store, c, "renamed", &error))
MUTATION (m_color, roster_store_set_category_color (f->store, c, "#123456", &error))
MUTATION (m_delete_category, roster_store_delete_category (f->store, c, &error))
MUTATION (m_tag, { g_autoptr(RosterCategory) other = roster_store_find_category (f->store, "other");
                   roster_store_tag_task (f->store, t, other, &error); })
MUTATION (m_untag, roster_store_untag_task (f->store, t, c, &error))

static void
test_undo_redo_all (Fixture       *f,
                    gconstpointer  data)
{
  static const Mutation mutations[] = {
    m_create_user, m_rename_user, m_delete_user, m_delete_user_tasks, m_create_task,
    m_title, m_done, m_notes, m_due, m_move, m_reorder, m_delete_task,
    m_create_category, m_rename_category, m_color, m_delete_category, m_tag, m_untag,
  };

  for (guint m = 0; m < G_N_ELEMENTS (mutations); m++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RosterUser) ada = NULL;
      g_autoptr(RosterUser) bob = NULL;
      g_autoptr(RosterTask) t = NULL;
      g_autoptr(RosterCategory) c = NULL;
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      g_autofree char *undone = NULL;
      g_autofree char *redone = NULL;
      g_autofree char *reopened = NULL;

      g_test_message ("mutation %u", m);
      if (f->store != NULL)
        g_assert_finalize_object (g_steal_pointer (&f->store));
      g_unlink (f->path);
      reopen (f);

      ada = user (f, "ada");
      bob = user (f, "bob");
      t = task (f, ada, "first");
      g_object_unref (task (f, ada, "second"));
      c = category (f, "cat");
      g_object_unref (category (f, "other"));
      tag (f, t, c);

      before = roster_test_dump (f->path);
      mutations[m] (f, ada, bob, t, c);
      after = roster_test_dump (f->path);
      g_assert_cmpstr (before, !=, after);
      g_assert_true (roster_store_get_can_undo (f->store));

      g_assert_true (roster_store_undo (f->store, &error));
      g_assert_no_error (error);
      undone = roster_test_dump (f->path);
      g_assert_cmpstr (undone, ==, before);
      g_assert_true (roster_store_get_can_redo (f->store));

      g_assert_true (roster_store_redo (f->store, &error));
      g_assert_no_error (error);
      redone = roster_test_dump (f->path);
      g_assert_cmpstr (redone, ==, after);
      g_assert_false (roster_store_get_can_redo (f->store));

      /* And the objects agree with the file after closing and opening it. */
      g_clear_object (&ada);
      g_clear_object (&bob);
      g_clear_object (&t);
      g_clear_object (&c);
      reopen (f);
      reopened = roster_test_dump (f->path);
      g_assert_cmpstr (reopened, ==, after);
    }
}

static void
test_undo_empty (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint notified = 0;

  g_assert_false (roster_store_get_can_undo (f->store));
  g_assert_false (roster_store_undo (f->store, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_NOTHING_TO_UNDO);
  g_clear_error (&error);
  g_assert_false (roster_store_redo (f->store, &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_NOTHING_TO_UNDO);
  g_clear_error (&error);

  g_signal_connect (f->store, "notify::can-undo", G_CALLBACK (counter_cb), &notified);
  g_object_unref (user (f, "ada"));
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (roster_store_get_undo_label (f->store), ==, "Add user “ada”");
  g_assert_null (roster_store_get_redo_label (f->store));

  /* A new change after an undo drops the redo history. */
  g_assert_true (roster_store_undo (f->store, NULL));
  g_assert_true (roster_store_get_can_redo (f->store));
  g_object_unref (user (f, "bob"));
  g_assert_false (roster_store_get_can_redo (f->store));
}

/* ------------------------------------------------------------------------ */
/* Batches                                                                   */

/* The cache size of the store's connection (PRAGMA cache_size, in KiB). */
static int
cache_kib (RosterStore *store)
{
  sqlite3_stmt *stmt = NULL;
  int kib = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (_roster_store_get_db (store), "PRAGMA cache_size", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  kib = -sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return kib;
}

/* A batch writes much: it has the big cache while it runs, and the store
 * reads with the small one again after it, committed or not. */
static void
test_batch_cache (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (cache_kib (f->store), ==, ROSTER_READ_CACHE_SIZE_KIB);
  for (guint commit = 0; commit < 2; commit++)
    {
      roster_store_begin_batch (f->store, "Import");
      g_assert_cmpint (cache_kib (f->store), ==, ROSTER_CACHE_SIZE_KIB);
      g_object_unref (roster_store_create_user (f->store, commit ? "ada" : "bob", &error));
      g_assert_no_error (error);
      if (commit)
        g_assert_true (roster_store_commit_batch (f->store, &error));
      else
        roster_store_rollback_batch (f->store);
      g_assert_no_error (error);
      g_assert_cmpint (cache_kib (f->store), ==, ROSTER_READ_CACHE_SIZE_KIB);
    }
}

static void
test_batch (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GListModel) users = roster_store_list_users (f->store);
  g_autoptr(GError) error = NULL;
  GArray *changes;
  g_autofree char *empty = roster_test_dump (f->path);

  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 0);
  changes = record (users);

  roster_store_begin_batch (f->store, "Import");
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("user %02u", i);
      g_autoptr(RosterUser) u = roster_store_create_user (f->store, name, &error);
      g_autoptr(RosterTask) t = NULL;

      g_assert_no_error (error);
      t = roster_store_create_task (f->store, u, "task", &error);
      g_assert_no_error (error);
    }
  /* A failing change inside a batch is dropped alone. */
  g_assert_null (roster_store_create_user (f->store, "user 03", &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_DUPLICATE);
  g_clear_error (&error);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_true (roster_store_commit_batch (f->store, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 10);
  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, 0, 0, 10);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, 10);
  g_assert_cmpstr (roster_store_get_undo_label (f->store), ==, "Import");

  /* One undo step for the whole batch. */
  g_assert_true (roster_store_undo (f->store, &error));
  g_assert_no_error (error);
  {
    g_autofree char *now = roster_test_dump (f->path);
    g_assert_cmpstr (now, ==, empty);
  }
  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 0);
  assert_change (changes, 1, 0, 10, 0);

  /* A rolled-back batch leaves nothing behind. */
  roster_store_begin_batch (f->store, "Nothing");
  g_object_unref (roster_store_create_user (f->store, "ghost", &error));
  g_assert_no_error (error);
  roster_store_rollback_batch (f->store);
  {
    g_autofree char *now = roster_test_dump (f->path);
    g_assert_cmpstr (now, ==, empty);
  }
  g_assert_null (roster_store_find_user (f->store, "ghost"));
  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 0);
}

/* ------------------------------------------------------------------------ */
/* Size                                                                      */

/* "ada" with @n tasks ("task 00000"…), made in one batch; the store is
 * opened again, so nothing of them is in memory. */
static GListModel *
big_user_tasks (Fixture     *f,
                guint        n,
                RosterUser **out_user)
{
  g_autoptr(RosterUser) ada = user (f, "ada");
  g_autoptr(GError) error = NULL;

  roster_store_begin_batch (f->store, "Many");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("task %05u", i);
      g_object_unref (roster_store_create_task (f->store, ada, title, &error));
      g_assert_no_error (error);
    }
  g_assert_true (roster_store_commit_batch (f->store, &error));

  reopen (f);
  *out_user = roster_store_find_user (f->store, "ada");
  return roster_store_list_user_tasks (f->store, *out_user);
}

static void
test_large_list_pages (Fixture       *f,
                       gconstpointer  data)
{
  const guint n = 5000;
  g_autoptr(RosterUser) ada = NULL;
  g_autoptr(GListModel) tasks = big_user_tasks (f, n, &ada);

  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, n);
  g_assert_cmpuint (roster_user_get_n_tasks (ada), ==, n);
  for (guint i = 0; i < n; i += 997)
    {
      g_autoptr(RosterTask) t = g_list_model_get_item (tasks, i);
      g_autofree char *title = g_strdup_printf ("task %05u", i);
      g_assert_cmpstr (roster_task_get_title (t), ==, title);
    }
  {
    /* The same object for a position while it is held. */
    g_autoptr(RosterTask) a = g_list_model_get_item (tasks, n - 1);
    g_autoptr(RosterTask) b = g_list_model_get_item (tasks, n - 1);
    g_assert_true (a == b);
  }
}

/* What a view knows of a long list it has read only the top of: the length,
 * and the ids of the rows it read (0 for the others), kept through
 * items-changed alone. */
typedef struct
{
  GListModel *model;
  GArray     *ids;
} View;

static void
on_view_items_changed (GListModel *model,
                       guint       position,
                       guint       removed,
                       guint       added,
                       View       *view)
{
  const gint64 unread = 0;

  g_assert_cmpuint (position + removed, <=, view->ids->len);
  g_array_remove_range (view->ids, position, removed);
  for (guint i = 0; i < added; i++)
    g_array_insert_val (view->ids, position, unread);
}

/* Reads the first @n rows, as a view shows the top of a list. */
static void
view_read_top (View *view,
               guint n)
{
  for (guint i = 0; i < MIN (n, view->ids->len); i++)
    {
      g_autoptr(RosterTask) t = g_list_model_get_item (view->model, i);

      g_assert_nonnull (t);
      g_array_index (view->ids, gint64, i) = roster_task_get_id (t);
    }
}

/* The view matches the file: its length, and every row it read is where the
 * file has it; so does every row read now. */
static void
view_check (View       *view,
            const char *path,
            gint64      owner_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM task WHERE owner_id = %" G_GINT64_FORMAT
                                          " ORDER BY position, id", owner_id);
  g_autofree char *expected = roster_test_raw_text (path, sql);
  g_auto(GStrv) ids = g_strsplit (expected, "; ", -1);

  g_assert_cmpuint (view->ids->len, ==, g_strv_length (ids));
  g_assert_cmpuint (g_list_model_get_n_items (view->model), ==, view->ids->len);
  for (guint i = 0; i < view->ids->len; i++)
    {
      gint64 known = g_array_index (view->ids, gint64, i);
      gint64 id = g_ascii_strtoll (ids[i], NULL, 10);

      if (known != 0)
        g_assert_cmpint (known, ==, id);
    }
  for (guint i = 0; i < view->ids->len; i += 97)
    {
      g_autoptr(RosterTask) t = g_list_model_get_item (view->model, i);

      g_assert_cmpint (roster_task_get_id (t), ==, g_ascii_strtoll (ids[i], NULL, 10));
    }
}

/* A long list tells its length at once and reads the rest as it is asked
 * for; a view that read only the top follows every kind of edit, above and
 * below what it read. */
static void
test_long_list_top_first (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(RosterUser) ada = NULL;
  g_autoptr(RosterUser) bob = user (f, "bob");
  g_autoptr(GListModel) tasks = NULL;
  g_autoptr(GError) error = NULL;
  View view = { NULL };
  const guint n = 3000;

  g_clear_object (&bob);
  tasks = big_user_tasks (f, n, &ada);
  bob = roster_store_find_user (f->store, "bob");
  view.model = tasks;
  view.ids = g_array_new (FALSE, TRUE, sizeof (gint64));
  g_array_set_size (view.ids, g_list_model_get_n_items (tasks));
  g_signal_connect (tasks, "items-changed", G_CALLBACK (on_view_items_changed), &view);
  g_assert_cmpuint (view.ids->len, ==, n);
  view_read_top (&view, 20);

  {
    /* Below what was read: done, deleted, moved away, moved to the top. */
    g_autoptr(RosterTask) t1 = roster_store_get_task (f->store, 2001, &error);
    g_autoptr(RosterTask) t2 = roster_store_get_task (f->store, 2500, &error);
    g_autoptr(RosterTask) t3 = roster_store_get_task (f->store, 1700, &error);
    g_autoptr(RosterTask) t4 = roster_store_get_task (f->store, 2999, &error);

    g_assert_no_error (error);
    g_assert_true (roster_store_set_task_done (f->store, t1, TRUE, &error));
    view_check (&view, f->path, roster_user_get_id (ada));
    g_assert_true (roster_store_delete_task (f->store, t2, &error));
    view_check (&view, f->path, roster_user_get_id (ada));
    g_assert_true (roster_store_move_task (f->store, t3, bob, &error));
    view_check (&view, f->path, roster_user_get_id (ada));
    g_assert_true (roster_store_reorder_task (f->store, t4, 0, &error));
    g_assert_no_error (error);
    view_read_top (&view, 20);
    view_check (&view, f->path, roster_user_get_id (ada));
  }
  {
    /* Within it: deleted, moved down past it, a new task at the end. */
    g_autoptr(RosterTask) t5 = g_list_model_get_item (tasks, 5);
    g_autoptr(RosterTask) t6 = g_list_model_get_item (tasks, 6);
    g_autoptr(RosterTask) t7 = NULL;

    g_assert_true (roster_store_delete_task (f->store, t5, &error));
    view_check (&view, f->path, roster_user_get_id (ada));
    g_assert_true (roster_store_reorder_task (f->store, t6, 2500, &error));
    view_check (&view, f->path, roster_user_get_id (ada));
    t7 = roster_store_create_task (f->store, ada, "the newest", &error);
    g_assert_no_error (error);
    view_check (&view, f->path, roster_user_get_id (ada));
    g_assert_cmpuint (view.ids->len, ==, n - 1 - 1 + 1 - 1);
    g_assert_true (roster_store_undo (f->store, &error));
    g_assert_true (roster_store_undo (f->store, &error));
    g_assert_no_error (error);
    view_check (&view, f->path, roster_user_get_id (ada));
  }

  g_signal_handlers_disconnect_by_data (tasks, &view);
  g_array_unref (view.ids);
}

/* A long list read from top to bottom is in the file's order, whether
 * positions tie (a migrated file has every task at position 0) or not, across
 * the first rows and every further read. */
static void
test_long_list_order (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RosterUser) ada = NULL;
  g_autoptr(GListModel) tasks = big_user_tasks (f, 10000, &ada);
  g_autofree char *sql = NULL;
  g_autofree char *expected = NULL;
  g_auto(GStrv) ids = NULL;
  guint n;

  g_clear_object (&tasks);
  g_clear_object (&ada);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  /* Four runs of tied positions, the last ids first, and two tasks moved
   * to the very top and the very bottom. */
  roster_test_raw_exec (f->path, "UPDATE task SET position = 10 - id / 3000;"
                                 "UPDATE task SET position = -1 WHERE id = 5000;"
                                 "UPDATE task SET position = 99 WHERE id = 9500;");
  reopen (f);
  ada = roster_store_find_user (f->store, "ada");
  tasks = roster_store_list_user_tasks (f->store, ada);
  sql = g_strdup_printf ("SELECT id FROM task WHERE owner_id = %" G_GINT64_FORMAT " ORDER BY position, id",
                         roster_user_get_id (ada));
  expected = roster_test_raw_text (f->path, sql);
  ids = g_strsplit (expected, "; ", -1);
  n = g_strv_length (ids);

  g_assert_cmpuint (n, ==, 10000);
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RosterTask) t = g_list_model_get_item (tasks, i);

      g_assert_nonnull (t);
      g_assert_cmpint (roster_task_get_id (t), ==, g_ascii_strtoll (ids[i], NULL, 10));
    }
  g_assert_null (g_list_model_get_item (tasks, n));
}

/* Counts changed behind Roster's back: the list says the length they give
 * and then, once it has read every row, the true one. */
static void
test_long_list_wrong_count (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(RosterUser) ada = NULL;
  g_autoptr(GListModel) tasks = big_user_tasks (f, 1000, &ada);
  g_autoptr(RosterTask) last = NULL;
  GArray *changes;

  g_clear_object (&tasks);
  g_clear_object (&ada);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  roster_test_raw_exec (f->path, "UPDATE roster_user_count SET n_tasks = 1200");
  reopen (f);
  ada = roster_store_find_user (f->store, "ada");
  tasks = roster_store_list_user_tasks (f->store, ada);
  changes = record (tasks);
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 1200);

  last = g_list_model_get_item (tasks, 999);
  g_assert_cmpstr (roster_task_get_title (last), ==, "task 00999");
  g_assert_null (g_list_model_get_item (tasks, 1100));
  /* Not from inside get_item(): later, from the main loop. */
  g_assert_cmpuint (changes->len, ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 1000);
  assert_change (changes, 0, 1000, 200, 0);
  g_assert_cmpuint (changes->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
#define ADD_NO_STORE(path, func) \
  g_test_add (path, Fixture, GINT_TO_POINTER (1), fixture_set_up, func, fixture_tear_down)

  ADD ("/store/schema/new-file", test_schema_new_file);
  ADD_NO_STORE ("/store/schema/private-folder", test_schema_private_folder);
  ADD_NO_STORE ("/store/schema/seed-file", test_schema_seed_file);
  ADD_NO_STORE ("/store/schema/newer-refused", test_schema_newer_refused);
  ADD_NO_STORE ("/store/schema/foreign-refused", test_schema_foreign_refused);
  ADD_NO_STORE ("/store/schema/garbage-refused", test_schema_garbage_refused);
  ADD_NO_STORE ("/store/schema/truncated-refused", test_schema_truncated_refused);
  ADD_NO_STORE ("/store/schema/directory-refused", test_schema_directory_refused);
  ADD_NO_STORE ("/store/schema/broken-foreign-keys", test_schema_broken_foreign_keys);
  ADD ("/store/identity", test_identity);
  ADD ("/store/users/list", test_users_list);
  ADD ("/store/tasks/move", test_move_task);
  ADD ("/store/tasks/done-and-counts", test_done_and_counts);
  ADD ("/store/tasks/fields", test_task_fields);
  ADD ("/store/tasks/reorder", test_reorder);
  ADD_NO_STORE ("/store/tasks/reorder-without-gaps", test_reorder_without_gaps);
  ADD ("/store/tags", test_tags);
  ADD ("/store/errors", test_errors);
  ADD ("/store/deleted-objects", test_deleted_objects);
  ADD ("/store/users/delete-with-tasks", test_delete_user_with_tasks);
  ADD ("/store/users/delete-moving-tasks", test_delete_user_moving_tasks);
  ADD ("/store/undo/every-change", test_undo_redo_all);
  ADD ("/store/undo/empty", test_undo_empty);
  ADD ("/store/batch", test_batch);
  ADD ("/store/batch/cache", test_batch_cache);
  ADD ("/store/large-list", test_large_list_pages);
  ADD ("/store/long-list/top-first", test_long_list_top_first);
  ADD ("/store/long-list/wrong-count", test_long_list_wrong_count);
  ADD ("/store/long-list/order", test_long_list_order);

  return g_test_run ();
}
