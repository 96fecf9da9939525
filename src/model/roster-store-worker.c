/* roster-store-worker.c: big changes, off the main thread.
 *
 * roster_store_delete_user_async() and roster_store_undo_async() / _redo_async()
 * run a big change (see BIG_CHANGE_OPS) in a worker thread. Meanwhile the
 * store is "working": its lists and objects can be read, and every change
 * fails with ROSTER_ERROR_BUSY (_roster_store_check_writable()). The worker
 * reads the rows, records and runs the operations and commits; back on the
 * main thread, work_done_cb() reflects the change and puts it on the history,
 * as after any commit.
 */
#define G_LOG_DOMAIN "roster-store"

#include <glib/gi18n-lib.h>

#include "roster-store-parts.h"

/* A change of at least this many row operations (deleting a user with
 * thousands of tasks, or undoing that) runs in a worker thread with a
 * connection of its own, so that the window goes on drawing; smaller ones
 * run at once, as the synchronous calls do. */
#define BIG_CHANGE_OPS 2000

typedef enum
{
  WORK_DELETE_USER,
  WORK_REPLAY,
} WorkKind;

typedef struct
{
  WorkKind      kind;
  char         *path;
  gint         *permille;      /* the store's work_permille */
  /* WORK_DELETE_USER: built by the worker, handed over when done. */
  gint64        user_id;
  char         *label;
  /* WORK_REPLAY: the change at the head of the undo or redo stack, which
   * nobody else touches until the worker is done. */
  RosterChange *change;
  gboolean      forward;
  gboolean      failed_unique;
} Work;

static void
work_free (Work *work)
{
  g_free (work->path);
  g_free (work->label);
  if (work->kind == WORK_DELETE_USER && work->change != NULL)
    roster_change_free (work->change);
  g_free (work);
}

static sqlite3 *
open_worker_connection (const char  *path,
                        GError     **error)
{
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);

  if (rc == SQLITE_OK)
    {
      sqlite3_extended_result_codes (db, TRUE);
      sqlite3_busy_timeout (db, ROSTER_BUSY_TIMEOUT_MS);
      rc = sqlite3_exec (db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; "
                             "PRAGMA cache_size = -" G_STRINGIFY (ROSTER_CACHE_SIZE_KIB), NULL, NULL, NULL);
    }
  if (rc != SQLITE_OK)
    {
      _roster_set_sqlite_error (error, db, rc);
      sqlite3_close (db);
      return NULL;
    }
  return db;
}

static void
work_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  Work *work = data;
  g_autoptr(GHashTable) statements = NULL;
  GError *error = NULL;
  sqlite3 *db;
  guint n_tasks, n;
  int rc;

  db = open_worker_connection (work->path, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  statements = roster_statement_cache_new ();

  rc = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc == SQLITE_OK && work->kind == WORK_DELETE_USER)
    {
      /* The only mode that comes here (see roster_store_delete_user_async()). */
      work->change = roster_change_new (work->label);
      rc = _roster_build_delete_user (db, statements, work->change, work->user_id,
                                      ROSTER_DELETE_USER_AND_TASKS, 0, &n_tasks);
    }

  n = rc == SQLITE_OK ? work->change->ops->len : 0;
  for (guint k = 0; k < n && rc == SQLITE_OK; k++)
    {
      gboolean forward = work->kind == WORK_DELETE_USER || work->forward;
      RosterOp *op = &g_array_index (work->change->ops, RosterOp, forward ? k : n - 1 - k);

      rc = roster_op_execute (db, statements, op, forward);
      if (k % 256 == 0)
        g_atomic_int_set (work->permille, (gint) ((guint64) k * 1000 / n));
    }
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      work->failed_unique = rc == SQLITE_CONSTRAINT_UNIQUE;
      _roster_set_sqlite_error (&error, db, rc);
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
    }
  g_clear_pointer (&statements, g_hash_table_unref);  /* before the connection closes */
  sqlite3_close (db);

  g_atomic_int_set (work->permille, 1000);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
work_progress_cb (gpointer data)
{
  RosterStore *self = data;

  _roster_store_notify (self, PROP_PROGRESS);
  return G_SOURCE_CONTINUE;
}

/* Back in the main thread: the worker committed (or failed). The objects
 * and lists follow the change as after any commit. */
static void
work_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GTask) caller = data;
  RosterStore *self = g_task_get_source_object (caller);
  Work *work = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  g_clear_handle_id (&self->work_timeout, g_source_remove);
  g_clear_object (&self->work);
  g_clear_pointer (&self->work_label, g_free);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (work->failed_unique)
        {
          g_clear_error (&error);
          g_set_error (&error, ROSTER_ERROR, ROSTER_ERROR_DUPLICATE,
                       _("This cannot be undone: a name it would bring back is taken now."));
        }
    }
  else
    {
      /* The worker's commit is ours, not another program's. */
      _roster_store_end_read (self);
      self->data_version = _roster_store_read_data_version (self);

      if (work->kind == WORK_DELETE_USER)
        {
          RosterChange *change = g_steal_pointer (&work->change);

          _roster_store_reflect (self, change, TRUE, TRUE);
          _roster_store_push_undo (self, change);
        }
      else
        _roster_store_finish_replay (self, work->forward);
    }

  g_atomic_int_set (&self->work_permille, 0);
  _roster_store_notify (self, PROP_WORKING);
  _roster_store_notify (self, PROP_PROGRESS);

  if (error != NULL)
    g_task_return_error (caller, error);
  else
    g_task_return_boolean (caller, TRUE);
}

