/* roster-store-ical.c: a task's UID and last VTODO, in the file.
 *
 * Every task has a row in roster_ical (schema version 3, see roster-schema.c):
 * the UID it keeps for good, and the last VTODO seen for it, so that an export
 * patches what another program wrote instead of rebuilding it. Triggers give
 * a new task its row, whoever inserts it, and take the row away with the
 * task. Roster records the row in its changes too, as a child of the task
 * (after the task's insert, before its delete), so that undo and redo bring a
 * task back with the same UID: _roster_store_keep_new_ical() after an insert,
 * _roster_store_delete_ical() and _roster_record_delete_user_icals() before a
 * delete.
 *
 * The rest is what the iCalendar module (roster-ical-import.c,
 * roster-ical-export.c, roster-csv.c) reads and writes, through the store's
 * connection and its changes only (roster-store-ical.h).
 */
#define G_LOG_DOMAIN "roster-store"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "roster-store-ical.h"
#include "roster-store-parts.h"

/* ------------------------------------------------------------------------ */
/* The row, as changes record it                                             */

static int
read_ical (sqlite3          *db,
           GHashTable       *statements,
           gint64            task_id,
           RosterIcalRecord *row)
{
  sqlite3_stmt *s = roster_statement (db, statements,
                                      "SELECT task_id, uid, vtodo, vtimezones, digest "
                                      "FROM roster_ical WHERE task_id = ?1");
  int rc;

  sqlite3_bind_int64 (s, 1, task_id);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      row->task_id = sqlite3_column_int64 (s, 0);
      row->uid = g_strdup ((const char *) sqlite3_column_text (s, 1));
      row->vtodo = g_strdup ((const char *) sqlite3_column_text (s, 2));
      row->vtimezones = g_strdup ((const char *) sqlite3_column_text (s, 3));
      row->digest = g_strdup ((const char *) sqlite3_column_text (s, 4));
    }
  sqlite3_reset (s);
  return rc;
}

/* Reads @task_id's row into a new record: NULL with *@rc SQLITE_DONE when it
 * has none, or another code on an error. */
static RosterIcalRecord *
store_read_ical (RosterStore *self,
                 gint64       task_id,
                 int         *rc)
{
  RosterIcalRecord *row = g_new0 (RosterIcalRecord, 1);

  _roster_store_begin_read (self);
  *rc = read_ical (self->db, self->statements, task_id, row);
  if (*rc == SQLITE_ROW)
    return row;
  roster_ical_record_free (row);
  return NULL;
}

gboolean
_roster_store_keep_new_ical (RosterStore   *self,
                             RosterChange  *change,
                             gint64         task_id,
                             GError       **error)
{
  int rc;
  RosterIcalRecord *row = store_read_ical (self, task_id, &rc);

  /* The trigger made it; recording it is enough (a redo's insert replaces
   * the row the trigger makes then). */
  if (row != NULL)
    roster_change_add (change, ROSTER_OP_INSERT, ROSTER_TABLE_ICAL, row, NULL);
  return !_roster_store_op_failed (self, rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc, error);
}

gboolean
_roster_store_delete_ical (RosterStore   *self,
                           RosterChange  *change,
                           gint64         task_id,
                           GError       **error)
{
  int rc;
  RosterIcalRecord *row = store_read_ical (self, task_id, &rc);

  if (row == NULL)
    return !_roster_store_op_failed (self, rc == SQLITE_DONE ? SQLITE_OK : rc, error);
  rc = _roster_store_run_new_op (self, change, ROSTER_OP_DELETE, ROSTER_TABLE_ICAL, row, NULL);
  return !_roster_store_op_failed (self, rc, error);
}

