/* roster-edit-queue.c: edits kept in order until the file takes them.
 *
 * The store waits a few seconds for another program's lock (its busy
 * timeout), and refuses every change while it makes a big one in a worker
 * thread; both fail with ROSTER_ERROR_BUSY. Such an edit is kept here,
 * oldest first, and made again two seconds after each try until it is
 * saved; one that then finds the disk full waits for room the same way.
 * While any edit waits, a new one queues behind it without trying, so edits
 * reach the file in the order they were made. A try the person did not ask
 * for (the timer, the end of a big change) waits only 0.1 s for the lock, so
 * that a file still locked does not freeze the application.
 *
 * Deleting a user goes to the store's async call, which deletes a user with
 * thousands of tasks in a worker thread (and a small one at once, through
 * the same call). That edit is "running" until its answer comes: later edits
 * queue behind it as behind a waiting one, and are saved as soon as it is
 * done. While the store itself is busy with a big change (an undo), edits
 * queue too, and are saved when it is done rather than on the timer.
 *
 * The queue belongs to its store (qdata): it lives as long as the store, and
 * holds it weakly, so nothing here keeps a file open.
 */
#define G_LOG_DOMAIN "roster-edit-queue"

#include "roster-edit.h"

#define RETRY_INTERVAL_MS 2000
/* A try from the timer waits this long for a lock; the person's own edits
 * (and the last try before a window closes) wait the store's usual 5 s,
 * which is set back after each brief try. */
#define RETRY_BUSY_TIMEOUT_MS 100

struct _RosterEditQueue
{
  GObject      parent_instance;

  RosterStore *store;          /* weak: NULL once the store is disposed */
  char        *path;           /* for the log */
  /* Edits the file refused for now (RosterEdit *, oldest first), the error
   * of the last try, and the timer of the next one. */
  GQueue       waiting;
  GError      *waiting_error;
  guint        retry_source;
  guint        n_retries;
  /* The deletion handed to the store whose answer has not come (owned). */
  RosterEdit  *running;
  /* No edit is kept any more: roster_edit_queue_close(). */
  gboolean     closed;
  /* What was last notified. */
  guint        n_waiting;
  gboolean     working;
};

G_DEFINE_FINAL_TYPE (RosterEditQueue, roster_edit_queue, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_WAITING,
  PROP_WAITING_ERROR,
  PROP_WORKING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  EDIT_DROPPED,
  DELETE_USER_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GQuark
queue_quark (void)
{
  return g_quark_from_static_string ("roster-edit-queue");
}

/* What waits */

/* A setter asked again with the value the last waiting one of the same
 * thing gives it (Enter in a field, then leaving it) changes nothing: it
 * waits only once. */
static gboolean
is_waiting_already (RosterEditQueue  *self,
                    const RosterEdit *edit)
{
  for (GList *l = self->waiting.tail; l != NULL; l = l->prev)
    if (_roster_edit_sets_same_thing (l->data, edit))
      return _roster_edit_same_value (l->data, edit);
  return FALSE;
}

/* The queue's state */

static void
set_waiting_error (RosterEditQueue *self,
                   GError          *error)
{
  if (self->waiting_error == NULL && error == NULL)
    return;
  g_clear_error (&self->waiting_error);
  self->waiting_error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING_ERROR]);
}

static gboolean
compute_working (RosterEditQueue *self)
{
  return self->running != NULL || (self->store != NULL && roster_store_get_working (self->store));
}

static gboolean retry_cb (gpointer user_data);

/* The timer and the properties follow the queue. */
static void
update (RosterEditQueue *self)
{
  gboolean waiting = !g_queue_is_empty (&self->waiting);
  gboolean working = compute_working (self);

  if (waiting)
    {
      /* One try at a time, two seconds after the last one ended, and the
       * application gets the time in between. While the store is busy with
       * a big change, its end starts the next try instead. */
      if (self->retry_source == 0 && !working && !self->closed)
        self->retry_source = g_timeout_add (RETRY_INTERVAL_MS, retry_cb, self);
    }
  else
    {
      set_waiting_error (self, NULL);
      g_clear_handle_id (&self->retry_source, g_source_remove);
    }

  if (self->n_waiting != g_queue_get_length (&self->waiting))
    {
      self->n_waiting = g_queue_get_length (&self->waiting);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_WAITING]);
    }
  if (self->working != working)
    {
      self->working = working;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKING]);
    }
}

