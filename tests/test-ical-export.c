/* test-ical-export.c: round trips through Roster, exports and the UIDs tasks keep.
 *
 * Every field of tasks Roster made, to a VTODO and back into another file;
 * what Roster does not know surviving an edit and an export; every
 * producer's file out and in again without a byte changed; the UID a task
 * keeps through undo and redo (the worker's too) and whoever writes the file;
 * exporting a user's, a tag's or every task, as iCalendar and as CSV. The
 * files of tests/data/ical are written by hand in other programs' styles.
 */
#define G_LOG_DOMAIN "test-ical"

#include <string.h>

#include "roster-ical-test-util.h"
#include "roster-test-util.h"

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
/* The UID each task keeps                                                   */

/* Keeps the result of a big change, which the test then finishes. */
static void
keep_result_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  GAsyncResult **kept = data;

  *kept = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **kept)
{
  while (*kept == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (kept);
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
  GAsyncResult *kept = NULL;

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
  /* Enough for both to run in the worker (a task and its UID are two row
   * operations each). */
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *title = g_strdup_printf ("Bea's task %u", i);
      g_autoptr(RosterTask) t = roster_store_create_task (f->store, bea, title, &error);
      g_assert_no_error (error);
    }
  before = dump_all (f->path);
  roster_store_delete_user_async (f->store, bea, ROSTER_DELETE_USER_AND_TASKS, NULL, NULL, keep_result_cb, &kept);
  g_assert_true (roster_store_get_working (f->store));
  {
    g_autoptr(GAsyncResult) result = wait_for_result (&kept);

    roster_store_delete_user_finish (f->store, result, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_ical"), ==, 1);
  roster_store_undo_async (f->store, keep_result_cb, &kept);
  g_assert_true (roster_store_get_working (f->store));
  {
    g_autoptr(GAsyncResult) result = wait_for_result (&kept);

    roster_store_undo_finish (f->store, result, &error);
    g_assert_no_error (error);
  }
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
  g_autoptr(RosterTask) formula = NULL;
  g_autoptr(GDateTime) due = g_date_time_new_utc (2024, 6, 30, 0, 0, 0);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) bea_bytes = NULL;
  g_autofree char *text = NULL;

  roster_store_set_task_notes (f->store, quoted, "Two\nlines", &error);
  roster_store_set_task_done (f->store, quoted, TRUE, &error);
  roster_store_set_task_due_date (f->store, quoted, due, &error);
  roster_store_tag_task (f->store, quoted, work, &error);
  roster_store_tag_task (f->store, quoted, home, &error);
  roster_store_set_task_due_time (f->store, quoted, "09:30", &error);
  roster_store_set_task_priority (f->store, quoted, ROSTER_PRIORITY_HIGH, &error);
  roster_store_set_task_recurrence (f->store, quoted, "FREQ=WEEKLY;BYDAY=SU", &error);
  g_assert_no_error (error);
  /* Another person's title that a spreadsheet would run as a formula. */
  formula = roster_store_create_task (f->store, bea, "=HYPERLINK(\"http://example.com\")", &error);
  roster_store_set_task_notes (f->store, formula, "-1 egg", &error);
  g_assert_no_error (error);

  bytes = roster_csv_export (f->store, NULL, NULL, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_cmpstr (text, ==,
                   "title,owner,done,due,due_time,priority,repeat,tags,notes\r\n"
                   "\"Say \"\"hello\"\", then leave\",\"Ada, the first\",yes,2024-06-30,09:30,high,"
                   "FREQ=WEEKLY;BYDAY=SU,\"home, work\",\"Two\nlines\"\r\n"
                   "Plain,Bea,no,,,,,,\r\n"
                   "\"'=HYPERLINK(\"\"http://example.com\"\")\",Bea,no,,,,,,'-1 egg\r\n");

  bea_bytes = roster_csv_export (f->store, bea, NULL, &error);
  g_assert_no_error (error);
  {
    const char *expected = "title,owner,done,due,due_time,priority,repeat,tags,notes\r\nPlain,Bea,no,,,,,,\r\n"
                           "\"'=HYPERLINK(\"\"http://example.com\"\")\",Bea,no,,,,,,'-1 egg\r\n";

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

  ROSTER_ICAL_TEST_ADD ("/ical/round-trip/fields", test_round_trip_fields);
  ROSTER_ICAL_TEST_ADD ("/ical/round-trip/unknown-properties", test_round_trip_unknown);
  ROSTER_ICAL_TEST_ADD ("/ical/round-trip/producers", test_round_trip_producers);
  ROSTER_ICAL_TEST_ADD ("/ical/uid-kept", test_uid_kept);
  ROSTER_ICAL_TEST_ADD ("/ical/export/scope", test_export_scope);
  ROSTER_ICAL_TEST_ADD ("/ical/export/csv", test_csv);

  status = g_test_run ();
  /* libical's caches of time zones, so that valgrind sees no leak. */
  icaltimezone_free_builtin_timezones ();
  return status;
}
