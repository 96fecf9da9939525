/* roster-sync-state.c: the sync state in the file (roster-sync-state.h):
 * the account, the lists and synced tasks, and the outbox as the engine
 * reads and finishes it. Applying what the server sent is in
 * roster-sync-state-apply.c.
 *
 * The outbox rows are written by triggers (roster-sync-schema.h), never
 * here, but for an account that starts afresh. Reading it turns each row
 * into the request to make, from the state of the file at that moment: a
 * task without a resource is created, one whose owner's list is not its
 * resource's list is moved, one still there updated; a tombstone is a
 * DELETE; a user without a list gets one, a renamed one renames it. So an
 * op read twice (the engine was killed before finishing it) is the same
 * request again, and a task created and deleted before any sync costs
 * nothing.
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

static char *
column_text (sqlite3_stmt *s,
             int           i)
{
  return g_strdup ((const char *) sqlite3_column_text (s, i));
}

static void
bind_text (sqlite3_stmt *s,
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
static gboolean
finish_rows (RosterStore   *store,
             sqlite3_stmt  *s,
             int            rc,
             GError       **error)
{
  sqlite3_reset (s);
  return !_roster_store_op_failed (store, rc == SQLITE_DONE ? SQLITE_OK : rc, error);
}

static gboolean
begin_write (RosterStore  *store,
             GError      **error)
{
  g_return_val_if_fail (store->batch == NULL, FALSE);

  if (!_roster_store_check_writable (store, error))
    return FALSE;
  _roster_store_end_read (store);
  return _roster_store_exec (store, "BEGIN IMMEDIATE", error);
}

static gboolean
end_write (RosterStore  *store,
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
      account->server_url = column_text (s, 0);
      account->username = column_text (s, 1);
      account->principal_href = column_text (s, 2);
      account->home_href = column_text (s, 3);
      account->last_sync = column_text (s, 4);
      sqlite3_reset (s);
      return TRUE;
    }
  finish_rows (store, s, rc, error);
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

  if (!begin_write (store, error))
    return FALSE;

  s = _roster_store_stmt (store,
                          "INSERT INTO roster_sync_account (id, server_url, username, principal_href, home_href) "
                          "VALUES (1, ?1, ?2, ?3, ?4) ON CONFLICT (id) DO UPDATE SET "
                          "server_url = excluded.server_url, username = excluded.username, "
                          "principal_href = excluded.principal_href, home_href = excluded.home_href, "
                          "applying = 0");
  bind_text (s, 1, server_url);
  bind_text (s, 2, username);
  bind_text (s, 3, principal_href);
  bind_text (s, 4, home_href);
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
  return end_write (store, ok, error);
}

gboolean
roster_sync_state_forget_account (RosterStore  *store,
                                  GError      **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (store), FALSE);

  if (!begin_write (store, error))
    return FALSE;
  return end_write (store,
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

  if (!begin_write (store, error))
    return FALSE;
  s = _roster_store_stmt (store, "UPDATE roster_sync_account SET last_sync = ?1");
  bind_text (s, 1, when);
  return end_write (store, _roster_sync_step_done (store, s, error), error);
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
      list->href = column_text (s, 1);
      list->display_name = column_text (s, 2);
      list->sync_token = column_text (s, 3);
      list->ctag = column_text (s, 4);
      g_ptr_array_add (lists, list);
    }
  if (!finish_rows (store, s, rc, error))
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

  if (!begin_write (store, error))
    return FALSE;
  s = _roster_store_stmt (store,
                          "INSERT INTO roster_sync_list (user_id, href, display_name) VALUES (?1, ?2, ?3) "
                          "ON CONFLICT (user_id) DO UPDATE SET href = excluded.href, "
                          "display_name = excluded.display_name");
  sqlite3_bind_int64 (s, 1, user_id);
  bind_text (s, 2, href);
  bind_text (s, 3, display_name);
  return end_write (store, _roster_sync_step_done (store, s, error), error);
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

  if (!begin_write (store, error))
    return FALSE;
  s = _roster_store_stmt (store, "UPDATE roster_sync_list SET sync_token = ?2, ctag = ?3 WHERE href = ?1");
  bind_text (s, 1, href);
  bind_text (s, 2, sync_token);
  bind_text (s, 3, ctag);
  return end_write (store, _roster_sync_step_done (store, s, error), error);
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
  bind_text (s, 1, list_href);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      RosterSyncTask *task = g_new0 (RosterSyncTask, 1);

      task->task_id = sqlite3_column_int64 (s, 0);
      task->uid = column_text (s, 1);
      task->href = column_text (s, 2);
      task->list_href = column_text (s, 3);
      task->etag = column_text (s, 4);
      task->base = column_text (s, 5);
      task->pending = sqlite3_column_int (s, 6) != 0;
      g_ptr_array_add (tasks, task);
    }
  if (!finish_rows (store, s, rc, error))
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
  bind_text (s, 1, list_href);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    g_ptr_array_add (hrefs, column_text (s, 0));
  if (!finish_rows (store, s, rc, error))
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
    g_ptr_array_add (names, column_text (s, 0));
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
  icalcomponent *calendar = NULL;
  icalcomponent *series;
  RosterIcalTask task;
  sqlite3_stmt *s;
  char *text, *result;
  int rc;

  _roster_store_begin_read (store);
  s = _roster_store_stmt (store,
                          "SELECT t.title, t.notes, t.done, t.due_date, t.position, i.uid, i.vtodo, i.vtimezones "
                          "FROM task AS t LEFT JOIN roster_ical AS i ON i.task_id = t.id WHERE t.id = ?1");
  sqlite3_bind_int64 (s, 1, task_id);
  rc = sqlite3_step (s);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (s);
      _roster_store_op_failed (store, rc == SQLITE_DONE ? SQLITE_NOTFOUND : rc, error);
      return NULL;
    }
  title = column_text (s, 0);
  notes = column_text (s, 1);
  task.done = sqlite3_column_int (s, 2) != 0;
  due_date = column_text (s, 3);
  task.position = sqlite3_column_int64 (s, 4);
  uid = column_text (s, 5);
  vtodo = column_text (s, 6);
  vtimezones = column_text (s, 7);
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

/* ------------------------------------------------------------------------ */
/* Reading the outbox                                                        */

