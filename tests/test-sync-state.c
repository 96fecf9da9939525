/* test-sync-state.c: the sync state in the file (roster-sync-state.h).
 *
 * The outbox as every kind of edit fills it (Roster's, undo and redo, the
 * seed's SQLModel classes writing the file directly), coalesced; what the
 * engine reads from it and finishing an op after a 2xx, which never drops a
 * newer edit; applying what a server sent as one change that the live lists
 * show and that writes no outbox row; deleting only on the engine's word.
 * No network: the test plays the engine, and checks the file through a
 * second connection.
 */
#define G_LOG_DOMAIN "test-sync"

#include <string.h>

#include "roster-ical-test-util.h"
#include "roster-sync-state.h"
#include "roster-test-util.h"

#define HOME "/dav/calendars/ada/"

static char *
outbox (Fixture *f)
{
  return roster_test_raw_text (f->path,
                               "SELECT (CASE kind WHEN 0 THEN 'task ' ELSE 'list ' END) || object_id || ' #' || seq "
                               "FROM roster_sync_outbox ORDER BY id");
}

static void
set_up_account (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gboolean changed = FALSE;

  roster_sync_state_set_account (f->store, "https://dav.example/", "ada", "/dav/principals/ada/", HOME,
                                 &changed, &error);
  g_assert_no_error (error);
  g_assert_true (changed);
}

static GPtrArray *
next_ops (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *ops = roster_sync_state_next_ops (f->store, 100, &error);

  g_assert_no_error (error);
  return ops;
}

static RosterSyncOp *
op_at (GPtrArray *ops,
       guint      i)
{
  g_assert_cmpuint (i, <, ops->len);
  return g_ptr_array_index (ops, i);
}

static gboolean
finish (Fixture            *f,
        const RosterSyncOp *op,
        const char         *etag)
{
  g_autoptr(GError) error = NULL;
  gboolean pending = TRUE;

  g_assert_true (roster_sync_state_finish (f->store, op, NULL, etag, &pending, &error));
  g_assert_no_error (error);
  return pending;
}

/* Plays a server that takes everything: every op, finished with a new ETag,
 * until nothing waits. Returns how many ops went. */
static guint
push_all (Fixture *f)
{
  guint sent = 0;

  for (guint round = 0; round < 10; round++)
    {
      g_autoptr(GPtrArray) ops = next_ops (f);

      if (ops->len == 0)
        return sent;
      for (guint i = 0; i < ops->len; i++)
        {
          g_autofree char *etag = g_strdup_printf ("\"e%u\"", ++sent);

          finish (f, op_at (ops, i), etag);
        }
    }
  g_assert_not_reached ();
}

static RosterTask *
new_task (Fixture    *f,
          RosterUser *owner,
          const char *title)
{
  g_autoptr(GError) error = NULL;
  RosterTask *task = roster_store_create_task (f->store, owner, title, &error);

  g_assert_no_error (error);
  return task;
}

/* ------------------------------------------------------------------------ */
/* The outbox                                                                */

/* No account: the triggers write nothing. */
static void
test_no_account (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) ada = roster_store_create_user (f->store, "Ada", &error);
  g_autoptr(RosterTask) task = new_task (f, ada, "Buy milk");
  g_autofree char *rows = NULL;
  g_autoptr(GPtrArray) ops = NULL;

  roster_store_set_task_title (f->store, task, "Buy oat milk", &error);
  roster_store_delete_task (f->store, task, &error);
  g_assert_no_error (error);
  rows = outbox (f);
  g_assert_cmpstr (rows, ==, "");
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_sync_tombstone"), ==, 0);
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 0);
}

