/* test-ical.c: iCalendar and CSV in and out of real files (issue 15).
 *
 * Every test imports real .ics files (tests/data/ical/, written by hand in
 * the styles of the programs they are named after) into a real file, checks
 * the rows through a second connection, and reads what an export wrote back
 * with libical itself. Round trips: every field, the properties Roster does
 * not know, escaping and folding, time zones; bad input; the UID each task
 * keeps, through undo and redo.
 */
#define G_LOG_DOMAIN "test-ical"

#include <libical/ical.h>
#include <sqlite3.h>
#include <string.h>

#include "roster-model.h"
#include "roster-test-util.h"

typedef struct
{
  char        *dir;
  char        *path;
  RosterStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = roster_test_make_dir ("roster-ical-XXXXXX");
  f->path = g_build_filename (f->dir, "roster.db", NULL);
  f->store = roster_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->store != NULL)
    g_assert_finalize_object (g_steal_pointer (&f->store));
  roster_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static GBytes *
load (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "ical", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* Imports @bytes into @store for @username (or NULL), as one run. */
static RosterIcalImport *
import_bytes (RosterStore *store,
              GBytes      *bytes,
              const char  *name,
              const char  *username)
{
  RosterIcalImport *import = roster_ical_import_new ();
  g_autoptr(GError) error = NULL;

  roster_ical_import_add_bytes (import, bytes, name, &error);
  g_assert_no_error (error);
  roster_ical_import_run (import, store, username, &error);
  g_assert_no_error (error);
  return import;
}

static RosterIcalImport *
import_file (RosterStore *store,
             const char  *name,
             const char  *username)
{
  g_autoptr(GBytes) bytes = load (name);

  return import_bytes (store, bytes, name, username);
}

static char *
export_text (RosterStore    *store,
             RosterUser     *user,
             RosterCategory *category)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = roster_ical_export (store, user, category, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* The first column of the first row of @format (sqlite3_mprintf: %Q quotes). */
static char *
query_text (const char *path,
            const char *format,
            ...)
{
  va_list args;
  char *sql;
  char *text;

  va_start (args, format);
  sql = sqlite3_vmprintf (format, args);
  va_end (args);
  text = roster_test_raw_text (path, sql);
  sqlite3_free (sql);
  return text;
}

static gint64
task_id_of (const char *path,
            const char *title)
{
  g_autofree char *text = query_text (path, "SELECT id FROM task WHERE title = %Q", title);

  g_assert_cmpstr (text, !=, "");
  return g_ascii_strtoll (text, NULL, 10);
}

static RosterTask *
task_of (Fixture    *f,
         const char *title)
{
  g_autoptr(GError) error = NULL;
  RosterTask *task = roster_store_get_task (f->store, task_id_of (f->path, title), &error);

  g_assert_no_error (error);
  return task;
}

/* "a|b|c": a task's tag names, sorted. */
static char *
tags_of (const char *path,
         gint64      task_id)
{
  return query_text (path,
                     "SELECT coalesce(group_concat(name, '|'), '') FROM (SELECT c.name AS name FROM taskcategorylink AS l "
                     "JOIN category AS c ON c.id = l.category_id WHERE l.task_id = %lld ORDER BY c.name)",
                     (long long) task_id);
}

static char *
uid_of (const char *path,
        gint64      task_id)
{
  return query_text (path, "SELECT uid FROM roster_ical WHERE task_id = %lld", (long long) task_id);
}

/* Every task of the file as text, by UID: what an import must reproduce. */
static char *
tasks_by_uid (const char *path)
{
  return roster_test_raw_text (path,
                               "SELECT i.uid || '|' || t.title || '|' || t.notes || '|' || t.done || '|' || "
                               "coalesce(t.due_date, '-') || '|' || t.position || '|' || "
                               "coalesce((SELECT group_concat(name, ',') FROM (SELECT c.name AS name "
                               "FROM taskcategorylink AS l JOIN category AS c ON c.id = l.category_id "
                               "WHERE l.task_id = t.id ORDER BY c.name)), '') "
                               "FROM task AS t JOIN roster_ical AS i ON i.task_id = t.id ORDER BY i.uid");
}

/* The roster_ical table, for comparing states of the file. */
static char *
dump_all (const char *path)
{
  g_autofree char *rows = roster_test_dump (path);
  g_autofree char *icals = roster_test_raw_text (path,
                                                 "SELECT task_id || '|' || uid || '|' || coalesce(vtodo, '-') "
                                                 "|| '|' || coalesce(digest, '-') FROM roster_ical ORDER BY task_id");

  return g_strconcat (rows, "\n", icals, NULL);
}

/* The VTODOs of @text with @uid (the series first), parsed by libical. */
static icalcomponent *
parse (const char *text)
{
  icalcomponent *root = icalparser_parse_string (text);

  g_assert_nonnull (root);
  g_assert_cmpint (icalcomponent_isa (root), ==, ICAL_VCALENDAR_COMPONENT);
  g_assert_cmpint (icalcomponent_count_errors (root), ==, 0);
  return root;
}

/* The series with @uid (@rid NULL), or its override for RECURRENCE-ID @rid. */
static icalcomponent *
find_vtodo (icalcomponent *calendar,
            const char    *uid,
            const char    *rid)
{
  for (icalcomponent *c = icalcomponent_get_first_component (calendar, ICAL_VTODO_COMPONENT);
       c != NULL;
       c = icalcomponent_get_next_component (calendar, ICAL_VTODO_COMPONENT))
    {
      gboolean override = icalcomponent_get_first_property (c, ICAL_RECURRENCEID_PROPERTY) != NULL;

      if (g_strcmp0 (icalcomponent_get_uid (c), uid) != 0 || override != (rid != NULL))
        continue;
      if (rid == NULL || strcmp (icaltime_as_ical_string (icalcomponent_get_recurrenceid (c)), rid) == 0)
        return c;
    }
  return NULL;
}

static int
strcmp_pointers (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static guint
count_components (icalcomponent     *calendar,
                  icalcomponent_kind kind)
{
  return icalcomponent_count_components (calendar, kind);
}

static const char *
x_value (icalcomponent *component,
         const char    *name)
{
  for (icalproperty *p = icalcomponent_get_first_property (component, ICAL_X_PROPERTY);
       p != NULL;
       p = icalcomponent_get_next_property (component, ICAL_X_PROPERTY))
    if (strcmp (icalproperty_get_x_name (p), name) == 0)
      return icalproperty_get_x (p);
  return NULL;
}

/* Every CATEGORIES value of @component, trimmed, once each, sorted: "a|b". */
static char *
categories (icalcomponent *component)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);

  for (icalproperty *p = icalcomponent_get_first_property (component, ICAL_CATEGORIES_PROPERTY);
       p != NULL;
       p = icalcomponent_get_next_property (component, ICAL_CATEGORIES_PROPERTY))
    {
      g_auto(GStrv) parts = g_strsplit (icalproperty_get_categories (p), ",", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        if (*g_strstrip (parts[i]) != '\0' && !g_ptr_array_find_with_equal_func (values, parts[i], g_str_equal, NULL))
          g_ptr_array_add (values, g_strdup (parts[i]));
    }
  g_ptr_array_sort (values, (GCompareFunc) strcmp_pointers);
  g_ptr_array_add (values, NULL);
  return g_strjoinv ("|", (char **) values->pdata);
}

/* Whether every property (name, parameters and value) and every
 * subcomponent of @original is in @copy; the CATEGORIES as values, since
 * they are written on one line. */
static void
assert_kept (icalcomponent *original,
             icalcomponent *copy)
{
  g_autofree char *original_categories = categories (original);
  g_autofree char *copy_categories = categories (copy);

  g_assert_cmpstr (copy_categories, ==, original_categories);
  for (icalproperty *p = icalcomponent_get_first_property (original, ICAL_ANY_PROPERTY);
       p != NULL;
       p = icalcomponent_get_next_property (original, ICAL_ANY_PROPERTY))
    {
      g_autofree char *line = icalproperty_as_ical_string_r (p);
      gboolean found = icalproperty_isa (p) == ICAL_CATEGORIES_PROPERTY;

      for (icalproperty *q = icalcomponent_get_first_property (copy, ICAL_ANY_PROPERTY);
           q != NULL && !found;
           q = icalcomponent_get_next_property (copy, ICAL_ANY_PROPERTY))
        {
          g_autofree char *other = icalproperty_as_ical_string_r (q);
          found = strcmp (line, other) == 0;
        }
      if (!found)
        g_error ("Lost in the round trip: %s", line);
    }
  g_assert_cmpint (icalcomponent_count_components (copy, ICAL_ANY_COMPONENT), ==,
                   icalcomponent_count_components (original, ICAL_ANY_COMPONENT));
  for (icalcomponent *c = icalcomponent_get_first_component (original, ICAL_ANY_COMPONENT),
                     *d = icalcomponent_get_first_component (copy, ICAL_ANY_COMPONENT);
       c != NULL && d != NULL;
       c = icalcomponent_get_next_component (original, ICAL_ANY_COMPONENT),
       d = icalcomponent_get_next_component (copy, ICAL_ANY_COMPONENT))
    assert_kept (c, d);
}

static RosterStore *
open_other (Fixture    *f,
            const char *name)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  RosterStore *store = roster_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

/* ------------------------------------------------------------------------ */
/* Round trips                                                               */

/* Every field of tasks Roster made, to a VTODO and back into another file. */
static void
test_round_trip_fields (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) ada = roster_store_create_user (f->store, "Ada", &error);
  g_autoptr(RosterCategory) cafe = roster_store_create_category (f->store, "Café", NULL, &error);
  g_autoptr(RosterCategory) work = roster_store_create_category (f->store, "work; late", NULL, &error);
  g_autoptr(RosterTask) first = roster_store_create_task (f->store, ada, "Commas, semicolons; and a \\ backslash", &error);
  g_autoptr(RosterTask) second = roster_store_create_task (f->store, ada, "Plain", &error);
  g_autoptr(RosterTask) third = roster_store_create_task (f->store, ada, "Ünïcödé — 日本語 ✓", &error);
  g_autoptr(GDateTime) due = g_date_time_new_utc (2024, 5, 1, 0, 0, 0);
  g_autoptr(RosterStore) other = NULL;
  g_autoptr(RosterIcalImport) import = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RosterUser) ada_there = NULL;
  g_autoptr(GListModel) tasks = NULL;

  g_assert_no_error (error);
  roster_store_set_task_notes (f->store, first, "First line\nSecond, with a comma; and a semicolon\n\nLast", &error);
  roster_store_set_task_done (f->store, first, TRUE, &error);
  roster_store_set_task_due_date (f->store, first, due, &error);
  roster_store_tag_task (f->store, first, cafe, &error);
  roster_store_tag_task (f->store, first, work, &error);
  roster_store_tag_task (f->store, third, cafe, &error);
  roster_store_reorder_task (f->store, third, 0, &error);
  g_assert_no_error (error);

  text = export_text (f->store, ada, NULL);
  {
    icalcomponent *calendar = parse (text);
    g_autofree char *uid = uid_of (f->path, roster_task_get_id (first));
    icalcomponent *vtodo = find_vtodo (calendar, uid, NULL);

    g_assert_cmpint (count_components (calendar, ICAL_VTODO_COMPONENT), ==, 3);
    g_assert_cmpstr (x_value (calendar, "X-WR-CALNAME"), ==, "Ada");
    g_assert_nonnull (vtodo);
    g_assert_cmpstr (icalcomponent_get_summary (vtodo), ==, "Commas, semicolons; and a \\ backslash");
    g_assert_cmpstr (icalcomponent_get_description (vtodo), ==, "First line\nSecond, with a comma; and a semicolon\n\nLast");
    g_assert_cmpint (icalcomponent_get_status (vtodo), ==, ICAL_STATUS_COMPLETED);
    g_assert_nonnull (icalcomponent_get_first_property (vtodo, ICAL_COMPLETED_PROPERTY));
    g_assert_cmpint (icalproperty_get_percentcomplete (icalcomponent_get_first_property (vtodo, ICAL_PERCENTCOMPLETE_PROPERTY)), ==, 100);
    g_assert_true (icalcomponent_get_due (vtodo).is_date);
    g_assert_cmpstr (icaltime_as_ical_string (icalcomponent_get_due (vtodo)), ==, "20240501");
    g_assert_nonnull (icalcomponent_get_first_property (vtodo, ICAL_DTSTAMP_PROPERTY));
    /* One CATEGORIES line with both tags: some programs read only the first. */
    g_assert_nonnull (strstr (text, "CATEGORIES:Café,work; late\r\n"));
    icalcomponent_free (calendar);
  }

  /* Into another file: the same tasks, fields and UIDs, for a user named
   * after the calendar. */
  other = open_other (f, "other.db");
  bytes = g_bytes_new (text, strlen (text));
  import = import_bytes (other, bytes, "ada.ics", NULL);
  g_assert_cmpuint (roster_ical_import_get_n_imported (import), ==, 3);
  g_assert_cmpuint (roster_ical_import_get_n_updated (import), ==, 0);
  before = tasks_by_uid (f->path);
  after = tasks_by_uid (roster_store_get_path (other));
  g_assert_cmpstr (after, ==, before);
  ada_there = roster_store_find_user (other, "Ada");
  g_assert_nonnull (ada_there);
  tasks = roster_store_list_user_tasks (other, ada_there);
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 3);

  /* ...and out again, not a byte different: a round trip loses nothing. */
  again = export_text (other, ada_there, NULL);
  g_assert_cmpstr (again, ==, text);
}

