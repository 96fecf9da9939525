/* test-ical-stream.c: files queued and read while the import writes.
 *
 * roster_ical_import_queue_bytes() reads a file in a thread of the run's own
 * while the run writes what it has read so far (roster-ical-read.c hands
 * each VTODO out as libical finishes it). Checked here: the queued import
 * writes the very rows that reading first writes, for every file of
 * tests/data/ical; a refused file queued behind a good one leaves the Roster
 * file as it was, to the byte; a series whose overrides come before it, and
 * a zone defined after the VTODO that names it; the file's own text kept,
 * CRLF; a VTODO without a UID is the same task when imported again; and
 * the UIDs and tag counts an import keeps itself (schema version 4).
 */
#define G_LOG_DOMAIN "test-ical"

#include <string.h>

#include "roster-ical-test-util.h"
#include "roster-test-util.h"

static RosterIcalImport *
import_queued (RosterStore *store,
               GBytes      *bytes,
               const char  *name,
               const char  *username)
{
  g_autoptr(RosterIcalImport) import = roster_ical_import_new ();
  g_autoptr(GError) error = NULL;

  roster_ical_import_queue_bytes (import, bytes, name);
  roster_ical_import_run (import, store, username, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&import);
}

static void
test_same_rows (Fixture       *f,
                gconstpointer  data)
{
  const char * const files[] = { "thunderbird.ics", "apple-reminders.ics", "tasks-org.ics", "nextcloud-tasks.ics",
                                  "evolution.ics", "korganizer.ics", "escaping.ics", "due-dates.ics", "damaged.ics" };
  g_autoptr(RosterStore) other = open_other (f, "other.db");
  g_autofree char *other_path = g_build_filename (f->dir, "other.db", NULL);
  g_autofree char *queued = NULL;
  g_autofree char *read_first = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GBytes) bytes = load (files[i]);
      g_autoptr(RosterIcalImport) a = import_queued (f->store, bytes, files[i], NULL);
      g_autoptr(RosterIcalImport) b = import_bytes (other, bytes, files[i], NULL);
      g_autofree char *said_a = roster_ical_import_describe (a);
      g_autofree char *said_b = roster_ical_import_describe (b);
      GPtrArray *unreadable_a = roster_ical_import_get_unreadable (a);
      GPtrArray *unreadable_b = roster_ical_import_get_unreadable (b);

      g_test_message ("%s: %s", files[i], said_a);
      g_assert_cmpstr (said_a, ==, said_b);
      g_assert_cmpuint (unreadable_a->len, ==, unreadable_b->len);
      for (guint k = 0; k < unreadable_a->len; k++)
        g_assert_cmpstr (g_ptr_array_index (unreadable_a, k), ==, g_ptr_array_index (unreadable_b, k));
    }
  g_assert_finalize_object (g_steal_pointer (&other));
  g_assert_finalize_object (g_steal_pointer (&f->store));
  queued = dump_all (f->path);
  read_first = dump_all (other_path);
  g_assert_cmpstr (queued, ==, read_first);
  /* Something was written: the dump is not two empty files. */
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), >=, 20);
}

