/* roster-store.c: the one door to a Roster database. See roster-store.h.
 *
 * How a change flows: a public mutation validates its input, then runs a
 * "build" function inside BEGIN IMMEDIATE … COMMIT. The build function reads the
 * rows it needs from the file (the file is the truth, not the objects), records
 * each row operation in a RosterChange and runs it at once. Only after COMMIT
 * does reflect() bring the objects and the live lists up to date, emitting one
 * items-changed per list; then the change goes on the undo stack. Undo runs the
 * same operations backwards in a new transaction and reflects them the same way.
 *
 * Identity map: users and categories (few, small, always on screen) stay in
 * memory once read; tasks are held weakly, so only tasks somebody uses cost
 * memory.
 */
#define G_LOG_DOMAIN "roster-store"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "roster-find.h"
#include "roster-store-parts.h"

G_DEFINE_FINAL_TYPE (RosterStore, roster_store, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

enum {
  DAMAGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
_roster_store_notify (RosterStore *self,
                      guint        prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* ------------------------------------------------------------------------ */
/* Small helpers                                                             */

sqlite3_stmt *
_roster_store_stmt (RosterStore *self,
                    const char  *sql)
{
  return roster_statement (self->db, self->statements, sql);
}

/* Reads share one read transaction until the main loop goes idle, the next
 * write, or a refresh: rows bound in one frame cost one lock of the file
 * instead of one each (each lock is system calls on the WAL index). */
void
_roster_store_end_read (RosterStore *self)
{
  g_clear_handle_id (&self->reading_idle, g_source_remove);
  if (!self->reading)
    return;
  self->reading = FALSE;
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
}

static gboolean
end_read_idle_cb (gpointer data)
{
  RosterStore *self = data;

  self->reading_idle = 0;
  _roster_store_end_read (self);
  return G_SOURCE_REMOVE;
}

void
_roster_store_begin_read (RosterStore *self)
{
  /* Inside a write transaction, or one of ours, reads need nothing more. */
  if (self->reading || !sqlite3_get_autocommit (self->db))
    return;
  if (sqlite3_exec (self->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    return;
  self->reading = TRUE;
  self->reading_idle = g_idle_add (end_read_idle_cb, self);
}

static gboolean
emit_damaged_cb (gpointer data)
{
  RosterStore *self = data;

  self->damage_idle = 0;
  g_signal_emit (self, signals[DAMAGED], 0);
  return G_SOURCE_REMOVE;
}

/* SQLite finds a damaged page only when it reads it. The first time it does,
 * the store says so (the "damaged" signal, from the main loop: it may come
 * from deep inside a list's get_item()) and writes nothing from then on. */
void
_roster_store_note_failure (RosterStore *self,
                            int          rc)
{
  g_autofree char *display = NULL;

  if ((rc & 0xff) != SQLITE_CORRUPT && (rc & 0xff) != SQLITE_NOTADB)
    return;
  if (self->damage != NULL)
    return;

  display = g_filename_display_name (self->path);
  g_set_error (&self->damage, ROSTER_ERROR, ROSTER_ERROR_NOT_A_DATABASE,
               _("“%s” is damaged: part of it cannot be read. Nothing more is written to it."),
               display);
  g_message ("%s (%s)", self->damage->message, sqlite3_errstr (rc));
  if (self->damage_idle == 0)
    self->damage_idle = g_idle_add (emit_damaged_cb, self);
}

gint64 *
_roster_key_new (gint64 id)
{
  return g_memdup2 (&id, sizeof id);
}

static char *
dup_column (sqlite3_stmt *s,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (s, column));
}

/* Names in labels are cut short: a title may be a megabyte long. */
static char *
short_text (const char *text)
{
  const char *end;
  g_autofree char *line = NULL;

  if (text == NULL)
    return g_strdup ("");

  end = strchr (text, '\n');
  line = end ? g_strndup (text, end - text) : g_strdup (text);
  if (g_utf8_strlen (line, -1) > 40)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, 39);
      return g_strconcat (cut, "…", NULL);
    }
  return g_steal_pointer (&line);
}

/* The undo label of a change: @format (marked with N_()) with the short form
 * of @a (and @b). Inside a batch the batch's own label is the only one shown,
 * so nothing is formatted (nor translated) there: it was a tenth of the time
 * of building a large file. */
char *
_roster_store_describe (RosterStore *self,
                        const char  *format,
                        const char  *a,
                        const char  *b)
{
  g_autofree char *short_a = NULL;
  g_autofree char *short_b = NULL;
  char *label;

  if (self->batch != NULL)
    return NULL;

  short_a = short_text (a);
  short_b = b ? short_text (b) : NULL;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  label = g_strdup_printf (_(format), short_a, short_b);
#pragma GCC diagnostic pop
  return label;
}

void
_roster_read_task_columns (sqlite3_stmt  *s,
                           RosterTaskRow *row)
{
  row->id = sqlite3_column_int64 (s, 0);
  row->title = dup_column (s, 1);
  row->owner_id = sqlite3_column_int64 (s, 2);
  row->done = sqlite3_column_int (s, 3) != 0;
  row->notes = dup_column (s, 4);
  if (row->notes == NULL)
    row->notes = g_strdup ("");
  row->due_date = dup_column (s, 5);
  row->position = sqlite3_column_int64 (s, 6);
}

/* Reads a row through @db; SQLITE_ROW when found, SQLITE_DONE when not, or
 * an error. */
int
_roster_read_user (sqlite3       *db,
                   GHashTable    *statements,
                   gint64         id,
                   RosterUserRow *row)
{
  sqlite3_stmt *s = roster_statement (db, statements, "SELECT id, username FROM user WHERE id = ?1");
  int rc;

  sqlite3_bind_int64 (s, 1, id);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      row->id = sqlite3_column_int64 (s, 0);
      row->username = dup_column (s, 1);
    }
  sqlite3_reset (s);
  return rc;
}

/* The same through the store's connection. */
int
_roster_store_read_user_row (RosterStore   *self,
                             gint64         id,
                             RosterUserRow *row)
{
  _roster_store_begin_read (self);
  return _roster_read_user (self->db, self->statements, id, row);
}

int
_roster_store_read_task_row (RosterStore   *self,
                             gint64         id,
                             RosterTaskRow *row)
{
  sqlite3_stmt *s;
  int rc;

  _roster_store_begin_read (self);
  s = _roster_store_stmt (self, "SELECT " ROSTER_TASK_COLUMNS " FROM task WHERE id = ?1");
  sqlite3_bind_int64 (s, 1, id);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    _roster_read_task_columns (s, row);
  sqlite3_reset (s);
  return rc;
}

int
_roster_store_read_category_row (RosterStore       *self,
                                 gint64             id,
                                 RosterCategoryRow *row)
{
  sqlite3_stmt *s;
  int rc;

  _roster_store_begin_read (self);
  s = _roster_store_stmt (self, "SELECT id, name, color FROM category WHERE id = ?1");
  sqlite3_bind_int64 (s, 1, id);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      row->id = sqlite3_column_int64 (s, 0);
      row->name = dup_column (s, 1);
      row->color = dup_column (s, 2);
    }
  sqlite3_reset (s);
  return rc;
}

