/* roster-store.c: the one door to a Roster database. See roster-store.h.
 *
 * RosterStore is written in several files, one job each (HACKING.md has the
 * table, roster-store-parts.h what they share). This one is the object itself
 * (opening, refresh, dispose), the read transaction and noticing a damaged
 * file, Find, the live lists, and running a change.
 *
 * How a change flows: a public mutation (roster-store-mutations.c,
 * roster-store-tasks.c) validates its input, then _roster_store_run_change()
 * runs its "build" function inside BEGIN IMMEDIATE … COMMIT. The build reads
 * the rows it needs from the file (the file is the truth, not the objects),
 * records each row operation in a RosterChange and runs it at once. Only after
 * COMMIT does _roster_store_reflect() (roster-store-reflect.c) bring the
 * objects (roster-store-objects.c) and the live lists up to date, emitting one
 * items-changed per list; then the change goes on the undo stack
 * (roster-store-history.c). Undo runs the same operations backwards in a new
 * transaction and reflects them the same way. A big change runs in a worker
 * thread instead (roster-store-worker.c).
 */
#define G_LOG_DOMAIN "roster-store"

#include <glib/gi18n-lib.h>

#include "roster-find.h"
#include "roster-store-parts.h"

G_DEFINE_FINAL_TYPE (RosterStore, roster_store, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

enum {
  DAMAGED,
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
_roster_store_notify (RosterStore *self,
                      guint        prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* ------------------------------------------------------------------------ */
/* Reading, and finding the file damaged                                     */

sqlite3_stmt *
_roster_store_stmt (RosterStore *self,
                    const char  *sql)
{
  return roster_statement (self->db, self->statements, sql);
}

guint
_roster_store_add_source (GMainContext   *context,
                          gint            priority,
                          guint           interval_ms,
                          GSourceFunc     func,
                          gpointer        data,
                          GDestroyNotify  notify)
{
  g_autoptr(GSource) source = interval_ms == 0 ? g_idle_source_new () : g_timeout_source_new (interval_ms);

  g_source_set_priority (source, priority);
  g_source_set_callback (source, func, data, notify);
  return g_source_attach (source, context);
}

void
_roster_store_clear_source (GMainContext *context,
                            guint        *id)
{
  GSource *source;

  if (*id == 0)
    return;
  source = g_main_context_find_source_by_id (context, *id);
  if (source != NULL)
    g_source_destroy (source);
  *id = 0;
}

/* Reads share one read transaction until the main loop goes idle, the next
 * write, or a refresh: rows bound in one frame cost one lock of the file
 * instead of one each (each lock is system calls on the WAL index). */
void
_roster_store_end_read (RosterStore *self)
{
  _roster_store_clear_source (self->context, &self->reading_idle);
  if (!self->reading)
    return;
  self->reading = FALSE;
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
}

static gboolean
end_read_idle_cb (gpointer data)
{
  RosterStore *self = data;

  self->reading_idle = 0;
  _roster_store_end_read (self);
  return G_SOURCE_REMOVE;
}

void
_roster_store_begin_read (RosterStore *self)
{
  /* Inside a write transaction, or one of ours, reads need nothing more. */
  if (self->reading || !sqlite3_get_autocommit (self->db))
    return;
  if (sqlite3_exec (self->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    return;
  self->reading = TRUE;
  self->reading_idle = _roster_store_add_source (self->context, G_PRIORITY_DEFAULT_IDLE, 0,
                                                 end_read_idle_cb, self, NULL);
}

void
_roster_store_emit_changed (RosterStore *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static gboolean
emit_damaged_cb (gpointer data)
{
  RosterStore *self = data;

  self->damage_idle = 0;
  g_signal_emit (self, signals[DAMAGED], 0);
  return G_SOURCE_REMOVE;
}

/* SQLite finds a damaged page only when it reads it. The first time it does,
 * the store says so (the "damaged" signal, from the main loop: it may come
 * from deep inside a list's get_item()) and writes nothing from then on. */
void
_roster_store_note_failure (RosterStore *self,
                            int          rc)
{
  g_autofree char *display = NULL;

  if ((rc & 0xff) != SQLITE_CORRUPT && (rc & 0xff) != SQLITE_NOTADB)
    return;
  if (self->damage != NULL)
    return;

  display = g_filename_display_name (self->path);
  g_set_error (&self->damage, ROSTER_ERROR, ROSTER_ERROR_NOT_A_DATABASE,
               _("“%s” is damaged: part of it cannot be read. Nothing more is written to it."),
               display);
  g_message ("%s (%s)", self->damage->message, sqlite3_errstr (rc));
  if (self->damage_idle == 0)
    self->damage_idle = _roster_store_add_source (self->context, G_PRIORITY_DEFAULT_IDLE, 0,
                                                  emit_damaged_cb, self, NULL);
}

/* ------------------------------------------------------------------------ */
/* Find                                                                      */

/* Rows a catch-up does in one go, and the time after which it stops: short
 * enough not to hold up a frame. */
#define FIND_CATCH_UP_ROWS 4096
#define FIND_CATCH_UP_USEC 8000

static gboolean
find_catch_up_cb (gpointer data)
{
  RosterStore *self = data;
  guint n_done = 0;
  int rc;

  /* A batch's rows are not committed yet: its commit calls again. A
   * damaged file is never written. */
  if (self->batch != NULL || self->damage != NULL || self->work != NULL || self->check != NULL)
    {
      self->find_idle = 0;
      return G_SOURCE_REMOVE;
    }

  /* Never wait for another program's lock here: this runs on the main
   * thread, unasked. */
  _roster_store_end_read (self);
  sqlite3_busy_timeout (self->db, 0);
  rc = _roster_find_catch_up (self->db, self->statements, FIND_CATCH_UP_ROWS,
                              FIND_CATCH_UP_USEC, &n_done);
  sqlite3_busy_timeout (self->db, (int) self->busy_timeout_ms);

  self->find_idle = 0;
  if (rc == SQLITE_OK && n_done > 0)
    {
      self->find_idle = _roster_store_add_source (self->context, G_PRIORITY_LOW, 0,
                                                  find_catch_up_cb, self, NULL);
      return G_SOURCE_REMOVE;
    }
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    {
      /* A search stays right meanwhile; try again later. */
      self->find_idle = _roster_store_add_source (self->context, G_PRIORITY_LOW, 2000,
                                                  find_catch_up_cb, self, NULL);
      return G_SOURCE_REMOVE;
    }
  if (rc != SQLITE_OK)
    {
      g_debug ("Find's index not brought up to date: %s", sqlite3_errstr (rc));
      _roster_store_note_failure (self, rc);
    }
  return G_SOURCE_REMOVE;
}

void
_roster_store_schedule_find_catch_up (RosterStore *self)
{
  /* The check's answer calls again. */
  if (self->find_idle != 0 || self->read_only || self->damage != NULL || self->check != NULL)
    return;
  self->find_idle = _roster_store_add_source (self->context, G_PRIORITY_LOW, 0,
                                              find_catch_up_cb, self, NULL);
}

/**
 * roster_store_find_tasks:
 * @text: what to look for
 * @limit: the most tasks to return
 * @more: (out) (optional): set to whether more tasks match
 *
 * Finds the tasks whose title or notes contain @text, whatever its case and
 * accents ("cafe" finds "Café"), oldest first.
 *
 * Returns: (transfer full) (element-type RosterTask): the tasks (empty for
 *   empty @text), or NULL with @error set.
 */
GPtrArray *
roster_store_find_tasks (RosterStore  *self,
                         const char   *text,
                         guint         limit,
                         gboolean     *more,
                         GError      **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean has_more = FALSE;
  int rc;

  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (more != NULL)
    *more = FALSE;
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_UTF8,
                   _("The text to find is not valid UTF-8."));
      return NULL;
    }

  _roster_store_begin_read (self);
  rc = _roster_find_query (self->db, self->statements, text, limit, ids, &has_more);
  if (rc != SQLITE_OK)
    {
      _roster_store_note_failure (self, rc);
      if ((rc & 0xff) == SQLITE_ERROR)
        {
          /* FTS5 says little more than "vtable constructor failed" when
           * its own tables are unreadable. */
          g_autofree char *display = g_filename_display_name (self->path);

          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_FAILED,
                       _("Find cannot read its index in “%s”: the file may be damaged."), display);
        }
      else
        _roster_set_sqlite_error (error, self->db, rc);
      return NULL;
    }

  for (guint i = 0; i < ids->len; i += ROSTER_LIST_ITEMS_PER_QUERY)
    _roster_store_load_list_items (self, ROSTER_LIST_USER_TASKS,
                                   &g_array_index (ids, gint64, i),
                                   MIN (ROSTER_LIST_ITEMS_PER_QUERY, ids->len - i), tasks);
  if (more != NULL)
    *more = has_more;
  return g_steal_pointer (&tasks);
}

gboolean
_roster_store_find_catch_up_all (RosterStore  *self,
                                 GError      **error)
{
  guint n_done;
  int rc;

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  _roster_store_end_read (self);
  do
    rc = _roster_find_catch_up (self->db, self->statements, FIND_CATCH_UP_ROWS, 0, &n_done);
  while (rc == SQLITE_OK && n_done > 0);
  if (rc != SQLITE_OK)
    {
      _roster_store_note_failure (self, rc);
      _roster_set_sqlite_error (error, self->db, rc);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Running a change                                                          */

gboolean
_roster_store_exec (RosterStore  *self,
                    const char   *sql,
                    GError      **error)
{
  sqlite3_stmt *s = _roster_store_stmt (self, sql);
  int rc = sqlite3_step (s);

  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      _roster_set_sqlite_error (error, self->db, rc);
      return FALSE;
    }
  return TRUE;
}

void
_roster_store_rollback (RosterStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
_roster_store_op_failed (RosterStore  *self,
                         int           rc,
                         GError      **error)
{
  if (rc == SQLITE_OK)
    return FALSE;

  _roster_store_note_failure (self, rc);
  if (rc == SQLITE_NOTFOUND)
    g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                 _("The item was changed or deleted by another program."));
  else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND,
                 _("The item refers to a user, task or tag that no longer exists."));
  else
    _roster_set_sqlite_error (error, self->db, rc);
  return TRUE;
}

/* Takes back the ops from @first on, of a change that failed half-way inside
 * a batch, and forgets them. */
static gboolean
unrun_ops (RosterStore  *self,
           RosterChange *change,
           guint         first)
{
  gboolean ok = TRUE;

  for (guint k = change->ops->len; ok && k > first; k--)
    ok = roster_op_execute (self->db, self->statements,
                            &g_array_index (change->ops, RosterOp, k - 1), FALSE) == SQLITE_OK;
  g_array_set_size (change->ops, first);
  return ok;
}

gboolean
_roster_store_check_writable (RosterStore  *self,
                              GError      **error)
{
  g_autofree char *display = NULL;

  /* Nothing is written before every page has been read once. */
  _roster_store_wait_for_check (self);
  if (self->damage != NULL)
    {
      g_propagate_error (error, g_error_copy (self->damage));
      return FALSE;
    }
  if (self->work != NULL)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_BUSY,
                   _("Roster is still busy with “%s”. Try again when it is done."),
                   self->work_label);
      return FALSE;
    }
  if (!self->read_only)
    return TRUE;

  display = g_filename_display_name (self->path);
  g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_READ_ONLY,
               _("“%s” is open read-only: changes cannot be saved."), display);
  return FALSE;
}