static void
test_refused_behind (Fixture       *f,
                     gconstpointer  data)
{
  const char * const bad[] = { "cut-short.ics", "not-icalendar.vcf", "not-utf8.ics" };
  g_autoptr(GError) error = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *before = NULL;

  {
    g_autoptr(RosterIcalImport) first = import_file (f->store, "apple-reminders.ics", NULL);
  }
  g_assert_finalize_object (g_steal_pointer (&f->store));
  roster_test_raw_exec (f->path, "PRAGMA wal_checkpoint(TRUNCATE)");
  digest = roster_test_file_digest (f->path);
  before = dump_all (f->path);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(RosterIcalImport) import = roster_ical_import_new ();
      g_autoptr(GBytes) good = load ("korganizer.ics");
      g_autoptr(GBytes) refused = load (bad[i]);
      g_autofree char *digest_after = NULL;
      g_autofree char *after = NULL;

      f->store = roster_store_open (f->path, &error);
      g_assert_no_error (error);
      roster_ical_import_queue_bytes (import, good, "korganizer.ics");
      roster_ical_import_queue_bytes (import, refused, bad[i]);
      g_assert_false (roster_ical_import_run (import, f->store, NULL, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_clear_error (&error);
      g_assert_false (roster_store_get_can_undo (f->store));
      g_assert_cmpuint (roster_ical_import_get_n_imported (import), ==, 0);

      g_assert_finalize_object (g_steal_pointer (&f->store));
      after = dump_all (f->path);
      g_assert_cmpstr (after, ==, before);
      digest_after = roster_test_file_digest (f->path);
      g_assert_cmpstr (digest_after, ==, digest);
    }
  f->store = roster_store_open (f->path, &error);
  g_assert_no_error (error);
}

/* Overrides before their series, a task between them, and a VTIMEZONE after
 * the VTODO that names it; LF line ends, an unusual property kept. */
static const char apart[] =
  "BEGIN:VCALENDAR\n"
  "VERSION:2.0\n"
  "PRODID:-//Roster tests//apart//EN\n"
  "X-WR-CALNAME:Apart\n"
  "BEGIN:VTODO\n"
  "UID:series@roster.test\n"
  "DTSTAMP:20240301T090000Z\n"
  "RECURRENCE-ID:20240311T090000Z\n"
  "SUMMARY:Stand-up (moved)\n"
  "DTSTART:20240311T100000Z\n"
  "END:VTODO\n"
  "BEGIN:VTODO\n"
  "UID:between@roster.test\n"
  "DTSTAMP:20240301T090000Z\n"
  "SUMMARY:In between\n"
  "X-UNUSUAL;X-PARAM=kept:as written\n"
  "END:VTODO\n"
  "BEGIN:VTODO\n"
  "UID:series@roster.test\n"
  "DTSTAMP:20240301T090000Z\n"
  "SUMMARY:Stand-up\n"
  "DTSTART:20240304T090000Z\n"
  "RRULE:FREQ=WEEKLY;COUNT=10\n"
  "CATEGORIES:Team\n"
  "END:VTODO\n"
  "BEGIN:VTODO\n"
  "UID:zoned@roster.test\n"
  "DTSTAMP:20240301T090000Z\n"
  "SUMMARY:Due early in a zone defined below\n"
  "DUE;TZID=Far/East:20240405T010000\n"
  "END:VTODO\n"
  "BEGIN:VTODO\n"
  "UID:after-zoned@roster.test\n"
  "DTSTAMP:20240301T090000Z\n"
  "SUMMARY:After the zoned one\n"
  "END:VTODO\n"
  "BEGIN:VTIMEZONE\n"
  "TZID:Far/East\n"
  "BEGIN:STANDARD\n"
  "DTSTART:19700101T000000\n"
  "TZOFFSETFROM:+1400\n"
  "TZOFFSETTO:+1400\n"
  "END:STANDARD\n"
  "END:VTIMEZONE\n"
  "BEGIN:VTODO\n"
  "UID:series@roster.test\n"
  "DTSTAMP:20240301T090000Z\n"
  "RECURRENCE-ID:20240318T090000Z\n"
  "SUMMARY:Stand-up (cancelled)\n"
  "STATUS:CANCELLED\n"
  "END:VTODO\n"
  "END:VCALENDAR\n";

static void
test_series_apart (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (apart, strlen (apart));
  g_autoptr(RosterIcalImport) import = import_queued (f->store, bytes, "apart.ics", NULL);
  g_autoptr(RosterStore) other = open_other (f, "other.db");
  g_autoptr(RosterIcalImport) read_first = import_bytes (other, bytes, "apart.ics", NULL);
  g_autofree char *other_path = g_build_filename (f->dir, "other.db", NULL);
  g_autofree char *text = export_text (f->store, NULL, NULL);
  g_autofree char *stored = NULL;
  g_autofree char *dump_queued = NULL;
  g_autofree char *dump_read_first = NULL;
  g_autofree char *titles = NULL;
  icalcomponent *calendar = parse (text);

  /* The series is one task, with the series' fields. */
  g_assert_cmpuint (roster_ical_import_get_n_imported (import), ==, 4);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, 4);
  assert_task (f, "Stand-up", "", FALSE, NULL, "Team", "Apart");
  assert_task (f, "Due early in a zone defined below", "", FALSE, "2024-04-04", "", "Apart");
  /* In the file's order. */
  titles = list_titles (f->store, "Apart");
  g_assert_cmpstr (titles, ==, "Stand-up|In between|Due early in a zone defined below|After the zoned one");

  /* The export has the series and both overrides, the zone with its VTODO. */
  g_assert_nonnull (find_vtodo (calendar, "series@roster.test", NULL));
  g_assert_nonnull (find_vtodo (calendar, "series@roster.test", "20240311T090000Z"));
  g_assert_nonnull (find_vtodo (calendar, "series@roster.test", "20240318T090000Z"));
  g_assert_cmpuint (count_components (calendar, ICAL_VTIMEZONE_COMPONENT), ==, 1);
  icalcomponent_free (calendar);

  /* The file's own lines, with CRLF. */
  stored = query_text (f->path, "SELECT vtodo FROM roster_ical WHERE uid = 'between@roster.test'");
  g_assert_cmpstr (stored, ==,
                   "BEGIN:VTODO\r\nUID:between@roster.test\r\nDTSTAMP:20240301T090000Z\r\n"
                   "SUMMARY:In between\r\nX-UNUSUAL;X-PARAM=kept:as written\r\nEND:VTODO\r\n");
  g_assert_nonnull (strstr (text, "X-UNUSUAL;X-PARAM=kept:as written\r\n"));

  /* Read first, the same rows. */
  g_assert_finalize_object (g_steal_pointer (&other));
  dump_queued = dump_all (f->path);
  dump_read_first = dump_all (other_path);
  g_assert_cmpstr (dump_queued, ==, dump_read_first);
}