/* Each kind of edit Roster makes: one row per object, however many edits. */
static void
test_roster_edits (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) ada = NULL;
  g_autoptr(RosterTask) task = NULL;
  g_autoptr(RosterCategory) home = NULL;
  g_autoptr(GDateTime) due = g_date_time_new_utc (2024, 5, 1, 0, 0, 0);
  g_autoptr(GPtrArray) ops = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *href = NULL;
  RosterSyncOp *op;

  set_up_account (f);
  ada = roster_store_create_user (f->store, "Ada", &error);
  task = new_task (f, ada, "Buy milk");
  home = roster_store_create_category (f->store, "home", NULL, &error);
  roster_store_set_task_title (f->store, task, "Buy oat milk", &error);
  roster_store_set_task_notes (f->store, task, "two litres", &error);
  roster_store_set_task_due_date (f->store, task, due, &error);
  roster_store_tag_task (f->store, task, home, &error);
  roster_store_set_task_done (f->store, task, TRUE, &error);
  g_assert_no_error (error);

  /* Six edits of the task: one row, seq 6. */
  rows = outbox (f);
  g_assert_cmpstr (rows, ==, "list 1 #1; task 1 #6");

  /* The list first; the task waits for it. */
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 1);
  op = op_at (ops, 0);
  g_assert_cmpint (op->kind, ==, ROSTER_SYNC_CREATE_LIST);
  g_assert_cmpstr (op->display_name, ==, "Ada");
  g_assert_true (g_str_has_prefix (op->href, HOME));
  g_assert_true (g_str_has_suffix (op->href, "/"));
  g_assert_false (finish (f, op, NULL));
  g_clear_pointer (&ops, g_ptr_array_unref);

  /* Then the task, with everything it has. */
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 1);
  op = op_at (ops, 0);
  uid = uid_of (f->path, roster_task_get_id (task));
  g_assert_cmpint (op->kind, ==, ROSTER_SYNC_CREATE_TASK);
  g_assert_cmpstr (op->uid, ==, uid);
  href = g_strdup_printf ("%s%s.ics", op->list_href, uid);
  g_assert_cmpstr (op->href, ==, href);
  g_assert_null (op->etag);
  g_assert_nonnull (strstr (op->ical, "SUMMARY:Buy oat milk\r\n"));
  g_assert_nonnull (strstr (op->ical, "DESCRIPTION:two litres\r\n"));
  g_assert_nonnull (strstr (op->ical, "STATUS:COMPLETED\r\n"));
  g_assert_nonnull (strstr (op->ical, "CATEGORIES:home\r\n"));
  g_assert_nonnull (strstr (op->ical, "DUE;VALUE=DATE:20240501\r\n"));
  g_assert_false (finish (f, op, "\"v1\""));
  g_clear_pointer (&rows, g_free);
  rows = outbox (f);
  g_assert_cmpstr (rows, ==, "");
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_sync_task WHERE etag = '\"v1\"'"), ==, 1);

  /* Renaming the tag is an edit of its tasks; renaming the user, of the list. */
  roster_store_rename_category (f->store, home, "house", &error);
  roster_store_rename_user (f->store, ada, "Ada L.", &error);
  g_assert_no_error (error);
  g_clear_pointer (&ops, g_ptr_array_unref);
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 2);
  g_assert_cmpint (op_at (ops, 0)->kind, ==, ROSTER_SYNC_RENAME_LIST);
  g_assert_cmpstr (op_at (ops, 0)->display_name, ==, "Ada L.");
  g_assert_cmpint (op_at (ops, 1)->kind, ==, ROSTER_SYNC_UPDATE_TASK);
  g_assert_cmpstr (op_at (ops, 1)->etag, ==, "\"v1\"");
  g_assert_nonnull (strstr (op_at (ops, 1)->ical, "CATEGORIES:house\r\n"));
}

/* Undo and redo are edits like any other; a deletion is a tombstone, and
 * undoing it before the DELETE went out sends no DELETE at all. */
static void
test_undo_redo (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) ada = NULL;
  g_autoptr(RosterTask) task = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *href = NULL;

  set_up_account (f);
  ada = roster_store_create_user (f->store, "Ada", &error);
  task = new_task (f, ada, "Buy milk");
  push_all (f);
  href = roster_test_raw_text (f->path, "SELECT href FROM roster_sync_task");

  roster_store_set_task_title (f->store, task, "Buy bread", &error);
  push_all (f);
  g_assert_true (roster_store_undo (f->store, &error));
  g_assert_no_error (error);
  rows = outbox (f);
  g_assert_cmpstr (rows, ==, "task 1 #1");
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_nonnull (strstr (op_at (ops, 0)->ical, "SUMMARY:Buy milk\r\n"));
  push_all (f);
  g_assert_true (roster_store_redo (f->store, &error));
  g_clear_pointer (&rows, g_free);
  rows = outbox (f);
  g_assert_cmpstr (rows, ==, "task 1 #1");
  push_all (f);

  /* Deleted: a tombstone with the resource's href and ETag. */
  g_assert_true (roster_store_delete_task (f->store, task, &error));
  g_clear_pointer (&rows, g_free);
  rows = roster_test_raw_text (f->path, "SELECT href FROM roster_sync_tombstone");
  g_assert_cmpstr (rows, ==, href);
  g_clear_pointer (&ops, g_ptr_array_unref);
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (op_at (ops, 0)->kind, ==, ROSTER_SYNC_DELETE_TASK);
  g_assert_cmpstr (op_at (ops, 0)->href, ==, href);
  g_assert_nonnull (op_at (ops, 0)->etag);

  /* Undone before the DELETE went: an update of the same resource. */
  g_assert_true (roster_store_undo (f->store, &error));
  g_assert_no_error (error);
  g_clear_pointer (&ops, g_ptr_array_unref);
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (op_at (ops, 0)->kind, ==, ROSTER_SYNC_UPDATE_TASK);
  g_assert_cmpstr (op_at (ops, 0)->href, ==, href);
  push_all (f);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_sync_tombstone"), ==, 0);
  g_assert_cmpint (roster_sync_state_count_pending (f->store, NULL), ==, 0);
}

/* Moving a task to another user moves its resource; deleting a user
 * deletes its list after its tasks left it. */