/* What Roster does not know survives an edit in Roster and an export. */
static void
test_round_trip_unknown (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(RosterIcalImport) import = import_file (f->store, "thunderbird.ics", NULL);
  g_autoptr(RosterTask) passport = task_of (f, "Renew passport");
  g_autoptr(GDateTime) due = g_date_time_new_utc (2024, 3, 20, 0, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) original = load ("thunderbird.ics");
  g_autofree char *text = NULL;
  g_autofree char *stored = NULL;
  icalcomponent *source, *calendar, *vtodo;

  g_assert_cmpuint (roster_ical_import_get_n_imported (import), ==, 2);
  roster_store_set_task_title (f->store, passport, "Renew both passports", &error);
  roster_store_set_task_due_date (f->store, passport, due, &error);
  g_assert_no_error (error);

  text = export_text (f->store, NULL, NULL);
  calendar = parse (text);
  vtodo = find_vtodo (calendar, "3f0c6d0e-5b1f-4c8e-9a0b-2d4f6e8a1c3b", NULL);
  g_assert_nonnull (vtodo);
  g_assert_cmpstr (icalcomponent_get_summary (vtodo), ==, "Renew both passports");
  g_assert_cmpint (icalproperty_get_priority (icalcomponent_get_first_property (vtodo, ICAL_PRIORITY_PROPERTY)), ==, 1);
  g_assert_cmpstr (x_value (vtodo, "X-MOZ-GENERATION"), ==, "2");
  g_assert_cmpint (count_components (vtodo, ICAL_VALARM_COMPONENT), ==, 1);
  g_assert_nonnull (strstr (text, "DTSTART;TZID=Europe/Berlin:20240310T090000\r\n"));
  g_assert_nonnull (strstr (text, "CREATED:20240301T090000Z\r\n"));
  /* The new date, at the same time of day in the same zone. */
  g_assert_nonnull (strstr (text, "DUE;TZID=Europe/Berlin:20240320T170000\r\n"));
  g_assert_cmpint (count_components (calendar, ICAL_VTIMEZONE_COMPONENT), ==, 1);
  g_assert_nonnull (icalcomponent_get_first_property (vtodo, ICAL_LASTMODIFIED_PROPERTY));
  g_assert_cmpstr (icaltime_as_ical_string (icalproperty_get_lastmodified (
                     icalcomponent_get_first_property (vtodo, ICAL_LASTMODIFIED_PROPERTY))), !=, "20240301T091500Z");

  /* The task nobody touched is written as it came, property for property. */
  source = parse (g_bytes_get_data (original, NULL));
  assert_kept (find_vtodo (source, "9b1e7a52-0c3d-4f6a-8e2b-5d7c9a1b3e4f", NULL),
               find_vtodo (calendar, "9b1e7a52-0c3d-4f6a-8e2b-5d7c9a1b3e4f", NULL));
  stored = query_text (f->path, "SELECT vtodo FROM roster_ical WHERE uid = %Q", "9b1e7a52-0c3d-4f6a-8e2b-5d7c9a1b3e4f");
  g_assert_nonnull (strstr (text, stored));
  icalcomponent_free (source);
  icalcomponent_free (calendar);
}