static void start_deletion (RosterEditQueue *self,
                            RosterEdit      *edit);

/* Makes the waiting edits, oldest first, until one has to wait again. An
 * edit that can never be saved now (its task was deleted meanwhile, its
 * name taken) is dropped, and "edit-dropped" says why. */
static void
try_waiting (RosterEditQueue *self)
{
  RosterEdit *edit;

  while (self->store != NULL && self->running == NULL &&
         (edit = g_queue_peek_head (&self->waiting)) != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (edit->kind == ROSTER_EDIT_DELETE_USER)
        {
          /* The rest go on when its answer comes (on_deletion_done_cb()). */
          start_deletion (self, g_queue_pop_head (&self->waiting));
          break;
        }
      if (!_roster_edit_run (edit, self->store, NULL, &error) &&
          (g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_BUSY) ||
           g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_DISK_FULL)))
        {
          set_waiting_error (self, g_steal_pointer (&error));
          break;
        }

      g_queue_pop_head (&self->waiting);
      /* A deletion of what is gone already did what it was for. */
      if (error != NULL &&
          !(g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND) && _roster_edit_is_deletion (edit)))
        g_signal_emit (self, signals[EDIT_DROPPED], 0, edit->kind, error);
      if (error != NULL)
        _roster_edit_show_file_value (edit);
      _roster_edit_free (edit);
    }

  update (self);
}

/* A try nobody asked for (the timer, the end of a big change). */
static void
retry_briefly (RosterEditQueue *self)
{
  if (self->store == NULL || self->running != NULL || g_queue_is_empty (&self->waiting))
    {
      update (self);
      return;
    }

  self->n_retries++;
  roster_store_set_busy_timeout (self->store, RETRY_BUSY_TIMEOUT_MS);
  try_waiting (self);
  if (self->store != NULL)
    roster_store_set_busy_timeout (self->store, ROSTER_BUSY_TIMEOUT_MS);
}

static gboolean
retry_cb (gpointer user_data)
{
  RosterEditQueue *self = user_data;

  self->retry_source = 0;
  g_object_freeze_notify (G_OBJECT (self));
  retry_briefly (self);
  g_object_thaw_notify (G_OBJECT (self));
  return G_SOURCE_REMOVE;
}

