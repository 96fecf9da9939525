/* roster-change.c: row operations of a change, and running them in SQLite. */
#define G_LOG_DOMAIN "roster-change"

#include "roster-change.h"

void
roster_user_record_clear (RosterUserRecord *row)
{
  g_clear_pointer (&row->username, g_free);
}

void
roster_task_record_clear (RosterTaskRecord *row)
{
  g_clear_pointer (&row->title, g_free);
  g_clear_pointer (&row->notes, g_free);
  g_clear_pointer (&row->due_date, g_free);
  g_clear_pointer (&row->due_time, g_free);
  g_clear_pointer (&row->recurrence, g_free);
}

void
roster_category_record_clear (RosterCategoryRecord *row)
{
  g_clear_pointer (&row->name, g_free);
  g_clear_pointer (&row->color, g_free);
}

void
roster_ical_record_clear (RosterIcalRecord *row)
{
  g_clear_pointer (&row->uid, g_free);
  g_clear_pointer (&row->vtodo, g_free);
  g_clear_pointer (&row->vtimezones, g_free);
  g_clear_pointer (&row->digest, g_free);
}

/* For a row of its own (a GDestroyNotify): clears and frees it; NULL is fine. */
void
roster_task_record_free (gpointer row)
{
  if (row == NULL)
    return;
  roster_task_record_clear (row);
  g_free (row);
}

void
roster_ical_record_free (gpointer row)
{
  if (row == NULL)
    return;
  roster_ical_record_clear (row);
  g_free (row);
}

void
roster_user_record_copy (RosterUserRecord    *dest,
                      const RosterUserRecord *src)
{
  dest->id = src->id;
  dest->username = g_strdup (src->username);
}

void
roster_task_record_copy (RosterTaskRecord    *dest,
                      const RosterTaskRecord *src)
{
  *dest = *src;
  dest->title = g_strdup (src->title);
  dest->notes = g_strdup (src->notes);
  dest->due_date = g_strdup (src->due_date);
  dest->due_time = g_strdup (src->due_time);
  dest->recurrence = g_strdup (src->recurrence);
}

void
roster_category_record_copy (RosterCategoryRecord    *dest,
                          const RosterCategoryRecord *src)
{
  dest->id = src->id;
  dest->name = g_strdup (src->name);
  dest->color = g_strdup (src->color);
}

void
roster_ical_record_copy (RosterIcalRecord       *dest,
                         const RosterIcalRecord *src)
{
  dest->task_id = src->task_id;
  dest->uid = g_strdup (src->uid);
  dest->vtodo = g_strdup (src->vtodo);
  dest->vtimezones = g_strdup (src->vtimezones);
  dest->digest = g_strdup (src->digest);
}

static void
free_row (RosterTable table,
          gpointer    row)
{
  if (row == NULL)
    return;

  switch (table)
    {
    case ROSTER_TABLE_USER:
      roster_user_record_clear (row);
      break;
    case ROSTER_TABLE_TASK:
      roster_task_record_clear (row);
      break;
    case ROSTER_TABLE_CATEGORY:
      roster_category_record_clear (row);
      break;
    case ROSTER_TABLE_ICAL:
      roster_ical_record_clear (row);
      break;
    case ROSTER_TABLE_LINK:
    default:
      g_assert_not_reached ();
    }
  g_free (row);
}

static void
op_clear (gpointer data)
{
  RosterOp *op = data;

  g_clear_object (&op->object);
  if (op->table != ROSTER_TABLE_LINK)
    {
      free_row (op->table, op->u.rows.a);
      free_row (op->table, op->u.rows.b);
    }
}

RosterChange *
roster_change_new (const char *label)
{
  RosterChange *change = g_new0 (RosterChange, 1);

  change->label = g_strdup (label);
  change->ops = g_array_new (FALSE, FALSE, sizeof (RosterOp));
  g_array_set_clear_func (change->ops, op_clear);

  return change;
}

void
roster_change_free (RosterChange *change)
{
  if (change == NULL)
    return;

  g_array_unref (change->ops);
  g_free (change->label);
  g_free (change);
}

guint
roster_change_add (RosterChange *change,
                   RosterOpKind  kind,
                   RosterTable   table,
                   gpointer      a,
                   gpointer      b)
{
  RosterOp op = { kind, table, NULL, { .rows = { a, b } } };

  g_assert (table != ROSTER_TABLE_LINK);
  g_array_append_val (change->ops, op);
  return change->ops->len - 1;
}

