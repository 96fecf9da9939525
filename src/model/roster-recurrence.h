/* roster-recurrence.h: a task's repeat rule, the value of an RFC 5545 RRULE.
 *
 * A repeating task keeps its rule in its "recurrence" ("FREQ=WEEKLY;BYDAY=MO")
 * and its due date is the rule's DTSTART: marking it done moves the due date
 * to the rule's next occurrence (libical's iterator, so that a rule means what
 * it means to every other client) and keeps the task open. The rule always
 * describes the occurrences still to come from the current due date: a COUNT
 * goes down by one each time the due date moves on, and when the rule has no
 * occurrence left (COUNT=1, or past its UNTIL) done means done.
 *
 * Roster repeats by days at the most (a due date is a day): rules that repeat
 * by the hour, minute or second are refused. An UNTIL is kept as a date.
 *
 * RosterRepeat is what the details pane's editor can show of a rule: parsed
 * from a rule and written back as one, with no libical in the application.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  ROSTER_REPEAT_NONE,
  ROSTER_REPEAT_DAILY,
  ROSTER_REPEAT_WEEKLY,
  ROSTER_REPEAT_MONTHLY,
  ROSTER_REPEAT_YEARLY,
} RosterRepeatFrequency;

/* Weekdays as bits of RosterRepeat.weekdays, Monday first as in ISO 8601
 * (and g_date_time_get_day_of_week() - 1). */
#define ROSTER_REPEAT_WEEKDAY(n) (1u << (n))   /* 0 Monday … 6 Sunday */
#define ROSTER_REPEAT_WORKDAYS   0x1fu         /* Monday to Friday */

typedef struct
{
  RosterRepeatFrequency frequency;
  guint    interval;     /* every @interval days, weeks…; at least 1 */
  guint    weekdays;     /* BYDAY: ROSTER_REPEAT_WEEKDAY() bits; 0 none */
  int      week_number;  /* monthly on the nth of the one day in @weekdays:
                          * 1…5, or -1 for the last; 0 none */
  int      month_day;    /* BYMONTHDAY: 1…31, or -1 for the last day; 0 none */
  guint    count;        /* COUNT: occurrences left; 0 none */
  int      until_year;   /* UNTIL, a date; 0 none */
  int      until_month;
  int      until_day;
  gboolean more;         /* the rule says more than these fields hold
                          * (BYMONTH, several month days…) */
} RosterRepeat;

/* Reads @rule into @repeat; FALSE (and @repeat NONE) for "", NULL or a rule
 * libical cannot read. */
gboolean  roster_repeat_parse             (const char          *rule,
                                           RosterRepeat        *repeat);
/* The rule @repeat describes ("" for NONE), as roster_recurrence_normalize()
 * returns it. */
char     *roster_repeat_to_rule           (const RosterRepeat  *repeat);

/* @rule as Roster stores it (libical's spelling, UNTIL as a date), "" for ""
 * or NULL; NULL with ROSTER_ERROR_INVALID and a sentence for a person when
 * it is not a rule or repeats more often than daily. A leading "RRULE:" is
 * taken off. */
char     *roster_recurrence_normalize     (const char          *rule,
                                           GError             **error);

/* The occurrence after @due_date ("YYYY-MM-DD", the rule's DTSTART) into
 * *next_due, and the rule from there on (COUNT one less) into *next_rule;
 * FALSE when the rule has none left. */
gboolean  _roster_recurrence_next         (const char          *rule,
                                           const char          *due_date,
                                           char               **next_due,
                                           char               **next_rule);

G_END_DECLS