int
_roster_record_delete_user_icals (sqlite3      *db,
                                  GHashTable   *statements,
                                  RosterChange *change,
                                  gint64        user_id)
{
  sqlite3_stmt *s = roster_statement (db, statements,
                                      "SELECT i.task_id, i.uid, i.vtodo, i.vtimezones, i.digest "
                                      "FROM task AS t JOIN roster_ical AS i ON i.task_id = t.id "
                                      "WHERE t.owner_id = ?1");
  int rc;

  sqlite3_bind_int64 (s, 1, user_id);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      RosterIcalRecord *row = g_new0 (RosterIcalRecord, 1);

      row->task_id = sqlite3_column_int64 (s, 0);
      row->uid = g_strdup ((const char *) sqlite3_column_text (s, 1));
      row->vtodo = g_strdup ((const char *) sqlite3_column_text (s, 2));
      row->vtimezones = g_strdup ((const char *) sqlite3_column_text (s, 3));
      row->digest = g_strdup ((const char *) sqlite3_column_text (s, 4));
      roster_change_add (change, ROSTER_OP_DELETE, ROSTER_TABLE_ICAL, row, NULL);
    }
  sqlite3_reset (s);
  return rc;
}

/* ------------------------------------------------------------------------ */
/* Importing                                                                 */

char *
_roster_ical_digest (const char         *title,
                     const char         *notes,
                     gboolean            done,
                     const char         *due_date,
                     const char         *due_time,
                     int                 priority,
                     const char         *recurrence,
                     gint64              position,
                     const char * const *tag_names,
                     guint               n_tags)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  char number[32];

  /* Each field ends with its NUL, so that no two lists of fields run together
   * the same way. The first is the digest's own version. */
  g_checksum_update (sum, (const guchar *) "1", 2);
  g_checksum_update (sum, (const guchar *) title, strlen (title) + 1);
  g_checksum_update (sum, (const guchar *) (notes ? notes : ""), strlen (notes ? notes : "") + 1);
  g_checksum_update (sum, (const guchar *) (done ? "done" : "open"), 5);
  g_checksum_update (sum, (const guchar *) (due_date ? due_date : "-"), strlen (due_date ? due_date : "-") + 1);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, position);
  g_checksum_update (sum, (const guchar *) number, strlen (number) + 1);
  for (guint i = 0; i < n_tags; i++)
    g_checksum_update (sum, (const guchar *) tag_names[i], strlen (tag_names[i]) + 1);
  /* Version 4's fields only when set, so that the digests stored before
   * them still match a task that has none (its VTODO is written as it is). */
  if (due_time != NULL || priority != 0 || (recurrence != NULL && *recurrence != '\0'))
    {
      g_snprintf (number, sizeof number, "plan %d", priority);
      g_checksum_update (sum, (const guchar *) number, strlen (number) + 1);
      g_checksum_update (sum, (const guchar *) (due_time ? due_time : "-"), strlen (due_time ? due_time : "-") + 1);
      g_checksum_update (sum, (const guchar *) (recurrence ? recurrence : ""), strlen (recurrence ? recurrence : "") + 1);
    }
  return g_strdup (g_checksum_get_string (sum));
}

gint64
_roster_store_ical_find_task (RosterStore  *self,
                              const char   *uid,
                              gint64       *owner_id,
                              GError      **error)
{
  sqlite3_stmt *s;
  gint64 task_id = 0;
  int rc;

  _roster_store_begin_read (self);
  s = _roster_store_stmt (self,
                          "SELECT i.task_id, t.owner_id FROM roster_ical AS i "
                          "JOIN task AS t ON t.id = i.task_id WHERE i.uid = ?1");
  sqlite3_bind_text (s, 1, uid, -1, SQLITE_STATIC);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      task_id = sqlite3_column_int64 (s, 0);
      *owner_id = sqlite3_column_int64 (s, 1);
      rc = SQLITE_OK;
    }
  sqlite3_reset (s);
  if (rc == SQLITE_DONE)
    rc = SQLITE_OK;
  _roster_store_op_failed (self, rc, error);
  return task_id;
}

