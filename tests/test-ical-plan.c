/* test-ical-plan.c: due times, priorities and repeat rules in iCalendar
 * (issue 18): what an import reads, what an export writes, and that a
 * VTODO's other properties survive the patch.
 *
 * Runs with TZ=Europe/Berlin (tests/meson.build), so that a DUE in UTC or
 * with a TZID is read as the time it is here, not as written.
 */
#define G_LOG_DOMAIN "test-ical-plan"

#include "roster-ical-test-util.h"

#define CALENDAR(todos) \
  "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//plan//EN\r\n" todos "END:VCALENDAR\r\n"
#define TODO(uid, title, props) \
  "BEGIN:VTODO\r\nUID:" uid "\r\nDTSTAMP:20261201T000000Z\r\nSUMMARY:" title "\r\n" props "END:VTODO\r\n"

static RosterIcalImport *
import_text (Fixture    *f,
             const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));

  return import_bytes (f->store, bytes, "plan.ics", "ada");
}

static void
assert_plan (Fixture        *f,
             const char     *title,
             const char     *due,
             const char     *due_time,
             RosterPriority  priority,
             const char     *recurrence)
{
  g_autoptr(RosterTask) task = task_of (f, title);
  g_autofree char *date = NULL;

  g_test_message ("%s", title);
  if (roster_task_get_due_date (task) != NULL)
    date = g_date_time_format (roster_task_get_due_date (task), "%Y-%m-%d");
  g_assert_cmpstr (date, ==, due);
  g_assert_cmpstr (roster_task_get_due_time (task), ==, due_time);
  g_assert_cmpint (roster_task_get_priority (task), ==, priority);
  g_assert_cmpstr (roster_task_get_recurrence (task), ==, recurrence);
}

/* What an import fills in. */
static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(RosterIcalImport) import = NULL;

  g_assert_cmpstr (g_getenv ("TZ"), ==, "Europe/Berlin");
  import = import_text (f, CALENDAR (
    TODO ("a", "Weekly", "DUE;VALUE=DATE:20270104\r\nPRIORITY:1\r\nRRULE:FREQ=WEEKLY;BYDAY=MO\r\n")
    TODO ("b", "Floating", "DUE:20270104T093000\r\nPRIORITY:5\r\n")
    TODO ("c", "In UTC", "DUE:20270104T083000Z\r\nPRIORITY:3\r\n")
    TODO ("d", "Low", "PRIORITY:7\r\n")
    TODO ("e", "Undefined", "PRIORITY:0\r\n")
    TODO ("f", "Rule without a due date", "RRULE:FREQ=DAILY\r\n")
    TODO ("g", "Hourly", "DUE;VALUE=DATE:20270104\r\nRRULE:FREQ=HOURLY\r\n")
    TODO ("h", "Until", "DTSTART:20270104T090000\r\nDUE:20270104T090000\r\n"
                        "RRULE:FREQ=DAILY;COUNT=3;INTERVAL=2\r\n")
    TODO ("i", "Until a moment", "DUE;VALUE=DATE:20270104\r\nRRULE:FREQ=MONTHLY;UNTIL=20270301T225959Z\r\n")));
  g_assert_cmpuint (roster_ical_import_get_n_imported (import), ==, 9);

  assert_plan (f, "Weekly", "2027-01-04", NULL, ROSTER_PRIORITY_HIGH, "FREQ=WEEKLY;BYDAY=MO");
  assert_plan (f, "Floating", "2027-01-04", "09:30", ROSTER_PRIORITY_MEDIUM, "");
  /* 08:30 UTC is 09:30 in Berlin in winter. */
  assert_plan (f, "In UTC", "2027-01-04", "09:30", ROSTER_PRIORITY_HIGH, "");
  assert_plan (f, "Low", NULL, NULL, ROSTER_PRIORITY_LOW, "");
  assert_plan (f, "Undefined", NULL, NULL, ROSTER_PRIORITY_NONE, "");
  /* A task repeats from its due date; Roster repeats by days at the most. */
  assert_plan (f, "Rule without a due date", NULL, NULL, ROSTER_PRIORITY_NONE, "");
  assert_plan (f, "Hourly", "2027-01-04", NULL, ROSTER_PRIORITY_NONE, "");
  assert_plan (f, "Until", "2027-01-04", "09:00", ROSTER_PRIORITY_NONE, "FREQ=DAILY;COUNT=3;INTERVAL=2");
  /* 22:59:59 UTC on 1 March is 23:59:59 in Berlin: the same day. */
  assert_plan (f, "Until a moment", "2027-01-04", NULL, ROSTER_PRIORITY_NONE, "FREQ=MONTHLY;UNTIL=20270301");
}

