/* roster-messages.h: words for a person, computed without a display.
 *
 * The one place where model-layer values (errors, dates, colours) become
 * words: every widget asks here, and the tests check these plain functions.
 */
#pragma once

#include <gio/gio.h>

#include "roster-task.h"

G_BEGIN_DECLS

/* What a failing change was about, so the sentence can name it. */
typedef enum
{
  ROSTER_SUBJECT_USER,
  ROSTER_SUBJECT_TASK,
  ROSTER_SUBJECT_TAG,
} RosterSubject;

char     *roster_messages_describe_error      (const GError *error,
                                               RosterSubject subject);
char     *roster_messages_describe_find_error (const GError *error);
char     *roster_messages_describe_open_error (const GError *error,
                                               const char   *path,
                                               char        **title);
char     *roster_messages_describe_waiting    (const GError *error,
                                               gboolean      working);
char     *roster_messages_describe_unsaved    (const GError *error,
                                               gboolean      working,
                                               guint         n_waiting);
char     *roster_messages_format_due_date     (GDateTime    *due_date,
                                               GDateTime    *now);
/* The heading of a day in Upcoming (Julian days): "Today", "Tomorrow",
 * else "Thursday 10 December" in the user's locale. */
char     *roster_messages_format_day_heading  (guint32       day,
                                               guint32       today);
gboolean  roster_messages_parse_color         (const char   *color,
                                               double       *luminance);
/* "Priority: high"… (translated, static). */
const char *roster_messages_describe_priority (RosterPriority priority);
/* A time of day as a person types it ("9:30", "0930", "9", "21.15") as the
 * store keeps it, "HH:MM"; NULL when it is not one. */
char     *roster_messages_parse_time          (const char   *text);

G_END_DECLS
