/* roster-sync-state.c: the sync state in the file (roster-sync-state.h):
 * the account, the lists and synced tasks, what the SQL of the sync files
 * shares, and the VCALENDAR sent for a task. Applying what the server sent
 * is in roster-sync-state-apply.c.
 *
 * The outbox is read and finished in roster-sync-state-outbox.c.
 */
#define G_LOG_DOMAIN "roster-sync"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "roster-ical-private.h"
#include "roster-sync-schema.h"
#include "roster-sync-state-private.h"

/* ------------------------------------------------------------------------ */
/* Records                                                                   */

void
roster_sync_account_clear (RosterSyncAccount *account)
{
  g_clear_pointer (&account->server_url, g_free);
  g_clear_pointer (&account->username, g_free);
  g_clear_pointer (&account->principal_href, g_free);
  g_clear_pointer (&account->home_href, g_free);
  g_clear_pointer (&account->last_sync, g_free);
}

void
roster_sync_list_free (gpointer data)
{
  RosterSyncList *list = data;

  if (list == NULL)
    return;
  g_free (list->href);
  g_free (list->display_name);
  g_free (list->sync_token);
  g_free (list->ctag);
  g_free (list);
}

void
roster_sync_task_free (gpointer data)
{
  RosterSyncTask *task = data;

  if (task == NULL)
    return;
  g_free (task->uid);
  g_free (task->href);
  g_free (task->list_href);
  g_free (task->etag);
  g_free (task->base);
  g_free (task);
}

void
roster_sync_op_free (gpointer data)
{
  RosterSyncOp *op = data;

  if (op == NULL)
    return;
  g_free (op->href);
  g_free (op->old_href);
  g_free (op->etag);
  g_free (op->list_href);
  g_free (op->display_name);
  g_free (op->uid);
  g_free (op->ical);
  g_free (op);
}

/* ------------------------------------------------------------------------ */
/* SQL                                                                       */

char *
_roster_sync_column_text (sqlite3_stmt *s,
                          int           i)
{
  return g_strdup ((const char *) sqlite3_column_text (s, i));
}

void
_roster_sync_bind_text (sqlite3_stmt *s,
                        int           i,
                        const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (s, i, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (s, i);
}

gboolean
_roster_sync_step_done (RosterStore   *store,
                        sqlite3_stmt  *s,
                        GError       **error)
{
  int rc = s != NULL ? sqlite3_step (s) : SQLITE_ERROR;

  if (s != NULL)
    sqlite3_reset (s);
  return !_roster_store_op_failed (store, rc == SQLITE_DONE ? SQLITE_OK : rc, error);
}

/* The end of a SELECT loop: SQLITE_DONE is fine, anything else an error. */
gboolean
_roster_sync_finish_rows (RosterStore   *store,
                          sqlite3_stmt  *s,
                          int            rc,
                          GError       **error)
{
  sqlite3_reset (s);
  return !_roster_store_op_failed (store, rc == SQLITE_DONE ? SQLITE_OK : rc, error);
}

gboolean
_roster_sync_begin_write (RosterStore  *store,
                          GError      **error)
{
  g_return_val_if_fail (store->batch == NULL, FALSE);

  if (!_roster_store_check_writable (store, error))
    return FALSE;
  _roster_store_end_read (store);
  return _roster_store_exec (store, "BEGIN IMMEDIATE", error);
}

gboolean
_roster_sync_end_write (RosterStore  *store,
                        gboolean      ok,
                        GError      **error)
{
  if (ok && _roster_store_exec (store, "COMMIT", error))
    return TRUE;
  _roster_store_rollback (store);
  return FALSE;
}

gboolean
_roster_sync_is_pending (RosterStore *store,
                         int          kind,
                         gint64       object_id)
{
  sqlite3_stmt *s = _roster_store_stmt (store,
                                        "SELECT 1 FROM roster_sync_outbox WHERE kind = ?1 AND object_id = ?2");
  gboolean pending;

  sqlite3_bind_int (s, 1, kind);
  sqlite3_bind_int64 (s, 2, object_id);
  pending = sqlite3_step (s) == SQLITE_ROW;
  sqlite3_reset (s);
  return pending;
}

/* ------------------------------------------------------------------------ */
/* The account                                                               */

gboolean
roster_sync_state_get_account (RosterStore        *store,
                               RosterSyncAccount  *account,
                               GError            **error)
{
  sqlite3_stmt *s;
  int rc;

  g_return_val_if_fail (ROSTER_IS_STORE (store), FALSE);

  memset (account, 0, sizeof *account);
  _roster_store_begin_read (store);
  s = _roster_store_stmt (store,
                          "SELECT server_url, username, principal_href, home_href, last_sync "
                          "FROM roster_sync_account WHERE id = 1");
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      account->server_url = _roster_sync_column_text (s, 0);
      account->username = _roster_sync_column_text (s, 1);
      account->principal_href = _roster_sync_column_text (s, 2);
      account->home_href = _roster_sync_column_text (s, 3);
      account->last_sync = _roster_sync_column_text (s, 4);
      sqlite3_reset (s);
      return TRUE;
    }
  _roster_sync_finish_rows (store, s, rc, error);
  return FALSE;
}

