/* test-messages.c: the UI's words and colours, without a display. */
#include <glib/gi18n.h>

#include "roster-messages.h"
#include "roster-model.h"

static void
test_due_date (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) now = g_date_time_new (utc, 2026, 3, 10, 15, 0, 0);
  g_autoptr(GDateTime) today = g_date_time_new (utc, 2026, 3, 10, 0, 0, 0);
  g_autoptr(GDateTime) tomorrow = g_date_time_new (utc, 2026, 3, 11, 0, 0, 0);
  g_autoptr(GDateTime) yesterday = g_date_time_new (utc, 2026, 3, 9, 0, 0, 0);
  g_autoptr(GDateTime) friday = g_date_time_new (utc, 2026, 3, 13, 0, 0, 0);
  g_autoptr(GDateTime) later = g_date_time_new (utc, 2026, 5, 1, 0, 0, 0);
  g_autoptr(GDateTime) next_year = g_date_time_new (utc, 2027, 5, 1, 0, 0, 0);
  g_autofree char *s1 = roster_messages_format_due_date (today, now);
  g_autofree char *s2 = roster_messages_format_due_date (tomorrow, now);
  g_autofree char *s3 = roster_messages_format_due_date (yesterday, now);
  g_autofree char *s4 = roster_messages_format_due_date (friday, now);
  g_autofree char *s5 = roster_messages_format_due_date (later, now);
  g_autofree char *s6 = roster_messages_format_due_date (next_year, now);

  g_assert_cmpstr (s1, ==, "Today");
  g_assert_cmpstr (s2, ==, "Tomorrow");
  g_assert_cmpstr (s3, ==, "Yesterday");
  g_assert_cmpstr (s4, ==, "Friday");
  g_assert_cmpstr (s5, ==, "1 May");
  g_assert_cmpstr (s6, ==, "1 May 2027");
  g_assert_null (roster_messages_format_due_date (NULL, now));
}

/* What a person types into the due time field. */
static void
test_parse_time (void)
{
  static const struct { const char *text, *time; } cases[] = {
    { "9:30", "09:30" }, { " 09:30 ", "09:30" }, { "21.15", "21:15" }, { "0930", "09:30" },
    { "930", "09:30" }, { "9", "09:00" }, { "0", "00:00" }, { "23:59", "23:59" },
    { "24:00", NULL }, { "9:60", NULL }, { "9:5", NULL }, { "noon", NULL }, { "", NULL },
    { "9:30:00", NULL }, { "12345", NULL }, { ":30", NULL }, { "-1", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *time = roster_messages_parse_time (cases[i].text);

      g_test_message ("“%s”", cases[i].text);
      g_assert_cmpstr (time, ==, cases[i].time);
    }
  g_assert_cmpstr (roster_messages_describe_priority (ROSTER_PRIORITY_HIGH), ==, "Priority: high");

  /* A refused value is said in the store's own words, which name it. */
  {
    g_autoptr(GError) invalid = g_error_new_literal (ROSTER_ERROR, ROSTER_ERROR_INVALID,
                                                     "“noon” is not a time of day.");
    g_autofree char *said = roster_messages_describe_error (invalid, ROSTER_SUBJECT_TASK);

    g_assert_cmpstr (said, ==, "“noon” is not a time of day.");
  }
}

static void
test_day_heading (void)
{
  GDate date;
  guint32 today;
  g_autofree char *s1 = NULL;
  g_autofree char *s2 = NULL;
  g_autofree char *s3 = NULL;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 8, 12, 2026);
  today = g_date_get_julian (&date);
  s1 = roster_messages_format_day_heading (today, today);
  s2 = roster_messages_format_day_heading (today + 1, today);
  s3 = roster_messages_format_day_heading (today + 2, today);
  g_assert_cmpstr (s1, ==, "Today");
  g_assert_cmpstr (s2, ==, "Tomorrow");
  g_assert_cmpstr (s3, ==, "Thursday 10 December");
}

