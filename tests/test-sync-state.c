/* test-sync-state.c: the sync state in the file (roster-sync-state.h): the
 * account, the lists and the synced tasks.
 *
 * Applying what a server sent as one change that the live lists show and
 * that writes no outbox row; deleting only on the engine's word; lists
 * renamed on either side; a first sync, another server, forgetting the
 * account. No network: the test plays the engine, and checks the file
 * through a second connection. The outbox is test-sync-outbox.c's.
 */
#define G_LOG_DOMAIN "test-sync"

#include <string.h>

#include "roster-sync-test-util.h"
#include "roster-test-util.h"

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

  ROSTER_ICAL_TEST_ADD ("/sync/apply/new", test_apply_new);
  ROSTER_ICAL_TEST_ADD ("/sync/apply/merge", test_apply_merge);
  ROSTER_ICAL_TEST_ADD ("/sync/apply/remote-gone", test_apply_remote_gone);
  ROSTER_ICAL_TEST_ADD ("/sync/apply/moved-on-server", test_apply_moved_on_server);
  ROSTER_ICAL_TEST_ADD ("/sync/apply/lists", test_apply_lists);
  ROSTER_ICAL_TEST_ADD ("/sync/apply/first-sync", test_first_sync);
  ROSTER_ICAL_TEST_ADD ("/sync/server-changed", test_server_changed);
  return g_test_run ();
}
