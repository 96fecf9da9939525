/* roster-sync-state-private.h: what the two files of the sync state
 * (roster-sync-state.c, roster-sync-state-apply.c) share, and nobody else.
 */
#pragma once

#include <libical/ical.h>

#include "roster-store-parts.h"
#include "roster-sync-state.h"

G_BEGIN_DECLS

/* What the SQL of the sync files shares: a column's text (owned), binding
 * text or NULL, the end of a SELECT loop (@rc from its last step; it
 * resets @s), and a write transaction of its own (not inside a batch). */
char       *_roster_sync_column_text    (sqlite3_stmt  *s,
                                         int            i);
void        _roster_sync_bind_text      (sqlite3_stmt  *s,
                                         int            i,
                                         const char    *text);
gboolean    _roster_sync_finish_rows    (RosterStore   *store,
                                         sqlite3_stmt  *s,
                                         int            rc,
                                         GError       **error);
gboolean    _roster_sync_begin_write    (RosterStore   *store,
                                         GError       **error);
gboolean    _roster_sync_end_write      (RosterStore   *store,
                                         gboolean       ok,
                                         GError       **error);
/* Steps @s (bound, from _roster_store_stmt()) once and resets it; FALSE
 * with @error set unless it ran to SQLITE_DONE. */
gboolean    _roster_sync_step_done      (RosterStore   *store,
                                         sqlite3_stmt  *s,
                                         GError       **error);
/* The VCALENDAR to send for @task_id: @base (or the task's stored VTODO,
 * or a new one) patched with the task's fields now; NULL with @error set
 * when the task is gone. */
char       *_roster_sync_task_ical      (RosterStore   *store,
                                         gint64         task_id,
                                         const char    *base,
                                         GError       **error);
/* The VTODO of the series in @calendar (the one without a RECURRENCE-ID),
 * or the first; NULL when it has none. */
icalcomponent *_roster_sync_series     (icalcomponent *calendar);
/* Whether an edit of the task or list waits in the outbox. */
/* SQL: the roster_sync_sent row `s` is of a task that is gone (or that is
 * another task now: ids can come back). */
#define ROSTER_SYNC_SENT_TASK_GONE \
  "(s.task_id NOT IN (SELECT id FROM task) OR NOT EXISTS (SELECT 1 FROM roster_ical AS i " \
  "WHERE i.task_id = s.task_id AND i.uid = s.uid))"

gboolean    _roster_sync_is_pending     (RosterStore   *store,
                                         int            kind,
                                         gint64         object_id);

G_END_DECLS
