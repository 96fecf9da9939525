/* test-sync-lease.c: one sync at a time per file (roster-sync-lease.h).
 *
 * Two stores on one file, as two windows or a window and `roster sync`
 * would have: the second is refused while the first holds the lease (and
 * roster_sync_run() fails with ROSTER_SYNC_ERROR_BUSY before it sends
 * anything), and takes it once it is given back. A holder in another
 * process keeps its lease past the lease's length while it lives (it
 * renews it), and one killed with SIGKILL on this computer blocks no one:
 * its process is gone. A lease left from another computer (the file on a
 * share) holds until it expires.
 *
 * The test runs itself again as that holder (`test-sync-lease --holder
 * FILE SECONDS`): it takes the lease, says so on standard output and waits
 * to be killed.
 */
#define G_LOG_DOMAIN "test-sync"

#include <string.h>

#include "roster-sync.h"
#include "roster-sync-lease.h"
#include "roster-sync-state.h"
#include "roster-test-util.h"

/* The other process's lease: short, so that the test waits little. */
#define HOLDER_SECONDS 3

static const char *self_path;

/* A folder of its own for each test's file. */
typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  f->dir = roster_test_make_dir ("roster-sync-lease-XXXXXX");
  f->path = g_build_filename (f->dir, "roster.db", NULL);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  roster_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static int
holder_main (const char *path,
             const char *seconds)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterStore) store = roster_store_open (path, &error);
  g_autoptr(RosterSyncLease) lease = NULL;

  if (store != NULL)
    lease = roster_sync_lease_take (store, (guint) g_ascii_strtoull (seconds, NULL, 10), &error);
  if (lease == NULL)
    g_error ("holder: %s", error->message);
  g_print ("held\n");
  fflush (stdout);
  for (;;)
    g_usleep (G_USEC_PER_SEC);
  return 0;
}

static RosterStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  RosterStore *store = roster_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static void
assert_busy (RosterStore *store)
{
  g_autoptr(GError) error = NULL;
  RosterSyncLease *lease = roster_sync_lease_take (store, ROSTER_SYNC_LEASE_SECONDS, &error);

  g_assert_null (lease);
  g_assert_error (error, ROSTER_SYNC_ERROR, ROSTER_SYNC_ERROR_BUSY);
  g_assert_cmpstr (error->message, ==, "Another sync of this file is running.");
}

static RosterSyncLease *
take (RosterStore *store)
{
  g_autoptr(GError) error = NULL;
  RosterSyncLease *lease = roster_sync_lease_take (store, ROSTER_SYNC_LEASE_SECONDS, &error);

  g_assert_no_error (error);
  g_assert_nonnull (lease);
  return lease;
}

/* The lease is free for @store: taken, and given back without a trace. */
static void
assert_free (RosterStore *store,
             const char  *path)
{
  roster_sync_lease_release (take (store));
  g_assert_cmpint (roster_test_raw_int (path, "SELECT count(*) FROM roster_sync_lease"), ==, 0);
}

