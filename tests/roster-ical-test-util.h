/* roster-ical-test-util.h: what the iCalendar tests share (test-ical-import.c,
 * test-ical-export.c): a fixture with a Roster file of its own, the files of
 * tests/data/ical, importing and exporting them, and reading the result
 * through a second connection or with libical. Every helper fails the test
 * rather than return an error.
 */
#pragma once

#include <libical/ical.h>

#include "roster-model.h"

G_BEGIN_DECLS

typedef struct
{
  char        *dir;
  char        *path;
  RosterStore *store;
} Fixture;

void              fixture_set_up    (Fixture        *f,
                                     gconstpointer   data);
void              fixture_tear_down (Fixture        *f,
                                     gconstpointer   data);
#define ROSTER_ICAL_TEST_ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

/* A file of tests/data/ical. */
GBytes           *load              (const char     *name);
/* Imports into @store for @username (or NULL), as one run. (transfer full) */
RosterIcalImport *import_bytes      (RosterStore    *store,
                                     GBytes         *bytes,
                                     const char     *name,
                                     const char     *username);
RosterIcalImport *import_file       (RosterStore    *store,
                                     const char     *name,
                                     const char     *username);
char             *export_text       (RosterStore    *store,
                                     RosterUser     *user,
                                     RosterCategory *category);
/* Another Roster file in the fixture's folder. */
RosterStore      *open_other        (Fixture        *f,
                                     const char     *name);

/* Through a second connection. query_text(): the first column of the first
 * row of @format (sqlite3_mprintf(): %Q quotes). */
char             *query_text        (const char     *path,
                                     const char     *format,
                                     ...);
gint64            task_id_of        (const char     *path,
                                     const char     *title);
RosterTask       *task_of           (Fixture        *f,
                                     const char     *title);
/* "a|b|c": a task's tag names, sorted. */
char             *tags_of           (const char     *path,
                                     gint64          task_id);
char             *uid_of            (const char     *path,
                                     gint64          task_id);
/* Every task as text, by UID: what an import elsewhere must reproduce. */
char             *tasks_by_uid      (const char     *path);
/* Every row, roster_ical's too. */
char             *dump_all          (const char     *path);
/* A task's fields (@due "YYYY-MM-DD" or NULL, @tags as tags_of()) and owner. */
void              assert_task       (Fixture        *f,
                                     const char     *title,
                                     const char     *notes,
                                     gboolean        done,
                                     const char     *due,
                                     const char     *tags,
                                     const char     *owner);
/* "a|b": the titles of @username's list, in order. */
char             *list_titles       (RosterStore    *store,
                                     const char     *username);

/* With libical. parse(): a VCALENDAR libical reads without an error. */
icalcomponent    *parse             (const char     *text);
/* The series with @uid (@rid NULL), or its override for RECURRENCE-ID @rid. */
icalcomponent    *find_vtodo        (icalcomponent  *calendar,
                                     const char     *uid,
                                     const char     *rid);
guint             count_components  (icalcomponent  *calendar,
                                     icalcomponent_kind kind);
const char       *x_value           (icalcomponent  *component,
                                     const char     *name);
/* Every property and subcomponent of @original is in @copy (the CATEGORIES
 * as values, since Roster writes them on one line). */
void              assert_kept       (icalcomponent  *original,
                                     icalcomponent  *copy);

G_END_DECLS
