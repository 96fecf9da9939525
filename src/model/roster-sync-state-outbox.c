/* roster-sync-state-outbox.c: the outbox as the engine reads and finishes
 * it (roster-sync-state.h, "Pushing").
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

#include <string.h>

#include "roster-sync-schema.h"
#include "roster-sync-state-private.h"

/* ------------------------------------------------------------------------ */
/* Reading the outbox                                                        */

/* Rows with nothing left to do: objects deleted (their tombstones or list
 * rows carry the deletion), and lists whose name the server has. A task
 * deleted here while a PUT of it had no answer in the file (a sync killed
 * meanwhile) may be on the server all the same: its sent row becomes a
 * tombstone, and the DELETE goes (a 404 if the PUT never arrived). */
static gboolean
drop_idle_rows (RosterStore  *store,
                GError      **error)
{
  static const char * const sql[] = {
    "DELETE FROM roster_sync_outbox WHERE kind = 0 AND object_id NOT IN (SELECT id FROM task)",
    "DELETE FROM roster_sync_outbox WHERE kind = 1 AND (object_id NOT IN (SELECT id FROM user) OR "
    "object_id IN (SELECT l.user_id FROM roster_sync_list AS l JOIN user AS u ON u.id = l.user_id "
    "WHERE l.display_name IS u.username))",
    "INSERT OR IGNORE INTO roster_sync_tombstone (href, uid, list_href, etag, base) "
    "SELECT s.href, s.uid, s.list_href, NULL, s.ical FROM roster_sync_sent AS s WHERE " ROSTER_SYNC_SENT_TASK_GONE,
    "DELETE FROM roster_sync_sent AS s WHERE " ROSTER_SYNC_SENT_TASK_GONE,
  };
  sqlite3_stmt *s = _roster_store_stmt (store,
                                        "SELECT EXISTS (SELECT 1 FROM roster_sync_outbox AS o WHERE "
                                        "(o.kind = 0 AND o.object_id NOT IN (SELECT id FROM task)) OR "
                                        "(o.kind = 1 AND o.object_id NOT IN (SELECT id FROM user)) OR "
                                        "(o.kind = 1 AND o.object_id IN (SELECT l.user_id FROM roster_sync_list AS l "
                                        "JOIN user AS u ON u.id = l.user_id WHERE l.display_name IS u.username))) "
                                        "OR EXISTS (SELECT 1 FROM roster_sync_sent AS s WHERE " ROSTER_SYNC_SENT_TASK_GONE ")");
  gboolean any;
  gboolean ok = TRUE;

  /* Only read, most of the time: the write lock only when there is work. */
  _roster_store_begin_read (store);
  any = sqlite3_step (s) == SQLITE_ROW && sqlite3_column_int (s, 0) != 0;
  sqlite3_reset (s);
  if (!any)
    return TRUE;

  if (!_roster_sync_begin_write (store, error))
    return FALSE;
  for (guint i = 0; ok && i < G_N_ELEMENTS (sql); i++)
    ok = _roster_sync_step_done (store, _roster_store_stmt (store, sql[i]), error);
  return _roster_sync_end_write (store, ok, error);
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
list_waits_deletion (RosterStore *store,
                     const char  *href)
{
  sqlite3_stmt *s = _roster_store_stmt (store,
                                        "SELECT 1 FROM roster_sync_list WHERE href = ?1 AND user_id IS NULL");
  gboolean waits;

  _roster_sync_bind_text (s, 1, href);
  waits = sqlite3_step (s) == SQLITE_ROW;
  sqlite3_reset (s);
  return waits;
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
      op->display_name = _roster_sync_column_text (s, 2);
      op->href = _roster_sync_column_text (s, 3);
      op->kind = op->href != NULL ? ROSTER_SYNC_RENAME_LIST : ROSTER_SYNC_CREATE_LIST;
      if (op->href == NULL)
        {
          op->href = new_list_href (account->home_href ? account->home_href : account->server_url,
                                    account->server_url, op->object_id, op->display_name);
          /* The user's deletion undone before its list was deleted: the
           * list is the user's again (finishing links it back). */
          if (list_waits_deletion (store, op->href))
            op->kind = ROSTER_SYNC_RENAME_LIST;
        }
      op->list_href = g_strdup (op->href);
      g_ptr_array_add (ops, op);
    }
  if (ops->len >= max)
    {
      sqlite3_reset (s);
      return TRUE;
    }
  return _roster_sync_finish_rows (store, s, rc, error);
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

  _roster_sync_bind_text (s, 1, op->uid);
  _roster_sync_bind_text (s, 2, op->list_href);
  found = sqlite3_step (s) == SQLITE_ROW;
  if (found)
    {
      g_free (op->href);
      op->href = _roster_sync_column_text (s, 0);
      op->etag = _roster_sync_column_text (s, 1);
      *base = _roster_sync_column_text (s, 2);
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
                ? _roster_sync_column_text (s, 2)
                : g_strdup_printf ("roster-task-%" G_GINT64_FORMAT, op->object_id);
      op->list_href = _roster_sync_column_text (s, 3);
      if (sqlite3_column_type (s, 4) == SQLITE_NULL)
        {
          op->kind = ROSTER_SYNC_CREATE_TASK;
          op->href = task_href (op->list_href, op->uid);
        }
      else if (g_strcmp0 ((const char *) sqlite3_column_text (s, 5), "") == 0)
        {
          /* Deleted on the server while edited here (detached by
           * roster_sync_apply_remote_gone()): created anew, from its base. */
          op->kind = ROSTER_SYNC_CREATE_TASK;
          op->href = task_href (op->list_href, op->uid);
          base = _roster_sync_column_text (s, 7);
        }
      else if (g_strcmp0 ((const char *) sqlite3_column_text (s, 5), op->list_href) != 0)
        {
          op->kind = ROSTER_SYNC_MOVE_TASK;
          op->old_href = _roster_sync_column_text (s, 4);
          op->etag = _roster_sync_column_text (s, 6);
          op->href = task_href (op->list_href, op->uid);
          base = _roster_sync_column_text (s, 7);
        }
      else
        {
          op->kind = ROSTER_SYNC_UPDATE_TASK;
          op->href = _roster_sync_column_text (s, 4);
          op->etag = _roster_sync_column_text (s, 6);
          base = _roster_sync_column_text (s, 7);
        }
      g_ptr_array_add (found, op);
      g_ptr_array_add (bases, base);
    }
  if (ops->len + found->len >= max)
    sqlite3_reset (s);
  else if (!_roster_sync_finish_rows (store, s, rc, error))
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
      op->href = _roster_sync_column_text (s, 0);
      op->uid = _roster_sync_column_text (s, 1);
      op->list_href = _roster_sync_column_text (s, 2);
      op->etag = _roster_sync_column_text (s, 3);
      g_ptr_array_add (ops, op);
    }
  if (ops->len >= max)
    {
      sqlite3_reset (s);
      return TRUE;
    }
  return _roster_sync_finish_rows (store, s, rc, error);
}

