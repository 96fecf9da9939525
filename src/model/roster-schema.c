/* roster-schema.c: opening a file, checking it is one Roster may use, and
 * bringing its schema up to date.
 *
 * A new file gets exactly the DDL the seed's SQLModel classes write, then the
 * same migrations a file made by those classes goes through, so both kinds of
 * file end up identical. Nothing is written to a file Roster refuses.
 *
 * Opening is two parts (roster-schema.h): the read-only questions, then
 * preparing the file: the soundness check, the foreign-key check, the backup,
 * the migration in the file's own journal mode, and only then the switch to
 * WAL. roster_store_open_full() runs both; roster-prepare.c runs the second
 * in a worker, metered and cancellable.
 */
#define G_LOG_DOMAIN "roster-schema"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "roster-schema.h"
#include "roster-store-private.h"
#include "roster-sync-schema.h"

/* Exactly what SQLModel.metadata.create_all writes for the seed's classes. */
static const char seed_schema[] =
  "CREATE TABLE user (\n"
  "\tid INTEGER NOT NULL, \n"
  "\tusername VARCHAR NOT NULL, \n"
  "\tPRIMARY KEY (id)\n"
  ");\n"
  "CREATE UNIQUE INDEX ix_user_username ON user (username);\n"
  "CREATE TABLE category (\n"
  "\tid INTEGER NOT NULL, \n"
  "\tname VARCHAR NOT NULL, \n"
  "\tPRIMARY KEY (id), \n"
  "\tUNIQUE (name)\n"
  ");\n"
  "CREATE TABLE task (\n"
  "\tid INTEGER NOT NULL, \n"
  "\ttitle VARCHAR NOT NULL, \n"
  "\towner_id INTEGER NOT NULL, \n"
  "\tPRIMARY KEY (id), \n"
  "\tFOREIGN KEY(owner_id) REFERENCES user (id)\n"
  ");\n"
  "CREATE TABLE taskcategorylink (\n"
  "\ttask_id INTEGER NOT NULL, \n"
  "\tcategory_id INTEGER NOT NULL, \n"
  "\tPRIMARY KEY (task_id, category_id), \n"
  "\tFOREIGN KEY(task_id) REFERENCES task (id), \n"
  "\tFOREIGN KEY(category_id) REFERENCES category (id)\n"
  ");\n";

/* A new UID in SQL alone, so that the trigger gives one to the tasks the
 * seed's classes insert too: 128 random bits in hex (RFC 5545 asks only that
 * a UID be unique; a formatted UUID cost an import five times as much). */
#define ROSTER_NEW_UID_SQL "lower(hex(randomblob(16)))"

/* migrations[N] takes a file from user_version N to N + 1. Every added column
 * has a default, so rows inserted by the seed's classes (which know only
 * id, title and owner_id) are valid Roster rows. */
