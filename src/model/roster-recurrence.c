/* roster-recurrence.c: repeat rules with libical (see roster-recurrence.h).
 *
 * libical reads, checks and writes the rules and finds the next occurrence;
 * nothing here does date arithmetic of its own, so that a rule means what
 * RFC 5545 says (a plain monthly rule from the 31st skips the months without
 * one; BYMONTHDAY=-1 is the last day of each month).
 */
#define G_LOG_DOMAIN "roster-recurrence"

#include <glib/gi18n-lib.h>
#include <libical/ical.h>
#include <stdio.h>
#include <string.h>

#include "roster-error.h"
#include "roster-recurrence.h"

/* Monday first, as RosterRepeat.weekdays. */
static const char * const weekday_names[7] = { "MO", "TU", "WE", "TH", "FR", "SA", "SU" };

/* How many occurrences to look at for the first one after the due date: the
 * due date itself, or the first one after it, comes first; the bound is only
 * there so that no rule can keep us. */
#define MAX_STEPS 1000

static gboolean
is_end (short value)
{
  return value == ICAL_RECURRENCE_ARRAY_MAX;
}

/* libical's weekday (Sunday 1 … Saturday 7) as a RosterRepeat bit index. */
static int
weekday_index (enum icalrecurrencetype_weekday day)
{
  return ((int) day + 5) % 7;
}

/* An UNTIL as a date: a date-time's date where it falls here (UTC) or as
 * written (floating or zoned). */
static void
until_to_date (struct icaltimetype *until)
{
  if (icaltime_is_null_time (*until) || until->is_date)
    return;
  if (icaltime_is_utc (*until))
    {
      time_t when = icaltime_as_timet_with_zone (*until, icaltimezone_get_utc_timezone ());
      g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (when);

      if (local != NULL)
        g_date_time_get_ymd (local, &until->year, &until->month, &until->day);
    }
  until->is_date = 1;
  until->hour = until->minute = until->second = 0;
  until->zone = NULL;
}

static char *
rule_to_string (struct icalrecurrencetype *rule)
{
  char *text = icalrecurrencetype_as_string_r (rule);
  char *copy = g_strdup (text);

  icalmemory_free_buffer (text);
  return copy;
}

/* Parses @text; FALSE with @error set when it is no rule Roster keeps. */
static gboolean
read_rule (const char                *text,
           struct icalrecurrencetype *rule,
           GError                   **error)
{
  *rule = icalrecurrencetype_from_string (text);
  if (rule->freq == ICAL_NO_RECURRENCE)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID,
                   _("“%s” is not a repeat rule. A rule looks like “FREQ=WEEKLY;BYDAY=MO”."), text);
      return FALSE;
    }
  if (rule->freq < ICAL_DAILY_RECURRENCE)
    {
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_INVALID,
                           _("A task can repeat every day at the most, not by the hour, minute or second."));
      return FALSE;
    }
  until_to_date (&rule->until);
  return TRUE;
}

char *
roster_recurrence_normalize (const char  *rule,
                             GError     **error)
{
  struct icalrecurrencetype parsed;
  g_autofree char *text = g_strstrip (g_strdup (rule != NULL ? rule : ""));
  const char *value = text;

  if (g_ascii_strncasecmp (value, "RRULE:", 6) == 0)
    value += 6;
  if (*value == '\0')
    return g_strdup ("");
  if (!read_rule (value, &parsed, error))
    return NULL;
  return rule_to_string (&parsed);
}

