/* test-window-sync.c: CalDAV sync from the window, against a real Radicale
 * (tests/sync/roster-radicale.h) with python3-caldav as the other side and
 * a real keyring (run under tests/sync/with-keyring.sh):
 *
 * - the Sync page: a wrong password, and a web server that is no CalDAV
 *   server, are said in words and what was typed stays; the right one signs
 *   in, and the first sync uploads the tasks;
 * - a change made on the server shows in the window after Sync Now (F5);
 * - both sides rename a task: the server's title, a toast, and its Undo;
 * - another sync of the file running: Sync Now says nothing, and the edit
 *   goes with the next one;
 * - a server that is gone: the banner says so, and Retry is offered;
 * - an edit goes up by itself seconds later; the delete dialog of a synced
 *   user says the list on the server goes too; the server dropping most of
 *   a list asks first (Keep Them: nothing deleted, the tasks back on the
 *   server, a toast saying so, and the next sync asks nothing; Delete Them);
 *   a password gone from the keyring puts up the banner; Sign Out;
 * - a first upload of many tasks: the status counts down, the window takes
 *   edits meanwhile, one PUT a task, no sync after it by itself
 *   (ROSTER_SYNC_UPLOAD_TASKS sets how many; bench/roster-window-upload-bench.py
 *   times it against roster sync).
 *
 * Skipped (77) without Radicale and python3-caldav, or without a display.
 * ROSTER_WINDOW_SCREENSHOTS=DIR saves window-sync-*.png there.
 */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "roster-secret.h"
#include "roster-sync-lease.h"
#include "roster-sync-page.h"
#include "roster-window-test-util.h"
#include "sync/roster-radicale.h"

#define PASSWORD "garden-hose"
/* Every wait is bounded (longer for a measurement with many tasks). */
#define TIMEOUT_SECONDS 60
static guint timeout_seconds = TIMEOUT_SECONDS;
/* The window's delay before a sync after an edit (roster-window-sync.c). */
#define EDIT_DELAY_SECONDS 5

typedef gboolean (*Condition) (gpointer data);

static void
wait_until (Condition   done,
            gpointer    data,
            const char *what)
{
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + timeout_seconds * G_USEC_PER_SEC;
  gint64 last = start;
  gint64 longest = 0;
  guint wake = roster_ui_test_keep_awake ();

  while (!done (data))
    {
      gint64 now;

      if (g_get_monotonic_time () > end)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
      now = g_get_monotonic_time ();
      longest = MAX (longest, now - last);
      last = now;
    }
  g_source_remove (wake);
  /* The window kept drawing meanwhile: its main loop's longest pause. */
  g_test_message ("%s: %.0f ms, the main loop's longest pause %.1f ms", what,
                  (g_get_monotonic_time () - start) / 1000.0, longest / 1000.0);
}

static gboolean
page_is_idle (gpointer data)
{
  const char *status = roster_sync_page_get_status (data);

  return strcmp (status, "Checking the account…") != 0;
}

static gboolean
sync_is_done (gpointer data)
{
  return !_roster_window_sync_is_running (data);
}

static void
set_row (RosterSyncPage *page,
         const char     *id,
         const char     *text)
{
  gtk_editable_set_text (roster_ui_test_template_child (page, ROSTER_TYPE_SYNC_PAGE, id), text);
}

static const char *
get_row (RosterSyncPage *page,
         const char     *id)
{
  return gtk_editable_get_text (roster_ui_test_template_child (page, ROSTER_TYPE_SYNC_PAGE, id));
}

/* The page, in a preferences window as the window shows it. */
static RosterSyncPage *
open_page (Fixture    *f,
           GtkWindow **window)
{
  GtkWidget *page = _roster_window_sync_make_page (f->window);

  *window = GTK_WINDOW (adw_preferences_window_new ());
  gtk_window_set_transient_for (*window, GTK_WINDOW (f->window));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (*window), ADW_PREFERENCES_PAGE (page));
  gtk_window_present (*window);
  roster_ui_test_spin ();
  return ROSTER_SYNC_PAGE (page);
}

/* In the JSON array @json, the first object whose @key is @value: its
 * member @wanted, or NULL. */
static char *
find_in_json (const char *json,
              const char *key,
              const char *value,
              const char *wanted)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *array;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (object, key), value) == 0)
        return g_strdup (json_object_get_string_member (object, wanted));
    }
  return NULL;
}

