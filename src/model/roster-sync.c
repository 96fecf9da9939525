/* roster-sync.c: one sync of a file with its CalDAV account. See roster-sync.h.
 *
 * In order:
 *
 * 1. The account: the home found before (kept in the file), or discovery.
 * 2. The lists (one PROPFIND Depth 1 of the home): a new list on the server
 *    is a user here (or the user of that name), a renamed one renames its
 *    user; a list gone from the server takes its user only after the
 *    deletion rule (roster_sync_check_deletions()) allows it (or, when the
 *    person keeps it, ROSTER_SYNC_KEEP_DELETIONS, the user stays and the
 *    push makes the list again with the user's tasks). Once every list has
 *    a CTag kept, the PROPFIND asks for CTags only, not sync tokens: a
 *    server may read the whole list for each (Radicale does, so asking for
 *    both took twice as long as asking for one).
 * 3. Pull, list by list, only where the list's CTag (or, without CTags, its
 *    sync token) moved: sync-collection from the token kept (an expired token,
 *    or a server without sync-collection: the ETag listing compared with the
 *    file's; a list without a token kept asks for one first, Depth 0),
 *    then calendar-multiget of what changed, applied as one change with the
 *    removals the deletion rule allows (those it asks about, when kept, are
 *    queued to be created again instead); only then is the new token kept,
 *    so a sync cut short pulls the same again.
 * 4. Push the outbox in its order, conditionally (roster-sync-push.c): a 412
 *    fetches the server's version, merges it (roster_sync_apply_resource())
 *    and the merged result is sent in the next round; an op leaves the
 *    outbox only after the server's 2xx (roster_sync_state_finish()).
 *
 * All of it holds the file's sync lease (roster-sync-lease.h): a second
 * sync of the same file meanwhile fails at once with ROSTER_SYNC_ERROR_BUSY.
 * Anything that fails stops the sync with its error; what was done stays
 * done and the next sync goes on from there.
 */
#define G_LOG_DOMAIN "roster-sync"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "roster-error.h"
#include "roster-sync.h"
#include "roster-sync-lease.h"
#include "roster-sync-private.h"
#include "roster-sync-state.h"
#include "roster-task.h"

G_DEFINE_QUARK (roster-sync-error-quark, roster_sync_error)

/* Resources asked for in one calendar-multiget. */
#define MULTIGET_CHUNK 100

void
roster_sync_result_clear (RosterSyncResult *result)
{
  g_clear_pointer (&result->conflicts, g_ptr_array_unref);
  result->n_sent = 0;
  result->n_received = 0;
  result->n_kept = 0;
}

char *
roster_sync_describe_conflict (RosterStore   *store,
                               gconstpointer  conflict)
{
  const RosterSyncConflict *c = conflict;
  g_autoptr(RosterTask) task = c->task_id != 0 ? roster_store_get_task (store, c->task_id, NULL) : NULL;

  if (task != NULL)
    /* Translators: a task's title, a property (SUMMARY, DUE…), the server's value, then the one here */
    return g_strdup_printf (_("“%s”: %s was changed on both sides: the server’s “%s” was kept, not “%s”."),
                            roster_task_get_title (task), c->property, c->server_value, c->local_value);
  /* Translators: a property (SUMMARY, DUE…), the server's value, then the one here */
  return g_strdup_printf (_("%s was changed on both sides: the server’s “%s” was kept, not “%s”."),
                          c->property, c->server_value, c->local_value);
}

gboolean
roster_sync_set_account (RosterStore  *store,
                         const char   *server_url,
                         const char   *username,
                         GError      **error)
{
  g_auto(RosterSyncAccount) account = { 0 };
  g_autoptr(GError) local = NULL;
  /* A new account clears the state a sync running meanwhile works from;
   * and two of these at once must not both find "no account yet". */
  g_autoptr(RosterSyncLease) lease = roster_sync_lease_take (store, ROSTER_SYNC_LEASE_SECONDS, error);

  if (lease == NULL)
    return FALSE;
  /* The same account keeps the home it found. */
  if (roster_sync_state_get_account (store, &account, &local)
      && g_strcmp0 (account.server_url, server_url) == 0
      && g_strcmp0 (account.username, username) == 0)
    return TRUE;
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return roster_sync_state_set_account (store, server_url, username, NULL, NULL, NULL, error);
}

