/* roster-edit-queue.h: the edits a person makes, kept in order until the file
 * takes them.
 *
 * Every change the application makes goes through the RosterEditQueue of its
 * store (one per store: roster_edit_queue_get_for_store()). An edit the file
 * refuses for now (another program holds its write lock past the busy
 * timeout, or the store is busy with a big change: ROSTER_ERROR_BUSY) is
 * kept and made again every two seconds; one that then meets a full disk
 * waits for room the same way. While an edit waits, later ones queue behind
 * it without trying, so edits reach the file in the order they were made.
 *
 * Each edit returns a RosterEditResult: saved, waiting, refused for good
 * (@error says why), or running (deleting a user, which the store may do in
 * its worker thread; "delete-user-done" says how it ended).
 *
 * Properties (read-only, notified): "n-waiting" (guint), "waiting-error"
 * (GError, why the first waiting edit waits; NULL when none does),
 * "working" (gboolean: a big change is being saved, this queue's or the
 * store's).
 *
 * Signals:
 *   "edit-dropped" (RosterEditKind kind, GError *error): a waiting edit was
 *     let go of: refused for good when it was tried again (@error says why:
 *     its task was deleted meanwhile, its name taken), or, @error NULL,
 *     dropped on request (roster_edit_queue_drop_waiting()).
 *   "delete-user-done" (RosterUser *user, RosterUser *heir, gboolean waited,
 *     GError *error): a deletion of @user ended, saved when @error is NULL;
 *     @waited is TRUE when it had to wait for the file first.
 */
#pragma once

#include <gio/gio.h>

#include "roster-store.h"

G_BEGIN_DECLS

typedef enum
{
  ROSTER_EDIT_SAVED,    /* in the file now */
  ROSTER_EDIT_WAITING,  /* kept: saved as soon as the file is free */
  ROSTER_EDIT_FAILED,   /* refused for good: the error says why */
  ROSTER_EDIT_RUNNING,  /* handed to the store, which may take a while
                         * (deleting a user): "delete-user-done" says how it ended */
} RosterEditResult;

/* What an edit does: the function of this queue that makes it. */
typedef enum
{
  ROSTER_EDIT_CREATE_TASK,
  ROSTER_EDIT_CREATE_USER,
  ROSTER_EDIT_CREATE_CATEGORY,
  ROSTER_EDIT_SET_TASK_DONE,
  ROSTER_EDIT_MOVE_TASK,
  ROSTER_EDIT_REORDER_TASK,
  ROSTER_EDIT_MOVE_TASK_TO,
  ROSTER_EDIT_DELETE_TASK,
  ROSTER_EDIT_DELETE_USER,
  ROSTER_EDIT_DELETE_CATEGORY,
  ROSTER_EDIT_SET_CATEGORY_COLOR,
  ROSTER_EDIT_SET_TASK_TITLE,
  ROSTER_EDIT_SET_TASK_NOTES,
  ROSTER_EDIT_SET_TASK_DUE_DATE,
  ROSTER_EDIT_SET_TASK_TAGGED,
  ROSTER_EDIT_RENAME_USER,
  ROSTER_EDIT_RENAME_CATEGORY,
  ROSTER_EDIT_CREATE_CATEGORY_FOR_TASK,
  ROSTER_EDIT_SET_TASK_DUE_TIME,
  ROSTER_EDIT_SET_TASK_PRIORITY,
  ROSTER_EDIT_SET_TASK_RECURRENCE,
} RosterEditKind;

#define ROSTER_TYPE_EDIT_QUEUE (roster_edit_queue_get_type ())
G_DECLARE_FINAL_TYPE (RosterEditQueue, roster_edit_queue, ROSTER, EDIT_QUEUE, GObject)

/* The queue of @store, made on the first call and kept as long as the store
 * lives. (transfer none) */
RosterEditQueue  *roster_edit_queue_get_for_store        (RosterStore       *store);

/* The edits. Each one is the store's function of the same name, kept when
 * the file refuses it for now. A created object goes to @created (transfer
 * full, optional) when it was saved at once. */
RosterEditResult  roster_edit_queue_create_task          (RosterEditQueue   *self,
                                                          RosterUser        *owner,
                                                          const char        *title,
                                                          RosterTask       **created,
                                                          GError           **error);
RosterEditResult  roster_edit_queue_create_user          (RosterEditQueue   *self,
                                                          const char        *username,
                                                          RosterUser       **created,
                                                          GError           **error);
/* The colour is the next one of a palette of eight, by the number of tags
 * when the edit is saved. */
RosterEditResult  roster_edit_queue_create_category      (RosterEditQueue   *self,
                                                          const char        *name,
                                                          RosterCategory   **created,
                                                          GError           **error);
RosterEditResult  roster_edit_queue_rename_user          (RosterEditQueue   *self,
                                                          RosterUser        *user,
                                                          const char        *username,
                                                          GError           **error);
/* Runs through roster_store_delete_user_async(): ROSTER_EDIT_RUNNING when
 * nothing waits, then "delete-user-done". */