/* Every producer's file, through Roster and out again: nothing lost, and a
 * second round trip changes nothing. */
static void
test_round_trip_producers (Fixture       *f,
                           gconstpointer  data)
{
  static const char * const files[] = {
    "thunderbird.ics", "apple-reminders.ics", "tasks-org.ics", "nextcloud-tasks.ics",
    "evolution.ics", "korganizer.ics", "escaping.ics", "due-dates.ics",
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *first_name = g_strdup_printf ("first-%u.db", i);
      g_autofree char *second_name = g_strdup_printf ("second-%u.db", i);
      g_autoptr(RosterStore) first = open_other (f, first_name);
      g_autoptr(RosterStore) second = open_other (f, second_name);
      g_autoptr(GBytes) original = load (files[i]);
      g_autoptr(RosterIcalImport) import = import_bytes (first, original, files[i], NULL);
      g_autoptr(RosterIcalImport) reimport = NULL;
      g_autofree char *text = export_text (first, NULL, NULL);
      g_autoptr(GBytes) exported = g_bytes_new (text, strlen (text));
      g_autofree char *again = NULL;
      g_autofree char *rows = NULL;
      g_autofree char *rows_again = NULL;
      icalcomponent *source = parse (g_bytes_get_data (original, NULL));
      icalcomponent *calendar = parse (text);

      g_test_message ("%s", files[i]);
      for (icalcomponent *c = icalcomponent_get_first_component (source, ICAL_VTODO_COMPONENT);
           c != NULL;
           c = icalcomponent_get_next_component (source, ICAL_VTODO_COMPONENT))
        {
          gboolean override = icalcomponent_get_first_property (c, ICAL_RECURRENCEID_PROPERTY) != NULL;
          g_autofree char *rid = override ? icaltime_as_ical_string_r (icalcomponent_get_recurrenceid (c)) : NULL;
          icalcomponent *copy = find_vtodo (calendar, icalcomponent_get_uid (c), rid);

          g_assert_nonnull (copy);
          assert_kept (c, copy);
        }
      icalcomponent_free (source);
      icalcomponent_free (calendar);

      reimport = import_bytes (second, exported, "exported.ics", NULL);
      g_assert_cmpuint (roster_ical_import_get_n_imported (reimport), ==,
                        roster_ical_import_get_n_imported (import));
      rows = tasks_by_uid (roster_store_get_path (first));
      rows_again = tasks_by_uid (roster_store_get_path (second));
      g_assert_cmpstr (rows_again, ==, rows);
      again = export_text (second, NULL, NULL);
      g_assert_cmpstr (again, ==, text);
    }
}