static gboolean
read_failed (RosterStore  *self,
             int           rc,
             GError      **error)
{
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return FALSE;
  _roster_store_note_failure (self, rc);
  _roster_set_sqlite_error (error, self->db, rc);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Identity map                                                              */

RosterUser *
_roster_store_lookup_user (RosterStore *self,
                           gint64       id)
{
  return g_hash_table_lookup (self->users, &id);
}

RosterCategory *
_roster_store_lookup_category (RosterStore *self,
                               gint64       id)
{
  return g_hash_table_lookup (self->categories, &id);
}

RosterTask *
_roster_store_lookup_task (RosterStore *self,
                           gint64       id)
{
  return g_hash_table_lookup (self->tasks, &id);
}

RosterUser *
_roster_store_add_user (RosterStore         *self,
                        const RosterUserRow *row)
{
  RosterUser *user = _roster_user_new (self, row);

  g_hash_table_insert (self->users, _roster_key_new (row->id), user);
  return user;
}

RosterCategory *
_roster_store_add_category (RosterStore             *self,
                            const RosterCategoryRow *row)
{
  RosterCategory *category = _roster_category_new (self, row);

  g_hash_table_insert (self->categories, _roster_key_new (row->id), category);
  return category;
}

/* (transfer none) The user, read from the file if not in memory yet. */
RosterUser *
_roster_store_ensure_user (RosterStore  *self,
                           gint64        id,
                           GError      **error)
{
  RosterUser *user = _roster_store_lookup_user (self, id);
  RosterUserRow row = { 0 };
  int rc;

  if (user != NULL)
    return user;

  rc = _roster_store_read_user_row (self, id, &row);
  if (read_failed (self, rc, error))
    return NULL;
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                   _("There is no user number %lld."), (long long) id);
      return NULL;
    }

  user = _roster_store_add_user (self, &row);
  roster_user_row_clear (&row);
  return user;
}

RosterCategory *
_roster_store_ensure_category (RosterStore  *self,
                               gint64        id,
                               GError      **error)
{
  RosterCategory *category = _roster_store_lookup_category (self, id);
  RosterCategoryRow row = { 0 };
  int rc;

  if (category != NULL)
    return category;

  rc = _roster_store_read_category_row (self, id, &row);
  if (read_failed (self, rc, error))
    return NULL;
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                   _("There is no tag number %lld."), (long long) id);
      return NULL;
    }

  category = _roster_store_add_category (self, &row);
  roster_category_row_clear (&row);
  return category;
}

/* Tasks hold no reference from the map: a task points back at the store and
 * leaves the map when its last reference goes (cheaper than a weak ref, which
 * costs a qdata entry per task). */
void
_roster_store_map_task (RosterStore *self,
                        RosterTask  *task)
{
  g_hash_table_insert (self->tasks, _roster_task_get_id_ptr (task), task);
  _roster_task_attach (task, self);
}

void
_roster_store_unmap_task (RosterStore *self,
                          RosterTask  *task)
{
  _roster_task_detach (task);
  g_hash_table_remove (self->tasks, _roster_task_get_id_ptr (task));
}

void
_roster_store_forget_task (RosterStore *self,
                           RosterTask  *task)
{
  if (g_hash_table_lookup (self->tasks, _roster_task_get_id_ptr (task)) == task)
    g_hash_table_remove (self->tasks, _roster_task_get_id_ptr (task));
}

/* (transfer full) A task object for @row: the one in memory, or a new one. */
RosterTask *
_roster_store_task_from_row (RosterStore         *self,
                             const RosterTaskRow *row)
{
  RosterTask *task = _roster_store_lookup_task (self, row->id);

  if (task != NULL)
    return g_object_ref (task);

  task = _roster_task_new (self, row, _roster_store_ensure_user (self, row->owner_id, NULL));
  _roster_store_map_task (self, task);
  return task;
}

/* The same, taking the row's strings (and clearing it). */
RosterTask *
_roster_store_task_from_row_take (RosterStore   *self,
                                  RosterTaskRow *row)
{
  RosterTask *task = _roster_store_lookup_task (self, row->id);

  if (task != NULL)
    {
      roster_task_row_clear (row);
      return g_object_ref (task);
    }

  task = _roster_task_new_take (self, row, _roster_store_ensure_user (self, row->owner_id, NULL));
  _roster_store_map_task (self, task);
  return task;
}

gboolean
_roster_store_user_is_live (RosterStore  *self,
                            RosterUser   *user,
                            GError      **error)
{
  if (user == NULL || _roster_store_lookup_user (self, roster_user_get_id (user)) != user)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                   _("This user has been deleted."));
      return FALSE;
    }
  return TRUE;
}

gboolean
_roster_store_task_is_live (RosterStore  *self,
                            RosterTask   *task,
                            GError      **error)
{
  if (task == NULL || _roster_store_lookup_task (self, roster_task_get_id (task)) != task)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                   _("This task has been deleted."));
      return FALSE;
    }
  return TRUE;
}

gboolean
_roster_store_category_is_live (RosterStore     *self,
                                RosterCategory  *category,
                                GError         **error)
{
  if (category == NULL || _roster_store_lookup_category (self, roster_category_get_id (category)) != category)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                   _("This tag has been deleted."));
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Find's index                                                              */

/* Rows a catch-up does in one go, and the time after which it stops: short
 * enough not to hold up a frame. */
#define FIND_CATCH_UP_ROWS 4096
#define FIND_CATCH_UP_USEC 8000

static gboolean
find_catch_up_cb (gpointer data)
{
  RosterStore *self = data;
  guint n_done = 0;
  int rc;

  /* A batch's rows are not committed yet: its commit calls again. A
   * damaged file is never written. */
  if (self->batch != NULL || self->damage != NULL || self->work != NULL)
    {
      self->find_idle = 0;
      return G_SOURCE_REMOVE;
    }

  /* Never wait for another program's lock here: this runs on the main
   * thread, unasked. */
  _roster_store_end_read (self);
  sqlite3_busy_timeout (self->db, 0);
  rc = _roster_find_catch_up (self->db, self->statements, FIND_CATCH_UP_ROWS,
                              FIND_CATCH_UP_USEC, &n_done);
  sqlite3_busy_timeout (self->db, (int) self->busy_timeout_ms);

  self->find_idle = 0;
  if (rc == SQLITE_OK && n_done > 0)
    {
      self->find_idle = g_idle_add_full (G_PRIORITY_LOW, find_catch_up_cb, self, NULL);
      return G_SOURCE_REMOVE;
    }
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    {
      /* A search stays right meanwhile; try again later. */
      self->find_idle = g_timeout_add_seconds_full (G_PRIORITY_LOW, 2, find_catch_up_cb, self, NULL);
      return G_SOURCE_REMOVE;
    }
  if (rc != SQLITE_OK)
    {
      g_debug ("Find's index not brought up to date: %s", sqlite3_errstr (rc));
      _roster_store_note_failure (self, rc);
    }
  return G_SOURCE_REMOVE;
}

void
_roster_store_schedule_find_catch_up (RosterStore *self)
{
  if (self->find_idle != 0 || self->read_only || self->damage != NULL)
    return;
  self->find_idle = g_idle_add_full (G_PRIORITY_LOW, find_catch_up_cb, self, NULL);
}

/* ------------------------------------------------------------------------ */
/* Lists                                                                     */

void
_roster_store_forget_list (RosterStore *self,
                           RosterList  *list)
{
  gint64 id = _roster_list_get_owner_id (list);

  switch (_roster_list_get_kind (list))
    {
    case ROSTER_LIST_USERS:
      if (self->users_list == list)
        self->users_list = NULL;
      break;
    case ROSTER_LIST_CATEGORIES:
      if (self->categories_list == list)
        self->categories_list = NULL;
      break;
    case ROSTER_LIST_USER_TASKS:
      if (g_hash_table_lookup (self->user_task_lists, &id) == list)
        g_hash_table_remove (self->user_task_lists, &id);
      break;
    case ROSTER_LIST_TASK_CATEGORIES:
      if (g_hash_table_lookup (self->task_category_lists, &id) == list)
        g_hash_table_remove (self->task_category_lists, &id);
      break;
    case ROSTER_LIST_CATEGORY_TASKS:
    default:
      if (g_hash_table_lookup (self->category_task_lists, &id) == list)
        g_hash_table_remove (self->category_task_lists, &id);
      break;
    }
}