static void
test_move_and_delete_user (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) ada = NULL;
  g_autoptr(RosterUser) bob = NULL;
  g_autoptr(RosterTask) task = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autofree char *ada_list = NULL;
  g_autofree char *bob_list = NULL;
  g_autofree char *old_href = NULL;

  set_up_account (f);
  ada = roster_store_create_user (f->store, "Ada", &error);
  bob = roster_store_create_user (f->store, "Bob", &error);
  task = new_task (f, ada, "Buy milk");
  push_all (f);
  ada_list = roster_test_raw_text (f->path, "SELECT href FROM roster_sync_list WHERE user_id = 1");
  bob_list = roster_test_raw_text (f->path, "SELECT href FROM roster_sync_list WHERE user_id = 2");
  old_href = roster_test_raw_text (f->path, "SELECT href FROM roster_sync_task");

  g_assert_true (roster_store_move_task (f->store, task, bob, &error));
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (op_at (ops, 0)->kind, ==, ROSTER_SYNC_MOVE_TASK);
  g_assert_cmpstr (op_at (ops, 0)->old_href, ==, old_href);
  g_assert_cmpstr (op_at (ops, 0)->list_href, ==, bob_list);
  g_assert_true (g_str_has_prefix (op_at (ops, 0)->href, bob_list));
  push_all (f);

  /* Bob goes, his task to Ada: the move first, then the list. */
  g_assert_true (roster_store_delete_user (f->store, bob, ROSTER_DELETE_USER_MOVE_TASKS, ada, &error));
  g_assert_no_error (error);
  g_clear_pointer (&ops, g_ptr_array_unref);
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (op_at (ops, 0)->kind, ==, ROSTER_SYNC_MOVE_TASK);
  g_assert_cmpstr (op_at (ops, 0)->list_href, ==, ada_list);
  finish (f, op_at (ops, 0), "\"m\"");
  g_clear_pointer (&ops, g_ptr_array_unref);
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (op_at (ops, 0)->kind, ==, ROSTER_SYNC_DELETE_LIST);
  g_assert_cmpstr (op_at (ops, 0)->href, ==, bob_list);
  finish (f, op_at (ops, 0), NULL);
  g_assert_cmpint (roster_sync_state_count_pending (f->store, NULL), ==, 0);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_sync_list"), ==, 1);
}

/* A user deleted with its tasks, and the deletion undone before the list's
 * DELETE went: the list and every resource are the user's again, nothing
 * is deleted or created twice. */
static void
test_undo_delete_user (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) ada = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autofree char *list = NULL;
  g_autofree char *hrefs = NULL;
  g_autofree char *after = NULL;

  set_up_account (f);
  ada = roster_store_create_user (f->store, "Ada", &error);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *title = g_strdup_printf ("Task %u", i);
      g_autoptr(RosterTask) task = new_task (f, ada, title);
    }
  push_all (f);
  list = roster_test_raw_text (f->path, "SELECT href FROM roster_sync_list");
  hrefs = roster_test_raw_text (f->path, "SELECT href FROM roster_sync_task ORDER BY href");

  g_assert_true (roster_store_delete_user (f->store, ada, ROSTER_DELETE_USER_AND_TASKS, NULL, &error));
  g_assert_no_error (error);
  ops = next_ops (f);
  /* The list goes as a whole, not task by task. */
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (op_at (ops, 0)->kind, ==, ROSTER_SYNC_DELETE_LIST);
  g_assert_cmpstr (op_at (ops, 0)->href, ==, list);

  g_assert_true (roster_store_undo (f->store, &error));
  g_assert_no_error (error);
  g_clear_pointer (&ops, g_ptr_array_unref);
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (op_at (ops, 0)->kind, ==, ROSTER_SYNC_RENAME_LIST);
  g_assert_cmpstr (op_at (ops, 0)->href, ==, list);
  finish (f, op_at (ops, 0), NULL);
  g_clear_pointer (&ops, g_ptr_array_unref);
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 5);
  for (guint i = 0; i < ops->len; i++)
    g_assert_cmpint (op_at (ops, i)->kind, ==, ROSTER_SYNC_UPDATE_TASK);
  push_all (f);
  after = roster_test_raw_text (f->path, "SELECT href FROM roster_sync_task ORDER BY href");
  g_assert_cmpstr (after, ==, hrefs);
  g_assert_cmpint (roster_sync_state_count_pending (f->store, NULL), ==, 0);
}

