/* roster-sync-lease.c: the file's sync lease (roster-sync-lease.h).
 *
 * The lease is the one row of roster_sync_lease (its migration is in
 * roster-schema.c): who holds it, until when (Unix milliseconds), and which
 * process that is. Taking it is a short BEGIN IMMEDIATE transaction that
 * writes our row only when there is none, or it has expired, or its
 * process is dead; giving it back deletes the row if it is still ours.
 * While the sync runs, a thread of the lease's own renews the expiry every
 * third of the lease through a connection of its own (the store's belongs
 * to the sync's thread, which may be inside a transaction or blocked on
 * the network for long).
 *
 * A dead holder: a sync killed with SIGKILL gives nothing back. On this
 * computer its death is seen at once: the row names the process by its
 * PID, its start time (a PID is reused) and the PID namespace on this boot
 * of the computer (a Flatpak sandbox has a namespace of its own, where the
 * same number is another process); when the namespace is ours and that
 * process is gone, the lease is free. Anywhere else (another computer on a
 * share, another sandbox) only the expiry tells, within the lease's length.
 *
 * Why a row in the file and not a lock on a file beside it:
 *
 * - a holder killed with SIGKILL, or a computer switched off, leaves a row
 *   that is free once its process is gone or it expires;
 * - a POSIX lock (fcntl) belongs to the process, not to the sync, so two
 *   windows of one process would not exclude each other; closing any
 *   descriptor of the file drops it (SQLite's own connections open and
 *   close it); and on a network share such locks are often not shared
 *   between computers at all. The row relies on nothing but the locking
 *   SQLite already needs for the file to be usable there;
 * - the seed's SQLModel classes and other programs see one more table they
 *   never touch, and nothing else changes for them.
 *
 * The expiry is the holder's wall clock; two computers syncing one file on
 * a share must agree on the time to within the lease (NTP does).
 */
#define G_LOG_DOMAIN "roster-sync"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

#include "roster-sync.h"
#include "roster-sync-lease.h"
#include "roster-sync-state-private.h"

struct _RosterSyncLease
{
  RosterStore *store;
  char        *holder;
  char        *scope;      /* see process_scope() */
  guint64      started;    /* see process_started() */
  char        *filename;   /* the file, for the renewing connection */
  guint        seconds;
  GThread     *thread;
  GMutex       mutex;
  GCond        cond;
  gboolean     stop;
};

/* Where a PID names one process: this boot of this computer, and this PID
 * namespace. "" when that cannot be told (then only the expiry counts). */
static char *
process_scope (void)
{
  g_autofree char *boot = NULL;
  g_autofree char *namespace = NULL;

  if (!g_file_get_contents ("/proc/sys/kernel/random/boot_id", &boot, NULL, NULL)
      || (namespace = g_file_read_link ("/proc/self/ns/pid", NULL)) == NULL)
    return g_strdup ("");
  return g_strdup_printf ("%s %s", g_strstrip (boot), namespace);
}

/* When process @pid (0: this one) started, in clock ticks after boot; 0
 * when it is gone (or a zombie: killed, not yet reaped). */
static guint64
process_started (gint64 pid)
{
  g_autofree char *path = pid > 0 ? g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/stat", pid)
                                  : g_strdup ("/proc/self/stat");
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *rest;

  if (!g_file_get_contents (path, &text, NULL, NULL)
      /* The fields after the command's name, which may hold anything. */
      || (rest = strrchr (text, ')')) == NULL || rest[1] != ' ')
    return 0;
  fields = g_strsplit (rest + 2, " ", 0);
  /* fields[0] is the state (the file's 3rd field), [19] the start (22nd). */
  if (g_strv_length (fields) < 20 || fields[0][0] == 'Z' || fields[0][0] == 'X')
    return 0;
  return g_ascii_strtoull (fields[19], NULL, 10);
}

static gint64
expiry_after (guint seconds)
{
  return g_get_real_time () / 1000 + (gint64) seconds * 1000;
}

/* Renews @lease's expiry until told to stop. */
static gpointer
renew_thread (gpointer data)
{
  RosterSyncLease *lease = data;
  gint64 period = (gint64) lease->seconds * G_USEC_PER_SEC / 3;
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;
  gboolean stop = FALSE;

  if (sqlite3_open_v2 (lease->filename, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "UPDATE roster_sync_lease SET expires = ?1 WHERE holder = ?2",
                             -1, &s, NULL) != SQLITE_OK)
    g_warning ("Cannot renew the sync lease: %s", sqlite3_errmsg (db));
  else
    /* A write of the sync's may hold the file: wait for it, within the
     * lease's margin. */
    sqlite3_busy_timeout (db, (int) (period / 1000));

  while (s != NULL && !stop)
    {
      gint64 until = g_get_monotonic_time () + period;

      g_mutex_lock (&lease->mutex);
      while (!lease->stop && g_cond_wait_until (&lease->cond, &lease->mutex, until))
        ;
      stop = lease->stop;
      g_mutex_unlock (&lease->mutex);
      if (stop)
        break;

      sqlite3_bind_int64 (s, 1, expiry_after (lease->seconds));
      sqlite3_bind_text (s, 2, lease->holder, -1, SQLITE_STATIC);
      if (sqlite3_step (s) != SQLITE_DONE)
        g_message ("Cannot renew the sync lease: %s", sqlite3_errmsg (db));
      else if (sqlite3_changes (db) == 0)
        g_message ("The sync lease expired while this sync ran: another one may have started.");
      sqlite3_reset (s);
    }
  sqlite3_finalize (s);
  sqlite3_close (db);
  return NULL;
}