static const char no_uid[] =
  "BEGIN:VCALENDAR\r\n"
  "VERSION:2.0\r\n"
  "PRODID:-//Roster tests//no UID//EN\r\n"
  "BEGIN:VTODO\r\n"
  "DTSTAMP:20240301T090000Z\r\n"
  "SUMMARY:Written without a UID\r\n"
  "END:VTODO\r\n"
  "BEGIN:VTODO\r\n"
  "DTSTAMP:20240301T090000Z\r\n"
  "SUMMARY:Another without one\r\n"
  "END:VTODO\r\n"
  "END:VCALENDAR\r\n";

static void
test_no_uid_twice (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (no_uid, strlen (no_uid));
  g_autoptr(RosterIcalImport) first = import_bytes (f->store, bytes, "no-uid.ics", "Ada");
  g_autofree char *after_first = dump_all (f->path);
  g_autoptr(RosterIcalImport) second = import_queued (f->store, bytes, "no-uid.ics", "Ada");
  g_autofree char *after_second = dump_all (f->path);
  g_autofree char *uid = NULL;
  g_autofree char *text = NULL;

  /* Two tasks, each with a UID of its own, kept in its VTODO... */
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, 2);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(DISTINCT uid) FROM roster_ical"), ==, 2);
  uid = uid_of (f->path, task_id_of (f->path, "Written without a UID"));
  g_assert_true (g_str_has_suffix (uid, "@digest.roster"));
  text = export_text (f->store, NULL, NULL);
  g_assert_nonnull (strstr (text, uid));

  /* ...and the same file again updates them. */
  g_assert_cmpuint (roster_ical_import_get_n_updated (second), ==, 2);
  g_assert_cmpstr (after_second, ==, after_first);
}

/* An import gives its tasks their UIDs itself (schema version 4): the
 * trigger leaves them alone only inside the import's transaction, and gives
 * the tasks anyone else inserts a UID as before, after an import that
 * committed and after one that failed. */
static void
test_uids_supplied (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(RosterIcalImport) done = import_file (f->store, "korganizer.ics", "Ada");
  g_autoptr(RosterIcalImport) failed = roster_ical_import_new ();
  g_autoptr(GBytes) good = load ("thunderbird.ics");
  g_autoptr(GBytes) bad = load ("cut-short.ics");
  g_autoptr(GError) error = NULL;
  g_autofree char *uids = NULL;

  roster_ical_import_queue_bytes (failed, good, "thunderbird.ics");
  roster_ical_import_queue_bytes (failed, bad, "cut-short.ics");
  g_assert_false (roster_ical_import_run (failed, f->store, "Ada", &error));
  g_assert_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID);
  g_clear_error (&error);

  /* Every task has the UID of its VTODO, and no other row. */
  uids = query_text (f->path, "SELECT group_concat(uid, '|') FROM (SELECT uid FROM roster_ical ORDER BY uid)");
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, 2);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_ical"), ==, 2);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_ical_supplied"), ==, 0);
  g_test_message ("UIDs: %s", uids);
  g_assert_null (strstr (uids, "|||"));

  /* Another program's task gets one from the trigger. */
  roster_test_raw_exec (f->path, "INSERT INTO task (title, owner_id) SELECT 'From elsewhere', id FROM user LIMIT 1");
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_ical AS i JOIN task AS t "
                                                 "ON t.id = i.task_id WHERE t.title = 'From elsewhere' "
                                                 "AND length(i.uid) = 32"), ==, 1);
  /* And so does Roster's. */
  {
    g_autoptr(RosterUser) ada = roster_store_find_user (f->store, "Ada");
    g_autoptr(RosterTask) task = roster_store_create_task (f->store, ada, "Made here", &error);

    g_assert_no_error (error);
    g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_ical WHERE task_id = "
                                                   "(SELECT id FROM task WHERE title = 'Made here')"), ==, 1);
  }
}