/* ------------------------------------------------------------------------ */
/* What is read                                                              */

static void
assert_task (Fixture    *f,
             const char *title,
             const char *notes,
             gboolean    done,
             const char *due,
             const char *tags,
             const char *owner)
{
  g_autoptr(RosterTask) task = task_of (f, title);
  g_autofree char *task_tags = tags_of (f->path, roster_task_get_id (task));
  GDateTime *task_due = roster_task_get_due_date (task);
  g_autofree char *due_text = task_due ? g_date_time_format (task_due, "%Y-%m-%d") : NULL;

  g_test_message ("task “%s”", title);
  g_assert_cmpstr (roster_task_get_notes (task), ==, notes);
  g_assert_cmpint (roster_task_get_done (task), ==, done);
  g_assert_cmpstr (due_text, ==, due);
  g_assert_cmpstr (task_tags, ==, tags);
  g_assert_cmpstr (roster_user_get_username (roster_task_get_owner (task)), ==, owner);
}

static char *
list_titles (RosterStore *store,
             const char  *username)
{
  g_autoptr(RosterUser) user = roster_store_find_user (store, username);
  g_autoptr(GListModel) tasks = NULL;
  GString *out = g_string_new (NULL);

  g_assert_nonnull (user);
  tasks = roster_store_list_user_tasks (store, user);
  for (guint i = 0; i < g_list_model_get_n_items (tasks); i++)
    {
      g_autoptr(RosterTask) task = g_list_model_get_item (tasks, i);
      g_string_append_printf (out, "%s%s", i ? "|" : "", roster_task_get_title (task));
    }
  return g_string_free (out, FALSE);
}

static void
test_producers (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(RosterIcalImport) thunderbird = import_file (f->store, "thunderbird.ics", NULL);
  g_autoptr(RosterIcalImport) apple = import_file (f->store, "apple-reminders.ics", NULL);
  g_autoptr(RosterIcalImport) tasks_org = import_file (f->store, "tasks-org.ics", "Bea");
  g_autoptr(RosterIcalImport) nextcloud = import_file (f->store, "nextcloud-tasks.ics", NULL);
  g_autoptr(RosterIcalImport) evolution = import_file (f->store, "evolution.ics", "Bea");
  g_autoptr(RosterIcalImport) korganizer = import_file (f->store, "korganizer.ics", "Bea");
  g_autofree char *titles = NULL;
  g_autofree char *text = NULL;
  icalcomponent *calendar;

  /* Thunderbird: its VEVENT is skipped and counted; no calendar name. */
  g_assert_cmpuint (roster_ical_import_get_n_imported (thunderbird), ==, 2);
  g_assert_cmpuint (roster_ical_import_get_n_events (thunderbird), ==, 1);
  assert_task (f, "Renew passport", "Bring two photos.\nThe form is on the desk, under the lamp.", FALSE,
               "2024-03-15", "Admin", "Imported");
  assert_task (f, "Pay the electricity bill", "", TRUE, "2024-03-01", "Admin|Money", "Imported");

  /* Apple Reminders: the calendar's name, the sort order, a TZID with no
   * VTIMEZONE (America/Los_Angeles, 9:00 PST = 17:00 UTC). */
  g_assert_cmpuint (roster_ical_import_get_n_imported (apple), ==, 3);
  assert_task (f, "Oat milk", "", FALSE, "2024-03-06", "", "Groceries");
  assert_task (f, "Bread", "", TRUE, NULL, "", "Groceries");
  assert_task (f, "Pick up the cake", "Order number 1234", FALSE, "2024-03-07", "", "Groceries");
  titles = list_titles (f->store, "Groceries");
  g_assert_cmpstr (titles, ==, "Bread|Oat milk|Pick up the cake");
  g_clear_pointer (&titles, g_free);

  /* tasks.org: COMPLETED alone says done; a task with no sort order goes last. */
  assert_task (f, "Fix the bike", "Back tyre is flat\nBuy a new tube first", FALSE, "2024-03-16", "errands|home", "Bea");
  assert_task (f, "Buy a tube (28 inch)", "", TRUE, NULL, "errands", "Bea");
  assert_task (f, "Water the plants", "", FALSE, "2024-03-11", "home", "Bea");

  /* Nextcloud Tasks: work under way is not done, PERCENT-COMPLETE:100 is; a
   * recurring VTODO and its two overrides are one task. */
  g_assert_cmpuint (roster_ical_import_get_n_imported (nextcloud), ==, 3);
  assert_task (f, "Draft the quarterly report", "", FALSE, "2024-03-29", "Reports|Work", "Team");
  assert_task (f, "Collect the numbers", "", TRUE, NULL, "", "Team");
  assert_task (f, "Weekly stand-up notes", "", FALSE, "2024-03-04", "", "Team");
  titles = list_titles (f->store, "Team");
  g_assert_cmpstr (titles, ==, "Draft the quarterly report|Collect the numbers|Weekly stand-up notes");

  /* Evolution: one CATEGORIES line per tag; midnight in Berlin is the day
   * before here (TZ=UTC). */
  assert_task (f, "Book the train to Köln", "Sparpreis if possible; the 8:12 or the 9:12", FALSE, "2024-03-19",
               "Personal|Reise & Urlaub|Travel", "Bea");
  assert_task (f, "Send the photos to Oma", "", TRUE, NULL, "Personal", "Bea");

  /* KOrganizer. */
  assert_task (f, "Répondre à la mairie", "Formulaire « changement d’adresse », page 2", FALSE, "2024-03-22",
               "Maison|Papiers", "Bea");
  assert_task (f, "Photocopier la pièce d’identité", "", TRUE, NULL, "Papiers", "Bea");
  g_assert_cmpuint (roster_ical_import_get_n_imported (tasks_org) + roster_ical_import_get_n_imported (evolution) +
                    roster_ical_import_get_n_imported (korganizer), ==, 7);

  /* The series' overrides are exported with it. */
  text = export_text (f->store, NULL, NULL);
  calendar = parse (text);
  g_assert_nonnull (find_vtodo (calendar, "e6f7a8b9-c0d1-4e2f-9a3b-4c5d6e7f8091", NULL));
  g_assert_nonnull (find_vtodo (calendar, "e6f7a8b9-c0d1-4e2f-9a3b-4c5d6e7f8091", "20240311T090000Z"));
  g_assert_nonnull (find_vtodo (calendar, "e6f7a8b9-c0d1-4e2f-9a3b-4c5d6e7f8091", "20240318T090000Z"));
  g_assert_nonnull (strstr (text, "RECURRENCE-ID:20240311T090000Z\r\n"));
  g_assert_nonnull (strstr (text, "RECURRENCE-ID:20240318T090000Z\r\n"));
  g_assert_cmpint (count_components (calendar, ICAL_VTODO_COMPONENT), ==, 2 + 3 + 3 + 5 + 2 + 2);
  /* Each zone once, though two files named Europe/Berlin in their own way. */
  g_assert_cmpint (count_components (calendar, ICAL_VTIMEZONE_COMPONENT), ==, 3);
  icalcomponent_free (calendar);
}

