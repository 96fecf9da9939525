/* roster-ical.h: tasks in and out as iCalendar (RFC 5545), with libical.
 *
 * How a task maps to a VTODO:
 *
 *   title     SUMMARY (a VTODO without one gets a title that says so)
 *   notes     DESCRIPTION
 *   due date  DUE;VALUE=DATE (a date-time, with a TZID or in UTC, is read as
 *             the local date it falls on)
 *   due time  DUE as a floating DATE-TIME (one with a TZID keeps its zone);
 *             read as the local time a date-time falls on
 *   priority  PRIORITY: high 1, medium 5, low 9, none none; read 1-4 as
 *             high, 5 medium, 6-9 low
 *   repeat    RRULE (UNTIL a date-time when DUE is one), and DTSTART = DUE;
 *             an RRULE without a DUE is not read
 *   done      STATUS:COMPLETED + COMPLETED + PERCENT-COMPLETE:100, and
 *             STATUS:NEEDS-ACTION when not done; any of the three reads as done
 *   position  X-APPLE-SORT-ORDER
 *   tags      CATEGORIES: every value of every such property
 *   owner     the calendar: the user the file is imported for, the user (or
 *             tag) exported
 *
 * Each task keeps a UID for good (an imported one the UID it came with), and
 * the last VTODO seen for it: an export patches that VTODO, so that what
 * Roster does not know (VALARM, RELATED-TO, X-…) survives a
 * round trip. A recurring VTODO with RECURRENCE-ID overrides is one task, the
 * series; the overrides are kept with it.
 *
 * GLib and libical only: the window picks the files and shows the result.
 */
#pragma once

#include <gio/gio.h>

#include "roster-store.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_ICAL_IMPORT (roster_ical_import_get_type ())
G_DECLARE_FINAL_TYPE (RosterIcalImport, roster_ical_import, ROSTER, ICAL_IMPORT, GObject)

/* An import: the files are read (roster_ical_import_add_bytes() or
 * _add_file(), safe in a worker thread: they touch no store) and written
 * into a store at once (roster_ical_import_run(), on the store's thread).
 * Files queued instead (roster_ical_import_queue_file() or _queue_bytes())
 * are read while the run writes, in a thread of the run's own: the fastest
 * way, but a refused file is known only when the run fails. */
RosterIcalImport *roster_ical_import_new               (void);
/* Reads one file, named @name in messages. A file that is not UTF-8 text
 * (ROSTER_ERROR_INVALID_UTF8), not iCalendar or cut short
 * (ROSTER_ERROR_INVALID) is refused and adds nothing; a damaged component in a good file is skipped and named
 * (roster_ical_import_get_unreadable()). */
gboolean          roster_ical_import_add_bytes         (RosterIcalImport  *self,
                                                        GBytes            *bytes,
                                                        const char        *name,
                                                        GError           **error);
gboolean          roster_ical_import_add_file          (RosterIcalImport  *self,
                                                        GFile             *file,
                                                        GCancellable      *cancellable,
                                                        GError           **error);
/* Queues a file to be read during roster_ical_import_run(), as
 * roster_ical_import_add_bytes() would read it: a file it would refuse makes
 * the run fail with that error, and nothing is written. */
void              roster_ical_import_queue_file        (RosterIcalImport  *self,
                                                        GFile             *file);
void              roster_ical_import_queue_bytes       (RosterIcalImport  *self,
                                                        GBytes            *bytes,
                                                        const char        *name);
/* The to-dos read so far (the queued files' only once run). */
guint             roster_ical_import_get_n_todos       (RosterIcalImport  *self);

/* Writes every to-do read into @store as one batch: one transaction, one
 * undo step. A to-do whose UID a task already has updates that task. Each
 * task goes to @username (created when missing); with @username NULL, to the
 * user who already has its UID, else to a user named after its calendar
 * (X-WR-CALNAME), else to one called "Imported". Tags are created when
 * missing. On an error nothing is written. Run it once. */
gboolean          roster_ical_import_run               (RosterIcalImport  *self,
                                                        RosterStore       *store,
                                                        const char        *username,
                                                        GError           **error);

/* What the run did: tasks written (new and updated), of which updated; the
 * VEVENTs skipped; and one sentence per component that could not be read. */
guint             roster_ical_import_get_n_imported    (RosterIcalImport  *self);
guint             roster_ical_import_get_n_updated     (RosterIcalImport  *self);
guint             roster_ical_import_get_n_events      (RosterIcalImport  *self);
/* (element-type utf8) (transfer none) */
GPtrArray        *roster_ical_import_get_unreadable    (RosterIcalImport  *self);
/* For a person: "Imported 42 tasks; 1 could not be read". */
char             *roster_ical_import_describe          (RosterIcalImport  *self);

/* One VCALENDAR of VTODOs: the tasks of @user, or of @category, or (both
 * NULL) every task. Stored VTODOs are patched where the task changed since. */
GBytes           *roster_ical_export                   (RosterStore       *store,
                                                        RosterUser        *user,
                                                        RosterCategory    *category,
                                                        GError           **error);

G_END_DECLS