static const char * const migrations[] = {
  "ALTER TABLE task ADD COLUMN done BOOLEAN NOT NULL DEFAULT 0;\n"
  "ALTER TABLE task ADD COLUMN notes VARCHAR NOT NULL DEFAULT '';\n"
  "ALTER TABLE task ADD COLUMN due_date VARCHAR;\n"
  "ALTER TABLE task ADD COLUMN position INTEGER NOT NULL DEFAULT 0;\n"
  "ALTER TABLE category ADD COLUMN color VARCHAR NOT NULL DEFAULT '" ROSTER_DEFAULT_COLOR "';\n"
  "CREATE INDEX ix_task_owner_id ON task (owner_id, position);\n"
  "CREATE INDEX ix_taskcategorylink_category_id ON taskcategorylink (category_id, task_id);\n",

  /* 1 -> 2: counts and Find, for a million tasks.
   *
   * The number of tasks of each user and of each category, kept by triggers
   * so that they stay right whoever writes the file (the seed's classes
   * included): the sidebar reads one row instead of counting thousands.
   * The triggers use only SQL every SQLite has. The tasks are counted in
   * one pass over the table (NOT INDEXED): through the owner index, SQLite
   * looked every task up in the table, four times slower for a million. */
  "CREATE TABLE roster_user_count (\n"
  "  user_id INTEGER NOT NULL PRIMARY KEY,\n"
  "  n_tasks INTEGER NOT NULL DEFAULT 0,\n"
  "  n_open INTEGER NOT NULL DEFAULT 0);\n"
  "CREATE TABLE roster_category_count (\n"
  "  category_id INTEGER NOT NULL PRIMARY KEY,\n"
  "  n_tasks INTEGER NOT NULL DEFAULT 0);\n"
  "INSERT INTO roster_user_count (user_id, n_tasks, n_open)\n"
  "  SELECT owner_id, count(*), total(done = 0) FROM task NOT INDEXED GROUP BY owner_id;\n"
  "INSERT INTO roster_category_count (category_id, n_tasks)\n"
  "  SELECT category_id, count(*) FROM taskcategorylink GROUP BY category_id;\n"
  "CREATE TRIGGER roster_count_task_insert AFTER INSERT ON task BEGIN\n"
  "  INSERT INTO roster_user_count (user_id, n_tasks, n_open) VALUES (NEW.owner_id, 1, NEW.done = 0)\n"
  "    ON CONFLICT (user_id) DO UPDATE SET n_tasks = n_tasks + 1, n_open = n_open + (NEW.done = 0);\n"
  "END;\n"
  "CREATE TRIGGER roster_count_task_delete AFTER DELETE ON task BEGIN\n"
  "  UPDATE roster_user_count SET n_tasks = n_tasks - 1, n_open = n_open - (OLD.done = 0)\n"
  "    WHERE user_id = OLD.owner_id;\n"
  "END;\n"
  "CREATE TRIGGER roster_count_task_update AFTER UPDATE OF owner_id, done ON task\n"
  "  WHEN OLD.owner_id IS NOT NEW.owner_id OR OLD.done IS NOT NEW.done BEGIN\n"
  "  UPDATE roster_user_count SET n_tasks = n_tasks - 1, n_open = n_open - (OLD.done = 0)\n"
  "    WHERE user_id = OLD.owner_id;\n"
  "  INSERT INTO roster_user_count (user_id, n_tasks, n_open) VALUES (NEW.owner_id, 1, NEW.done = 0)\n"
  "    ON CONFLICT (user_id) DO UPDATE SET n_tasks = n_tasks + 1, n_open = n_open + (NEW.done = 0);\n"
  "END;\n"
  "CREATE TRIGGER roster_count_link_insert AFTER INSERT ON taskcategorylink BEGIN\n"
  "  INSERT INTO roster_category_count (category_id, n_tasks) VALUES (NEW.category_id, 1)\n"
  "    ON CONFLICT (category_id) DO UPDATE SET n_tasks = n_tasks + 1;\n"
  "END;\n"
  "CREATE TRIGGER roster_count_link_delete AFTER DELETE ON taskcategorylink BEGIN\n"
  "  UPDATE roster_category_count SET n_tasks = n_tasks - 1 WHERE category_id = OLD.category_id;\n"
  "END;\n"
  "CREATE TRIGGER roster_count_link_update AFTER UPDATE OF category_id ON taskcategorylink\n"
  "  WHEN OLD.category_id IS NOT NEW.category_id BEGIN\n"
  "  UPDATE roster_category_count SET n_tasks = n_tasks - 1 WHERE category_id = OLD.category_id;\n"
  "  INSERT INTO roster_category_count (category_id, n_tasks) VALUES (NEW.category_id, 1)\n"
  "    ON CONFLICT (category_id) DO UPDATE SET n_tasks = n_tasks + 1;\n"
  "END;\n"
  /* A task's links go with it, whoever deletes it (the seed's classes do not
   * turn foreign keys on): a tag's list reads its task ids from the link
   * index alone, without looking each task up. */
  "CREATE TRIGGER roster_task_delete_links AFTER DELETE ON task BEGIN\n"
  "  DELETE FROM taskcategorylink WHERE task_id = OLD.id;\n"
  "END;\n"
  /* Find: a trigram index of each task's title and notes, folded (no case,
   * no accents) by the store, which SQL cannot do. Triggers only note which
   * tasks changed; the store brings their entries up to date in the
   * background (see roster-find.c). Every task starts out noted. */
  "CREATE VIRTUAL TABLE roster_find USING fts5 (text, tokenize = 'trigram');\n"
  "CREATE TABLE roster_find_stale (task_id INTEGER NOT NULL PRIMARY KEY);\n"
  "INSERT INTO roster_find_stale (task_id) SELECT id FROM task;\n"
  "CREATE TRIGGER roster_find_task_insert AFTER INSERT ON task BEGIN\n"
  "  INSERT OR IGNORE INTO roster_find_stale (task_id) VALUES (NEW.id);\n"
  "END;\n"
  "CREATE TRIGGER roster_find_task_update AFTER UPDATE OF id, title, notes ON task\n"
  "  WHEN OLD.id IS NOT NEW.id OR OLD.title IS NOT NEW.title OR OLD.notes IS NOT NEW.notes BEGIN\n"
  "  INSERT OR IGNORE INTO roster_find_stale (task_id) VALUES (OLD.id);\n"
  "  INSERT OR IGNORE INTO roster_find_stale (task_id) VALUES (NEW.id);\n"
  "END;\n"
  "CREATE TRIGGER roster_find_task_delete AFTER DELETE ON task BEGIN\n"
  "  INSERT OR IGNORE INTO roster_find_stale (task_id) VALUES (OLD.id);\n"
  "END;\n",

  /* 2 -> 3: iCalendar (see roster-store-ical.c).
   *
   * Every task keeps a UID for good, and the last VTODO seen for it (with
   * what libical needs to read it again), so that an export patches what
   * another program wrote instead of rebuilding it. The triggers give every
   * new task a UID (ROSTER_NEW_UID_SQL), whoever inserts it, and take
   * the row away with its task; Roster itself records both rows in a change,
   * so that undo brings a task back with its own UID. */
  "CREATE TABLE roster_ical (\n"
  "  task_id INTEGER NOT NULL PRIMARY KEY REFERENCES task (id),\n"
  "  uid TEXT NOT NULL,\n"
  "  vtodo TEXT,\n"
  "  vtimezones TEXT,\n"
  "  digest TEXT);\n"
  "INSERT INTO roster_ical (task_id, uid) SELECT id, " ROSTER_NEW_UID_SQL " FROM task;\n"
  /* Made after the rows, in one sort: a UNIQUE column filled with a million
   * random UIDs took 6 of the migration's 9.5 s on the million-task file. */
  "CREATE UNIQUE INDEX ix_roster_ical_uid ON roster_ical (uid);\n"
  "CREATE TRIGGER roster_ical_task_insert AFTER INSERT ON task BEGIN\n"
  "  INSERT OR IGNORE INTO roster_ical (task_id, uid) VALUES (NEW.id, " ROSTER_NEW_UID_SQL ");\n"
  "END;\n"
  "CREATE TRIGGER roster_ical_task_delete AFTER DELETE ON task BEGIN\n"
  "  DELETE FROM roster_ical WHERE task_id = OLD.id;\n"
  "END;\n",

  /* Planning (issue 18): a due time, a priority and a repeat rule per task.
   *
   * due_time: "HH:MM", a wall-clock time on the due date in whatever zone
   * the computer is in (floating, as iCalendar says), or NULL. priority:
   * 0 none, 1 low, 2 medium, 3 high, so that "by priority" is priority DESC.
   * recurrence: the value of an RFC 5545 RRULE ("FREQ=WEEKLY;BYDAY=MO"),
   * '' when the task does not repeat. Adding columns with constant defaults
   * rewrites no row, so this costs nothing on a million tasks. */
  "ALTER TABLE task ADD COLUMN due_time VARCHAR;\n"
  "ALTER TABLE task ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;\n"
  "ALTER TABLE task ADD COLUMN recurrence VARCHAR NOT NULL DEFAULT '';\n",
  /* Plan views: an index of the open tasks that have a due date, by due
   * date (and id, the rowid), for Today and Upcoming (roster-store-plan.c).
   * Partial, so that it holds only what the views can show (at a million
   * tasks, a tenth dated): a view's page, length and the day rolling over
   * come from it alone, never from a scan of the table. */
  "CREATE INDEX ix_task_due_open ON task (due_date) WHERE due_date IS NOT NULL AND done = 0;\n",
  /* 5 -> 6: CalDAV sync state (see roster-sync-state.h): the account, one
   * row per list (a user) and per synced task, the outbox and the
   * tombstones. The triggers that fill the outbox are made with the
   * account (roster-sync-schema.h), not here: a file that does not sync
   * pays nothing for them. */
  ROSTER_SYNC_SCHEMA_SQL,
  /* 6 -> 7: an import gives its tasks their UIDs, and its tags their
   * counts, itself.
   *
   * The trigger gave a UID to every task an import inserted, only for the
   * import to replace it at once with its VTODO's: 15% of writing 10,000
   * imported tasks; and the count trigger ran for each of their 30,000
   * tags. While roster_ical_supplied has a row, the triggers leave new tasks
   * and new links to whoever inserts them; only a Roster import puts one
   * there, inside its own transaction, adds its links to the counts and
   * takes the row away before it commits, so no other connection ever sees
   * it and everyone else's tasks and links are kept as before (see
   * _roster_store_ical_supply_uids()). */
  "CREATE TABLE roster_ical_supplied (id INTEGER NOT NULL PRIMARY KEY);\n"
  "DROP TRIGGER roster_ical_task_insert;\n"
  "CREATE TRIGGER roster_ical_task_insert AFTER INSERT ON task\n"
  "  WHEN NOT EXISTS (SELECT 1 FROM roster_ical_supplied) BEGIN\n"
  "  INSERT OR IGNORE INTO roster_ical (task_id, uid) VALUES (NEW.id, " ROSTER_NEW_UID_SQL ");\n"
  "END;\n"
  "DROP TRIGGER roster_count_link_insert;\n"
  "CREATE TRIGGER roster_count_link_insert AFTER INSERT ON taskcategorylink\n"
  "  WHEN NOT EXISTS (SELECT 1 FROM roster_ical_supplied) BEGIN\n"
  "  INSERT INTO roster_category_count (category_id, n_tasks) VALUES (NEW.category_id, 1)\n"
  "    ON CONFLICT (category_id) DO UPDATE SET n_tasks = n_tasks + 1;\n"
  "END;\n",
  /* 7 -> 8: reminders: the open tasks that have a due time, by due date and time
   * (roster-store-reminders.c). The next moment is then the first entry
   * after one, and the moments between two checks a range, read from the
   * index alone; through ix_task_due_open each meant reading a whole day's
   * task rows for their times (45 ms at a million tasks, on every change). */
  "CREATE INDEX ix_task_reminder ON task (due_date, due_time) "
  "WHERE due_date IS NOT NULL AND done = 0 AND due_time IS NOT NULL;\n",
  /* One sync at a time per file, across processes (roster-sync-lease.c):
   * the one row says which sync holds the file and until when (Unix
   * milliseconds), and which process it is (its PID namespace on this
   * boot of its computer, PID and start time), so that a holder killed on
   * this computer is known dead at once; no row, one that expired or one
   * of a dead process, and the file is free. */
  "CREATE TABLE roster_sync_lease (\n"
  "  id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),\n"
  "  holder TEXT NOT NULL,\n"
  "  expires INTEGER NOT NULL,\n"
  "  scope TEXT NOT NULL DEFAULT '',\n"
  "  pid INTEGER NOT NULL DEFAULT 0,\n"
  "  started INTEGER NOT NULL DEFAULT 0);\n",
  /* 9 -> 10: what a PUT of the sync carries, written before it goes out and
   * gone once its answer is in the file (roster-sync-state.h, "Pushing"): a
   * sync killed between the two leaves the server with a version the file
   * never noted, and this row is then the base of the merge (an edit made
   * here since is kept) and the UID of a task deleted here since (it stays
   * deleted). */
  "CREATE TABLE roster_sync_sent (\n"
  "  task_id INTEGER NOT NULL PRIMARY KEY,\n"
  "  uid TEXT NOT NULL,\n"
  "  href TEXT NOT NULL,\n"
  "  list_href TEXT NOT NULL,\n"
  "  ical TEXT NOT NULL);\n",
};
G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == ROSTER_SCHEMA_VERSION);

