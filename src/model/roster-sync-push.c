/* roster-sync-push.c: the sync engine's push: the outbox sent to the server
 * (roster-sync.c, step 4).
 *
 * roster_sync_state_next_ops() gives the operations in the order they must
 * go; a run of task operations in it (PUT, DELETE, a move) has no order
 * among itself, so it is sent by N_SENDERS threads at once, each with a
 * client of its own (roster_caldav_client_copy()): a first sync is thousands
 * of PUTs, and a server answers several connections faster than one. The
 * answers are then settled on the store's thread, in the outbox's order: a
 * 2xx finishes the op (roster_sync_state_finish(), the only way an edit
 * leaves the outbox); a 412 GETs the server's version and merges it
 * (roster_sync_apply_resource()), and the merge goes out in the next round;
 * an update of a task the server deleted creates it anew; a task deleted
 * here is deleted there even over a newer ETag. Lists (MKCALENDAR,
 * PROPPATCH, DELETE) go one by one, before and after the tasks as the outbox
 * orders them.
 */
#define G_LOG_DOMAIN "roster-sync"

#include <glib/gi18n-lib.h>

#include "roster-error.h"
#include "roster-sync-private.h"
#include "roster-sync-state.h"

/* Operations read from the outbox at a time, and how many rounds at most:
 * every round finishes or merges at least one, so this only stops a loop. */
#define OPS_PER_ROUND 256
#define MAX_PUSH_ROUNDS 10000
#define N_SENDERS 4
/* Task operations sent at once before their answers are settled: a sync
 * killed meanwhile loses at most these (they are sent again, and the
 * server's 412 then says they arrived). */
#define SETTLE_EVERY 32

/* What the server said to one op. */
typedef struct
{
  gboolean sent;
  char *etag;
  GError *error;
} Answer;

/* A DELETE, also when the server's copy changed meanwhile (a task deleted
 * here stays deleted) or is gone already. */