static void
test_describe_error (void)
{
  g_autoptr(GError) empty = g_error_new_literal (ROSTER_ERROR, ROSTER_ERROR_EMPTY, "empty");
  g_autoptr(GError) dup = g_error_new_literal (ROSTER_ERROR, ROSTER_ERROR_DUPLICATE, "dup");
  g_autoptr(GError) notadb = g_error_new_literal (ROSTER_ERROR, ROSTER_ERROR_NOT_A_DATABASE, "file is not a database");
  g_autofree char *task_empty = roster_messages_describe_error (empty, ROSTER_SUBJECT_TASK);
  g_autofree char *user_empty = roster_messages_describe_error (empty, ROSTER_SUBJECT_USER);
  g_autofree char *tag_dup = roster_messages_describe_error (dup, ROSTER_SUBJECT_TAG);
  g_autofree char *title = NULL;
  g_autofree char *open = roster_messages_describe_open_error (notadb, "/tmp/x/roster.db", &title);

  g_assert_cmpstr (task_empty, ==, "Type a title for the task.");
  g_assert_cmpstr (user_empty, ==, "Type a name for the user.");
  g_assert_true (strstr (tag_dup, "tag") != NULL);
  g_assert_cmpstr (title, ==, "Cannot Open the Roster File");
  g_assert_true (strstr (open, "/tmp/x/roster.db") != NULL);
  g_assert_true (strstr (open, "damaged") != NULL);
  g_assert_true (strstr (open, "Nothing was changed") != NULL);

  /* A folder given for a file is named as such, whatever the error says. */
  {
    g_autofree char *dir_title = NULL;
    g_autofree char *dir = roster_messages_describe_open_error (notadb, g_get_tmp_dir (), &dir_title);

    g_assert_nonnull (strstr (dir, "folder"));
  }
}

/* Changes kept while the file cannot take them: the banner, and the
 * question when the window closes first. */
static void
test_waiting (void)
{
  g_autoptr(GError) busy = g_error_new_literal (ROSTER_ERROR, ROSTER_ERROR_BUSY, "busy");
  g_autoptr(GError) full = g_error_new_literal (ROSTER_ERROR, ROSTER_ERROR_DISK_FULL, "full");
  g_autofree char *locked = roster_messages_describe_waiting (busy, FALSE);
  g_autofree char *working = roster_messages_describe_waiting (busy, TRUE);
  g_autofree char *no_room = roster_messages_describe_waiting (full, FALSE);
  g_autofree char *one = roster_messages_describe_unsaved (busy, FALSE, 1);
  g_autofree char *three = roster_messages_describe_unsaved (full, FALSE, 3);
  g_autofree char *ours = roster_messages_describe_unsaved (busy, TRUE, 2);

  g_assert_cmpstr (locked, ==, "The file is in use by another program. "
                               "Your changes will be saved as soon as it is free.");
  g_assert_cmpstr (working, ==, "Roster is busy with a big change. "
                                "Your changes will be saved as soon as it is done.");
  g_assert_cmpstr (no_room, ==, "The disk is full. Your changes will be saved as soon as there is room.");
  g_assert_cmpstr (one, ==, "The file is still in use by another program. "
                            "If you close the window now, 1 change is lost.");
  g_assert_cmpstr (three, ==, "The disk is still full. If you close the window now, 3 changes are lost.");
  g_assert_cmpstr (ours, ==, "Roster is still busy with a big change. "
                             "If you close the window now, 2 changes are lost.");
}

static void
test_color (void)
{
  double l = -1;

  g_assert_true (roster_messages_parse_color ("#ffffff", &l));
  g_assert_cmpfloat_with_epsilon (l, 1.0, 0.001);
  g_assert_true (roster_messages_parse_color ("#000000", &l));
  g_assert_cmpfloat_with_epsilon (l, 0.0, 0.001);
  g_assert_false (roster_messages_parse_color ("red", NULL));
  g_assert_false (roster_messages_parse_color ("#12345g", NULL));
  g_assert_false (roster_messages_parse_color (NULL, NULL));
}

/* Find only reads: its failures say that nothing was changed, or why the
 * text cannot be looked for. */
static void
test_describe_find_error (void)
{
  g_autoptr(GError) damaged = g_error_new_literal (ROSTER_ERROR, ROSTER_ERROR_NOT_A_DATABASE, "malformed");
  g_autoptr(GError) utf8 = g_error_new_literal (ROSTER_ERROR, ROSTER_ERROR_INVALID_UTF8, "utf8");
  g_autoptr(GError) other = g_error_new_literal (ROSTER_ERROR, ROSTER_ERROR_FAILED, "disk I/O error");
  g_autofree char *s1 = roster_messages_describe_find_error (damaged);
  g_autofree char *s2 = roster_messages_describe_find_error (utf8);
  g_autofree char *s3 = roster_messages_describe_find_error (other);

  g_assert_cmpstr (s1, ==, "Find cannot search this file: part of it is damaged. Nothing was changed.");
  g_assert_cmpstr (s2, ==, "Find cannot look for this text: it contains characters that are not valid.");
  g_assert_cmpstr (s3, ==, "Find cannot search the file right now. disk I/O error");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/messages/due-date", test_due_date);
  g_test_add_func ("/messages/parse-time", test_parse_time);
  g_test_add_func ("/messages/day-heading", test_day_heading);
  g_test_add_func ("/messages/describe-error", test_describe_error);
  g_test_add_func ("/messages/describe-find-error", test_describe_find_error);
  g_test_add_func ("/messages/waiting", test_waiting);
  g_test_add_func ("/messages/color", test_color);

  return g_test_run ();
}