/* Rows with nothing left to do: objects deleted (their tombstones or list
 * rows carry the deletion), and lists whose name the server has. */
static gboolean
drop_idle_rows (RosterStore  *store,
                GError      **error)
{
  static const char * const sql[] = {
    "DELETE FROM roster_sync_outbox WHERE kind = 0 AND object_id NOT IN (SELECT id FROM task)",
    "DELETE FROM roster_sync_outbox WHERE kind = 1 AND (object_id NOT IN (SELECT id FROM user) OR "
    "object_id IN (SELECT l.user_id FROM roster_sync_list AS l JOIN user AS u ON u.id = l.user_id "
    "WHERE l.display_name IS u.username))",
  };
  sqlite3_stmt *s = _roster_store_stmt (store,
                                        "SELECT EXISTS (SELECT 1 FROM roster_sync_outbox AS o WHERE "
                                        "(o.kind = 0 AND o.object_id NOT IN (SELECT id FROM task)) OR "
                                        "(o.kind = 1 AND o.object_id NOT IN (SELECT id FROM user)) OR "
                                        "(o.kind = 1 AND o.object_id IN (SELECT l.user_id FROM roster_sync_list AS l "
                                        "JOIN user AS u ON u.id = l.user_id WHERE l.display_name IS u.username)))");
  gboolean any;
  gboolean ok = TRUE;

  /* Only read, most of the time: the write lock only when there is work. */
  _roster_store_begin_read (store);
  any = sqlite3_step (s) == SQLITE_ROW && sqlite3_column_int (s, 0) != 0;
  sqlite3_reset (s);
  if (!any)
    return TRUE;

  if (!begin_write (store, error))
    return FALSE;
  for (guint i = 0; ok && i < G_N_ELEMENTS (sql); i++)
    ok = _roster_sync_step_done (store, _roster_store_stmt (store, sql[i]), error);
  return end_write (store, ok, error);
}