static GListModel *
keyed_list (RosterStore    *self,
            GHashTable     *lists,
            RosterListKind  kind,
            gint64          id)
{
  RosterList *list = g_hash_table_lookup (lists, &id);

  if (list != NULL)
    return g_object_ref (G_LIST_MODEL (list));

  list = _roster_list_new (self, kind, id);
  g_hash_table_insert (lists, _roster_key_new (id), list);
  return G_LIST_MODEL (list);
}

/* ------------------------------------------------------------------------ */
/* Running a change                                                          */

gboolean
_roster_store_exec (RosterStore  *self,
                    const char   *sql,
                    GError      **error)
{
  sqlite3_stmt *s = _roster_store_stmt (self, sql);
  int rc = sqlite3_step (s);

  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      _roster_set_sqlite_error (error, self->db, rc);
      return FALSE;
    }
  return TRUE;
}

void
_roster_store_rollback (RosterStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Runs op @index, just added to @change. On failure the op is dropped again,
 * so a change holds only what was done. Returns the SQLite result code. */
static int
run_op (RosterStore  *self,
        RosterChange *change,
        guint         index)
{
  int rc = roster_op_execute (self->db, self->statements,
                              &g_array_index (change->ops, RosterOp, index), TRUE);

  if (rc != SQLITE_OK)
    g_array_remove_index (change->ops, index);
  return rc;
}

/* Records an op of a row in @change and runs it (taking the rows, as
 * roster_change_add() does). */
int
_roster_store_run_new_op (RosterStore  *self,
                          RosterChange *change,
                          RosterOpKind  kind,
                          RosterTable   table,
                          gpointer      a,
                          gpointer      b)
{
  return run_op (self, change, roster_change_add (change, kind, table, a, b));
}

/* The same for a link. */
int
_roster_store_run_new_link (RosterStore  *self,
                            RosterChange *change,
                            RosterOpKind  kind,
                            gint64        task_id,
                            gint64        category_id)
{
  return run_op (self, change, roster_change_add_link (change, kind, task_id, category_id));
}

/* Runs the ops @change recorded from @first on. On a failure the failed op
 * and those after it are dropped, so that a change holds only what was done.
 * Returns the SQLite result code. */
static int
run_ops (RosterStore  *self,
         RosterChange *change,
         guint         first)
{
  for (guint k = first; k < change->ops->len; k++)
    {
      int rc = roster_op_execute (self->db, self->statements,
                                  &g_array_index (change->ops, RosterOp, k), TRUE);

      if (rc != SQLITE_OK)
        {
          g_array_set_size (change->ops, k);
          return rc;
        }
    }
  return SQLITE_OK;
}

gboolean
_roster_store_op_failed (RosterStore  *self,
                         int           rc,
                         GError      **error)
{
  if (rc == SQLITE_OK)
    return FALSE;

  _roster_store_note_failure (self, rc);
  if (rc == SQLITE_NOTFOUND)
    g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                 _("The item was changed or deleted by another program."));
  else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                 _("The item refers to a user, task or tag that no longer exists."));
  else
    _roster_set_sqlite_error (error, self->db, rc);
  return TRUE;
}

/* Takes back the ops from @first on, of a change that failed half-way inside
 * a batch, and forgets them. */
static gboolean
unrun_ops (RosterStore  *self,
           RosterChange *change,
           guint         first)
{
  gboolean ok = TRUE;

  for (guint k = change->ops->len; ok && k > first; k--)
    ok = roster_op_execute (self->db, self->statements,
                            &g_array_index (change->ops, RosterOp, k - 1), FALSE) == SQLITE_OK;
  g_array_set_size (change->ops, first);
  return ok;
}

gboolean
_roster_store_check_writable (RosterStore  *self,
                              GError      **error)
{
  g_autofree char *display = NULL;

  if (self->damage != NULL)
    {
      g_propagate_error (error, g_error_copy (self->damage));
      return FALSE;
    }
  if (self->work != NULL)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_BUSY,
                   _("Roster is still busy with “%s”. Try again when it is done."),
                   self->work_label);
      return FALSE;
    }
  if (!self->read_only)
    return TRUE;

  display = g_filename_display_name (self->path);
  g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_READ_ONLY,
               _("“%s” is open read-only: changes cannot be saved."), display);
  return FALSE;
}

gboolean
_roster_store_run_change (RosterStore      *self,
                          const char       *label,
                          RosterBuildFunc   build,
                          gpointer          data,
                          GError          **error)
{
  RosterChange *change;
  guint first;

  if (!_roster_store_check_writable (self, error))
    return FALSE;

  if (self->batch != NULL)
    {
      if (self->batch_error != NULL)
        {
          g_propagate_error (error, g_error_copy (self->batch_error));
          return FALSE;
        }

      /* Straight into the batch's own record: one change per mutation
       * would be an allocation and a copy each, on the hot path of imports. */
      first = self->batch->ops->len;
      if (!build (self, self->batch, data, error))
        {
          if (!unrun_ops (self, self->batch, first))
            self->batch_broken = TRUE;
          return FALSE;
        }
      return TRUE;
    }

  _roster_store_end_read (self);
  if (!_roster_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  change = roster_change_new (label);
  if (!build (self, change, data, error))
    {
      _roster_store_rollback (self);
      roster_change_free (change);
      return FALSE;
    }

  if (change->ops->len == 0)
    {
      _roster_store_rollback (self);
      roster_change_free (change);
      return TRUE;
    }

  if (!_roster_store_exec (self, "COMMIT", error))
    {
      _roster_store_rollback (self);
      roster_change_free (change);
      return FALSE;
    }

  _roster_store_reflect (self, change, TRUE, TRUE);
  _roster_store_push_undo (self, change);
  return TRUE;
}

/* The last op of the change that was run, as the row it inserted (for the
 * create functions), or NULL when nothing was inserted. */
gpointer
_roster_store_last_inserted_row (RosterStore *self,
                                 RosterChange *change)
{
  RosterOp *op;

  if (change->ops->len == 0)
    return NULL;
  op = &g_array_index (change->ops, RosterOp, change->ops->len - 1);
  return op->kind == ROSTER_OP_INSERT ? op->u.rows.a : NULL;
}

/* Reads the current row of @table with @id into a new row struct, or sets
 * ROSTER_ERROR_NOT_FOUND (or the database error) and returns NULL. */
gpointer
_roster_store_read_row (RosterStore  *self,
                        RosterTable   table,
                        gint64        id,
                        GError      **error)
{
  gpointer row;
  int rc;

  switch (table)
    {
    case ROSTER_TABLE_USER:
      row = g_new0 (RosterUserRow, 1);
      rc = _roster_store_read_user_row (self, id, row);
      break;
    case ROSTER_TABLE_TASK:
      row = g_new0 (RosterTaskRow, 1);
      rc = _roster_store_read_task_row (self, id, row);
      break;
    case ROSTER_TABLE_CATEGORY:
    case ROSTER_TABLE_LINK:
    default:
      row = g_new0 (RosterCategoryRow, 1);
      rc = _roster_store_read_category_row (self, id, row);
      break;
    }

  if (rc == SQLITE_ROW)
    return row;

  g_free (row);
  _roster_store_op_failed (self, rc == SQLITE_DONE ? SQLITE_NOTFOUND : rc, error);
  return NULL;
}

/* Records and runs the deletion of one row, as it is now in the file. */
gboolean
_roster_store_delete_row (RosterStore   *self,
                          RosterChange  *change,
                          RosterTable    table,
                          gint64         id,
                          GError       **error)
{
  gpointer row = _roster_store_read_row (self, table, id, error);
  int rc;

  if (row == NULL)
    return FALSE;
  rc = _roster_store_run_new_op (self, change, ROSTER_OP_DELETE, table, row, NULL);
  return !_roster_store_op_failed (self, rc, error);
}

/* Records and runs the deletion of every link of one task (@of_task) or of
 * one category. */
gboolean
_roster_store_delete_links (RosterStore   *self,
                            RosterChange  *change,
                            gboolean       of_task,
                            gint64         id,
                            GError       **error)
{
  g_autoptr(GArray) others = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *s;
  int rc;

  s = of_task ? _roster_store_stmt (self, "SELECT category_id FROM taskcategorylink WHERE task_id = ?1")
              : _roster_store_stmt (self, "SELECT task_id FROM taskcategorylink WHERE category_id = ?1");
  sqlite3_bind_int64 (s, 1, id);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      gint64 other = sqlite3_column_int64 (s, 0);
      g_array_append_val (others, other);
    }
  sqlite3_reset (s);
  if (_roster_store_op_failed (self, rc == SQLITE_DONE ? SQLITE_OK : rc, error))
    return FALSE;

  for (guint i = 0; i < others->len; i++)
    {
      gint64 other = g_array_index (others, gint64, i);

      rc = of_task ? _roster_store_run_new_link (self, change, ROSTER_OP_DELETE, id, other)
                   : _roster_store_run_new_link (self, change, ROSTER_OP_DELETE, other, id);
      if (_roster_store_op_failed (self, rc, error))
        return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Validation                                                                */

gboolean
_roster_check_text (const char      *text,
                    RosterTextKind   kind,
                    GError         **error)
{
  gboolean blank = TRUE;

  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_UTF8,
                   kind == ROSTER_TEXT_USERNAME
                   ? _("The username contains bytes that are not valid text (UTF-8).")
                   : kind == ROSTER_TEXT_TITLE
                   ? _("The title contains bytes that are not valid text (UTF-8).")
                   : kind == ROSTER_TEXT_CATEGORY
                   ? _("The tag name contains bytes that are not valid text (UTF-8).")
                   : _("The notes contain bytes that are not valid text (UTF-8)."));
      return FALSE;
    }

  if (kind == ROSTER_TEXT_NOTES)
    return TRUE;

  for (const char *p = text; p != NULL && *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      {
        blank = FALSE;
        break;
      }

  if (blank)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_EMPTY,
                   kind == ROSTER_TEXT_USERNAME ? _("A username cannot be empty.")
                   : kind == ROSTER_TEXT_TITLE ? _("A task needs a title.")
                   : _("A tag name cannot be empty."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_color (const char  *color,
             GError     **error)
{
  gboolean ok = color != NULL && strlen (color) == 7 && color[0] == '#';

  for (guint i = 1; ok && i < 7; i++)
    ok = g_ascii_isxdigit (color[i]);

  if (!ok)
    g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID,
                 _("“%s” is not a colour: use the form #rrggbb."), color ? color : "");
  return ok;
}

static void
duplicate_error (GError     **error,
                 gboolean     user,
                 const char  *name)
{
  g_autofree char *shown = short_text (name);

  if (user)
    g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_DUPLICATE,
                 _("There is already a user called “%s”."), shown);
  else
    g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_DUPLICATE,
                 _("There is already a tag called “%s”."), shown);
}

