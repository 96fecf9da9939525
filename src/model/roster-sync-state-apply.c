/* roster-sync-state-apply.c: what the server sent, applied to the store as
 * one change (roster-sync-state.h, "Pulling").
 *
 * The batch is the store's own (roster_store_begin_batch()), so that every
 * row goes through the store's mutations and _roster_store_ical_put(), the
 * objects and the live lists follow at the commit, once, as for any change.
 * Inside it the account's applying flag is 1: the triggers write no outbox
 * row and no tombstone, and the flag is back to 0 before the COMMIT, so no
 * other transaction ever sees it set (a crash rolls it back with the rest).
 * The commit is not put on the undo stack (_roster_store_commit_batch_full()).
 *
 * The sync rows (roster_sync_task, roster_sync_list) are written here with
 * SQL of their own in the same transaction: they are not Roster's data, so
 * no change records them and reflect() has nothing to do for them.
 */
#define G_LOG_DOMAIN "roster-sync"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "roster-ical-private.h"
#include "roster-store-ical.h"
#include "roster-sync-schema.h"
#include "roster-sync-state-private.h"

static gboolean
set_applying (RosterStore  *store,
              gboolean      applying,
              GError      **error)
{
  sqlite3_stmt *s = _roster_store_stmt (store, "UPDATE roster_sync_account SET applying = ?1");

  sqlite3_bind_int (s, 1, applying ? 1 : 0);
  return _roster_sync_step_done (store, s, error);
}

gboolean
roster_sync_apply_begin (RosterStore  *store,
                         GError      **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (store), FALSE);
  g_return_val_if_fail (store->batch == NULL, FALSE);

  roster_store_begin_batch (store, NULL);
  if (store->batch_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&store->batch_error));
      roster_store_rollback_batch (store);
      return FALSE;
    }
  if (!set_applying (store, TRUE, error))
    {
      roster_store_rollback_batch (store);
      return FALSE;
    }
  return TRUE;
}

gboolean
roster_sync_apply_commit (RosterStore  *store,
                          GError      **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (store), FALSE);
  g_return_val_if_fail (store->batch != NULL, FALSE);

  if (!set_applying (store, FALSE, error))
    {
      roster_store_rollback_batch (store);
      return FALSE;
    }
  return _roster_store_commit_batch_full (store, FALSE, error);
}

void
roster_sync_apply_rollback (RosterStore *store)
{
  g_return_if_fail (ROSTER_IS_STORE (store));
  g_return_if_fail (store->batch != NULL);

  roster_store_rollback_batch (store);
}

/* ------------------------------------------------------------------------ */
/* Reading the sync rows                                                     */

/* The user of the list @href: 0 when the list is unknown or its user was
 * deleted here (its deletion waits to be sent). */
static gint64
list_user (RosterStore *store,
           const char  *href)
{
  sqlite3_stmt *s = _roster_store_stmt (store, "SELECT user_id FROM roster_sync_list WHERE href = ?1");
  gint64 id = 0;

  sqlite3_bind_text (s, 1, href, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (s) == SQLITE_ROW)
    id = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  return id;
}

/* The synced task at @href (or with @uid), its base, and the user of the
 * list it was synced in (0 when that list is unknown). A task whose
 * resource the server deleted while it was edited here keeps its row,
 * detached (list_href ''), until it is created anew: its list is then
 * the one whose href starts its own. */
static gint64
synced_task (RosterStore  *store,
             const char   *href,
             const char   *uid,
             char        **base,
             gint64       *base_owner)
{
  sqlite3_stmt *s = _roster_store_stmt (store,
                                        "SELECT s.task_id, s.base, "
                                        "  (SELECT l.user_id FROM roster_sync_list AS l "
                                        "   WHERE l.href = s.list_href "
                                        "      OR (s.list_href = '' AND substr (s.href, 1, length (l.href)) = l.href)) "
                                        "FROM roster_sync_task AS s WHERE s.href = ?1 "
                                        "UNION ALL SELECT s.task_id, s.base, "
                                        "  (SELECT l.user_id FROM roster_sync_list AS l "
                                        "   WHERE l.href = s.list_href "
                                        "      OR (s.list_href = '' AND substr (s.href, 1, length (l.href)) = l.href)) "
                                        "FROM roster_sync_task AS s WHERE s.uid = ?2 "
                                        "LIMIT 1");
  gint64 id = 0;

  sqlite3_bind_text (s, 1, href, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (s, 2, uid != NULL ? uid : "", -1, SQLITE_TRANSIENT);
  if (base_owner != NULL)
    *base_owner = 0;
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (s, 0);
      *base = g_strdup ((const char *) sqlite3_column_text (s, 1));
      if (base_owner != NULL)
        *base_owner = sqlite3_column_int64 (s, 2);
    }
  sqlite3_reset (s);
  return id;
}

