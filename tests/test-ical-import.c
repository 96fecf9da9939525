/* test-ical-import.c: what an import reads, and what it does with bad input.
 *
 * The files of tests/data/ical, written by hand in the styles of
 * Thunderbird, Apple Reminders, tasks.org, Nextcloud Tasks, Evolution and
 * KOrganizer: every field, escaping, folding and time zones; files refused
 * whole with the Roster file unchanged to the byte, damaged components
 * skipped and named; reading in threads; importing twice; owners; undo.
 */
#define G_LOG_DOMAIN "test-ical"

#include <string.h>

#include "roster-ical-test-util.h"
#include "roster-test-util.h"

/* ------------------------------------------------------------------------ */
/* What is read                                                              */

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

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  ROSTER_ICAL_TEST_ADD ("/ical/import/producers", test_producers);
  ROSTER_ICAL_TEST_ADD ("/ical/import/escaping", test_escaping);
  ROSTER_ICAL_TEST_ADD ("/ical/import/due-dates", test_due_dates);
  ROSTER_ICAL_TEST_ADD ("/ical/import/bad-files", test_bad_files);
  ROSTER_ICAL_TEST_ADD ("/ical/import/damaged-components", test_damaged_components);
  ROSTER_ICAL_TEST_ADD ("/ical/import/read-in-threads", test_read_in_threads);
  ROSTER_ICAL_TEST_ADD ("/ical/import/twice", test_twice);
  ROSTER_ICAL_TEST_ADD ("/ical/import/owners", test_owners);
  ROSTER_ICAL_TEST_ADD ("/ical/import/undo", test_undo);

  status = g_test_run ();
  /* libical's caches of time zones, so that valgrind sees no leak. */
  icaltimezone_free_builtin_timezones ();
  return status;
}