/* Escaped characters, folded lines, non-ASCII, several CATEGORIES lines and
 * several values in one, and a VTODO without SUMMARY. */
static void
test_escaping (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(RosterIcalImport) import = import_file (f->store, "escaping.ics", "Ada");
  g_autoptr(RosterTask) untitled = NULL;
  g_autoptr(RosterCategory) zeta = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *summary = NULL;
  icalcomponent *calendar;

  assert_task (f, "Commas, semicolons; and a backslash \\ in one title",
               "First line\nSecond line, with a comma\nThird line; the end", FALSE, NULL,
               "alpha|beta|delta|epsilon|gamma", "Ada");
  assert_task (f, "A long title that is folded over several lines as RFC 5545 says a line longer than "
                  "seventy-five octets should be, with a comma in the second part",
               "Ünïcödé: çà, ñ, ß, Ærø — 日本語のメモ — emoji ✓ 🎉", FALSE, NULL, "Café|Ærø|日本", "Ada");

  /* No SUMMARY: a title that says so, and still none in the export... */
  untitled = task_of (f, "(No title)");
  g_assert_cmpstr (roster_task_get_notes (untitled), ==, "This one has no SUMMARY.");
  text = export_text (f->store, NULL, NULL);
  calendar = parse (text);
  g_assert_null (icalcomponent_get_first_property (find_vtodo (calendar, "escape-3@roster.test", NULL),
                                                   ICAL_SUMMARY_PROPERTY));
  icalcomponent_free (calendar);
  g_clear_pointer (&text, g_free);

  /* ...until it gets one; and a changed tag list is one CATEGORIES line. */
  roster_store_set_task_title (f->store, untitled, "Now it has one, with a comma", &error);
  zeta = roster_store_create_category (f->store, "zeta", NULL, &error);
  {
    g_autoptr(RosterTask) first = task_of (f, "Commas, semicolons; and a backslash \\ in one title");
    roster_store_tag_task (f->store, first, zeta, &error);
  }
  g_assert_no_error (error);
  text = export_text (f->store, NULL, NULL);
  g_assert_nonnull (strstr (text, "SUMMARY:Now it has one\\, with a comma\r\n"));
  g_assert_nonnull (strstr (text, "CATEGORIES:alpha,beta,delta,epsilon,gamma,zeta\r\n"));
  g_assert_nonnull (strstr (text, "SUMMARY:Commas\\, semicolons\\; and a backslash \\\\ in one title\r\n"));
  calendar = parse (text);
  summary = g_strdup (icalcomponent_get_summary (find_vtodo (calendar, "escape-2@roster.test", NULL)));
  g_assert_cmpstr (summary, ==, "A long title that is folded over several lines as RFC 5545 says a line longer "
                                "than seventy-five octets should be, with a comma in the second part");
  icalcomponent_free (calendar);
  /* Every line folded at 75 octets, never inside a character. */
  {
    g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      {
        g_assert_cmpuint (strlen (lines[i]), <=, 75);
        g_assert_true (g_utf8_validate (lines[i], -1, NULL));
      }
  }
}

/* DUE as a date, a date-time with a TZID (known, or defined by the file), in
 * UTC and floating: the local date (TZ=UTC here). */
static void
test_due_dates (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(RosterIcalImport) import = import_file (f->store, "due-dates.ics", "Ada");
  g_autoptr(RosterTask) new_york = task_of (f, "Due late in New York");
  g_autoptr(GDateTime) due = g_date_time_new_utc (2024, 4, 10, 0, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterStore) other = NULL;
  g_autoptr(RosterIcalImport) reimport = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  g_autofree char *date = NULL;

  assert_task (f, "Due on a date", "", FALSE, "2024-04-05", "", "Ada");
  assert_task (f, "Due late in New York", "", FALSE, "2024-04-06", "", "Ada");
  assert_task (f, "Due early in a zone the file defines", "", FALSE, "2024-04-04", "", "Ada");
  assert_task (f, "Due in UTC", "", FALSE, "2024-04-05", "", "Ada");
  assert_task (f, "Due at a floating time", "", FALSE, "2024-04-05", "", "Ada");

  /* A new date keeps the zone and the time of day. */
  roster_store_set_task_due_date (f->store, new_york, due, &error);
  g_assert_no_error (error);
  text = export_text (f->store, NULL, NULL);
  g_assert_nonnull (strstr (text, "DUE;TZID=America/New_York:20240409T230000\r\n"));
  /* The zone the file defined goes out with its task. */
  g_assert_nonnull (strstr (text, "TZID:Custom/Far-East\r\n"));

  other = open_other (f, "other.db");
  bytes = g_bytes_new (text, strlen (text));
  reimport = import_bytes (other, bytes, "exported.ics", NULL);
  date = query_text (roster_store_get_path (other), "SELECT due_date FROM task WHERE title = %Q", "Due late in New York");
  g_assert_cmpstr (date, ==, "2024-04-10");
  g_clear_pointer (&date, g_free);
  date = query_text (roster_store_get_path (other), "SELECT due_date FROM task WHERE title = %Q",
                     "Due early in a zone the file defines");
  g_assert_cmpstr (date, ==, "2024-04-04");
}

/* ------------------------------------------------------------------------ */
/* Bad input                                                                 */