gboolean
_roster_store_run_change (RosterStore      *self,
                          const char       *label,
                          RosterBuildFunc   build,
                          gpointer          data,
                          GError          **error)
{
  RosterChange *change;
  guint first;

  if (!_roster_store_check_writable (self, error))
    return FALSE;

  if (self->batch != NULL)
    {
      if (self->batch_error != NULL)
        {
          g_propagate_error (error, g_error_copy (self->batch_error));
          return FALSE;
        }

      /* Straight into the batch's own record: one change per mutation
       * would be an allocation and a copy each, on the hot path of imports. */
      first = self->batch->ops->len;
      if (!build (self, self->batch, data, error))
        {
          if (!unrun_ops (self, self->batch, first))
            self->batch_broken = TRUE;
          return FALSE;
        }
      return TRUE;
    }

  _roster_store_end_read (self);
  if (!_roster_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  change = roster_change_new (label);
  if (!build (self, change, data, error))
    {
      _roster_store_rollback (self);
      roster_change_free (change);
      return FALSE;
    }

  if (change->ops->len == 0)
    {
      _roster_store_rollback (self);
      roster_change_free (change);
      return TRUE;
    }

  if (!_roster_store_exec (self, "COMMIT", error))
    {
      _roster_store_rollback (self);
      roster_change_free (change);
      return FALSE;
    }

  _roster_store_reflect (self, change, TRUE, TRUE);
  _roster_store_push_undo (self, change);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Lists                                                                     */

static GListModel *
keyed_list (RosterStore    *self,
            GHashTable     *lists,
            RosterListKind  kind,
            gint64          id)
{
  RosterList *list = g_hash_table_lookup (lists, &id);

  if (list != NULL)
    return g_object_ref (G_LIST_MODEL (list));

  list = _roster_list_new (self, kind, id);
  g_hash_table_insert (lists, _roster_key_new (id), list);
  return G_LIST_MODEL (list);
}

GListModel *
roster_store_list_users (RosterStore *self)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  if (self->users_list != NULL)
    return g_object_ref (G_LIST_MODEL (self->users_list));

  self->users_list = _roster_list_new (self, ROSTER_LIST_USERS, 0);
  return G_LIST_MODEL (self->users_list);
}

GListModel *
roster_store_list_categories (RosterStore *self)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  if (self->categories_list != NULL)
    return g_object_ref (G_LIST_MODEL (self->categories_list));

  self->categories_list = _roster_list_new (self, ROSTER_LIST_CATEGORIES, 0);
  return G_LIST_MODEL (self->categories_list);
}

