/* roster-store.h: the one door to a Roster database.
 *
 * A RosterStore owns one SQLite connection. It hands out one object per row
 * (asking twice for task 7 gives the same pointer while anybody holds it) and
 * live GListModels for the relationships, and every change goes through it: one
 * transaction per change, objects and lists updated only after the commit, and
 * every change undoable.
 *
 * Properties (read-only, notified): "path" (string), "can-undo", "can-redo"
 * (gboolean), "undo-label", "redo-label" (string or NULL), "today" (guint,
 * see roster_store_get_today()).
 *
 * Signals: "damaged" (see roster_store_get_damage()); "changed", after the
 * objects and lists followed a change of the file (a commit, undo, redo, or
 * another program's writes noticed by roster_store_refresh()).
 *
 * Text is stored exactly as given (no trimming): a caller that wants typed
 * names trimmed trims them itself.
 *
 * A store belongs to the thread that opened it: its idles and timeouts run on
 * that thread's default main context (a worker thread pushes one of its own
 * first, as the window's sync does).
 */
#pragma once

#include <gio/gio.h>

#include "roster-category.h"
#include "roster-error.h"
#include "roster-task.h"
#include "roster-user.h"

G_BEGIN_DECLS

/* The schema version this Roster writes (PRAGMA user_version). */
#define ROSTER_SCHEMA_VERSION 10
/* PRAGMA application_id of a Roster file: "Rost" in ASCII. */
#define ROSTER_APPLICATION_ID 0x526f7374
/* The page cache of a connection that writes much (a migration, the worker
 * of a big change), in KiB (PRAGMA cache_size = -N): SQLite's default 2 MiB
 * makes a large file re-read the same pages. */
#define ROSTER_CACHE_SIZE_KIB 16384
/* The page cache of a store's connection once the file is open: what the
 * window reads (pages of a list, Find's index) is read once and shown; a
 * bigger cache only made a long scroll hold 16 MiB more. */
#define ROSTER_READ_CACHE_SIZE_KIB 4096
/* How long, in milliseconds, a connection to a file waits for another
 * program's lock before it gives up (a change then fails with
 * ROSTER_ERROR_BUSY). Every connection the model layer opens (the store's,
 * a check's, a backup's, a big change's worker) starts with it;
 * roster_store_set_busy_timeout() changes it for one store. */
#define ROSTER_BUSY_TIMEOUT_MS 5000
/* The colour a category gets when none is given. */
#define ROSTER_DEFAULT_COLOR "#3584e4"

/**
 * RosterDeleteUser:
 * @ROSTER_DELETE_USER_ONLY: fail with %ROSTER_ERROR_HAS_TASKS if the user owns tasks
 * @ROSTER_DELETE_USER_AND_TASKS: delete the user's tasks (and their tags) too
 * @ROSTER_DELETE_USER_MOVE_TASKS: give the user's tasks to another user first
 */
typedef enum
{
  ROSTER_DELETE_USER_ONLY,
  ROSTER_DELETE_USER_AND_TASKS,
  ROSTER_DELETE_USER_MOVE_TASKS,
} RosterDeleteUser;

/**
 * RosterOpenFlags:
 * @ROSTER_OPEN_DEFAULT: read and write, creating the file when missing
 * @ROSTER_OPEN_READ_ONLY: never write to the file (nor create or migrate it)
 * @ROSTER_OPEN_IF_READY: fail with %ROSTER_ERROR_NEEDS_PREPARING, writing
 *   nothing, when the file must first be prepared for this version (see
 *   roster_store_open_async())
 */
typedef enum
{
  ROSTER_OPEN_DEFAULT = 0,
  ROSTER_OPEN_READ_ONLY = 1 << 0,
  ROSTER_OPEN_IF_READY = 1 << 1,
} RosterOpenFlags;

#define ROSTER_TYPE_STORE (roster_store_get_type ())
G_DECLARE_FINAL_TYPE (RosterStore, roster_store, ROSTER, STORE, GObject)

/* Opening. Creates the file (0600, in a 0700 folder) when it is missing, and
 * migrates a file made by the seed's SQLModel classes in place. */
