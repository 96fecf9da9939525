/* roster-ical-bench.c: importing and exporting iCalendar against libical alone.
 *
 * Issue 15's benchmark. It generates (with libical) one VCALENDAR of 10,000
 * VTODOs, 3 CATEGORIES values each, in the style of the programs Roster reads
 * from, and then, --runs times, in one process:
 *
 *   - libical alone: parses the file (icalparser_parse_string), serialises the
 *     tree again (icalcomponent_as_ical_string_r), frees it;
 *   - Roster: imports the file into a new user of a new file as the window
 *     does (RosterIcalImport with the file queued: read in a thread of its
 *     own while the one batch is written) and exports that user's tasks
 *     again (roster_ical_export); for context, the two halves of the import
 *     one after the other, into another new file: the reading alone
 *     (roster_ical_import_add_bytes) and the writing of what it read;
 *   - for comparison, what the same rows cost with plain sqlite3 prepared
 *     statements in a Roster file (the floor of the import's writing), an
 *     export after every task changed (each VTODO parsed and patched), an
 *     export of as many tasks Roster made (each VTODO new) and a CSV export.
 *
 * It prints the median of each beside libical's, and the ratios against the
 * targets of issue 15: import at most 2x the bare parse, export at most 2x
 * the bare serialisation. A benchmark, not a test: it exits 0 whether the
 * targets are met or not, and non-zero only when something fails.
 */
#define G_LOG_DOMAIN "roster-ical-bench"

#include <libical/ical.h>
#include <locale.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "roster-model.h"
#include "roster-test-util.h"

typedef enum
{
  M_PARSE,
  M_FREE,
  M_SERIALISE,
  M_IMPORT,
  M_IMPORT_CPU,
  M_IMPORT_READ,
  M_IMPORT_WRITE,
  M_SQLITE_WRITE,
  M_EXPORT,
  M_EXPORT_PATCHED,
  M_EXPORT_NEW,
  M_EXPORT_CSV,
  N_MEASURES
} Measure;

static const char * const measure_names[N_MEASURES] = {
  [M_PARSE]          = "libical: parse",
  [M_FREE]           = "libical: free the tree",
  [M_SERIALISE]      = "libical: serialise the tree",
  [M_IMPORT]         = "import into a new user",
  [M_IMPORT_CPU]     = "  its CPU time, both threads",
  [M_IMPORT_READ]    = "  reading alone (parse, map, keep text)",
  [M_IMPORT_WRITE]   = "  writing alone (one batch)",
  [M_SQLITE_WRITE]   = "  (plain sqlite3: the same rows)",
  [M_EXPORT]         = "export that user again",
  [M_EXPORT_PATCHED] = "  export, every task changed",
  [M_EXPORT_NEW]     = "  export, tasks Roster made",
  [M_EXPORT_CSV]     = "  export as CSV",
};

static guint n_todos = 10000;
static guint n_runs = 5;
static guint n_categories = 20;

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* The CPU time of the process, every thread: beside the wall-clock time, it
 * says how much of the import's work ran at the same time. */
static double
cpu_ms (void)
{
  struct timespec t;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1000.0 + t.tv_nsec / 1e6;
}

static void
check (gboolean    ok,
       const char *what,
       GError     *error)
{
  if (!ok)
    {
      g_printerr ("roster-ical-bench: %s failed%s%s\n", what, error ? ": " : "", error ? error->message : "");
      exit (1);
    }
}

/* ------------------------------------------------------------------------ */
/* The file                                                                  */

static icalproperty *
x_property (const char *name,
            const char *value)
{
  icalproperty *p = icalproperty_new_x (value);

  icalproperty_set_x_name (p, name);
  return p;
}

/* 10,000 VTODOs as the programs Roster reads from write them: a UID, stamps,
 * a title, notes for some, a due date for most, done for a quarter, a
 * priority, a sort order and three categories. */
