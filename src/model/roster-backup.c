/* roster-backup.c: copies of a Roster file. See roster-backup.h. */
#define G_LOG_DOMAIN "roster-backup"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>

#include "roster-backup.h"
#include "roster-error.h"
#include "roster-store-private.h"

char *
roster_backup_get_dir (const char *db_path)
{
  return g_strconcat (db_path, ".backups", NULL);
}

static char *
backup_name (const char *db_path,
             const char *what)
{
  g_autofree char *dir = roster_backup_get_dir (db_path);
  g_autofree char *base = g_path_get_basename (db_path);
  g_autofree char *name = g_strdup_printf ("%s-%s", base, what);

  return g_build_filename (dir, name, NULL);
}

/* Copies the database @src (already open) into the file @dest_path.
 * @progress, when given, hears how far it got and may stop it. */
static gboolean
copy_database (sqlite3               *src,
               const char            *dest_path,
               RosterBackupProgress   progress,
               gpointer               progress_data,
               GError               **error)
{
  g_autoptr(GError) stopped = NULL;
  g_autofree char *dir = g_path_get_dirname (dest_path);
  g_autofree char *tmp_path = g_strconcat (dest_path, ".part", NULL);
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  int fd, rc;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_READ_ONLY,
                   _("The backup folder “%s” cannot be created: %s."), dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* A private file, written under a temporary name and renamed when whole. */
  g_unlink (tmp_path);
  fd = g_open (tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_READ_ONLY,
                   _("The backup “%s” cannot be written: %s."), tmp_path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  rc = sqlite3_open_v2 (tmp_path, &dest, SQLITE_OPEN_READWRITE, NULL);
  if (rc == SQLITE_OK)
    {
      backup = sqlite3_backup_init (dest, "main", src, "main");
      if (backup == NULL)
        rc = sqlite3_errcode (dest);
      else
        {
          do
            {
              int total;

              rc = sqlite3_backup_step (backup, 256);
              if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
                sqlite3_sleep (20);
              total = sqlite3_backup_pagecount (backup);
              if (progress != NULL && rc == SQLITE_OK && total > 0 &&
                  !progress ((double) (total - sqlite3_backup_remaining (backup)) / total,
                             progress_data, &stopped))
                rc = SQLITE_ABORT;
            }
          while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
          sqlite3_backup_finish (backup);
          if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
        }
    }

  if (rc != SQLITE_OK)
    {
      if (stopped != NULL)
        g_propagate_error (error, g_steal_pointer (&stopped));
      else
        {
          _roster_set_sqlite_error (error, dest, rc);
          g_prefix_error (error, _("The backup could not be written: "));
        }
      sqlite3_close (dest);
      g_unlink (tmp_path);
      return FALSE;
    }

  /* The copy is a plain rollback-journal file: one file, nothing beside it. */
  sqlite3_exec (dest, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
  sqlite3_close (dest);

  if (g_rename (tmp_path, dest_path) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_READ_ONLY,
                   _("The backup “%s” cannot be written: %s."), dest_path, g_strerror (saved_errno));
      g_unlink (tmp_path);
      return FALSE;
    }
  return TRUE;
}

gboolean
_roster_backup_from_connection (sqlite3               *db,
                                const char            *db_path,
                                const char            *what,
                                RosterBackupProgress   progress,
                                gpointer               progress_data,
                                GError               **error)
{
  g_autofree char *dest = backup_name (db_path, what);

  return copy_database (db, dest, progress, progress_data, error);
}

gboolean
roster_backup_write (const char  *db_path,
                     const char  *dest_path,
                     GError     **error)
{
  sqlite3 *src = NULL;
  gboolean ok;
  int rc;

  rc = sqlite3_open_v2 (db_path, &src, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    {
      _roster_set_sqlite_error (error, src, rc);
      sqlite3_close (src);
      return FALSE;
    }
  sqlite3_busy_timeout (src, ROSTER_BUSY_TIMEOUT_MS);
  ok = copy_database (src, dest_path, NULL, NULL, error);
  sqlite3_close (src);
  return ok;
}

static int
compare_names_descending (gconstpointer a,
                          gconstpointer b)
{
  return -strcmp (*(const char * const *) a, *(const char * const *) b);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const char *pa = *(const char * const *) a;
  const char *pb = *(const char * const *) b;
  GStatBuf sa, sb;

  if (g_stat (pa, &sa) == 0 && g_stat (pb, &sb) == 0 && sa.st_mtime != sb.st_mtime)
    return sa.st_mtime < sb.st_mtime ? 1 : -1;
  return -strcmp (pa, pb);
}

GPtrArray *
roster_backup_list (const char *db_path)
{
  g_autofree char *dir = roster_backup_get_dir (db_path);
  g_autofree char *base = g_path_get_basename (db_path);
  g_autofree char *prefix = g_strconcat (base, "-", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix) && g_str_has_suffix (name, ".db"))
      g_ptr_array_add (out, g_build_filename (dir, name, NULL));

  g_ptr_array_sort (out, compare_newest_first);
  return out;
}

/* PRAGMA quick_check of a file: a few seconds for a very large one, so only
 * where it runs off the main thread. */
static gboolean
is_sound (const char *path)
{
  sqlite3 *db = NULL;
  gboolean ok = FALSE;
  int rc;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
    ok = _roster_check_pages (db, &rc) == ROSTER_PAGES_SOUND;
  sqlite3_close (db);
  return ok;
}

gboolean
roster_backup_daily (const char  *db_path,
                     GDateTime   *now,
                     GError     **error)
{
  g_autoptr(GDateTime) local_now = now ? g_date_time_ref (now) : g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (local_now, "daily-%Y-%m-%d.db");
  g_autofree char *today = backup_name (db_path, day);
  g_autofree char *daily_prefix = backup_name (db_path, "daily-");
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) daily = g_ptr_array_new ();

  if (!g_file_test (today, G_FILE_TEST_EXISTS))
    {
      if (!roster_backup_write (db_path, today, error))
        return FALSE;
      /* The backup API copies pages without reading them: a damaged file
       * makes a damaged copy, which must not push a sound one out. */
      if (!is_sound (today))
        {
          g_autofree char *display = g_filename_display_name (db_path);

          g_unlink (today);
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_A_DATABASE,
                       _("“%s” is damaged: no backup was made of it today."), display);
          return FALSE;
        }
    }

  /* Daily names sort by date: keep the newest ones, remove the rest. */
  all = roster_backup_list (db_path);
  for (guint i = 0; i < all->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (all, i), daily_prefix))
      g_ptr_array_add (daily, g_ptr_array_index (all, i));
  g_ptr_array_sort (daily, compare_names_descending);
  for (guint i = ROSTER_BACKUP_DAYS; i < daily->len; i++)
    g_unlink (g_ptr_array_index (daily, i));

  return TRUE;
}

