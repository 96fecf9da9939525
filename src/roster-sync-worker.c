/* roster-sync-worker.c: signing in, signing out and syncing in a worker
 * thread, each with a store of its own on the window's file (see the
 * header). Nothing here touches a widget.
 *
 * The keyring is asked on the caller's thread, with libsecret's
 * asynchronous calls, before or after the worker's step: a synchronous call
 * in the worker would run on a main context of libsecret's own there, and
 * the keyring's later D-Bus messages would stay queued on it for nobody.
 * The password goes to the worker in the job, and is wiped when the job is
 * freed.
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

/* Runs the job's func with a store of this thread's own, on a main context
 * of its own (the engine's push waits on the thread-default one). */
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

/* The task of one call; it owns @job. */
static GTask *
new_task (Job                 *job,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  return task;
}

/* Runs @func in a worker thread; @task returns what it returns. */
static void
run_in_thread (GTask   *task,
               JobFunc  func)
{
  Job *job = g_task_get_task_data (task);

  job->func = func;
  g_task_run_in_thread (task, job_thread);
}

/* Runs @func in a worker thread for @task's job, as a step of @task: @next
 * gets the step's result, with @task as its data (a reference). */
static void
run_step (GTask               *task,
          JobFunc              func,
          GAsyncReadyCallback  next)
{
  g_autoptr(GTask) step = g_task_new (NULL, g_task_get_cancellable (task), next, g_object_ref (task));

  g_task_set_task_data (step, g_task_get_task_data (task), NULL);
  g_task_set_source_tag (step, run_step);
  ((Job *) g_task_get_task_data (task))->func = func;
  g_task_run_in_thread (step, job_thread);
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

/* FALSE, with @local_error (taken) if any, else "no account". */
static gboolean
no_account (GError **error,
            GError  *local_error)
{
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  else
    g_set_error_literal (error, ROSTER_SYNC_ERROR, ROSTER_SYNC_ERROR_NO_ACCOUNT,
                         _("No sync account is set up."));
  return FALSE;
}

/* The file's account, read on the caller's thread from @store into @job;
 * FALSE with @error when there is none or it cannot be read. */
static gboolean
read_account (RosterStore *store,
              Job         *job,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (roster_sync_get_account (store, &job->server, &job->username, &local_error))
    return TRUE;
  return no_account (error, g_steal_pointer (&local_error));
}

/* In the worker: the file's account is still the job's (a sign-out or
 * another sign-in may have come between the keyring and the worker). */
static gboolean
same_account (RosterStore *store,
              Job         *job,
              GError     **error)
{
  g_autofree char *server = NULL;
  g_autofree char *username = NULL;
  g_autoptr(GError) local_error = NULL;

  if (roster_sync_get_account (store, &server, &username, &local_error)
      && g_strcmp0 (server, job->server) == 0 && g_strcmp0 (username, job->username) == 0)
    return TRUE;
  return no_account (error, g_steal_pointer (&local_error));
}

/* A step's end: TRUE to go on; else @task has returned the step's error. */
static gboolean
step_succeeded (GTask        *task,
                GAsyncResult *result)
{
  g_autoptr(RosterSyncResult) value = NULL;
  g_autoptr(GError) error = NULL;

  value = g_task_propagate_pointer (G_TASK (result), &error);
  if (value != NULL)
    return TRUE;
  g_task_return_error (task, g_steal_pointer (&error));
  return FALSE;
}

/* After the keyring's answer (@ok, or @error, taken): @func in the worker,
 * whose result @task returns. */
static void
keyring_then_thread (GTask   *task,
                     gboolean ok,
                     GError  *error,
                     JobFunc  func)
{
  if (ok)
    run_in_thread (task, func);
  else
    g_task_return_error (task, error);
}

/* ------------------------------------------------------------------------ */
/* Signing in: discovery (worker), the keyring, the account (worker)         */

static gpointer
save_account (RosterStore  *store,
              Job          *job,
              GCancellable *cancellable,
              GError      **error)
{
  if (!roster_sync_set_account (store, job->server, job->username, error))
    return NULL;
  return done ();
}

static void
sign_in_stored_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  keyring_then_thread (task, roster_secret_store_finish (result, &error), error, save_account);
}