/* Makes or drops the triggers that fill the outbox. */
static gboolean
exec_script (RosterStore  *store,
             const char   *sql,
             GError      **error)
{
  int rc = sqlite3_exec (store->db, sql, NULL, NULL, NULL);

  return !_roster_store_op_failed (store, rc, error);
}

/* Forgets every list, synced task and tombstone, and what waits. */
static gboolean
clear_state (RosterStore  *store,
             GError      **error)
{
  static const char * const sql[] = {
    "DELETE FROM roster_sync_list",
    "DELETE FROM roster_sync_task",
    "DELETE FROM roster_sync_tombstone",
    "DELETE FROM roster_sync_outbox",
  };

  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    if (!_roster_sync_step_done (store, _roster_store_stmt (store, sql[i]), error))
      return FALSE;
  return TRUE;
}

gboolean
roster_sync_state_set_account (RosterStore  *store,
                               const char   *server_url,
                               const char   *username,
                               const char   *principal_href,
                               const char   *home_href,
                               gboolean     *server_changed,
                               GError      **error)
{
  g_auto(RosterSyncAccount) old = { 0 };
  g_autoptr(GError) local_error = NULL;
  gboolean fresh;
  sqlite3_stmt *s;
  gboolean ok;

  g_return_val_if_fail (ROSTER_IS_STORE (store), FALSE);
  g_return_val_if_fail (server_url != NULL && username != NULL, FALSE);

  fresh = !roster_sync_state_get_account (store, &old, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  fresh = fresh || strcmp (old.server_url, server_url) != 0 || strcmp (old.username, username) != 0;
  if (server_changed != NULL)
    *server_changed = fresh;

  if (!_roster_sync_begin_write (store, error))
    return FALSE;

  s = _roster_store_stmt (store,
                          "INSERT INTO roster_sync_account (id, server_url, username, principal_href, home_href) "
                          "VALUES (1, ?1, ?2, ?3, ?4) ON CONFLICT (id) DO UPDATE SET "
                          "server_url = excluded.server_url, username = excluded.username, "
                          "principal_href = excluded.principal_href, home_href = excluded.home_href, "
                          "applying = 0");
  _roster_sync_bind_text (s, 1, server_url);
  _roster_sync_bind_text (s, 2, username);
  _roster_sync_bind_text (s, 3, principal_href);
  _roster_sync_bind_text (s, 4, home_href);
  ok = _roster_sync_step_done (store, s, error) && exec_script (store, ROSTER_SYNC_TRIGGERS_SQL, error);

  /* Everything goes to a new server: the lists first (by the outbox's
   * order), then the tasks list by list. */
  if (ok && fresh)
    ok = clear_state (store, error) &&
         _roster_sync_step_done (store, _roster_store_stmt (store,
                                 "INSERT INTO roster_sync_outbox (kind, object_id) "
                                 "SELECT 1, id FROM user ORDER BY id"), error) &&
         _roster_sync_step_done (store, _roster_store_stmt (store,
                                 "INSERT INTO roster_sync_outbox (kind, object_id) "
                                 "SELECT 0, id FROM task ORDER BY owner_id, position, id"), error) &&
         _roster_sync_step_done (store, _roster_store_stmt (store,
                                 "UPDATE roster_sync_account SET last_sync = NULL"), error);
  return _roster_sync_end_write (store, ok, error);
}

gboolean
roster_sync_state_forget_account (RosterStore  *store,
                                  GError      **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (store), FALSE);

  if (!_roster_sync_begin_write (store, error))
    return FALSE;
  return _roster_sync_end_write (store,
                    exec_script (store, ROSTER_SYNC_DROP_TRIGGERS_SQL, error) &&
                    clear_state (store, error) &&
                    _roster_sync_step_done (store, _roster_store_stmt (store, "DELETE FROM roster_sync_account"), error),
                    error);
}