gboolean
roster_sync_get_account (RosterStore  *store,
                         char        **server_url,
                         char        **username,
                         GError      **error)
{
  g_auto(RosterSyncAccount) account = { 0 };

  *server_url = NULL;
  *username = NULL;
  if (!roster_sync_state_get_account (store, &account, error))
    return FALSE;
  *server_url = g_steal_pointer (&account.server_url);
  *username = g_steal_pointer (&account.username);
  return TRUE;
}

static gboolean
prepare_account (RosterSyncRun  *sync,
                 GError        **error)
{
  g_auto(RosterSyncAccount) account = { 0 };
  g_autoptr(GError) local = NULL;
  g_autofree char *home = NULL;

  if (!roster_sync_state_get_account (sync->store, &account, &local))
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error_literal (error, ROSTER_SYNC_ERROR, ROSTER_SYNC_ERROR_NO_ACCOUNT,
                             _("This file has no sync account yet: give the server’s address and the username."));
      return FALSE;
    }
  if (account.home_href != NULL)
    {
      roster_caldav_client_set_home (sync->client, account.home_href);
      return TRUE;
    }
  home = roster_caldav_client_discover (sync->client, sync->cancellable, error);
  return home != NULL
         && roster_sync_state_set_account (sync->store, account.server_url, account.username,
                                           NULL, home, NULL, error);
}

static RosterCaldavCollection *
find_collection (GPtrArray  *collections,
                 const char *href)
{
  for (guint i = 0; i < collections->len; i++)
    if (g_str_equal (((RosterCaldavCollection *) collections->pdata[i])->href, href))
      return collections->pdata[i];
  return NULL;
}

static RosterSyncList *
find_list (GPtrArray  *lists,
           const char *href)
{
  for (guint i = 0; i < lists->len; i++)
    if (g_str_equal (((RosterSyncList *) lists->pdata[i])->href, href))
      return lists->pdata[i];
  return NULL;
}

/* A list without a display name is called after its last path segment. */
static char *
collection_name (const RosterCaldavCollection *collection)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *base = NULL;

  if (collection->display_name != NULL)
    return g_strdup (collection->display_name);
  trimmed = g_strndup (collection->href, strlen (collection->href) - 1);
  base = g_path_get_basename (trimmed);
  return g_uri_unescape_string (base, NULL);
}

/* The deletion rule for @n_going of @n_local tasks (the whole list when
 * @vanished); an error naming the list when it must be asked first. With
 * ROSTER_SYNC_KEEP_DELETIONS, what it would ask about is kept instead:
 * *@keep says so. */
static gboolean
deletions_allowed (RosterSyncRun  *sync,
                   const char     *list_name,
                   gboolean        vanished,
                   guint           n_local,
                   guint           n_going,
                   gboolean       *keep,
                   GError        **error)
{
  RosterSyncDeletionCheck check = { FALSE, vanished, n_local, n_going };
  guint n_asked = 0;

  *keep = FALSE;
  if (n_going == 0 && !vanished)
    return TRUE;
  if (roster_sync_check_deletions (&check, &n_asked) == ROSTER_SYNC_DELETIONS_SAFE
      || (sync->flags & ROSTER_SYNC_ACCEPT_DELETIONS))
    return TRUE;
  if (sync->flags & ROSTER_SYNC_KEEP_DELETIONS)
    {
      *keep = TRUE;
      return TRUE;
    }
  if (vanished)
    g_set_error (error, ROSTER_SYNC_ERROR, ROSTER_SYNC_ERROR_DELETIONS,
                 g_dngettext (GETTEXT_PACKAGE,
                              "The list “%s” is gone from the server: following it would delete the user and %u task here. Nothing was deleted.",
                              "The list “%s” is gone from the server: following it would delete the user and %u tasks here. Nothing was deleted.",
                              n_asked),
                 list_name, n_asked);
  else
    g_set_error (error, ROSTER_SYNC_ERROR, ROSTER_SYNC_ERROR_DELETIONS,
                 g_dngettext (GETTEXT_PACKAGE,
                              "The server no longer shows %u task of “%s”: following it would delete it here. Nothing was deleted.",
                              "The server no longer shows %u tasks of “%s”: following it would delete them here. Nothing was deleted.",
                              n_asked),
                 n_asked, list_name);
  return FALSE;
}

gboolean
_roster_sync_commit_or_rollback (RosterStore *store,
                          gboolean     ok,
                          GError     **error)
{
  if (ok)
    return roster_sync_apply_commit (store, error);
  roster_sync_apply_rollback (store);
  return FALSE;
}

/* Step 2: the server's lists against the file's (@lists, as read before
 * the listing). */