/* The columns a file must have for Roster to take it as the seed's. */
static const struct {
  const char *table;
  const char *columns[4];
} seed_tables[] = {
  { "user", { "id", "username", NULL } },
  { "task", { "id", "title", "owner_id", NULL } },
  { "category", { "id", "name", NULL } },
  { "taskcategorylink", { "task_id", "category_id", NULL } },
};

void
_roster_set_sqlite_error (GError  **error,
                          sqlite3  *db,
                          int       rc)
{
  const char *detail = db ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_DISK_FULL,
                   _("There is no room left on the disk to save the change."));
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_READ_ONLY,
                   _("The file cannot be written: it or its folder is read-only."));
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_BUSY,
                   _("Another program is using the file. Try again in a moment."));
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_A_DATABASE,
                   _("The file is damaged or is not a Roster file."));
      break;
    case SQLITE_CANTOPEN:
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_FAILED,
                   _("The file cannot be opened (%s)."), detail);
      break;
    default:
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_FAILED,
                   _("The file could not be read or written (%s)."), detail);
      break;
    }
}

static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      _roster_set_sqlite_error (error, db, rc);
      return FALSE;
    }
  return TRUE;
}

static gboolean
query_int (sqlite3     *db,
           const char  *sql,
           gint64      *out,
           GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out = sqlite3_column_int64 (stmt, 0);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_OK)
    {
      _roster_set_sqlite_error (error, db, rc);
      return FALSE;
    }
  return TRUE;
}

