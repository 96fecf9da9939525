/* roster-store-parts.h: what the files of RosterStore share, and nobody else.
 *
 * RosterStore is one class written in several files, roster-store*.c, one job
 * each (HACKING.md has the table). They, and roster-list-sql.c (the SQL behind
 * the store's lists), share its struct and the functions below; nothing else
 * includes this header. The rest of the model layer uses
 * roster-store-private.h, the application roster-store.h.
 */
#pragma once

#include "roster-change.h"
#include "roster-list.h"
#include "roster-store-private.h"

G_BEGIN_DECLS

typedef struct _RosterStoreCheck RosterStoreCheck;

struct _RosterStore
{
  GObject       parent_instance;

  char         *path;
  sqlite3      *db;
  GHashTable   *statements;        /* SQL string constant (by address) → sqlite3_stmt */
  GPtrArray    *problems;

  GHashTable   *users;             /* gint64 * → RosterUser (owned) */
  GHashTable   *categories;        /* gint64 * → RosterCategory (owned) */
  GHashTable   *tasks;             /* gint64 * (inside the task) → RosterTask (weak) */

  RosterList   *users_list;        /* weak */
  RosterList   *categories_list;   /* weak */
  GHashTable   *user_task_lists;   /* gint64 * → RosterList (weak) */
  GHashTable   *task_category_lists;
  GHashTable   *category_task_lists;
  GPtrArray    *sorted_lists;      /* RosterList (weak): roster_store_list_sorted()'s */
  RosterList   *today_list;        /* weak */
  RosterList   *upcoming_list;     /* weak */
  guint32       today;             /* the Plan views' day (Julian) */
  gboolean      today_fixed;       /* set by roster_store_set_today() */
  guint         midnight_timeout;  /* rolls the day over */
  GPtrArray    *touched;           /* lists changed by the reflect under way */
  gboolean      reflect_reloads;   /* ...which it reads again rather than edits */

  GQueue        undo;              /* RosterChange *, most recent first */
  GQueue        redo;

  gboolean      read_only;
  GError       *damage;            /* set when a read found the file damaged */
  guint         damage_idle;
  gint64        data_version;      /* PRAGMA data_version after our last look */
  gboolean      reading;           /* a read transaction of ours is open */
  guint         reading_idle;      /* ends it once the main loop is idle */
  guint         find_idle;         /* brings Find's index up to date */
  guint         busy_timeout_ms;   /* how long a change waits for a lock */
  /* The thread-default main context where the store was opened: its idles
   * and timeouts run there, so that a store opened in a worker thread (the
   * window's sync) is only ever used by that thread. */
  GMainContext *context;
  RosterStoreCheck *check;         /* the check of every page, while it runs */

  GTask        *work;              /* a big change running in a worker thread */
  gint          work_permille;     /* its progress (atomic: the worker writes it) */
  guint         work_timeout;      /* notifies "progress" while it runs */
  char         *work_label;        /* what it does, for a person */

  RosterChange *batch;
  GHashTable   *batch_positions;   /* owner id → last task position, within a batch */
  GError       *batch_error;
  gboolean      batch_broken;      /* a failed change in the batch could not be taken back */
};

/* The store's properties (see roster-store.h), for _roster_store_notify(). */
enum {
  PROP_0,
  PROP_PATH,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_UNDO_LABEL,
  PROP_REDO_LABEL,
  PROP_WORKING,
  PROP_PROGRESS,
  PROP_TODAY,
  N_PROPS
};

/* The columns of a task row, in the order _roster_read_task_columns() reads. */
#define ROSTER_TASK_COLUMNS "id, title, owner_id, done, notes, due_date, position, due_time, priority, recurrence"
/* Room left between neighbouring task positions, so that a reorder usually
 * touches one row. */
#define ROSTER_POSITION_STEP 1024

/* ------------------------------------------------------------------------ */
/* The object, reading, and running a change (roster-store.c)                */

void            _roster_store_notify                 (RosterStore        *self,
                                                      guint               prop);
/* Emits "changed": the objects and lists follow the file again. */
void            _roster_store_emit_changed           (RosterStore        *self);
/* A prepared statement of the store's connection (see roster_statement()). */
sqlite3_stmt   *_roster_store_stmt                   (RosterStore        *self,
                                                      const char         *sql);
