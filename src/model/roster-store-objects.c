/* roster-store-objects.c: the identity map, one object per row.
 *
 * Users and categories (few, small, always on screen) stay in memory once
 * read; tasks are held weakly (a task leaves the map when its last reference
 * goes), so only tasks somebody uses cost memory. Asking twice for task 7
 * gives the same pointer while anybody holds it. Here: reading rows, the
 * lookups (roster_store_get_user() ...), the counts the objects show, and
 * reading every object again after another program's commit.
 */
#define G_LOG_DOMAIN "roster-store"

#include <glib/gi18n-lib.h>

#include "roster-store-parts.h"

/* ------------------------------------------------------------------------ */
/* Reading rows                                                              */

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

void
_roster_read_task_columns (sqlite3_stmt  *s,
                           RosterTaskRecord *row)
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
  row->due_time = dup_column (s, 7);
  row->priority = CLAMP (sqlite3_column_int (s, 8), ROSTER_PRIORITY_NONE, ROSTER_PRIORITY_HIGH);
  /* Most tasks do not repeat: NULL for '', one allocation fewer a task
   * read (a scroll through 100,000 tasks reads them all). */
  row->recurrence = sqlite3_column_bytes (s, 9) > 0 ? dup_column (s, 9) : NULL;
}

/* Reads a row through @db; SQLITE_ROW when found, SQLITE_DONE when not, or
 * an error. */
int
_roster_read_user (sqlite3       *db,
                   GHashTable    *statements,
                   gint64         id,
                   RosterUserRecord *row)
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
                             RosterUserRecord *row)
{
  _roster_store_begin_read (self);
  return _roster_read_user (self->db, self->statements, id, row);
}

int
_roster_store_read_task_row (RosterStore   *self,
                             gint64         id,
                             RosterTaskRecord *row)
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
                                 RosterCategoryRecord *row)
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
                        const RosterUserRecord *row)
{
  RosterUser *user = _roster_user_new (self, row);

  g_hash_table_insert (self->users, _roster_key_new (row->id), user);
  return user;
}

RosterCategory *
_roster_store_add_category (RosterStore             *self,
                            const RosterCategoryRecord *row)
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
  RosterUserRecord row = { 0 };
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
  roster_user_record_clear (&row);
  return user;
}

RosterCategory *
_roster_store_ensure_category (RosterStore  *self,
                               gint64        id,
                               GError      **error)
{
  RosterCategory *category = _roster_store_lookup_category (self, id);
  RosterCategoryRecord row = { 0 };
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
  roster_category_record_clear (&row);
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
                             const RosterTaskRecord *row)
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
                                  RosterTaskRecord *row)
{
  RosterTask *task = _roster_store_lookup_task (self, row->id);

  if (task != NULL)
    {
      roster_task_record_clear (row);
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
      RosterUserRecord row = { 0 };

      if (_roster_store_read_user_row (self, id, &row) == SQLITE_ROW)
        _roster_user_apply_row (user, &row);
      else
        g_hash_table_remove (self->users, &id);
      roster_user_record_clear (&row);
    }

  for (guint i = 0; i < categories->len; i++)
    {
      RosterCategory *category = g_ptr_array_index (categories, i);
      gint64 id = roster_category_get_id (category);
      RosterCategoryRecord row = { 0 };

      if (_roster_store_read_category_row (self, id, &row) == SQLITE_ROW)
        _roster_category_apply_row (category, &row);
      else
        g_hash_table_remove (self->categories, &id);
      roster_category_record_clear (&row);
    }

  for (guint i = 0; i < tasks->len; i++)
    {
      RosterTask *task = g_ptr_array_index (tasks, i);
      RosterTaskRecord row = { 0 };

      if (_roster_store_read_task_row (self, roster_task_get_id (task), &row) == SQLITE_ROW)
        _roster_task_apply_row (task, &row, _roster_store_ensure_user (self, row.owner_id, NULL));
      else
        _roster_store_unmap_task (self, task);
      roster_task_record_clear (&row);
    }
}

/* ------------------------------------------------------------------------ */
/* Lookups and counts                                                        */

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
  RosterTaskRecord row = { 0 };
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
  roster_task_record_clear (&row);
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
