/* roster-messages.c: error sentences, due dates and tag colours for the UI. */
#define G_LOG_DOMAIN "roster-messages"

#include <glib/gi18n.h>
#include <string.h>

#include "roster-model.h"
#include "roster-messages.h"

/* A sentence for a failed change: says what went wrong and what to do. */
char *
roster_messages_describe_error (const GError  *error,
                                RosterSubject  subject)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != ROSTER_ERROR)
    return g_strdup (error->message);

  switch ((RosterError) error->code)
    {
    case ROSTER_ERROR_EMPTY:
      switch (subject)
        {
        case ROSTER_SUBJECT_USER:
          return g_strdup (_("Type a name for the user."));
        case ROSTER_SUBJECT_TAG:
          return g_strdup (_("Type a name for the tag."));
        case ROSTER_SUBJECT_TASK:
        default:
          return g_strdup (_("Type a title for the task."));
        }

    case ROSTER_ERROR_DUPLICATE:
      if (subject == ROSTER_SUBJECT_TAG)
        return g_strdup (_("There is already a tag with this name. Choose another name."));
      return g_strdup (_("There is already a user with this name. Choose another name."));

    case ROSTER_ERROR_INVALID_UTF8:
      return g_strdup (_("This text contains characters Roster cannot store."));

    case ROSTER_ERROR_INVALID:
      /* The store's own sentence names the value and says what it should
       * be ("“noon” is not a time of day…", "A task without a due date
       * cannot repeat…"); a bare message would leave a person guessing. */
      if (error->message != NULL && *error->message != '\0')
        return g_strdup (error->message);
      return g_strdup (_("This value is not valid."));

    case ROSTER_ERROR_NO_OWNER:
      return g_strdup (_("Choose a user to own the task first."));

    case ROSTER_ERROR_HAS_TASKS:
      return g_strdup (_("This user still owns tasks. Delete them or give them to another user first."));

    case ROSTER_ERROR_NOT_FOUND:
      return g_strdup (_("This item was deleted in the meantime."));

    case ROSTER_ERROR_NOTHING_TO_UNDO:
      return g_strdup (_("There is nothing to undo."));

    case ROSTER_ERROR_READ_ONLY:
      return g_strdup (_("The file cannot be written. Your change was not saved."));

    case ROSTER_ERROR_BUSY:
      /* The store says who holds the file: another program, or Roster
       * itself while it saves a big change ("Roster is still busy with …"). */
      if (error->message != NULL && error->message[0] != '\0')
        return g_strdup (error->message);
      return g_strdup (_("Another program is using the file. Try again in a moment."));

    case ROSTER_ERROR_DISK_FULL:
      return g_strdup (_("The disk is full. Free some space and try again."));

    case ROSTER_ERROR_NEWER_VERSION:
    case ROSTER_ERROR_NOT_ROSTER:
    case ROSTER_ERROR_NOT_A_DATABASE:
    case ROSTER_ERROR_FAILED:
    default:
      /* Translators: %s is a technical message from the database. */
      return g_strdup_printf (_("The change could not be saved: %s"), error->message);
    }
}

/* A sentence for a failed search. Find only reads, so its failures are told
 * as such: nothing was changed. */
char *
roster_messages_describe_find_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_UTF8))
    return g_strdup (_("Find cannot look for this text: it contains characters that are not valid."));
  if (g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_NOT_A_DATABASE))
    return g_strdup (_("Find cannot search this file: part of it is damaged. Nothing was changed."));
  if (g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_BUSY))
    return g_strdup (_("Another program is using the file. Try again in a moment."));
  /* Translators: %s is a sentence from the database layer saying what went wrong. */
  return g_strdup_printf (_("Find cannot search the file right now. %s"), error->message);
}

/* The status page of a file Roster cannot open: a heading (in @title) and a
 * description that names the file and says that it was left untouched. */
char *
roster_messages_describe_open_error (const GError  *error,
                                     const char    *path,
                                     char         **title)
{
  g_autofree char *display_name = NULL;
  const char *why;

  g_return_val_if_fail (error != NULL, NULL);

  display_name = g_filename_display_name (path != NULL ? path : "");

  if (title != NULL)
    *title = g_strdup (_("Cannot Open the Roster File"));

  if (path != NULL && g_file_test (path, G_FILE_TEST_IS_DIR))
    why = _("It is a folder. Give the name of a file inside it, or of a new file.");
  else if (error->domain != ROSTER_ERROR)
    why = error->message;
  else
    switch ((RosterError) error->code)
      {
      case ROSTER_ERROR_NEWER_VERSION:
        why = _("It was written by a newer version of Roster. Update Roster to open it.");
        break;
      case ROSTER_ERROR_NOT_ROSTER:
        why = _("It is a database, but not one made by Roster.");
        break;
      case ROSTER_ERROR_NOT_A_DATABASE:
        why = _("It is damaged, or it is not a Roster file at all.");
        break;
      case ROSTER_ERROR_READ_ONLY:
        why = _("The file or its folder cannot be written.");
        break;
      case ROSTER_ERROR_BUSY:
        why = _("Another program holds it locked. Close that program and start Roster again.");
        break;
      case ROSTER_ERROR_DISK_FULL:
        why = _("There is no room left on the disk.");
        break;
      default:
        why = error->message;
        break;
      }

  /* Translators: %1$s is a file name, %2$s says why it cannot be opened. */
  return g_strdup_printf (_("“%1$s” could not be opened. %2$s\n\nNothing was changed."),
                          display_name, why);
}

/* The banner over the task list while changes wait for the file: why they
 * wait, as @error says (ROSTER_ERROR_BUSY: locked by another program, or,
 * when the store is @working, by Roster's own big change; or the disk is
 * full), and that nothing needs doing. */