/* Reads share one read transaction until the main loop goes idle, the next
 * write or a refresh; a write ends it first. */
void            _roster_store_begin_read             (RosterStore        *self);
void            _roster_store_end_read               (RosterStore        *self);
/* Notes a read that found the file damaged (any other @rc is ignored). */
void            _roster_store_note_failure           (RosterStore        *self,
                                                      int                 rc);
gint64          _roster_store_read_data_version      (RosterStore        *self);
void            _roster_store_schedule_find_catch_up (RosterStore        *self);

/* A build function records a change's row operations in @change and runs
 * them (see _roster_store_run_change()); @data is the mutation's own. */
typedef gboolean (*RosterBuildFunc) (RosterStore   *self,
                                     RosterChange  *change,
                                     gpointer       data,
                                     GError       **error);

/* Fails as a change must when the file is damaged, busy with a big change,
 * or read-only. */
gboolean        _roster_store_check_writable         (RosterStore        *self,
                                                      GError            **error);
/* Runs one statement without results ("BEGIN IMMEDIATE", "COMMIT"). */
gboolean        _roster_store_exec                   (RosterStore        *self,
                                                      const char         *sql,
                                                      GError            **error);
void            _roster_store_rollback               (RosterStore        *self);
/* Sets @error for an op (or a read for one) that failed with @rc; returns
 * FALSE for SQLITE_OK. */
gboolean        _roster_store_op_failed              (RosterStore        *self,
                                                      int                 rc,
                                                      GError            **error);
/* Runs @build in a transaction of its own (or in the batch under way), then
 * reflects the change and puts it on the undo stack. */
gboolean        _roster_store_run_change             (RosterStore        *self,
                                                      const char         *label,
                                                      RosterBuildFunc     build,
                                                      gpointer            data,
                                                      GError            **error);

/* ------------------------------------------------------------------------ */
/* Reading every page once, before the first write (roster-store-check.c)    */

void            _roster_store_start_check            (RosterStore        *self);
void            _roster_store_wait_for_check         (RosterStore        *self);
void            _roster_store_stop_check             (RosterStore        *self);
/* A callback on @context after @interval_ms (0: when idle); its id there. */
guint           _roster_store_add_source             (GMainContext       *context,
                                                      gint                priority,
                                                      guint               interval_ms,
                                                      GSourceFunc         func,
                                                      gpointer            data,
                                                      GDestroyNotify      notify);
/* Removes the source *@id of @context, if any, and sets *@id to 0. */
void            _roster_store_clear_source           (GMainContext       *context,
                                                      guint              *id);

/* ------------------------------------------------------------------------ */
/* The identity map (roster-store-objects.c)                                 */

/* A new key for the store's tables keyed by gint64. */
gint64         *_roster_key_new                      (gint64              id);
/* Reads a row selected as ROSTER_TASK_COLUMNS. */
void            _roster_read_task_columns            (sqlite3_stmt       *s,
                                                      RosterTaskRecord   *row);
/* Reading one row: SQLITE_ROW when found, SQLITE_DONE when not, or an error.
 * _roster_read_user() reads through any connection, the others through the
 * store's. */
int             _roster_read_user                    (sqlite3            *db,
                                                      GHashTable         *statements,
                                                      gint64              id,
                                                      RosterUserRecord   *row);
int             _roster_store_read_user_row          (RosterStore        *self,
                                                      gint64              id,
                                                      RosterUserRecord   *row);
int             _roster_store_read_task_row          (RosterStore        *self,
                                                      gint64              id,
                                                      RosterTaskRecord   *row);
int             _roster_store_read_category_row      (RosterStore        *self,
                                                      gint64              id,
                                                      RosterCategoryRecord  *row);
/* (transfer none) The object in memory, or NULL. */
RosterUser     *_roster_store_lookup_user            (RosterStore        *self,
                                                      gint64              id);
RosterCategory *_roster_store_lookup_category        (RosterStore        *self,
                                                      gint64              id);
RosterTask     *_roster_store_lookup_task            (RosterStore        *self,
                                                      gint64              id);
/* (transfer none) A new object for @row, into the map. */
RosterUser     *_roster_store_add_user               (RosterStore        *self,
                                                      const RosterUserRecord *row);
RosterCategory *_roster_store_add_category           (RosterStore        *self,
                                                      const RosterCategoryRecord *row);