/* ------------------------------------------------------------------------ */
/* Users                                                                     */

static gboolean
build_create_user (RosterStore   *self,
                   RosterChange  *change,
                   gpointer       data,
                   GError       **error)
{
  RosterBuildArgs *args = data;
  RosterUserRow *row = g_new0 (RosterUserRow, 1);
  int rc;

  row->username = g_strdup (args->text);
  rc = _roster_store_run_new_op (self, change, ROSTER_OP_INSERT, ROSTER_TABLE_USER, row, NULL);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      duplicate_error (error, TRUE, args->text);
      return FALSE;
    }
  return !_roster_store_op_failed (self, rc, error);
}

/**
 * roster_store_create_user:
 *
 * Returns: (transfer full): the new user, or NULL with @error set.
 */
RosterUser *
roster_store_create_user (RosterStore  *self,
                          const char   *username,
                          GError      **error)
{
  g_autoptr(RosterChange) change = NULL;
  g_autofree char *label = NULL;
  RosterBuildArgs args = { .text = username };
  RosterUserRow *row;
  gint64 id;

  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  if (!_roster_check_text (username, ROSTER_TEXT_USERNAME, error))
    return NULL;

  label = _roster_store_describe (self, N_("Add user “%s”"), username, NULL);

  /* The id SQLite gives the row is in the op; find it through a tiny build. */
  if (self->batch == NULL)
    {
      if (!_roster_store_run_change (self, label, build_create_user, &args, error))
        return NULL;
      row = _roster_store_last_inserted_row (self, g_queue_peek_head (&self->undo));
      g_assert (row != NULL);
      id = row->id;
    }
  else
    {
      if (!_roster_store_run_change (self, label, build_create_user, &args, error))
        return NULL;
      row = _roster_store_last_inserted_row (self, self->batch);
      g_assert (row != NULL);
      id = row->id;
      if (_roster_store_lookup_user (self, id) == NULL)
        _roster_store_add_user (self, row);
    }

  return g_object_ref (_roster_store_lookup_user (self, id));
}

static gboolean
build_update_user (RosterStore   *self,
                   RosterChange  *change,
                   gpointer       data,
                   GError       **error)
{
  RosterBuildArgs *args = data;
  RosterUserRow *old = _roster_store_read_row (self, ROSTER_TABLE_USER, roster_user_get_id (args->user), error);
  RosterUserRow *new;
  int rc;

  if (old == NULL)
    return FALSE;

  if (g_strcmp0 (old->username, args->text) == 0)
    {
      roster_user_row_clear (old);
      g_free (old);
      return TRUE;
    }

  new = g_new0 (RosterUserRow, 1);
  new->id = old->id;
  new->username = g_strdup (args->text);
  rc = _roster_store_run_new_op (self, change, ROSTER_OP_UPDATE, ROSTER_TABLE_USER, old, new);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      duplicate_error (error, TRUE, args->text);
      return FALSE;
    }
  return !_roster_store_op_failed (self, rc, error);
}

gboolean
roster_store_rename_user (RosterStore  *self,
                          RosterUser   *user,
                          const char   *username,
                          GError      **error)
{
  g_autofree char *label = NULL;
  RosterBuildArgs args = { .user = user, .text = username };

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  if (!_roster_store_user_is_live (self, user, error) ||
      !_roster_check_text (username, ROSTER_TEXT_USERNAME, error))
    return FALSE;

  label = _roster_store_describe (self, N_("Rename user “%s”"), roster_user_get_username (user), NULL);
  return _roster_store_run_change (self, label, build_update_user, &args, error);
}

/* Records in @change what deleting user @user_id does, reading the rows
 * through @db (and its statement cache @statements): with
 * ROSTER_DELETE_USER_AND_TASKS the deletion of the links of the user's tasks,
 * then of the tasks; with ROSTER_DELETE_USER_MOVE_TASKS each task given to
 * @heir_id, at the end of their list; then the deletion of the user. Runs
 * none of them: the store runs them on its own connection, and a worker on
 * its own for a user with thousands of tasks (roster_store_delete_user_async()),
 * so that both delete the same rows in the same order. *@n_tasks is set to
 * how many tasks the user owns.
 *
 * Returns SQLITE_OK; SQLITE_NOTFOUND when the user is not in the file;
 * SQLITE_CONSTRAINT_FOREIGNKEY when @mode is ROSTER_DELETE_USER_ONLY and the
 * user owns tasks; or the SQLite error that stopped it. On failure @change
 * is left as it was. */
