/* roster-ical-private.h: the mapping of a task to a VTODO and back, which the
 * import and the export share (roster-ical-map.c). Private to the model layer;
 * the only header besides roster-ical-*.c's that includes libical.
 */
#pragma once

#include <libical/ical.h>

#include "roster-ical.h"

G_BEGIN_DECLS

/* What a VTODO says about Roster's fields. Strings are owned. */
typedef struct
{
  char      *title;         /* NULL when it has no SUMMARY (or a blank one) */
  char      *notes;         /* "" when it has no DESCRIPTION */
  gboolean   done;
  char      *due_date;      /* "YYYY-MM-DD" (the local date of a date-time), or NULL */
  char      *due_time;      /* "HH:MM" of a date-time DUE (here), or NULL */
  int        priority;      /* a RosterPriority */
  char      *recurrence;    /* the RRULE as Roster stores it, "" when none (or no DUE) */
  gboolean   has_position;
  gint64     position;      /* X-APPLE-SORT-ORDER */
  GPtrArray *tags;          /* (element-type utf8): every CATEGORIES value, once, in order */
} RosterIcalFields;

/* A task's fields, to write into a VTODO. Strings are borrowed. */
typedef struct
{
  const char         *uid;
  const char         *title;
  const char         *notes;
  gboolean            done;
  const char         *due_date;  /* "YYYY-MM-DD" or NULL */
  const char         *due_time;  /* "HH:MM" or NULL */
  int                 priority;  /* a RosterPriority */
  const char         *recurrence;  /* "" or NULL when it does not repeat */
  gint64              position;
  const char * const *tags;      /* sorted with strcmp() */
  guint               n_tags;
} RosterIcalTask;

/* The title of a VTODO without a SUMMARY (translated). */
/* One task to write (roster-ical-read.c): a VTODO, with its overrides. */
typedef struct
{
  char             *uid;
  char             *calendar;     /* the file's X-WR-CALNAME, or NULL */
  RosterIcalFields  fields;       /* the series' (or the first override's) */
  char             *vtodo;        /* the VTODO and its overrides, as text */
  char             *vtimezones;   /* the VTIMEZONEs they name, or NULL */
  char             *digest;       /* of the fields, when they have a position */
  gboolean          has_series;   /* a VTODO without RECURRENCE-ID is among them */
  gboolean          late;         /* an earlier item of its calendar had its UID */
} RosterIcalItem;

/* Takes @item; FALSE stops the reading. */
typedef gboolean (*RosterIcalItemFunc) (RosterIcalItem *item,
                                        gpointer        data);

void           _roster_ical_item_free        (gpointer              item);
gboolean       _roster_ical_read             (const char           *data,
                                              gsize                 length,
                                              const char           *name,
                                              RosterIcalItemFunc    func,
                                              gpointer              func_data,
                                              guint                *n_events,
                                              GPtrArray            *unreadable,
                                              GError              **error);

const char    *_roster_ical_untitled         (void);

/* Reads @vtodo, which must still be in its VCALENDAR (for its VTIMEZONEs). */
void           _roster_ical_read_fields      (icalcomponent        *vtodo,
                                              RosterIcalFields     *fields);
void           _roster_ical_fields_clear     (RosterIcalFields     *fields);

/* Changes what in @vtodo differs from @task, and only that; stamps it
 * (DTSTAMP, LAST-MODIFIED) with @now when it changed anything. */
gboolean       _roster_ical_patch            (icalcomponent        *vtodo,
                                              const RosterIcalTask *task,
                                              time_t                now);
/* Puts every CATEGORIES value of @vtodo on one line, as it is written out:
 * libical reads one property per value, and some programs read only the
 * first line. @tags: its values as _roster_ical_read_fields() read them, or
 * NULL to read them again. */
void           _roster_ical_join_categories  (icalcomponent        *vtodo,
                                              GPtrArray            *tags);
/* A new VTODO for a task that has none stored. */
icalcomponent *_roster_ical_new_vtodo        (const RosterIcalTask *task,
                                              time_t                now);

/* Moves the top-level components of @kind in @text (parsed; NULL is
 * nothing) into @calendar; FALSE when @text cannot be parsed. */
gboolean       _roster_ical_adopt            (icalcomponent        *calendar,
                                              const char           *text,
                                              icalcomponent_kind    kind);
/* Appends every CATEGORIES value of @vtodo to @tags (element-type utf8,
 * owned), once each, in order, blank ones left out. */
void           _roster_ical_read_tags        (icalcomponent        *vtodo,
                                              GPtrArray            *tags);
/* Sets DTSTAMP and LAST-MODIFIED to @now. */
void           _roster_ical_stamp            (icalcomponent        *vtodo,
                                              time_t                now);

/* Appends @component to @out, as libical writes it (folded, CRLF). */
void           _roster_ical_append           (GString              *out,
                                              icalcomponent        *component);
/* For g_ptr_array_sort() of names: strcmp() order. */
int            _roster_ical_compare_names    (gconstpointer         a,
                                              gconstpointer         b);

G_END_DECLS