/* The seed's SQLModel classes write the file directly: the triggers see it. */
static void
test_sqlmodel_edits (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) ada = NULL;
  g_autoptr(RosterTask) task = NULL;
  g_autofree char *interop = g_test_build_filename (G_TEST_DIST, "interop", NULL);
  g_autofree char *script = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *tombstones = NULL;
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;

  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("no /usr/bin/python3");
      return;
    }

  set_up_account (f);
  ada = roster_store_create_user (f->store, "Ada", &error);
  task = new_task (f, ada, "Buy milk");
  push_all (f);

  {
    g_autofree char *quoted = g_strescape (interop, NULL);

    script = g_strdup_printf (
      "import sys\n"
      "sys.path.insert(0, \"%s\")\n"
      "try:\n"
      "    from sqlmodel import Session, select\n"
      "except ImportError:\n"
      "    sys.exit(77)\n"
      "from seed_interop import User, Task, Category, engine_for\n"
      "with Session(engine_for(sys.argv[1])) as s:\n"
      "    ada = s.exec(select(User)).one()\n"
      "    t = s.exec(select(Task)).one()\n"
      "    t.title = 'Buy milk from SQLModel'\n"
      "    s.add(t)\n"
      "    s.commit()\n"
      "    new = Task(title='Added by SQLModel', owner=ada)\n"
      "    new.categories.append(Category(name='seed'))\n"
      "    s.add(new)\n"
      "    s.add(User(username='Bob'))\n"
      "    s.commit()\n",
      quoted);
  }
  {
    const char *argv[] = { "/usr/bin/python3", "-c", script, f->path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
    g_assert_no_error (error);
    if (WIFEXITED (status) && WEXITSTATUS (status) == 77)
      {
        g_test_skip ("/usr/bin/python3 cannot import sqlmodel");
        return;
      }
    if (!g_spawn_check_wait_status (status, NULL))
      g_error ("SQLModel failed: %s", err);
  }

  /* The renamed task, the new one (its tag link bumped it), the new user. */
  rows = outbox (f);
  g_assert_cmpstr (rows, ==, "task 1 #1; list 2 #1; task 2 #2");

  /* And a delete, straight in SQL as a seed program would: a tombstone. */
  roster_test_raw_exec (f->path, "DELETE FROM task WHERE id = 1");
  tombstones = roster_test_raw_text (f->path, "SELECT uid FROM roster_sync_tombstone");
  g_assert_cmpstr (tombstones, !=, "");
  roster_store_refresh (f->store);
  {
    g_autoptr(GPtrArray) ops = next_ops (f);
    guint kinds[7] = { 0 };

    for (guint i = 0; i < ops->len; i++)
      kinds[op_at (ops, i)->kind]++;
    g_assert_cmpuint (kinds[ROSTER_SYNC_CREATE_LIST], ==, 1);
    /* Bob's list, the new task in Ada's, the deleted one. */
    g_assert_cmpuint (kinds[ROSTER_SYNC_CREATE_TASK], ==, 1);
    g_assert_cmpuint (kinds[ROSTER_SYNC_DELETE_TASK], ==, 1);
    g_assert_cmpuint (kinds[ROSTER_SYNC_UPDATE_TASK], ==, 0);
  }
}

/* An edit made while its PUT was on the way stays in the outbox, and goes
 * next, against the ETag the PUT got. */
static void
test_finish_keeps_newer_edit (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) ada = NULL;
  g_autoptr(RosterTask) task = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autofree char *base = NULL;

  set_up_account (f);
  ada = roster_store_create_user (f->store, "Ada", &error);
  task = new_task (f, ada, "Buy milk");
  push_all (f);

  roster_store_set_task_title (f->store, task, "Buy bread", &error);
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 1);
  /* Meanwhile, another edit. */
  roster_store_set_task_notes (f->store, task, "wholemeal", &error);
  g_assert_no_error (error);
  g_assert_true (finish (f, op_at (ops, 0), "\"after-put\""));

  /* The base is what the server has now; the newer edit waits. */
  base = roster_test_raw_text (f->path, "SELECT base FROM roster_sync_task");
  g_assert_nonnull (strstr (base, "SUMMARY:Buy bread"));
  g_assert_null (strstr (base, "wholemeal"));
  g_clear_pointer (&ops, g_ptr_array_unref);
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (op_at (ops, 0)->kind, ==, ROSTER_SYNC_UPDATE_TASK);
  g_assert_cmpstr (op_at (ops, 0)->etag, ==, "\"after-put\"");
  g_assert_nonnull (strstr (op_at (ops, 0)->ical, "DESCRIPTION:wholemeal"));
  g_assert_false (finish (f, op_at (ops, 0), "\"2\""));
  g_assert_cmpint (roster_sync_state_count_pending (f->store, NULL), ==, 0);
}

/* A task deleted while its create was on the way: the server has it now, so
 * it becomes a tombstone to delete. */
static void
test_finish_after_delete (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) ada = NULL;
  g_autoptr(RosterTask) task = NULL;
  g_autoptr(GPtrArray) ops = NULL;

  set_up_account (f);
  ada = roster_store_create_user (f->store, "Ada", &error);
  push_all (f);
  task = new_task (f, ada, "Short-lived");
  ops = next_ops (f);
  g_assert_cmpint (op_at (ops, 0)->kind, ==, ROSTER_SYNC_CREATE_TASK);
  g_assert_true (roster_store_delete_task (f->store, task, &error));
  finish (f, op_at (ops, 0), "\"x\"");
  g_clear_pointer (&ops, g_ptr_array_unref);
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (op_at (ops, 0)->kind, ==, ROSTER_SYNC_DELETE_TASK);
  g_assert_cmpstr (op_at (ops, 0)->etag, ==, "\"x\"");
}

/* ------------------------------------------------------------------------ */
/* Applying what the server sent                                             */

#define LIST "/dav/calendars/ada/work/"

static char *
resource (const char *uid,
          const char *lines)
{
  return g_strdup_printf ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Other//EN\r\n"
                          "BEGIN:VTODO\r\nUID:%s\r\nDTSTAMP:20240101T000000Z\r\n%s"
                          "X-OTHER-APP:kept\r\nEND:VTODO\r\nEND:VCALENDAR\r\n", uid, lines);
}

/* One pull of one resource, as one change. */
static void
pull_resource (Fixture    *f,
               const char *href,
               const char *etag,
               const char *ical,
               GPtrArray  *conflicts,
               gint64     *task_id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (roster_sync_apply_begin (f->store, &error));
  g_assert_true (roster_sync_apply_resource (f->store, LIST, href, etag, ical, conflicts, task_id, &error));
  g_assert_true (roster_sync_apply_commit (f->store, &error));
  g_assert_no_error (error);
}