int
_roster_build_delete_user (sqlite3          *db,
                           GHashTable       *statements,
                           RosterChange     *change,
                           gint64            user_id,
                           RosterDeleteUser  mode,
                           gint64            heir_id,
                           guint            *n_tasks)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (roster_task_row_free);
  guint first = change->ops->len;
  RosterUserRow *user;
  sqlite3_stmt *s;
  int rc;

  rc = _roster_read_owned_tasks (db, statements, user_id, tasks);
  *n_tasks = tasks->len;
  if (rc != SQLITE_DONE)
    return rc;
  if (tasks->len > 0 && mode == ROSTER_DELETE_USER_ONLY)
    return SQLITE_CONSTRAINT_FOREIGNKEY;

  if (tasks->len > 0 && mode == ROSTER_DELETE_USER_AND_TASKS)
    {
      s = roster_statement (db, statements,
                            "SELECT l.task_id, l.category_id FROM taskcategorylink AS l "
                            "JOIN task AS t ON t.id = l.task_id WHERE t.owner_id = ?1");
      sqlite3_bind_int64 (s, 1, user_id);
      while ((rc = sqlite3_step (s)) == SQLITE_ROW)
        roster_change_add_link (change, ROSTER_OP_DELETE,
                                sqlite3_column_int64 (s, 0), sqlite3_column_int64 (s, 1));
      sqlite3_reset (s);
      if (rc != SQLITE_DONE)
        goto failed;

      for (guint i = 0; i < tasks->len; i++)
        roster_change_add (change, ROSTER_OP_DELETE, ROSTER_TABLE_TASK,
                           g_steal_pointer (&g_ptr_array_index (tasks, i)), NULL);
    }
  else if (tasks->len > 0 && mode == ROSTER_DELETE_USER_MOVE_TASKS)
    {
      gint64 position = _roster_max_position (db, statements, heir_id);

      for (guint i = 0; i < tasks->len; i++)
        {
          RosterTaskRow *old = g_steal_pointer (&g_ptr_array_index (tasks, i));
          RosterTaskRow *new = g_new0 (RosterTaskRow, 1);

          roster_task_row_copy (new, old);
          new->owner_id = heir_id;
          new->position = position += ROSTER_POSITION_STEP;
          roster_change_add (change, ROSTER_OP_UPDATE, ROSTER_TABLE_TASK, old, new);
        }
    }

  user = g_new0 (RosterUserRow, 1);
  rc = _roster_read_user (db, statements, user_id, user);
  if (rc != SQLITE_ROW)
    {
      g_free (user);
      if (rc == SQLITE_DONE)
        rc = SQLITE_NOTFOUND;
      goto failed;
    }
  roster_change_add (change, ROSTER_OP_DELETE, ROSTER_TABLE_USER, user, NULL);
  return SQLITE_OK;

failed:
  g_array_set_size (change->ops, first);
  return rc;
}

static gboolean
build_delete_user (RosterStore   *self,
                   RosterChange  *change,
                   gpointer       data,
                   GError       **error)
{
  RosterBuildArgs *args = data;
  gint64 heir_id = args->other != NULL ? roster_user_get_id (args->other) : 0;
  guint first = change->ops->len;
  guint n_tasks;
  int rc;

  _roster_store_forget_positions (self);
  rc = _roster_build_delete_user (self->db, self->statements, change, roster_user_get_id (args->user),
                                  args->mode, heir_id, &n_tasks);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    {
      g_autofree char *shown = short_text (roster_user_get_username (args->user));
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_HAS_TASKS,
                   g_dngettext (GETTEXT_PACKAGE,
                                "“%s” still owns %u task. Delete it too, or give it to another user.",
                                "“%s” still owns %u tasks. Delete them too, or give them to another user.",
                                n_tasks),
                   shown, n_tasks);
      return FALSE;
    }
  if (rc == SQLITE_OK)
    rc = run_ops (self, change, first);
  return !_roster_store_op_failed (self, rc, error);
}

gboolean
roster_store_delete_user (RosterStore       *self,
                          RosterUser        *user,
                          RosterDeleteUser   mode,
                          RosterUser        *heir,
                          GError           **error)
{
  g_autofree char *label = NULL;
  RosterBuildArgs args = { .user = user, .other = heir, .mode = mode };

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  if (!_roster_store_user_is_live (self, user, error))
    return FALSE;

  if (mode == ROSTER_DELETE_USER_MOVE_TASKS)
    {
      if (heir == NULL || heir == user)
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NO_OWNER,
                       _("Choose another user to give the tasks to."));
          return FALSE;
        }
      if (!_roster_store_user_is_live (self, heir, error))
        return FALSE;
    }

  label = _roster_store_describe (self, N_("Delete user “%s”"), roster_user_get_username (user), NULL);
  return _roster_store_run_change (self, label, build_delete_user, &args, error);
}

/* ------------------------------------------------------------------------ */
/* Categories                                                                */

static gboolean
build_create_category (RosterStore   *self,
                       RosterChange  *change,
                       gpointer       data,
                       GError       **error)
{
  RosterBuildArgs *args = data;
  RosterCategoryRow *row = g_new0 (RosterCategoryRow, 1);
  int rc;

  row->name = g_strdup (args->text);
  row->color = g_strdup (args->color);
  rc = _roster_store_run_new_op (self, change, ROSTER_OP_INSERT, ROSTER_TABLE_CATEGORY, row, NULL);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      duplicate_error (error, FALSE, args->text);
      return FALSE;
    }
  return !_roster_store_op_failed (self, rc, error);
}

/**
 * roster_store_create_category:
 *
 * Returns: (transfer full): the new category, or NULL with @error set.
 */
RosterCategory *
roster_store_create_category (RosterStore  *self,
                              const char   *name,
                              const char   *color,
                              GError      **error)
{
  g_autofree char *label = NULL;
  g_autofree char *lower = NULL;
  RosterBuildArgs args = { .text = name };
  RosterCategoryRow *row;
  RosterCategory *category;

  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  if (color == NULL)
    color = ROSTER_DEFAULT_COLOR;
  if (!_roster_check_text (name, ROSTER_TEXT_CATEGORY, error) || !check_color (color, error))
    return NULL;

  lower = g_ascii_strdown (color, -1);
  args.color = lower;
  label = _roster_store_describe (self, N_("Add tag “%s”"), name, NULL);
  if (!_roster_store_run_change (self, label, build_create_category, &args, error))
    return NULL;

  row = _roster_store_last_inserted_row (self, self->batch ? self->batch : g_queue_peek_head (&self->undo));
  g_assert (row != NULL);
  category = _roster_store_lookup_category (self, row->id);
  if (category == NULL)
    category = _roster_store_add_category (self, row);
  return g_object_ref (category);
}

typedef struct
{
  RosterCategory *category;
  const char     *name;
  const char     *color;
} CategoryEdit;

static gboolean
build_edit_category (RosterStore   *self,
                     RosterChange  *change,
                     gpointer       data,
                     GError       **error)
{
  CategoryEdit *edit = data;
  RosterCategoryRow *old = _roster_store_read_row (self, ROSTER_TABLE_CATEGORY,
                                                   roster_category_get_id (edit->category), error);
  RosterCategoryRow *new;
  int rc;

  if (old == NULL)
    return FALSE;

  new = g_new0 (RosterCategoryRow, 1);
  new->id = old->id;
  new->name = g_strdup (edit->name ? edit->name : old->name);
  new->color = g_strdup (edit->color ? edit->color : old->color);

  if (g_strcmp0 (old->name, new->name) == 0 && g_strcmp0 (old->color, new->color) == 0)
    {
      roster_category_row_clear (old);
      roster_category_row_clear (new);
      g_free (old);
      g_free (new);
      return TRUE;
    }

  rc = _roster_store_run_new_op (self, change, ROSTER_OP_UPDATE, ROSTER_TABLE_CATEGORY, old, new);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      duplicate_error (error, FALSE, edit->name);
      return FALSE;
    }
  return !_roster_store_op_failed (self, rc, error);
}