gboolean
roster_sync_state_set_last_sync (RosterStore  *store,
                                 const char   *when,
                                 GError      **error)
{
  sqlite3_stmt *s;

  g_return_val_if_fail (ROSTER_IS_STORE (store), FALSE);

  if (!_roster_sync_begin_write (store, error))
    return FALSE;
  s = _roster_store_stmt (store, "UPDATE roster_sync_account SET last_sync = ?1");
  _roster_sync_bind_text (s, 1, when);
  return _roster_sync_end_write (store, _roster_sync_step_done (store, s, error), error);
}

/* ------------------------------------------------------------------------ */
/* Lists and synced tasks                                                    */

GPtrArray *
roster_sync_state_get_lists (RosterStore  *store,
                             GError      **error)
{
  g_autoptr(GPtrArray) lists = g_ptr_array_new_with_free_func (roster_sync_list_free);
  sqlite3_stmt *s;
  int rc;

  g_return_val_if_fail (ROSTER_IS_STORE (store), NULL);

  _roster_store_begin_read (store);
  s = _roster_store_stmt (store,
                          "SELECT user_id, href, display_name, sync_token, ctag "
                          "FROM roster_sync_list ORDER BY href");
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      RosterSyncList *list = g_new0 (RosterSyncList, 1);

      list->user_id = sqlite3_column_int64 (s, 0);
      list->href = _roster_sync_column_text (s, 1);
      list->display_name = _roster_sync_column_text (s, 2);
      list->sync_token = _roster_sync_column_text (s, 3);
      list->ctag = _roster_sync_column_text (s, 4);
      g_ptr_array_add (lists, list);
    }
  if (!_roster_sync_finish_rows (store, s, rc, error))
    return NULL;
  return g_steal_pointer (&lists);
}

gboolean
roster_sync_state_link_list (RosterStore  *store,
                             gint64        user_id,
                             const char   *href,
                             const char   *display_name,
                             GError      **error)
{
  sqlite3_stmt *s;

  g_return_val_if_fail (ROSTER_IS_STORE (store), FALSE);
  g_return_val_if_fail (href != NULL, FALSE);

  if (!_roster_sync_begin_write (store, error))
    return FALSE;
  s = _roster_store_stmt (store,
                          "INSERT INTO roster_sync_list (user_id, href, display_name) VALUES (?1, ?2, ?3) "
                          "ON CONFLICT (user_id) DO UPDATE SET href = excluded.href, "
                          "display_name = excluded.display_name");
  sqlite3_bind_int64 (s, 1, user_id);
  _roster_sync_bind_text (s, 2, href);
  _roster_sync_bind_text (s, 3, display_name);
  return _roster_sync_end_write (store, _roster_sync_step_done (store, s, error), error);
}

gboolean
roster_sync_state_set_list_token (RosterStore  *store,
                                  const char   *href,
                                  const char   *sync_token,
                                  const char   *ctag,
                                  GError      **error)
{
  sqlite3_stmt *s;

  g_return_val_if_fail (ROSTER_IS_STORE (store), FALSE);

  if (!_roster_sync_begin_write (store, error))
    return FALSE;
  s = _roster_store_stmt (store, "UPDATE roster_sync_list SET sync_token = ?2, ctag = ?3 WHERE href = ?1");
  _roster_sync_bind_text (s, 1, href);
  _roster_sync_bind_text (s, 2, sync_token);
  _roster_sync_bind_text (s, 3, ctag);
  return _roster_sync_end_write (store, _roster_sync_step_done (store, s, error), error);
}