/* Fills @tables with the user tables' names (sqlite_ internals left out). */
static gboolean
list_tables (sqlite3     *db,
             GHashTable  *tables,
             GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db,
                               "SELECT name FROM sqlite_master WHERE type = 'table' "
                               "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                               -1, &stmt, NULL);

  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_hash_table_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _roster_set_sqlite_error (error, db, rc);
      return FALSE;
    }
  return TRUE;
}

static gboolean
table_has_column (sqlite3    *db,
                  const char *table,
                  const char *column)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, column, -1, SQLITE_STATIC);
      found = sqlite3_step (stmt) == SQLITE_ROW;
    }
  sqlite3_finalize (stmt);

  return found;
}

/* Is this the seed's schema (perhaps with more tables beside it)? */
static gboolean
has_seed_tables (sqlite3    *db,
                 GHashTable *tables)
{
  for (guint i = 0; i < G_N_ELEMENTS (seed_tables); i++)
    {
      if (!g_hash_table_contains (tables, seed_tables[i].table))
        return FALSE;
      for (guint j = 0; seed_tables[i].columns[j] != NULL; j++)
        if (!table_has_column (db, seed_tables[i].table, seed_tables[i].columns[j]))
          return FALSE;
    }
  return TRUE;
}

/* Runs the migrations from @version up, all in one transaction. */
static gboolean
migrate (sqlite3             *db,
         gint64               version,
         gboolean             create,
         RosterPrepareMeter  *meter,
         GError             **error)
{
  g_autofree char *set_version = NULL;
  g_autofree char *set_app_id = NULL;

  if (!exec_sql (db, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (create && !exec_sql (db, seed_schema, error))
    goto fail;

  for (gint64 v = version; v < ROSTER_SCHEMA_VERSION; v++)
    if (!exec_sql (db, migrations[v], error))
      goto fail;

  set_app_id = g_strdup_printf ("PRAGMA application_id = %d", ROSTER_APPLICATION_ID);
  set_version = g_strdup_printf ("PRAGMA user_version = %d", ROSTER_SCHEMA_VERSION);
  if (!exec_sql (db, set_app_id, error) ||
      !exec_sql (db, set_version, error))
    goto fail;

  /* The last moment to stop: once the commit begins, it is let finish. */
  if (_roster_prepare_meter_cancelled (meter, error))
    goto fail;
  _roster_prepare_meter_begin (meter, ROSTER_PREPARE_FINISH);
  if (!exec_sql (db, "COMMIT", error))
    goto fail;

  return TRUE;

fail:
  /* Nothing may interrupt the rollback. */
  sqlite3_progress_handler (db, 0, NULL, NULL);
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* Describes rows that already break a foreign key, one sentence each. */
static void
collect_problems (sqlite3   *db,
                  GPtrArray *problems)
{
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  if (sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &stmt, NULL) != SQLITE_OK)
    return;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *table = (const char *) sqlite3_column_text (stmt, 0);
      gint64 rowid = sqlite3_column_int64 (stmt, 1);
      const char *parent = (const char *) sqlite3_column_text (stmt, 2);

      if (++n > 100)
        continue;

      if (g_strcmp0 (table, "task") == 0)
        g_ptr_array_add (problems,
                         g_strdup_printf (_("Task %lld belongs to a user who does not exist."),
                                          (long long) rowid));
      else if (g_strcmp0 (table, "taskcategorylink") == 0 && g_strcmp0 (parent, "task") == 0)
        g_ptr_array_add (problems,
                         g_strdup (_("A tag is linked to a task that does not exist.")));
      else if (g_strcmp0 (table, "taskcategorylink") == 0)
        g_ptr_array_add (problems,
                         g_strdup (_("A task is tagged with a category that does not exist.")));
      else
        g_ptr_array_add (problems,
                         g_strdup_printf (_("Row %lld of table “%s” refers to a missing row of “%s”."),
                                          (long long) rowid, table, parent));
    }
  sqlite3_finalize (stmt);

  if (n > 100)
    g_ptr_array_add (problems,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "…and %u more row that refers to a missing row.",
                                                   "…and %u more rows that refer to missing rows.",
                                                   n - 100),
                                      n - 100));
}