static void
assert_refused (const char *name,
                gint        code,
                const char *words)
{
  g_autoptr(RosterIcalImport) import = roster_ical_import_new ();
  g_autoptr(GBytes) bytes = load (name);
  g_autoptr(GError) error = NULL;

  g_assert_false (roster_ical_import_add_bytes (import, bytes, name, &error));
  g_assert_error (error, ROSTER_ERROR, code);
  g_test_message ("%s: %s", name, error->message);
  g_assert_nonnull (strstr (error->message, name));
  g_assert_nonnull (strstr (error->message, words));
  g_assert_cmpuint (roster_ical_import_get_n_todos (import), ==, 0);
  g_assert_cmpuint (roster_ical_import_get_unreadable (import)->len, ==, 0);
}

static void
test_bad_files (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(RosterIcalImport) import = roster_ical_import_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) good = load ("thunderbird.ics");
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autofree char *digest = NULL;
  g_autofree char *digest_after = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  {
    g_autoptr(RosterIcalImport) first = import_file (f->store, "apple-reminders.ics", NULL);
  }
  g_assert_finalize_object (g_steal_pointer (&f->store));
  roster_test_raw_exec (f->path, "PRAGMA wal_checkpoint(TRUNCATE)");
  digest = roster_test_file_digest (f->path);
  before = dump_all (f->path);
  f->store = roster_store_open (f->path, &error);
  g_assert_no_error (error);

  assert_refused ("not-utf8.ics", ROSTER_ERROR_INVALID_UTF8, "UTF-8");
  assert_refused ("not-icalendar.vcf", ROSTER_ERROR_INVALID, "not an iCalendar file");
  assert_refused ("cut-short.ics", ROSTER_ERROR_INVALID, "damaged");

  /* Nothing empty either. */
  g_assert_false (roster_ical_import_add_bytes (import, empty, "empty.ics", &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID);
  g_clear_error (&error);

  /* A run that fails half-way (a username that is no name) writes nothing. */
  roster_ical_import_add_bytes (import, good, "thunderbird.ics", &error);
  g_assert_no_error (error);
  g_assert_false (roster_ical_import_run (import, f->store, "   ", &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_EMPTY);
  g_assert_false (roster_store_get_can_undo (f->store));

  /* The file is as it was, to the byte. */
  g_assert_finalize_object (g_steal_pointer (&f->store));
  after = dump_all (f->path);
  g_assert_cmpstr (after, ==, before);
  digest_after = roster_test_file_digest (f->path);
  g_assert_cmpstr (digest_after, ==, digest);
}

static void
test_damaged_components (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(RosterIcalImport) import = import_file (f->store, "damaged.ics", NULL);
  GPtrArray *unreadable = roster_ical_import_get_unreadable (import);
  g_autofree char *summary = roster_ical_import_describe (import);
  g_autofree char *titles = list_titles (f->store, "Imported");

  g_assert_cmpuint (roster_ical_import_get_n_imported (import), ==, 2);
  g_assert_cmpuint (roster_ical_import_get_n_events (import), ==, 1);
  g_assert_cmpstr (titles, ==, "A good one|Another good one");
  g_assert_cmpuint (unreadable->len, ==, 2);
  g_test_message ("%s", (char *) g_ptr_array_index (unreadable, 0));
  g_test_message ("%s", (char *) g_ptr_array_index (unreadable, 1));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (unreadable, 0),
                                   "“A bad due date”, to-do 2 of “damaged.ics”, could not be read: "));
  g_assert_nonnull (strstr (g_ptr_array_index (unreadable, 0), "DUE"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (unreadable, 1),
                                   "To-do 3 of “damaged.ics” could not be read: "));
  g_assert_cmpstr (summary, ==, "Imported 2 tasks; 1 event was skipped; 2 could not be read");
  /* An empty DESCRIPTION lost nothing: no note of libical's is kept. */
  {
    g_autofree char *stored = query_text (f->path, "SELECT vtodo FROM roster_ical WHERE uid = %Q", "good-1@roster.test");
    g_assert_null (strstr (stored, "X-LIC-ERROR"));
  }
}

/* Reading touches no store: several files read at once, in threads of their
 * own, as the window reads them while it goes on drawing. */
static gpointer
read_in_thread (gpointer data)
{
  const char *name = data;
  RosterIcalImport *import = roster_ical_import_new ();
  g_autoptr(GBytes) bytes = load (name);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(RosterIcalImport) again = roster_ical_import_new ();

      roster_ical_import_add_bytes (again, bytes, name, &error);
      g_assert_no_error (error);
    }
  roster_ical_import_add_bytes (import, bytes, name, &error);
  g_assert_no_error (error);
  return import;
}

static void
test_read_in_threads (Fixture       *f,
                      gconstpointer  data)
{
  const char * const files[] = { "thunderbird.ics", "korganizer.ics", "due-dates.ics", "evolution.ics" };
  GThread *threads[G_N_ELEMENTS (files)];
  g_autoptr(GError) error = NULL;
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    threads[i] = g_thread_new (files[i], read_in_thread, (gpointer) files[i]);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(RosterIcalImport) import = g_thread_join (threads[i]);

      roster_ical_import_run (import, f->store, "Ada", &error);
      g_assert_no_error (error);
      n += roster_ical_import_get_n_imported (import);
    }
  g_assert_cmpuint (n, ==, 2 + 2 + 5 + 2);
  /* The zones were read right in every thread. */
  assert_task (f, "Renew passport", "Bring two photos.\nThe form is on the desk, under the lamp.", FALSE,
               "2024-03-15", "Admin", "Ada");
  assert_task (f, "Due late in New York", "", FALSE, "2024-04-06", "", "Ada");
  assert_task (f, "Due early in a zone the file defines", "", FALSE, "2024-04-04", "", "Ada");
  assert_task (f, "Book the train to Köln", "Sparpreis if possible; the 8:12 or the 9:12", FALSE, "2024-03-19",
               "Personal|Reise & Urlaub|Travel", "Ada");
}

/* ------------------------------------------------------------------------ */
/* Owners, duplicates, undo                                                  */

