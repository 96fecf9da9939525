/* roster-test-util.h: helpers the model tests share.
 *
 * Temporary folders, and a second SQLite connection of the test's own: a test
 * checks the file through it, never through the store it is testing. Every
 * helper fails the test (g_assert, g_error) rather than return an error.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A new private folder from g_dir_make_tmp() @tmpl ("roster-…-XXXXXX"). */
char    *roster_test_make_dir         (const char *tmpl);
/* Removes @dir with everything below it. */
void     roster_test_remove_tree      (const char *dir);

/* Runs @sql (any number of statements) on @path; waits up to 5 s for a lock. */
void     roster_test_raw_exec         (const char *path,
                                       const char *sql);
/* The first column of the first row of @sql, or -1 when there is no row. */
gint64   roster_test_raw_int          (const char *path,
                                       const char *sql);
/* The first column of every row of @sql joined with "; " (NULL as "NULL"),
 * "" when there is none. Opens @path read-write, so that a file left by a
 * killed process is recovered first, as any program opening it would. */
char    *roster_test_raw_text         (const char *path,
                                       const char *sql);

/* Every row of every table, as text: what the file holds. Fails the test when
 * a table or column is missing. */
char    *roster_test_dump             (const char *path);
/* The same, leaving out a table whose query the file cannot answer: a file the
 * seed made has no Roster columns yet. */
char    *roster_test_dump_lenient     (const char *path);

/* The SHA-256 of @path's bytes, to tell whether a file was touched at all. */
char    *roster_test_file_digest      (const char *path);
/* Makes @path a file as the seed's SQLModel classes leave it: their DDL
 * (tests/data/seed-schema.sql), then @rows (INSERT statements). */
void     roster_test_write_seed_file  (const char *path,
                                       const char *rows);

/* Overwrites @length bytes of the first page of table or index @name (its
 * root page), @offset bytes into it, with 0xA5, as a bad disk or a stray
 * write would: SQLite finds the damage only when it reads that page. */
void     roster_test_damage_page      (const char *path,
                                       const char *name,
                                       gsize       offset,
                                       gsize       length);

/* The worker's side: says it is ready (the killer's clock starts). */
void     roster_test_worker_ready     (void);
/* Starts `@self_path --worker @path` (a test running itself as a worker
 * that calls roster_test_worker_ready() when it is ready), lets it run
 * for up to @max_delay_us microseconds (at random, from @rand) and kills
 * it with SIGKILL; fails the test unless the kill is what ended it. */
void     roster_test_kill_worker      (const char *self_path,
                                       const char *path,
                                       GRand      *rand,
                                       guint       max_delay_us);

/* The number in environment variable @name, or @fallback when it is unset. */
guint32  roster_test_env_number       (const char *name,
                                       guint32     fallback);

/* Records every items-changed of @model (read first, as a view does) in
 * the array returned, which @model keeps; checking on each that the new
 * length is in place. */
typedef struct
{
  guint position, removed, added;
} RosterTestChange;

GArray  *roster_test_record_changes   (GListModel *model);
/* Fails the test unless change @index of @changes is (@position, @removed,
 * @added). */
void     roster_test_assert_change    (GArray     *changes,
                                       guint       index,
                                       guint       position,
                                       guint       removed,
                                       guint       added);

G_END_DECLS