static gboolean
same_task (const RosterTaskRecord *a,
           const RosterTaskRecord *b)
{
  return g_strcmp0 (a->title, b->title) == 0 && a->owner_id == b->owner_id && a->done == b->done &&
         g_strcmp0 (a->notes, b->notes) == 0 && g_strcmp0 (a->due_date, b->due_date) == 0 &&
         a->position == b->position && g_strcmp0 (a->due_time, b->due_time) == 0 &&
         a->priority == b->priority && g_strcmp0 (a->recurrence, b->recurrence) == 0;
}

static gboolean
same_ical (const RosterIcalRecord *a,
           const RosterIcalRecord *b)
{
  return g_strcmp0 (a->uid, b->uid) == 0 && g_strcmp0 (a->vtodo, b->vtodo) == 0 &&
         g_strcmp0 (a->vtimezones, b->vtimezones) == 0 && g_strcmp0 (a->digest, b->digest) == 0;
}

static void
fill_task (RosterTaskRecord    *row,
           const RosterIcalPut *put)
{
  g_free (row->title);
  row->title = g_strdup (put->title);
  g_free (row->notes);
  row->notes = g_strdup (put->notes ? put->notes : "");
  g_free (row->due_date);
  row->due_date = g_strdup (put->due_date);
  g_free (row->due_time);
  row->due_time = g_strdup (put->due_time);
  row->priority = put->priority;
  g_free (row->recurrence);
  row->recurrence = put->recurrence != NULL && *put->recurrence != '\0' ? g_strdup (put->recurrence) : NULL;
  row->done = put->done;
  row->owner_id = put->owner_id;
}

/* Inserts the new task, and returns its id (0 on an error). */
static gint64
insert_task (RosterStore          *self,
             RosterChange         *change,
             const RosterIcalPut  *put,
             gint64               *position,
             GError              **error)
{
  RosterTaskRecord *row = g_new0 (RosterTaskRecord, 1);
  int rc;

  fill_task (row, put);
  if (put->has_position)
    {
      /* The end of the owner's list may have moved. */
      _roster_store_forget_positions (self);
      row->position = put->position;
    }
  else
    row->position = _roster_store_next_position (self, put->owner_id);
  *position = row->position;

  rc = _roster_store_run_new_op (self, change, ROSTER_OP_INSERT, ROSTER_TABLE_TASK, row, NULL);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY || rc == SQLITE_CONSTRAINT_NOTNULL)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NO_OWNER,
                   _("A task needs an owner, and this user no longer exists."));
      return 0;
    }
  if (_roster_store_op_failed (self, rc, error))
    return 0;
  return row->id;
}

/* Brings the task put->task_id up to date, and returns its position. */
static gboolean
update_task (RosterStore          *self,
             RosterChange         *change,
             const RosterIcalPut  *put,
             gint64               *position,
             GError              **error)
{
  RosterTaskRecord *old;
  RosterTaskRecord *new;
  int rc;

  _roster_store_forget_positions (self);
  old = _roster_store_read_row (self, ROSTER_TABLE_TASK, put->task_id, error);
  if (old == NULL)
    return FALSE;

  new = g_new0 (RosterTaskRecord, 1);
  roster_task_record_copy (new, old);
  fill_task (new, put);
  if (put->has_position)
    new->position = put->position;
  else if (new->owner_id != old->owner_id)
    new->position = _roster_store_next_position (self, new->owner_id);
  *position = new->position;

  if (same_task (old, new))
    {
      roster_task_record_free (old);
      roster_task_record_free (new);
      return TRUE;
    }
  rc = _roster_store_run_new_op (self, change, ROSTER_OP_UPDATE, ROSTER_TABLE_TASK, old, new);
  return !_roster_store_op_failed (self, rc, error);
}