static void
sign_in_discovered_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);

  if (step_succeeded (task, result))
    roster_secret_store_async (job->server, job->username, job->password, g_task_get_cancellable (task),
                               sign_in_stored_cb, g_object_ref (task));
}

static gpointer
discover (RosterStore  *store,
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
  g_autoptr(GTask) task = new_task (job, roster_sync_worker_sign_in_async, cancellable, callback, user_data);

  job->path = g_strdup (path);
  job->server = g_strdup (server);
  job->username = g_strdup (username);
  job->password = g_strdup (password);
  run_step (task, discover, sign_in_discovered_cb);
}

gboolean
roster_sync_worker_sign_in_finish (GAsyncResult  *result,
                                   GError       **error)
{
  return finish_job (result, roster_sync_worker_sign_in_async, error);
}

/* ------------------------------------------------------------------------ */
/* Signing out: the keyring, then the account (worker)                       */

static gpointer
sign_out (RosterStore  *store,
          Job          *job,
          GCancellable *cancellable,
          GError      **error)
{
  if (!roster_sync_state_forget_account (store, error))
    return NULL;
  return done ();
}

static void
sign_out_cleared_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  keyring_then_thread (task, roster_secret_clear_finish (result, &error), error, sign_out);
}

void
roster_sync_worker_sign_out_async (RosterStore         *store,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Job *job = g_new0 (Job, 1);
  g_autoptr(GTask) task = new_task (job, roster_sync_worker_sign_out_async, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;

  job->path = g_strdup (roster_store_get_path (store));
  if (read_account (store, job, &error))
    roster_secret_clear_async (job->server, job->username, cancellable, sign_out_cleared_cb,
                               g_object_ref (task));
  else if (g_error_matches (error, ROSTER_SYNC_ERROR, ROSTER_SYNC_ERROR_NO_ACCOUNT))
    g_task_return_pointer (task, done (), (GDestroyNotify) roster_sync_worker_result_free);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

gboolean
roster_sync_worker_sign_out_finish (GAsyncResult  *result,
                                    GError       **error)
{
  return finish_job (result, roster_sync_worker_sign_out_async, error);
}

/* ------------------------------------------------------------------------ */
/* Syncing: the keyring, then the sync (worker)                              */

static gpointer
run_sync (RosterStore  *store,
          Job          *job,
          GCancellable *cancellable,
          GError      **error)
{
  g_autoptr(RosterSyncResult) result = g_new0 (RosterSyncResult, 1);
  g_autoptr(RosterCaldavClient) client = NULL;

  if (!same_account (store, job, error))
    return NULL;
  client = roster_caldav_client_new (job->server, job->username, job->password, error);
  if (client == NULL)
    return NULL;
  if (!roster_sync_run (store, client, job->flags, result, cancellable, error))
    return NULL;
  return g_steal_pointer (&result);
}

static void
run_looked_up_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;

  job->password = roster_secret_lookup_finish (result, &error);
  if (job->password != NULL)
    {
      run_in_thread (task, run_sync);
      return;
    }
  if (error == NULL)
    g_set_error_literal (&error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_AUTH,
                         _("The keyring holds no password for this account: sign in again."));
  g_task_return_error (task, error);
}

void
roster_sync_worker_run_async (RosterStore         *store,
                              RosterSyncFlags      flags,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Job *job = g_new0 (Job, 1);
  g_autoptr(GTask) task = new_task (job, roster_sync_worker_run_async, cancellable, callback, user_data);
  GError *error = NULL;

  job->path = g_strdup (roster_store_get_path (store));
  job->flags = flags;
  if (read_account (store, job, &error))
    roster_secret_lookup_async (job->server, job->username, cancellable, run_looked_up_cb,
                                g_object_ref (task));
  else
    g_task_return_error (task, error);
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