GListModel *
roster_store_list_user_tasks (RosterStore *self,
                              RosterUser  *user)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (ROSTER_IS_USER (user), NULL);

  return keyed_list (self, self->user_task_lists, ROSTER_LIST_USER_TASKS,
                     roster_user_get_id (user));
}

GListModel *
roster_store_list_task_categories (RosterStore *self,
                                   RosterTask  *task)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (ROSTER_IS_TASK (task), NULL);

  return keyed_list (self, self->task_category_lists, ROSTER_LIST_TASK_CATEGORIES,
                     roster_task_get_id (task));
}

GListModel *
roster_store_list_category_tasks (RosterStore    *self,
                                  RosterCategory *category)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (ROSTER_IS_CATEGORY (category), NULL);

  return keyed_list (self, self->category_task_lists, ROSTER_LIST_CATEGORY_TASKS,
                     roster_category_get_id (category));
}

void
_roster_store_forget_list (RosterStore *self,
                           RosterList  *list)
{
  gint64 id = _roster_list_get_owner_id (list);

  if (_roster_list_is_sorted (list))
    {
      g_ptr_array_remove_fast (self->sorted_lists, list);
      return;
    }

  switch (_roster_list_get_kind (list))
    {
    case ROSTER_LIST_USERS:
      if (self->users_list == list)
        self->users_list = NULL;
      break;
    case ROSTER_LIST_CATEGORIES:
      if (self->categories_list == list)
        self->categories_list = NULL;
      break;
    case ROSTER_LIST_USER_TASKS:
      if (g_hash_table_lookup (self->user_task_lists, &id) == list)
        g_hash_table_remove (self->user_task_lists, &id);
      break;
    case ROSTER_LIST_TASK_CATEGORIES:
      if (g_hash_table_lookup (self->task_category_lists, &id) == list)
        g_hash_table_remove (self->task_category_lists, &id);
      break;
    case ROSTER_LIST_TODAY:
      if (self->today_list == list)
        self->today_list = NULL;
      break;
    case ROSTER_LIST_UPCOMING:
      if (self->upcoming_list == list)
        self->upcoming_list = NULL;
      break;
    case ROSTER_LIST_CATEGORY_TASKS:
    default:
      if (g_hash_table_lookup (self->category_task_lists, &id) == list)
        g_hash_table_remove (self->category_task_lists, &id);
      break;
    }
}