/* Makes the task's tags exactly put->category_ids. */
static gboolean
set_tags (RosterStore          *self,
          RosterChange         *change,
          const RosterIcalPut  *put,
          gint64                task_id,
          gboolean              created,
          GError              **error)
{
  g_autoptr(GArray) current = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (!created)
    {
      sqlite3_stmt *s = _roster_store_stmt (self, "SELECT category_id FROM taskcategorylink WHERE task_id = ?1");

      sqlite3_bind_int64 (s, 1, task_id);
      while ((rc = sqlite3_step (s)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (s, 0);
          g_array_append_val (current, id);
        }
      sqlite3_reset (s);
      if (_roster_store_op_failed (self, rc == SQLITE_DONE ? SQLITE_OK : rc, error))
        return FALSE;
    }

  for (guint i = 0; i < current->len; i++)
    {
      gint64 id = g_array_index (current, gint64, i);
      gboolean keep = FALSE;

      for (guint j = 0; j < put->n_tags && !keep; j++)
        keep = put->category_ids[j] == id;
      if (!keep)
        {
          rc = _roster_store_run_new_link (self, change, ROSTER_OP_DELETE, task_id, id);
          if (_roster_store_op_failed (self, rc, error))
            return FALSE;
        }
    }

  for (guint j = 0; j < put->n_tags; j++)
    {
      gboolean have = FALSE;

      for (guint i = 0; i < current->len && !have; i++)
        have = g_array_index (current, gint64, i) == put->category_ids[j];
      if (have)
        continue;
      rc = _roster_store_run_new_link (self, change, ROSTER_OP_INSERT, task_id, put->category_ids[j]);
      if (_roster_store_op_failed (self, rc, error))
        return FALSE;
      /* Counted by the import, not by the trigger (see above). */
      if (put->added != NULL)
        {
          guint *n = g_hash_table_lookup (put->added, &put->category_ids[j]);

          if (n == NULL)
            {
              n = g_new0 (guint, 1);
              g_hash_table_insert (put->added, _roster_key_new (put->category_ids[j]), n);
            }
          ++*n;
        }
    }
  return TRUE;
}

/* Stores the VTODO in the task's row (made by the insert's trigger, or
 * there since). */
static gboolean
set_ical (RosterStore          *self,
          RosterChange         *change,
          const RosterIcalPut  *put,
          gint64                task_id,
          gint64                position,
          GError              **error)
{
  RosterIcalRecord *new = g_new0 (RosterIcalRecord, 1);
  RosterIcalRecord *old;
  int rc;

  new->task_id = task_id;
  new->uid = g_strdup (put->uid);
  new->vtodo = g_strdup (put->vtodo);
  new->vtimezones = g_strdup (put->vtimezones);
  /* Made beforehand (in an import's reading thread) when the position was
   * known then. */
  if (put->digest != NULL && put->has_position)
    new->digest = g_strdup (put->digest);
  else
    new->digest = _roster_ical_digest (put->title, put->notes, put->done, put->due_date, put->due_time,
                                       put->priority, put->recurrence, position,
                                       put->tag_names, put->n_tags);

  /* A new task's row is the one its insert's trigger made: the insert
   * replaces it (see roster-change.c), and undo deletes it. */
  if (put->task_id == 0)
    {
      rc = _roster_store_run_new_op (self, change, ROSTER_OP_INSERT, ROSTER_TABLE_ICAL, new, NULL);
      return !_roster_store_op_failed (self, rc, error);
    }

  old = store_read_ical (self, task_id, &rc);
  if (old != NULL && same_ical (old, new))
    {
      roster_ical_record_free (old);
      roster_ical_record_free (new);
      return TRUE;
    }
  if (old == NULL && rc != SQLITE_DONE)
    {
      roster_ical_record_free (new);
      return !_roster_store_op_failed (self, rc, error);
    }

  /* A task that lost its row gets it back. */
  if (old == NULL)
    rc = _roster_store_run_new_op (self, change, ROSTER_OP_INSERT, ROSTER_TABLE_ICAL, new, NULL);
  else
    rc = _roster_store_run_new_op (self, change, ROSTER_OP_UPDATE, ROSTER_TABLE_ICAL, old, new);
  return !_roster_store_op_failed (self, rc, error);
}

static gboolean
build_put (RosterStore   *self,
           RosterChange  *change,
           gpointer       data,
           GError       **error)
{
  const RosterIcalPut *put = data;
  gint64 task_id = put->task_id;
  gint64 position = 0;

  if (task_id == 0)
    task_id = insert_task (self, change, put, &position, error);
  else if (!update_task (self, change, put, &position, error))
    return FALSE;

  return task_id != 0 &&
         set_tags (self, change, put, task_id, put->task_id == 0, error) &&
         set_ical (self, change, put, task_id, position, error);
}

gboolean
_roster_store_ical_supply_uids (RosterStore  *self,
                                gboolean      supplied,
                                GHashTable   *added,
                                GError      **error)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->batch != NULL, FALSE);

  /* Only inside the batch's transaction: a row left in the file would cost
   * every later task its UID. A batch that could not begin fails anyway. */
  if (sqlite3_get_autocommit (self->db))
    return TRUE;
  if (supplied)
    return _roster_store_exec (self, "INSERT OR IGNORE INTO roster_ical_supplied (id) VALUES (1)", error);

  /* The links the import added, into their tags' counts, once. */
  if (added != NULL)
    {
      g_hash_table_iter_init (&iter, added);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          sqlite3_stmt *s = _roster_store_stmt (self,
                                                "INSERT INTO roster_category_count (category_id, n_tasks) "
                                                "VALUES (?1, ?2) ON CONFLICT (category_id) DO UPDATE "
                                                "SET n_tasks = n_tasks + ?2");
          int rc;

          sqlite3_bind_int64 (s, 1, *(gint64 *) key);
          sqlite3_bind_int64 (s, 2, *(guint *) value);
          rc = sqlite3_step (s);
          sqlite3_reset (s);
          if (_roster_store_op_failed (self, rc == SQLITE_DONE ? SQLITE_OK : rc, error))
            return FALSE;
        }
    }
  return _roster_store_exec (self, "DELETE FROM roster_ical_supplied", error);
}

