/* test-sync-crash.c: a process syncing is killed at random moments.
 *
 * The test runs itself again as a worker (`test-sync-crash --worker FILE`)
 * that plays an engine in rounds, as fast as it can: it applies a pull (a
 * list and its 20 tasks, all retitled "round R") as one change, edits a task
 * here, then reads the outbox and finishes every op as a server's 2xx would.
 * It is killed with SIGKILL a few milliseconds in, again and again. After
 * each kill the file must pass PRAGMA integrity_check, the applying flag must
 * be down, a pull must be there wholly or not at all (all 20 titles from one
 * round), and no edit may be lost: a task whose fields differ from its
 * last-synced VTODO still has its outbox row. Last, a store opens the file
 * and a final push leaves nothing waiting.
 *
 * ROSTER_SYNC_CRASH_KILLS=N changes the number of kills.
 */
#define G_LOG_DOMAIN "test-sync"

#include <string.h>

#include "roster-sync-state.h"
#include "roster-test-util.h"

#define N_TASKS 20
#define LIST "/dav/calendars/ada/work/"
#define DEFAULT_KILLS 100
#define MAX_DELAY 20000

static const char *self_path;

static void
check (gboolean  ok,
       GError   *error)
{
  if (!ok)
    g_error ("worker: %s", error != NULL ? error->message : "failed");
}

static void
worker_round (RosterStore *store,
              guint        round)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(RosterTask) task = NULL;
  gint64 task_id = 0;

  check (roster_sync_apply_begin (store, &error), error);
  check (roster_sync_apply_list (store, LIST, "Work", NULL, &error), error);
  for (guint i = 0; i < N_TASKS; i++)
    {
      g_autofree char *href = g_strdup_printf (LIST "uid-%u.ics", i);
      g_autofree char *etag = g_strdup_printf ("\"%u-%u\"", round, i);
      g_autofree char *ical = g_strdup_printf ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
                                               "BEGIN:VTODO\r\nUID:uid-%u\r\nDTSTAMP:20240101T000000Z\r\n"
                                               "SUMMARY:round %u\r\nEND:VTODO\r\nEND:VCALENDAR\r\n", i, round);

      check (roster_sync_apply_resource (store, LIST, href, etag, ical, NULL,
                                         i == round % N_TASKS ? &task_id : NULL, &error), error);
    }
  check (roster_sync_apply_commit (store, &error), error);

  /* An edit here, of a task the pull did not just touch. */
  task = roster_store_get_task (store, task_id, &error);
  check (task != NULL, error);
  {
    g_autofree char *notes = g_strdup_printf ("edit %u", round);

    check (roster_store_set_task_notes (store, task, notes, &error), error);
  }

  ops = roster_sync_state_next_ops (store, 100, &error);
  check (ops != NULL, error);
  for (guint i = 0; i < ops->len; i++)
    {
      g_autofree char *etag = g_strdup_printf ("\"pushed-%u-%u\"", round, i);

      check (roster_sync_state_finish (store, g_ptr_array_index (ops, i), NULL, etag, NULL, &error), error);
    }
}

static int
worker_main (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterStore) store = roster_store_open (path, &error);

  check (store != NULL, error);
  roster_test_worker_ready ();
  for (guint round = 1; ; round++)
    worker_round (store, round);
  return 0;
}

/* The file's invariants after a kill. */
static void
check_file (const char *path)
{
  g_autofree char *integrity = roster_test_raw_text (path, "PRAGMA integrity_check");
  g_autofree char *titles = roster_test_raw_text (path, "SELECT DISTINCT title FROM task WHERE title LIKE 'round %'");
  g_autofree char *lost = NULL;

  g_assert_cmpstr (integrity, ==, "ok");
  g_assert_cmpint (roster_test_raw_int (path, "SELECT applying FROM roster_sync_account"), ==, 0);
  /* A pull is all there or not at all. */
  g_assert_null (strchr (titles, ';'));
  if (titles[0] != '\0')
    g_assert_cmpint (roster_test_raw_int (path, "SELECT count(*) FROM task"), ==, N_TASKS);

  /* Every synced task's row is its own, once. */
  g_assert_cmpint (roster_test_raw_int (path, "SELECT count(*) FROM roster_sync_task "
                                               "WHERE task_id NOT IN (SELECT id FROM task)"), ==, 0);
  /* No edit lost: fields the last-synced VTODO does not have wait in the outbox. */
  lost = roster_test_raw_text (path,
                               "SELECT t.id FROM task AS t JOIN roster_sync_task AS s ON s.task_id = t.id "
                               "WHERE (t.notes != '' AND instr (s.base, 'DESCRIPTION:' || t.notes || char(13)) = 0 "
                               "       OR instr (s.base, 'SUMMARY:' || t.title || char(13)) = 0) "
                               "AND t.id NOT IN (SELECT object_id FROM roster_sync_outbox WHERE kind = 0)");
  g_assert_cmpstr (lost, ==, "");
}

static void
test_kills (void)
{
  g_autofree char *dir = roster_test_make_dir ("roster-sync-crash-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
  guint kills = roster_test_env_number ("ROSTER_SYNC_CRASH_KILLS", DEFAULT_KILLS);
  g_autoptr(GRand) rand = g_rand_new ();
  guint rounds_seen = 0;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RosterStore) store = roster_store_open (path, &error);

    g_assert_no_error (error);
    roster_sync_state_set_account (store, "https://dav.example/", "ada", NULL, "/dav/calendars/ada/", NULL, &error);
    g_assert_no_error (error);
  }

  for (guint k = 0; k < kills; k++)
    {
      g_autofree char *titles = NULL;

      roster_test_kill_worker (self_path, path, rand, MAX_DELAY);

      check_file (path);
      titles = roster_test_raw_text (path, "SELECT title FROM task LIMIT 1");
      rounds_seen += titles[0] != '\0';
      g_test_message ("kill %u: \"%s\", %" G_GINT64_FORMAT " waiting", k, titles,
                      roster_test_raw_int (path, "SELECT count(*) FROM roster_sync_outbox"));
    }
  /* The kills fell in the middle of rounds, not all before the first. */
  g_assert_cmpuint (rounds_seen, >, 0);

  /* The next sync finishes the job. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RosterStore) store = roster_store_open (path, &error);
    g_autoptr(GPtrArray) ops = roster_sync_state_next_ops (store, 1000, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < ops->len; i++)
      g_assert_true (roster_sync_state_finish (store, g_ptr_array_index (ops, i), NULL, "\"last\"", NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (roster_sync_state_count_pending (store, &error), ==, 0);
  }
  roster_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  self_path = argv[0];
  if (argc == 3 && strcmp (argv[1], "--worker") == 0)
    return worker_main (argv[2]);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/crash/kills", test_kills);
  return g_test_run ();
}