static gboolean
delete_anyway (RosterCaldavClient *client,
               const char         *href,
               const char         *etag,
               GCancellable       *cancellable,
               GError            **error)
{
  g_autoptr(GError) local = NULL;

  if (roster_caldav_client_delete (client, href, etag, cancellable, &local))
    return TRUE;
  if (g_error_matches (local, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_CONFLICT))
    {
      g_clear_error (&local);
      if (roster_caldav_client_delete (client, href, NULL, cancellable, &local))
        return TRUE;
    }
  if (g_error_matches (local, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_NOT_FOUND))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

/* The request(s) of @op; network only, safe in any thread with its own @client. */
static void
send_op (RosterCaldavClient *client,
         const RosterSyncOp *op,
         GCancellable       *cancellable,
         Answer             *answer)
{
  GError **error = &answer->error;

  switch (op->kind)
    {
    case ROSTER_SYNC_CREATE_LIST:
      answer->sent = roster_caldav_client_make_collection_at (client, op->href, op->display_name,
                                                              cancellable, error);
      break;
    case ROSTER_SYNC_RENAME_LIST:
      answer->sent = roster_caldav_client_rename_collection (client, op->href, op->display_name,
                                                             cancellable, error);
      break;
    case ROSTER_SYNC_CREATE_TASK:
    case ROSTER_SYNC_UPDATE_TASK:
      answer->sent = roster_caldav_client_put (client, op->href, op->ical,
                                               op->kind == ROSTER_SYNC_UPDATE_TASK ? op->etag : NULL,
                                               &answer->etag, cancellable, error);
      break;
    case ROSTER_SYNC_MOVE_TASK:
      /* PUT in the new list first, then DELETE the old: never neither. */
      answer->sent = roster_caldav_client_put (client, op->href, op->ical, NULL, &answer->etag,
                                               cancellable, error)
                     && delete_anyway (client, op->old_href, op->etag, cancellable, error);
      break;
    case ROSTER_SYNC_DELETE_TASK:
      answer->sent = delete_anyway (client, op->href, op->etag, cancellable, error);
      break;
    case ROSTER_SYNC_DELETE_LIST:
      answer->sent = delete_anyway (client, op->href, NULL, cancellable, error);
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
is_task_op (const RosterSyncOp *op)
{
  return op->kind != ROSTER_SYNC_CREATE_LIST && op->kind != ROSTER_SYNC_RENAME_LIST
         && op->kind != ROSTER_SYNC_DELETE_LIST;
}

typedef struct
{
  RosterCaldavClient *model;
  GPtrArray *ops;
  Answer *answers;
  guint first, end, step;
  GCancellable *cancellable;
} Sender;

static gpointer
sender_thread (gpointer data)
{
  Sender *sender = data;
  /* Made here: a session is used in the thread that made it. */
  g_autoptr(RosterCaldavClient) client = roster_caldav_client_copy (sender->model);

  for (guint i = sender->first; i < sender->end; i += sender->step)
    send_op (client, sender->ops->pdata[i], sender->cancellable, &sender->answers[i]);
  return NULL;
}

/* Sends ops [@first, @end) of @ops, all task ops, from up to N_SENDERS threads. */
static void
send_in_parallel (RosterSyncRun *sync,
                  GPtrArray     *ops,
                  guint          first,
                  guint          end,
                  Answer        *answers)
{
  guint n = MIN (N_SENDERS, end - first);
  Sender senders[N_SENDERS];
  GThread *threads[N_SENDERS];

  if (n == 1)
    {
      send_op (sync->client, ops->pdata[first], sync->cancellable, &answers[first]);
      return;
    }
  for (guint k = 0; k < n; k++)
    {
      senders[k] = (Sender) { sync->client, ops, answers, first + k, end, n, sync->cancellable };
      threads[k] = g_thread_new ("roster-sync-send", sender_thread, &senders[k]);
    }
  for (guint k = 0; k < n; k++)
    g_thread_join (threads[k]);
}

/* A 412: the server's version is merged in, and the merge goes out in the
 * next round. */
static gboolean
merge_server_version (RosterSyncRun      *sync,
                      const RosterSyncOp *op,
                      GError            **error)
{
  g_autofree char *etag = NULL;
  g_autofree char *data = roster_caldav_client_get (sync->client, op->href, &etag, sync->cancellable, error);
  gboolean ok;

  if (data == NULL || !roster_sync_apply_begin (sync->store, error))
    return FALSE;
  ok = roster_sync_apply_resource (sync->store, op->list_href, op->href, etag, data,
                                   sync->result->conflicts, NULL, error);
  return _roster_sync_commit_or_rollback (sync->store, ok, error);
}

/* The server deleted a task edited here: it is created anew. */
static gboolean
gone_on_server (RosterSyncRun      *sync,
                const RosterSyncOp *op,
                GError            **error)
{
  gboolean ok;

  if (!roster_sync_apply_begin (sync->store, error))
    return FALSE;
  ok = roster_sync_apply_remote_gone (sync->store, op->href, NULL, error);
  return _roster_sync_commit_or_rollback (sync->store, ok, error);
}

/* After a MKCALENDAR refused: whether the list is there all the same. A
 * new list's href stays the same until it is made, so one there is ours,
 * made by a sync killed before it could note it. */
static gboolean
list_made_before (RosterSyncRun      *sync,
                  const RosterSyncOp *op)
{
  g_autoptr(GPtrArray) collections = NULL;

  if (op->kind != ROSTER_SYNC_CREATE_LIST)
    return FALSE;
  collections = roster_caldav_client_list_collections (sync->client, 0, sync->cancellable, NULL);
  for (guint i = 0; collections != NULL && i < collections->len; i++)
    if (g_str_equal (((RosterCaldavCollection *) collections->pdata[i])->href, op->href))
      return TRUE;
  return FALSE;
}

/* What @answer means for @op, in the file; TRUE when it was finished or
 * its conflict merged. */
static gboolean
settle (RosterSyncRun      *sync,
        const RosterSyncOp *op,
        Answer             *answer,
        GError            **error)
{
  if (answer->sent || list_made_before (sync, op))
    {
      sync->result->n_sent++;
      return roster_sync_state_finish (sync->store, op, NULL, answer->etag, NULL, error);
    }
  if (g_error_matches (answer->error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_CONFLICT)
      && (op->kind == ROSTER_SYNC_CREATE_TASK || op->kind == ROSTER_SYNC_UPDATE_TASK))
    return merge_server_version (sync, op, error);
  if (g_error_matches (answer->error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_NOT_FOUND)
      && op->kind == ROSTER_SYNC_UPDATE_TASK)
    return gone_on_server (sync, op, error);
  g_propagate_error (error, g_steal_pointer (&answer->error));
  return FALSE;
}

/* One round: @ops sent and settled. Every answer is settled even after a
 * failure (what the server took must leave the outbox); the first failure
 * is the round's. */
static gboolean
push_round (RosterSyncRun *sync,
            GPtrArray     *ops,
            GError       **error)
{
  g_autofree Answer *answers = g_new0 (Answer, ops->len);
  GError *first_error = NULL;
  guint i = 0;

  while (i < ops->len)
    {
      guint end = i + 1;

      if (is_task_op (ops->pdata[i]))
        {
          while (end < ops->len && end - i < SETTLE_EVERY && is_task_op (ops->pdata[end]))
            end++;
          send_in_parallel (sync, ops, i, end, answers);
        }
      else
        send_op (sync->client, ops->pdata[i], sync->cancellable, &answers[i]);

      for (; i < end; i++)
        {
          GError *local = NULL;

          if (!settle (sync, ops->pdata[i], &answers[i], first_error == NULL ? &first_error : &local))
            g_clear_error (&local);
        }
      /* A list that failed: what follows may need it. */
      if (first_error != NULL)
        break;
    }

  for (guint k = 0; k < ops->len; k++)
    {
      g_free (answers[k].etag);
      g_clear_error (&answers[k].error);
    }
  if (first_error != NULL)
    {
      g_propagate_error (error, first_error);
      return FALSE;
    }
  return TRUE;
}

gboolean
_roster_sync_push (RosterSyncRun *sync,
                   GError       **error)
{
  for (guint round = 0; round < MAX_PUSH_ROUNDS; round++)
    {
      g_autoptr(GPtrArray) ops = roster_sync_state_next_ops (sync->store, OPS_PER_ROUND, error);

      if (ops == NULL
          || !roster_sync_state_will_send (sync->store, ops, error)
          || !push_round (sync, ops, error))
        return FALSE;
      if (ops->len == 0)
        return TRUE;
    }
  g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_FAILED,
                       _("The changes could not all be sent; the next sync tries again."));
  return FALSE;
}