gboolean
roster_store_rename_category (RosterStore     *self,
                              RosterCategory  *category,
                              const char      *name,
                              GError         **error)
{
  g_autofree char *label = NULL;
  CategoryEdit edit = { category, name, NULL };

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  if (!_roster_store_category_is_live (self, category, error) ||
      !_roster_check_text (name, ROSTER_TEXT_CATEGORY, error))
    return FALSE;

  label = _roster_store_describe (self, N_("Rename tag “%s”"), roster_category_get_name (category), NULL);
  return _roster_store_run_change (self, label, build_edit_category, &edit, error);
}

gboolean
roster_store_set_category_color (RosterStore     *self,
                                 RosterCategory  *category,
                                 const char      *color,
                                 GError         **error)
{
  g_autofree char *label = NULL;
  g_autofree char *lower = NULL;
  CategoryEdit edit = { category, NULL, NULL };

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  if (!_roster_store_category_is_live (self, category, error) || !check_color (color, error))
    return FALSE;

  edit.color = lower = g_ascii_strdown (color, -1);
  label = _roster_store_describe (self, N_("Change the colour of tag “%s”"),
                                  roster_category_get_name (category), NULL);
  return _roster_store_run_change (self, label, build_edit_category, &edit, error);
}

static gboolean
build_delete_category (RosterStore   *self,
                       RosterChange  *change,
                       gpointer       data,
                       GError       **error)
{
  RosterBuildArgs *args = data;
  gint64 category_id = roster_category_get_id (args->category);

  return _roster_store_delete_links (self, change, FALSE, category_id, error) &&
         _roster_store_delete_row (self, change, ROSTER_TABLE_CATEGORY, category_id, error);
}

gboolean
roster_store_delete_category (RosterStore     *self,
                              RosterCategory  *category,
                              GError         **error)
{
  g_autofree char *label = NULL;
  RosterBuildArgs args = { .category = category };

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  if (!_roster_store_category_is_live (self, category, error))
    return FALSE;

  label = _roster_store_describe (self, N_("Delete tag “%s”"), roster_category_get_name (category), NULL);
  return _roster_store_run_change (self, label, build_delete_category, &args, error);
}

/* ------------------------------------------------------------------------ */
/* Tags                                                                      */

static gboolean
build_link (RosterStore   *self,
            RosterChange  *change,
            gpointer       data,
            GError       **error)
{
  RosterBuildArgs *args = data;
  gint64 task_id = roster_task_get_id (args->task);
  gint64 category_id = roster_category_get_id (args->category);
  gboolean tag = args->number != 0;
  int rc;

  /* No look first: the link's primary key says whether it is there already
   * (then the insert fails and nothing was done), and a delete that finds
   * nothing changes nothing. Either way there is nothing to record. */
  rc = _roster_store_run_new_link (self, change, tag ? ROSTER_OP_INSERT : ROSTER_OP_DELETE, task_id, category_id);
  if ((tag && rc == SQLITE_CONSTRAINT_PRIMARYKEY) || (!tag && rc == SQLITE_NOTFOUND))
    return TRUE;
  return !_roster_store_op_failed (self, rc, error);
}

static gboolean
link_task (RosterStore     *self,
           RosterTask      *task,
           RosterCategory  *category,
           gboolean         tag,
           GError         **error)
{
  g_autofree char *label = NULL;
  RosterBuildArgs args = { .task = task, .category = category, .number = tag };

  if (!_roster_store_task_is_live (self, task, error) || !_roster_store_category_is_live (self, category, error))
    return FALSE;

  label = tag ? _roster_store_describe (self, N_("Tag “%s” with “%s”"), roster_task_get_title (task),
                                        roster_category_get_name (category))
              : _roster_store_describe (self, N_("Remove tag “%s” from “%s”"),
                                        roster_category_get_name (category), roster_task_get_title (task));
  return _roster_store_run_change (self, label, build_link, &args, error);
}

gboolean
roster_store_tag_task (RosterStore     *self,
                       RosterTask      *task,
                       RosterCategory  *category,
                       GError         **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  return link_task (self, task, category, TRUE, error);
}

gboolean
roster_store_untag_task (RosterStore     *self,
                         RosterTask      *task,
                         RosterCategory  *category,
                         GError         **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  return link_task (self, task, category, FALSE, error);
}

/* ------------------------------------------------------------------------ */
/* Batches                                                                   */

void
roster_store_begin_batch (RosterStore *self,
                          const char  *label)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (ROSTER_IS_STORE (self));
  g_return_if_fail (self->batch == NULL);

  self->batch = roster_change_new (label);
  self->batch_positions = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->batch_broken = FALSE;
  _roster_store_end_read (self);
  if (!_roster_store_check_writable (self, &error) || !_roster_store_exec (self, "BEGIN IMMEDIATE", &error))
    self->batch_error = g_steal_pointer (&error);
}

void
roster_store_rollback_batch (RosterStore *self)
{
  RosterChange *batch;

  g_return_if_fail (ROSTER_IS_STORE (self));
  g_return_if_fail (self->batch != NULL);

  batch = g_steal_pointer (&self->batch);
  g_clear_pointer (&self->batch_positions, g_hash_table_unref);
  g_clear_error (&self->batch_error);
  _roster_store_rollback (self);
  roster_change_free (batch);
  /* Objects and lists read during the batch saw rows that never were, and
   * objects it created stand for rows that are gone: read them all again. */
  _roster_store_refresh_objects (self);
  _roster_store_reload_all_lists (self);
}

gboolean
roster_store_commit_batch (RosterStore  *self,
                           GError      **error)
{
  RosterChange *batch;

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->batch != NULL, FALSE);

  if (self->batch_error != NULL || self->batch_broken)
    {
      if (self->batch_error != NULL)
        g_propagate_error (error, g_steal_pointer (&self->batch_error));
      else
        g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_FAILED,
                     _("A change in the batch failed and could not be taken back; nothing was saved."));
      roster_store_rollback_batch (self);
      return FALSE;
    }

  if (!_roster_store_exec (self, "COMMIT", error))
    {
      roster_store_rollback_batch (self);
      return FALSE;
    }

  batch = g_steal_pointer (&self->batch);
  g_clear_pointer (&self->batch_positions, g_hash_table_unref);
  if (batch->ops->len == 0)
    {
      roster_change_free (batch);
      return TRUE;
    }

  _roster_store_reflect (self, batch, TRUE, FALSE);
  _roster_store_push_undo (self, batch);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Lookups and lists                                                         */

RosterUser *
roster_store_get_user (RosterStore  *self,
                       gint64        id,
                       GError      **error)
{
  RosterUser *user;

  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  user = _roster_store_ensure_user (self, id, error);
  return user ? g_object_ref (user) : NULL;
}

RosterUser *
roster_store_find_user (RosterStore *self,
                        const char  *username)
{
  sqlite3_stmt *s;
  gint64 id = 0;

  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (username != NULL, NULL);

  _roster_store_begin_read (self);
  s = _roster_store_stmt (self, "SELECT id FROM user WHERE username = ?1");
  sqlite3_bind_text (s, 1, username, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    id = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);

  return id > 0 ? roster_store_get_user (self, id, NULL) : NULL;
}

