/* test-sync-keep.c: deletions the person keeps (roster-sync-state-keep.c).
 *
 * The server lost tasks of a list, or a whole list, and the person said
 * "keep them": the tasks stay, and the outbox creates them again (the
 * tasks from their base, foreign properties and edits made here kept; a
 * list made again under its user's name first); a task deleted here is not
 * sent back. Then kill -9 at random moments of a worker that keeps and
 * resends in rounds: nothing kept is ever forgotten, and the next push
 * finishes the job. No network: the test plays the engine and the server.
 */
#define G_LOG_DOMAIN "test-sync"

#include <string.h>

#include "roster-ical-test-util.h"
#include "roster-sync-state.h"
#include "roster-test-util.h"

#define HOME "/dav/calendars/ada/"
#define LIST HOME "work/"
#define N_TASKS 6
#define DEFAULT_KILLS 60
#define MAX_DELAY 20000

static const char *self_path;

static void
check (gboolean  ok,
       GError   *error)
{
  if (!ok)
    g_error ("%s", error != NULL ? error->message : "failed");
}

static char *
resource (guint       i,
          const char *title)
{
  return g_strdup_printf ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Other//EN\r\n"
                          "BEGIN:VTODO\r\nUID:uid-%u\r\nDTSTAMP:20240101T000000Z\r\nSUMMARY:%s\r\n"
                          "X-OTHER-APP:kept\r\nEND:VTODO\r\nEND:VCALENDAR\r\n", i, title);
}

/* Plays a server that takes everything, until nothing waits; how many ops. */
static guint
push_all (RosterStore *store,
          const char  *etag_prefix)
{
  g_autoptr(GError) error = NULL;
  guint sent = 0;

  for (guint round = 0; round < 10; round++)
    {
      g_autoptr(GPtrArray) ops = roster_sync_state_next_ops (store, 100, &error);

      check (ops != NULL, error);
      if (ops->len == 0)
        return sent;
      for (guint i = 0; i < ops->len; i++)
        {
          g_autofree char *etag = g_strdup_printf ("\"%s-%u\"", etag_prefix, ++sent);

          check (roster_sync_state_finish (store, g_ptr_array_index (ops, i), NULL, etag, NULL, &error), error);
        }
    }
  g_error ("the outbox never empties");
}

/* The user's list on the server now (LIST at first, then wherever the
 * outbox made it again). */
static char *
current_list (RosterStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lists = roster_sync_state_get_lists (store, &error);

  check (lists != NULL, error);
  for (guint i = 0; i < lists->len; i++)
    if (((RosterSyncList *) lists->pdata[i])->user_id != 0)
      return g_strdup (((RosterSyncList *) lists->pdata[i])->href);
  return g_strdup (LIST);
}

/* A pull of the list @href with N_TASKS tasks titled @title, as one change. */
static void
pull_tasks (RosterStore *store,
            const char  *href,
            const char  *title)
{
  g_autoptr(GError) error = NULL;

  check (roster_sync_apply_begin (store, &error), error);
  check (roster_sync_apply_list (store, href, "Work", NULL, &error), error);
  for (guint i = 0; i < N_TASKS; i++)
    {
      g_autofree char *task_href = g_strdup_printf ("%suid-%u.ics", href, i);
      g_autofree char *ical = resource (i, title);

      check (roster_sync_apply_resource (store, href, task_href, "\"pulled\"", ical, NULL, NULL, &error), error);
    }
  check (roster_sync_apply_commit (store, &error), error);
}

/* A pull in which the server no longer shows @hrefs, kept; how many were. */
static guint
keep_gone (RosterStore *store,
           const char  *list_href,
           guint        n_hrefs)
{
  g_autoptr(GError) error = NULL;
  guint n_kept = 0;

  check (roster_sync_apply_begin (store, &error), error);
  for (guint i = 0; i < n_hrefs; i++)
    {
      g_autofree char *href = g_strdup_printf ("%suid-%u.ics", list_href, i);
      gboolean kept = FALSE;

      check (roster_sync_apply_remote_kept (store, href, &kept, &error), error);
      n_kept += kept;
    }
  check (roster_sync_apply_commit (store, &error), error);
  return n_kept;
}

static guint
keep_list (RosterStore *store,
           const char  *list_href)
{
  g_autoptr(GError) error = NULL;
  guint n_kept = 0;

  check (roster_sync_apply_begin (store, &error), error);
  check (roster_sync_apply_list_kept (store, list_href, &n_kept, &error), error);
  check (roster_sync_apply_commit (store, &error), error);
  return n_kept;
}

static void
set_up_account (RosterStore *store)
{
  g_autoptr(GError) error = NULL;

  check (roster_sync_state_set_account (store, "https://dav.example/", "ada", NULL, HOME, NULL, &error), error);
}

/* ------------------------------------------------------------------------ */