static void
test_two_stores (Fixture      *f,
                 gconstpointer data)
{
  const char *path = f->path;
  g_autoptr(RosterStore) first = open_store (path);
  g_autoptr(RosterStore) second = open_store (path);
  g_autoptr(RosterCaldavClient) client = NULL;
  g_autoptr(GError) error = NULL;
  RosterSyncLease *lease;

  /* An account whose sync would get as far as the network: nothing listens
   * there, so a sync that went past the lease would fail otherwise. */
  g_assert_true (roster_sync_set_account (second, "http://127.0.0.1:1/", "ada", &error));
  g_assert_no_error (error);
  client = roster_caldav_client_new ("http://127.0.0.1:1/", "ada", "secret", &error);
  g_assert_no_error (error);

  lease = take (first);
  g_assert_cmpint (roster_test_raw_int (path, "SELECT count(*) FROM roster_sync_lease"), ==, 1);
  /* Refused to the other store, and to a second sync of the same store. */
  assert_busy (second);
  assert_busy (first);
  {
    g_auto(RosterSyncResult) result = { 0 };

    g_assert_false (roster_sync_run (second, client, ROSTER_SYNC_FLAGS_NONE, &result, NULL, &error));
    g_assert_error (error, ROSTER_SYNC_ERROR, ROSTER_SYNC_ERROR_BUSY);
    g_clear_error (&error);
    g_assert_cmpuint (result.n_sent, ==, 0);
  }
  /* The refused sync did not take the lease from its holder. */
  assert_busy (second);

  roster_sync_lease_release (lease);
  g_assert_cmpint (roster_test_raw_int (path, "SELECT count(*) FROM roster_sync_lease"), ==, 0);
  lease = take (second);
  assert_busy (first);
  roster_sync_lease_release (lease);

  /* A sync that ends (here, failing at the network) gives it back. */
  {
    g_auto(RosterSyncResult) result = { 0 };

    g_assert_false (roster_sync_run (second, client, ROSTER_SYNC_FLAGS_NONE, &result, NULL, &error));
    g_assert_false (g_error_matches (error, ROSTER_SYNC_ERROR, ROSTER_SYNC_ERROR_BUSY));
    g_clear_error (&error);
  }
  assert_free (first, path);
}

static void
test_killed_holder (Fixture      *f,
                    gconstpointer data)
{
  const char *path = f->path;
  g_autofree char *seconds = g_strdup_printf ("%d", HOLDER_SECONDS);
  g_autoptr(RosterStore) store = open_store (path);
  g_autoptr(GSubprocess) holder = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  holder = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             self_path, "--holder", path, seconds, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (holder));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "held");

  /* Alive past its lease's length, it still holds it: it renews it. */
  assert_busy (store);
  g_usleep ((HOLDER_SECONDS + 1.5) * G_USEC_PER_SEC);
  assert_busy (store);

  /* kill -9: nobody gives the lease back, but its process is gone on this
   * computer: the lease is free at once, long before it would expire. */
  g_subprocess_force_exit (holder);
  g_assert_true (g_subprocess_wait (holder, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_if_exited (holder));
  g_assert_cmpint (roster_test_raw_int (path, "SELECT expires FROM roster_sync_lease"), >,
                   g_get_real_time () / 1000 + 500);
  assert_free (store, path);
}

/* A lease left by a sync on another computer (the file on a share), whose
 * process this one cannot see: it holds until it expires, as it would
 * after that sync was killed or the computer switched off. */
static void
test_other_computer (Fixture      *f,
                     gconstpointer data)
{
  const char *path = f->path;
  g_autoptr(RosterStore) store = open_store (path);
  g_autofree char *sql = NULL;
  gint64 expires = g_get_real_time () / 1000 + 1500;

  sql = g_strdup_printf ("INSERT INTO roster_sync_lease (id, holder, expires, scope, pid, started) "
                         "VALUES (1, 'laptop 4242 0123', %" G_GINT64_FORMAT ", "
                         "'another boot pid:[1]', 4242, 1)", expires);
  roster_test_raw_exec (path, sql);
  assert_busy (store);
  while (g_get_real_time () / 1000 <= expires)
    g_usleep (50000);
  assert_free (store, path);
}

int
main (int   argc,
      char *argv[])
{
  self_path = argv[0];
  if (argc == 4 && strcmp (argv[1], "--holder") == 0)
    return holder_main (argv[2], argv[3]);

  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sync/lease/two-stores", Fixture, NULL, fixture_set_up, test_two_stores, fixture_tear_down);
  g_test_add ("/sync/lease/killed-holder", Fixture, NULL, fixture_set_up, test_killed_holder, fixture_tear_down);
  g_test_add ("/sync/lease/other-computer", Fixture, NULL, fixture_set_up, test_other_computer, fixture_tear_down);
  return g_test_run ();
}