static icalcomponent *
export_todo (Fixture      *f,
             icalcomponent **calendar,
             const char    *uid)
{
  g_autofree char *text = export_text (f->store, NULL, NULL);
  icalcomponent *vtodo;

  *calendar = parse (text);
  vtodo = find_vtodo (*calendar, uid, NULL);
  g_assert_nonnull (vtodo);
  return vtodo;
}

/* A task made in Roster: DUE a floating DATE-TIME with a time, a DATE
 * without; PRIORITY 1, 5, 9 or none; the RRULE, with DTSTART on DUE. */
static void
test_export_new (Fixture       *f,
                 gconstpointer  data)
{
  static const struct {
    const char     *title;
    const char     *time;
    RosterPriority  priority;
    const char     *rule;
    int             written_priority;  /* -1: no PRIORITY */
  } tasks[] = {
    { "With a time", "09:30", ROSTER_PRIORITY_HIGH, "FREQ=WEEKLY;UNTIL=20270301;BYDAY=MO", 1 },
    { "A day", NULL, ROSTER_PRIORITY_MEDIUM, "FREQ=MONTHLY;BYMONTHDAY=-1", 5 },
    { "Low", NULL, ROSTER_PRIORITY_LOW, "", 9 },
    { "Nothing", NULL, ROSTER_PRIORITY_NONE, "", -1 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) ada = roster_store_create_user (f->store, "ada", &error);
  g_autoptr(GDateTime) day = g_date_time_new_utc (2027, 1, 4, 0, 0, 0);
  g_autofree char *text = NULL;
  icalcomponent *calendar;

  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
    {
      g_autoptr(RosterTask) task = roster_store_create_task (f->store, ada, tasks[i].title, &error);

      g_assert_true (roster_store_set_task_due_date (f->store, task, day, &error));
      g_assert_true (roster_store_set_task_due_time (f->store, task, tasks[i].time, &error));
      g_assert_true (roster_store_set_task_priority (f->store, task, tasks[i].priority, &error));
      g_assert_true (roster_store_set_task_recurrence (f->store, task, tasks[i].rule, &error));
      g_assert_no_error (error);
    }

  text = export_text (f->store, NULL, NULL);
  calendar = parse (text);
  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
    {
      g_autoptr(RosterTask) task = task_of (f, tasks[i].title);
      g_autofree char *uid = uid_of (f->path, roster_task_get_id (task));
      icalcomponent *vtodo = find_vtodo (calendar, uid, NULL);
      icalproperty *due = icalcomponent_get_first_property (vtodo, ICAL_DUE_PROPERTY);
      icalproperty *priority = icalcomponent_get_first_property (vtodo, ICAL_PRIORITY_PROPERTY);
      icalproperty *rrule = icalcomponent_get_first_property (vtodo, ICAL_RRULE_PROPERTY);
      struct icaltimetype t = icalproperty_get_due (due);

      g_test_message ("%s", tasks[i].title);
      g_assert_cmpint (t.year * 10000 + t.month * 100 + t.day, ==, 20270104);
      g_assert_null (icalproperty_get_first_parameter (due, ICAL_TZID_PARAMETER));
      if (tasks[i].time != NULL)
        {
          g_assert_false (t.is_date);
          g_assert_null (t.zone);  /* floating: no Z, no TZID */
          g_assert_cmpint (t.hour * 100 + t.minute, ==, 930);
        }
      else
        g_assert_true (t.is_date);

      if (tasks[i].written_priority < 0)
        g_assert_null (priority);
      else
        g_assert_cmpint (icalproperty_get_priority (priority), ==, tasks[i].written_priority);

      if (*tasks[i].rule == '\0')
        g_assert_null (rrule);
      else
        {
          struct icalrecurrencetype rule = icalproperty_get_rrule (rrule);
          struct icaltimetype start = icalcomponent_get_dtstart (vtodo);

          g_assert_cmpint (icaltime_compare (start, t), ==, 0);
          if (tasks[i].time != NULL)
            {
              /* UNTIL a DATE-TIME like DUE: the end of its day. */
              g_assert_false (rule.until.is_date);
              g_assert_cmpint (rule.until.day * 10000 + rule.until.hour * 100 + rule.until.minute, ==, 12359);
            }
        }
    }
  icalcomponent_free (calendar);
}

/* Another program's VTODO: a change of priority, time or rule in Roster is
 * patched in, and what Roster does not know stays; a DUE with a TZID keeps
 * its zone. Imported again elsewhere, the fields come back the same. */
static void
test_patch (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterIcalImport) import = import_text (f, CALENDAR (
    "BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n"
    "BEGIN:STANDARD\r\nDTSTART:19701101T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n"
    "TZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nEND:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\nDTSTART:19700308T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n"
    "TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
    TODO ("p", "Call the bank", "DUE;TZID=America/New_York:20270104T090000\r\nPRIORITY:2\r\n"
                                "X-FOO;X-BAR=1:kept\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:x\r\n"
                                "TRIGGER:-PT15M\r\nEND:VALARM\r\n")));
  g_autoptr(RosterTask) task = task_of (f, "Call the bank");
  g_autoptr(RosterStore) other = NULL;
  g_autoptr(RosterIcalImport) again = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *theirs = NULL;
  icalcomponent *calendar = NULL;
  icalcomponent *vtodo;
  icalproperty *due;
  struct icaltimetype t;

  /* 09:00 in New York is 15:00 in Berlin. */
  g_assert_cmpstr (roster_task_get_due_time (task), ==, "15:00");
  g_assert_cmpint (roster_task_get_priority (task), ==, ROSTER_PRIORITY_HIGH);

  /* Untouched, PRIORITY:2 stays 2 (it still reads as high). */
  vtodo = export_todo (f, &calendar, "p");
  g_assert_cmpint (icalproperty_get_priority (icalcomponent_get_first_property (vtodo, ICAL_PRIORITY_PROPERTY)),
                   ==, 2);
  icalcomponent_free (calendar);

  g_assert_true (roster_store_set_task_priority (f->store, task, ROSTER_PRIORITY_LOW, &error));
  g_assert_true (roster_store_set_task_due_time (f->store, task, "16:00", &error));
  g_assert_true (roster_store_set_task_recurrence (f->store, task, "FREQ=WEEKLY;COUNT=4", &error));
  g_assert_no_error (error);

  vtodo = export_todo (f, &calendar, "p");
  g_assert_cmpint (icalproperty_get_priority (icalcomponent_get_first_property (vtodo, ICAL_PRIORITY_PROPERTY)),
                   ==, 9);
  g_assert_cmpstr (x_value (vtodo, "X-FOO"), ==, "kept");
  g_assert_cmpuint (icalcomponent_count_components (vtodo, ICAL_VALARM_COMPONENT), ==, 1);
  due = icalcomponent_get_first_property (vtodo, ICAL_DUE_PROPERTY);
  g_assert_cmpstr (icalparameter_get_tzid (icalproperty_get_first_parameter (due, ICAL_TZID_PARAMETER)),
                   ==, "America/New_York");
  t = icalproperty_get_due (due);
  /* 16:00 in Berlin is 10:00 in New York. */
  g_assert_cmpint (t.hour * 100 + t.minute, ==, 1000);
  g_assert_nonnull (icalcomponent_get_first_property (vtodo, ICAL_RRULE_PROPERTY));
  g_assert_cmpint (icalcomponent_get_dtstart (vtodo).hour, ==, 10);
  icalcomponent_free (calendar);

  /* Done once: DUE, DTSTART and COUNT move on together. */
  g_assert_true (roster_store_set_task_done (f->store, task, TRUE, &error));
  g_assert_no_error (error);
  vtodo = export_todo (f, &calendar, "p");
  t = icalcomponent_get_due (vtodo);
  g_assert_cmpint (t.day, ==, 11);
  g_assert_cmpint (icalcomponent_get_dtstart (vtodo).day, ==, 11);
  g_assert_cmpint (icalproperty_get_rrule (icalcomponent_get_first_property (vtodo, ICAL_RRULE_PROPERTY)).count,
                   ==, 3);
  g_assert_true (icalcomponent_get_status (vtodo) != ICAL_STATUS_COMPLETED);
  icalcomponent_free (calendar);

  /* Another Roster file reads the same fields back. */
  text = export_text (f->store, NULL, NULL);
  other = open_other (f, "other.db");
  bytes = g_bytes_new_static (text, strlen (text));
  again = import_bytes (other, bytes, "again.ics", "ada");
  mine = tasks_by_uid (f->path);
  theirs = tasks_by_uid (roster_store_get_path (other));
  g_assert_cmpstr (theirs, ==, mine);
  {
    g_autofree char *plan = query_text (roster_store_get_path (other),
                                        "SELECT due_date || ' ' || due_time || ' ' || priority || ' ' || recurrence "
                                        "FROM task");

    g_assert_cmpstr (plan, ==, "2027-01-11 16:00 1 FREQ=WEEKLY;COUNT=3");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ROSTER_ICAL_TEST_ADD ("/ical/plan/import", test_import);
  ROSTER_ICAL_TEST_ADD ("/ical/plan/export-new", test_export_new);
  ROSTER_ICAL_TEST_ADD ("/ical/plan/patch", test_patch);

  return g_test_run ();
}