/* One pull where the server no longer has @href; whether it is sent again. */
static gboolean
pull_gone (Fixture    *f,
           const char *href)
{
  g_autoptr(GError) error = NULL;
  gboolean sent_again = FALSE;

  g_assert_true (roster_sync_apply_begin (f->store, &error));
  g_assert_true (roster_sync_apply_remote_gone (f->store, href, &sent_again, &error));
  g_assert_true (roster_sync_apply_commit (f->store, &error));
  g_assert_no_error (error);
  return sent_again;
}

/* One pull of one list's name. */
static void
pull_list (Fixture    *f,
           const char *href,
           const char *name)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (roster_sync_apply_begin (f->store, &error));
  g_assert_true (roster_sync_apply_list (f->store, href, name, NULL, &error));
  g_assert_true (roster_sync_apply_commit (f->store, &error));
  g_assert_no_error (error);
}

typedef struct
{
  guint calls;
  guint added;
  guint removed;
} Counts;

static void
count_changes_cb (GListModel *list,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Counts     *counts)
{
  counts->calls++;
  counts->added += added;
  counts->removed += removed;
}

/* A new list and its tasks: one change, shown live, nothing to send back,
 * nothing to undo. */
static void
test_apply_new (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) users = roster_store_list_users (f->store);
  g_autoptr(RosterUser) work = NULL;
  g_autoptr(GListModel) tasks = NULL;
  g_autoptr(RosterUser) ada = roster_store_create_user (f->store, "Ada", &error);
  g_autofree char *one = resource ("uid-1", "SUMMARY:Write report\r\nCATEGORIES:office\r\n");
  g_autofree char *two = resource ("uid-2", "SUMMARY:Send invoice\r\nSTATUS:COMPLETED\r\n");
  g_autofree char *rows = NULL;
  g_autofree char *vtodo = NULL;
  Counts user_counts = { 0 }, task_counts = { 0 };
  gint64 user_id = 0, task_id = 0;

  g_assert_no_error (error);
  set_up_account (f);
  push_all (f);
  g_assert_true (roster_store_get_can_undo (f->store));
  /* Lists the window shows (a list nobody read says nothing). */
  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 1);
  g_signal_connect (users, "items-changed", G_CALLBACK (count_changes_cb), &user_counts);

  g_assert_true (roster_sync_apply_begin (f->store, &error));
  g_assert_true (roster_sync_apply_list (f->store, LIST, "Work", &user_id, &error));
  g_assert_no_error (error);
  work = roster_store_get_user (f->store, user_id, &error);
  tasks = roster_store_list_user_tasks (f->store, work);
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 0);
  g_signal_connect (tasks, "items-changed", G_CALLBACK (count_changes_cb), &task_counts);
  g_assert_true (roster_sync_apply_resource (f->store, LIST, LIST "uid-1.ics", "\"1\"", one, NULL, &task_id, &error));
  g_assert_cmpint (task_id, >, 0);
  g_assert_true (roster_sync_apply_resource (f->store, LIST, LIST "uid-2.ics", "\"2\"", two, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (user_counts.calls, ==, 0);
  g_assert_true (roster_sync_apply_commit (f->store, &error));
  g_assert_no_error (error);

  /* One items-changed per list for the whole batch. */
  g_assert_cmpuint (user_counts.calls, ==, 1);
  g_assert_cmpuint (user_counts.added, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 2);
  g_assert_cmpuint (task_counts.calls, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 2);
  g_assert_cmpuint (task_counts.added, ==, 2);

  rows = outbox (f);
  g_assert_cmpstr (rows, ==, "");
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT applying FROM roster_sync_account"), ==, 0);
  g_assert_false (roster_store_get_can_undo (f->store));
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT done FROM task WHERE title = 'Send invoice'"), ==, 1);
  g_clear_pointer (&rows, g_free);
  rows = tags_of (f->path, task_id);
  g_assert_cmpstr (rows, ==, "office");
  /* The server's VTODO is kept for the task (its foreign properties too). */
  vtodo = roster_test_raw_text (f->path, "SELECT vtodo FROM roster_ical WHERE uid = 'uid-1'");
  g_assert_nonnull (strstr (vtodo, "X-OTHER-APP:kept"));
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_sync_task WHERE list_href = '" LIST "'"), ==, 2);

  /* A list without a name is named after its href; a name another user
   * has gets a number. */
  g_assert_true (roster_sync_apply_begin (f->store, &error));
  g_assert_true (roster_sync_apply_list (f->store, "/dav/calendars/ada/home%20jobs/", NULL, NULL, &error));
  g_assert_true (roster_sync_apply_list (f->store, "/dav/calendars/ada/other/", "Work", NULL, &error));
  g_assert_true (roster_sync_apply_commit (f->store, &error));
  g_assert_no_error (error);
  g_clear_pointer (&rows, g_free);
  rows = roster_test_raw_text (f->path, "SELECT username FROM user ORDER BY id");
  g_assert_cmpstr (rows, ==, "Ada; Work; home jobs; Work (2)");
}

/* Synced task: set up through a pull. */
static gint64
pulled_task (Fixture    *f,
             const char *lines)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = resource ("uid-1", lines);
  gint64 task_id = 0;

  set_up_account (f);
  g_assert_true (roster_sync_apply_begin (f->store, &error));
  g_assert_true (roster_sync_apply_list (f->store, LIST, "Work", NULL, &error));
  g_assert_true (roster_sync_apply_resource (f->store, LIST, LIST "uid-1.ics", "\"1\"", text, NULL, &task_id, &error));
  g_assert_true (roster_sync_apply_commit (f->store, &error));
  g_assert_no_error (error);
  push_all (f);
  return task_id;
}