/* A resource deleted here: it stays deleted, with the server's ETag now,
 * so that its DELETE goes through. */
static gboolean
update_tombstone (RosterStore  *store,
                  const char   *href,
                  const char   *etag,
                  gboolean     *found,
                  GError      **error)
{
  sqlite3_stmt *s = _roster_store_stmt (store, "UPDATE roster_sync_tombstone SET etag = ?2 WHERE href = ?1");

  sqlite3_bind_text (s, 1, href, -1, SQLITE_TRANSIENT);
  if (etag != NULL)
    sqlite3_bind_text (s, 2, etag, -1, SQLITE_TRANSIENT);
  if (!_roster_sync_step_done (store, s, error))
    return FALSE;
  *found = sqlite3_changes (store->db) > 0;
  return TRUE;
}

/* A resource with the UID of a task deleted here, at another href (another
 * device moved it to another list, or copied it), or one that a PUT of ours
 * made before the task was deleted here with no answer in the file (a sync
 * killed meanwhile): it stays deleted, and is deleted there too. */
static gboolean
tombstone_elsewhere (RosterStore  *store,
                     const char   *uid,
                     const char   *href,
                     const char   *list_href,
                     const char   *etag,
                     gboolean     *found,
                     GError      **error)
{
  sqlite3_stmt *s = _roster_store_stmt (store,
                                        "INSERT OR REPLACE INTO roster_sync_tombstone (href, uid, list_href, etag, base) "
                                        "SELECT ?1, uid, ?2, ?3, base FROM "
                                        "(SELECT uid, base FROM roster_sync_tombstone WHERE uid = ?4 "
                                        " UNION ALL SELECT s.uid, s.ical FROM roster_sync_sent AS s "
                                        " WHERE s.uid = ?4 AND " ROSTER_SYNC_SENT_TASK_GONE ") LIMIT 1");

  sqlite3_bind_text (s, 1, href, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (s, 2, list_href, -1, SQLITE_TRANSIENT);
  if (etag != NULL)
    sqlite3_bind_text (s, 3, etag, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (s, 4, uid, -1, SQLITE_TRANSIENT);
  if (!_roster_sync_step_done (store, s, error))
    return FALSE;
  *found = sqlite3_changes (store->db) > 0;
  return TRUE;
}

static gboolean
store_synced_task (RosterStore  *store,
                   gint64        task_id,
                   const char   *uid,
                   const char   *href,
                   const char   *list_href,
                   const char   *etag,
                   const char   *base,
                   GError      **error)
{
  sqlite3_stmt *s;

  /* Another task's row at this href (a resource replaced on the server). */
  s = _roster_store_stmt (store, "DELETE FROM roster_sync_task WHERE href = ?1 AND task_id != ?2");
  sqlite3_bind_text (s, 1, href, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (s, 2, task_id);
  if (!_roster_sync_step_done (store, s, error))
    return FALSE;

  s = _roster_store_stmt (store,
                          "INSERT OR REPLACE INTO roster_sync_task (task_id, uid, href, list_href, etag, base) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  sqlite3_bind_int64 (s, 1, task_id);
  sqlite3_bind_text (s, 2, uid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (s, 3, href, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (s, 4, list_href, -1, SQLITE_TRANSIENT);
  if (etag != NULL)
    sqlite3_bind_text (s, 5, etag, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (s, 6, base, -1, SQLITE_TRANSIENT);
  if (!_roster_sync_step_done (store, s, error))
    return FALSE;

  /* The server's version is the base now, whatever a PUT of ours carried. */
  s = _roster_store_stmt (store, "DELETE FROM roster_sync_sent WHERE task_id = ?1");
  sqlite3_bind_int64 (s, 1, task_id);
  return _roster_sync_step_done (store, s, error);
}

/* A PUT of ours to @href whose answer the file does not have (a sync killed
 * after sending it): what it carried becomes the merge's @base when the
 * server's @remote is that version (or when the task was never synced: a
 * resource at its href with its UID is that PUT's), so that an edit made
 * here since is kept rather than lost to a "conflict" with ourselves. */
static void
take_sent_base (RosterStore    *store,
                gint64          task_id,
                const char     *href,
                icalcomponent  *remote,
                char          **base)
{
  sqlite3_stmt *s = _roster_store_stmt (store, "SELECT ical FROM roster_sync_sent WHERE task_id = ?1 AND href = ?2");
  g_autofree char *sent = NULL;

  sqlite3_bind_int64 (s, 1, task_id);
  sqlite3_bind_text (s, 2, href, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (s) == SQLITE_ROW)
    sent = g_strdup ((const char *) sqlite3_column_text (s, 0));
  sqlite3_reset (s);
  if (sent == NULL)
    return;

  if (*base != NULL)
    {
      icalcomponent *carried = roster_sync_parse_vtodo (sent);
      RosterSyncMerge merge = { 0 };
      gboolean as_sent;

      roster_sync_merge (carried, carried, remote, 0, &merge);
      as_sent = !merge.remote_changed;
      roster_sync_merge_clear (&merge);
      g_clear_pointer (&carried, icalcomponent_free);
      if (!as_sent)
        return;
    }
  g_free (*base);
  *base = g_steal_pointer (&sent);
}

/* ------------------------------------------------------------------------ */
/* A received VTODO                                                          */

static gint64
category_id (RosterStore  *store,
             const char   *name,
             GError      **error)
{
  g_autoptr(RosterCategory) category = roster_store_find_category (store, name);

  if (category == NULL)
    category = roster_store_create_category (store, name, NULL, error);
  return category != NULL ? roster_category_get_id (category) : 0;
}

/* The text of @calendar's components of @kind, one after the other. */
static char *
components_text (icalcomponent      *calendar,
                 icalcomponent_kind  kind)
{
  GString *out = g_string_new (NULL);

  for (icalcomponent *c = icalcomponent_get_first_component (calendar, kind);
       c != NULL;
       c = icalcomponent_get_next_component (calendar, kind))
    _roster_ical_append (out, c);
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* Writes the task from @calendar's first VTODO (merged), in @owner_id's list. */
static gboolean
put_task (RosterStore    *store,
          gint64          task_id,
          gint64          owner_id,
          icalcomponent  *calendar,
          icalcomponent  *vtodo,
          GError        **error)
{
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *vtodo_text = components_text (calendar, ICAL_VTODO_COMPONENT);
  g_autofree char *zones_text = components_text (calendar, ICAL_VTIMEZONE_COMPONENT);
  RosterIcalFields fields;
  RosterIcalPut put = { 0 };
  gboolean ok;

  _roster_ical_read_fields (vtodo, &fields);
  names = g_ptr_array_new ();
  g_ptr_array_extend (names, fields.tags, NULL, NULL);
  g_ptr_array_sort (names, _roster_ical_compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      gint64 id = category_id (store, g_ptr_array_index (names, i), error);

      if (id == 0)
        {
          _roster_ical_fields_clear (&fields);
          return FALSE;
        }
      g_array_append_val (ids, id);
    }

  put.task_id = task_id;
  put.owner_id = owner_id;
  put.uid = icalcomponent_get_uid (vtodo);
  put.title = fields.title ? fields.title : _roster_ical_untitled ();
  put.notes = fields.notes;
  put.done = fields.done;
  put.due_date = fields.due_date;
  put.due_time = fields.due_time;
  put.priority = fields.priority;
  put.recurrence = fields.recurrence;
  put.has_position = fields.has_position;
  put.position = fields.position;
  put.category_ids = (const gint64 *) ids->data;
  put.tag_names = (const char * const *) names->pdata;
  put.n_tags = names->len;
  put.vtodo = vtodo_text;
  put.vtimezones = zones_text;
  ok = _roster_store_ical_put (store, &put, error);
  _roster_ical_fields_clear (&fields);
  return ok;
}

/* The task's owner now: the list's user, unless a move made here waits to
 * be sent (then the task stays where it was put here). Other edits waiting
 * here do not keep it from following a move made on the server (another
 * device moved it from @base_owner's list, the one it was synced in, to
 * this one); without a list synced before, what waits stays. */
static gint64
owner_after (RosterStore *store,
             gint64       task_id,
             gint64       list_user_id,
             gint64       base_owner,
             gboolean     pending)
{
  g_autoptr(RosterTask) task = NULL;
  RosterUser *owner;
  gint64 owner_id;

  if (task_id == 0 || !pending)
    return list_user_id;
  task = roster_store_get_task (store, task_id, NULL);
  owner = task != NULL ? roster_task_get_owner (task) : NULL;
  owner_id = owner != NULL ? roster_user_get_id (owner) : list_user_id;
  if (base_owner != 0 && owner_id == base_owner)
    return list_user_id;
  return owner_id;
}

/* Merges the server's @remote (its series VTODO, inside @calendar) with the
 * task's edits waiting here; the series becomes the merged VTODO. */
static icalcomponent *
merge_into (RosterStore    *store,
            gint64          task_id,
            const char     *base_text,
            icalcomponent  *calendar,
            icalcomponent  *remote,
            GPtrArray      *conflicts,
            GError        **error)
{
  g_autofree char *local_text = _roster_sync_task_ical (store, task_id, base_text, error);
  icalcomponent *local, *base;
  RosterSyncMerge merge = { 0 };
  icalcomponent *merged;

  if (local_text == NULL)
    return NULL;
  local = roster_sync_parse_vtodo (local_text);
  base = roster_sync_parse_vtodo (base_text);
  roster_sync_merge (base, local, remote, time (NULL), &merge);
  if (conflicts != NULL)
    for (guint i = 0; i < merge.conflicts->len; i++)
      {
        RosterSyncConflict *conflict = g_steal_pointer (&g_ptr_array_index (merge.conflicts, i));

        conflict->task_id = task_id;
        g_ptr_array_add (conflicts, conflict);
      }
  g_clear_pointer (&base, icalcomponent_free);
  icalcomponent_free (local);

  merged = g_steal_pointer (&merge.merged);
  roster_sync_merge_clear (&merge);
  icalcomponent_remove_component (calendar, remote);
  icalcomponent_free (remote);
  icalcomponent_add_component (calendar, merged);
  return merged;
}

gboolean
roster_sync_apply_resource (RosterStore  *store,
                            const char   *list_href,
                            const char   *href,
                            const char   *etag,
                            const char   *ical,
                            GPtrArray    *conflicts,
                            gint64       *task_id_out,
                            GError      **error)
{
  g_autofree char *base = NULL;
  g_autoptr(GError) local_error = NULL;
  icalcomponent *calendar;
  icalcomponent *vtodo = NULL;
  gint64 user_id, task_id, owner_id, ignored, base_owner = 0;
  gboolean tombstone = FALSE;
  gboolean pending = FALSE;
  const char *uid;
  gboolean ok = FALSE;

  g_return_val_if_fail (ROSTER_IS_STORE (store), FALSE);
  g_return_val_if_fail (store->batch != NULL, FALSE);
  g_return_val_if_fail (list_href != NULL && href != NULL && ical != NULL, FALSE);

  if (task_id_out != NULL)
    *task_id_out = 0;

  /* Deleted here: it stays deleted, and so does a list deleted here. */
  if (!update_tombstone (store, href, etag, &tombstone, error))
    return FALSE;
  user_id = list_user (store, list_href);
  if (tombstone || user_id == 0)
    return TRUE;

  calendar = icalparser_parse_string (ical);
  if (calendar != NULL && icalcomponent_isa (calendar) == ICAL_VTODO_COMPONENT)
    {
      icalcomponent *wrapper = icalcomponent_new (ICAL_VCALENDAR_COMPONENT);

      icalcomponent_add_component (wrapper, calendar);
      calendar = wrapper;
    }
  if (calendar != NULL)
    vtodo = _roster_sync_series (calendar);
  if (vtodo == NULL || icalcomponent_get_uid (vtodo) == NULL)
    {
      g_clear_pointer (&calendar, icalcomponent_free);
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_FAILED,
                   _("“%s” on the server is not a to-do, so it was not synced."), href);
      return FALSE;
    }
  uid = icalcomponent_get_uid (vtodo);

  /* The task it is: synced already, or one with its UID (an import of the
   * same file on both sides, a first sync). */
  task_id = synced_task (store, href, uid, &base, &base_owner);
  if (task_id == 0)
    {
      task_id = _roster_store_ical_find_task (store, uid, &ignored, &local_error);
      if (local_error != NULL)
        goto out;
    }
  if (task_id == 0)
    {
      if (!tombstone_elsewhere (store, uid, href, list_href, etag, &tombstone, &local_error))
        goto out;
      if (tombstone)
        {
          ok = TRUE;
          goto out;
        }
    }
  if (task_id != 0)
    pending = _roster_sync_is_pending (store, ROSTER_SYNC_KIND_TASK, task_id);
  if (pending)
    take_sent_base (store, task_id, href, vtodo, &base);

  /* Edits of it wait here: merged, and what stays of them is sent later. */
  if (pending && (vtodo = merge_into (store, task_id, base, calendar, vtodo, conflicts, &local_error)) == NULL)
    goto out;

  owner_id = owner_after (store, task_id, user_id, base_owner, pending);
  if (!put_task (store, task_id, owner_id, calendar, vtodo, &local_error))
    goto out;
  if (task_id == 0)
    {
      task_id = _roster_store_ical_find_task (store, icalcomponent_get_uid (vtodo), &ignored, &local_error);
      if (task_id == 0)
        goto out;
    }
  ok = store_synced_task (store, task_id, icalcomponent_get_uid (vtodo), href, list_href, etag, ical,
                          &local_error);
  if (ok && task_id_out != NULL)
    *task_id_out = task_id;

out:
  icalcomponent_free (calendar);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

/* ------------------------------------------------------------------------ */
/* Resources and lists the server no longer has                              */

gboolean
roster_sync_apply_remote_gone (RosterStore  *store,
                               const char   *href,
                               gboolean     *sent_again,
                               GError      **error)
{
  g_autoptr(RosterTask) task = NULL;
  g_autofree char *base = NULL;
  sqlite3_stmt *s;
  gint64 task_id;

  g_return_val_if_fail (ROSTER_IS_STORE (store), FALSE);
  g_return_val_if_fail (store->batch != NULL, FALSE);

  if (sent_again != NULL)
    *sent_again = FALSE;

  /* A tombstone's resource gone: it stays until its DELETE (a 404 then) is
   * finished, so that the task stays deleted if its UID turns up in
   * another list in this pull (another device moved it). */
  task_id = synced_task (store, href, NULL, &base, NULL);
  if (task_id == 0)
    return TRUE;

  /* Edited here, it is created anew. Its row stays, detached from the
   * list, so that its base is still the merge's if the same UID turns up
   * in another list (another device moved it): without one, the server's
   * value of every field would win over the edits waiting here. */
  if (_roster_sync_is_pending (store, ROSTER_SYNC_KIND_TASK, task_id))
    {
      s = _roster_store_stmt (store, "UPDATE roster_sync_task SET list_href = '', etag = NULL WHERE task_id = ?1");
      sqlite3_bind_int64 (s, 1, task_id);
      if (!_roster_sync_step_done (store, s, error))
        return FALSE;
      if (sent_again != NULL)
        *sent_again = TRUE;
      return TRUE;
    }

  /* Not edited: the task forgets the resource, and goes. */
  s = _roster_store_stmt (store, "DELETE FROM roster_sync_task WHERE task_id = ?1");
  sqlite3_bind_int64 (s, 1, task_id);
  if (!_roster_sync_step_done (store, s, error))
    return FALSE;

  task = roster_store_get_task (store, task_id, error);
  return task != NULL && roster_store_delete_task (store, task, error);
}

/* The last segment of @href ("/cal/ada/work/" -> "work"), unescaped. */
static char *
href_name (const char *href)
{
  g_autofree char *trimmed = g_strdup (href);
  char *slash;

  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';
  slash = strrchr (trimmed, '/');
  return g_uri_unescape_string (slash != NULL ? slash + 1 : trimmed, NULL);
}

/* A new list's user, named as the list (or as its href when it has no
 * name) or, when another user has that name, "Name (2)", "Name (3)"… */
static RosterUser *
create_user_named (RosterStore  *store,
                   const char   *display_name,
                   const char   *href,
                   GError      **error)
{
  g_autofree char *fallback = NULL;
  const char *name = display_name;

  if (name == NULL || _roster_text_is_blank (name))
    name = fallback = href_name (href);
  if (fallback != NULL && (!g_utf8_validate (fallback, -1, NULL) || _roster_text_is_blank (fallback)))
    name = href;

  for (guint n = 1; n < 1000; n++)
    {
      g_autofree char *candidate = n == 1 ? g_strdup (name) : g_strdup_printf ("%s (%u)", name, n);
      g_autoptr(RosterUser) existing = roster_store_find_user (store, candidate);

      if (existing == NULL)
        return roster_store_create_user (store, candidate, error);
    }
  /* Fails with the store's own words. */
  return roster_store_create_user (store, name, error);
}

/* The user with @display_name, when no list is linked to it yet. */
static RosterUser *
unlinked_user (RosterStore *store,
               const char  *display_name)
{
  g_autoptr(RosterUser) user = display_name != NULL ? roster_store_find_user (store, display_name) : NULL;
  sqlite3_stmt *s;
  gboolean linked;

  if (user == NULL)
    return NULL;
  s = _roster_store_stmt (store, "SELECT 1 FROM roster_sync_list WHERE user_id = ?1");
  sqlite3_bind_int64 (s, 1, roster_user_get_id (user));
  linked = sqlite3_step (s) == SQLITE_ROW;
  sqlite3_reset (s);
  return linked ? NULL : g_steal_pointer (&user);
}

gboolean
roster_sync_apply_list (RosterStore  *store,
                        const char   *href,
                        const char   *display_name,
                        gint64       *user_id_out,
                        GError      **error)
{
  g_autoptr(RosterUser) user = NULL;
  g_autofree char *synced_name = NULL;
  sqlite3_stmt *s;
  gboolean known = FALSE;
  gint64 user_id = 0;

  g_return_val_if_fail (ROSTER_IS_STORE (store), FALSE);
  g_return_val_if_fail (store->batch != NULL, FALSE);
  g_return_val_if_fail (href != NULL, FALSE);

  if (user_id_out != NULL)
    *user_id_out = 0;

  s = _roster_store_stmt (store, "SELECT user_id, display_name FROM roster_sync_list WHERE href = ?1");
  sqlite3_bind_text (s, 1, href, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      known = TRUE;
      user_id = sqlite3_column_int64 (s, 0);
      synced_name = g_strdup ((const char *) sqlite3_column_text (s, 1));
    }
  sqlite3_reset (s);

  /* Its user was deleted here: the list's deletion waits to be sent. */
  if (known && user_id == 0)
    return TRUE;

  if (known)
    {
      user = roster_store_get_user (store, user_id, error);
      if (user == NULL)
        return FALSE;
      /* Renamed on the server and not here: the user follows. A name another
       * user has stays the server's alone. */
      if (display_name != NULL && g_strcmp0 (display_name, synced_name) != 0 &&
          g_strcmp0 (roster_user_get_username (user), synced_name) == 0 &&
          !_roster_text_is_blank (display_name))
        {
          g_autoptr(RosterUser) other = roster_store_find_user (store, display_name);

          if (other == NULL && !roster_store_rename_user (store, user, display_name, error))
            return FALSE;
        }
    }
  else
    {
      user = unlinked_user (store, display_name);
      if (user == NULL)
        user = create_user_named (store, display_name, href, error);
      if (user == NULL)
        return FALSE;
    }

  user_id = roster_user_get_id (user);
  s = _roster_store_stmt (store,
                          "INSERT INTO roster_sync_list (user_id, href, display_name) VALUES (?1, ?2, ?3) "
                          "ON CONFLICT (href) DO UPDATE SET user_id = excluded.user_id, "
                          "display_name = excluded.display_name");
  sqlite3_bind_int64 (s, 1, user_id);
  sqlite3_bind_text (s, 2, href, -1, SQLITE_TRANSIENT);
  if (display_name != NULL)
    sqlite3_bind_text (s, 3, display_name, -1, SQLITE_TRANSIENT);
  if (!_roster_sync_step_done (store, s, error))
    return FALSE;
  if (user_id_out != NULL)
    *user_id_out = user_id;
  return TRUE;
}

gboolean
roster_sync_apply_list_gone (RosterStore  *store,
                             const char   *href,
                             GError      **error)
{
  static const char * const forget[] = {
    "DELETE FROM roster_sync_list WHERE href = ?1",
    "DELETE FROM roster_sync_tombstone WHERE list_href = ?1",
    "DELETE FROM roster_sync_task WHERE list_href = ?1",
  };
  g_autoptr(RosterUser) user = NULL;
  gint64 user_id;

  g_return_val_if_fail (ROSTER_IS_STORE (store), FALSE);
  g_return_val_if_fail (store->batch != NULL, FALSE);

  user_id = list_user (store, href);
  /* First the list's rows, so that deleting the user leaves no list to
   * delete on the server. */
  for (guint i = 0; i < G_N_ELEMENTS (forget); i++)
    {
      sqlite3_stmt *s = _roster_store_stmt (store, forget[i]);

      sqlite3_bind_text (s, 1, href, -1, SQLITE_TRANSIENT);
      if (!_roster_sync_step_done (store, s, error))
        return FALSE;
    }
  if (user_id == 0)
    return TRUE;
  user = roster_store_get_user (store, user_id, error);
  return user != NULL && roster_store_delete_user (store, user, ROSTER_DELETE_USER_AND_TASKS, NULL, error);
}

/* ------------------------------------------------------------------------ */
/* Undoing a conflict                                                        */

/* A DUE value ("20240601", "20240601T093000Z") as the store takes it. */
static GDateTime *
due_date (const char *value)
{
  struct icaltimetype t;

  if (value == NULL || value[0] == '\0')
    return NULL;
  t = icaltime_from_string (value);
  if (icaltime_is_null_time (t) || !icaltime_is_valid_time (t))
    return NULL;
  return g_date_time_new_utc (t.year, t.month, t.day, 0, 0, 0);
}

gboolean
roster_sync_conflict_restore (RosterStore              *store,
                              const RosterSyncConflict *conflict,
                              GError                  **error)
{
  g_autoptr(RosterTask) task = NULL;
  const char *value;

  g_return_val_if_fail (ROSTER_IS_STORE (store), FALSE);
  g_return_val_if_fail (conflict != NULL && conflict->task_id != 0, FALSE);

  task = roster_store_get_task (store, conflict->task_id, error);
  if (task == NULL)
    return FALSE;
  value = conflict->local_value != NULL ? conflict->local_value : "";

  if (strcmp (conflict->property, "SUMMARY") == 0)
    return roster_store_set_task_title (store, task, value[0] != '\0' ? value : _roster_ical_untitled (), error);
  if (strcmp (conflict->property, "DESCRIPTION") == 0)
    return roster_store_set_task_notes (store, task, value, error);
  if (strcmp (conflict->property, "STATUS") == 0)
    return roster_store_set_task_done (store, task, strstr (value, "COMPLETED") != NULL, error);
  if (strcmp (conflict->property, "DUE") == 0)
    {
      g_autoptr(GDateTime) due = due_date (value);

      return roster_store_set_task_due_date (store, task, due, error);
    }
  return TRUE;
}