gboolean
_roster_recurrence_next (const char  *rule,
                         const char  *due_date,
                         char       **next_due,
                         char       **next_rule)
{
  struct icalrecurrencetype parsed;
  struct icaltimetype start = icaltime_null_date ();
  icalrecur_iterator *iterator;
  gboolean found = FALSE;

  if (rule == NULL || *rule == '\0' || due_date == NULL || !read_rule (rule, &parsed, NULL))
    return FALSE;
  if (sscanf (due_date, "%4d-%2d-%2d", &start.year, &start.month, &start.day) != 3 ||
      !g_date_valid_dmy (start.day, start.month, start.year))
    return FALSE;
  /* icaltime_null_date() leaves the time of day at -1, which libical 3.0's
   * month arithmetic takes for a day earlier. */
  start.hour = start.minute = start.second = 0;

  iterator = icalrecur_iterator_new (parsed, start);
  if (iterator == NULL)
    return FALSE;
  for (int i = 0; i < MAX_STEPS && !found; i++)
    {
      struct icaltimetype next = icalrecur_iterator_next (iterator);

      if (icaltime_is_null_time (next))
        break;
      if (icaltime_compare_date_only (next, start) > 0)
        {
          *next_due = g_strdup_printf ("%04d-%02d-%02d", next.year, next.month, next.day);
          found = TRUE;
        }
    }
  icalrecur_iterator_free (iterator);
  if (!found)
    return FALSE;

  /* The due date moved on by one occurrence: one fewer is left. */
  if (parsed.count > 0)
    parsed.count--;
  *next_rule = rule_to_string (&parsed);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* What the editor shows                                                     */

static gboolean
has_values (const short *values)
{
  return !is_end (values[0]);
}

gboolean
roster_repeat_parse (const char   *rule,
                     RosterRepeat *repeat)
{
  struct icalrecurrencetype parsed;
  guint n_positioned = 0;

  memset (repeat, 0, sizeof *repeat);
  repeat->interval = 1;
  if (rule == NULL || *rule == '\0' || !read_rule (rule, &parsed, NULL))
    return FALSE;

  switch (parsed.freq)
    {
    case ICAL_DAILY_RECURRENCE:
      repeat->frequency = ROSTER_REPEAT_DAILY;
      break;
    case ICAL_WEEKLY_RECURRENCE:
      repeat->frequency = ROSTER_REPEAT_WEEKLY;
      break;
    case ICAL_MONTHLY_RECURRENCE:
      repeat->frequency = ROSTER_REPEAT_MONTHLY;
      break;
    case ICAL_YEARLY_RECURRENCE:
    default:
      repeat->frequency = ROSTER_REPEAT_YEARLY;
      break;
    }
  repeat->interval = MAX (parsed.interval, 1);

  for (guint i = 0; i < ICAL_BY_DAY_SIZE && !is_end (parsed.by_day[i]); i++)
    {
      int position = icalrecurrencetype_day_position (parsed.by_day[i]);
      int index = weekday_index (icalrecurrencetype_day_day_of_week (parsed.by_day[i]));

      if (position != 0)
        {
          n_positioned++;
          repeat->week_number = position;
        }
      repeat->weekdays |= ROSTER_REPEAT_WEEKDAY (index);
    }
  /* "The third Thursday" is BYDAY=3TH, or BYDAY=TH;BYSETPOS=3. */
  if (has_values (parsed.by_set_pos) && n_positioned == 0)
    {
      repeat->week_number = parsed.by_set_pos[0];
      n_positioned = 1;
      repeat->more |= has_values (parsed.by_set_pos + 1);
    }
  if (n_positioned > 0 && (n_positioned > 1 || g_bit_nth_lsf (repeat->weekdays, -1) !=
                                               g_bit_nth_msf (repeat->weekdays, -1)))
    repeat->more = TRUE;

  if (has_values (parsed.by_month_day))
    {
      repeat->month_day = parsed.by_month_day[0];
      repeat->more |= has_values (parsed.by_month_day + 1);
    }
  repeat->more |= has_values (parsed.by_month) || has_values (parsed.by_year_day) ||
                  has_values (parsed.by_week_no) || has_values (parsed.by_hour) ||
                  has_values (parsed.by_minute) || has_values (parsed.by_second) ||
                  (parsed.freq == ICAL_DAILY_RECURRENCE && repeat->week_number != 0);

  repeat->count = MAX (parsed.count, 0);
  if (!icaltime_is_null_time (parsed.until))
    {
      repeat->until_year = parsed.until.year;
      repeat->until_month = parsed.until.month;
      repeat->until_day = parsed.until.day;
    }
  return TRUE;
}

char *
roster_repeat_to_rule (const RosterRepeat *repeat)
{
  static const char * const frequencies[] = { NULL, "DAILY", "WEEKLY", "MONTHLY", "YEARLY" };
  g_autoptr(GString) rule = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  char *normalized;

  if (repeat->frequency <= ROSTER_REPEAT_NONE || repeat->frequency > ROSTER_REPEAT_YEARLY)
    return g_strdup ("");

  g_string_append_printf (rule, "FREQ=%s", frequencies[repeat->frequency]);
  if (repeat->interval > 1)
    g_string_append_printf (rule, ";INTERVAL=%u", repeat->interval);
  if (repeat->weekdays != 0)
    {
      const char *separator = ";BYDAY=";

      for (int i = 0; i < 7; i++)
        if (repeat->weekdays & ROSTER_REPEAT_WEEKDAY (i))
          {
            g_string_append (rule, separator);
            if (repeat->week_number != 0)
              g_string_append_printf (rule, "%d", repeat->week_number);
            g_string_append (rule, weekday_names[i]);
            separator = ",";
          }
    }
  if (repeat->month_day != 0)
    g_string_append_printf (rule, ";BYMONTHDAY=%d", repeat->month_day);
  if (repeat->count > 0)
    g_string_append_printf (rule, ";COUNT=%u", repeat->count);
  else if (repeat->until_year > 0)
    g_string_append_printf (rule, ";UNTIL=%04d%02d%02d", repeat->until_year, repeat->until_month,
                            repeat->until_day);

  normalized = roster_recurrence_normalize (rule->str, &error);
  if (normalized == NULL)
    {
      g_warning ("Could not write the repeat rule %s: %s", rule->str, error->message);
      return g_strdup ("");
    }
  return normalized;
}