RosterStore    *roster_store_open                   (const char        *path,
                                                     GError           **error);
/* A file Roster may not write opens read-only: every change then fails with
 * ROSTER_ERROR_READ_ONLY, and roster_store_is_read_only() says so. */
RosterStore    *roster_store_open_full              (const char        *path,
                                                     RosterOpenFlags    flags,
                                                     GError           **error);
gboolean        roster_store_is_read_only           (RosterStore       *self);
/* A damaged page is found only when it is read. From then on this is set,
 * every change fails with it, and the "damaged" signal has told the window. */
const GError   *roster_store_get_damage             (RosterStore       *self);
/* Notices changes another program committed to the file (PRAGMA
 * data_version) and brings every object and list up to date. The undo
 * history is dropped then: it may no longer apply. Returns TRUE when there
 * were such changes. Called by the application on a timer and on focus. */
gboolean        roster_store_refresh                (RosterStore       *self);
/* The same, keeping the undo history, for a write the caller knows changed
 * no row the history holds (a sync that received nothing and only noted
 * what it sent). */
gboolean        roster_store_refresh_keeping_history (RosterStore      *self);
const char     *roster_store_get_path               (RosterStore       *self);
/* How long a change waits for another program's write lock before it fails
 * with ROSTER_ERROR_BUSY (ROSTER_BUSY_TIMEOUT_MS when opened). */
void            roster_store_set_busy_timeout       (RosterStore       *self,
                                                     guint              timeout_ms);
/* Rows that broke a foreign key in a file from elsewhere, found as it was
 * migrated, one sentence each. Never NULL. */
GPtrArray      *roster_store_get_problems           (RosterStore       *self);
/* The same check on demand, for any Roster file; thread-safe (its own
 * read-only connection) and slow on a large file: run it in a worker. */
GPtrArray      *roster_store_check_file             (const char        *path,
                                                     GError           **error);

/* Lookups through the identity map; (transfer full), NULL with
 * ROSTER_ERROR_NOT_FOUND when there is no such row. */
RosterUser     *roster_store_get_user               (RosterStore       *self,
                                                     gint64             id,
                                                     GError           **error);
RosterUser     *roster_store_find_user              (RosterStore       *self,
                                                     const char        *username);
RosterTask     *roster_store_get_task               (RosterStore       *self,
                                                     gint64             id,
                                                     GError           **error);
RosterCategory *roster_store_get_category           (RosterStore       *self,
                                                     gint64             id,
                                                     GError           **error);
RosterCategory *roster_store_find_category          (RosterStore       *self,
                                                     const char        *name);

/* Live relationship lists (transfer full). The same list object is returned
 * while it is alive. Users and categories are ordered by name (locale-aware),
 * tasks by position, then id. */
GListModel     *roster_store_list_users             (RosterStore       *self);
GListModel     *roster_store_list_categories        (RosterStore       *self);
GListModel     *roster_store_list_user_tasks        (RosterStore       *self,
                                                     RosterUser        *user);
GListModel     *roster_store_list_task_categories   (RosterStore       *self,
                                                     RosterTask        *task);
GListModel     *roster_store_list_category_tasks    (RosterStore       *self,
                                                     RosterCategory    *category);

/**
 * RosterSortOrder:
 * @ROSTER_SORT_MANUAL: a user's own order (position); a tag's, oldest
 *   first; a Plan view's, by due date
 * @ROSTER_SORT_DUE_DATE: by due day (tasks without one last), then oldest first
 * @ROSTER_SORT_TITLE: by title (ASCII letters without case), then oldest first
 * @ROSTER_SORT_PRIORITY: high first, then medium, low, none; then oldest first
 */
typedef enum
{
  ROSTER_SORT_MANUAL,
  ROSTER_SORT_DUE_DATE,
  ROSTER_SORT_TITLE,
  ROSTER_SORT_PRIORITY,
} RosterSortOrder;

#define ROSTER_N_SORT_ORDERS 4

/* A live list of the tasks of @list (a user's, a tag's or a Plan view's,
 * from the calls here) in @order, without the done ones when @hide_done
 * (transfer full). @list itself for ROSTER_SORT_MANUAL with every task. A
 * new object each call; the same contracts as the lists it sorts, and @list
 * keeps its own order (reordering works on it). */