RosterEditResult  roster_edit_queue_delete_user          (RosterEditQueue   *self,
                                                          RosterUser        *user,
                                                          RosterDeleteUser   mode,
                                                          RosterUser        *heir,
                                                          GError           **error);
RosterEditResult  roster_edit_queue_set_task_title       (RosterEditQueue   *self,
                                                          RosterTask        *task,
                                                          const char        *title,
                                                          GError           **error);
RosterEditResult  roster_edit_queue_set_task_done        (RosterEditQueue   *self,
                                                          RosterTask        *task,
                                                          gboolean           done,
                                                          GError           **error);
RosterEditResult  roster_edit_queue_set_task_notes       (RosterEditQueue   *self,
                                                          RosterTask        *task,
                                                          const char        *notes,
                                                          GError           **error);
/* Only the date of @due_date counts; NULL clears it. */
RosterEditResult  roster_edit_queue_set_task_due_date    (RosterEditQueue   *self,
                                                          RosterTask        *task,
                                                          GDateTime         *due_date,
                                                          GError           **error);
/* "HH:MM"; NULL or "" clears it. */
RosterEditResult  roster_edit_queue_set_task_due_time    (RosterEditQueue   *self,
                                                          RosterTask        *task,
                                                          const char        *due_time,
                                                          GError           **error);
RosterEditResult  roster_edit_queue_set_task_priority    (RosterEditQueue   *self,
                                                          RosterTask        *task,
                                                          RosterPriority     priority,
                                                          GError           **error);
/* An RRULE's value; NULL or "" stops the task repeating. */
RosterEditResult  roster_edit_queue_set_task_recurrence  (RosterEditQueue   *self,
                                                          RosterTask        *task,
                                                          const char        *rule,
                                                          GError           **error);
RosterEditResult  roster_edit_queue_move_task            (RosterEditQueue   *self,
                                                          RosterTask        *task,
                                                          RosterUser        *owner,
                                                          GError           **error);
RosterEditResult  roster_edit_queue_reorder_task         (RosterEditQueue   *self,
                                                          RosterTask        *task,
                                                          guint              index,
                                                          GError           **error);
/* Gives @task to @owner, at @index of the new owner's list: one undo step. */
RosterEditResult  roster_edit_queue_move_task_to         (RosterEditQueue   *self,
                                                          RosterTask        *task,
                                                          RosterUser        *owner,
                                                          guint              index,
                                                          GError           **error);
RosterEditResult  roster_edit_queue_delete_task          (RosterEditQueue   *self,
                                                          RosterTask        *task,
                                                          GError           **error);
RosterEditResult  roster_edit_queue_rename_category      (RosterEditQueue   *self,
                                                          RosterCategory    *category,
                                                          const char        *name,
                                                          GError           **error);
RosterEditResult  roster_edit_queue_set_category_color   (RosterEditQueue   *self,
                                                          RosterCategory    *category,
                                                          const char        *color,
                                                          GError           **error);
RosterEditResult  roster_edit_queue_delete_category      (RosterEditQueue   *self,
                                                          RosterCategory    *category,
                                                          GError           **error);
/* roster_store_tag_task() or roster_store_untag_task(). */
RosterEditResult  roster_edit_queue_set_task_tagged      (RosterEditQueue   *self,
                                                          RosterTask        *task,
                                                          RosterCategory    *category,
                                                          gboolean           tagged,
                                                          GError           **error);
/* A new tag (in the default colour) on @task: one undo step. */
RosterEditResult  roster_edit_queue_create_category_for_task (RosterEditQueue *self,
                                                          RosterTask        *task,
                                                          const char        *name,
                                                          GError           **error);

/* What waits. */
guint             roster_edit_queue_get_n_waiting        (RosterEditQueue   *self);
const GError     *roster_edit_queue_get_waiting_error    (RosterEditQueue   *self);
/* TRUE while the store saves a big change: a deletion this queue handed to
 * it (until its answer came), or one of its own (an undo). */
gboolean          roster_edit_queue_get_working          (RosterEditQueue   *self);
/* The user whose deletion this queue handed to the store and whose answer
 * has not come yet, or NULL. */
RosterUser       *roster_edit_queue_get_deleting_user    (RosterEditQueue   *self);
/* Whether the timer of the next try is armed, and how many tries the queue
 * made on its own (its timer, the end of a big change) so far. */
gboolean          roster_edit_queue_get_retry_pending    (RosterEditQueue   *self);
guint             roster_edit_queue_get_n_retries        (RosterEditQueue   *self);

/* Tries the waiting edits now, waiting the store's whole busy timeout for
 * the lock: the last try before a window closes. */
void              roster_edit_queue_retry                (RosterEditQueue   *self);
/* Lets go of the waiting edits, leaving a trace in the log. */
void              roster_edit_queue_drop_waiting         (RosterEditQueue   *self);
/* Drops the waiting edits; from now on every edit goes straight to the
 * store and none is kept (nobody is left to say that it waits). */
void              roster_edit_queue_close                (RosterEditQueue   *self);

G_END_DECLS
