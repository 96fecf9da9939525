/* roster-sync-worker.c: signing in, signing out and syncing in a worker
 * thread, each with a store of its own on the window's file (see the
 * header). Nothing here touches a widget.
 */
#define G_LOG_DOMAIN "roster-sync-worker"

#include <glib/gi18n.h>

#include "roster-caldav.h"
#include "roster-secret.h"
#include "roster-sync-state.h"
#include "roster-sync-worker.h"

typedef struct _Job Job;

typedef gpointer (*JobFunc) (RosterStore  *store,
                             Job          *job,
                             GCancellable *cancellable,
                             GError      **error);

struct _Job
{
  JobFunc         func;
  char           *path;
  char           *server;
  char           *username;
  char           *password;
  RosterSyncFlags flags;
};

static void
job_free (Job *job)
{
  g_free (job->path);
  g_free (job->server);
  g_free (job->username);
  if (job->password != NULL)
    roster_secret_free (job->password);
  g_free (job);
}

/* Runs @func with a store of this thread's own, on a main context of its own
 * (the engine's push waits on the thread-default one). */
static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  gpointer result = NULL;

  g_main_context_push_thread_default (context);
  {
    g_autoptr(RosterStore) store = roster_store_open (job->path, &error);

    if (store != NULL)
      result = job->func (store, job, cancellable, &error);
  }
  g_main_context_pop_thread_default (context);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, (GDestroyNotify) roster_sync_worker_result_free);
}

static void
run_job (Job                 *job,
         JobFunc              func,
         gpointer             source_tag,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  job->func = func;
  g_task_run_in_thread (task, job_thread);
}

/* Sign-in and sign-out return no value: a result that is not NULL. */
static gpointer
done (void)
{
  return g_new0 (RosterSyncResult, 1);
}

static gboolean
finish_job (GAsyncResult *result,
            gpointer      source_tag,
            GError      **error)
{
  g_autoptr(RosterSyncResult) value = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);
  value = g_task_propagate_pointer (G_TASK (result), error);
  return value != NULL;
}

/* ------------------------------------------------------------------------ */
/* Signing in                                                                */

static gpointer
sign_in (RosterStore  *store,
         Job          *job,
         GCancellable *cancellable,
         GError      **error)
{
  g_autoptr(RosterCaldavClient) client = NULL;
  g_autofree char *home = NULL;

  client = roster_caldav_client_new (job->server, job->username, job->password, error);
  if (client == NULL)
    return NULL;
  home = roster_caldav_client_discover (client, cancellable, error);
  if (home == NULL)
    return NULL;
  if (!roster_secret_store (job->server, job->username, job->password, cancellable, error))
    return NULL;
  if (!roster_sync_set_account (store, job->server, job->username, error))
    return NULL;
  return done ();
}

void
roster_sync_worker_sign_in_async (const char          *path,
                                  const char          *server,
                                  const char          *username,
                                  const char          *password,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Job *job = g_new0 (Job, 1);

  job->path = g_strdup (path);
  job->server = g_strdup (server);
  job->username = g_strdup (username);
  job->password = g_strdup (password);
  run_job (job, sign_in, roster_sync_worker_sign_in_async, cancellable, callback, user_data);
}

gboolean
roster_sync_worker_sign_in_finish (GAsyncResult  *result,
                                   GError       **error)
{
  return finish_job (result, roster_sync_worker_sign_in_async, error);
}

/* ------------------------------------------------------------------------ */
/* Signing out                                                               */

static gpointer
sign_out (RosterStore  *store,
          Job          *job,
          GCancellable *cancellable,
          GError      **error)
{
  g_autofree char *server = NULL;
  g_autofree char *username = NULL;
  g_autoptr(GError) local_error = NULL;

  if (roster_sync_get_account (store, &server, &username, &local_error))
    {
      if (!roster_secret_clear (server, username, cancellable, error))
        return NULL;
      if (!roster_sync_state_forget_account (store, error))
        return NULL;
    }
  else if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return done ();
}

void
roster_sync_worker_sign_out_async (const char          *path,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Job *job = g_new0 (Job, 1);

  job->path = g_strdup (path);
  run_job (job, sign_out, roster_sync_worker_sign_out_async, cancellable, callback, user_data);
}

gboolean
roster_sync_worker_sign_out_finish (GAsyncResult  *result,
                                    GError       **error)
{
  return finish_job (result, roster_sync_worker_sign_out_async, error);
}

/* ------------------------------------------------------------------------ */
/* Syncing                                                                   */

static gpointer
run_sync (RosterStore  *store,
          Job          *job,
          GCancellable *cancellable,
          GError      **error)
{
  g_autoptr(RosterSyncResult) result = g_new0 (RosterSyncResult, 1);
  g_autoptr(RosterCaldavClient) client = NULL;
  g_autofree char *server = NULL;
  g_autofree char *username = NULL;
  g_autoptr(GError) local_error = NULL;
  char *password;

  if (!roster_sync_get_account (store, &server, &username, &local_error))
    {
      if (local_error == NULL)
        g_set_error_literal (&local_error, ROSTER_SYNC_ERROR, ROSTER_SYNC_ERROR_NO_ACCOUNT,
                             _("No sync account is set up."));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  password = roster_secret_lookup (server, username, cancellable, &local_error);
  if (password == NULL)
    {
      if (local_error == NULL)
        g_set_error_literal (&local_error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_AUTH,
                             _("The keyring holds no password for this account: sign in again."));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  client = roster_caldav_client_new (server, username, password, error);
  roster_secret_free (password);
  if (client == NULL)
    return NULL;
  if (!roster_sync_run (store, client, job->flags, result, cancellable, error))
    return NULL;
  return g_steal_pointer (&result);
}

void
roster_sync_worker_run_async (const char          *path,
                              RosterSyncFlags      flags,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Job *job = g_new0 (Job, 1);

  job->path = g_strdup (path);
  job->flags = flags;
  run_job (job, run_sync, roster_sync_worker_run_async, cancellable, callback, user_data);
}

RosterSyncResult *
roster_sync_worker_run_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == roster_sync_worker_run_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
roster_sync_worker_result_free (RosterSyncResult *result)
{
  if (result == NULL)
    return;
  roster_sync_result_clear (result);
  g_free (result);
}