RosterTask *
roster_store_get_task (RosterStore  *self,
                       gint64        id,
                       GError      **error)
{
  RosterTask *task;
  RosterTaskRow row = { 0 };
  int rc;

  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  task = _roster_store_lookup_task (self, id);
  if (task != NULL)
    return g_object_ref (task);

  rc = _roster_store_read_task_row (self, id, &row);
  if (read_failed (self, rc, error))
    return NULL;
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                   _("There is no task number %lld."), (long long) id);
      return NULL;
    }

  task = _roster_store_task_from_row (self, &row);
  roster_task_row_clear (&row);
  return task;
}

RosterCategory *
roster_store_get_category (RosterStore  *self,
                           gint64        id,
                           GError      **error)
{
  RosterCategory *category;

  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  category = _roster_store_ensure_category (self, id, error);
  return category ? g_object_ref (category) : NULL;
}

RosterCategory *
roster_store_find_category (RosterStore *self,
                            const char  *name)
{
  sqlite3_stmt *s;
  gint64 id = 0;

  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  _roster_store_begin_read (self);
  s = _roster_store_stmt (self, "SELECT id FROM category WHERE name = ?1");
  sqlite3_bind_text (s, 1, name, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    id = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);

  return id > 0 ? roster_store_get_category (self, id, NULL) : NULL;
}

GListModel *
roster_store_list_users (RosterStore *self)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  if (self->users_list != NULL)
    return g_object_ref (G_LIST_MODEL (self->users_list));

  self->users_list = _roster_list_new (self, ROSTER_LIST_USERS, 0);
  return G_LIST_MODEL (self->users_list);
}

GListModel *
roster_store_list_categories (RosterStore *self)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  if (self->categories_list != NULL)
    return g_object_ref (G_LIST_MODEL (self->categories_list));

  self->categories_list = _roster_list_new (self, ROSTER_LIST_CATEGORIES, 0);
  return G_LIST_MODEL (self->categories_list);
}

GListModel *
roster_store_list_user_tasks (RosterStore *self,
                              RosterUser  *user)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (ROSTER_IS_USER (user), NULL);

  return keyed_list (self, self->user_task_lists, ROSTER_LIST_USER_TASKS,
                     roster_user_get_id (user));
}

GListModel *
roster_store_list_task_categories (RosterStore *self,
                                   RosterTask  *task)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (ROSTER_IS_TASK (task), NULL);

  return keyed_list (self, self->task_category_lists, ROSTER_LIST_TASK_CATEGORIES,
                     roster_task_get_id (task));
}

GListModel *
roster_store_list_category_tasks (RosterStore    *self,
                                  RosterCategory *category)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (ROSTER_IS_CATEGORY (category), NULL);

  return keyed_list (self, self->category_task_lists, ROSTER_LIST_CATEGORY_TASKS,
                     roster_category_get_id (category));
}

gboolean
_roster_store_count_user_tasks (RosterStore *self,
                                gint64       user_id,
                                guint       *n_tasks,
                                guint       *n_open)
{
  sqlite3_stmt *s;
  gboolean ok;

  _roster_store_begin_read (self);
  /* Kept by the schema's triggers (an aggregate, so a user without a row reads 0). */
  s = _roster_store_stmt (self, "SELECT total(n_tasks), total(n_open) FROM roster_user_count WHERE user_id = ?1");
  sqlite3_bind_int64 (s, 1, user_id);
  ok = sqlite3_step (s) == SQLITE_ROW;
  if (!ok)
    _roster_store_note_failure (self, sqlite3_errcode (self->db));
  if (ok)
    {
      *n_tasks = (guint) sqlite3_column_int64 (s, 0);
      *n_open = (guint) sqlite3_column_int64 (s, 1);
    }
  sqlite3_reset (s);
  return ok;
}

gboolean
_roster_store_count_category_tasks (RosterStore *self,
                                    gint64       category_id,
                                    guint       *n_tasks)
{
  sqlite3_stmt *s;
  gboolean ok;

  _roster_store_begin_read (self);
  s = _roster_store_stmt (self, "SELECT total(n_tasks) FROM roster_category_count WHERE category_id = ?1");
  sqlite3_bind_int64 (s, 1, category_id);
  ok = sqlite3_step (s) == SQLITE_ROW;
  if (ok)
    *n_tasks = (guint) sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  return ok;
}

/**
 * roster_store_set_busy_timeout:
 * @timeout_ms: how long a change waits for another program's write lock
 *
 * A change that finds the file locked by another program waits this long
 * (%ROSTER_BUSY_TIMEOUT_MS from roster_store_open()) before it fails with
 * %ROSTER_ERROR_BUSY. A window retrying kept edits sets it short, so that a
 * file still locked does not hold up the main loop.
 */
void
roster_store_set_busy_timeout (RosterStore *self,
                               guint        timeout_ms)
{
  g_return_if_fail (ROSTER_IS_STORE (self));

  self->busy_timeout_ms = MIN (timeout_ms, (guint) G_MAXINT);
  sqlite3_busy_timeout (self->db, (int) self->busy_timeout_ms);
}

/**
 * roster_store_find_tasks:
 * @text: what to look for
 * @limit: the most tasks to return
 * @more: (out) (optional): set to whether more tasks match
 *
 * Finds the tasks whose title or notes contain @text, whatever its case and
 * accents ("cafe" finds "Café"), oldest first.
 *
 * Returns: (transfer full) (element-type RosterTask): the tasks (empty for
 *   empty @text), or NULL with @error set.
 */
GPtrArray *
roster_store_find_tasks (RosterStore  *self,
                         const char   *text,
                         guint         limit,
                         gboolean     *more,
                         GError      **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean has_more = FALSE;
  int rc;

  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (more != NULL)
    *more = FALSE;
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_UTF8,
                   _("The text to find is not valid UTF-8."));
      return NULL;
    }

  _roster_store_begin_read (self);
  rc = _roster_find_query (self->db, self->statements, text, limit, ids, &has_more);
  if (rc != SQLITE_OK)
    {
      _roster_store_note_failure (self, rc);
      if ((rc & 0xff) == SQLITE_ERROR)
        {
          /* FTS5 says little more than "vtable constructor failed" when
           * its own tables are unreadable. */
          g_autofree char *display = g_filename_display_name (self->path);

          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_FAILED,
                       _("Find cannot read its index in “%s”: the file may be damaged."), display);
        }
      else
        _roster_set_sqlite_error (error, self->db, rc);
      return NULL;
    }

  for (guint i = 0; i < ids->len; i += ROSTER_LIST_ITEMS_PER_QUERY)
    _roster_store_load_list_items (self, ROSTER_LIST_USER_TASKS,
                                   &g_array_index (ids, gint64, i),
                                   MIN (ROSTER_LIST_ITEMS_PER_QUERY, ids->len - i), tasks);
  if (more != NULL)
    *more = has_more;
  return g_steal_pointer (&tasks);
}

gboolean
_roster_store_find_catch_up_all (RosterStore  *self,
                                 GError      **error)
{
  guint n_done;
  int rc;

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  _roster_store_end_read (self);
  do
    rc = _roster_find_catch_up (self->db, self->statements, FIND_CATCH_UP_ROWS, 0, &n_done);
  while (rc == SQLITE_OK && n_done > 0);
  if (rc != SQLITE_OK)
    {
      _roster_store_note_failure (self, rc);
      _roster_set_sqlite_error (error, self->db, rc);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* The object                                                                */

const char *
roster_store_get_path (RosterStore *self)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  return self->path;
}

/**
 * roster_store_get_problems:
 *
 * Returns: (transfer none) (element-type utf8): sentences describing rows that
 *   broke a foreign key when the file was opened; empty when there were none.
 */
GPtrArray *
roster_store_get_problems (RosterStore *self)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  return self->problems;
}