/* Whether an op of @ops still needs the list @href: a task that leaves it
 * (given to an heir) goes before the list's deletion, and a list taken
 * back by its user is not deleted. */
static gboolean
still_needed (GPtrArray  *ops,
              const char *href)
{
  for (guint i = 0; i < ops->len; i++)
    {
      RosterSyncOp *op = g_ptr_array_index (ops, i);

      if ((op->old_href != NULL && g_str_has_prefix (op->old_href, href)) ||
          (op->kind == ROSTER_SYNC_RENAME_LIST && g_strcmp0 (op->href, href) == 0))
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

      if (still_needed (ops, href))
        continue;
      op = g_new0 (RosterSyncOp, 1);
      op->kind = ROSTER_SYNC_DELETE_LIST;
      op->href = _roster_sync_column_text (s, 0);
      op->list_href = g_strdup (op->href);
      op->display_name = _roster_sync_column_text (s, 1);
      g_ptr_array_add (ops, op);
    }
  if (ops->len >= max)
    {
      sqlite3_reset (s);
      return TRUE;
    }
  return _roster_sync_finish_rows (store, s, rc, error);
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

/* The collection that holds @href (a task's resource, or a list itself). */
static char *
collection_of (const char *href)
{
  g_autofree char *dir = g_path_get_dirname (href);

  return g_strconcat (dir, "/", NULL);
}

/* Adds the lists @op writes to (as hrefs) to @lists. */
static void
add_lists_written (GHashTable         *lists,
                   const RosterSyncOp *op)
{
  const char *hrefs[] = { op->href, op->old_href };

  for (guint k = 0; k < G_N_ELEMENTS (hrefs); k++)
    if (hrefs[k] != NULL)
      g_hash_table_add (lists, collection_of (hrefs[k]));
}

/* A PUT's VCALENDAR, kept until its answer is in the file. */
static gboolean
note_sent (RosterStore        *store,
           const RosterSyncOp *op,
           GError            **error)
{
  sqlite3_stmt *s;

  if ((op->kind != ROSTER_SYNC_CREATE_TASK && op->kind != ROSTER_SYNC_UPDATE_TASK
       && op->kind != ROSTER_SYNC_MOVE_TASK) || op->ical == NULL || op->uid == NULL)
    return TRUE;
  s = _roster_store_stmt (store,
                          "INSERT OR REPLACE INTO roster_sync_sent (task_id, uid, href, list_href, ical) "
                          "VALUES (?1, ?2, ?3, ?4, ?5)");
  sqlite3_bind_int64 (s, 1, op->object_id);
  _roster_sync_bind_text (s, 2, op->uid);
  _roster_sync_bind_text (s, 3, op->href);
  _roster_sync_bind_text (s, 4, op->list_href != NULL ? op->list_href : "");
  _roster_sync_bind_text (s, 5, op->ical);
  return _roster_sync_step_done (store, s, error);
}

gboolean
roster_sync_state_will_send (RosterStore *store,
                             GPtrArray   *ops,
                             GError     **error)
{
  g_autoptr(GHashTable) lists = NULL;
  GHashTableIter iter;
  gpointer list;
  gboolean ok = TRUE;

  g_return_val_if_fail (ROSTER_IS_STORE (store), FALSE);

  if (ops->len == 0)
    return TRUE;
  if (!_roster_sync_begin_write (store, error))
    return FALSE;
  lists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; ok && i < ops->len; i++)
    {
      add_lists_written (lists, ops->pdata[i]);
      ok = note_sent (store, ops->pdata[i], error);
    }
  /* Once per list: a round is mostly one list's tasks. */
  g_hash_table_iter_init (&iter, lists);
  while (ok && g_hash_table_iter_next (&iter, &list, NULL))
    {
      sqlite3_stmt *s = _roster_store_stmt (store, "UPDATE roster_sync_list SET ctag = NULL WHERE href = ?1 AND ctag IS NOT NULL");

      _roster_sync_bind_text (s, 1, list);
      ok = _roster_sync_step_done (store, s, error);
    }
  return _roster_sync_end_write (store, ok, error);
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
  _roster_sync_finish_rows (store, s, rc, error);
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

  _roster_sync_bind_text (s, 1, href);
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
                          "ON CONFLICT (href) DO UPDATE SET display_name = excluded.display_name, "
                          "user_id = coalesce (excluded.user_id, user_id) "
                          "ON CONFLICT (user_id) DO NOTHING");
  sqlite3_bind_int64 (s, 1, op->object_id);
  _roster_sync_bind_text (s, 2, href);
  _roster_sync_bind_text (s, 3, op->display_name);
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
  _roster_sync_bind_text (s, 2, op->uid);
  _roster_sync_bind_text (s, 3, href);
  _roster_sync_bind_text (s, 4, op->list_href);
  _roster_sync_bind_text (s, 5, etag);
  _roster_sync_bind_text (s, 6, op->ical);
  if (!_roster_sync_step_done (store, s, error))
    return FALSE;
  s = _roster_store_stmt (store, "DELETE FROM roster_sync_sent WHERE task_id = ?1");
  sqlite3_bind_int64 (s, 1, op->object_id);
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

      _roster_sync_bind_text (s, 1, op->href);
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
  if (!_roster_sync_begin_write (store, error))
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
  return _roster_sync_end_write (store, ok, error);
}
