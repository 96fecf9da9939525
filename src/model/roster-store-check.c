/* roster-store-check.c: reading every page of an open file once, in the
 * background, before the store writes to it.
 *
 * SQLite finds a damaged page only when it reads it. A file Roster made
 * opens without being written (it is at this version and in WAL mode), so it
 * opens at once; a second later (once the window has drawn) a thread with a
 * read-only connection of its own runs PRAGMA quick_check over the whole
 * file (about half a second for a million tasks). Until its answer is in,
 * nothing is written: a change made meanwhile starts it if need be and waits
 * for it (_roster_store_check_writable()), and Find's catch-up starts only
 * after it. A damaged file is then refused like a damaged read
 * (_roster_store_note_failure(): the "damaged" signal, every change
 * refused), and stays byte-for-byte as it was. A file that opening itself
 * had to write was checked before that (roster-schema.c).
 */
#define G_LOG_DOMAIN "roster-store"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "roster-store-parts.h"

typedef enum
{
  CHECK_RUNNING,
  CHECK_SOUND,
  CHECK_DAMAGED,
  CHECK_UNKNOWN,   /* the check could not run (a lock, no memory): no verdict */
} CheckState;

struct _RosterStoreCheck
{
  gint          ref_count;
  guint         begin_source;  /* until the thread starts */
  sqlite3      *db;            /* the thread's own; read-only */
  GThread      *thread;        /* joined by the main thread */
  gint          state;         /* CheckState, atomic */
  RosterStore  *store;         /* main thread only: NULL once it took the answer */
  GMainContext *context;       /* the store's */
};

/* The check starts this long after the store opened: by then the window has
 * drawn its first frame, which the check would otherwise slow down (15-20 ms
 * of 135 on the million-task file, even at a lower priority). A write before
 * then starts it at once and waits for it. */
#define CHECK_DELAY_MS 1000

static RosterStoreCheck *
check_ref (RosterStoreCheck *check)
{
  g_atomic_int_inc (&check->ref_count);
  return check;
}

static void
check_unref (gpointer data)
{
  RosterStoreCheck *check = data;

  if (!g_atomic_int_dec_and_test (&check->ref_count))
    return;
  g_assert (check->thread == NULL && check->db == NULL);
  g_main_context_unref (check->context);
  g_free (check);
}

/* The main thread: the thread is done (or made to stop), and its connection
 * closes at once: an open connection would keep the file's WAL alive. */
static void
end_thread (RosterStoreCheck *check)
{
  _roster_store_clear_source (check->context, &check->begin_source);
  if (check->thread != NULL)
    g_thread_join (g_steal_pointer (&check->thread));
  g_clear_pointer (&check->db, sqlite3_close);
  check->store = NULL;
}

/* The main thread: the store takes the answer, waiting for it if need be. */
static void
take_answer (RosterStore *self)
{
  RosterStoreCheck *check = g_steal_pointer (&self->check);

  end_thread (check);

  if (g_atomic_int_get (&check->state) == CHECK_DAMAGED)
    _roster_store_note_failure (self, SQLITE_CORRUPT);
  else
    _roster_store_schedule_find_catch_up (self);
  check_unref (check);
}

static gboolean
answer_idle_cb (gpointer data)
{
  RosterStoreCheck *check = data;

  if (check->store != NULL)
    take_answer (check->store);
  return G_SOURCE_REMOVE;
}

static gpointer
check_thread (gpointer data)
{
  RosterStoreCheck *check = data;
  CheckState state;
  int rc;

#ifdef __linux__
  /* Behind the main thread, which draws the first frame meanwhile: on a
   * machine with few cores the check may take longer, never the window. */
  setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10);
#endif

  switch (_roster_check_pages (check->db, &rc))
    {
    case ROSTER_PAGES_SOUND:
      state = CHECK_SOUND;
      break;
    case ROSTER_PAGES_DAMAGED:
      state = CHECK_DAMAGED;
      break;
    case ROSTER_PAGES_UNREAD:
    default:
      state = CHECK_UNKNOWN;
      break;
    }

  g_atomic_int_set (&check->state, state);
  /* The answer reaches the store from its main loop, unless it asks first. */
  _roster_store_add_source (check->context, G_PRIORITY_DEFAULT, 0, answer_idle_cb, check_ref (check), check_unref);
  check_unref (check);
  return NULL;
}

/* The main thread: the check's thread starts, with a connection of its own. */
static void
begin_thread (RosterStore *self)
{
  RosterStoreCheck *check = self->check;
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      /* No second connection (no memory, no file handles left): no check,
       * as before there was one; a damaged read is still caught. */
      g_debug ("No background check of %s: %s", self->path, sqlite3_errmsg (db));
      sqlite3_close (db);
      self->check = NULL;
      end_thread (check);
      check_unref (check);
      _roster_store_schedule_find_catch_up (self);
      return;
    }

  check->db = db;
  sqlite3_busy_timeout (db, ROSTER_BUSY_TIMEOUT_MS);
  /* Every page is read once: a cache would only hold memory. */
  sqlite3_exec (db, "PRAGMA cache_size = -256", NULL, NULL, NULL);
  check->thread = g_thread_new ("roster-check", check_thread, check_ref (check));
}

static gboolean
begin_cb (gpointer data)
{
  RosterStore *self = data;

  self->check->begin_source = 0;
  begin_thread (self);
  return G_SOURCE_REMOVE;
}

/* From roster_store_open_full(), for a store that may write. */
void
_roster_store_start_check (RosterStore *self)
{
  RosterStoreCheck *check = g_new0 (RosterStoreCheck, 1);

  g_return_if_fail (self->check == NULL);

  check->ref_count = 1;
  check->state = CHECK_RUNNING;
  check->store = self;
  check->context = g_main_context_ref (self->context);
  self->check = check;
  check->begin_source = _roster_store_add_source (check->context, G_PRIORITY_LOW, CHECK_DELAY_MS, begin_cb, self, NULL);
}

/* Before the first write: waits for the check's answer, starting the check
 * first if it has not started yet. */
void
_roster_store_wait_for_check (RosterStore *self)
{
  if (self->check == NULL)
    return;
  if (self->check->thread == NULL)
    {
      _roster_store_clear_source (self->check->context, &self->check->begin_source);
      begin_thread (self);
      if (self->check == NULL)
        return;
    }
  take_answer (self);
}

/* From dispose: the thread is stopped where it is; no answer is taken. */
void
_roster_store_stop_check (RosterStore *self)
{
  RosterStoreCheck *check = g_steal_pointer (&self->check);

  if (check == NULL)
    return;
  if (check->db != NULL)
    sqlite3_interrupt (check->db);
  end_thread (check);
  check_unref (check);
}