/* Keeps what is at @db_path before a restore replaces it: a consistent copy
 * through SQLite when it is a database, its bytes when it is damaged (a plain
 * copy is the only copy there is of a file SQLite cannot read). */
static gboolean
keep_current (const char  *db_path,
              GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d-%H%M%S");
  g_autofree char *what = g_strdup_printf ("before-restore-%s.db", stamp);
  g_autofree char *safety = backup_name (db_path, what);
  g_autofree char *damaged_what = g_strdup_printf ("damaged-%s.bin", stamp);
  g_autofree char *damaged = backup_name (db_path, damaged_what);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) dest = NULL;

  if (!g_file_test (db_path, G_FILE_TEST_EXISTS))
    return TRUE;
  if (roster_backup_write (db_path, safety, &local_error))
    return TRUE;

  source = g_file_new_for_path (db_path);
  dest = g_file_new_for_path (damaged);
  return g_file_copy (source, dest, G_FILE_COPY_NONE, NULL, NULL, NULL, error);
}

gboolean
roster_backup_restore (const char  *db_path,
                       const char  *backup_path,
                       GError     **error)
{
  g_autofree char *restoring = g_strconcat (db_path, ".restoring", NULL);
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);

  /* What is there now is kept too: a restore can be taken back. */
  if (!keep_current (db_path, error))
    return FALSE;

  /* The backup is copied beside the file, then takes its place in one rename;
   * the old file's WAL must go with it, or SQLite would replay it onto the
   * restored one. */
  if (!roster_backup_write (backup_path, restoring, error))
    {
      g_prefix_error (error, _("The backup could not be restored: "));
      return FALSE;
    }
  g_unlink (wal);
  g_unlink (shm);
  if (g_rename (restoring, db_path) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_READ_ONLY,
                   _("The backup could not be restored: %s."), g_strerror (saved_errno));
      g_unlink (restoring);
      return FALSE;
    }
  return TRUE;
}