GPtrArray *
roster_sync_state_get_tasks (RosterStore  *store,
                             const char   *list_href,
                             GError      **error)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (roster_sync_task_free);
  sqlite3_stmt *s;
  int rc;

  g_return_val_if_fail (ROSTER_IS_STORE (store), NULL);

  _roster_store_begin_read (store);
  s = _roster_store_stmt (store,
                          "SELECT s.task_id, s.uid, s.href, s.list_href, s.etag, s.base, "
                          "EXISTS (SELECT 1 FROM roster_sync_outbox AS o WHERE o.kind = 0 AND o.object_id = s.task_id) "
                          "FROM roster_sync_task AS s WHERE s.list_href = ?1 ORDER BY s.href");
  _roster_sync_bind_text (s, 1, list_href);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      RosterSyncTask *task = g_new0 (RosterSyncTask, 1);

      task->task_id = sqlite3_column_int64 (s, 0);
      task->uid = _roster_sync_column_text (s, 1);
      task->href = _roster_sync_column_text (s, 2);
      task->list_href = _roster_sync_column_text (s, 3);
      task->etag = _roster_sync_column_text (s, 4);
      task->base = _roster_sync_column_text (s, 5);
      task->pending = sqlite3_column_int (s, 6) != 0;
      g_ptr_array_add (tasks, task);
    }
  if (!_roster_sync_finish_rows (store, s, rc, error))
    return NULL;
  return g_steal_pointer (&tasks);
}

GPtrArray *
roster_sync_state_get_tombstones (RosterStore  *store,
                                  const char   *list_href,
                                  GError      **error)
{
  g_autoptr(GPtrArray) hrefs = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *s;
  int rc;

  g_return_val_if_fail (ROSTER_IS_STORE (store), NULL);

  _roster_store_begin_read (store);
  s = _roster_store_stmt (store, "SELECT href FROM roster_sync_tombstone WHERE list_href = ?1 ORDER BY href");
  _roster_sync_bind_text (s, 1, list_href);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    g_ptr_array_add (hrefs, _roster_sync_column_text (s, 0));
  if (!_roster_sync_finish_rows (store, s, rc, error))
    return NULL;
  return g_steal_pointer (&hrefs);
}

/* ------------------------------------------------------------------------ */
/* What to send for a task                                                   */

icalcomponent *
_roster_sync_series (icalcomponent *calendar)
{
  icalcomponent *series = NULL;

  for (icalcomponent *c = icalcomponent_get_first_component (calendar, ICAL_VTODO_COMPONENT);
       c != NULL;
       c = icalcomponent_get_next_component (calendar, ICAL_VTODO_COMPONENT))
    if (series == NULL || (icalcomponent_get_first_property (series, ICAL_RECURRENCEID_PROPERTY) != NULL &&
                           icalcomponent_get_first_property (c, ICAL_RECURRENCEID_PROPERTY) == NULL))
      series = c;
  return series;
}

/* The task's tags' names, sorted as the mapping wants them. */
static GPtrArray *
read_tag_names (RosterStore *store,
                gint64       task_id,
                int         *rc)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *s = _roster_store_stmt (store,
                                        "SELECT c.name FROM taskcategorylink AS l "
                                        "JOIN category AS c ON c.id = l.category_id WHERE l.task_id = ?1");

  sqlite3_bind_int64 (s, 1, task_id);
  while ((*rc = sqlite3_step (s)) == SQLITE_ROW)
    g_ptr_array_add (names, _roster_sync_column_text (s, 0));
  sqlite3_reset (s);
  g_ptr_array_sort (names, _roster_ical_compare_names);
  return names;
}