/* The peer's list named @name: its path. */
static char *
find_list (RosterRadicale *server,
           const char     *name)
{
  g_autofree char *out = roster_radicale_peer (server, "alice", PASSWORD, "lists", NULL);

  return find_in_json (out, "name", name, "path");
}

/* The UID of the task titled @summary in the list at @path, or NULL. */
static char *
find_todo (RosterRadicale *server,
           const char     *path,
           const char     *summary)
{
  g_autofree char *out = roster_radicale_peer (server, "alice", PASSWORD, "todos", path, NULL);

  return find_in_json (out, "summary", summary, "uid");
}

static void save_window_screenshot (GtkWindow  *window,
                                    const char *name);

/* Signs in on the page (open in @prefs) with the right password, closes it
 * and waits for the first sync. */
static void
sign_in (Fixture        *f,
         RosterSyncPage *page,
         GtkWindow      *prefs)
{
  set_row (page, "password_row", PASSWORD);
  roster_sync_page_sign_in (page);
  wait_until (page_is_idle, page, "the sign-in");
  g_assert_nonnull (strstr (roster_sync_page_get_status (page), "Signed in as alice"));
  g_assert_cmpstr (get_row (page, "password_row"), ==, "");
  save_window_screenshot (prefs, "sync-page-signed-in");
  gtk_window_destroy (prefs);
  g_assert_true (_roster_window_sync_has_account (f->window));
  wait_until (sync_is_done, f->window, "the first sync");
  g_assert_null (_roster_window_sync_get_banner (f->window));
  g_assert_cmpstr (_roster_window_sync_get_status (f->window), ==, "Synced just now");
}

static RosterSyncPage *
open_page_for (Fixture        *f,
               RosterRadicale *server,
               GtkWindow     **prefs)
{
  RosterSyncPage *page = open_page (f, prefs);

  set_row (page, "server_row", roster_radicale_get_url (server));
  set_row (page, "username_row", "alice");
  return page;
}

static void
save_window_screenshot (GtkWindow  *window,
                        const char *name)
{
  roster_ui_test_save_screenshot (GTK_WIDGET (window), "ROSTER_WINDOW_SCREENSHOTS", "window", name);
}