/* ------------------------------------------------------------------------ */
/* The object                                                                */

const char *
roster_store_get_path (RosterStore *self)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  return self->path;
}

/**
 * roster_store_get_problems:
 *
 * Returns: (transfer none) (element-type utf8): sentences describing rows that
 *   broke a foreign key when the file was opened; empty when there were none.
 */
GPtrArray *
roster_store_get_problems (RosterStore *self)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  return self->problems;
}

static void
roster_store_dispose (GObject *object)
{
  RosterStore *self = ROSTER_STORE (object);
  GHashTableIter iter;
  gpointer value;

  if (self->batch != NULL)
    roster_store_rollback_batch (self);
  _roster_store_stop_check (self);
  if (self->db != NULL)
    _roster_store_end_read (self);
  _roster_store_clear_source (self->context, &self->damage_idle);
  _roster_store_clear_source (self->context, &self->find_idle);
  _roster_store_plan_dispose (self);

  /* Objects may outlive the store: they must not call back into it. */
  if (self->users != NULL)
    {
      g_hash_table_iter_init (&iter, self->users);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        _roster_user_detach (value);
      g_hash_table_iter_init (&iter, self->categories);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        _roster_category_detach (value);
      g_hash_table_iter_init (&iter, self->tasks);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        _roster_task_detach (value);
      g_hash_table_remove_all (self->tasks);
    }

  _roster_store_dispose_history (self);

  G_OBJECT_CLASS (roster_store_parent_class)->dispose (object);
}

