/* roster-store-reminders.c: the store's two reads for reminders
 * (roster-reminders.c).
 *
 * A task reminds at a moment: its due time on its due date, a local
 * wall-clock time (floating), spelled "YYYY-MM-DD HH:MM" so that moments
 * compare as strings. Only open tasks with a due date and a time have one.
 * Both reads seek the partial index of open dated tasks (ix_task_due_open)
 * from the first day they ask about: the next moment reads one day's tasks
 * at most (SQLite sorts the times of each day apart and stops at the first
 * row), the due ones only the days between two checks.
 */
#define G_LOG_DOMAIN "roster-store"

#include "roster-store-parts.h"

#define MOMENT_SQL "substr(due_date, 1, 10) || ' ' || due_time"

/* (transfer full) (nullable) The first moment after @after, or NULL. */
char *
_roster_store_next_reminder (RosterStore *self,
                             const char  *after)
{
  sqlite3_stmt *s;
  char *moment = NULL;
  int rc;

  _roster_store_begin_read (self);
  s = _roster_store_stmt (self, "SELECT " MOMENT_SQL " FROM task "
                                "WHERE due_date IS NOT NULL AND done = 0 AND due_time IS NOT NULL "
                                "AND due_date >= substr(?1, 1, 10) AND " MOMENT_SQL " > ?1 "
                                "ORDER BY due_date, due_time LIMIT 1");
  sqlite3_bind_text (s, 1, after, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    moment = g_strdup ((const char *) sqlite3_column_text (s, 0));
  else
    _roster_store_note_failure (self, rc);
  sqlite3_reset (s);
  return moment;
}

/* (transfer full) (element-type RosterTask) The tasks whose moment is after
 * @after and no later than @until, by moment then id, at most @limit. */
GPtrArray *
_roster_store_read_reminders (RosterStore  *self,
                              const char   *after,
                              const char   *until,
                              guint         limit,
                              GError      **error)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *s;
  int rc;

  _roster_store_begin_read (self);
  s = _roster_store_stmt (self, "SELECT " ROSTER_TASK_COLUMNS " FROM task "
                                "WHERE due_date IS NOT NULL AND done = 0 AND due_time IS NOT NULL "
                                "AND due_date >= substr(?1, 1, 10) AND due_date < date(substr(?2, 1, 10), '+1 day') "
                                "AND " MOMENT_SQL " > ?1 AND " MOMENT_SQL " <= ?2 "
                                "ORDER BY due_date, due_time, id LIMIT ?3");
  sqlite3_bind_text (s, 1, after, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (s, 2, until, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (s, 3, limit);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      RosterTaskRecord row = { 0 };

      _roster_read_task_columns (s, &row);
      g_ptr_array_add (tasks, _roster_store_task_from_row_take (self, &row));
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      _roster_store_note_failure (self, rc);
      _roster_set_sqlite_error (error, self->db, rc);
      return NULL;
    }
  return g_steal_pointer (&tasks);
}