/* Edited here and there: different fields both kept, the same one the
 * server's, reported; what stays of the local edit waits to be sent. */
static void
test_apply_merge (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = pulled_task (f, "SUMMARY:Write report\r\nDESCRIPTION:draft\r\n");
  g_autoptr(RosterTask) task = roster_store_get_task (f->store, id, &error);
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func (roster_sync_conflict_free);
  g_autofree char *remote = resource ("uid-1", "SUMMARY:Write the report\r\nDESCRIPTION:final\r\n");
  g_autoptr(GPtrArray) ops = NULL;
  RosterSyncConflict *conflict;

  roster_store_set_task_title (f->store, task, "Write my report, today", &error);
  roster_store_set_task_done (f->store, task, TRUE, &error);
  g_assert_no_error (error);

  pull_resource (f, LIST "uid-1.ics", "\"2\"", remote, conflicts, NULL);

  g_assert_cmpstr (roster_task_get_title (task), ==, "Write the report");
  g_assert_cmpstr (roster_task_get_notes (task), ==, "final");
  g_assert_true (roster_task_get_done (task));
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (conflict->property, ==, "SUMMARY");
  g_assert_cmpstr (conflict->local_value, ==, "Write my report, today");
  g_assert_cmpint (conflict->task_id, ==, id);
  g_assert_cmpstr (conflict->server_value, ==, "Write the report");

  /* Done is sent, on top of the server's version. */
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (op_at (ops, 0)->kind, ==, ROSTER_SYNC_UPDATE_TASK);
  g_assert_cmpstr (op_at (ops, 0)->etag, ==, "\"2\"");
  g_assert_nonnull (strstr (op_at (ops, 0)->ical, "STATUS:COMPLETED"));
  g_assert_nonnull (strstr (op_at (ops, 0)->ical, "SUMMARY:Write the report"));
  g_assert_nonnull (strstr (op_at (ops, 0)->ical, "X-OTHER-APP:kept"));

  /* The window's Undo: the local title is back, undoable, and sent. */
  g_assert_true (roster_sync_conflict_restore (f->store, conflict, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (roster_task_get_title (task), ==, "Write my report, today");
  g_assert_true (roster_store_get_can_undo (f->store));
  g_clear_pointer (&ops, g_ptr_array_unref);
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_nonnull (strstr (op_at (ops, 0)->ical, "SUMMARY:Write my report\\, today"));
}

/* Deleted on the server: gone here too, unless edited here, then sent again;
 * deleted here: a pull does not bring it back. */
static void
test_apply_remote_gone (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = pulled_task (f, "SUMMARY:Write report\r\n");
  g_autoptr(RosterTask) task = roster_store_get_task (f->store, id, &error);
  g_autoptr(GPtrArray) ops = NULL;
  g_autofree char *again = resource ("uid-1", "SUMMARY:Write report\r\n");
  gboolean sent_again = FALSE;

  /* Edited here: sent again, not lost. */
  roster_store_set_task_notes (f->store, task, "keep me", &error);
  sent_again = pull_gone (f, LIST "uid-1.ics");
  g_assert_true (sent_again);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, 1);
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (op_at (ops, 0)->kind, ==, ROSTER_SYNC_CREATE_TASK);
  g_assert_nonnull (strstr (op_at (ops, 0)->ical, "keep me"));
  push_all (f);

  /* Not edited: it goes. */
  sent_again = pull_gone (f, LIST "uid-1.ics");
  g_assert_false (sent_again);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, 0);
  g_assert_cmpint (roster_sync_state_count_pending (f->store, NULL), ==, 0);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_sync_tombstone"), ==, 0);

  /* Deleted here, still on the server: the pull leaves it deleted. */
  pull_resource (f, LIST "uid-9.ics", "\"1\"", again, NULL, &id);
  push_all (f);
  g_clear_object (&task);
  task = roster_store_get_task (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_true (roster_store_delete_task (f->store, task, &error));
  pull_resource (f, LIST "uid-9.ics", "\"3\"", again, NULL, NULL);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, 0);
  g_clear_pointer (&ops, g_ptr_array_unref);
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (op_at (ops, 0)->kind, ==, ROSTER_SYNC_DELETE_TASK);
  g_assert_cmpstr (op_at (ops, 0)->etag, ==, "\"3\"");
}

/* Moved to another list by another device while edited here, whichever
 * list is pulled first: the edits stay (merged against the base), and the
 * task follows the move. Deleted here and moved back there: it stays
 * deleted, and is deleted there. */
