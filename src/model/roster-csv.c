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

typedef struct
{
  GHashTable *tag_names;   /* gint64 * → name */
  GString    *out;
  GPtrArray  *tags;        /* scratch: one task's tag names */
} Csv;

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

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
csv_row (const RosterIcalRow  *row,
         gpointer              data,
         GError              **error)
{
  Csv *csv = data;
  g_autofree char *tags = NULL;
  g_auto(GStrv) ids = g_strsplit (row->category_ids ? row->category_ids : "", ",", -1);

  g_ptr_array_set_size (csv->tags, 0);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      gint64 id = g_ascii_strtoll (ids[i], NULL, 10);
      const char *name = g_hash_table_lookup (csv->tag_names, &id);

      if (name != NULL)
        g_ptr_array_add (csv->tags, (gpointer) name);
    }
  g_ptr_array_sort (csv->tags, compare_names);
  g_ptr_array_add (csv->tags, NULL);
  tags = g_strjoinv (", ", (char **) csv->tags->pdata);

  append_field (csv->out, row->title, FALSE);
  append_field (csv->out, row->owner, FALSE);
  append_field (csv->out, row->done ? "yes" : "no", FALSE);
  append_field (csv->out, row->due_date, FALSE);
  append_field (csv->out, tags, FALSE);
  append_field (csv->out, row->notes, TRUE);
  return TRUE;
}

GBytes *
roster_csv_export (RosterStore     *store,
                   RosterUser      *user,
                   RosterCategory  *category,
                   GError         **error)
{
  g_autoptr(GHashTable) tag_names = NULL;
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();
  GString *out;
  Csv csv;

  g_return_val_if_fail (ROSTER_IS_STORE (store), NULL);
  g_return_val_if_fail (user == NULL || ROSTER_IS_USER (user), NULL);
  g_return_val_if_fail (category == NULL || ROSTER_IS_CATEGORY (category), NULL);

  tag_names = _roster_store_ical_read_tag_names (store, error);
  if (tag_names == NULL)
    return NULL;

  out = g_string_new ("title,owner,done,due,tags,notes\r\n");
  csv = (Csv) { tag_names, out, tags };
  if (!_roster_store_ical_read_tasks (store, user ? roster_user_get_id (user) : 0,
                                      category ? roster_category_get_id (category) : 0,
                                      csv_row, &csv, error))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free_to_bytes (out);
}