/* Most of a list gone on the server, kept: every task is created again at
 * its href from its base (the foreign property and the edit made here
 * both in it), a task deleted here is only deleted, and a later pull
 * that lists them again finds nothing to do. */
static void
test_keep_tasks (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(RosterTask) edited = NULL;
  g_autoptr(RosterTask) deleted = NULL;
  guint n_creates = 0;

  set_up_account (f->store);
  pull_tasks (f->store, LIST, "Chore");
  g_assert_cmpuint (push_all (f->store, "e"), ==, 0);

  edited = roster_store_get_task (f->store, task_id_of (f->path, "Chore"), &error);
  g_assert_no_error (error);
  g_assert_true (roster_store_set_task_notes (f->store, edited, "edited here", &error));
  deleted = roster_store_get_task (f->store,
                                   roster_test_raw_int (f->path, "SELECT task_id FROM roster_sync_task "
                                                                 "WHERE uid = 'uid-5'"),
                                   &error);
  g_assert_no_error (error);
  g_assert_true (roster_store_delete_task (f->store, deleted, &error));

  /* Five tasks and the tombstone's resource gone: five kept. */
  g_assert_cmpuint (keep_gone (f->store, LIST, N_TASKS), ==, N_TASKS - 1);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, N_TASKS - 1);

  ops = roster_sync_state_next_ops (f->store, 100, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < ops->len; i++)
    {
      RosterSyncOp *op = g_ptr_array_index (ops, i);
      g_autofree char *href = g_strdup_printf (LIST "%s.ics", op->uid);

      /* The tombstone's DELETE (a 404 now) is all it gets. */
      if (g_strcmp0 (op->uid, "uid-5") == 0)
        {
          g_assert_cmpint (op->kind, ==, ROSTER_SYNC_DELETE_TASK);
          continue;
        }
      g_assert_cmpint (op->kind, ==, ROSTER_SYNC_CREATE_TASK);
      g_assert_cmpstr (op->href, ==, href);
      g_assert_null (op->etag);
      g_assert_nonnull (strstr (op->ical, "X-OTHER-APP:kept"));
      if (op->object_id == roster_task_get_id (edited))
        g_assert_nonnull (strstr (op->ical, "edited here"));
      n_creates++;
    }
  g_assert_cmpuint (n_creates, ==, N_TASKS - 1);
  push_all (f->store, "again");
  g_assert_cmpint (roster_sync_state_count_pending (f->store, NULL), ==, 0);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_sync_task "
                                                 "WHERE list_href = '" LIST "' AND etag LIKE '\"again-%'"),
                   ==, N_TASKS - 1);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_sync_tombstone"), ==, 0);

  /* Kept again: nothing left to keep for a href never synced. */
  g_assert_cmpuint (keep_gone (f->store, HOME "other/", N_TASKS), ==, 0);
  g_assert_cmpint (roster_sync_state_count_pending (f->store, NULL), ==, 0);
}

/* A list gone on the server, kept: the user stays, the list is made again
 * under the user's name (a renamed user's name now), then every task of it
 * is created there; the list's tombstones are forgotten. */
static void
test_keep_list (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(RosterTask) deleted = NULL;
  g_autoptr(RosterTask) added = NULL;
  g_autoptr(RosterUser) user = NULL;
  g_autofree char *new_href = NULL;

  set_up_account (f->store);
  pull_tasks (f->store, LIST, "Chore");
  deleted = roster_store_get_task (f->store, task_id_of (f->path, "Chore"), &error);
  g_assert_no_error (error);
  user = g_object_ref (roster_task_get_owner (deleted));
  g_assert_true (roster_store_delete_task (f->store, deleted, &error));
  added = roster_store_create_task (f->store, user, "Added here", &error);
  g_assert_no_error (error);
  g_assert_true (roster_store_rename_user (f->store, user, "Office", &error));

  g_assert_cmpuint (keep_list (f->store, LIST), ==, N_TASKS);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM user"), ==, 1);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, N_TASKS);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_sync_tombstone"), ==, 0);

  /* First the list, alone: the tasks wait for it. */
  ops = roster_sync_state_next_ops (f->store, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (((RosterSyncOp *) ops->pdata[0])->kind, ==, ROSTER_SYNC_CREATE_LIST);
  g_assert_cmpstr (((RosterSyncOp *) ops->pdata[0])->display_name, ==, "Office");
  new_href = g_strdup (((RosterSyncOp *) ops->pdata[0])->href);
  g_assert_true (roster_sync_state_finish (f->store, ops->pdata[0], NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&ops, g_ptr_array_unref);

  ops = roster_sync_state_next_ops (f->store, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, ==, N_TASKS);
  for (guint i = 0; i < ops->len; i++)
    {
      RosterSyncOp *op = g_ptr_array_index (ops, i);

      g_assert_cmpint (op->kind, ==, ROSTER_SYNC_CREATE_TASK);
      g_assert_cmpstr (op->list_href, ==, new_href);
      g_assert_true (g_str_has_prefix (op->href, new_href));
      if (op->object_id != roster_task_get_id (added))
        g_assert_nonnull (strstr (op->ical, "X-OTHER-APP:kept"));
    }
  push_all (f->store, "again");
  g_assert_cmpint (roster_sync_state_count_pending (f->store, NULL), ==, 0);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM roster_sync_task WHERE list_href = '%s'", new_href);

    g_assert_cmpint (roster_test_raw_int (f->path, sql), ==, N_TASKS);
  }
}