static void
test_sync_with_radicale (Fixture      *f,
                         gconstpointer data)
{
  g_autoptr(RosterRadicale) server = roster_radicale_start ("alice:" PASSWORD "\n");
  g_autoptr(GError) error = NULL;
  g_autofree char *list = NULL;
  g_autofree char *uid = NULL;
  g_autoptr(GListModel) tasks = NULL;
  g_autoptr(RosterTask) task = NULL;
  GtkWindow *prefs;
  RosterSyncPage *page;
  g_autoptr(RosterUser) alice = NULL;

  alice = add_user (f, "Alice");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-task", NULL);
  type_and_enter (add_entry (f), "Buy milk");
  tasks = user_tasks (f, alice);
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 1);
  /* No account: nothing said about syncing. */
  g_assert_null (_roster_window_sync_get_banner (f->window));
  g_assert_false (_roster_window_sync_has_account (f->window));

  /* A wrong password: said in words, and the rows keep what was typed. */
  page = open_page_for (f, server, &prefs);
  set_row (page, "password_row", "not-the-password");
  roster_sync_page_sign_in (page);
  wait_until (page_is_idle, page, "the sign-in to fail");
  g_assert_nonnull (strstr (roster_sync_page_get_status (page), "did not accept the username or the password"));
  g_assert_cmpstr (get_row (page, "server_row"), ==, roster_radicale_get_url (server));
  g_assert_cmpstr (get_row (page, "username_row"), ==, "alice");
  g_assert_cmpstr (get_row (page, "password_row"), ==, "not-the-password");
  g_assert_false (_roster_window_sync_has_account (f->window));
  save_window_screenshot (prefs, "sync-page-wrong-password");

  /* A web server that is no CalDAV server: said so. */
  {
    guint16 port;
    GSubprocess *web = roster_test_web_server_start (&port);
    g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", port);

    set_row (page, "server_row", address);
    roster_sync_page_sign_in (page);
    wait_until (page_is_idle, page, "the sign-in to a web server");
    roster_test_web_server_stop (web);
    g_assert_nonnull (strstr (roster_sync_page_get_status (page), "is not a CalDAV server"));
    g_assert_cmpstr (get_row (page, "server_row"), ==, address);
    g_assert_false (_roster_window_sync_has_account (f->window));
    set_row (page, "server_row", roster_radicale_get_url (server));
  }

  /* The right one: signed in, and the first sync uploads the task. */
  sign_in (f, page, prefs);
  list = find_list (server, "Alice");
  g_assert_nonnull (list);
  uid = find_todo (server, list, "Buy milk");
  g_assert_nonnull (uid);

  /* The other side renames it; Sync Now (F5) brings it into the window. */
  g_free (roster_radicale_peer (server, "alice", PASSWORD, "edit", list, uid, "Buy oat milk", NULL));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sync-now", NULL);
  g_assert_true (_roster_window_sync_is_running (f->window));
  g_assert_cmpstr (_roster_window_sync_get_status (f->window), ==, "Syncing…");
  wait_until (sync_is_done, f->window, "Sync Now");
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 1);
  task = g_list_model_get_item (tasks, 0);
  g_assert_cmpstr (roster_task_get_title (task), ==, "Buy oat milk");
  save_window_screenshot (GTK_WINDOW (f->window), "sync-status");

  /* A task added here goes to the server with the next sync. */
  type_and_enter (add_entry (f), "Call the plumber");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sync-now", NULL);
  wait_until (sync_is_done, f->window, "the second Sync Now");
  g_free (uid);
  uid = find_todo (server, list, "Call the plumber");
  g_assert_nonnull (uid);
  /* A sync that received nothing keeps the undo history. */
  {
    gboolean can_undo = FALSE;

    g_object_get (f->store, "can-undo", &can_undo, NULL);
    g_assert_true (can_undo);
  }

  /* Both sides rename it: the server's title stays, a toast says so, and
   * its Undo puts ours back and sends it. */
  g_free (uid);
  uid = find_todo (server, list, "Buy oat milk");
  g_assert_nonnull (uid);
  g_assert_true (roster_store_set_task_title (f->store, task, "Buy soy milk", &error));
  g_assert_no_error (error);
  g_free (roster_radicale_peer (server, "alice", PASSWORD, "edit", list, uid, "Buy rice milk", NULL));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sync-now", NULL);
  wait_until (sync_is_done, f->window, "a sync with a conflict");
  g_assert_cmpstr (roster_task_get_title (task), ==, "Buy rice milk");
  g_assert_nonnull (_roster_window_sync_get_conflict_toast (f->window));
  g_assert_cmpstr (adw_toast_get_title (_roster_window_sync_get_conflict_toast (f->window)), ==,
                   "Changed on both sides: the server’s title “Buy rice milk” was kept, not “Buy soy milk”.");
  save_window_screenshot (GTK_WINDOW (f->window), "sync-conflict");
  g_signal_emit_by_name (_roster_window_sync_get_conflict_toast (f->window), "button-clicked");
  g_assert_cmpstr (roster_task_get_title (task), ==, "Buy soy milk");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sync-now", NULL);
  wait_until (sync_is_done, f->window, "the sync after Undo");
  g_free (uid);
  uid = find_todo (server, list, "Buy soy milk");
  g_assert_nonnull (uid);
  g_assert_cmpstr (roster_task_get_title (task), ==, "Buy soy milk");

  /* Another sync of the file is running (another window's, or `roster
   * sync`'s; here the test holds the lease with a store of its own): Sync
   * Now says nothing, and the edit goes with the next sync. */
  {
    g_autoptr(RosterStore) other = roster_store_open (roster_store_get_path (f->store), &error);
    RosterSyncLease *lease;

    g_assert_no_error (error);
    lease = roster_sync_lease_take (other, ROSTER_SYNC_LEASE_SECONDS, &error);
    g_assert_no_error (error);
    g_assert_true (roster_store_set_task_title (f->store, task, "Buy soy milk and eggs", &error));
    g_assert_no_error (error);
    gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sync-now", NULL);
    wait_until (sync_is_done, f->window, "a sync while another runs");
    g_assert_null (_roster_window_sync_get_banner (f->window));
    g_assert_null (find_todo (server, list, "Buy soy milk and eggs"));
    roster_sync_lease_release (lease);
  }
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sync-now", NULL);
  wait_until (sync_is_done, f->window, "the sync after the other one");
  g_free (uid);
  uid = find_todo (server, list, "Buy soy milk and eggs");
  g_assert_nonnull (uid);
  g_assert_null (_roster_window_sync_get_banner (f->window));

  /* The server goes away: the banner says so, and offers to retry. */
  g_clear_pointer (&server, roster_radicale_stop);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sync-now", NULL);
  wait_until (sync_is_done, f->window, "a sync with no server");
  g_assert_nonnull (_roster_window_sync_get_banner (f->window));
  g_assert_nonnull (strstr (_roster_window_sync_get_banner (f->window), "cannot be reached"));
  /* The tasks stay as they were. */
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 2);
  save_window_screenshot (GTK_WINDOW (f->window), "sync-banner");
}