/* (transfer none) The object, read from the file if not in memory yet. */
RosterUser     *_roster_store_ensure_user            (RosterStore        *self,
                                                      gint64              id,
                                                      GError            **error);
RosterCategory *_roster_store_ensure_category        (RosterStore        *self,
                                                      gint64              id,
                                                      GError            **error);
void            _roster_store_map_task               (RosterStore        *self,
                                                      RosterTask         *task);
void            _roster_store_unmap_task             (RosterStore        *self,
                                                      RosterTask         *task);
/* (transfer full) The task object for @row: the one in memory, or a new one
 * (the _take variant takes the row's strings and clears it). */
RosterTask     *_roster_store_task_from_row          (RosterStore        *self,
                                                      const RosterTaskRecord *row);
RosterTask     *_roster_store_task_from_row_take     (RosterStore        *self,
                                                      RosterTaskRecord   *row);
/* Whether the object is the one the store has for its row (it was not
 * deleted); sets ROSTER_ERROR_NOT_FOUND when not. */
gboolean        _roster_store_user_is_live           (RosterStore        *self,
                                                      RosterUser         *user,
                                                      GError            **error);
gboolean        _roster_store_task_is_live           (RosterStore        *self,
                                                      RosterTask         *task,
                                                      GError            **error);
gboolean        _roster_store_category_is_live       (RosterStore        *self,
                                                      RosterCategory     *category,
                                                      GError            **error);
/* Re-reads every object in memory; those whose row is gone leave the map. */
void            _roster_store_refresh_objects        (RosterStore        *self);

/* ------------------------------------------------------------------------ */
/* What the mutations share (roster-store-mutations.c, roster-store-tasks.c) */

/* What a public mutation hands its build function. */
typedef struct
{
  RosterUser       *user;
  RosterTask       *task;
  RosterCategory   *category;
  RosterUser       *other;     /* an heir, a new owner */
  const char       *text;
  const char       *color;
  gint64            number;
  RosterDeleteUser  mode;
} RosterBuildArgs;

typedef enum
{
  ROSTER_TEXT_USERNAME,
  ROSTER_TEXT_TITLE,
  ROSTER_TEXT_CATEGORY,
  ROSTER_TEXT_NOTES,
} RosterTextKind;

/* Refuses text that is not UTF-8, or (but for notes) blank. */
gboolean        _roster_check_text                   (const char         *text,
                                                      RosterTextKind      kind,
                                                      GError            **error);
/* The undo label of a change: @format (marked with N_()) with the short form
 * of @a (and @b); NULL inside a batch. */
char           *_roster_store_describe               (RosterStore        *self,
                                                      const char         *format,
                                                      const char         *a,
                                                      const char         *b);
/* Records an op in @change (taking its rows) and runs it at once; on a
 * failure the op is dropped again. Returns the SQLite result code. */
int             _roster_store_run_new_op             (RosterStore        *self,
                                                      RosterChange       *change,
                                                      RosterOpKind        kind,
                                                      RosterTable         table,
                                                      gpointer            a,
                                                      gpointer            b);
/* The same for a link. */
int             _roster_store_run_new_link           (RosterStore        *self,
                                                      RosterChange       *change,
                                                      RosterOpKind        kind,
                                                      gint64              task_id,
                                                      gint64              category_id);
gpointer        _roster_store_last_inserted_row      (RosterStore        *self,
                                                      RosterChange       *change,
                                                      RosterTable         table);
gpointer        _roster_store_read_row               (RosterStore        *self,
                                                      RosterTable         table,
                                                      gint64              id,
                                                      GError            **error);
gboolean        _roster_store_delete_row             (RosterStore        *self,
                                                      RosterChange       *change,
                                                      RosterTable         table,
                                                      gint64              id,
                                                      GError            **error);
gboolean        _roster_store_delete_links           (RosterStore        *self,
                                                      RosterChange       *change,
                                                      gboolean            of_task,
                                                      gint64              id,
                                                      GError            **error);
/* Records deleting a user, on the store's connection or a worker's. */
int             _roster_build_delete_user            (sqlite3            *db,
                                                      GHashTable         *statements,
                                                      RosterChange       *change,
                                                      gint64              user_id,
                                                      RosterDeleteUser    mode,
                                                      gint64              heir_id,
                                                      guint              *n_tasks);

