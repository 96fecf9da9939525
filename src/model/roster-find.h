/* roster-find.h: Find's index, private to the model layer (see roster-find.c).
 *
 * Each function works on the store's connection and statement cache and
 * returns an SQLite result code.
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* @text as Find compares it: decomposed, without accents, case-folded. */
char *_roster_find_fold        (const char  *text);

/* Brings the entries of up to @max_rows noted tasks up to date in one write
 * transaction, stopping early after @max_usec (0: no limit); @n_done says how
 * many. */
int   _roster_find_catch_up    (sqlite3     *db,
                                GHashTable  *statements,
                                guint        max_rows,
                                gint64       max_usec,
                                guint       *n_done);
/* Appends to @ids the ids of the first @limit tasks (oldest first) whose
 * title or notes contain @text, case and accents ignored; @more says whether
 * there were more. */
int   _roster_find_query       (sqlite3     *db,
                                GHashTable  *statements,
                                const char  *text,
                                guint        limit,
                                GArray      *ids,
                                gboolean    *more);

G_END_DECLS