static void
test_apply_moved_on_server (Fixture       *f,
                            gconstpointer  data)
{
  set_up_account (f);
  pull_list (f, LIST, "Work");
  pull_list (f, "/dav/calendars/ada/home/", "Home");
  for (guint gone_first = 0; gone_first < 2; gone_first++)
    {
      g_autoptr(GError) error = NULL;
      const char *uid = gone_first ? "uid-2" : "uid-1";
      g_autofree char *href = g_strdup_printf (LIST "%s.ics", uid);
      g_autofree char *new_href = g_strdup_printf ("/dav/calendars/ada/home/%s.ics", uid);
      g_autofree char *synced = resource (uid, "SUMMARY:Write report\r\nDESCRIPTION:draft\r\n");
      g_autofree char *moved = resource (uid, "SUMMARY:Write report\r\nDESCRIPTION:final\r\n");
      g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func (roster_sync_conflict_free);
      g_autoptr(GPtrArray) ops = NULL;
      g_autoptr(RosterTask) task = NULL;
      gint64 id = 0;

      pull_resource (f, href, "\"1\"", synced, NULL, &id);
      task = roster_store_get_task (f->store, id, &error);
      roster_store_set_task_title (f->store, task, "Write my report", &error);
      g_assert_no_error (error);
      if (gone_first)
        g_assert_true (pull_gone (f, href));
      g_assert_true (roster_sync_apply_begin (f->store, &error));
      g_assert_true (roster_sync_apply_resource (f->store, "/dav/calendars/ada/home/", new_href, "\"7\"",
                                                 moved, conflicts, NULL, &error));
      g_assert_true (roster_sync_apply_commit (f->store, &error));
      g_assert_no_error (error);
      if (!gone_first)
        g_assert_false (pull_gone (f, href));

      g_assert_cmpstr (roster_task_get_title (task), ==, "Write my report");
      g_assert_cmpstr (roster_task_get_notes (task), ==, "final");
      g_assert_cmpstr (roster_user_get_username (roster_task_get_owner (task)), ==, "Home");
      g_assert_cmpuint (conflicts->len, ==, 0);
      ops = next_ops (f);
      g_assert_cmpuint (ops->len, ==, 1);
      g_assert_cmpint (op_at (ops, 0)->kind, ==, ROSTER_SYNC_UPDATE_TASK);
      g_assert_cmpstr (op_at (ops, 0)->href, ==, new_href);
      g_assert_cmpstr (op_at (ops, 0)->etag, ==, "\"7\"");
      g_assert_nonnull (strstr (op_at (ops, 0)->ical, "SUMMARY:Write my report"));
      push_all (f);

      /* Deleted here, then moved there: it stays deleted, on both sides. */
      g_assert_true (roster_store_delete_task (f->store, task, &error));
      if (gone_first)
        g_assert_false (pull_gone (f, new_href));
      pull_resource (f, href, "\"8\"", moved, NULL, NULL);
      if (!gone_first)
        g_assert_false (pull_gone (f, new_href));
      g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, 0);
      g_clear_pointer (&ops, g_ptr_array_unref);
      ops = next_ops (f);
      g_assert_cmpuint (ops->len, ==, 2);
      g_assert_cmpint (op_at (ops, 0)->kind, ==, ROSTER_SYNC_DELETE_TASK);
      g_assert_cmpint (op_at (ops, 1)->kind, ==, ROSTER_SYNC_DELETE_TASK);
      g_assert_true (g_str_equal (op_at (ops, 0)->href, href) || g_str_equal (op_at (ops, 1)->href, href));
      push_all (f);
      g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_sync_tombstone"), ==, 0);
    }
}

/* A list renamed on the server renames its user, unless renamed here; a
 * list gone takes its user (on the engine's word). */