static void
on_deletion_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(RosterEditQueue) self = user_data;
  g_autoptr(GError) error = NULL;
  RosterEdit *edit = g_steal_pointer (&self->running);
  gboolean saved = roster_store_delete_user_finish (ROSTER_STORE (source), result, &error);

  g_object_freeze_notify (G_OBJECT (self));
  if (!saved && g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_BUSY) && !self->closed)
    {
      /* Kept, first in line: the edits behind it were made after it. */
      edit->waited = TRUE;
      g_queue_push_head (&self->waiting, edit);
      set_waiting_error (self, g_steal_pointer (&error));
      update (self);
    }
  else
    {
      g_signal_emit (self, signals[DELETE_USER_DONE], 0, edit->user, edit->heir, edit->waited, error);
      _roster_edit_free (edit);
      /* Edits made meanwhile waited behind this one. */
      retry_briefly (self);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* Hands the deletion @edit (owned) to the store. */
static void
start_deletion (RosterEditQueue *self,
                RosterEdit      *edit)
{
  g_assert (self->running == NULL && edit->kind == ROSTER_EDIT_DELETE_USER);

  /* Set first: the store may start working (and say so) in this call. */
  self->running = edit;
  roster_store_delete_user_async (self->store, edit->user, edit->mode, edit->heir, NULL,
                                  on_deletion_done_cb, g_object_ref (self));
  update (self);
}

/* Makes @edit now, or keeps it when the file is locked (or edits already
 * wait for it). A create's new object goes to @created when it was saved. */
static RosterEditResult
apply (RosterEditQueue   *self,
       const RosterEdit  *edit,
       GObject          **created,
       GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  RosterEditResult result = ROSTER_EDIT_WAITING;

  if (created != NULL)
    *created = NULL;
  g_return_val_if_fail (ROSTER_IS_EDIT_QUEUE (self), ROSTER_EDIT_FAILED);
  g_return_val_if_fail (_roster_edit_is_valid (edit), ROSTER_EDIT_FAILED);
  g_return_val_if_fail (self->store != NULL, ROSTER_EDIT_FAILED);

  g_object_freeze_notify (G_OBJECT (self));
  if (edit->kind == ROSTER_EDIT_DELETE_USER && self->running == NULL &&
      (self->closed || g_queue_is_empty (&self->waiting)))
    {
      start_deletion (self, _roster_edit_copy (edit));
      result = ROSTER_EDIT_RUNNING;
    }
  else if (self->closed || (g_queue_is_empty (&self->waiting) && self->running == NULL))
    {
      if (_roster_edit_run (edit, self->store, created, &local_error))
        result = ROSTER_EDIT_SAVED;
      else if (self->closed || !g_error_matches (local_error, ROSTER_ERROR, ROSTER_ERROR_BUSY))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          result = ROSTER_EDIT_FAILED;
        }
      else
        set_waiting_error (self, g_steal_pointer (&local_error));
    }
  else if (!_roster_edit_check_text (edit, error))
    /* What the store would say at once, so it is said beside the entry
     * rather than after the wait. */
    result = ROSTER_EDIT_FAILED;

  if (result == ROSTER_EDIT_WAITING && !is_waiting_already (self, edit))
    {
      RosterEdit *kept = _roster_edit_copy (edit);

      kept->waited = TRUE;
      g_queue_push_tail (&self->waiting, kept);
    }
  if (result == ROSTER_EDIT_WAITING)
    update (self);
  g_object_thaw_notify (G_OBJECT (self));
  return result;
}

/* The edits */

RosterEditResult
roster_edit_queue_create_task (RosterEditQueue  *self,
                               RosterUser       *owner,
                               const char       *title,
                               RosterTask      **created,
                               GError          **error)
{
  RosterEdit edit = { .kind = ROSTER_EDIT_CREATE_TASK, .user = owner, .text = (char *) title };

  return apply (self, &edit, (GObject **) created, error);
}

RosterEditResult
roster_edit_queue_create_user (RosterEditQueue  *self,
                               const char       *username,
                               RosterUser      **created,
                               GError          **error)
{
  RosterEdit edit = { .kind = ROSTER_EDIT_CREATE_USER, .text = (char *) username };

  return apply (self, &edit, (GObject **) created, error);
}

RosterEditResult
roster_edit_queue_create_category (RosterEditQueue  *self,
                                   const char       *name,
                                   RosterCategory  **created,
                                   GError          **error)
{
  RosterEdit edit = { .kind = ROSTER_EDIT_CREATE_CATEGORY, .text = (char *) name };

  return apply (self, &edit, (GObject **) created, error);
}

RosterEditResult
roster_edit_queue_rename_user (RosterEditQueue  *self,
                               RosterUser       *user,
                               const char       *username,
                               GError          **error)
{
  RosterEdit edit = { .kind = ROSTER_EDIT_RENAME_USER, .user = user, .text = (char *) username };

  return apply (self, &edit, NULL, error);
}

RosterEditResult
roster_edit_queue_delete_user (RosterEditQueue   *self,
                               RosterUser        *user,
                               RosterDeleteUser   mode,
                               RosterUser        *heir,
                               GError           **error)
{
  RosterEdit edit = { .kind = ROSTER_EDIT_DELETE_USER, .user = user, .mode = mode, .heir = heir };

  return apply (self, &edit, NULL, error);
}

RosterEditResult
roster_edit_queue_set_task_title (RosterEditQueue  *self,
                                  RosterTask       *task,
                                  const char       *title,
                                  GError          **error)
{
  RosterEdit edit = { .kind = ROSTER_EDIT_SET_TASK_TITLE, .task = task, .text = (char *) title };

  return apply (self, &edit, NULL, error);
}