static char *
generate (void)
{
  icalcomponent *calendar = icalcomponent_new (ICAL_VCALENDAR_COMPONENT);
  struct icaltimetype stamp = icaltime_from_string ("20240301T090000Z");
  char *text;

  icalcomponent_add_property (calendar, icalproperty_new_version ("2.0"));
  icalcomponent_add_property (calendar, icalproperty_new_prodid ("-//Roster//roster-ical-bench//EN"));
  icalcomponent_add_property (calendar, x_property ("X-WR-CALNAME", "Bench"));

  for (guint i = 0; i < n_todos; i++)
    {
      icalcomponent *vtodo = icalcomponent_new (ICAL_VTODO_COMPONENT);
      g_autofree char *uid = g_strdup_printf ("bench-%05u-2f0c6d0e-5b1f-4c8e@roster.test", i);
      g_autofree char *summary = g_strdup_printf ("Task number %u, with a comma; and a semicolon", i);
      g_autofree char *notes = g_strdup_printf ("Notes of task %u.\nA second line.", i);
      g_autofree char *order = g_strdup_printf ("%u", 1000 + i);
      g_autofree char *categories = g_strdup_printf ("category %02u,category %02u,category %02u",
                                                     i % n_categories, (i + 7) % n_categories,
                                                     (i + 13) % n_categories);
      struct icaltimetype due = icaltime_null_date ();

      due.year = 2024, due.month = 1 + i % 12, due.day = 1 + i % 28;
      icalcomponent_add_property (vtodo, icalproperty_new_uid (uid));
      icalcomponent_add_property (vtodo, icalproperty_new_dtstamp (stamp));
      icalcomponent_add_property (vtodo, icalproperty_new_created (stamp));
      icalcomponent_add_property (vtodo, icalproperty_new_lastmodified (stamp));
      icalcomponent_add_property (vtodo, icalproperty_new_summary (summary));
      if (i % 2 == 0)
        icalcomponent_add_property (vtodo, icalproperty_new_description (notes));
      if (i % 5 != 0)
        icalcomponent_add_property (vtodo, icalproperty_new_due (due));
      if (i % 4 == 0)
        {
          icalcomponent_add_property (vtodo, icalproperty_new_status (ICAL_STATUS_COMPLETED));
          icalcomponent_add_property (vtodo, icalproperty_new_completed (stamp));
          icalcomponent_add_property (vtodo, icalproperty_new_percentcomplete (100));
        }
      else
        icalcomponent_add_property (vtodo, icalproperty_new_status (ICAL_STATUS_NEEDSACTION));
      icalcomponent_add_property (vtodo, icalproperty_new_priority (1 + i % 9));
      icalcomponent_add_property (vtodo, x_property ("X-APPLE-SORT-ORDER", order));
      icalcomponent_add_property (vtodo, icalproperty_new_categories (categories));
      icalcomponent_add_component (calendar, vtodo);
    }

  text = icalcomponent_as_ical_string_r (calendar);
  icalcomponent_free (calendar);
  return text;
}

/* ------------------------------------------------------------------------ */
/* One run                                                                   */

typedef struct
{
  double ms[N_MEASURES];
} Run;

static void
bare_libical (const char *text,
              Run        *run)
{
  icalcomponent *root;
  char *again;
  double t0, t1, t2, t3;

  t0 = now_ms ();
  root = icalparser_parse_string (text);
  t1 = now_ms ();
  again = icalcomponent_as_ical_string_r (root);
  t2 = now_ms ();
  icalcomponent_free (root);
  t3 = now_ms ();
  check (icalcomponent_count_components (root = icalparser_parse_string (again), ICAL_VTODO_COMPONENT) == (int) n_todos,
         "libical's own round trip", NULL);
  icalcomponent_free (root);
  icalmemory_free_buffer (again);

  run->ms[M_PARSE] = t1 - t0;
  run->ms[M_SERIALISE] = t2 - t1;
  run->ms[M_FREE] = t3 - t2;
}

/* The rows the import writes, with plain prepared statements into a Roster
 * file of @store's schema: one task, its UID and VTODO, three links each. */