/* Creates an empty file private to the user, in a folder private to the user,
 * so SQLite starts a new database in it. */
static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_READ_ONLY,
                   _("The folder “%s” cannot be created: %s."), dir, g_strerror (saved_errno));
      return FALSE;
    }

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST)
    {
      int saved_errno = errno;
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_READ_ONLY,
                   _("The file “%s” cannot be created: %s."), path, g_strerror (saved_errno));
      return FALSE;
    }
  if (fd >= 0)
    close (fd);

  return TRUE;
}

/* Writes the backup Roster makes before it changes a file's schema. */
static gboolean
backup_progress_cb (double     fraction,
                    gpointer   data,
                    GError   **error)
{
  RosterPrepareMeter *meter = data;

  _roster_prepare_meter_set (meter, fraction);
  return !_roster_prepare_meter_cancelled (meter, error);
}

static gboolean
backup_before_migration (RosterSchemaFile    *file,
                         RosterPrepareMeter  *meter,
                         GError             **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d-%H%M%S");
  g_autofree char *what = g_strdup_printf ("before-v%d-from-v%" G_GINT64_FORMAT "-%s.db",
                                           ROSTER_SCHEMA_VERSION, file->version, stamp);

  return _roster_backup_from_connection (file->db, file->path, what,
                                         meter != NULL ? backup_progress_cb : NULL, meter, error);
}