static void
test_twice (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(RosterIcalImport) first = import_file (f->store, "nextcloud-tasks.ics", NULL);
  g_autofree char *after_first = dump_all (f->path);
  g_autofree char *undo_label = g_strdup (roster_store_get_undo_label (f->store));
  g_autoptr(RosterIcalImport) second = import_file (f->store, "nextcloud-tasks.ics", NULL);
  g_autofree char *after_second = dump_all (f->path);
  g_autofree char *summary = roster_ical_import_describe (second);
  g_autoptr(GBytes) original = load ("nextcloud-tasks.ics");
  g_autofree char *changed_text = NULL;
  g_autoptr(GBytes) changed = NULL;
  g_autoptr(RosterIcalImport) third = NULL;

  /* The same file again: no duplicate, nothing changed, nothing to undo. */
  g_assert_cmpstr (undo_label, ==, "Import");
  g_assert_cmpstr (after_second, ==, after_first);
  g_assert_cmpuint (roster_ical_import_get_n_updated (second), ==, 3);
  g_assert_cmpstr (summary, ==, "Imported 3 tasks; 3 were already there and were updated");
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, 3);

  /* A changed VTODO updates its task. */
  changed_text = g_strdup (g_bytes_get_data (original, NULL));
  changed_text[g_bytes_get_size (original)] = '\0';
  {
    char *at = strstr (changed_text, "SUMMARY:Collect the numbers");
    memcpy (at, "SUMMARY:Collect the figures", strlen ("SUMMARY:Collect the figures"));
  }
  changed = g_bytes_new (changed_text, strlen (changed_text));
  third = import_bytes (f->store, changed, "changed.ics", NULL);
  g_assert_cmpuint (roster_ical_import_get_n_updated (third), ==, 3);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, 3);
  assert_task (f, "Collect the figures", "", TRUE, NULL, "", "Team");
}

static void
test_owners (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(RosterIcalImport) a = import_file (f->store, "thunderbird.ics", "Zoe");
  g_autoptr(RosterIcalImport) b = NULL;
  g_autoptr(RosterIcalImport) c = NULL;

  /* Named on the command line: created when missing. */
  assert_task (f, "Renew passport", "Bring two photos.\nThe form is on the desk, under the lamp.", FALSE,
               "2024-03-15", "Admin", "Zoe");
  /* Named by nobody: the user the UID already names keeps them. */
  b = import_file (f->store, "thunderbird.ics", NULL);
  assert_task (f, "Renew passport", "Bring two photos.\nThe form is on the desk, under the lamp.", FALSE,
               "2024-03-15", "Admin", "Zoe");
  g_assert_null (roster_store_find_user (f->store, "Imported"));
  /* Named again: they go to the new owner. */
  c = import_file (f->store, "thunderbird.ics", "Yann");
  assert_task (f, "Pay the electricity bill", "", TRUE, "2024-03-01", "Admin|Money", "Yann");
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, 2);

  /* A calendar whose name is only white space is nobody's. */
  {
    static const char text[] = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Roster tests//EN\r\n"
                               "X-WR-CALNAME:\u00a0 \r\nBEGIN:VTODO\r\nUID:blank-calendar@roster.test\r\n"
                               "SUMMARY:In a calendar without a name\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
    g_autoptr(GBytes) bytes = g_bytes_new_static (text, sizeof text - 1);
    g_autoptr(RosterIcalImport) d = import_bytes (f->store, bytes, "blank.ics", NULL);

    assert_task (f, "In a calendar without a name", "", FALSE, NULL, "", "Imported");
  }
}

static void
test_undo (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) ada = roster_store_create_user (f->store, "Ada", &error);
  g_autoptr(RosterTask) own = roster_store_create_task (f->store, ada, "Ada's own", &error);
  g_autofree char *before = dump_all (f->path);
  g_autofree char *after = NULL;
  g_autoptr(RosterIcalImport) import = roster_ical_import_new ();
  const char * const files[] = { "thunderbird.ics", "korganizer.ics", "nextcloud-tasks.ics" };

  /* Three files, one step. */
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GBytes) bytes = load (files[i]);

      roster_ical_import_add_bytes (import, bytes, files[i], &error);
      g_assert_no_error (error);
    }
  roster_ical_import_run (import, f->store, "Ada", &error);
  g_assert_no_error (error);
  after = dump_all (f->path);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, 1 + 2 + 2 + 3);
  g_assert_cmpstr (roster_store_get_undo_label (f->store), ==, "Import");

  roster_store_undo (f->store, &error);
  g_assert_no_error (error);
  {
    g_autofree char *undone = dump_all (f->path);
    g_assert_cmpstr (undone, ==, before);
  }
  g_assert_cmpstr (roster_store_get_undo_label (f->store), ==, "Add task “Ada's own”");
  roster_store_redo (f->store, &error);
  g_assert_no_error (error);
  {
    g_autofree char *redone = dump_all (f->path);
    g_assert_cmpstr (redone, ==, after);
  }
}