static double
plain_sqlite (const char *path,
              const char *text)
{
  icalcomponent *root = icalparser_parse_string (text);
  g_autoptr(GPtrArray) todos = g_ptr_array_new_with_free_func (free);
  sqlite3 *db = NULL;
  sqlite3_stmt *task = NULL, *ical = NULL, *link = NULL;
  double t0, t1;

  /* Prepared before the clock starts, as the import's are cached. */
  for (icalcomponent *c = icalcomponent_get_first_component (root, ICAL_VTODO_COMPONENT);
       c != NULL;
       c = icalcomponent_get_next_component (root, ICAL_VTODO_COMPONENT))
    g_ptr_array_add (todos, icalcomponent_as_ical_string_r (c));
  icalcomponent_free (root);

  check (sqlite3_open (path, &db) == SQLITE_OK, "opening the plain file", NULL);
  check (sqlite3_exec (db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384; "
                           "INSERT INTO user (id, username) VALUES (1, 'Bench');", NULL, NULL, NULL) == SQLITE_OK,
         "setting up the plain file", NULL);
  for (guint c = 0; c < n_categories; c++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO category (id, name) VALUES (%u, 'category %02u')",
                                              c + 1, c);
      check (sqlite3_exec (db, sql, NULL, NULL, NULL) == SQLITE_OK, "adding categories", NULL);
    }
  sqlite3_prepare_v2 (db, "INSERT INTO task (title, owner_id, done, notes, due_date, position) "
                          "VALUES (?1, 1, 0, ?2, '2024-03-15', ?3)", -1, &task, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO roster_ical (task_id, uid, vtodo, digest) VALUES (?1, ?2, ?3, ?4) "
                          "ON CONFLICT (task_id) DO UPDATE SET uid = excluded.uid, vtodo = excluded.vtodo, "
                          "digest = excluded.digest", -1, &ical, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO taskcategorylink (task_id, category_id) VALUES (?1, ?2)", -1, &link, NULL);

  t0 = now_ms ();
  check (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK, "BEGIN", NULL);
  for (guint i = 0; i < todos->len; i++)
    {
      char title[64], uid[64];
      sqlite3_int64 id;

      g_snprintf (title, sizeof title, "Task number %u, with a comma; and a semicolon", i);
      g_snprintf (uid, sizeof uid, "bench-%05u-2f0c6d0e-5b1f-4c8e@roster.test", i);
      sqlite3_bind_text (task, 1, title, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (task, 2, "Notes of the task.\nA second line.", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (task, 3, 1000 + i);
      check (sqlite3_step (task) == SQLITE_DONE, "a task", NULL);
      sqlite3_reset (task);
      id = sqlite3_last_insert_rowid (db);
      sqlite3_bind_int64 (ical, 1, id);
      sqlite3_bind_text (ical, 2, uid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (ical, 3, g_ptr_array_index (todos, i), -1, SQLITE_STATIC);
      sqlite3_bind_text (ical, 4, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", -1,
                         SQLITE_STATIC);
      check (sqlite3_step (ical) == SQLITE_DONE, "a UID", NULL);
      sqlite3_reset (ical);
      for (guint k = 0; k < 3; k++)
        {
          sqlite3_bind_int64 (link, 1, id);
          sqlite3_bind_int64 (link, 2, 1 + (i + k * 7) % n_categories);
          check (sqlite3_step (link) == SQLITE_DONE, "a link", NULL);
          sqlite3_reset (link);
        }
    }
  check (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK, "COMMIT", NULL);
  t1 = now_ms ();

  sqlite3_finalize (task);
  sqlite3_finalize (ical);
  sqlite3_finalize (link);
  sqlite3_close (db);
  return t1 - t0;
}

static double
timed_export (RosterStore *store,
              RosterUser  *user,
              gboolean     csv,
              guint        expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  icalcomponent *root;
  double t0 = now_ms ();
  double ms;

  bytes = csv ? roster_csv_export (store, user, NULL, &error) : roster_ical_export (store, user, NULL, &error);
  ms = now_ms () - t0;
  check (bytes != NULL, "an export", error);
  if (!csv)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

      root = icalparser_parse_string (text);
      check (root != NULL && icalcomponent_count_components (root, ICAL_VTODO_COMPONENT) == (int) expected,
             "reading the export back", NULL);
      icalcomponent_free (root);
    }
  return ms;
}

static void
one_run (const char *text,
         Run        *run)
{
  g_autofree char *dir = roster_test_make_dir ("roster-ical-bench-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.db", NULL);
  g_autofree char *alone = g_build_filename (dir, "alone.db", NULL);
  g_autofree char *copy = g_strdup_printf ("VACUUM INTO '%s'", plain);
  g_autofree char *copy_alone = g_strdup_printf ("VACUUM INTO '%s'", alone);
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(RosterIcalImport) import = roster_ical_import_new ();
  g_autoptr(RosterIcalImport) halves = roster_ical_import_new ();
  g_autoptr(RosterStore) store = NULL;
  g_autoptr(RosterStore) store_alone = NULL;
  g_autoptr(RosterUser) user = NULL;
  g_autoptr(RosterUser) maker = NULL;
  g_autoptr(GListModel) tasks = NULL;
  g_autoptr(GError) error = NULL;
  double t0, t1, t2, c0;
  gboolean ok;

  bare_libical (text, run);

  /* A Roster file as the import finds it, and a copy for plain sqlite3. */
  store = roster_store_open (path, &error);
  check (store != NULL, "opening the Roster file", error);
  g_clear_object (&store);
  roster_test_raw_exec (path, "PRAGMA wal_checkpoint(TRUNCATE)");
  roster_test_raw_exec (path, copy);
  roster_test_raw_exec (path, copy_alone);
  store = roster_store_open (path, &error);
  check (store != NULL, "opening the Roster file", error);
  store_alone = roster_store_open (alone, &error);
  check (store_alone != NULL, "opening the second Roster file", error);

  t0 = now_ms ();
  c0 = cpu_ms ();
  roster_ical_import_queue_bytes (import, bytes, "bench.ics");
  ok = roster_ical_import_run (import, store, "Bench", &error);
  t1 = now_ms ();
  run->ms[M_IMPORT_CPU] = cpu_ms () - c0;
  check (ok && roster_ical_import_get_n_imported (import) == n_todos, "the import", error);
  run->ms[M_IMPORT] = t1 - t0;

  t0 = now_ms ();
  ok = roster_ical_import_add_bytes (halves, bytes, "bench.ics", &error);
  t1 = now_ms ();
  ok = ok && roster_ical_import_run (halves, store_alone, "Bench", &error);
  t2 = now_ms ();
  check (ok && roster_ical_import_get_n_imported (halves) == n_todos, "the import in halves", error);
  run->ms[M_IMPORT_READ] = t1 - t0;
  run->ms[M_IMPORT_WRITE] = t2 - t1;
  g_clear_object (&store_alone);
  run->ms[M_SQLITE_WRITE] = plain_sqlite (plain, text);

  user = roster_store_find_user (store, "Bench");
  run->ms[M_EXPORT] = timed_export (store, user, FALSE, n_todos);
  run->ms[M_EXPORT_CSV] = timed_export (store, user, TRUE, n_todos);

  /* Every task changed (its done flag flipped), in one batch. */
  tasks = roster_store_list_user_tasks (store, user);
  roster_store_begin_batch (store, "change");
  for (guint i = 0; i < g_list_model_get_n_items (tasks); i++)
    {
      g_autoptr(RosterTask) task = g_list_model_get_item (tasks, i);
      roster_store_set_task_done (store, task, !roster_task_get_done (task), NULL);
    }
  check (roster_store_commit_batch (store, &error), "changing every task", error);
  run->ms[M_EXPORT_PATCHED] = timed_export (store, user, FALSE, n_todos);

  /* As many tasks made in Roster (no stored VTODO), three tags each. */
  maker = roster_store_create_user (store, "Maker", &error);
  check (maker != NULL, "a second user", error);
  roster_store_begin_batch (store, "make");
  for (guint i = 0; i < n_todos; i++)
    {
      g_autofree char *title = g_strdup_printf ("Made in Roster %u", i);
      g_autoptr(RosterTask) task = roster_store_create_task (store, maker, title, NULL);

      for (guint k = 0; k < 3 && task != NULL; k++)
        {
          g_autofree char *name = g_strdup_printf ("category %02u", (i + k * 7) % n_categories);
          g_autoptr(RosterCategory) category = roster_store_find_category (store, name);
          roster_store_tag_task (store, task, category, NULL);
        }
    }
  check (roster_store_commit_batch (store, &error), "making tasks", error);
  run->ms[M_EXPORT_NEW] = timed_export (store, maker, FALSE, n_todos);

  g_clear_object (&tasks);
  g_clear_object (&user);
  g_clear_object (&maker);
  g_clear_object (&store);
  roster_test_remove_tree (dir);
}

/* ------------------------------------------------------------------------ */
/* The table                                                                 */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median_of (const Run *runs,
           Measure    m)
{
  g_autofree double *values = g_new (double, n_runs);

  for (guint r = 0; r < n_runs; r++)
    values[r] = runs[r].ms[m];
  qsort (values, n_runs, sizeof (double), compare_doubles);
  return n_runs % 2 ? values[n_runs / 2] : (values[n_runs / 2 - 1] + values[n_runs / 2]) / 2;
}

static void
print_table (const Run *runs,
             gsize      file_size)
{
  double medians[N_MEASURES];
  double parse, serialise;

  for (Measure m = 0; m < N_MEASURES; m++)
    medians[m] = median_of (runs, m);
  parse = medians[M_PARSE];
  serialise = medians[M_SERIALISE];

  g_print ("\nMedian of %u run%s: %u VTODOs, 3 CATEGORIES values each (%.1f MB); libical %d.%d.%d, SQLite %s\n\n",
           n_runs, n_runs == 1 ? "" : "s", n_todos, file_size / 1e6, ICAL_MAJOR_VERSION, ICAL_MINOR_VERSION,
           ICAL_PATCH_VERSION, sqlite3_libversion ());
  g_print ("%-38s %9s %12s %8s %5s\n", "step", "ms", "ratio", "target", "met");
  g_print ("%-38s %9s %12s %8s %5s\n", "--------------------------------------", "--------",
           "------------", "------", "---");
  for (Measure m = 0; m < N_MEASURES; m++)
    {
      g_autofree char *ratio = NULL;
      const char *target = "", *met = "";

      if (m == M_IMPORT || m == M_IMPORT_CPU || m == M_IMPORT_READ || m == M_IMPORT_WRITE || m == M_SQLITE_WRITE || m == M_FREE)
        ratio = g_strdup_printf ("%.2fx parse", medians[m] / parse);
      else if (m >= M_EXPORT)
        ratio = g_strdup_printf ("%.2fx ser.", medians[m] / serialise);
      else
        ratio = g_strdup ("");
      if (m == M_IMPORT || m == M_EXPORT)
        {
          double base = m == M_IMPORT ? parse : serialise;

          target = "<= 2x";
          met = medians[m] <= 2 * base ? "yes" : "NO";
        }
      {
        g_autofree char *line = g_strdup_printf ("%-38s %9.1f %12s %8s %5s", measure_names[m], medians[m],
                                                 ratio, target, met);
        g_print ("%s\n", g_strchomp (line));
      }
    }
  g_print ("\nimport against libical's parse and free together: %.2fx\n",
           medians[M_IMPORT] / (parse + medians[M_FREE]));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree Run *runs = NULL;
  g_autofree char *keep = NULL;
  const GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, "How many runs (default 5)", "N" },
    { "todos", 0, 0, G_OPTION_ARG_INT, &n_todos, "How many VTODOs (default 10000)", "N" },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep, "Write the generated file to FILE too", "FILE" },
    { NULL }
  };
  char *text;

  setlocale (LC_ALL, "");
  g_option_context_set_summary (context, "Imports and exports a generated .ics through Roster, beside "
                                         "libical's bare parse and serialisation of the same file.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_runs == 0 || n_todos == 0)
    {
      g_printerr ("%s\n", error ? error->message : "--runs and --todos must be at least 1");
      return 2;
    }

  text = generate ();
  if (keep != NULL)
    check (g_file_set_contents (keep, text, -1, &error), "writing --keep", error);

  runs = g_new0 (Run, n_runs);
  for (guint r = 0; r < n_runs; r++)
    {
      one_run (text, &runs[r]);
      g_printerr ("run %u: import %.0f ms (parse %.0f ms), export %.0f ms (serialise %.0f ms)\n", r + 1,
                  runs[r].ms[M_IMPORT], runs[r].ms[M_PARSE], runs[r].ms[M_EXPORT], runs[r].ms[M_SERIALISE]);
    }
  print_table (runs, strlen (text));

  icalmemory_free_buffer (text);
  icaltimezone_free_builtin_timezones ();
  return 0;
}