char *
_roster_sync_task_ical (RosterStore  *store,
                        gint64        task_id,
                        const char   *base,
                        GError      **error)
{
  g_autoptr(GPtrArray) tags = NULL;
  g_autofree char *title = NULL, *notes = NULL, *due_date = NULL, *uid = NULL;
  g_autofree char *vtodo = NULL, *vtimezones = NULL;
  g_autofree char *due_time = NULL, *recurrence = NULL;
  icalcomponent *calendar = NULL;
  icalcomponent *series;
  RosterIcalTask task = { 0 };
  sqlite3_stmt *s;
  char *text, *result;
  int rc;

  _roster_store_begin_read (store);
  s = _roster_store_stmt (store,
                          "SELECT t.title, t.notes, t.done, t.due_date, t.position, i.uid, i.vtodo, i.vtimezones, "
                          "t.due_time, t.priority, t.recurrence "
                          "FROM task AS t LEFT JOIN roster_ical AS i ON i.task_id = t.id WHERE t.id = ?1");
  sqlite3_bind_int64 (s, 1, task_id);
  rc = sqlite3_step (s);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (s);
      _roster_store_op_failed (store, rc == SQLITE_DONE ? SQLITE_NOTFOUND : rc, error);
      return NULL;
    }
  title = _roster_sync_column_text (s, 0);
  notes = _roster_sync_column_text (s, 1);
  task.done = sqlite3_column_int (s, 2) != 0;
  due_date = _roster_sync_column_text (s, 3);
  task.position = sqlite3_column_int64 (s, 4);
  uid = _roster_sync_column_text (s, 5);
  vtodo = _roster_sync_column_text (s, 6);
  vtimezones = _roster_sync_column_text (s, 7);
  due_time = _roster_sync_column_text (s, 8);
  task.priority = sqlite3_column_int (s, 9);
  recurrence = _roster_sync_column_text (s, 10);
  sqlite3_reset (s);

  tags = read_tag_names (store, task_id, &rc);
  if (_roster_store_op_failed (store, rc == SQLITE_DONE ? SQLITE_OK : rc, error))
    return NULL;

  /* A task always has a UID (its trigger); one that lost it gets one that
   * stays the same for the same task. */
  if (uid == NULL)
    uid = g_strdup_printf ("roster-task-%" G_GINT64_FORMAT, task_id);

  task.uid = uid;
  task.title = title != NULL ? title : "";
  task.notes = notes;
  task.due_date = due_date;
  task.due_time = due_time;
  task.recurrence = recurrence;
  task.tags = (const char * const *) tags->pdata;
  task.n_tags = tags->len;

  /* The base, else the VTODO last seen for the task (an import's), so that
   * what other programs wrote in it survives. */
  calendar = icalcomponent_new (ICAL_VCALENDAR_COMPONENT);
  if (base == NULL)
    {
      base = vtodo;
      _roster_ical_adopt (calendar, vtimezones, ICAL_VTIMEZONE_COMPONENT);
    }
  else
    _roster_ical_adopt (calendar, base, ICAL_VTIMEZONE_COMPONENT);
  _roster_ical_adopt (calendar, base, ICAL_VTODO_COMPONENT);

  icalcomponent_add_property (calendar, icalproperty_new_version ("2.0"));
  icalcomponent_add_property (calendar, icalproperty_new_prodid ("-//Roster//Roster//EN"));
  series = _roster_sync_series (calendar);
  if (series == NULL)
    icalcomponent_add_component (calendar, _roster_ical_new_vtodo (&task, time (NULL)));
  else
    _roster_ical_patch (series, &task, time (NULL));

  for (icalcomponent *c = icalcomponent_get_first_component (calendar, ICAL_VTODO_COMPONENT);
       c != NULL;
       c = icalcomponent_get_next_component (calendar, ICAL_VTODO_COMPONENT))
    {
      if (g_strcmp0 (icalcomponent_get_uid (c), uid) != 0)
        icalcomponent_set_uid (c, uid);
      _roster_ical_join_categories (c, NULL);
    }

  text = icalcomponent_as_ical_string_r (calendar);
  result = g_strdup (text);
  icalmemory_free_buffer (text);
  icalcomponent_free (calendar);
  return result;
}