/* ------------------------------------------------------------------------ */
/* The UID each task keeps                                                   */

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  gboolean *done = data;
  g_autoptr(GError) error = NULL;

  if (g_task_get_source_tag (G_TASK (result)) == roster_store_delete_user_async)
    g_assert_true (roster_store_delete_user_finish (ROSTER_STORE (source), result, &error));
  else
    g_assert_true (roster_store_undo_finish (ROSTER_STORE (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
wait_for (gboolean *done)
{
  while (!*done)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_uid_kept (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) ada = roster_store_create_user (f->store, "Ada", &error);
  g_autoptr(RosterUser) bea = roster_store_create_user (f->store, "Bea", &error);
  g_autoptr(RosterTask) task = roster_store_create_task (f->store, ada, "Keep my UID", &error);
  g_autofree char *uid = uid_of (f->path, roster_task_get_id (task));
  g_autofree char *uids = NULL;
  g_autofree char *before = NULL;
  gboolean done = FALSE;

  /* 128 random bits, in hex. */
  g_assert_cmpuint (strlen (uid), ==, 32);

  /* Deleted and undone, redone and undone, created again by redo. */
  roster_store_delete_task (f->store, task, &error);
  g_assert_no_error (error);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_ical"), ==, 0);
  roster_store_undo (f->store, &error);
  g_assert_no_error (error);
  {
    g_autofree char *back = uid_of (f->path, roster_task_get_id (task));
    g_assert_cmpstr (back, ==, uid);
  }
  roster_store_undo (f->store, &error);  /* the creation */
  roster_store_redo (f->store, &error);
  g_assert_no_error (error);
  {
    g_autofree char *back = uid_of (f->path, roster_task_get_id (task));
    g_assert_cmpstr (back, ==, uid);
  }

  /* A user deleted with their tasks, in the worker: undo brings every UID back. */
  for (guint i = 0; i < 600; i++)
    {
      g_autofree char *title = g_strdup_printf ("Bea's task %u", i);
      g_autoptr(RosterTask) t = roster_store_create_task (f->store, bea, title, &error);
      g_assert_no_error (error);
    }
  before = dump_all (f->path);
  roster_store_delete_user_async (f->store, bea, ROSTER_DELETE_USER_AND_TASKS, NULL, NULL, async_done_cb, &done);
  wait_for (&done);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_ical"), ==, 1);
  done = FALSE;
  roster_store_undo_async (f->store, async_done_cb, &done);
  wait_for (&done);
  {
    g_autofree char *undone = dump_all (f->path);
    g_assert_cmpstr (undone, ==, before);
  }

  /* The seed's classes insert and delete tasks with plain SQL: the triggers
   * give the new one a UID and take the row away with a deleted one. */
  roster_test_raw_exec (f->path, "INSERT INTO task (id, title, owner_id) VALUES (9999, 'From the seed', 1)");
  uids = uid_of (f->path, 9999);
  g_assert_cmpuint (strlen (uids), ==, 32);
  roster_test_raw_exec (f->path, "DELETE FROM task WHERE id = 9999");
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_ical WHERE task_id = 9999"), ==, 0);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_ical WHERE task_id NOT IN "
                                                 "(SELECT id FROM task)"), ==, 0);
}

/* ------------------------------------------------------------------------ */
/* Export                                                                    */

static void
test_export_scope (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(RosterIcalImport) a = import_file (f->store, "tasks-org.ics", "Ada");
  g_autoptr(RosterIcalImport) b = import_file (f->store, "korganizer.ics", "Bea");
  g_autoptr(RosterUser) ada = roster_store_find_user (f->store, "Ada");
  g_autoptr(RosterCategory) home = roster_store_find_category (f->store, "home");
  g_autoptr(RosterCategory) nothing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *all = export_text (f->store, NULL, NULL);
  g_autofree char *adas = export_text (f->store, ada, NULL);
  g_autofree char *homes = export_text (f->store, NULL, home);
  g_autofree char *none = NULL;
  icalcomponent *calendar;

  calendar = parse (all);
  g_assert_cmpint (count_components (calendar, ICAL_VTODO_COMPONENT), ==, 5);
  g_assert_null (x_value (calendar, "X-WR-CALNAME"));
  icalcomponent_free (calendar);
  calendar = parse (adas);
  g_assert_cmpint (count_components (calendar, ICAL_VTODO_COMPONENT), ==, 3);
  g_assert_cmpstr (x_value (calendar, "X-WR-CALNAME"), ==, "Ada");
  /* Only the zones its tasks name. */
  g_assert_cmpint (count_components (calendar, ICAL_VTIMEZONE_COMPONENT), ==, 0);
  icalcomponent_free (calendar);
  calendar = parse (homes);
  g_assert_cmpint (count_components (calendar, ICAL_VTODO_COMPONENT), ==, 2);
  g_assert_cmpstr (x_value (calendar, "X-WR-CALNAME"), ==, "home");
  icalcomponent_free (calendar);

  nothing = roster_store_create_category (f->store, "nothing", NULL, &error);
  none = export_text (f->store, NULL, nothing);
  calendar = parse (none);
  g_assert_cmpint (count_components (calendar, ICAL_VTODO_COMPONENT), ==, 0);
  icalcomponent_free (calendar);
}

static void
test_csv (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) ada = roster_store_create_user (f->store, "Ada, the first", &error);
  g_autoptr(RosterUser) bea = roster_store_create_user (f->store, "Bea", &error);
  g_autoptr(RosterCategory) home = roster_store_create_category (f->store, "home", NULL, &error);
  g_autoptr(RosterCategory) work = roster_store_create_category (f->store, "work", NULL, &error);
  g_autoptr(RosterTask) quoted = roster_store_create_task (f->store, ada, "Say \"hello\", then leave", &error);
  g_autoptr(RosterTask) plain = roster_store_create_task (f->store, bea, "Plain", &error);
  g_autoptr(GDateTime) due = g_date_time_new_utc (2024, 6, 30, 0, 0, 0);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) bea_bytes = NULL;
  g_autofree char *text = NULL;

  roster_store_set_task_notes (f->store, quoted, "Two\nlines", &error);
  roster_store_set_task_done (f->store, quoted, TRUE, &error);
  roster_store_set_task_due_date (f->store, quoted, due, &error);
  roster_store_tag_task (f->store, quoted, work, &error);
  roster_store_tag_task (f->store, quoted, home, &error);
  g_assert_no_error (error);

  bytes = roster_csv_export (f->store, NULL, NULL, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_cmpstr (text, ==,
                   "title,owner,done,due,tags,notes\r\n"
                   "\"Say \"\"hello\"\", then leave\",\"Ada, the first\",yes,2024-06-30,\"home, work\",\"Two\nlines\"\r\n"
                   "Plain,Bea,no,,,\r\n");

  bea_bytes = roster_csv_export (f->store, bea, NULL, &error);
  g_assert_no_error (error);
  {
    const char *expected = "title,owner,done,due,tags,notes\r\nPlain,Bea,no,,,\r\n";

    g_assert_cmpmem (g_bytes_get_data (bea_bytes, NULL), g_bytes_get_size (bea_bytes), expected, strlen (expected));
  }
  g_assert_nonnull (plain);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/ical/round-trip/fields", test_round_trip_fields);
  ADD ("/ical/round-trip/unknown-properties", test_round_trip_unknown);
  ADD ("/ical/round-trip/producers", test_round_trip_producers);
  ADD ("/ical/import/producers", test_producers);
  ADD ("/ical/import/escaping", test_escaping);
  ADD ("/ical/import/due-dates", test_due_dates);
  ADD ("/ical/import/bad-files", test_bad_files);
  ADD ("/ical/import/damaged-components", test_damaged_components);
  ADD ("/ical/import/read-in-threads", test_read_in_threads);
  ADD ("/ical/import/twice", test_twice);
  ADD ("/ical/import/owners", test_owners);
  ADD ("/ical/import/undo", test_undo);
  ADD ("/ical/uid-kept", test_uid_kept);
  ADD ("/ical/export/scope", test_export_scope);
  ADD ("/ical/export/csv", test_csv);

  status = g_test_run ();
  /* libical's caches of time zones, so that valgrind sees no leak. */
  icaltimezone_free_builtin_timezones ();
  return status;
}