/* The question about deletions while it shows, or NULL. */
static AdwMessageDialog *
deletions_dialog (void)
{
  AdwMessageDialog *dialog = find_dialog ();

  if (dialog == NULL || g_strcmp0 (adw_message_dialog_get_heading (dialog), "Delete Tasks Here Too?") != 0)
    return NULL;
  return dialog;
}

static gboolean
dialog_shows (gpointer data)
{
  return deletions_dialog () != NULL;
}

static gboolean
on_server (gpointer data)
{
  const char * const *what = data;
  g_autofree char *uid = find_todo ((RosterRadicale *) what[0], what[1], what[2]);

  return uid != NULL;
}

/* The other device deletes the tasks @titles from the list @list. */
static void
drop_on_server (RosterRadicale     *server,
                const char         *list,
                const char * const *titles,
                guint               n_titles)
{
  for (guint i = 0; i < n_titles; i++)
    {
      g_autofree char *uid = find_todo (server, list, titles[i]);

      g_assert_nonnull (uid);
      g_free (roster_radicale_peer (server, "alice", PASSWORD, "delete", list, uid, NULL));
    }
}

static gboolean
account_is_gone (gpointer data)
{
  return !_roster_window_sync_has_account (data);
}

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* The status label at the foot of the sidebar (its last child). */
static GtkWidget *
sidebar_status (RosterWindow *window)
{
  GtkWidget *sidebar = gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (sidebar_part (window, "user_list"))));

  while (sidebar != NULL && !ROSTER_IS_SIDEBAR (sidebar))
    sidebar = gtk_widget_get_parent (sidebar);
  g_assert_nonnull (sidebar);
  return gtk_widget_get_last_child (sidebar);
}

/* Edits go up by themselves a few seconds later; the delete dialog says the
 * list on the server goes too; the server dropping most of a list asks
 * first: Keep Them deletes nothing and sends the tasks to the server again,
 * Delete Them follows the server. */