RosterEditResult
roster_edit_queue_set_task_done (RosterEditQueue  *self,
                                 RosterTask       *task,
                                 gboolean          done,
                                 GError          **error)
{
  RosterEdit edit = { .kind = ROSTER_EDIT_SET_TASK_DONE, .task = task, .flag = !!done };

  return apply (self, &edit, NULL, error);
}

RosterEditResult
roster_edit_queue_set_task_notes (RosterEditQueue  *self,
                                  RosterTask       *task,
                                  const char       *notes,
                                  GError          **error)
{
  RosterEdit edit = { .kind = ROSTER_EDIT_SET_TASK_NOTES, .task = task, .text = (char *) notes };

  return apply (self, &edit, NULL, error);
}

RosterEditResult
roster_edit_queue_set_task_due_date (RosterEditQueue  *self,
                                     RosterTask       *task,
                                     GDateTime        *due_date,
                                     GError          **error)
{
  g_autoptr(GDateTime) day = NULL;
  RosterEdit edit = { .kind = ROSTER_EDIT_SET_TASK_DUE_DATE, .task = task };

  /* Only the day counts: one value per day, so that two edits of the same
   * day compare equal. */
  if (due_date != NULL)
    day = g_date_time_new_utc (g_date_time_get_year (due_date), g_date_time_get_month (due_date),
                               g_date_time_get_day_of_month (due_date), 0, 0, 0);
  edit.due_date = day;
  return apply (self, &edit, NULL, error);
}

RosterEditResult
roster_edit_queue_set_task_due_time (RosterEditQueue  *self,
                                     RosterTask       *task,
                                     const char       *due_time,
                                     GError          **error)
{
  /* "" and NULL both clear it: one value, so that they compare equal. */
  RosterEdit edit = { .kind = ROSTER_EDIT_SET_TASK_DUE_TIME, .task = task,
                      .text = due_time != NULL && *due_time != '\0' ? (char *) due_time : NULL };

  return apply (self, &edit, NULL, error);
}

RosterEditResult
roster_edit_queue_set_task_priority (RosterEditQueue  *self,
                                     RosterTask       *task,
                                     RosterPriority    priority,
                                     GError          **error)
{
  RosterEdit edit = { .kind = ROSTER_EDIT_SET_TASK_PRIORITY, .task = task, .priority = priority };

  return apply (self, &edit, NULL, error);
}

RosterEditResult
roster_edit_queue_set_task_recurrence (RosterEditQueue  *self,
                                       RosterTask       *task,
                                       const char       *rule,
                                       GError          **error)
{
  RosterEdit edit = { .kind = ROSTER_EDIT_SET_TASK_RECURRENCE, .task = task, .text = (char *) (rule ? rule : "") };

  return apply (self, &edit, NULL, error);
}

RosterEditResult
roster_edit_queue_move_task (RosterEditQueue  *self,
                             RosterTask       *task,
                             RosterUser       *owner,
                             GError          **error)
{
  RosterEdit edit = { .kind = ROSTER_EDIT_MOVE_TASK, .task = task, .user = owner };

  return apply (self, &edit, NULL, error);
}

RosterEditResult
roster_edit_queue_reorder_task (RosterEditQueue  *self,
                                RosterTask       *task,
                                guint             index,
                                GError          **error)
{
  RosterEdit edit = { .kind = ROSTER_EDIT_REORDER_TASK, .task = task, .index = index };

  return apply (self, &edit, NULL, error);
}

RosterEditResult
roster_edit_queue_move_task_to (RosterEditQueue  *self,
                                RosterTask       *task,
                                RosterUser       *owner,
                                guint             index,
                                GError          **error)
{
  RosterEdit edit = { .kind = ROSTER_EDIT_MOVE_TASK_TO, .task = task, .user = owner, .index = index };

  return apply (self, &edit, NULL, error);
}

RosterEditResult
roster_edit_queue_delete_task (RosterEditQueue  *self,
                               RosterTask       *task,
                               GError          **error)
{
  RosterEdit edit = { .kind = ROSTER_EDIT_DELETE_TASK, .task = task };

  return apply (self, &edit, NULL, error);
}