gboolean
_roster_store_ical_count_row (RosterStore  *self,
                              gint64        category_id,
                              GError      **error)
{
  sqlite3_stmt *s;
  int rc;

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  s = _roster_store_stmt (self, "INSERT OR IGNORE INTO roster_category_count (category_id, n_tasks) VALUES (?1, 0)");
  sqlite3_bind_int64 (s, 1, category_id);
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  return !_roster_store_op_failed (self, rc == SQLITE_DONE ? SQLITE_OK : rc, error);
}

gboolean
_roster_store_ical_put (RosterStore          *self,
                        const RosterIcalPut  *put,
                        GError              **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->batch != NULL, FALSE);

  return _roster_store_run_change (self, NULL, build_put, (gpointer) put, error);
}

/* ------------------------------------------------------------------------ */
/* Exporting                                                                 */

#define EXPORT_COLUMNS \
  "SELECT t.id, t.title, u.username, t.done, t.notes, t.due_date, t.position, " \
  "i.uid, i.vtodo, i.vtimezones, i.digest, " \
  "(SELECT group_concat(l.category_id) FROM taskcategorylink AS l WHERE l.task_id = t.id), " \
  "t.due_time, t.priority, t.recurrence " \
  "FROM task AS t LEFT JOIN user AS u ON u.id = t.owner_id " \
  "LEFT JOIN roster_ical AS i ON i.task_id = t.id "

