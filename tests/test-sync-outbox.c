/* test-sync-outbox.c: the sync outbox in the file (roster-sync-state.h).
 *
 * The outbox as every kind of edit fills it (Roster's, undo and redo, the
 * seed's SQLModel classes writing the file directly), coalesced; what the
 * engine reads from it and finishing an op after a 2xx, which never drops a
 * newer edit. No network: the test plays the engine, and checks the file
 * through a second connection. Applying what a server sent is
 * test-sync-state.c's.
 */
#define G_LOG_DOMAIN "test-sync"

#include <string.h>

#include "roster-sync-test-util.h"
#include "roster-test-util.h"

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
  return g_test_run ();
}