static void
start_work (RosterStore *self,
            Work        *work,
            GTask       *caller)
{
  /* The worker's task has no source object: the worker thread may drop the
   * last reference to it, and the store must never be finalized there.
   * The caller's task keeps the store alive until work_done_cb(). */
  GTask *task = g_task_new (NULL, NULL, work_done_cb, g_object_ref (caller));

  work->path = g_strdup (self->path);
  work->permille = &self->work_permille;
  g_task_set_task_data (task, work, (GDestroyNotify) work_free);

  _roster_store_end_read (self);
  _roster_store_clear_source (self->context, &self->find_idle);
  self->work = g_object_ref (task);
  self->work_label = g_strdup (work->kind == WORK_DELETE_USER ? work->label : work->change->label);
  g_atomic_int_set (&self->work_permille, 0);
  self->work_timeout = g_timeout_add (100, work_progress_cb, self);
  _roster_store_notify (self, PROP_WORKING);

  g_task_run_in_thread (task, work_thread);
  g_object_unref (task);
}

/**
 * roster_store_delete_user_async:
 *
 * Like roster_store_delete_user(), but a user with thousands of tasks is
 * deleted in a worker thread: meanwhile the store is "working" (its
 * "progress" goes from 0 to 1), its lists and objects can be read, and
 * every change fails with %ROSTER_ERROR_BUSY until it is done.
 */
void
roster_store_delete_user_async (RosterStore         *self,
                                RosterUser          *user,
                                RosterDeleteUser     mode,
                                RosterUser          *heir,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) caller = NULL;
  GError *error = NULL;
  Work *work;

  g_return_if_fail (ROSTER_IS_STORE (self));
  g_return_if_fail (ROSTER_IS_USER (user));

  caller = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (caller, roster_store_delete_user_async);

  if (mode != ROSTER_DELETE_USER_AND_TASKS || self->batch != NULL ||
      roster_user_get_n_tasks (user) * 4 < BIG_CHANGE_OPS)
    {
      if (roster_store_delete_user (self, user, mode, heir, &error))
        g_task_return_boolean (caller, TRUE);
      else
        g_task_return_error (caller, error);
      return;
    }
  if (!_roster_store_check_writable (self, &error) || !_roster_store_user_is_live (self, user, &error))
    {
      g_task_return_error (caller, error);
      return;
    }

  work = g_new0 (Work, 1);
  work->kind = WORK_DELETE_USER;
  work->user_id = roster_user_get_id (user);
  work->label = _roster_store_describe (self, N_("Delete user “%s”"), roster_user_get_username (user), NULL);
  start_work (self, work, caller);
}

gboolean
roster_store_delete_user_finish (RosterStore   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
replay_async (RosterStore         *self,
              gboolean             forward,
              gpointer             source_tag,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) caller = g_task_new (self, NULL, callback, user_data);
  RosterChange *change = g_queue_peek_head (forward ? &self->redo : &self->undo);
  GError *error = NULL;
  Work *work;

  g_task_set_source_tag (caller, source_tag);
  if (change == NULL || change->ops->len < BIG_CHANGE_OPS || self->batch != NULL)
    {
      if (_roster_store_replay (self, forward, &error))
        g_task_return_boolean (caller, TRUE);
      else
        g_task_return_error (caller, error);
      return;
    }
  if (!_roster_store_check_writable (self, &error))
    {
      g_task_return_error (caller, error);
      return;
    }

  work = g_new0 (Work, 1);
  work->kind = WORK_REPLAY;
  work->change = change;
  work->forward = forward;
  start_work (self, work, caller);
}

/**
 * roster_store_undo_async:
 *
 * Like roster_store_undo(); a big step (see roster_store_delete_user_async())
 * is undone in a worker thread.
 */
void
roster_store_undo_async (RosterStore         *self,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (ROSTER_IS_STORE (self));

  replay_async (self, FALSE, roster_store_undo_async, callback, user_data);
}

gboolean
roster_store_undo_finish (RosterStore   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
roster_store_redo_async (RosterStore         *self,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (ROSTER_IS_STORE (self));

  replay_async (self, TRUE, roster_store_redo_async, callback, user_data);
}

gboolean
roster_store_redo_finish (RosterStore   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
roster_store_get_working (RosterStore *self)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  return self->work != NULL;
}

double
roster_store_get_progress (RosterStore *self)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), 0.0);

  return self->work != NULL ? g_atomic_int_get (&self->work_permille) / 1000.0 : 0.0;
}