/* Whether opening @db for writing changes the file itself before anything the
 * person does: a schema to bring up to date (with its backup), or the switch
 * to WAL, which rewrites the header. A file already in WAL mode at this
 * version is only read until the person changes something. */
static gboolean
open_writes (sqlite3  *db,
             gint64    version,
             gboolean  create)
{
  sqlite3_stmt *stmt = NULL;
  gboolean wal = FALSE;

  if (create)
    return FALSE;
  if (version < ROSTER_SCHEMA_VERSION)
    return TRUE;
  /* Asked without a value, the pragma only reads the mode. */
  if (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
  sqlite3_finalize (stmt);
  return !wal;
}

/* Reads every page of @db (PRAGMA quick_check, about half a second for a
 * million tasks). Shared by the checks before a migration (check_sound()),
 * after an open (roster-store-check.c) and of a backup (roster-backup.c). */
RosterPages
_roster_check_pages (sqlite3 *db,
                     int     *rc)
{
  sqlite3_stmt *stmt = NULL;
  RosterPages pages = ROSTER_PAGES_UNREAD;

  *rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check(1)", -1, &stmt, NULL);
  if (*rc == SQLITE_OK)
    *rc = sqlite3_step (stmt);
  if (*rc == SQLITE_ROW)
    pages = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0 ? ROSTER_PAGES_SOUND
                                                                               : ROSTER_PAGES_DAMAGED;
  else if ((*rc & 0xff) == SQLITE_CORRUPT || (*rc & 0xff) == SQLITE_NOTADB)
    pages = ROSTER_PAGES_DAMAGED;
  sqlite3_finalize (stmt);
  return pages;
}

/* A damaged page is otherwise found only when something reads it, which may
 * be after the migration or the WAL switch has written the file. */
static gboolean
check_sound (sqlite3     *db,
             const char  *display,
             GError     **error)
{
  int rc;

  switch (_roster_check_pages (db, &rc))
    {
    case ROSTER_PAGES_SOUND:
      return TRUE;
    case ROSTER_PAGES_UNREAD:
      /* A lock or a read error says nothing about the file's pages. */
      _roster_set_sqlite_error (error, db, rc);
      g_prefix_error (error, _("Cannot read “%s”: "), display);
      return FALSE;
    case ROSTER_PAGES_DAMAGED:
    default:
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_A_DATABASE,
                   _("“%s” is not a Roster file: it is damaged or not a database."), display);
      return FALSE;
    }
}

static void
set_cache_size (sqlite3 *db,
                int      kib)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = -%d", kib);

  exec_sql (db, sql, NULL);
}