RosterEditResult
roster_edit_queue_rename_category (RosterEditQueue  *self,
                                   RosterCategory   *category,
                                   const char       *name,
                                   GError          **error)
{
  RosterEdit edit = { .kind = ROSTER_EDIT_RENAME_CATEGORY, .category = category, .text = (char *) name };

  return apply (self, &edit, NULL, error);
}

RosterEditResult
roster_edit_queue_set_category_color (RosterEditQueue  *self,
                                      RosterCategory   *category,
                                      const char       *color,
                                      GError          **error)
{
  RosterEdit edit = { .kind = ROSTER_EDIT_SET_CATEGORY_COLOR, .category = category, .text = (char *) color };

  return apply (self, &edit, NULL, error);
}

RosterEditResult
roster_edit_queue_delete_category (RosterEditQueue  *self,
                                   RosterCategory   *category,
                                   GError          **error)
{
  RosterEdit edit = { .kind = ROSTER_EDIT_DELETE_CATEGORY, .category = category };

  return apply (self, &edit, NULL, error);
}

RosterEditResult
roster_edit_queue_set_task_tagged (RosterEditQueue  *self,
                                   RosterTask       *task,
                                   RosterCategory   *category,
                                   gboolean          tagged,
                                   GError          **error)
{
  RosterEdit edit = { .kind = ROSTER_EDIT_SET_TASK_TAGGED, .task = task, .category = category,
                      .flag = !!tagged };

  return apply (self, &edit, NULL, error);
}

RosterEditResult
roster_edit_queue_create_category_for_task (RosterEditQueue  *self,
                                            RosterTask       *task,
                                            const char       *name,
                                            GError          **error)
{
  RosterEdit edit = { .kind = ROSTER_EDIT_CREATE_CATEGORY_FOR_TASK, .task = task, .text = (char *) name };

  return apply (self, &edit, NULL, error);
}

/* What waits */

guint
roster_edit_queue_get_n_waiting (RosterEditQueue *self)
{
  g_return_val_if_fail (ROSTER_IS_EDIT_QUEUE (self), 0);

  return g_queue_get_length (&self->waiting);
}

const GError *
roster_edit_queue_get_waiting_error (RosterEditQueue *self)
{
  g_return_val_if_fail (ROSTER_IS_EDIT_QUEUE (self), NULL);

  return self->waiting_error;
}

gboolean
roster_edit_queue_get_working (RosterEditQueue *self)
{
  g_return_val_if_fail (ROSTER_IS_EDIT_QUEUE (self), FALSE);

  return compute_working (self);
}

RosterUser *
roster_edit_queue_get_deleting_user (RosterEditQueue *self)
{
  g_return_val_if_fail (ROSTER_IS_EDIT_QUEUE (self), NULL);

  return self->running != NULL ? self->running->user : NULL;
}

gboolean
roster_edit_queue_get_retry_pending (RosterEditQueue *self)
{
  g_return_val_if_fail (ROSTER_IS_EDIT_QUEUE (self), FALSE);

  return self->retry_source != 0;
}

guint
roster_edit_queue_get_n_retries (RosterEditQueue *self)
{
  g_return_val_if_fail (ROSTER_IS_EDIT_QUEUE (self), 0);

  return self->n_retries;
}

void
roster_edit_queue_retry (RosterEditQueue *self)
{
  g_return_if_fail (ROSTER_IS_EDIT_QUEUE (self));

  g_object_freeze_notify (G_OBJECT (self));
  g_clear_handle_id (&self->retry_source, g_source_remove);
  try_waiting (self);
  g_object_thaw_notify (G_OBJECT (self));
}

void
roster_edit_queue_drop_waiting (RosterEditQueue *self)
{
  RosterEdit *edit;

  g_return_if_fail (ROSTER_IS_EDIT_QUEUE (self));

  g_object_freeze_notify (G_OBJECT (self));
  while ((edit = g_queue_pop_head (&self->waiting)) != NULL)
    {
      if (edit->text != NULL)
        g_message ("%s: an edit was not saved (%s)", self->path, edit->text);
      else
        g_message ("%s: an edit was not saved", self->path);
      g_signal_emit (self, signals[EDIT_DROPPED], 0, edit->kind, NULL);
      _roster_edit_free (edit);
    }
  update (self);
  g_object_thaw_notify (G_OBJECT (self));
}