static gboolean
sync_lists (RosterSyncRun  *sync,
            GPtrArray      *lists,
            GPtrArray      *collections,
            GError        **error)
{
  g_autoptr(GPtrArray) vanished = g_ptr_array_new ();
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  gboolean ok = TRUE;

  for (guint i = 0; i < lists->len; i++)
    {
      RosterSyncList *list = lists->pdata[i];
      g_autoptr(GPtrArray) tasks = NULL;
      gboolean keep;

      if (list->user_id == 0 || find_collection (collections, list->href) != NULL)
        continue;
      tasks = roster_sync_state_get_tasks (sync->store, list->href, error);
      if (tasks == NULL
          || !deletions_allowed (sync, list->display_name, TRUE, tasks->len, tasks->len, &keep, error))
        return FALSE;
      g_ptr_array_add (keep ? kept : vanished, list);
    }

  if (!roster_sync_apply_begin (sync->store, error))
    return FALSE;
  for (guint i = 0; ok && i < collections->len; i++)
    {
      RosterCaldavCollection *collection = collections->pdata[i];
      RosterSyncList *list = find_list (lists, collection->href);
      g_autofree char *name = collection_name (collection);

      /* A list deleted here waits for its DELETE: it does not come back. */
      if (list != NULL && (list->user_id == 0 || g_strcmp0 (list->display_name, name) == 0))
        continue;
      ok = roster_sync_apply_list (sync->store, collection->href, name, NULL, error);
      sync->result->n_received++;
    }
  for (guint i = 0; ok && i < vanished->len; i++)
    {
      ok = roster_sync_apply_list_gone (sync->store, ((RosterSyncList *) vanished->pdata[i])->href, error);
      sync->result->n_received++;
    }
  for (guint i = 0; ok && i < kept->len; i++)
    {
      guint n = 0;

      /* The push makes the list again and sends its user's tasks. */
      ok = roster_sync_apply_list_kept (sync->store, ((RosterSyncList *) kept->pdata[i])->href, &n, error);
      sync->result->n_kept += n;
    }
  return _roster_sync_commit_or_rollback (sync->store, ok, error);
}

static RosterSyncTask *
find_task (GPtrArray  *tasks,
           const char *href)
{
  for (guint i = 0; i < tasks->len; i++)
    if (g_str_equal (((RosterSyncTask *) tasks->pdata[i])->href, href))
      return tasks->pdata[i];
  return NULL;
}

static gboolean
has_string (GPtrArray  *strings,
            const char *value)
{
  for (guint i = 0; i < strings->len; i++)
    if (g_str_equal (strings->pdata[i], value))
      return TRUE;
  return FALSE;
}

/* The listing asked CTags only: @collection's sync token (and a CTag of
 * the same moment), asked of the list itself. */
static gboolean
ask_token (RosterSyncRun          *sync,
           RosterCaldavCollection *collection,
           GError                **error)
{
  g_autoptr(RosterCaldavCollection) now = NULL;

  if (sync->tokens_known)
    return TRUE;
  now = roster_caldav_client_get_collection (sync->client, collection->href, sync->cancellable, error);
  if (now == NULL)
    return FALSE;
  g_free (collection->sync_token);
  collection->sync_token = g_steal_pointer (&now->sync_token);
  g_free (collection->ctag);
  collection->ctag = g_steal_pointer (&now->ctag);
  sync->tokens_known = collection->sync_token == NULL;
  return TRUE;
}

/* A resource the server no longer has: the task goes here too, or, when
 * the person keeps what the deletion rule asked about (@keep), is sent
 * again (a tombstone's resource simply goes either way). */
static gboolean
forget_resource (RosterSyncRun  *sync,
                 const char     *href,
                 gboolean        keep,
                 GError        **error)
{
  gboolean kept = FALSE;

  if (keep && !roster_sync_apply_remote_kept (sync->store, href, &kept, error))
    return FALSE;
  if (kept)
    {
      sync->result->n_kept++;
      return TRUE;
    }
  sync->result->n_received++;
  return roster_sync_apply_remote_gone (sync->store, href, NULL, error);
}

/* What changed in @collection since the file's token: sync-collection, or
 * the ETag listing compared with @tasks. */
