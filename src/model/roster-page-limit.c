/* roster-page-limit.c: a small disk for the tests. See roster-page-limit.h. */
#define G_LOG_DOMAIN "roster-page-limit"

#include <sqlite3.h>

#include "roster-page-limit.h"

static gint64 max_page_count;

static int
limit_pages_cb (sqlite3                            *db,
                char                              **message,
                const struct sqlite3_api_routines  *api)
{
  /* A number parsed from the environment, not text: it may go in the SQL. */
  g_autofree char *sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT,
                                          max_page_count);

  sqlite3_exec (db, sql, NULL, NULL, NULL);
  return SQLITE_OK;
}

void
roster_page_limit_from_environment (void)
{
  const char *value = g_getenv ("ROSTER_MAX_PAGE_COUNT");
  guint64 pages = 0;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 1, G_MAXINT32, &pages, NULL))
    return;

  max_page_count = (gint64) pages;
  sqlite3_auto_extension ((void (*) (void)) limit_pages_cb);
  g_message ("ROSTER_MAX_PAGE_COUNT: files are limited to %" G_GINT64_FORMAT " pages",
             max_page_count);
}