char *
roster_messages_describe_waiting (const GError *error,
                                  gboolean      working)
{
  if (g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_DISK_FULL))
    return g_strdup (_("The disk is full. Your changes will be saved as soon as there is room."));
  if (working)
    return g_strdup (_("Roster is busy with a big change. Your changes will be saved as soon as it is done."));
  return g_strdup (_("The file is in use by another program. Your changes will be saved as soon as it is free."));
}

/* The question before a window closes with @n_waiting changes still not
 * saved (the last try failed too). */
char *
roster_messages_describe_unsaved (const GError *error,
                                  gboolean      working,
                                  guint         n_waiting)
{
  const char *why;
  g_autofree char *loss = NULL;

  if (g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_DISK_FULL))
    why = _("The disk is still full.");
  else if (working)
    why = _("Roster is still busy with a big change.");
  else
    why = _("The file is still in use by another program.");

  loss = g_strdup_printf (ngettext ("If you close the window now, %u change is lost.",
                                    "If you close the window now, %u changes are lost.",
                                    n_waiting),
                          n_waiting);
  /* Translators: %1$s says why changes wait, %2$s how many are lost */
  return g_strdup_printf (_("%1$s %2$s"), why, loss);
}

/* "Today", "Tomorrow", "Yesterday", "Friday" within the next week, else a date. */
char *
roster_messages_format_due_date (GDateTime *due_date,
                                 GDateTime *now)
{
  g_autoptr(GDate) due = NULL;
  g_autoptr(GDate) today = NULL;
  int days;

  if (due_date == NULL)
    return NULL;

  due = g_date_new_dmy (g_date_time_get_day_of_month (due_date),
                        g_date_time_get_month (due_date),
                        g_date_time_get_year (due_date));
  today = g_date_new_dmy (g_date_time_get_day_of_month (now),
                          g_date_time_get_month (now),
                          g_date_time_get_year (now));
  days = g_date_days_between (today, due);

  if (days == 0)
    return g_strdup (_("Today"));
  if (days == 1)
    return g_strdup (_("Tomorrow"));
  if (days == -1)
    return g_strdup (_("Yesterday"));
  if (days > 1 && days < 7)
    /* Translators: a weekday, see g_date_time_format() */
    return g_date_time_format (due_date, _("%A"));
  if (g_date_time_get_year (due_date) == g_date_time_get_year (now))
    /* Translators: a day and month, see g_date_time_format() */
    return g_date_time_format (due_date, _("%-d %B"));
  /* Translators: a full date, see g_date_time_format() */
  return g_date_time_format (due_date, _("%-d %B %Y"));
}

char *
roster_messages_format_day_heading (guint32 day,
                                    guint32 today)
{
  g_autoptr(GDateTime) date = NULL;
  GDate d;

  if (day == today)
    return g_strdup (_("Today"));
  if (day == today + 1)
    return g_strdup (_("Tomorrow"));

  g_date_clear (&d, 1);
  g_date_set_julian (&d, day);
  date = g_date_time_new_utc (g_date_get_year (&d), g_date_get_month (&d), g_date_get_day (&d), 0, 0, 0);
  /* Translators: a day's heading in Upcoming ("Thursday 10 December"), see
   * g_date_time_format() */
  return g_date_time_format (date, _("%A %-d %B"));
}

/* Parses "#rrggbb"; @luminance gets its relative luminance (0 black, 1 white). */
gboolean
roster_messages_parse_color (const char *color,
                             double     *luminance)
{
  guint rgb[3];

  if (color == NULL || strlen (color) != 7 || color[0] != '#')
    return FALSE;

  for (guint i = 0; i < 3; i++)
    {
      int hi = g_ascii_xdigit_value (color[1 + 2 * i]);
      int lo = g_ascii_xdigit_value (color[2 + 2 * i]);

      if (hi < 0 || lo < 0)
        return FALSE;
      rgb[i] = hi * 16 + lo;
    }

  if (luminance != NULL)
    *luminance = (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255.0;

  return TRUE;
}

const char *
roster_messages_describe_priority (RosterPriority priority)
{
  switch (priority)
    {
    case ROSTER_PRIORITY_HIGH:
      return _("Priority: high");
    case ROSTER_PRIORITY_MEDIUM:
      return _("Priority: medium");
    case ROSTER_PRIORITY_LOW:
      return _("Priority: low");
    case ROSTER_PRIORITY_NONE:
    default:
      return _("Priority: none");
    }
}

/* Hours and minutes as people write them: "9:30", "09.30", "0930", "930",
 * "9" (on the hour); white space around is fine. */
char *
roster_messages_parse_time (const char *text)
{
  g_autofree char *digits = g_strstrip (g_strdup (text != NULL ? text : ""));
  guint hour = 0, minute = 0, n = 0, separators = 0, after = 0;

  for (const char *p = digits; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (++n > 4)
            return NULL;
          if (separators > 0)
            after++;
        }
      else if ((*p == ':' || *p == '.') && separators == 0 && n > 0)
        separators++;
      else
        return NULL;
    }
  if (n == 0 || (separators > 0 && after != 2) || (separators > 0 && n - after > 2))
    return NULL;

  {
    guint value = (guint) g_ascii_strtoull (digits, NULL, 10);

    if (separators > 0)
      {
        hour = value;
        minute = (guint) g_ascii_strtoull (strpbrk (digits, ":.") + 1, NULL, 10);
      }
    else if (n <= 2)
      hour = value;
    else
      hour = value / 100, minute = value % 100;
  }
  if (hour > 23 || minute > 59)
    return NULL;
  return g_strdup_printf ("%02u:%02u", hour, minute);
}