/* A new list's href: the same for the same user and name on the same
 * server, so that a MKCALENDAR repeated after a crash meets its own list. */
static char *
new_list_href (const char *home,
               const char *server_url,
               gint64      user_id,
               const char *username)
{
  g_autofree char *key = g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%s", server_url, user_id, username);
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

  sum[16] = '\0';
  return g_strdup_printf ("%s%sroster-%s/", home, g_str_has_suffix (home, "/") ? "" : "/", sum);
}

static gboolean
read_list_ops (RosterStore        *store,
               const RosterSyncAccount *account,
               GPtrArray          *ops,
               guint               max,
               GError            **error)
{
  sqlite3_stmt *s = _roster_store_stmt (store,
                                        "SELECT o.object_id, o.seq, u.username, l.href, l.display_name "
                                        "FROM roster_sync_outbox AS o JOIN user AS u ON u.id = o.object_id "
                                        "LEFT JOIN roster_sync_list AS l ON l.user_id = o.object_id "
                                        "WHERE o.kind = 1 ORDER BY o.id");
  int rc;

  while (ops->len < max && (rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      RosterSyncOp *op = g_new0 (RosterSyncOp, 1);

      op->object_id = sqlite3_column_int64 (s, 0);
      op->seq = sqlite3_column_int64 (s, 1);
      op->display_name = column_text (s, 2);
      op->href = column_text (s, 3);
      op->kind = op->href != NULL ? ROSTER_SYNC_RENAME_LIST : ROSTER_SYNC_CREATE_LIST;
      if (op->href == NULL)
        op->href = new_list_href (account->home_href ? account->home_href : account->server_url,
                                  account->server_url, op->object_id, op->display_name);
      op->list_href = g_strdup (op->href);
      g_ptr_array_add (ops, op);
    }
  if (ops->len >= max)
    {
      sqlite3_reset (s);
      return TRUE;
    }
  return finish_rows (store, s, rc, error);
}

/* A resource's href in a list: the UID, with what a path may not hold escaped. */
static char *
task_href (const char *list_href,
           const char *uid)
{
  g_autofree char *name = g_uri_escape_string (uid, NULL, FALSE);

  return g_strdup_printf ("%s%s%s.ics", list_href, g_str_has_suffix (list_href, "/") ? "" : "/", name);
}

/* A task created here whose UID is a tombstone's in the same list (undo of
 * a delete before the DELETE went out): an update of that resource. */
static gboolean
take_tombstone (RosterStore  *store,
                RosterSyncOp *op,
                char        **base)
{
  sqlite3_stmt *s = _roster_store_stmt (store,
                                        "SELECT href, etag, base FROM roster_sync_tombstone "
                                        "WHERE uid = ?1 AND list_href = ?2");
  gboolean found;

  bind_text (s, 1, op->uid);
  bind_text (s, 2, op->list_href);
  found = sqlite3_step (s) == SQLITE_ROW;
  if (found)
    {
      g_free (op->href);
      op->href = column_text (s, 0);
      op->etag = column_text (s, 1);
      *base = column_text (s, 2);
      op->kind = ROSTER_SYNC_UPDATE_TASK;
    }
  sqlite3_reset (s);
  return found;
}

static gboolean
read_task_ops (RosterStore  *store,
               GPtrArray    *ops,
               GHashTable   *taken,
               guint         max,
               GError      **error)
{
  sqlite3_stmt *s = _roster_store_stmt (store,
                                        "SELECT o.object_id, o.seq, i.uid, l.href, "
                                        "st.href, st.list_href, st.etag, st.base "
                                        "FROM roster_sync_outbox AS o JOIN task AS t ON t.id = o.object_id "
                                        "LEFT JOIN roster_ical AS i ON i.task_id = t.id "
                                        "LEFT JOIN roster_sync_list AS l ON l.user_id = t.owner_id "
                                        "LEFT JOIN roster_sync_task AS st ON st.task_id = t.id "
                                        "WHERE o.kind = 0 ORDER BY o.id");
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (roster_sync_op_free);
  g_autoptr(GPtrArray) bases = g_ptr_array_new_with_free_func (g_free);
  int rc;

  /* First the rows (the statement is reused below), then each VCALENDAR. */
  while (ops->len + found->len < max && (rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      RosterSyncOp *op;
      char *base = NULL;

      /* Its list is not on the server yet: it waits for the list's op. */
      if (sqlite3_column_type (s, 3) == SQLITE_NULL)
        continue;

      op = g_new0 (RosterSyncOp, 1);
      op->object_id = sqlite3_column_int64 (s, 0);
      op->seq = sqlite3_column_int64 (s, 1);
      op->uid = sqlite3_column_type (s, 2) != SQLITE_NULL
                ? column_text (s, 2)
                : g_strdup_printf ("roster-task-%" G_GINT64_FORMAT, op->object_id);
      op->list_href = column_text (s, 3);
      if (sqlite3_column_type (s, 4) == SQLITE_NULL)
        {
          op->kind = ROSTER_SYNC_CREATE_TASK;
          op->href = task_href (op->list_href, op->uid);
        }
      else if (g_strcmp0 ((const char *) sqlite3_column_text (s, 5), op->list_href) != 0)
        {
          op->kind = ROSTER_SYNC_MOVE_TASK;
          op->old_href = column_text (s, 4);
          op->etag = column_text (s, 6);
          op->href = task_href (op->list_href, op->uid);
          base = column_text (s, 7);
        }
      else
        {
          op->kind = ROSTER_SYNC_UPDATE_TASK;
          op->href = column_text (s, 4);
          op->etag = column_text (s, 6);
          base = column_text (s, 7);
        }
      g_ptr_array_add (found, op);
      g_ptr_array_add (bases, base);
    }
  if (ops->len + found->len >= max)
    sqlite3_reset (s);
  else if (!finish_rows (store, s, rc, error))
    return FALSE;

  for (guint i = 0; i < found->len; i++)
    {
      RosterSyncOp *op = g_ptr_array_index (found, i);
      char **base = (char **) &g_ptr_array_index (bases, i);

      if (op->kind == ROSTER_SYNC_CREATE_TASK && take_tombstone (store, op, base))
        g_hash_table_add (taken, g_strdup (op->href));
      op->ical = _roster_sync_task_ical (store, op->object_id, *base, error);
      if (op->ical == NULL)
        return FALSE;
    }
  g_ptr_array_extend_and_steal (ops, g_steal_pointer (&found));
  return TRUE;
}

static gboolean
read_tombstone_ops (RosterStore  *store,
                    GPtrArray    *ops,
                    GHashTable   *taken,
                    guint         max,
                    GError      **error)
{
  /* Not those of a list that goes as a whole. */
  sqlite3_stmt *s = _roster_store_stmt (store,
                                        "SELECT href, uid, list_href, etag FROM roster_sync_tombstone "
                                        "WHERE list_href NOT IN (SELECT href FROM roster_sync_list WHERE user_id IS NULL) "
                                        "ORDER BY rowid");
  int rc;

  while (ops->len < max && (rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      RosterSyncOp *op;

      if (g_hash_table_contains (taken, sqlite3_column_text (s, 0)))
        continue;
      op = g_new0 (RosterSyncOp, 1);
      op->kind = ROSTER_SYNC_DELETE_TASK;
      op->href = column_text (s, 0);
      op->uid = column_text (s, 1);
      op->list_href = column_text (s, 2);
      op->etag = column_text (s, 3);
      g_ptr_array_add (ops, op);
    }
  if (ops->len >= max)
    {
      sqlite3_reset (s);
      return TRUE;
    }
  return finish_rows (store, s, rc, error);
}

/* Whether a task of @ops leaves the list @href (given to an heir): that
 * goes before the list's deletion. */
static gboolean
moves_out_of (GPtrArray  *ops,
              const char *href)
{
  for (guint i = 0; i < ops->len; i++)
    {
      RosterSyncOp *op = g_ptr_array_index (ops, i);

      if (op->old_href != NULL && g_str_has_prefix (op->old_href, href))
        return TRUE;
    }
  return FALSE;
}

static gboolean
read_list_deletions (RosterStore  *store,
                     GPtrArray    *ops,
                     guint         max,
                     GError      **error)
{
  sqlite3_stmt *s = _roster_store_stmt (store,
                                        "SELECT href, display_name FROM roster_sync_list WHERE user_id IS NULL "
                                        "ORDER BY href");
  int rc;

  while (ops->len < max && (rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      const char *href = (const char *) sqlite3_column_text (s, 0);
      RosterSyncOp *op;

      if (moves_out_of (ops, href))
        continue;
      op = g_new0 (RosterSyncOp, 1);
      op->kind = ROSTER_SYNC_DELETE_LIST;
      op->href = column_text (s, 0);
      op->list_href = g_strdup (op->href);
      op->display_name = column_text (s, 1);
      g_ptr_array_add (ops, op);
    }
  if (ops->len >= max)
    {
      sqlite3_reset (s);
      return TRUE;
    }
  return finish_rows (store, s, rc, error);
}

GPtrArray *
roster_sync_state_next_ops (RosterStore  *store,
                            guint         max,
                            GError      **error)
{
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func (roster_sync_op_free);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(RosterSyncAccount) account = { 0 };
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (ROSTER_IS_STORE (store), NULL);

  if (!roster_sync_state_get_account (store, &account, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      return g_steal_pointer (&ops);
    }

  if (!drop_idle_rows (store, error))
    return NULL;
  _roster_store_begin_read (store);
  if (!read_list_ops (store, &account, ops, max, error) ||
      !read_task_ops (store, ops, taken, max, error) ||
      !read_tombstone_ops (store, ops, taken, max, error) ||
      !read_list_deletions (store, ops, max, error))
    return NULL;
  return g_steal_pointer (&ops);
}

guint
roster_sync_state_count_pending (RosterStore  *store,
                                 GError      **error)
{
  sqlite3_stmt *s;
  guint n = 0;
  int rc;

  g_return_val_if_fail (ROSTER_IS_STORE (store), 0);

  _roster_store_begin_read (store);
  s = _roster_store_stmt (store,
                          "SELECT (SELECT count(*) FROM roster_sync_outbox) + "
                          "(SELECT count(*) FROM roster_sync_tombstone) + "
                          "(SELECT count(*) FROM roster_sync_list WHERE user_id IS NULL)");
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      n = sqlite3_column_int (s, 0);
      rc = SQLITE_DONE;
    }
  finish_rows (store, s, rc, error);
  return n;
}

/* ------------------------------------------------------------------------ */
/* Finishing an op                                                           */

static gboolean
drop_outbox_row (RosterStore        *store,
                 int                 kind,
                 const RosterSyncOp *op,
                 GError            **error)
{
  sqlite3_stmt *s = _roster_store_stmt (store,
                                        "DELETE FROM roster_sync_outbox "
                                        "WHERE kind = ?1 AND object_id = ?2 AND seq = ?3");

  sqlite3_bind_int (s, 1, kind);
  sqlite3_bind_int64 (s, 2, op->object_id);
  sqlite3_bind_int64 (s, 3, op->seq);
  return _roster_sync_step_done (store, s, error);
}

static gboolean
drop_tombstone (RosterStore  *store,
                const char   *href,
                GError      **error)
{
  sqlite3_stmt *s = _roster_store_stmt (store, "DELETE FROM roster_sync_tombstone WHERE href = ?1");

  bind_text (s, 1, href);
  return _roster_sync_step_done (store, s, error);
}

static gboolean
finish_list (RosterStore        *store,
             const RosterSyncOp *op,
             const char         *href,
             GError            **error)
{
  sqlite3_stmt *s;

  /* A user deleted meanwhile: its list, now on the server, is to go. A
   * user a pull linked to another list meanwhile keeps that one (the new
   * list comes back as a list of its own at the next pull). */
  s = _roster_store_stmt (store,
                          "INSERT INTO roster_sync_list (user_id, href, display_name) "
                          "VALUES ((SELECT id FROM user WHERE id = ?1), ?2, ?3) "
                          "ON CONFLICT (href) DO UPDATE SET display_name = excluded.display_name "
                          "ON CONFLICT (user_id) DO NOTHING");
  sqlite3_bind_int64 (s, 1, op->object_id);
  bind_text (s, 2, href);
  bind_text (s, 3, op->display_name);
  return _roster_sync_step_done (store, s, error) && drop_outbox_row (store, ROSTER_SYNC_KIND_LIST, op, error);
}

static gboolean
finish_task (RosterStore        *store,
             const RosterSyncOp *op,
             const char         *href,
             const char         *etag,
             GError            **error)
{
  sqlite3_stmt *s;
  gboolean exists;

  s = _roster_store_stmt (store, "SELECT 1 FROM task WHERE id = ?1");
  sqlite3_bind_int64 (s, 1, op->object_id);
  exists = sqlite3_step (s) == SQLITE_ROW;
  sqlite3_reset (s);

  /* The resource is where the op put it: not at the old place, and no
   * longer a tombstone (a create that took one). */
  if ((op->old_href != NULL && !drop_tombstone (store, op->old_href, error)) ||
      !drop_tombstone (store, href, error))
    return FALSE;

  if (exists)
    s = _roster_store_stmt (store,
                            "INSERT OR REPLACE INTO roster_sync_task (task_id, uid, href, list_href, etag, base) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  else
    /* Deleted while its PUT was on the way: the server has it now. */
    s = _roster_store_stmt (store,
                            "INSERT OR REPLACE INTO roster_sync_tombstone (uid, href, list_href, etag, base) "
                            "VALUES (?2, ?3, ?4, ?5, ?6)");
  if (exists)
    sqlite3_bind_int64 (s, 1, op->object_id);
  bind_text (s, 2, op->uid);
  bind_text (s, 3, href);
  bind_text (s, 4, op->list_href);
  bind_text (s, 5, etag);
  bind_text (s, 6, op->ical);
  return _roster_sync_step_done (store, s, error) && drop_outbox_row (store, ROSTER_SYNC_KIND_TASK, op, error);
}

static gboolean
finish_list_deletion (RosterStore        *store,
                      const RosterSyncOp *op,
                      GError            **error)
{
  static const char * const sql[] = {
    "DELETE FROM roster_sync_list WHERE href = ?1 AND user_id IS NULL",
    "DELETE FROM roster_sync_tombstone WHERE list_href = ?1",
    "DELETE FROM roster_sync_task WHERE list_href = ?1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    {
      sqlite3_stmt *s = _roster_store_stmt (store, sql[i]);

      bind_text (s, 1, op->href);
      if (!_roster_sync_step_done (store, s, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
roster_sync_state_finish (RosterStore        *store,
                          const RosterSyncOp *op,
                          const char         *href,
                          const char         *etag,
                          gboolean           *still_pending,
                          GError            **error)
{
  gboolean ok = FALSE;

  g_return_val_if_fail (ROSTER_IS_STORE (store), FALSE);
  g_return_val_if_fail (op != NULL, FALSE);

  if (href == NULL)
    href = op->href;
  if (!begin_write (store, error))
    return FALSE;

  switch (op->kind)
    {
    case ROSTER_SYNC_CREATE_LIST:
    case ROSTER_SYNC_RENAME_LIST:
      ok = finish_list (store, op, href, error);
      break;
    case ROSTER_SYNC_CREATE_TASK:
    case ROSTER_SYNC_UPDATE_TASK:
    case ROSTER_SYNC_MOVE_TASK:
      ok = finish_task (store, op, href, etag, error);
      break;
    case ROSTER_SYNC_DELETE_TASK:
      ok = drop_tombstone (store, op->href, error);
      break;
    case ROSTER_SYNC_DELETE_LIST:
      ok = finish_list_deletion (store, op, error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (ok && still_pending != NULL)
    *still_pending = op->object_id != 0 &&
                     _roster_sync_is_pending (store,
                                              op->kind <= ROSTER_SYNC_RENAME_LIST ? ROSTER_SYNC_KIND_LIST
                                                                                  : ROSTER_SYNC_KIND_TASK,
                                              op->object_id);
  return end_write (store, ok, error);
}