static RosterCaldavChanges *
list_changes (RosterSyncRun          *sync,
              RosterCaldavCollection *collection,
              RosterSyncList         *list,
              GPtrArray              *tasks,
              GError                **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GPtrArray) listing = NULL;
  RosterCaldavChanges *changes;

  if (collection->sync_token != NULL || list->sync_token != NULL)
    {
      changes = roster_caldav_client_sync_collection (sync->client, collection->href, list->sync_token,
                                                      sync->cancellable, &local);
      if (changes != NULL
          || !g_error_matches (local, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_TOKEN_EXPIRED))
        {
          if (local != NULL)
            g_propagate_error (error, g_steal_pointer (&local));
          return changes;
        }
      g_debug ("%s: the token expired, listing it whole", collection->href);
      /* The listing's token: one from before it. */
      if (collection->sync_token == NULL && !ask_token (sync, collection, error))
        return NULL;
    }

  listing = roster_caldav_client_list_resources (sync->client, collection->href, sync->cancellable, error);
  if (listing == NULL)
    return NULL;
  changes = g_new0 (RosterCaldavChanges, 1);
  changes->changed = g_ptr_array_new_with_free_func ((GDestroyNotify) roster_caldav_resource_free);
  changes->removed = g_ptr_array_new_with_free_func (g_free);
  changes->token = g_strdup (collection->sync_token);
  for (guint i = 0; i < listing->len; i++)
    g_ptr_array_add (changes->changed, g_steal_pointer (&listing->pdata[i]));
  for (guint i = 0; i < tasks->len; i++)
    {
      RosterSyncTask *task = tasks->pdata[i];
      gboolean listed = FALSE;

      for (guint j = 0; j < changes->changed->len && !listed; j++)
        listed = g_str_equal (((RosterCaldavResource *) changes->changed->pdata[j])->href, task->href);
      if (!listed)
        g_ptr_array_add (changes->removed, g_strdup (task->href));
    }
  return changes;
}

/* Step 3 for one list. */
static gboolean
pull_list (RosterSyncRun          *sync,
           RosterCaldavCollection *collection,
           RosterSyncList         *list,
           GError                **error)
{
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GPtrArray) tombstones = NULL;
  g_autoptr(RosterCaldavChanges) changes = NULL;
  g_autoptr(GPtrArray) wanted = g_ptr_array_new ();
  g_autoptr(GPtrArray) going = g_ptr_array_new ();
  gboolean keep = FALSE;
  gboolean ok = TRUE;

  /* Nothing moved since the last sync: no request at all. The CTag kept
   * is from no later than the token kept, so an equal one says so. */
  if ((list->ctag != NULL && g_strcmp0 (list->ctag, collection->ctag) == 0)
      || (list->sync_token != NULL && g_strcmp0 (list->sync_token, collection->sync_token) == 0))
    return TRUE;
  if (list->sync_token == NULL && collection->sync_token == NULL && !ask_token (sync, collection, error))
    return FALSE;

  tasks = roster_sync_state_get_tasks (sync->store, collection->href, error);
  tombstones = tasks != NULL ? roster_sync_state_get_tombstones (sync->store, collection->href, error) : NULL;
  if (tombstones == NULL)
    return FALSE;
  changes = list_changes (sync, collection, list, tasks, error);
  if (changes == NULL)
    return FALSE;

  /* Our own writes come back with the ETag the file already has. */
  for (guint i = 0; i < changes->changed->len; i++)
    {
      RosterCaldavResource *resource = changes->changed->pdata[i];
      RosterSyncTask *task = find_task (tasks, resource->href);

      if (task == NULL || g_strcmp0 (task->etag, resource->etag) != 0)
        g_ptr_array_add (wanted, resource->href);
    }
  for (guint i = 0; i < changes->removed->len; i++)
    if (find_task (tasks, changes->removed->pdata[i]) != NULL
        || has_string (tombstones, changes->removed->pdata[i]))
      g_ptr_array_add (going, changes->removed->pdata[i]);
  {
    guint n_known_going = 0;

    for (guint i = 0; i < going->len; i++)
      n_known_going += find_task (tasks, going->pdata[i]) != NULL;
    if (!deletions_allowed (sync, list->display_name, FALSE, tasks->len, n_known_going, &keep, error))
      return FALSE;
  }

  if (wanted->len > 0 || going->len > 0)
    {
      g_autoptr(GPtrArray) received = g_ptr_array_new_with_free_func ((GDestroyNotify) roster_caldav_resource_free);

      for (guint start = 0; start < wanted->len; start += MULTIGET_CHUNK)
        {
          g_autoptr(GPtrArray) chunk = g_ptr_array_new ();
          g_autoptr(GPtrArray) got = NULL;

          for (guint i = start; i < wanted->len && i < start + MULTIGET_CHUNK; i++)
            g_ptr_array_add (chunk, wanted->pdata[i]);
          g_ptr_array_add (chunk, NULL);
          got = roster_caldav_client_multiget (sync->client, collection->href,
                                               (const char * const *) chunk->pdata,
                                               sync->cancellable, error);
          if (got == NULL)
            return FALSE;
          for (guint i = 0; i < got->len; i++)
            g_ptr_array_add (received, g_steal_pointer (&got->pdata[i]));
        }

      if (!roster_sync_apply_begin (sync->store, error))
        return FALSE;
      for (guint i = 0; ok && i < received->len; i++)
        {
          RosterCaldavResource *resource = received->pdata[i];

          ok = roster_sync_apply_resource (sync->store, collection->href, resource->href, resource->etag,
                                           resource->data, sync->result->conflicts, NULL, error);
          sync->result->n_received++;
        }
      for (guint i = 0; ok && i < going->len; i++)
        ok = forget_resource (sync, going->pdata[i], keep, error);
      if (!_roster_sync_commit_or_rollback (sync->store, ok, error))
        return FALSE;
    }
  /* Only now: everything the token covers is in the file. */
  return roster_sync_state_set_list_token (sync->store, collection->href, changes->token,
                                           collection->ctag, error);
}