static void
test_apply_lists (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = pulled_task (f, "SUMMARY:Write report\r\n");
  g_autoptr(RosterTask) task = roster_store_get_task (f->store, id, &error);
  RosterUser *work = roster_task_get_owner (task);
  g_autoptr(GPtrArray) ops = NULL;

  g_object_ref (work);
  pull_list (f, LIST, "Office");
  g_assert_cmpstr (roster_user_get_username (work), ==, "Office");
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 0);

  /* Renamed here too: the local name waits to be sent. */
  g_assert_true (roster_store_rename_user (f->store, work, "Desk", &error));
  pull_list (f, LIST, "Bureau");
  g_assert_cmpstr (roster_user_get_username (work), ==, "Desk");
  g_clear_pointer (&ops, g_ptr_array_unref);
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (op_at (ops, 0)->kind, ==, ROSTER_SYNC_RENAME_LIST);
  g_assert_cmpstr (op_at (ops, 0)->display_name, ==, "Desk");
  push_all (f);

  /* Gone: its user and tasks go, and nothing is sent back. */
  g_assert_true (roster_sync_apply_begin (f->store, &error));
  g_assert_true (roster_sync_apply_list_gone (f->store, LIST, &error));
  g_assert_true (roster_sync_apply_commit (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM user"), ==, 0);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, 0);
  g_assert_cmpint (roster_sync_state_count_pending (f->store, NULL), ==, 0);
  g_object_unref (work);
}

/* A first sync with a server that has the same list and task: the user is
 * linked to the list by name and the task by UID, nothing is duplicated,
 * and what the server has is not sent back as new. */
static void
test_first_sync (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) work = roster_store_create_user (f->store, "Work", &error);
  g_autoptr(RosterTask) task = new_task (f, work, "Write report");
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func (roster_sync_conflict_free);
  g_autofree char *text = resource ("uid-1", "SUMMARY:Write report\r\n");
  g_autoptr(GPtrArray) ops = NULL;
  gint64 user_id = 0, task_id = 0;

  g_assert_no_error (error);
  /* The same task, imported on both sides: the same UID. */
  roster_test_raw_exec (f->path, "UPDATE roster_ical SET uid = 'uid-1'");
  roster_store_refresh (f->store);
  set_up_account (f);

  g_assert_true (roster_sync_apply_begin (f->store, &error));
  g_assert_true (roster_sync_apply_list (f->store, LIST, "Work", &user_id, &error));
  g_assert_true (roster_sync_apply_resource (f->store, LIST, LIST "uid-1.ics", "\"1\"", text, conflicts, &task_id, &error));
  g_assert_true (roster_sync_apply_commit (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (user_id, ==, roster_user_get_id (work));
  g_assert_cmpint (task_id, ==, roster_task_get_id (task));
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM user"), ==, 1);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, 1);

  /* The list needs nothing; the task goes as an update of the server's. */
  ops = next_ops (f);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (op_at (ops, 0)->kind, ==, ROSTER_SYNC_UPDATE_TASK);
  g_assert_cmpstr (op_at (ops, 0)->href, ==, LIST "uid-1.ics");
  g_assert_cmpstr (op_at (ops, 0)->etag, ==, "\"1\"");
  g_assert_nonnull (strstr (op_at (ops, 0)->ical, "X-OTHER-APP:kept"));
}

/* Another server: everything is sent there, nothing of the old one's kept. */
static void
test_server_changed (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean changed = TRUE;
  g_autofree char *rows = NULL;

  pulled_task (f, "SUMMARY:Write report\r\n");
  roster_sync_state_set_account (f->store, "https://dav.example/", "ada", NULL, HOME, &changed, &error);
  g_assert_no_error (error);
  g_assert_false (changed);
  g_assert_cmpint (roster_sync_state_count_pending (f->store, NULL), ==, 0);

  roster_sync_state_set_account (f->store, "https://other.example/", "ada", NULL, HOME, &changed, &error);
  g_assert_true (changed);
  rows = outbox (f);
  g_assert_cmpstr (rows, ==, "list 1 #1; task 1 #1");
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM roster_sync_task"), ==, 0);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM task"), ==, 1);

  /* Forgotten: nothing of it stays, and edits no longer queue. */
  g_assert_true (roster_sync_state_forget_account (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (roster_test_raw_int (f->path, "SELECT count(*) FROM sqlite_master "
                                                 "WHERE type = 'trigger' AND name LIKE 'roster_sync%'"), ==, 0);
  {
    g_autoptr(GListModel) users = roster_store_list_users (f->store);
    g_autoptr(RosterUser) user = g_list_model_get_item (users, 0);
    g_autoptr(RosterTask) task = roster_store_create_task (f->store, user, "After", &error);

    g_assert_no_error (error);
  }
  g_clear_pointer (&rows, g_free);
  rows = outbox (f);
  g_assert_cmpstr (rows, ==, "");
  g_assert_cmpint (roster_sync_state_count_pending (f->store, NULL), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ROSTER_ICAL_TEST_ADD ("/sync/outbox/no-account", test_no_account);
  ROSTER_ICAL_TEST_ADD ("/sync/outbox/roster-edits", test_roster_edits);
  ROSTER_ICAL_TEST_ADD ("/sync/outbox/undo-redo", test_undo_redo);
  ROSTER_ICAL_TEST_ADD ("/sync/outbox/move-and-delete-user", test_move_and_delete_user);
  ROSTER_ICAL_TEST_ADD ("/sync/outbox/undo-delete-user", test_undo_delete_user);
  ROSTER_ICAL_TEST_ADD ("/sync/outbox/sqlmodel", test_sqlmodel_edits);
  ROSTER_ICAL_TEST_ADD ("/sync/finish/keeps-newer-edit", test_finish_keeps_newer_edit);
  ROSTER_ICAL_TEST_ADD ("/sync/finish/after-delete", test_finish_after_delete);
  ROSTER_ICAL_TEST_ADD ("/sync/apply/new", test_apply_new);
  ROSTER_ICAL_TEST_ADD ("/sync/apply/merge", test_apply_merge);
  ROSTER_ICAL_TEST_ADD ("/sync/apply/remote-gone", test_apply_remote_gone);
  ROSTER_ICAL_TEST_ADD ("/sync/apply/moved-on-server", test_apply_moved_on_server);
  ROSTER_ICAL_TEST_ADD ("/sync/apply/lists", test_apply_lists);
  ROSTER_ICAL_TEST_ADD ("/sync/apply/first-sync", test_first_sync);
  ROSTER_ICAL_TEST_ADD ("/sync/server-changed", test_server_changed);
  return g_test_run ();
}
