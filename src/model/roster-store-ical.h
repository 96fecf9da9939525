/* roster-store-ical.h: what the iCalendar module asks of the store.
 *
 * The import and the export (roster-ical-import.c, roster-ical-export.c,
 * roster-csv.c) never run SQL of their own: they read and write through
 * these functions, which run on the store's connection, inside the batch an
 * import runs in, so that undo, reflect() and the lists stay right. Private
 * to the model layer.
 */
#pragma once

#include "roster-store-private.h"

G_BEGIN_DECLS

/* One task as an import writes it. Strings are borrowed. */
typedef struct
{
  gint64              task_id;       /* the task the UID names, or 0 to create one */
  gint64              owner_id;      /* its owner from now on */
  const char         *uid;
  const char         *title;
  const char         *notes;
  gboolean            done;
  const char         *due_date;      /* "YYYY-MM-DD" or NULL */
  const char         *due_time;      /* "HH:MM" or NULL */
  int                 priority;      /* a RosterPriority */
  const char         *recurrence;    /* an RRULE's value, "" (or NULL) for none */
  gboolean            has_position;  /* else: a new task goes to the end of its list */
  gint64              position;
  const gint64       *category_ids;  /* its tags, exactly these */
  const char * const *tag_names;     /* their names, sorted with strcmp() */
  guint               n_tags;
  const char         *vtodo;         /* see RosterIcalRecord */
  const char         *vtimezones;
  const char         *digest;        /* _roster_ical_digest() of the above with
                                      * @position, made by the caller; or NULL */
  GHashTable         *added;         /* (gint64 *) tag id → (guint *) links added,
                                      * for _roster_store_ical_supply_uids(), or NULL */
} RosterIcalPut;

/* One task as an export reads it. Strings are valid during the callback only. */
typedef struct
{
  gint64      id;
  const char *title;
  const char *owner;
  gboolean    done;
  const char *notes;
  const char *due_date;      /* "YYYY-MM-DD" or NULL */
  const char *due_time;      /* "HH:MM" or NULL */
  int         priority;
  const char *recurrence;    /* "" when it does not repeat */
  gint64      position;
  const char *uid;           /* NULL for a task whose roster_ical row is missing */
  const char *vtodo;         /* NULL when none was stored */
  const char *vtimezones;
  const char *digest;
  const char * const *tags;  /* its tags' names, sorted with strcmp() */
  guint       n_tags;
} RosterIcalRow;

typedef gboolean (*RosterIcalRowFunc) (const RosterIcalRow  *row,
                                       gpointer              data,
                                       GError              **error);

/* The task that has @uid (0 when none), and its owner's id. */
gint64      _roster_store_ical_find_task      (RosterStore          *self,
                                               const char           *uid,
                                               gint64               *owner_id,
                                               GError              **error);
/* In the batch under way (an import is one): whether the tasks and links
 * it inserts from now on get their UIDs and their tags' counts from the
 * import only, not from the triggers (schema version 4). TRUE after
 * roster_store_begin_batch(), with @added NULL; FALSE again before
 * roster_store_commit_batch(), with @added the links the puts added, which
 * go into the counts then. A rollback forgets it. */
gboolean    _roster_store_ical_supply_uids    (RosterStore          *self,
                                               gboolean              supplied,
                                               GHashTable           *added,
                                               GError              **error);
/* Makes sure the count row of tag @category_id is there while the import
 * keeps its counts (a link deleted meanwhile lowers it). */
gboolean    _roster_store_ical_count_row      (RosterStore          *self,
                                               gint64                category_id,
                                               GError              **error);
/* Creates or updates one task, its tags and its roster_ical row, in the
 * batch under way (an import is one). */
gboolean    _roster_store_ical_put            (RosterStore          *self,
                                               const RosterIcalPut  *put,
                                               GError              **error);
/* Calls @func for the tasks of @user, or of @category, or (both NULL) for
 * every task: by owner, then in list order. Stops at the first FALSE (@func
 * set @error). */
gboolean    _roster_store_ical_read_tasks     (RosterStore          *self,
                                               RosterUser           *user,
                                               RosterCategory       *category,
                                               RosterIcalRowFunc     func,
                                               gpointer              data,
                                               GError              **error);

/* What a stored VTODO was made from: a digest of a task's fields (not its
 * owner), with @tag_names sorted. An export whose task still has the digest
 * of its stored VTODO writes that VTODO as it is. */
char       *_roster_ical_digest               (const char           *title,
                                               const char           *notes,
                                               gboolean              done,
                                               const char           *due_date,
                                               const char           *due_time,
                                               int                   priority,
                                               const char           *recurrence,
                                               gint64                position,
                                               const char * const   *tag_names,
                                               guint                 n_tags);

G_END_DECLS