GListModel     *roster_store_list_sorted            (RosterStore       *self,
                                                     GListModel        *list,
                                                     RosterSortOrder    order,
                                                     gboolean           hide_done);

/* The Plan views (transfer full; the same object while alive): the open
 * tasks of every user by due day, then id. Today: due today or earlier
 * (overdue first); Upcoming: due in the ROSTER_UPCOMING_DAYS days from today
 * on. They come from an index on due dates and follow the store's day. */
#define ROSTER_UPCOMING_DAYS 14
GListModel     *roster_store_list_today             (RosterStore       *self);
GListModel     *roster_store_list_upcoming          (RosterStore       *self);
/* The store's day ("today", a GDate Julian day, notified): the local date,
 * rolling over at local midnight (and checked again on each refresh, for a
 * computer that slept or changed time zone). roster_store_set_today() fixes
 * it to @today (for tests and the benchmark), or follows the local date
 * again with NULL; either way the Plan views gain and lose whole days of
 * tasks, without reading the rest again. */
void            roster_store_set_today              (RosterStore       *self,
                                                     const GDate       *today);
guint32         roster_store_get_today              (RosterStore       *self);

/* Users */
RosterUser     *roster_store_create_user            (RosterStore       *self,
                                                     const char        *username,
                                                     GError           **error);
gboolean        roster_store_rename_user            (RosterStore       *self,
                                                     RosterUser        *user,
                                                     const char        *username,
                                                     GError           **error);
/* @heir is used only with ROSTER_DELETE_USER_MOVE_TASKS. */
gboolean        roster_store_delete_user            (RosterStore       *self,
                                                     RosterUser        *user,
                                                     RosterDeleteUser   mode,
                                                     RosterUser        *heir,
                                                     GError           **error);

/* Tasks. A new task goes to the end of its owner's list. */
RosterTask     *roster_store_create_task            (RosterStore       *self,
                                                     RosterUser        *owner,
                                                     const char        *title,
                                                     GError           **error);
gboolean        roster_store_set_task_title         (RosterStore       *self,
                                                     RosterTask        *task,
                                                     const char        *title,
                                                     GError           **error);
/* Marking a repeating task done moves it to its next due date instead, open,
 * while its rule has one (roster-recurrence.h). */
gboolean        roster_store_set_task_done          (RosterStore       *self,
                                                     RosterTask        *task,
                                                     gboolean           done,
                                                     GError           **error);
gboolean        roster_store_set_task_notes         (RosterStore       *self,
                                                     RosterTask        *task,
                                                     const char        *notes,
                                                     GError           **error);
/* Only the date of @due_date counts; NULL clears it. */
gboolean        roster_store_set_task_due_date      (RosterStore       *self,
                                                     RosterTask        *task,
                                                     GDateTime         *due_date,
                                                     GError           **error);
/* "HH:MM" (00:00 to 23:59), a wall-clock time on the due date; NULL or ""
 * clears it. A task without a due date cannot have one (ROSTER_ERROR_INVALID);
 * clearing the due date clears the time and the repeat rule with it. */
gboolean        roster_store_set_task_due_time      (RosterStore       *self,
                                                     RosterTask        *task,
                                                     const char        *due_time,
                                                     GError           **error);
gboolean        roster_store_set_task_priority      (RosterStore       *self,
                                                     RosterTask        *task,
                                                     RosterPriority     priority,
                                                     GError           **error);
/* The value of an RFC 5545 RRULE ("FREQ=WEEKLY;BYDAY=MO"), checked and
 * stored as roster_recurrence_normalize() writes it; NULL or "" stops the
 * task repeating. A task without a due date cannot repeat
 * (ROSTER_ERROR_INVALID). Marking a repeating task done moves its due date to
 * the next occurrence and keeps it open (roster-recurrence.h). */
gboolean        roster_store_set_task_recurrence    (RosterStore       *self,
                                                     RosterTask        *task,
                                                     const char        *rule,
                                                     GError           **error);
