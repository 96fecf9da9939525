/* roster-sync-merge.h: the pure decisions of CalDAV sync, with no store and
 * no network: the three-way merge of a VTODO (roster-sync-merge.c) and the
 * deletion-safety rule. Private to the model layer; the engine and
 * roster-sync-state-apply.c call them. Only model files include libical.
 */
#pragma once

#include <glib.h>
#include <libical/ical.h>

G_BEGIN_DECLS

/* A property changed on both sides to different values: the server's value
 * was kept. Values are text as a person wrote it (SUMMARY, DESCRIPTION), or
 * as iCalendar writes it (STATUS "COMPLETED", DUE "20240601"); several
 * CATEGORIES or the properties of a group are joined with ", "; "" is a
 * property removed on that side. roster_sync_conflict_restore()
 * (roster-sync-state.h) puts the local value back. */
typedef struct
{
  char   *property;      /* "SUMMARY", "DESCRIPTION", "STATUS", "DUE", … */
  char   *local_value;
  char   *server_value;
  gint64  task_id;       /* the task, once applied (0 from roster_sync_merge()) */
} RosterSyncConflict;

void           roster_sync_conflict_free   (gpointer conflict);

/* The result of roster_sync_merge(). */
typedef struct
{
  icalcomponent *merged;         /* (owned) a new VTODO */
  GPtrArray     *conflicts;      /* (element-type RosterSyncConflict) */
  gboolean       local_changed;  /* the merged VTODO differs from @remote: send it */
  gboolean       remote_changed; /* it differs from @local: the task changes here */
} RosterSyncMerge;

void           roster_sync_merge_clear     (RosterSyncMerge *merge);

/* Merges three versions of one VTODO, property by property:
 *
 * - SUMMARY, DESCRIPTION, DUE, DTSTART, PRIORITY, RRULE, the done group
 *   (STATUS, COMPLETED, PERCENT-COMPLETE, as one) and X-APPLE-SORT-ORDER:
 *   changed on one side only (against @base) -> that side's; on both, to
 *   different values -> the server's, and a RosterSyncConflict (but for the
 *   sort order, which people do not see as a value); on both, to the same
 *   value -> the server's, with no conflict. The same value is the same
 *   text for SUMMARY and DESCRIPTION (whatever their parameters), the same
 *   STATUS for the done group (both sides marked it done: the server's
 *   COMPLETED and PERCENT-COMPLETE), and the same property otherwise;
 * - CATEGORIES, value by value: the server's set, plus what was added here,
 *   minus what was removed here (never a conflict);
 * - every other property, and the VTODO's subcomponents: the server's.
 *
 * @base may be NULL (nothing synced yet: every difference is a change on
 * both sides, and the server wins). The components are only read. When the
 * merge changed something of the server's, DTSTAMP and LAST-MODIFIED become
 * @now and SEQUENCE goes up by one. */
void           roster_sync_merge           (icalcomponent   *base,
                                            icalcomponent   *local,
                                            icalcomponent   *remote,
                                            time_t           now,
                                            RosterSyncMerge *out);

/* The first VTODO of @text (a VCALENDAR, or a VTODO alone), as a new
 * component of its own; NULL when there is none. */
icalcomponent *roster_sync_parse_vtodo     (const char      *text);

/* What the engine may do when a pull would delete local rows because the
 * server no longer shows them. */
typedef enum
{
  ROSTER_SYNC_DELETIONS_SAFE,   /* go ahead */
  ROSTER_SYNC_DELETIONS_ASK,    /* ask the person first (roster sync: refuse
                                 * unless --accept-deletions) */
} RosterSyncDeletions;

/* Where the deletions come from: one list's pull. */
typedef struct
{
  gboolean server_changed;   /* the account's server URL or username is not the one last synced */
  gboolean list_vanished;    /* the collection itself is gone, or its href changed */
  guint    n_local;          /* tasks of the list here that the server knew */
  guint    n_going;          /* of them, those the server no longer shows */
} RosterSyncDeletionCheck;

/* The rule: never delete local tasks because the server stopped showing
 * them when the server, the account or the collection changed or vanished,
 * or when more than half of a list would go at once. *@n_asked (optional)
 * is what would go (the whole list when it vanished). */
RosterSyncDeletions roster_sync_check_deletions (const RosterSyncDeletionCheck *check,
                                                 guint                         *n_asked);

G_END_DECLS