guint
roster_change_add_link (RosterChange *change,
                        RosterOpKind  kind,
                        gint64        task_id,
                        gint64        category_id)
{
  RosterOp op = { kind, ROSTER_TABLE_LINK, NULL, { .link = { task_id, category_id } } };

  g_assert (kind != ROSTER_OP_UPDATE);
  g_array_append_val (change->ops, op);
  return change->ops->len - 1;
}

RosterOpKind
roster_op_effective_kind (const RosterOp *op,
                          gboolean        forward)
{
  if (forward || op->kind == ROSTER_OP_UPDATE)
    return op->kind;
  return op->kind == ROSTER_OP_INSERT ? ROSTER_OP_DELETE : ROSTER_OP_INSERT;
}

gpointer
roster_op_effective_row (const RosterOp *op,
                         gboolean        forward)
{
  if (op->kind == ROSTER_OP_UPDATE && forward)
    return op->u.rows.b;
  return op->u.rows.a;
}

gpointer
roster_op_previous_row (const RosterOp *op,
                        gboolean        forward)
{
  if (op->kind != ROSTER_OP_UPDATE)
    return NULL;
  return forward ? op->u.rows.a : op->u.rows.b;
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

GHashTable *
roster_statement_cache_new (void)
{
  /* Keyed by the SQL's address, not its text: every statement is a string
   * constant, and hashing the text on each call was measurable. */
  return g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, finalize_statement);
}

sqlite3_stmt *
roster_statement (sqlite3    *db,
                  GHashTable *statements,
                  const char *sql)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (statements, sql);

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        {
          g_critical ("Cannot prepare “%s”: %s", sql, sqlite3_errmsg (db));
          return NULL;
        }
      g_hash_table_insert (statements, (gpointer) sql, stmt);
    }
  else
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }

  return stmt;
}

static void
bind_id (sqlite3_stmt *stmt,
         int           index,
         gint64        id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, index, id);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

static sqlite3_stmt *
prepare_user (sqlite3       *db,
              GHashTable    *statements,
              RosterOpKind   kind,
              RosterUserRecord *row)
{
  sqlite3_stmt *stmt;

  switch (kind)
    {
    case ROSTER_OP_INSERT:
      stmt = roster_statement (db, statements, "INSERT INTO user (id, username) VALUES (?1, ?2)");
      break;
    case ROSTER_OP_DELETE:
      stmt = roster_statement (db, statements, "DELETE FROM user WHERE id = ?1");
      break;
    case ROSTER_OP_UPDATE:
    default:
      stmt = roster_statement (db, statements, "UPDATE user SET username = ?2 WHERE id = ?1");
      break;
    }

  if (stmt == NULL)
    return NULL;

  bind_id (stmt, 1, row->id);
  if (kind != ROSTER_OP_DELETE)
    bind_text (stmt, 2, row->username);
  return stmt;
}