void
roster_edit_queue_close (RosterEditQueue *self)
{
  g_return_if_fail (ROSTER_IS_EDIT_QUEUE (self));

  self->closed = TRUE;
  roster_edit_queue_drop_waiting (self);
}

/* The store */

static void
on_store_working_notify_cb (RosterStore     *store,
                            GParamSpec      *pspec,
                            RosterEditQueue *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  /* Done: the edits that waited for it are saved now. */
  if (!roster_store_get_working (store))
    retry_briefly (self);
  else
    update (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Disposed: its objects may live on, but nothing is saved any more. */
static void
on_store_gone_cb (gpointer  data,
                  GObject  *store)
{
  RosterEditQueue *self = data;

  self->store = NULL;
  roster_edit_queue_close (self);
}

RosterEditQueue *
roster_edit_queue_get_for_store (RosterStore *store)
{
  RosterEditQueue *self;

  g_return_val_if_fail (ROSTER_IS_STORE (store), NULL);

  self = g_object_get_qdata (G_OBJECT (store), queue_quark ());
  if (self != NULL)
    return self;

  self = g_object_new (ROSTER_TYPE_EDIT_QUEUE, NULL);
  self->store = store;
  self->path = g_strdup (roster_store_get_path (store));
  g_object_weak_ref (G_OBJECT (store), on_store_gone_cb, self);
  g_signal_connect (store, "notify::working", G_CALLBACK (on_store_working_notify_cb), self);
  g_object_set_qdata_full (G_OBJECT (store), queue_quark (), self, g_object_unref);
  return self;
}

/* The class */

static void
roster_edit_queue_dispose (GObject *object)
{
  RosterEditQueue *self = ROSTER_EDIT_QUEUE (object);

  /* The store owns the queue and normally goes first (on_store_gone_cb()). */
  if (self->store != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->store, self);
      g_object_weak_unref (G_OBJECT (self->store), on_store_gone_cb, self);
      self->store = NULL;
    }
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_queue_clear_full (&self->waiting, (GDestroyNotify) _roster_edit_free);

  G_OBJECT_CLASS (roster_edit_queue_parent_class)->dispose (object);
}

static void
roster_edit_queue_finalize (GObject *object)
{
  RosterEditQueue *self = ROSTER_EDIT_QUEUE (object);

  g_assert (self->running == NULL);
  g_clear_error (&self->waiting_error);
  g_free (self->path);

  G_OBJECT_CLASS (roster_edit_queue_parent_class)->finalize (object);
}

static void
roster_edit_queue_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RosterEditQueue *self = ROSTER_EDIT_QUEUE (object);

  switch (prop_id)
    {
    case PROP_N_WAITING:
      g_value_set_uint (value, roster_edit_queue_get_n_waiting (self));
      break;
    case PROP_WAITING_ERROR:
      g_value_set_boxed (value, self->waiting_error);
      break;
    case PROP_WORKING:
      g_value_set_boolean (value, roster_edit_queue_get_working (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_edit_queue_class_init (RosterEditQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = roster_edit_queue_dispose;
  object_class->finalize = roster_edit_queue_finalize;
  object_class->get_property = roster_edit_queue_get_property;

  properties[PROP_N_WAITING] =
    g_param_spec_uint ("n-waiting", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WAITING_ERROR] =
    g_param_spec_boxed ("waiting-error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WORKING] =
    g_param_spec_boolean ("working", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (RosterEditKind kind, GError *error or NULL) */
  signals[EDIT_DROPPED] =
    g_signal_new ("edit-dropped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* (RosterUser *user, RosterUser *heir or NULL, gboolean waited, GError *error or NULL) */
  signals[DELETE_USER_DONE] =
    g_signal_new ("delete-user-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, ROSTER_TYPE_USER, ROSTER_TYPE_USER, G_TYPE_BOOLEAN,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
roster_edit_queue_init (RosterEditQueue *self)
{
  g_queue_init (&self->waiting);
}