static void
roster_store_finalize (GObject *object)
{
  RosterStore *self = ROSTER_STORE (object);

  g_clear_pointer (&self->users, g_hash_table_unref);
  g_clear_pointer (&self->categories, g_hash_table_unref);
  g_clear_pointer (&self->tasks, g_hash_table_unref);
  g_clear_pointer (&self->user_task_lists, g_hash_table_unref);
  g_clear_pointer (&self->task_category_lists, g_hash_table_unref);
  g_clear_pointer (&self->category_task_lists, g_hash_table_unref);
  g_clear_pointer (&self->touched, g_ptr_array_unref);
  g_clear_pointer (&self->sorted_lists, g_ptr_array_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);  /* before the connection closes */
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_error (&self->batch_error);
  g_clear_error (&self->damage);
  g_clear_pointer (&self->work_label, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (roster_store_parent_class)->finalize (object);
}

static void
roster_store_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  RosterStore *self = ROSTER_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, roster_store_get_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, roster_store_get_can_redo (self));
      break;
    case PROP_UNDO_LABEL:
      g_value_set_string (value, roster_store_get_undo_label (self));
      break;
    case PROP_REDO_LABEL:
      g_value_set_string (value, roster_store_get_redo_label (self));
      break;
    case PROP_WORKING:
      g_value_set_boolean (value, roster_store_get_working (self));
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, roster_store_get_progress (self));
      break;
    case PROP_TODAY:
      g_value_set_uint (value, roster_store_get_today (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_store_class_init (RosterStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = roster_store_dispose;
  object_class->finalize = roster_store_finalize;
  object_class->get_property = roster_store_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNDO_LABEL] =
    g_param_spec_string ("undo-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REDO_LABEL] =
    g_param_spec_string ("redo-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WORKING] =
    g_param_spec_boolean ("working", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TODAY] =
    g_param_spec_uint ("today", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RosterStore::damaged:
   *
   * A read found the file damaged (see roster_store_get_damage()). Emitted
   * once, from the main loop.
   */
  signals[DAMAGED] = g_signal_new ("damaged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * RosterStore::changed:
   *
   * The objects and lists have just followed a change of the file: a
   * commit, undo or redo, or another program's writes (roster_store_refresh()).
   * For what watches the file as a whole (reminders), not for the views,
   * which have their lists.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
roster_store_init (RosterStore *self)
{
  self->statements = roster_statement_cache_new ();
  self->context = g_main_context_ref_thread_default ();
  self->users = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->categories = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->tasks = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->user_task_lists = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->task_category_lists = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->category_task_lists = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->touched = g_ptr_array_new_with_free_func (g_object_unref);
  self->sorted_lists = g_ptr_array_new ();
  self->busy_timeout_ms = ROSTER_BUSY_TIMEOUT_MS;   /* as roster-schema.c opens the connection */
  self->problems = g_ptr_array_new_with_free_func (g_free);
  g_queue_init (&self->undo);
  g_queue_init (&self->redo);
}

/**
 * roster_store_open:
 * @path: the database file; created (with its folder) when missing
 *
 * Opens a Roster file, creating or migrating it as needed. A file Roster
 * cannot use (a newer version, another application's database, a damaged
 * file) is refused with a RosterError and left untouched.
 *
 * Returns: (transfer full): the store, or NULL with @error set.
 */
RosterStore *
roster_store_open (const char  *path,
                   GError     **error)
{
  return roster_store_open_full (path, ROSTER_OPEN_DEFAULT, error);
}

gint64
_roster_store_read_data_version (RosterStore *self)
{
  sqlite3_stmt *s = _roster_store_stmt (self, "PRAGMA data_version");
  gint64 version = 0;

  if (sqlite3_step (s) == SQLITE_ROW)
    version = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  return version;
}

/**
 * roster_store_open_full:
 * @path: the database file
 * @flags: how to open it
 *
 * Like roster_store_open(), with flags. A file that cannot be written opens
 * read-only even without %ROSTER_OPEN_READ_ONLY.
 *
 * Returns: (transfer full): the store, or NULL with @error set.
 */
RosterStore *
roster_store_open_full (const char       *path,
                        RosterOpenFlags   flags,
                        GError          **error)
{
  g_autoptr(RosterStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (ROSTER_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->db = _roster_schema_open (path, flags, self->problems, &self->read_only, error);
  if (self->db == NULL)
    return NULL;
  self->data_version = _roster_store_read_data_version (self);
  if (self->read_only)
    return g_steal_pointer (&self);
  _roster_store_start_check (self);

  return g_steal_pointer (&self);
}

/**
 * roster_store_get_damage:
 *
 * Returns: (nullable) (transfer none): why the file is damaged, once a read
 *   found it so (then every change fails with that error); NULL otherwise.
 */
const GError *
roster_store_get_damage (RosterStore *self)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  return self->damage;
}

gboolean
roster_store_is_read_only (RosterStore *self)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), TRUE);

  return self->read_only;
}

/**
 * roster_store_set_busy_timeout:
 * @timeout_ms: how long a change waits for another program's write lock
 *
 * A change that finds the file locked by another program waits this long
 * (%ROSTER_BUSY_TIMEOUT_MS from roster_store_open()) before it fails with
 * %ROSTER_ERROR_BUSY. A window retrying kept edits sets it short, so that a
 * file still locked does not hold up the main loop.
 */
void
roster_store_set_busy_timeout (RosterStore *self,
                               guint        timeout_ms)
{
  g_return_if_fail (ROSTER_IS_STORE (self));

  self->busy_timeout_ms = MIN (timeout_ms, (guint) G_MAXINT);
  sqlite3_busy_timeout (self->db, (int) self->busy_timeout_ms);
}

sqlite3 *
_roster_store_get_db (RosterStore *self)
{
  return self->db;
}

static gboolean
refresh (RosterStore *self,
         gboolean     keep_history)
{
  gint64 version;

  /* A worker's commits are ours: they are taken in when it is done. */
  if (self->batch != NULL || self->work != NULL)
    return FALSE;

  _roster_store_end_read (self);
  _roster_store_plan_check_day (self);
  version = _roster_store_read_data_version (self);
  if (version == self->data_version)
    return FALSE;
  self->data_version = version;

  if (!keep_history)
    _roster_store_forget_history (self);

  _roster_store_refresh_objects (self);
  _roster_store_reload_all_lists (self);
  return TRUE;
}

gboolean
roster_store_refresh (RosterStore *self)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  return refresh (self, FALSE);
}

gboolean
roster_store_refresh_keeping_history (RosterStore *self)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  return refresh (self, TRUE);
}
