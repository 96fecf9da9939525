/* roster-csv.c: tasks out as CSV (RFC 4180), for spreadsheets.
 *
 * Fields are separated by commas and lines end with CRLF; a field with a
 * comma, a double quote, a CR or an LF is put in double quotes, a double
 * quote in it doubled. The rows come from the store in one query
 * (roster-store-ical.c), as the iCalendar export's do.
 */
#define G_LOG_DOMAIN "roster-csv"

#include <string.h>

#include "roster-csv.h"
#include "roster-store-ical.h"

static void
append_field (GString    *out,
              const char *text,
              gboolean    last)
{
  if (text == NULL)
    text = "";
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

  out = g_string_new ("title,owner,done,due,tags,notes\r\n");
  if (!_roster_store_ical_read_tasks (store, user, category, csv_row, out, error))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free_to_bytes (out);
}