/* Every tag's count is its number of links (and every user's, of tasks). */
static void
assert_counts (const char *path)
{
  g_assert_cmpint (roster_test_raw_int (path,
                                        "SELECT count(*) FROM category AS c LEFT JOIN roster_category_count AS n "
                                        "ON n.category_id = c.id WHERE coalesce(n.n_tasks, 0) != "
                                        "(SELECT count(*) FROM taskcategorylink WHERE category_id = c.id)"), ==, 0);
  g_assert_cmpint (roster_test_raw_int (path,
                                        "SELECT count(*) FROM user AS u LEFT JOIN roster_user_count AS n "
                                        "ON n.user_id = u.id WHERE coalesce(n.n_tasks, 0) != "
                                        "(SELECT count(*) FROM task WHERE owner_id = u.id)"), ==, 0);
}

/* An import keeps its tags' counts itself (schema version 4): right after
 * it, after a second import that changes tags (links deleted and added in
 * one batch, a tag made by it), after undo and redo, and for the links
 * anyone else adds afterwards. */
static void
test_counts_kept (Fixture       *f,
                  gconstpointer  data)
{
  static const char changed[] =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
    "BEGIN:VTODO\r\nUID:counted@roster.test\r\nSUMMARY:Counted\r\nCATEGORIES:Fresh,Shared\r\nEND:VTODO\r\n"
    "BEGIN:VTODO\r\nUID:counted@roster.test\r\nSUMMARY:Counted\r\nCATEGORIES:Shared,Later\r\nEND:VTODO\r\n"
    "END:VCALENDAR\r\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (changed, strlen (changed));
  g_autoptr(GError) error = NULL;
  g_autofree char *tags = NULL;

  {
    g_autoptr(RosterIcalImport) first = import_file (f->store, "nextcloud-tasks.ics", NULL);
    g_autoptr(RosterIcalImport) second = import_file (f->store, "thunderbird.ics", NULL);
  }
  assert_counts (f->path);
  {
    g_autoptr(RosterIcalImport) third = import_queued (f->store, bytes, "changed.ics", "Ada");
  }
  assert_counts (f->path);
  tags = tags_of (f->path, task_id_of (f->path, "Counted"));
  g_assert_cmpstr (tags, ==, "Later|Shared");
  roster_store_undo (f->store, &error);
  g_assert_no_error (error);
  assert_counts (f->path);
  roster_store_redo (f->store, &error);
  g_assert_no_error (error);
  assert_counts (f->path);
  roster_test_raw_exec (f->path, "INSERT INTO taskcategorylink (task_id, category_id) "
                                 "SELECT (SELECT id FROM task WHERE title = 'Counted'), id FROM category "
                                 "WHERE name = 'Fresh'");
  assert_counts (f->path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ROSTER_ICAL_TEST_ADD ("/ical/stream/same-rows", test_same_rows);
  ROSTER_ICAL_TEST_ADD ("/ical/stream/refused-behind", test_refused_behind);
  ROSTER_ICAL_TEST_ADD ("/ical/stream/series-apart", test_series_apart);
  ROSTER_ICAL_TEST_ADD ("/ical/stream/no-uid-twice", test_no_uid_twice);
  ROSTER_ICAL_TEST_ADD ("/ical/stream/uids-supplied", test_uids_supplied);
  ROSTER_ICAL_TEST_ADD ("/ical/stream/counts-kept", test_counts_kept);

  return g_test_run ();
}