/* Every tag's name: (gint64 *) id → (char *) name. */
static GHashTable *
read_tag_names (RosterStore  *self,
                GError      **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  sqlite3_stmt *s = _roster_store_stmt (self, "SELECT id, name FROM category");
  int rc;

  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    g_hash_table_insert (names, _roster_key_new (sqlite3_column_int64 (s, 0)),
                         g_strdup ((const char *) sqlite3_column_text (s, 1)));
  sqlite3_reset (s);
  if (_roster_store_op_failed (self, rc == SQLITE_DONE ? SQLITE_OK : rc, error))
    return NULL;
  return g_steal_pointer (&names);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names of the tags @ids ("3,17") names, sorted, into @tags. */
static void
names_of (GHashTable *tag_names,
          const char *ids,
          GPtrArray  *tags)
{
  const char *p = ids;

  g_ptr_array_set_size (tags, 0);
  while (p != NULL && *p != '\0')
    {
      char *end = NULL;
      gint64 id = g_ascii_strtoll (p, &end, 10);
      const char *name = g_hash_table_lookup (tag_names, &id);

      if (end == p)
        break;
      if (name != NULL)
        g_ptr_array_add (tags, (gpointer) name);
      p = *end == ',' ? end + 1 : end;
    }
  g_ptr_array_sort (tags, compare_names);
}

gboolean
_roster_store_ical_read_tasks (RosterStore        *self,
                               RosterUser         *user,
                               RosterCategory     *category,
                               RosterIcalRowFunc   func,
                               gpointer            data,
                               GError            **error)
{
  g_autoptr(GHashTable) tag_names = NULL;
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();
  sqlite3_stmt *s;
  int rc;

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  g_return_val_if_fail (user == NULL || ROSTER_IS_USER (user), FALSE);
  g_return_val_if_fail (category == NULL || ROSTER_IS_CATEGORY (category), FALSE);

  _roster_store_begin_read (self);
  /* Tags are few: their names once, rather than joined into every row. */
  tag_names = read_tag_names (self, error);
  if (tag_names == NULL)
    return FALSE;

  /* Three statements, each with the plan of its own index. */
  if (user != NULL)
    {
      s = _roster_store_stmt (self, EXPORT_COLUMNS "WHERE t.owner_id = ?1 ORDER BY t.position, t.id");
      sqlite3_bind_int64 (s, 1, roster_user_get_id (user));
    }
  else if (category != NULL)
    {
      s = _roster_store_stmt (self, EXPORT_COLUMNS
                              "WHERE t.id IN (SELECT task_id FROM taskcategorylink WHERE category_id = ?1) "
                              "ORDER BY t.owner_id, t.position, t.id");
      sqlite3_bind_int64 (s, 1, roster_category_get_id (category));
    }
  else
    s = _roster_store_stmt (self, EXPORT_COLUMNS "ORDER BY t.owner_id, t.position, t.id");

  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      RosterIcalRow row = {
        .id = sqlite3_column_int64 (s, 0),
        .title = (const char *) sqlite3_column_text (s, 1),
        .owner = (const char *) sqlite3_column_text (s, 2),
        .done = sqlite3_column_int (s, 3) != 0,
        .notes = (const char *) sqlite3_column_text (s, 4),
        .due_date = (const char *) sqlite3_column_text (s, 5),
        .position = sqlite3_column_int64 (s, 6),
        .uid = (const char *) sqlite3_column_text (s, 7),
        .vtodo = (const char *) sqlite3_column_text (s, 8),
        .vtimezones = (const char *) sqlite3_column_text (s, 9),
        .digest = (const char *) sqlite3_column_text (s, 10),
        .due_time = (const char *) sqlite3_column_text (s, 12),
        .priority = sqlite3_column_int (s, 13),
        .recurrence = (const char *) sqlite3_column_text (s, 14),
      };

      names_of (tag_names, (const char *) sqlite3_column_text (s, 11), tags);
      row.tags = (const char * const *) tags->pdata;
      row.n_tags = tags->len;
      if (row.title == NULL)
        row.title = "";
      if (row.owner == NULL)
        row.owner = "";
      if (row.notes == NULL)
        row.notes = "";
      if (!func (&row, data, error))
        {
          sqlite3_reset (s);
          return FALSE;
        }
    }
  sqlite3_reset (s);
  return !_roster_store_op_failed (self, rc == SQLITE_DONE ? SQLITE_OK : rc, error);
}