static void
lease_free (RosterSyncLease *lease)
{
  g_clear_object (&lease->store);
  g_free (lease->holder);
  g_free (lease->scope);
  g_free (lease->filename);
  g_mutex_clear (&lease->mutex);
  g_cond_clear (&lease->cond);
  g_free (lease);
}

/* Whether the lease's row leaves the file free for @lease: there is none,
 * or it expired, or its process is known dead. */
static gboolean
is_free (RosterSyncLease  *lease,
         gboolean         *free_now,
         GError          **error)
{
  sqlite3_stmt *s = _roster_store_stmt (lease->store,
                                        "SELECT holder, expires, scope, pid, started FROM roster_sync_lease");
  int rc = sqlite3_step (s);

  *free_now = TRUE;
  if (rc == SQLITE_ROW)
    {
      const char *scope = (const char *) sqlite3_column_text (s, 2);

      if (sqlite3_column_int64 (s, 1) > g_get_real_time () / 1000
          && (scope == NULL || scope[0] == '\0' || strcmp (scope, lease->scope) != 0
              || process_started (sqlite3_column_int64 (s, 3)) == (guint64) sqlite3_column_int64 (s, 4)))
        {
          g_debug ("The sync lease is held by %s", sqlite3_column_text (s, 0));
          *free_now = FALSE;
        }
      rc = sqlite3_step (s);
    }
  return _roster_sync_finish_rows (lease->store, s, rc, error);
}

/* Takes the lease for @lease when it is free, in the transaction. */
static gboolean
take_if_free (RosterSyncLease  *lease,
              gboolean         *taken,
              GError          **error)
{
  sqlite3_stmt *s;

  if (!is_free (lease, taken, error))
    return FALSE;
  if (!*taken)
    return TRUE;
  s = _roster_store_stmt (lease->store,
                          "INSERT OR REPLACE INTO roster_sync_lease (id, holder, expires, scope, pid, started) "
                          "VALUES (1, ?1, ?2, ?3, ?4, ?5)");
  _roster_sync_bind_text (s, 1, lease->holder);
  sqlite3_bind_int64 (s, 2, expiry_after (lease->seconds));
  _roster_sync_bind_text (s, 3, lease->scope);
  sqlite3_bind_int64 (s, 4, getpid ());
  sqlite3_bind_int64 (s, 5, (gint64) lease->started);
  return _roster_sync_step_done (lease->store, s, error);
}

RosterSyncLease *
roster_sync_lease_take (RosterStore  *store,
                        guint         seconds,
                        GError      **error)
{
  RosterSyncLease *lease;
  const char *filename;
  gboolean taken = FALSE;

  g_return_val_if_fail (ROSTER_IS_STORE (store), NULL);
  g_return_val_if_fail (seconds > 0, NULL);

  lease = g_new0 (RosterSyncLease, 1);
  lease->store = g_object_ref (store);
  /* Unique to this sync; the host and process help whoever reads the row. */
  lease->holder = g_strdup_printf ("%s %d %08x%08x", g_get_host_name (), (int) getpid (),
                                   g_random_int (), g_random_int ());
  lease->seconds = seconds;
  lease->started = process_started (0);
  /* Without its own start time, no one could tell this process's death. */
  lease->scope = lease->started != 0 ? process_scope () : g_strdup ("");
  g_mutex_init (&lease->mutex);
  g_cond_init (&lease->cond);

  if (!_roster_sync_begin_write (store, error)
      || !_roster_sync_end_write (store, take_if_free (lease, &taken, error), error))
    {
      lease_free (lease);
      return NULL;
    }
  if (!taken)
    {
      g_set_error_literal (error, ROSTER_SYNC_ERROR, ROSTER_SYNC_ERROR_BUSY,
                           _("Another sync of this file is running."));
      lease_free (lease);
      return NULL;
    }

  /* An in-memory file has no other connection to exclude. */
  filename = sqlite3_db_filename (_roster_store_get_db (store), "main");
  if (filename != NULL && filename[0] != '\0')
    {
      lease->filename = g_strdup (filename);
      lease->thread = g_thread_new ("roster-sync-lease", renew_thread, lease);
    }
  return lease;
}

void
roster_sync_lease_release (RosterSyncLease *lease)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *s;

  if (lease == NULL)
    return;
  if (lease->thread != NULL)
    {
      g_mutex_lock (&lease->mutex);
      lease->stop = TRUE;
      g_cond_signal (&lease->cond);
      g_mutex_unlock (&lease->mutex);
      g_thread_join (lease->thread);
    }

  /* What fails here only leaves the row to expire. */
  if (_roster_sync_begin_write (lease->store, &error))
    {
      s = _roster_store_stmt (lease->store, "DELETE FROM roster_sync_lease WHERE holder = ?1");
      _roster_sync_bind_text (s, 1, lease->holder);
      _roster_sync_end_write (lease->store, _roster_sync_step_done (lease->store, s, &error), &error);
    }
  if (error != NULL)
    g_warning ("Cannot give the sync lease back: %s", error->message);
  lease_free (lease);
}
