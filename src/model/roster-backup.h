/* roster-backup.h: copies of a Roster file, made with SQLite's backup API.
 *
 * Backups live in a folder beside the file: for ~/x/roster.db, in
 * ~/x/roster.db.backups/. Roster writes one before every schema migration and
 * one a day (keeping the last seven daily ones). None of these functions need
 * an open RosterStore, so they may run in a worker thread; restoring must
 * happen while no store has the file open.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How many daily backups are kept. */
#define ROSTER_BACKUP_DAYS 7

char      *roster_backup_get_dir   (const char  *db_path);
/* Every backup of @db_path, newest first, as full paths. Never NULL. */
GPtrArray *roster_backup_list      (const char  *db_path);
/* Writes today's backup unless there is one already, then removes daily
 * backups beyond the newest ROSTER_BACKUP_DAYS. @now may be NULL (the time now).
 * A copy that fails PRAGMA quick_check is removed again (the file is damaged):
 * reads the whole copy, so run it off the main thread. */
gboolean   roster_backup_daily     (const char  *db_path,
                                    GDateTime   *now,
                                    GError     **error);
/* Copies @backup_path over @db_path (a backup of the current file is written
 * first, named "…-before-restore-…"). No store may have @db_path open. */
gboolean   roster_backup_restore   (const char  *db_path,
                                    const char  *backup_path,
                                    GError     **error);
/* Writes a consistent copy of @db_path to @dest_path (created 0600). */
gboolean   roster_backup_write     (const char  *db_path,
                                    const char  *dest_path,
                                    GError     **error);

G_END_DECLS