/* Whether the lists can be compared by CTags alone: the server gave them
 * (one is kept), and each list has a CTag or a sync token kept (one whose
 * CTag was forgotten for our own writes asks sync-collection from its
 * token). A first sync asks for the tokens with the listing. */
static gboolean
ctags_suffice (GPtrArray *lists)
{
  gboolean any_ctag = FALSE;

  for (guint i = 0; i < lists->len; i++)
    {
      RosterSyncList *list = lists->pdata[i];

      if (list->user_id == 0)
        continue;
      if (list->ctag == NULL && list->sync_token == NULL)
        return FALSE;
      any_ctag |= list->ctag != NULL;
    }
  return any_ctag;
}

static gboolean
pull (RosterSyncRun  *sync,
      GPtrArray      *collections,
      GError        **error)
{
  g_autoptr(GPtrArray) lists = roster_sync_state_get_lists (sync->store, error);

  if (lists == NULL)
    return FALSE;
  for (guint i = 0; i < collections->len; i++)
    {
      RosterCaldavCollection *collection = collections->pdata[i];
      RosterSyncList *list = find_list (lists, collection->href);

      if (list != NULL && list->user_id != 0 && !pull_list (sync, collection, list, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
roster_sync_run (RosterStore        *store,
                 RosterCaldavClient *client,
                 RosterSyncFlags     flags,
                 RosterSyncResult   *result,
                 GCancellable       *cancellable,
                 GError            **error)
{
  RosterSyncRun sync = { store, client, flags, result, cancellable };
  g_autoptr(RosterSyncLease) lease = NULL;
  g_autoptr(GPtrArray) lists = NULL;
  g_autoptr(GPtrArray) collections = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *when = NULL;

  g_return_val_if_fail (ROSTER_IS_STORE (store), FALSE);
  g_return_val_if_fail (ROSTER_IS_CALDAV_CLIENT (client), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (!(flags & ROSTER_SYNC_ACCEPT_DELETIONS) || !(flags & ROSTER_SYNC_KEEP_DELETIONS), FALSE);

  result->n_sent = 0;
  result->n_received = 0;
  result->n_kept = 0;
  if (result->conflicts == NULL)
    result->conflicts = g_ptr_array_new_with_free_func (roster_sync_conflict_free);

  /* Held until the end: another sync of the file waits for the next time. */
  lease = roster_sync_lease_take (store, ROSTER_SYNC_LEASE_SECONDS, error);
  if (lease == NULL || !prepare_account (&sync, error))
    return FALSE;
  lists = roster_sync_state_get_lists (store, error);
  if (lists == NULL)
    return FALSE;
  sync.tokens_known = !ctags_suffice (lists);
  collections = roster_caldav_client_list_collections (client,
                                                       sync.tokens_known ? ROSTER_CALDAV_LIST_SYNC_TOKENS : 0,
                                                       cancellable, error);
  if (collections == NULL
      || !sync_lists (&sync, lists, collections, error)
      || !pull (&sync, collections, error)
      || !_roster_sync_push (&sync, error))
    return FALSE;

  now = g_date_time_new_now_utc ();
  when = g_date_time_format_iso8601 (now);
  return roster_sync_state_set_last_sync (store, when, error);
}