static void
test_sync_edits_and_deletions (Fixture      *f,
                               gconstpointer data)
{
  g_autoptr(RosterRadicale) server = roster_radicale_start ("alice:" PASSWORD "\n");
  g_autoptr(RosterUser) alice = NULL;
  g_autoptr(GListModel) tasks = NULL;
  g_autofree char *list = NULL;
  const char *titles[] = { "Water the plants", "Feed the cat", "Post the letter" };
  const char *what[3];
  GtkWindow *prefs;
  RosterSyncPage *page;
  AdwMessageDialog *dialog;

  alice = add_user (f, "Alice");
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    type_and_enter (add_entry (f), titles[i]);
  tasks = user_tasks (f, alice);
  page = open_page_for (f, server, &prefs);
  sign_in (f, page, prefs);
  list = find_list (server, "Alice");
  g_assert_nonnull (list);

  /* An edit, and no Sync Now: on the server within seconds. */
  type_and_enter (add_entry (f), "Sweep the porch");
  what[0] = (const char *) server;
  what[1] = list;
  what[2] = "Sweep the porch";
  wait_until (on_server, what, "the sync after an edit");

  /* Deleting a synced user says the list on the server goes too. */
  _roster_window_select_user (f->window, alice);
  _roster_window_choose_sidebar_item (f->window, G_OBJECT (alice));
  roster_ui_test_spin ();
  activate (f, "win.delete");
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "task list on the sync server is deleted too"));
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  roster_ui_test_spin ();
  wait_until (sync_is_done, f->window, "any sync under way");

  /* The server drops three of the four: asked first. */
  drop_on_server (server, list, titles, G_N_ELEMENTS (titles));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sync-now", NULL);
  wait_until (dialog_shows, NULL, "the question about deletions");
  dialog = deletions_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "no longer shows 3 tasks"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "here and on the server again"));
  save_window_screenshot (GTK_WINDOW (dialog), "sync-deletions");

  /* Keep Them: they stay here, go back to the server, and a toast says so. */
  _roster_window_forget_change_toast (f->window);
  adw_message_dialog_response (dialog, "keep");
  gtk_window_destroy (GTK_WINDOW (dialog));
  roster_ui_test_spin ();
  wait_until (sync_is_done, f->window, "the sync that keeps them");
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 4);
  g_assert_null (_roster_window_sync_get_banner (f->window));
  g_assert_nonnull (_roster_window_get_change_toast (f->window));
  g_assert_cmpstr (adw_toast_get_title (_roster_window_get_change_toast (f->window)), ==,
                   "3 tasks were kept and sent back to the server");
  save_window_screenshot (GTK_WINDOW (f->window), "sync-kept");
  what[0] = (const char *) server;
  what[1] = list;
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      what[2] = titles[i];
      g_assert_true (on_server (what));
    }

  /* Nothing left to ask: the next sync goes through. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sync-now", NULL);
  wait_until (sync_is_done, f->window, "the sync after keeping");
  g_assert_null (deletions_dialog ());
  g_assert_null (_roster_window_sync_get_banner (f->window));

  /* Dropped again: asked again, and Delete Them. */
  drop_on_server (server, list, titles, G_N_ELEMENTS (titles));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sync-now", NULL);
  wait_until (dialog_shows, NULL, "the question asked again");
  dialog = deletions_dialog ();
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  roster_ui_test_spin ();
  wait_until (sync_is_done, f->window, "the sync that deletes");
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 1);
  g_assert_null (_roster_window_sync_get_banner (f->window));

  /* The keyring lost the password: the banner says so and offers to sign
   * in. (Cleared as the window would, asynchronously: a blocking call
   * leaves the keyring's later messages queued for nobody.) */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GAsyncResult) result = NULL;

    roster_secret_clear_async (roster_radicale_get_url (server), "alice", NULL, got_result_cb, &result);
    wait_until (has_result, &result, "the keyring");
    g_assert_true (roster_secret_clear_finish (result, &error));
    g_assert_no_error (error);
  }
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sync-now", NULL);
  wait_until (sync_is_done, f->window, "a sync with no password");
  g_assert_nonnull (strstr (_roster_window_sync_get_banner (f->window), "keyring holds no password"));

  /* Sign Out: no account, no status; the task stays. */
  page = open_page (f, &prefs);
  g_assert_nonnull (strstr (roster_sync_page_get_status (page), "Signed in as alice"));
  gtk_widget_activate (roster_ui_test_template_child (page, ROSTER_TYPE_SYNC_PAGE, "sign_out_button"));
  wait_until (account_is_gone, f->window, "the sign-out");
  g_assert_nonnull (strstr (roster_sync_page_get_status (page), "Not signed in"));
  gtk_window_destroy (prefs);
  g_assert_false (gtk_widget_get_visible (sidebar_status (f->window)));
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 1);
}

