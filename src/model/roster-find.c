/* roster-find.c: Find over every task's title and notes.
 *
 * The file keeps a trigram full-text index (roster_find, FTS5) of each task's
 * text folded for matching: no case, no accents. SQL has no way to take the
 * accents off, so the schema's triggers only note which tasks changed
 * (roster_find_stale), whoever wrote them, and the store brings their entries
 * up to date a few at a time while the main loop is idle. A search reads the
 * index for the tasks it is current for and folds the noted ones itself, so
 * its answer is right at any moment, only slower while many are noted.
 */
#define G_LOG_DOMAIN "roster-find"

#include <string.h>

#include "roster-change.h"
#include "roster-find.h"

/* A trigram index needs three characters; shorter text is looked for by scanning. */
#define TRIGRAM 3

/* Like roster_statement(), but a statement that cannot be prepared is an
 * answer, not a programming error: a damaged page of the index's own tables
 * shows up here. NULL with *rc set then. */
static sqlite3_stmt *
statement (sqlite3    *db,
           GHashTable *statements,
           const char *sql,
           int        *rc)
{
  sqlite3_stmt *s = g_hash_table_lookup (statements, sql);

  if (s != NULL)
    {
      sqlite3_reset (s);
      sqlite3_clear_bindings (s);
      return s;
    }
  *rc = sqlite3_prepare_v3 (db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
  if (*rc != SQLITE_OK)
    {
      *rc = sqlite3_extended_errcode (db);
      if (*rc == SQLITE_OK)
        *rc = SQLITE_ERROR;
      return NULL;
    }
  g_hash_table_insert (statements, (gpointer) sql, s);
  return s;
}

char *
_roster_find_fold (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *decomposed = NULL;
  g_autoptr(GString) bare = NULL;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  decomposed = g_utf8_normalize (valid, -1, G_NORMALIZE_ALL);
  bare = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* Accents are the marks that decomposition separated from their letters. */
      if (!g_unichar_ismark (c))
        g_string_append_unichar (bare, c);
    }
  return g_utf8_casefold (bare->str, (gssize) bare->len);
}