/* Gives @task to @owner, at the end of the new owner's list. */
gboolean        roster_store_move_task              (RosterStore       *self,
                                                     RosterTask        *task,
                                                     RosterUser        *owner,
                                                     GError           **error);
/* Moves @task to @index in its owner's list (0 is the top). */
gboolean        roster_store_reorder_task           (RosterStore       *self,
                                                     RosterTask        *task,
                                                     guint              index,
                                                     GError           **error);
gboolean        roster_store_delete_task            (RosterStore       *self,
                                                     RosterTask        *task,
                                                     GError           **error);

/* Categories. @color is "#rrggbb", or NULL for ROSTER_DEFAULT_COLOR. */
RosterCategory *roster_store_create_category        (RosterStore       *self,
                                                     const char        *name,
                                                     const char        *color,
                                                     GError           **error);
gboolean        roster_store_rename_category        (RosterStore       *self,
                                                     RosterCategory    *category,
                                                     const char        *name,
                                                     GError           **error);
gboolean        roster_store_set_category_color     (RosterStore       *self,
                                                     RosterCategory    *category,
                                                     const char        *color,
                                                     GError           **error);
gboolean        roster_store_delete_category        (RosterStore       *self,
                                                     RosterCategory    *category,
                                                     GError           **error);

/* Tags. Tagging a task twice, or untagging an untagged one, succeeds and
 * changes nothing (and records nothing to undo). */
gboolean        roster_store_tag_task               (RosterStore       *self,
                                                     RosterTask        *task,
                                                     RosterCategory    *category,
                                                     GError           **error);
gboolean        roster_store_untag_task             (RosterStore       *self,
                                                     RosterTask        *task,
                                                     RosterCategory    *category,
                                                     GError           **error);

/* Batches: every change between begin and commit is one transaction, one undo
 * step and one items-changed per list. A change that fails inside a batch is
 * undone alone; the batch goes on. @label names the step ("Import"). Objects a
 * batch creates exist at once, but lists show them after the commit. */
void            roster_store_begin_batch            (RosterStore       *self,
                                                     const char        *label);
gboolean        roster_store_commit_batch           (RosterStore       *self,
                                                     GError           **error);
void            roster_store_rollback_batch         (RosterStore       *self);

/* Find: the tasks whose title or notes contain @text, case and accents
 * ignored, oldest first, at most @limit of them; @more (optional) says
 * whether there were more. (transfer full) (element-type RosterTask) */
GPtrArray      *roster_store_find_tasks             (RosterStore       *self,
                                                     const char        *text,
                                                     guint              limit,
                                                     gboolean          *more,
                                                     GError           **error);

/* Big changes: a user with thousands of tasks is deleted, and such a step
 * undone or redone, in a worker thread. Meanwhile "working" is TRUE,
 * "progress" (0 to 1, notified as it goes) says how far it got, lists and
 * objects can be read, and every change fails with ROSTER_ERROR_BUSY.
 * Small ones complete as the synchronous calls do. */
void            roster_store_delete_user_async      (RosterStore         *self,
                                                     RosterUser          *user,
                                                     RosterDeleteUser     mode,
                                                     RosterUser          *heir,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean        roster_store_delete_user_finish     (RosterStore         *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void            roster_store_undo_async             (RosterStore         *self,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean        roster_store_undo_finish            (RosterStore         *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void            roster_store_redo_async             (RosterStore         *self,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean        roster_store_redo_finish            (RosterStore         *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
gboolean        roster_store_get_working            (RosterStore         *self);
double          roster_store_get_progress           (RosterStore         *self);

/* History. Properties "can-undo", "can-redo", "undo-label" and "redo-label"
 * follow it. */
gboolean        roster_store_undo                   (RosterStore       *self,
                                                     GError           **error);
gboolean        roster_store_redo                   (RosterStore       *self,
                                                     GError           **error);
gboolean        roster_store_get_can_undo           (RosterStore       *self);
gboolean        roster_store_get_can_redo           (RosterStore       *self);
/* What undo or redo would do, for a person: "Delete “Alice”"; NULL when nothing. */
const char     *roster_store_get_undo_label         (RosterStore       *self);
const char     *roster_store_get_redo_label         (RosterStore       *self);

G_END_DECLS
