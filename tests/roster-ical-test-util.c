/* roster-ical-test-util.c: what the iCalendar tests share; see the header. */
#define G_LOG_DOMAIN "test-ical"

#include <sqlite3.h>
#include <string.h>

#include "roster-ical-test-util.h"
#include "roster-test-util.h"

void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = roster_test_make_dir ("roster-ical-XXXXXX");
  f->path = g_build_filename (f->dir, "roster.db", NULL);
  f->store = roster_store_open (f->path, &error);
  g_assert_no_error (error);
}

void
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

GBytes *
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
RosterIcalImport *
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

RosterIcalImport *
import_file (RosterStore *store,
             const char  *name,
             const char  *username)
{
  g_autoptr(GBytes) bytes = load (name);

  return import_bytes (store, bytes, name, username);
}

char *
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
char *
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

gint64
task_id_of (const char *path,
            const char *title)
{
  g_autofree char *text = query_text (path, "SELECT id FROM task WHERE title = %Q", title);

  g_assert_cmpstr (text, !=, "");
  return g_ascii_strtoll (text, NULL, 10);
}

RosterTask *
task_of (Fixture    *f,
         const char *title)
{
  g_autoptr(GError) error = NULL;
  RosterTask *task = roster_store_get_task (f->store, task_id_of (f->path, title), &error);

  g_assert_no_error (error);
  return task;
}

/* "a|b|c": a task's tag names, sorted. */
char *
tags_of (const char *path,
         gint64      task_id)
{
  return query_text (path,
                     "SELECT coalesce(group_concat(name, '|'), '') FROM (SELECT c.name AS name FROM taskcategorylink AS l "
                     "JOIN category AS c ON c.id = l.category_id WHERE l.task_id = %lld ORDER BY c.name)",
                     (long long) task_id);
}

char *
uid_of (const char *path,
        gint64      task_id)
{
  return query_text (path, "SELECT uid FROM roster_ical WHERE task_id = %lld", (long long) task_id);
}

/* Every task of the file as text, by UID: what an import must reproduce. */
char *
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
char *
dump_all (const char *path)
{
  g_autofree char *rows = roster_test_dump (path);
  g_autofree char *icals = roster_test_raw_text (path,
                                                 "SELECT task_id || '|' || uid || '|' || coalesce(vtodo, '-') "
                                                 "|| '|' || coalesce(digest, '-') FROM roster_ical ORDER BY task_id");

  return g_strconcat (rows, "\n", icals, NULL);
}

/* The VTODOs of @text with @uid (the series first), parsed by libical. */
icalcomponent *
parse (const char *text)
{
  icalcomponent *root = icalparser_parse_string (text);

  g_assert_nonnull (root);
  g_assert_cmpint (icalcomponent_isa (root), ==, ICAL_VCALENDAR_COMPONENT);
  g_assert_cmpint (icalcomponent_count_errors (root), ==, 0);
  return root;
}

/* The series with @uid (@rid NULL), or its override for RECURRENCE-ID @rid. */
icalcomponent *
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

guint
count_components (icalcomponent     *calendar,
                  icalcomponent_kind kind)
{
  return icalcomponent_count_components (calendar, kind);
}

const char *
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
void
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

RosterStore *
open_other (Fixture    *f,
            const char *name)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  RosterStore *store = roster_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}


void
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

char *
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