/* Task positions. */
gint64          _roster_store_next_position          (RosterStore        *self,
                                                      gint64              owner_id);
gint64          _roster_max_position                 (sqlite3            *db,
                                                      GHashTable         *statements,
                                                      gint64              owner_id);
int             _roster_read_owned_tasks             (sqlite3            *db,
                                                      GHashTable         *statements,
                                                      gint64              owner_id,
                                                      GPtrArray          *rows);
void            _roster_store_forget_positions       (RosterStore        *self);

/* Commits the batch under way; one not @undoable (the changes sync received)
 * is reflected, then the undo history is dropped instead of growing. */
gboolean        _roster_store_commit_batch_full      (RosterStore        *self,
                                                      gboolean            undoable,
                                                      GError            **error);

/* ------------------------------------------------------------------------ */
/* A task's UID and last VTODO (roster-store-ical.c)                          */

/* After a task's insert: records (without running it again) the roster_ical
 * row the insert's trigger made, so that undo and redo keep its UID. */
gboolean        _roster_store_keep_new_ical          (RosterStore        *self,
                                                      RosterChange       *change,
                                                      gint64              task_id,
                                                      GError            **error);
/* Before a task's delete: records and runs the deletion of its row. */
gboolean        _roster_store_delete_ical            (RosterStore        *self,
                                                      RosterChange       *change,
                                                      gint64              task_id,
                                                      GError            **error);
/* Records (runs none of) the deletion of the rows of @user_id's tasks,
 * through @db; SQLITE_DONE or the error. */
int             _roster_record_delete_user_icals     (sqlite3            *db,
                                                      GHashTable         *statements,
                                                      RosterChange       *change,
                                                      gint64              user_id);

/* ------------------------------------------------------------------------ */
/* Reflecting a commit (roster-store-reflect.c)                              */

/* Brings objects and lists up to date with @change, just committed. */
void            _roster_store_reflect                (RosterStore        *self,
                                                      RosterChange       *change,
                                                      gboolean            forward,
                                                      gboolean            counts);
/* Every list read again from the file. */
void            _roster_store_reload_all_lists       (RosterStore        *self);
/* Marks @list (if loaded) as changed by the reflect or roll-over under way,
 * and returns it; NULL when nobody has read it. */
RosterList     *_roster_store_touch_list             (RosterStore        *self,
                                                      RosterList         *list);
/* Ends the change of every list touched, each emitting one items-changed. */
void            _roster_store_finish_touched         (RosterStore        *self);

/* ------------------------------------------------------------------------ */
/* The Plan views and the store's day (roster-store-plan.c)                  */

/* Called by the reflect of a task's row (@prev or @row NULL for an insert
 * or a delete): moves it in and out of the Plan views. */
void            _roster_store_plan_reflect_task      (RosterStore        *self,
                                                      const RosterTaskRecord *prev,
                                                      const RosterTaskRecord *row);
/* ------------------------------------------------------------------------ */
/* Sorted lists (roster-store-sorted.c)                                      */

/* Called by the reflect of a task's row (@prev or @row NULL for an insert
 * or a delete) and of a link: places the task in every sorted list. */
void            _roster_store_sorted_reflect_task    (RosterStore        *self,
                                                      const RosterTaskRecord *prev,
                                                      const RosterTaskRecord *row);
void            _roster_store_sorted_reflect_link    (RosterStore        *self,
                                                      gint64              task_id,
                                                      gint64              category_id,
                                                      gboolean            insert);

/* Rolls the day over when the local date changed (roster_store_refresh(),
 * the midnight timer). */
void            _roster_store_plan_check_day         (RosterStore        *self);
void            _roster_store_plan_dispose           (RosterStore        *self);

/* ------------------------------------------------------------------------ */
/* History (roster-store-history.c)                                          */

void            _roster_store_push_undo              (RosterStore        *self,
                                                      RosterChange       *change);
gboolean        _roster_store_replay                 (RosterStore        *self,
                                                      gboolean            forward,
                                                      GError            **error);
void            _roster_store_finish_replay          (RosterStore        *self,
                                                      gboolean            forward);
void            _roster_store_forget_history         (RosterStore        *self);
void            _roster_store_dispose_history        (RosterStore        *self);

G_END_DECLS