static void
roster_store_dispose (GObject *object)
{
  RosterStore *self = ROSTER_STORE (object);
  GHashTableIter iter;
  gpointer value;

  if (self->batch != NULL)
    roster_store_rollback_batch (self);
  if (self->db != NULL)
    _roster_store_end_read (self);
  g_clear_handle_id (&self->damage_idle, g_source_remove);
  g_clear_handle_id (&self->find_idle, g_source_remove);

  /* Objects may outlive the store: they must not call back into it. */
  if (self->users != NULL)
    {
      g_hash_table_iter_init (&iter, self->users);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        _roster_user_detach (value);
      g_hash_table_iter_init (&iter, self->categories);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        _roster_category_detach (value);
      g_hash_table_iter_init (&iter, self->tasks);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        _roster_task_detach (value);
      g_hash_table_remove_all (self->tasks);
    }

  _roster_store_dispose_history (self);

  G_OBJECT_CLASS (roster_store_parent_class)->dispose (object);
}

static void
roster_store_finalize (GObject *object)
{
  RosterStore *self = ROSTER_STORE (object);

  g_clear_pointer (&self->users, g_hash_table_unref);
  g_clear_pointer (&self->categories, g_hash_table_unref);
  g_clear_pointer (&self->tasks, g_hash_table_unref);
  g_clear_pointer (&self->user_task_lists, g_hash_table_unref);
  g_clear_pointer (&self->task_category_lists, g_hash_table_unref);
  g_clear_pointer (&self->category_task_lists, g_hash_table_unref);
  g_clear_pointer (&self->touched, g_ptr_array_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);  /* before the connection closes */
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_error (&self->batch_error);
  g_clear_error (&self->damage);
  g_clear_pointer (&self->work_label, g_free);

  G_OBJECT_CLASS (roster_store_parent_class)->finalize (object);
}

static void
roster_store_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  RosterStore *self = ROSTER_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, roster_store_get_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, roster_store_get_can_redo (self));
      break;
    case PROP_UNDO_LABEL:
      g_value_set_string (value, roster_store_get_undo_label (self));
      break;
    case PROP_REDO_LABEL:
      g_value_set_string (value, roster_store_get_redo_label (self));
      break;
    case PROP_WORKING:
      g_value_set_boolean (value, roster_store_get_working (self));
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, roster_store_get_progress (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_store_class_init (RosterStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = roster_store_dispose;
  object_class->finalize = roster_store_finalize;
  object_class->get_property = roster_store_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNDO_LABEL] =
    g_param_spec_string ("undo-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REDO_LABEL] =
    g_param_spec_string ("redo-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WORKING] =
    g_param_spec_boolean ("working", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RosterStore::damaged:
   *
   * A read found the file damaged (see roster_store_get_damage()). Emitted
   * once, from the main loop.
   */
  signals[DAMAGED] = g_signal_new ("damaged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
roster_store_init (RosterStore *self)
{
  self->statements = roster_statement_cache_new ();
  self->users = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->categories = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->tasks = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->user_task_lists = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->task_category_lists = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->category_task_lists = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->touched = g_ptr_array_new_with_free_func (g_object_unref);
  self->busy_timeout_ms = ROSTER_BUSY_TIMEOUT_MS;   /* as roster-schema.c opens the connection */
  self->problems = g_ptr_array_new_with_free_func (g_free);
  g_queue_init (&self->undo);
  g_queue_init (&self->redo);
}

/**
 * roster_store_open:
 * @path: the database file; created (with its folder) when missing
 *
 * Opens a Roster file, creating or migrating it as needed. A file Roster
 * cannot use (a newer version, another application's database, a damaged
 * file) is refused with a RosterError and left untouched.
 *
 * Returns: (transfer full): the store, or NULL with @error set.
 */
RosterStore *
roster_store_open (const char  *path,
                   GError     **error)
{
  return roster_store_open_full (path, ROSTER_OPEN_DEFAULT, error);
}

gint64
_roster_store_read_data_version (RosterStore *self)
{
  sqlite3_stmt *s = _roster_store_stmt (self, "PRAGMA data_version");
  gint64 version = 0;

  if (sqlite3_step (s) == SQLITE_ROW)
    version = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  return version;
}

/**
 * roster_store_open_full:
 * @path: the database file
 * @flags: how to open it
 *
 * Like roster_store_open(), with flags. A file that cannot be written opens
 * read-only even without %ROSTER_OPEN_READ_ONLY.
 *
 * Returns: (transfer full): the store, or NULL with @error set.
 */
RosterStore *
roster_store_open_full (const char       *path,
                        RosterOpenFlags   flags,
                        GError          **error)
{
  g_autoptr(RosterStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (ROSTER_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->db = _roster_schema_open (path, flags, self->problems, &self->read_only, error);
  if (self->db == NULL)
    return NULL;
  self->data_version = _roster_store_read_data_version (self);
  _roster_store_schedule_find_catch_up (self);

  return g_steal_pointer (&self);
}

/**
 * roster_store_get_damage:
 *
 * Returns: (nullable) (transfer none): why the file is damaged, once a read
 *   found it so (then every change fails with that error); NULL otherwise.
 */
const GError *
roster_store_get_damage (RosterStore *self)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  return self->damage;
}

gboolean
roster_store_is_read_only (RosterStore *self)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), TRUE);

  return self->read_only;
}

sqlite3 *
_roster_store_get_db (RosterStore *self)
{
  return self->db;
}

/* The values of @table, each with a reference (GLib 2.74 has no helper). */
static GPtrArray *
values_of (GHashTable *table)
{
  GPtrArray *values = g_ptr_array_new_full (g_hash_table_size (table), g_object_unref);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (values, g_object_ref (value));
  return values;
}

/* Re-reads every object in memory; those whose row is gone leave the map. */
void
_roster_store_refresh_objects (RosterStore *self)
{
  g_autoptr(GPtrArray) users = values_of (self->users);
  g_autoptr(GPtrArray) categories = values_of (self->categories);
  g_autoptr(GPtrArray) tasks = values_of (self->tasks);

  for (guint i = 0; i < users->len; i++)
    {
      RosterUser *user = g_ptr_array_index (users, i);
      gint64 id = roster_user_get_id (user);
      RosterUserRow row = { 0 };

      if (_roster_store_read_user_row (self, id, &row) == SQLITE_ROW)
        _roster_user_apply_row (user, &row);
      else
        g_hash_table_remove (self->users, &id);
      roster_user_row_clear (&row);
    }

  for (guint i = 0; i < categories->len; i++)
    {
      RosterCategory *category = g_ptr_array_index (categories, i);
      gint64 id = roster_category_get_id (category);
      RosterCategoryRow row = { 0 };

      if (_roster_store_read_category_row (self, id, &row) == SQLITE_ROW)
        _roster_category_apply_row (category, &row);
      else
        g_hash_table_remove (self->categories, &id);
      roster_category_row_clear (&row);
    }

  for (guint i = 0; i < tasks->len; i++)
    {
      RosterTask *task = g_ptr_array_index (tasks, i);
      RosterTaskRow row = { 0 };

      if (_roster_store_read_task_row (self, roster_task_get_id (task), &row) == SQLITE_ROW)
        _roster_task_apply_row (task, &row, _roster_store_ensure_user (self, row.owner_id, NULL));
      else
        _roster_store_unmap_task (self, task);
      roster_task_row_clear (&row);
    }
}

gboolean
roster_store_refresh (RosterStore *self)
{
  gint64 version;

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  /* A worker's commits are ours: they are taken in when it is done. */
  if (self->batch != NULL || self->work != NULL)
    return FALSE;

  _roster_store_end_read (self);
  version = _roster_store_read_data_version (self);
  if (version == self->data_version)
    return FALSE;
  self->data_version = version;

  _roster_store_forget_history (self);

  _roster_store_refresh_objects (self);
  _roster_store_reload_all_lists (self);
  return TRUE;
}