static sqlite3_stmt *
prepare_task (sqlite3       *db,
              GHashTable    *statements,
              RosterOpKind   kind,
              RosterTaskRecord *row)
{
  sqlite3_stmt *stmt;

  switch (kind)
    {
    case ROSTER_OP_INSERT:
      stmt = roster_statement (db, statements,
                               "INSERT INTO task (id, title, owner_id, done, notes, due_date, position, "
                               "due_time, priority, recurrence) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
      break;
    case ROSTER_OP_DELETE:
      stmt = roster_statement (db, statements, "DELETE FROM task WHERE id = ?1");
      break;
    case ROSTER_OP_UPDATE:
    default:
      stmt = roster_statement (db, statements,
                               "UPDATE task SET title = ?2, owner_id = ?3, done = ?4, notes = ?5, "
                               "due_date = ?6, position = ?7, due_time = ?8, priority = ?9, "
                               "recurrence = ?10 WHERE id = ?1");
      break;
    }

  if (stmt == NULL)
    return NULL;

  bind_id (stmt, 1, row->id);
  if (kind != ROSTER_OP_DELETE)
    {
      bind_text (stmt, 2, row->title);
      sqlite3_bind_int64 (stmt, 3, row->owner_id);
      sqlite3_bind_int (stmt, 4, row->done ? 1 : 0);
      bind_text (stmt, 5, row->notes ? row->notes : "");
      bind_text (stmt, 6, row->due_date);
      sqlite3_bind_int64 (stmt, 7, row->position);
      bind_text (stmt, 8, row->due_time);
      sqlite3_bind_int (stmt, 9, row->priority);
      bind_text (stmt, 10, row->recurrence ? row->recurrence : "");
    }
  return stmt;
}

static sqlite3_stmt *
prepare_category (sqlite3           *db,
                  GHashTable        *statements,
                  RosterOpKind       kind,
                  RosterCategoryRecord *row)
{
  sqlite3_stmt *stmt;

  switch (kind)
    {
    case ROSTER_OP_INSERT:
      stmt = roster_statement (db, statements,
                               "INSERT INTO category (id, name, color) VALUES (?1, ?2, ?3)");
      break;
    case ROSTER_OP_DELETE:
      stmt = roster_statement (db, statements, "DELETE FROM category WHERE id = ?1");
      break;
    case ROSTER_OP_UPDATE:
    default:
      stmt = roster_statement (db, statements,
                               "UPDATE category SET name = ?2, color = ?3 WHERE id = ?1");
      break;
    }

  if (stmt == NULL)
    return NULL;

  bind_id (stmt, 1, row->id);
  if (kind != ROSTER_OP_DELETE)
    {
      bind_text (stmt, 2, row->name);
      bind_text (stmt, 3, row->color);
    }
  return stmt;
}

/* The task's insert has made a row with a new UID already (the trigger
 * roster_ical_task_insert, see roster-schema.c): inserting the recorded one
 * takes its place, so that undoing a delete brings the task's own UID back.
 * Only the task's own row is replaced: a UID another task holds fails. */
static sqlite3_stmt *
prepare_ical (sqlite3          *db,
              GHashTable       *statements,
              RosterOpKind      kind,
              RosterIcalRecord *row)
{
  sqlite3_stmt *stmt;

  switch (kind)
    {
    case ROSTER_OP_INSERT:
      stmt = roster_statement (db, statements,
                               "INSERT INTO roster_ical (task_id, uid, vtodo, vtimezones, digest) "
                               "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (task_id) DO UPDATE SET "
                               "uid = excluded.uid, vtodo = excluded.vtodo, "
                               "vtimezones = excluded.vtimezones, digest = excluded.digest");
      break;
    case ROSTER_OP_DELETE:
      stmt = roster_statement (db, statements, "DELETE FROM roster_ical WHERE task_id = ?1");
      break;
    case ROSTER_OP_UPDATE:
    default:
      stmt = roster_statement (db, statements,
                               "UPDATE roster_ical SET uid = ?2, vtodo = ?3, vtimezones = ?4, digest = ?5 "
                               "WHERE task_id = ?1");
      break;
    }

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, row->task_id);
  if (kind != ROSTER_OP_DELETE)
    {
      bind_text (stmt, 2, row->uid);
      bind_text (stmt, 3, row->vtodo);
      bind_text (stmt, 4, row->vtimezones);
      bind_text (stmt, 5, row->digest);
    }
  return stmt;
}

int
roster_op_execute (sqlite3    *db,
                   GHashTable *statements,
                   RosterOp   *op,
                   gboolean    forward)
{
  RosterOpKind kind = roster_op_effective_kind (op, forward);
  gpointer row = op->table == ROSTER_TABLE_LINK ? NULL : roster_op_effective_row (op, forward);
  sqlite3_stmt *stmt = NULL;
  int rc;

  switch (op->table)
    {
    case ROSTER_TABLE_USER:
      stmt = prepare_user (db, statements, kind, row);
      break;
    case ROSTER_TABLE_TASK:
      stmt = prepare_task (db, statements, kind, row);
      break;
    case ROSTER_TABLE_CATEGORY:
      stmt = prepare_category (db, statements, kind, row);
      break;
    case ROSTER_TABLE_ICAL:
      stmt = prepare_ical (db, statements, kind, row);
      break;
    case ROSTER_TABLE_LINK:
    default:
      stmt = roster_statement (db, statements,
                               kind == ROSTER_OP_INSERT
                               ? "INSERT INTO taskcategorylink (task_id, category_id) VALUES (?1, ?2)"
                               : "DELETE FROM taskcategorylink WHERE task_id = ?1 AND category_id = ?2");
      if (stmt != NULL)
        {
          sqlite3_bind_int64 (stmt, 1, op->u.link.task_id);
          sqlite3_bind_int64 (stmt, 2, op->u.link.category_id);
        }
      break;
    }

  if (stmt == NULL)
    return sqlite3_errcode (db) != SQLITE_OK ? sqlite3_errcode (db) : SQLITE_ERROR;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    rc = SQLITE_OK;

  if (rc == SQLITE_OK && kind != ROSTER_OP_INSERT && sqlite3_changes (db) != 1)
    rc = SQLITE_NOTFOUND;  /* the row vanished (another program deleted it) */

  if (rc == SQLITE_OK && kind == ROSTER_OP_INSERT && op->table != ROSTER_TABLE_LINK)
    {
      /* Every row struct starts with its id. */
      gint64 *id = row;
      if (*id <= 0)
        *id = sqlite3_last_insert_rowid (db);
    }

  sqlite3_reset (stmt);
  return rc;
}