static sqlite3 *
open_connection (const char  *path,
                 gboolean     read_only,
                 const char  *display,
                 GError     **error)
{
  sqlite3 *db = NULL;
  /* One connection per store, used from one thread: no mutexes needed. */
  int rc = sqlite3_open_v2 (path, &db,
                            (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
                            SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                            NULL);

  if (rc != SQLITE_OK)
    {
      _roster_set_sqlite_error (error, db, rc);
      g_prefix_error (error, _("Cannot open “%s”: "), display);
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, ROSTER_BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (db, TRUE);
  return db;
}

void
_roster_schema_file_clear (RosterSchemaFile *file)
{
  g_clear_pointer (&file->path, g_free);
  g_clear_pointer (&file->display, g_free);
  if (file->db != NULL)
    sqlite3_close (file->db);
  file->db = NULL;
}

gboolean
_roster_schema_check (const char        *path,
                      RosterOpenFlags    flags,
                      RosterSchemaFile  *file,
                      GError           **error)
{
  g_autoptr(GHashTable) tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = g_filename_display_name (path);
  sqlite3 *db = NULL;
  gint64 app_id = 0, version = 0;
  gboolean read_only = (flags & ROSTER_OPEN_READ_ONLY) != 0;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_A_DATABASE,
                   _("“%s” is a folder, not a Roster file."), display);
      return FALSE;
    }

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (read_only)
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_FAILED,
                       _("“%s” does not exist."), display);
          return FALSE;
        }
      if (!create_private_file (path, error))
        return FALSE;
    }

  db = open_connection (path, read_only, display, error);
  if (db == NULL)
    return FALSE;

  /* Read-only questions first: a file we refuse must stay byte-for-byte as it was. */
  if (!query_int (db, "PRAGMA application_id", &app_id, &local_error) ||
      !query_int (db, "PRAGMA user_version", &version, &local_error) ||
      !list_tables (db, tables, &local_error))
    {
      if (g_error_matches (local_error, ROSTER_ERROR, ROSTER_ERROR_NOT_A_DATABASE))
        g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_A_DATABASE,
                     _("“%s” is not a Roster file: it is damaged or not a database."), display);
      else
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          g_prefix_error (error, _("Cannot read “%s”: "), display);
        }
      goto fail;
    }

  if (app_id != 0 && app_id != ROSTER_APPLICATION_ID)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_ROSTER,
                   _("“%s” is a database of another application, not a Roster file."), display);
      goto fail;
    }

  if (version > ROSTER_SCHEMA_VERSION)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NEWER_VERSION,
                   _("“%s” was saved by a newer version of Roster (file version %lld, "
                     "this version understands up to %d). Update Roster to open it."),
                   display, (long long) version, ROSTER_SCHEMA_VERSION);
      goto fail;
    }

  if (version == 0 && g_hash_table_size (tables) > 0 && !has_seed_tables (db, tables))
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_ROSTER,
                   _("“%s” is a database, but it does not hold Roster’s users, tasks and categories."),
                   display);
      goto fail;
    }

  /* A file SQLite could open only for reading (its mode, its folder's). */
  if (!read_only && sqlite3_db_readonly (db, "main") == 1)
    read_only = TRUE;

  file->path = g_strdup (path);
  file->display = g_steal_pointer (&display);
  file->db = db;
  file->version = version;
  file->create = g_hash_table_size (tables) == 0;
  file->read_only = read_only;
  return TRUE;

fail:
  sqlite3_close (db);
  return FALSE;
}

gboolean
_roster_schema_needs_preparing (RosterSchemaFile *file)
{
  return !file->read_only && open_writes (file->db, file->version, file->create);
}

/* Whether files can be made beside @path: a migration writes its journal
 * there (and the backup's folder). */
static gboolean
folder_writable (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  return g_access (dir, W_OK | X_OK) == 0;
}

/* WAL needs files beside the database: in a folder we may not write, the
 * switch fails, and the file is opened read-only instead. */