/* The tasks the server holds in the list at @path. */
static guint
count_todos (RosterRadicale *server,
             const char     *path)
{
  g_autofree char *out = roster_radicale_peer (server, "alice", PASSWORD, "todos", path, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  return json_array_get_length (json_node_get_array (json_parser_get_root (parser)));
}

static gboolean
sync_is_running (gpointer data)
{
  return _roster_window_sync_is_running (data);
}

/* The count in the status "Syncing… N changes to send", or 0. */
static guint
changes_to_send (RosterWindow *window)
{
  guint n = 0;

  if (sscanf (_roster_window_sync_get_status (window), "Syncing… %u change", &n) != 1)
    return 0;
  return n;
}

typedef struct
{
  RosterWindow *window;
  guint         first;   /* the count when the sync started */
  guint         last;    /* the last one seen */
} Countdown;

/* The status counted down, or the sync ended. */
static gboolean
counted_down (gpointer data)
{
  Countdown *countdown = data;
  guint now = changes_to_send (countdown->window);

  if (now > 0)
    countdown->last = now;
  return !_roster_window_sync_is_running (countdown->window) || (now > 0 && now < countdown->first);
}

/* Lets the main loop run for @seconds. */
static void
spin_for (guint seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint wake = roster_ui_test_keep_awake ();

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
}

/* A first upload of many tasks (ROSTER_SYNC_UPLOAD_TASKS, 300 unless
 * told) into one list: the window says it is syncing, counts down what
 * is left to send, and stays usable meanwhile; every task goes up once, and so does one added meanwhile;
 * then nothing runs again by itself (the sync's own writes are not edits
 * to send). A slow first upload is the server's cost of each new resource
 * in a big collection (Radicale reads the whole collection for each new
 * UID), not more requests or syncs from here: the test logs the time and
 * Radicale's share of it (bench/README.md). */
static void
test_sync_first_upload (Fixture      *f,
                        gconstpointer data)
{
  g_autoptr(RosterRadicale) server = roster_radicale_start ("alice:" PASSWORD "\n");
  const char *env = g_getenv ("ROSTER_SYNC_UPLOAD_TASKS");
  guint n_tasks = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : 300;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) alice = NULL;
  g_autoptr(GListModel) tasks = NULL;
  g_autofree char *list = NULL;
  GtkWindow *prefs;
  RosterSyncPage *page;
  Countdown countdown = { 0 };
  guint puts, requests;
  gint64 start;

  /* Radicale's answer to a PUT takes longer the more the list holds. */
  timeout_seconds = MAX (TIMEOUT_SECONDS, n_tasks / 5);
  {
    g_autoptr(RosterStore) store = roster_store_open (f->path, &error);
    g_autoptr(RosterUser) user = NULL;

    g_assert_no_error (error);
    roster_store_begin_batch (store, "Import");
    user = roster_store_create_user (store, "Alice", &error);
    g_assert_no_error (error);
    for (guint i = 0; i < n_tasks; i++)
      {
        g_autofree char *title = g_strdup_printf ("Task %04u", i);

        g_object_unref (roster_store_create_task (store, user, title, &error));
        g_assert_no_error (error);
      }
    g_assert_true (roster_store_commit_batch (store, &error));
  }
  open_window (f);
  alice = roster_store_find_user (f->store, "Alice");
  tasks = user_tasks (f, alice);
  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();

  page = open_page_for (f, server, &prefs);
  set_row (page, "password_row", PASSWORD);
  roster_sync_page_sign_in (page);
  wait_until (page_is_idle, page, "the sign-in");
  gtk_window_destroy (prefs);
  start = g_get_monotonic_time ();
  wait_until (sync_is_running, f->window, "the first sync to start");

  /* While it runs: said so, counting down what is left to send (the
   * list and its tasks), and the list takes a new task at once. */
  countdown.window = f->window;
  countdown.first = changes_to_send (f->window);
  g_assert_cmpuint (countdown.first, ==, n_tasks + 1);
  wait_until (counted_down, &countdown, "the status to count down");
  g_assert_true (_roster_window_sync_is_running (f->window));
  g_assert_cmpuint (countdown.last, <, countdown.first);
  type_and_enter (add_entry (f), "Added during the upload");
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, n_tasks + 1);
  save_window_screenshot (GTK_WINDOW (f->window), "sync-first-upload");
  g_assert_true (_roster_window_sync_is_running (f->window));

  /* The upload, and the task added meanwhile: the upload's next round of
   * the outbox takes it, or the one sync that follows at once. */
  wait_until (sync_is_done, f->window, "the first upload");
  g_test_message ("the first upload of %u tasks from the window: %.2f s; Radicale's answers to "
                  "its PUTs took %.2f s, added up over its connections",
                  n_tasks, (g_get_monotonic_time () - start) / 1e6, roster_radicale_put_seconds (server));
  list = find_list (server, "Alice");
  g_assert_nonnull (list);
  g_assert_null (_roster_window_sync_get_banner (f->window));
  g_assert_cmpstr (_roster_window_sync_get_status (f->window), ==, "Synced just now");
  g_assert_cmpuint (count_todos (server, list), ==, n_tasks + 1);
  puts = roster_radicale_count_requests (server, "PUT");
  g_assert_cmpuint (puts, ==, n_tasks + 1);

  /* Nothing more runs by itself: not the edit delay, not a sync after the
   * sync's own writes, not the look for other programs' writes. */
  requests = roster_radicale_count_requests (server, NULL);
  spin_for (EDIT_DELAY_SECONDS + 2);
  g_assert_false (_roster_window_sync_is_running (f->window));
  g_assert_cmpuint (roster_radicale_count_requests (server, NULL), ==, requests);
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, n_tasks + 1);
  timeout_seconds = TIMEOUT_SECONDS;
}

int
main (int   argc,
      char *argv[])
{
  if (!roster_ui_test_init (&argc, &argv))
    return 77;
  if (!roster_radicale_available ())
    {
      g_print ("1..0 # SKIP Radicale or python3-caldav is not installed\n");
      return 77;
    }

  /* What AdwApplication loads in the real application, for the screenshots. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/io/github/rosterapp/Roster/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  ADD_TEST ("/window/sync/radicale", test_sync_with_radicale);
  ADD_TEST ("/window/sync/edits-and-deletions", test_sync_edits_and_deletions);
  ADD_TEST_OWN_FILE ("/window/sync/first-upload", test_sync_first_upload);

  return g_test_run ();
}
