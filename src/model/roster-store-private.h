/* roster-store-private.h: what the model layer's files share and nobody else sees.
 *
 * The objects are created and updated only by the store (after a commit), so
 * their setters live here, not in the public headers.
 */
#pragma once

#include <sqlite3.h>

#include "roster-store.h"

G_BEGIN_DECLS

/* One row of each table, as the store reads and writes it: a record, not a
 * widget (the rows of the window's lists are RosterTaskRow, RosterSidebarRow).
 * Strings are owned. */
typedef struct
{
  gint64  id;
  char   *username;
} RosterUserRecord;

typedef struct
{
  gint64    id;
  char     *title;
  gint64    owner_id;
  gboolean  done;
  char     *notes;
  char     *due_date;  /* "YYYY-MM-DD" or NULL */
  gint64    position;
  char     *due_time;   /* "HH:MM" (floating: local wall-clock time) or NULL */
  int       priority;   /* a RosterPriority */
  char     *recurrence; /* an RRULE's value; NULL when it does not repeat (the
                         * column's ''): no allocation for most tasks */
} RosterTaskRecord;

typedef struct
{
  gint64  id;
  char   *name;
  char   *color;
} RosterCategoryRecord;

/* A task's row of roster_ical: the UID it keeps for good, and the last
 * VTODO seen for it (see roster-store-ical.c). Keyed by the task's id. */
typedef struct
{
  gint64  task_id;
  char   *uid;
  char   *vtodo;       /* the VTODO and its overrides, as libical wrote them; or NULL */
  char   *vtimezones;  /* the VTIMEZONEs they name; or NULL */
  char   *digest;      /* the task's fields when @vtodo was stored (_roster_ical_digest()) */
} RosterIcalRecord;

void        roster_user_record_clear      (RosterUserRecord        *row);
void        roster_task_record_clear      (RosterTaskRecord        *row);
void        roster_category_record_clear  (RosterCategoryRecord    *row);
void        roster_ical_record_clear      (RosterIcalRecord        *row);
void        roster_ical_record_free       (gpointer                    row);
void        roster_task_record_free       (gpointer                    row);
void        roster_user_record_copy       (RosterUserRecord        *dest,
                                           const RosterUserRecord  *src);
void        roster_task_record_copy       (RosterTaskRecord        *dest,
                                           const RosterTaskRecord  *src);
void        roster_category_record_copy   (RosterCategoryRecord    *dest,
                                           const RosterCategoryRecord *src);
void        roster_ical_record_copy       (RosterIcalRecord        *dest,
                                           const RosterIcalRecord  *src);

/* Objects: created from a row, refreshed from a row (notifying what changed). */
RosterUser     *_roster_user_new             (RosterStore             *store,
                                              const RosterUserRecord  *row);
void            _roster_user_apply_row       (RosterUser              *self,
                                              const RosterUserRecord  *row);
const char     *_roster_user_get_sort_key    (RosterUser              *self);
/* Counts are loaded on first read; afterwards the store keeps them current.
 * A delta on an unloaded count does nothing. */
void            _roster_user_adjust_counts   (RosterUser              *self,
                                              int                      d_tasks,
                                              int                      d_open);
void            _roster_user_forget_counts   (RosterUser              *self);
void            _roster_user_detach          (RosterUser              *self);

RosterTask     *_roster_task_new             (RosterStore             *store,
                                              const RosterTaskRecord  *row,
                                              RosterUser              *owner);
RosterTask     *_roster_task_new_take        (RosterStore             *store,
                                              RosterTaskRecord        *row,
                                              RosterUser              *owner);
void            _roster_task_apply_row       (RosterTask              *self,
                                              const RosterTaskRecord  *row,
                                              RosterUser              *owner);
gint64         *_roster_task_get_id_ptr      (RosterTask              *self);
/* A task in the identity map points back at its store, and leaves the map
 * when it is disposed; detached, it no longer does. */
void            _roster_task_attach          (RosterTask              *self,
                                              RosterStore             *store);
void            _roster_task_detach          (RosterTask              *self);
void            _roster_store_forget_task    (RosterStore             *self,
                                              RosterTask              *task);