/* ------------------------------------------------------------------------ */
/* kill -9                                                                   */

/* Pull, push, the server loses the tasks (kept), push again; every third
 * round it loses the whole list (kept). */
static void
worker_round (RosterStore *store,
              guint        round)
{
  g_autofree char *href = current_list (store);
  g_autofree char *title = g_strdup_printf ("round %u", round);
  g_autofree char *prefix = g_strdup_printf ("r%u", round);

  pull_tasks (store, href, title);
  push_all (store, prefix);
  if (round % 3 == 0)
    keep_list (store, href);
  else
    keep_gone (store, href, N_TASKS);
  push_all (store, prefix);
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

/* After a kill: the user and every task there, and each task either on the
 * server (a row in the user's list) or waiting to be sent. */
static void
check_file (const char *path)
{
  g_autofree char *integrity = roster_test_raw_text (path, "PRAGMA integrity_check");
  g_autofree char *forgotten = NULL;

  g_assert_cmpstr (integrity, ==, "ok");
  g_assert_cmpint (roster_test_raw_int (path, "SELECT applying FROM roster_sync_account"), ==, 0);
  g_assert_cmpint (roster_test_raw_int (path, "SELECT count(*) FROM user"), <=, 1);
  if (roster_test_raw_int (path, "SELECT count(*) FROM user") == 0)
    return;
  g_assert_cmpint (roster_test_raw_int (path, "SELECT count(*) FROM task"), ==, N_TASKS);
  forgotten = roster_test_raw_text (path,
                                    "SELECT t.id FROM task AS t WHERE t.id NOT IN "
                                    "(SELECT object_id FROM roster_sync_outbox WHERE kind = 0) AND t.id NOT IN "
                                    "(SELECT s.task_id FROM roster_sync_task AS s JOIN roster_sync_list AS l "
                                    " ON l.href = s.list_href AND l.user_id = t.owner_id)");
  g_assert_cmpstr (forgotten, ==, "");
  /* The user has its list, or it is to be made. */
  g_assert_cmpint (roster_test_raw_int (path, "SELECT count(*) FROM user WHERE id IN "
                                              "(SELECT user_id FROM roster_sync_list) OR id IN "
                                              "(SELECT object_id FROM roster_sync_outbox WHERE kind = 1)"), ==, 1);
}

static void
test_kills (void)
{
  g_autofree char *dir = roster_test_make_dir ("roster-sync-keep-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
  guint kills = roster_test_env_number ("ROSTER_SYNC_CRASH_KILLS", DEFAULT_KILLS);
  g_autoptr(GRand) rand = g_rand_new ();
  guint kills_mid_way = 0;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RosterStore) store = roster_store_open (path, &error);

    g_assert_no_error (error);
    set_up_account (store);
  }

  for (guint k = 0; k < kills; k++)
    {
      gint64 waiting;

      roster_test_kill_worker (self_path, path, rand, MAX_DELAY);

      check_file (path);
      waiting = roster_test_raw_int (path, "SELECT count(*) FROM roster_sync_outbox");
      kills_mid_way += waiting > 0;
      g_test_message ("kill %u: %" G_GINT64_FORMAT " waiting", k, waiting);
    }
  /* Kills fell between keeping and sending again, not only after. */
  g_assert_cmpuint (kills_mid_way, >, 0);

  /* The next sync finishes the job: every task in the user's list. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RosterStore) store = roster_store_open (path, &error);

    g_assert_no_error (error);
    push_all (store, "last");
    g_assert_cmpuint (roster_sync_state_count_pending (store, &error), ==, 0);
    g_assert_cmpint (roster_test_raw_int (path, "SELECT count(*) FROM task WHERE id NOT IN "
                                                "(SELECT s.task_id FROM roster_sync_task AS s "
                                                " JOIN roster_sync_list AS l ON l.href = s.list_href "
                                                " AND l.user_id = task.owner_id)"), ==, 0);
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
  ROSTER_ICAL_TEST_ADD ("/sync/keep/tasks", test_keep_tasks);
  ROSTER_ICAL_TEST_ADD ("/sync/keep/list", test_keep_list);
  g_test_add_func ("/sync/keep/kills", test_kills);
  return g_test_run ();
}
