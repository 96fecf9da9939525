/* roster-csv.c: tasks out as CSV (RFC 4180), for spreadsheets.
 *
 * Fields are separated by commas and lines end with CRLF; a field with a
 * comma, a double quote, a CR or an LF is put in double quotes, a double
 * quote in it doubled. A field that a spreadsheet would take for a formula
 * (its first character "=", "+", "-", "@", a tab or a CR) gets an apostrophe
 * in front: a task's title can come from anyone the list is shared with,
 * and "=HYPERLINK(…)" must stay text. The rows come from the store in one
 * query (roster-store-ical.c), as the iCalendar export's do. The priority
 * is its word ("high", "medium", "low", or empty), the repeat rule an
 * RRULE's value as iCalendar spells it.
 */
#define G_LOG_DOMAIN "roster-csv"

#include <string.h>

#include "roster-csv.h"
#include "roster-store-ical.h"
#include "roster-task.h"

#define HEADER "title,owner,done,due,due_time,priority,repeat,tags,notes\r\n"

static void
append_field (GString    *out,
              const char *text,
              gboolean    last)
{
  if (text == NULL)
    text = "";
  if (strchr ("=+-@\t\r", text[0]) != NULL && text[0] != '\0')
    {
      g_autofree char *quoted = g_strconcat ("'", text, NULL);

      append_field (out, quoted, last);
      return;
    }
  if (strpbrk (text, ",\"\r\n") == NULL)
    g_string_append (out, text);
  else
    {
      g_string_append_c (out, '"');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  g_string_append (out, last ? "\r\n" : ",");
}

static gboolean
csv_row (const RosterIcalRow  *row,
         gpointer              data,
         GError              **error)
{
  GString *out = data;
  g_autoptr(GString) tags = g_string_new (NULL);

  for (guint i = 0; i < row->n_tags; i++)
    g_string_append_printf (tags, "%s%s", i > 0 ? ", " : "", row->tags[i]);

  append_field (out, row->title, FALSE);
  append_field (out, row->owner, FALSE);
  append_field (out, row->done ? "yes" : "no", FALSE);
  append_field (out, row->due_date, FALSE);
  append_field (out, row->due_time, FALSE);
  append_field (out, roster_priority_to_word (row->priority), FALSE);
  append_field (out, row->recurrence, FALSE);
  append_field (out, tags->str, FALSE);
  append_field (out, row->notes, TRUE);
  return TRUE;
}

GBytes *
roster_csv_export (RosterStore     *store,
                   RosterUser      *user,
                   RosterCategory  *category,
                   GError         **error)
{
  GString *out;

  g_return_val_if_fail (ROSTER_IS_STORE (store), NULL);

  out = g_string_new (HEADER);
  if (!_roster_store_ical_read_tasks (store, user, category, csv_row, out, error))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free_to_bytes (out);
}