RosterCategory *_roster_category_new         (RosterStore             *store,
                                              const RosterCategoryRecord *row);
void            _roster_category_apply_row   (RosterCategory          *self,
                                              const RosterCategoryRecord *row);
const char     *_roster_category_get_sort_key (RosterCategory         *self);
void            _roster_category_adjust_count (RosterCategory         *self,
                                               int                     d_tasks);
void            _roster_category_forget_count (RosterCategory         *self);
void            _roster_category_detach      (RosterCategory          *self);

/* Counting on behalf of the objects' lazy count properties. */
gboolean        _roster_store_count_user_tasks     (RosterStore *self,
                                                    gint64       user_id,
                                                    guint       *n_tasks,
                                                    guint       *n_open);
gboolean        _roster_store_count_category_tasks (RosterStore *self,
                                                    gint64       category_id,
                                                    guint       *n_tasks);

/* Whether @text (UTF-8, or NULL) is empty or only white space: what the
 * store refuses as a title or a name. */
gboolean        _roster_text_is_blank        (const char              *text);

/* Whether @text is a due_time value, "HH:MM" from 00:00 to 23:59; sets
 * *hour and *minute when it is. */
gboolean        _roster_time_parse           (const char              *text,
                                              int                     *hour,
                                              int                     *minute);
/* The same, FALSE with ROSTER_ERROR_INVALID and a sentence naming @text. */
gboolean        _roster_time_check           (const char              *text,
                                              GError                 **error);

/* Parse and format the due date column. */
GDateTime      *_roster_date_from_string     (const char              *text);
char           *_roster_date_to_string       (GDateTime               *date);

/* roster-schema.c: opens, checks and migrates a file. *read_only is set when
 * the file could only be opened for reading. */
sqlite3        *_roster_schema_open          (const char              *path,
                                              RosterOpenFlags          flags,
                                              GPtrArray               *problems,
                                              gboolean                *read_only,
                                              GError                 **error);
/* roster-backup.c: a backup named "<file>-<what>" from an open connection.
 * @progress (may be NULL) is called with the fraction copied after each
 * step; returning FALSE (with @error set) stops the backup. */
typedef gboolean (*RosterBackupProgress) (double    fraction,
                                          gpointer  data,
                                          GError  **error);
gboolean        _roster_backup_from_connection (sqlite3               *db,
                                                const char            *db_path,
                                                const char            *what,
                                                RosterBackupProgress   progress,
                                                gpointer               progress_data,
                                                GError               **error);
/* For tests and the benchmark: brings Find's whole index up to date now
 * (the store otherwise does it a little at a time when the main loop is idle). */
gboolean        _roster_store_find_catch_up_all (RosterStore          *self,
                                                GError              **error);
/* Reminders (roster-store-reminders.c): a moment is "YYYY-MM-DD HH:MM", an
 * open task's due time on its due date. The first moment after @after (or
 * NULL), and the tasks whose moment is in (@after, @until], by moment then id,
 * at most @limit (element-type RosterTask). */
char           *_roster_store_next_reminder  (RosterStore             *self,
                                              const char              *after);
GPtrArray      *_roster_store_read_reminders (RosterStore             *self,
                                              const char              *after,
                                              const char              *until,
                                              guint                    limit,
                                              GError                 **error);
/* For tests: the store's own connection. */
sqlite3        *_roster_store_get_db         (RosterStore             *self);
/* Turns a failed SQLite call into a RosterError a person can read. */
void            _roster_set_sqlite_error     (GError                 **error,
                                              sqlite3                 *db,
                                              int                      rc);

/* What PRAGMA quick_check (reading every page of a file) found. */
typedef enum
{
  ROSTER_PAGES_SOUND,
  ROSTER_PAGES_DAMAGED,
  ROSTER_PAGES_UNREAD,   /* the check could not run (a lock, an I/O error,
                          * an interrupt): no verdict; @rc says why */
} RosterPages;

RosterPages     _roster_check_pages          (sqlite3                 *db,
                                              int                     *rc);

G_END_DECLS