static gboolean
switch_to_wal (RosterSchemaFile  *file,
               GError           **error)
{
  g_autoptr(GError) local_error = NULL;

  if (exec_sql (file->db, "PRAGMA journal_mode = WAL", &local_error))
    return TRUE;

  if (!g_error_matches (local_error, ROSTER_ERROR, ROSTER_ERROR_READ_ONLY) &&
      !g_error_matches (local_error, ROSTER_ERROR, ROSTER_ERROR_FAILED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      g_prefix_error (error, _("Cannot open “%s”: "), file->display);
      return FALSE;
    }
  sqlite3_close (file->db);
  file->read_only = TRUE;
  file->db = open_connection (file->path, TRUE, file->display, error);
  return file->db != NULL;
}

gboolean
_roster_schema_prepare (RosterSchemaFile    *file,
                        GPtrArray           *problems,
                        RosterPrepareMeter  *meter,
                        GError             **error)
{
  gboolean check = _roster_schema_needs_preparing (file);
  gboolean migrate_rows = !file->read_only && file->version < ROSTER_SCHEMA_VERSION && !file->create;
  guint steps = 0;

  if (check)
    steps |= 1 << ROSTER_PREPARE_CHECK;
  if (migrate_rows)
    steps |= 1 << ROSTER_PREPARE_PROBLEMS | 1 << ROSTER_PREPARE_BACKUP | 1 << ROSTER_PREPARE_MIGRATE;
  if (!file->read_only)
    steps |= 1 << ROSTER_PREPARE_FINISH;
  _roster_prepare_meter_plan (meter, file->db, steps, file->version);

  /* Nothing below may write a file that turns out to be damaged. */
  _roster_prepare_meter_begin (meter, ROSTER_PREPARE_CHECK);
  if (check && !check_sound (file->db, file->display, error))
    goto fail;

  /* A file whose folder we may not write is opened read-only (and refused
   * below if it needs a migration): neither the journal nor the backup could
   * be written. */
  if (migrate_rows && !folder_writable (file->path))
    file->read_only = TRUE;

  if (!file->read_only && file->version < ROSTER_SCHEMA_VERSION)
    {
      set_cache_size (file->db, ROSTER_CACHE_SIZE_KIB);

      /* A file from elsewhere is checked once, as it arrives: the check reads
       * every row, far too slow for every start (see roster_store_check_file).
       * It only reads, so it comes before anything is written. */
      if (!file->create)
        {
          _roster_prepare_meter_begin (meter, ROSTER_PREPARE_PROBLEMS);
          collect_problems (file->db, problems);
          if (_roster_prepare_meter_cancelled (meter, error))
            goto fail;

          /* A file with rows in it is copied aside before its schema changes. */
          _roster_prepare_meter_begin (meter, ROSTER_PREPARE_BACKUP);
          if (!backup_before_migration (file, meter, error))
            {
              g_prefix_error (error, _("“%s” was left as it was: "), file->display);
              goto fail;
            }
        }

      /* In the file's own journal mode: until the migration has committed,
       * a rollback (or a crash) leaves the file byte-for-byte as it was,
       * which the switch to WAL, rewriting the header, would not. */
      _roster_prepare_meter_begin (meter, ROSTER_PREPARE_MIGRATE);
      if (!migrate (file->db, file->version, file->create, meter, error))
        {
          g_prefix_error (error, _("Cannot update “%s” for this version of Roster: "), file->display);
          goto fail;
        }
      file->version = ROSTER_SCHEMA_VERSION;
    }

  _roster_prepare_meter_begin (meter, ROSTER_PREPARE_FINISH);
  if (!file->read_only && !switch_to_wal (file, error))
    return FALSE;

  if (file->read_only)
    {
      if (file->version < ROSTER_SCHEMA_VERSION)
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_READ_ONLY,
                       _("“%s” must be updated for this version of Roster, but it cannot be written."),
                       file->display);
          return FALSE;
        }
      set_cache_size (file->db, ROSTER_READ_CACHE_SIZE_KIB);
      return TRUE;
    }

  /* From here on the file is ours to write. */
  if (!exec_sql (file->db, "PRAGMA synchronous = NORMAL", error) ||
      !exec_sql (file->db, "PRAGMA foreign_keys = ON", error))
    {
      g_prefix_error (error, _("Cannot open “%s”: "), file->display);
      return FALSE;
    }
  set_cache_size (file->db, ROSTER_READ_CACHE_SIZE_KIB);
  return TRUE;

fail:
  /* Stopped by the caller: say so, whatever SQLite made of the interruption. */
  if (_roster_prepare_meter_cancelled (meter, NULL))
    {
      g_clear_error (error);
      _roster_prepare_meter_cancelled (meter, error);
    }
  return FALSE;
}

sqlite3 *
_roster_schema_open (const char       *path,
                     RosterOpenFlags   flags,
                     GPtrArray        *problems,
                     gboolean         *read_only,
                     GError          **error)
{
  RosterSchemaFile file = { 0 };
  sqlite3 *db = NULL;

  if (!_roster_schema_check (path, flags, &file, error))
    return NULL;

  if ((flags & ROSTER_OPEN_IF_READY) != 0 && _roster_schema_needs_preparing (&file))
    g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NEEDS_PREPARING,
                 _("“%s” must be prepared for this version of Roster first."), file.display);
  else if (_roster_schema_prepare (&file, problems, NULL, error))
    {
      *read_only = file.read_only;
      db = g_steal_pointer (&file.db);
    }
  _roster_schema_file_clear (&file);
  return db;
}

/**
 * roster_store_check_file:
 * @path: a Roster file
 *
 * Looks for rows that break a foreign key (the seed's SQLModel classes never
 * enforce them), with a read-only connection of its own: safe to call from a
 * worker thread while a store has the file open. It reads every row, so it
 * takes a while on a large file.
 *
 * Returns: (transfer full): one sentence per problem (empty when none), or
 *   NULL with @error set.
 */
GPtrArray *
roster_store_check_file (const char  *path,
                         GError     **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    {
      _roster_set_sqlite_error (error, db, rc);
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, ROSTER_BUSY_TIMEOUT_MS);
  collect_problems (db, problems);
  sqlite3_close (db);

  return g_steal_pointer (&problems);
}
