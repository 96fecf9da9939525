/* roster-sync-state-keep.c: deletions the person chose not to follow
 * (ROSTER_SYNC_KEEP_DELETIONS, roster-sync-state.h, "Pulling").
 *
 * The server stopped showing many tasks of a list, or a whole list, and
 * the person said "keep them": the tasks stay here and go back to the
 * server. Nothing is sent from here: the rows are changed, inside the
 * engine's apply batch (one transaction), so that the outbox asks for the
 * requests by itself (roster-sync-state-outbox.c): a task whose sync row
 * is detached (list_href '') is created anew from its base in its owner's
 * list, at the href its UID gives (for a resource Roster made, the very
 * href the server lost: one name per task on every device); a user without
 * a list gets one made again under the user's name, and its tasks follow.
 * The outbox rows are written here because the triggers are off while a
 * pull is applied. A kill -9 before the commit leaves the deletion to be
 * asked again; after it, the next sync sends what is queued.
 *
 * A tombstone (a task deleted here) is never sent back: its row is not a
 * task's, and a list that vanished takes its tombstones with it (there is
 * nothing left on the server to delete).
 */
#define G_LOG_DOMAIN "roster-sync"

#include "roster-sync-schema.h"
#include "roster-sync-state-private.h"

/* The outbox's kinds, as SQL text. */
#define TASK G_STRINGIFY (ROSTER_SYNC_KIND_TASK)
#define LIST G_STRINGIFY (ROSTER_SYNC_KIND_LIST)

/* An outbox row (or its seq bumped) for each object a SELECT gives (kind,
 * id), as the triggers would: they write nothing inside the batch. */
#define QUEUE_SQL(select) \
  "INSERT INTO roster_sync_outbox (kind, object_id) " select " " \
  "ON CONFLICT (kind, object_id) DO UPDATE SET seq = seq + 1"

/* Runs @sql, a QUEUE_SQL() (a constant: statements are cached by address)
 * with ?1 @href and ?2 @id; *@n_queued is how many rows it queued. */
static gboolean
queue (RosterStore  *store,
       const char   *sql,
       const char   *href,
       gint64        id,
       guint        *n_queued,
       GError      **error)
{
  sqlite3_stmt *s = _roster_store_stmt (store, sql);

  _roster_sync_bind_text (s, 1, href);
  sqlite3_bind_int64 (s, 2, id);
  if (!_roster_sync_step_done (store, s, error))
    return FALSE;
  if (n_queued != NULL)
    *n_queued = sqlite3_changes (store->db);
  return TRUE;
}

gboolean
roster_sync_apply_remote_kept (RosterStore  *store,
                               const char   *href,
                               gboolean     *kept,
                               GError      **error)
{
  sqlite3_stmt *s;
  guint n = 0;

  g_return_val_if_fail (ROSTER_IS_STORE (store), FALSE);
  g_return_val_if_fail (store->batch != NULL, FALSE);
  g_return_val_if_fail (href != NULL, FALSE);

  if (kept != NULL)
    *kept = FALSE;
  /* A tombstone's resource, or one never synced here, has no task row:
   * nothing to keep. */
  if (!queue (store, QUEUE_SQL ("SELECT " TASK ", task_id FROM roster_sync_task WHERE href = ?1 AND list_href != ''"),
              href, 0, &n, error))
    return FALSE;
  if (n == 0)
    return TRUE;

  /* The base stays: the task is sent as it was last synced plus the edits
   * made here since, its foreign properties kept. */
  s = _roster_store_stmt (store, "UPDATE roster_sync_task SET list_href = '', etag = NULL WHERE href = ?1");
  _roster_sync_bind_text (s, 1, href);
  if (!_roster_sync_step_done (store, s, error))
    return FALSE;
  if (kept != NULL)
    *kept = TRUE;
  return TRUE;
}

gboolean
roster_sync_apply_list_kept (RosterStore  *store,
                             const char   *href,
                             guint        *n_kept,
                             GError      **error)
{
  static const char * const forget[] = {
    /* Detached: each is created anew in the list made again, from its base. */
    "UPDATE roster_sync_task SET list_href = '', etag = NULL WHERE list_href = ?1",
    /* Deleted here, and the server has nothing left to delete. */
    "DELETE FROM roster_sync_tombstone WHERE list_href = ?1",
    /* Without a list row the user's outbox row makes a list again. */
    "DELETE FROM roster_sync_list WHERE href = ?1",
  };
  sqlite3_stmt *s;
  gint64 user_id = 0;
  guint n = 0;

  g_return_val_if_fail (ROSTER_IS_STORE (store), FALSE);
  g_return_val_if_fail (store->batch != NULL, FALSE);
  g_return_val_if_fail (href != NULL, FALSE);

  if (n_kept != NULL)
    *n_kept = 0;
  s = _roster_store_stmt (store, "SELECT user_id FROM roster_sync_list WHERE href = ?1");
  _roster_sync_bind_text (s, 1, href);
  if (sqlite3_step (s) == SQLITE_ROW)
    user_id = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  /* Unknown, or its user deleted here: nothing to keep. */
  if (user_id == 0)
    return TRUE;

  /* The user's tasks, and any other task synced in the list (moved to
   * another user here, the move not sent yet): all are sent again. */
  if (!queue (store,
              QUEUE_SQL ("SELECT " TASK ", id FROM task WHERE owner_id = ?2 "
                         "OR id IN (SELECT task_id FROM roster_sync_task WHERE list_href = ?1)"),
              href, user_id, &n, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (forget); i++)
    {
      s = _roster_store_stmt (store, forget[i]);
      _roster_sync_bind_text (s, 1, href);
      if (!_roster_sync_step_done (store, s, error))
        return FALSE;
    }
  /* Its user: a list made again (the ?1 only makes the SELECT's WHERE). */
  if (!queue (store, QUEUE_SQL ("SELECT " LIST ", ?2 WHERE ?1 IS NOT NULL"), href, user_id, NULL, error))
    return FALSE;
  if (n_kept != NULL)
    *n_kept = n;
  return TRUE;
}