/* Runs @sql, a statement with the one parameter @id and no rows. */
static int
exec_for_id (sqlite3    *db,
             GHashTable *statements,
             const char *sql,
             gint64      id)
{
  int rc;
  sqlite3_stmt *s = statement (db, statements, sql, &rc);

  if (s == NULL)
    return rc;
  sqlite3_bind_int64 (s, 1, id);
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* What the index holds for a task. */
static char *
fold_task (const char *title,
           const char *notes)
{
  g_autofree char *folded_title = _roster_find_fold (title);
  g_autofree char *folded_notes = _roster_find_fold (notes);

  /* Two characters after the end, so that every character of the text
   * starts a trigram: short text is found by the trigrams it begins. */
  return g_strconcat (folded_title, "\n", folded_notes, "\n\n", NULL);
}

int
_roster_find_catch_up (sqlite3    *db,
                       GHashTable *statements,
                       guint       max_rows,
                       gint64      max_usec,
                       guint      *n_done)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 start = g_get_monotonic_time ();
  sqlite3_stmt *s;
  int rc;

  *n_done = 0;

  /* Nothing noted: no write lock asked for (another program may hold it). */
  s = statement (db, statements, "SELECT 1 FROM roster_find_stale LIMIT 1", &rc);
  if (s == NULL)
    return rc;
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  if (rc == SQLITE_DONE)
    return SQLITE_OK;
  if (rc != SQLITE_ROW)
    return rc;

  rc = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return rc;

  s = statement (db, statements,
                        "SELECT task_id FROM roster_find_stale ORDER BY task_id LIMIT ?1", &rc);
  if (s == NULL)
    goto fail;
  sqlite3_bind_int64 (s, 1, max_rows);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (s, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    goto fail;

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autofree char *text = NULL;

      rc = exec_for_id (db, statements, "DELETE FROM roster_find WHERE rowid = ?1", id);
      if (rc != SQLITE_OK)
        goto fail;

      s = statement (db, statements, "SELECT title, notes FROM task WHERE id = ?1", &rc);
      if (s == NULL)
        goto fail;
      sqlite3_bind_int64 (s, 1, id);
      rc = sqlite3_step (s);
      if (rc == SQLITE_ROW)
        text = fold_task ((const char *) sqlite3_column_text (s, 0),
                          (const char *) sqlite3_column_text (s, 1));
      sqlite3_reset (s);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        goto fail;

      if (text != NULL)
        {
          s = statement (db, statements,
                                "INSERT INTO roster_find (rowid, text) VALUES (?1, ?2)", &rc);
          if (s == NULL)
            goto fail;
          sqlite3_bind_int64 (s, 1, id);
          sqlite3_bind_text (s, 2, text, -1, SQLITE_STATIC);
          rc = sqlite3_step (s);
          sqlite3_reset (s);
          if (rc != SQLITE_DONE)
            goto fail;
        }

      (*n_done)++;
      if (max_usec > 0 && g_get_monotonic_time () - start >= max_usec)
        break;
    }

  /* The noted ids were taken in order: the first n_done are the ones done. */
  if (*n_done > 0)
    {
      rc = exec_for_id (db, statements, "DELETE FROM roster_find_stale WHERE task_id <= ?1",
                        g_array_index (ids, gint64, *n_done - 1));
      if (rc != SQLITE_OK)
        goto fail;
    }

  rc = sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    goto fail;
  return SQLITE_OK;

fail:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  *n_done = 0;
  return rc;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* "abc" as an FTS5 string: one phrase, which the trigram tokenizer matches as
 * a substring. */
static char *
quote_phrase (const char *needle)
{
  GString *phrase = g_string_new ("\"");

  for (const char *p = needle; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (phrase, '"');
      g_string_append_c (phrase, *p);
    }
  g_string_append_c (phrase, '"');
  return g_string_free (phrase, FALSE);
}

/* "a%b" as a LIKE pattern that finds it anywhere. */
static char *
like_pattern (const char *needle)
{
  GString *pattern = g_string_new ("%");

  for (const char *p = needle; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

/* The ids of the first @n rows whose index entry matches the FTS5 @query. */
static int
match_ids (sqlite3    *db,
           GHashTable *statements,
           const char *query,
           guint       n,
           GArray     *ids)
{
  sqlite3_stmt *s;
  int rc;

  s = statement (db, statements,
                        "SELECT rowid FROM roster_find WHERE roster_find MATCH ?1 "
                        "AND NOT EXISTS (SELECT 1 FROM roster_find_stale WHERE task_id = roster_find.rowid) "
                        "ORDER BY rowid LIMIT ?2", &rc);
  if (s == NULL)
    return rc;
  sqlite3_bind_text (s, 1, query, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 2, n);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (s, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (s);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* How many entries a short search reads in order before it asks the index. */
#define SHORT_SCAN_ROWS 20000

/* One or two characters are too short for a trigram query. Common ones are
 * found soonest by reading entries in order; rare ones by the index's own
 * trigrams that begin with them (every character of an entry begins one,
 * see fold_task), which are few. */
static int
find_short (sqlite3    *db,
            GHashTable *statements,
            const char *needle,
            guint       n,
            GArray     *ids)
{
  g_autofree char *pattern = like_pattern (needle);
  g_autoptr(GString) query = NULL;
  sqlite3_stmt *s;
  guint n_read = 0;
  int rc = SQLITE_DONE;

  s = statement (db, statements,
                        "SELECT rowid, text LIKE ?1 ESCAPE '\\' AND NOT EXISTS "
                        "(SELECT 1 FROM roster_find_stale WHERE task_id = roster_find.rowid) "
                        "FROM roster_find ORDER BY rowid LIMIT ?2", &rc);
  if (s == NULL)
    return rc;
  sqlite3_bind_text (s, 1, pattern, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 2, SHORT_SCAN_ROWS);
  while (ids->len < n && (rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (s, 0);

      n_read++;
      if (sqlite3_column_int (s, 1))
        g_array_append_val (ids, id);
    }
  sqlite3_reset (s);
  if (ids->len >= n || n_read < SHORT_SCAN_ROWS)
    return SQLITE_OK;
  if (rc != SQLITE_DONE)
    return rc;

  /* Rare so far: every trigram that begins with @needle, as one OR query. */
  rc = sqlite3_exec (db, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.roster_find_terms "
                         "USING fts5vocab (main, roster_find, row)", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return rc;
  query = g_string_new (NULL);
  s = statement (db, statements,
                        "SELECT term FROM temp.roster_find_terms "
                        "WHERE term >= ?1 AND term < ?1 || char(1114111)", &rc);
  if (s == NULL)
    return rc;
  sqlite3_bind_text (s, 1, needle, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      g_autofree char *phrase = quote_phrase ((const char *) sqlite3_column_text (s, 0));

      if (query->len > 0)
        g_string_append (query, " OR ");
      g_string_append (query, phrase);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    return rc;
  g_array_set_size (ids, 0);
  if (query->len == 0)
    return SQLITE_OK;
  return match_ids (db, statements, query->str, n, ids);
}

int
_roster_find_query (sqlite3    *db,
                    GHashTable *statements,
                    const char *text,
                    guint       limit,
                    GArray     *ids,
                    gboolean   *more)
{
  g_autofree char *folded = _roster_find_fold (text);
  g_autofree char *query = NULL;
  char *needle = g_strstrip (folded);
  gint64 bound = G_MAXINT64;
  sqlite3_stmt *s;
  int rc;

  *more = FALSE;
  if (*needle == '\0' || limit == 0)
    return SQLITE_OK;

  /* One more than asked, to know whether there are more. Tasks whose entry
   * is stale are skipped here and looked at below. */
  if (g_utf8_strlen (needle, -1) >= TRIGRAM)
    {
      query = quote_phrase (needle);
      rc = match_ids (db, statements, query, limit + 1, ids);
    }
  else
    rc = find_short (db, statements, needle, limit + 1, ids);
  if (rc != SQLITE_OK)
    return rc;

  /* The noted tasks, in id order, up to the last id that can still be part
   * of the answer: past the (limit + 1)th match found so far, none can. */
  if (ids->len > limit)
    bound = g_array_index (ids, gint64, limit);
  s = statement (db, statements,
                        "SELECT t.id, t.title, t.notes FROM roster_find_stale AS f "
                        "JOIN task AS t ON t.id = f.task_id ORDER BY f.task_id", &rc);
  if (s == NULL)
    return rc;
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (s, 0);
      g_autofree char *task_text = NULL;

      if (id > bound)
        break;
      task_text = fold_task ((const char *) sqlite3_column_text (s, 1),
                             (const char *) sqlite3_column_text (s, 2));
      if (strstr (task_text, needle) == NULL)
        continue;
      g_array_append_val (ids, id);
      if (ids->len > 2 * (limit + 1))
        {
          g_array_sort (ids, compare_ids);
          g_array_set_size (ids, limit + 1);
          bound = g_array_index (ids, gint64, limit);
        }
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return rc;

  g_array_sort (ids, compare_ids);
  if (ids->len > limit)
    {
      g_array_set_size (ids, limit);
      *more = TRUE;
    }
  return SQLITE_OK;
}
