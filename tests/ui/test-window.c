/* test-window.c: widget tests of the main window on a store in a temporary
 * folder: the window builds from its templates, actions change the model,
 * rows follow model changes, errors are shown and what was typed is kept.
 *
 * ROSTER_WINDOW_SCREENSHOTS=DIR saves pictures of the window there
 * (window-find.png, window-find-results.png, window-big-delete.png). */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <gtk/gtk.h>
#include <adwaita.h>

#include "roster-chip.h"
#include "roster-messages.h"
#include "roster-sidebar-row.h"
#include "roster-tags-popover.h"
#include "roster-task-row.h"
#include "roster-ui-test-util.h"
#include "roster-window-private.h"

typedef struct
{
  char         *dir;
  char         *path;
  RosterWindow *window;
  RosterStore  *store;
} Fixture;

/* A part of the window's sidebar, by its id in ui/roster-sidebar.ui. */
static gpointer
sidebar_part (RosterWindow *window,
              const char   *id)
{
  GObject *part = gtk_widget_get_template_child (GTK_WIDGET (window->sidebar), ROSTER_TYPE_SIDEBAR, id);

  g_assert_nonnull (part);
  return part;
}

/* The selection of the sidebar's "user_list" or "tag_list". */
static GtkSingleSelection *
sidebar_selection (RosterWindow *window,
                   const char   *list)
{
  return GTK_SINGLE_SELECTION (gtk_list_view_get_model (sidebar_part (window, list)));
}

static void
open_window (Fixture *f)
{
  f->window = roster_window_new (NULL, f->path);
  gtk_window_present (GTK_WINDOW (f->window));
  roster_ui_test_spin ();
  f->store = roster_window_get_store (f->window);

  /* The window shows a screenful of each list first and the rest over the
   * next frames; a test, faster than a person, waits for the whole lists. */
  for (guint i = 0; i < 500 && f->window->grow_tick != 0; i++)
    {
      g_usleep (2000);
      roster_ui_test_spin ();
    }
  g_assert_cmpuint (f->window->grow_tick, ==, 0);
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("roster-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "roster.db", NULL);
  if (data == NULL)
    open_window (f);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  if (f->window != NULL)
    {
      GObject *store = G_OBJECT (f->store);

      if (store != NULL)
        g_object_add_weak_pointer (store, (gpointer *) &f->store);
      gtk_window_destroy (GTK_WINDOW (f->window));
      roster_ui_test_spin ();
      /* Nothing in the UI keeps the store alive once the window is gone. */
      g_assert_null (f->store);
    }

  g_unlink (f->path);
  {
    g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
    g_autofree char *journal = g_strconcat (f->path, "-journal", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_unlink (journal);
  }
  {
    /* The window writes a daily backup beside the file. */
    g_autofree char *backups = roster_backup_get_dir (f->path);
    g_autoptr(GDir) d = g_dir_open (backups, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *child = g_build_filename (backups, name, NULL);
        g_unlink (child);
      }
    g_rmdir (backups);
  }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* Rows a sidebar list view shows, each bound to a user or a tag. */
static guint
count_rows (GtkListView *list)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);

      if (row != NULL && ROSTER_IS_SIDEBAR_ROW (row) &&
          roster_sidebar_row_get_item (ROSTER_SIDEBAR_ROW (row)) != NULL)
        n++;
    }
  return n;
}

/* A sidebar row has the keyboard when its list item has it. */
static gboolean
sidebar_row_has_focus (Fixture   *f,
                       GtkWidget *row)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  return row != NULL && focus != NULL && (focus == row || focus == gtk_widget_get_parent (row));
}

/* Rows the list view shows, each bound to a task, and as many as the list
 * has items (the test window is tall enough to show them all). */
static guint
count_task_rows (RosterWindow *window)
{
  GListModel *model = G_LIST_MODEL (window->filtered_tasks);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RosterTask) task = g_list_model_get_item (model, i);

      g_assert_nonnull (_roster_window_find_task_row (window, task));
    }
  return n;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type,
                 const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) &&
          (label == NULL || (GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (child)), label) == 0)))
        return child;
      found = find_descendant (child, type, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The tag chip that reads @name in @row, if shown (the row's popovers,
 * which list tags too, aside). */
static GtkWidget *
find_chip (GtkWidget  *row,
           const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (row);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_NATIVE (child))
        continue;
      if (ROSTER_IS_CHIP (child) && gtk_widget_get_visible (child) &&
          g_strcmp0 (roster_chip_get_text (ROSTER_CHIP (child)), name) == 0)
        return child;
      found = find_chip (child, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* With ROSTER_WINDOW_SCREENSHOTS=DIR, saves DIR/window-NAME.png. */
static void
save_screenshot (Fixture    *f,
                 const char *name)
{
  roster_ui_test_save_screenshot (GTK_WIDGET (f->window), "ROSTER_WINDOW_SCREENSHOTS", "window", name);
}

static void
activate (Fixture    *f,
          const char *action)
{
  g_assert_true (_roster_window_action_is_enabled (f->window, action));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), action, NULL));
  roster_ui_test_spin ();
}

static void
type_and_enter (GtkEntry   *entry,
                const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
  roster_ui_test_spin ();
}

static RosterUser *
add_user (Fixture    *f,
          const char *name)
{
  activate (f, "win.new-user");
  type_and_enter (sidebar_part (f->window, "new_user_entry"), name);
  return roster_store_find_user (f->store, name);
}

static GListModel *
user_tasks (Fixture    *f,
            RosterUser *user)
{
  return roster_store_list_user_tasks (f->store, user);
}

/* Tests */

static void
test_open_creates_file (Fixture       *f,
                        gconstpointer  data)
{
  g_assert_nonnull (f->store);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->window->main_stack), ==, "store");
  /* No users: the empty state says what to do, there is nothing to add tasks to. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->window->content_stack), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (f->window->empty_page), ==, "No Users Yet");
  g_assert_false (gtk_widget_get_visible (f->window->add_box));
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.new-task"));
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.toggle-done"));
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.undo"));
  g_assert_true (_roster_window_action_is_enabled (f->window, "win.new-user"));

  /* The sidebar's empty lists take no room: "No users yet" sits right under
   * "Users". Then the first user's row shows. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (sidebar_part (f->window, "users_empty_label"))));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (sidebar_part (f->window, "user_list_scroller"))), <, 20);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (sidebar_part (f->window, "tag_list_scroller"))), <, 20);
  g_object_unref (add_user (f, "Alice"));
  for (guint i = 0; i < 200 && gtk_widget_get_height (GTK_WIDGET (sidebar_part (f->window, "user_list_scroller"))) < 30; i++)
    {
      g_usleep (2000);
      roster_ui_test_spin ();
    }
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (sidebar_part (f->window, "users_empty_label"))));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (sidebar_part (f->window, "user_list_scroller"))), >=, 30);
}

static void
test_open_damaged_file (Fixture       *f,
                        gconstpointer  data)
{
  const char garbage[] = "this is not a database, just some bytes of text that go on long enough....";
  g_autofree char *after = NULL;
  gsize length;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (f->path, garbage, sizeof garbage, &error);
  g_assert_no_error (error);

  open_window (f);

  g_assert_null (f->store);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->window->main_stack), ==, "error");
  g_assert_cmpstr (adw_status_page_get_title (f->window->error_page), ==, "Cannot Open the Roster File");
  g_assert_nonnull (strstr (adw_status_page_get_description (f->window->error_page), "Nothing was changed"));
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.new-user"));

  /* The file is never overwritten. */
  g_file_get_contents (f->path, &after, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (after, length, garbage, sizeof garbage);
}

static AdwMessageDialog *
find_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static void
test_open_damaged_file_restore (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *backup_dir = NULL;
  AdwMessageDialog *dialog;

  /* A file with a user, and today's backup of it (as a window writes it). */
  {
    g_autoptr(RosterStore) store = roster_store_open (f->path, &error);
    g_assert_no_error (error);
    g_object_unref (roster_store_create_user (store, "Ada", &error));
    g_assert_no_error (error);
  }
  g_assert_true (roster_backup_daily (f->path, NULL, &error));
  g_assert_no_error (error);
  {
    g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_file_set_contents (f->path, "ruined", -1, &error);
  g_assert_no_error (error);

  open_window (f);
  g_assert_null (f->store);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->window->main_stack), ==, "error");
  /* The way out is offered, and has the focus. */
  g_assert_true (gtk_widget_get_visible (f->window->restore_button));
  g_assert_true (gtk_widget_has_focus (f->window->restore_button));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.restore-backup", NULL));
  roster_ui_test_spin ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "restore");
  roster_ui_test_spin ();
  /* A backup is a rollback-journal file: the window prepares it first. */
  while (roster_window_is_preparing (f->window))
    g_main_context_iteration (NULL, TRUE);
  roster_ui_test_spin ();

  /* The window now shows the restored file. */
  f->store = roster_window_get_store (f->window);
  g_assert_nonnull (f->store);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->window->main_stack), ==, "store");
  {
    g_autoptr(RosterUser) ada = roster_store_find_user (f->store, "Ada");
    g_assert_nonnull (ada);
  }

  /* Let the window's own daily backup finish before the folder goes. */
  gtk_window_destroy (GTK_WINDOW (f->window));
  roster_ui_test_spin ();
  f->window = NULL;
  f->store = NULL;
  backup_dir = roster_backup_get_dir (f->path);
  {
    g_autoptr(GDir) d = g_dir_open (backup_dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *child = g_build_filename (backup_dir, name, NULL);
        g_unlink (child);
      }
    g_rmdir (backup_dir);
  }
}

/* A damaged page found while the window reads the file: the window says so,
 * with the same ways out, and nothing more is written. */
static void
test_damaged_while_open (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;

  {
    g_autoptr(RosterStore) store = roster_store_open (f->path, &error);
    g_autoptr(RosterUser) ada = roster_store_create_user (store, "Ada", &error);

    for (guint i = 0; i < 10; i++)
      g_object_unref (roster_store_create_task (store, ada, "a task", &error));
    g_assert_no_error (error);
  }
  {
    /* Garbage over the task table's page, read through SQLite's own idea of it. */
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    gint64 root = 0;
    FILE *file;
    char junk[512];

    g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
    sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    sqlite3_prepare_v2 (db, "SELECT rootpage FROM sqlite_master WHERE name = 'task'", -1, &stmt, NULL);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      root = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    g_assert_cmpint (root, >, 1);

    memset (junk, 0xA5, sizeof junk);
    file = fopen (f->path, "r+b");
    g_assert_nonnull (file);
    fseek (file, (root - 1) * 4096 + 8, SEEK_SET);
    fwrite (junk, 1, sizeof junk, file);
    fclose (file);
  }
  g_file_get_contents (f->path, &before, &before_len, NULL);

  open_window (f);
  roster_ui_test_spin ();
  g_assert_nonnull (f->store);
  g_assert_nonnull (roster_store_get_damage (f->store));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->window->main_stack), ==, "error");
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.new-user"));

  g_file_get_contents (f->path, &after, &after_len, NULL);
  g_assert_cmpmem (after, after_len, before, before_len);
}

static void
test_add_user (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");

  g_assert_nonnull (alice);
  g_assert_true (f->window->user == alice);
  g_assert_cmpuint (count_rows (sidebar_part (f->window, "user_list")), ==, 1);
  g_assert_false (gtk_revealer_get_reveal_child (sidebar_part (f->window, "new_user_revealer")));
  /* Ready for the first task. */
  g_assert_true (gtk_widget_is_visible (f->window->add_box));
  g_assert_true (gtk_widget_get_focus_child (GTK_WIDGET (f->window->add_entry)) != NULL);
  g_assert_cmpstr (adw_status_page_get_title (f->window->empty_page), ==, "No Tasks Yet");
}

static void
test_add_user_duplicate (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(GListModel) users = roster_store_list_users (f->store);

  activate (f, "win.new-user");
  type_and_enter (sidebar_part (f->window, "new_user_entry"), "Alice");

  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (sidebar_part (f->window, "new_user_error"))));
  g_assert_nonnull (strstr (gtk_label_get_label (sidebar_part (f->window, "new_user_error")), "already"));
  /* What was typed is kept. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sidebar_part (f->window, "new_user_entry"))), ==, "Alice");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (sidebar_part (f->window, "new_user_entry")), "error"));
}

static void
test_add_tasks (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(GListModel) tasks = user_tasks (f, alice);

  type_and_enter (f->window->add_entry, "Buy milk");
  type_and_enter (f->window->add_entry, "Walk the dog");

  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 2);
  g_assert_cmpuint (count_task_rows (f->window), ==, 2);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->window->content_stack), ==, "tasks");
  /* The entry is cleared and stays ready. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->window->add_entry)), ==, "");
  g_assert_true (gtk_widget_get_focus_child (GTK_WIDGET (f->window->add_entry)) != NULL);
  g_assert_cmpuint (roster_user_get_n_open_tasks (alice), ==, 2);
  g_assert_nonnull (find_descendant (GTK_WIDGET (sidebar_part (f->window, "user_list")), GTK_TYPE_LABEL, "2"));

  /* An empty title is refused beside the entry; the text is kept. */
  type_and_enter (f->window->add_entry, "   ");
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 2);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window->add_error)));
  g_assert_cmpstr (gtk_label_get_label (f->window->add_error), ==, "Type a title for the task.");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->window->add_entry)), ==, "   ");
}

static void
test_rows_follow_model (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterTask) task = NULL;
  g_autoptr(RosterTask) other = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *row;

  task = roster_store_create_task (f->store, alice, "Buy milk", &error);
  g_assert_no_error (error);
  other = roster_store_create_task (f->store, alice, "Pay rent", &error);
  g_assert_no_error (error);
  roster_ui_test_spin ();
  g_assert_cmpuint (count_task_rows (f->window), ==, 2);

  roster_store_set_task_title (f->store, task, "Buy oat milk", &error);
  g_assert_no_error (error);
  roster_ui_test_spin ();
  row = _roster_window_find_task_row (f->window, task);
  g_assert_nonnull (row);
  g_assert_nonnull (find_descendant (row, GTK_TYPE_LABEL, "Buy oat milk"));

  roster_store_set_task_done (f->store, task, TRUE, &error);
  g_assert_no_error (error);
  roster_ui_test_spin ();
  row = _roster_window_find_task_row (f->window, task);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (find_descendant (row, GTK_TYPE_CHECK_BUTTON, NULL))));
  /* Struck through and dimmed (ui/style.css). */
  g_assert_true (gtk_widget_has_css_class (find_descendant (row, GTK_TYPE_LABEL, "Buy oat milk"), "roster-done"));
  g_assert_nonnull (find_descendant (GTK_WIDGET (sidebar_part (f->window, "user_list")), GTK_TYPE_LABEL, "1"));

  roster_store_delete_task (f->store, other, &error);
  g_assert_no_error (error);
  roster_ui_test_spin ();
  g_assert_cmpuint (count_task_rows (f->window), ==, 1);
  g_assert_null (_roster_window_find_task_row (f->window, other));
}

static RosterTask *
select_first_task (Fixture *f)
{
  g_autoptr(RosterTask) task = g_list_model_get_item (G_LIST_MODEL (f->window->filtered_tasks), 0);

  g_assert_nonnull (task);
  _roster_window_select_task (f->window, task, TRUE);
  roster_ui_test_spin ();
  g_assert_true (_roster_window_get_selected_task (f->window) == task);
  /* The model holds the task; the pointer stays valid for the test. */
  return task;
}

static void
test_toggle_done (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  RosterTask *task;
  GtkWidget *check;

  type_and_enter (f->window->add_entry, "Buy milk");
  task = select_first_task (f);

  activate (f, "win.toggle-done");
  g_assert_true (roster_task_get_done (task));
  g_assert_cmpuint (roster_user_get_n_open_tasks (alice), ==, 0);
  check = find_descendant (_roster_window_find_task_row (f->window, task), GTK_TYPE_CHECK_BUTTON, NULL);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));

  /* The row's own check goes through the store too. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
  roster_ui_test_spin ();
  g_assert_false (roster_task_get_done (task));
  g_assert_false (gtk_widget_has_css_class (find_descendant (_roster_window_find_task_row (f->window, task),
                                                             GTK_TYPE_LABEL, "Buy milk"),
                                            "roster-done"));

  activate (f, "win.undo");
  g_assert_true (roster_task_get_done (task));
}

static void
test_delete_and_undo (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(GListModel) tasks = user_tasks (f, alice);

  type_and_enter (f->window->add_entry, "Buy milk");
  type_and_enter (f->window->add_entry, "Pay rent");
  select_first_task (f);
  g_assert_cmpint (_roster_window_get_target (f->window), ==, ROSTER_TARGET_TASK);

  activate (f, "win.delete");
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 1);
  g_assert_cmpuint (count_task_rows (f->window), ==, 1);
  /* The main menu says what Undo would undo. */
  {
    g_autofree char *label = NULL;

    g_menu_model_get_item_attribute (G_MENU_MODEL (f->window->history_section), 0,
                                     G_MENU_ATTRIBUTE_LABEL, "s", &label);
    g_assert_nonnull (strstr (label, "Buy milk"));
  }
  /* The next task is selected, ready for the next key. */
  g_assert_nonnull (_roster_window_get_selected_task (f->window));

  activate (f, "win.undo");
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 2);
  g_assert_cmpuint (count_task_rows (f->window), ==, 2);

  activate (f, "win.redo");
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 1);
  g_assert_cmpuint (count_task_rows (f->window), ==, 1);
}

static void
test_reorder (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(GListModel) tasks = user_tasks (f, alice);
  g_autoptr(RosterTask) first = NULL;
  g_autoptr(RosterTask) second = NULL;

  type_and_enter (f->window->add_entry, "One");
  type_and_enter (f->window->add_entry, "Two");
  first = g_list_model_get_item (tasks, 0);
  second = g_list_model_get_item (tasks, 1);

  _roster_window_select_task (f->window, second, TRUE);
  roster_ui_test_spin ();
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.move-task-down"));
  activate (f, "win.move-task-up");

  {
    g_autoptr(RosterTask) now_first = g_list_model_get_item (tasks, 0);
    g_autoptr(RosterTask) shown_first = g_list_model_get_item (G_LIST_MODEL (f->window->filtered_tasks), 0);

    g_assert_true (now_first == second);
    g_assert_true (shown_first == second);
    g_assert_nonnull (_roster_window_find_task_row (f->window, second));
  }
  /* The moved task stays selected. */
  g_assert_true (_roster_window_get_selected_task (f->window) == second);
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.move-task-up"));
}

static void
test_tag_view (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");
  g_autoptr(RosterCategory) home = NULL;
  g_autoptr(RosterTask) a = NULL;
  g_autoptr(RosterTask) b = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *row;
  GtkWidget *owner;

  home = roster_store_create_category (f->store, "Home", "#33d17a", &error);
  g_assert_no_error (error);
  a = roster_store_create_task (f->store, alice, "Buy milk", &error);
  b = roster_store_create_task (f->store, bob, "Fix bike", &error);
  roster_store_tag_task (f->store, a, home, &error);
  g_assert_no_error (error);
  roster_ui_test_spin ();

  _roster_window_select_category (f->window, home);
  roster_ui_test_spin ();
  g_assert_cmpuint (count_task_rows (f->window), ==, 1);
  g_assert_false (gtk_widget_get_visible (f->window->add_box));
  row = _roster_window_find_task_row (f->window, a);
  owner = find_descendant (row, GTK_TYPE_LABEL, "Alice");
  g_assert_nonnull (owner);
  g_assert_true (gtk_widget_get_visible (owner));

  /* Rows follow tagging. */
  roster_store_tag_task (f->store, b, home, &error);
  g_assert_no_error (error);
  roster_ui_test_spin ();
  g_assert_cmpuint (count_task_rows (f->window), ==, 2);

  /* A chip in the user view, on the tag's colour, which it follows. */
  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  row = _roster_window_find_task_row (f->window, a);
  {
    GtkWidget *chip = find_chip (row, "Home");
    GdkRGBA shown, expected;

    g_assert_nonnull (chip);
    roster_chip_get_color (ROSTER_CHIP (chip), &shown);
    g_assert_true (gdk_rgba_parse (&expected, "#33d17a"));
    g_assert_true (gdk_rgba_equal (&shown, &expected));

    g_assert_true (roster_store_set_category_color (f->store, home, "#1c71d8", &error));
    g_assert_no_error (error);
    roster_ui_test_spin ();
    g_assert_true (find_chip (row, "Home") == chip);
    roster_chip_get_color (ROSTER_CHIP (chip), &shown);
    g_assert_true (gdk_rgba_parse (&expected, "#1c71d8"));
    g_assert_true (gdk_rgba_equal (&shown, &expected));
  }

  /* Deleting the tag from the sidebar, then undoing it. */
  _roster_window_select_category (f->window, home);
  roster_ui_test_spin ();
  gtk_widget_grab_focus (_roster_window_find_sidebar_row (f->window, G_OBJECT (home)));
  roster_ui_test_spin ();
  g_assert_cmpint (_roster_window_get_target (f->window), ==, ROSTER_TARGET_TAG);
  activate (f, "win.delete");
  g_assert_null (roster_store_find_category (f->store, "Home"));
  g_assert_cmpuint (count_rows (sidebar_part (f->window, "tag_list")), ==, 0);
  activate (f, "win.undo");
  g_assert_cmpuint (count_rows (sidebar_part (f->window, "tag_list")), ==, 1);
}

static void
test_delete_user_with_tasks (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");
  g_autoptr(GListModel) bobs = user_tasks (f, bob);
  g_autoptr(GListModel) users = roster_store_list_users (f->store);
  AdwMessageDialog *dialog;

  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  type_and_enter (f->window->add_entry, "Buy milk");
  type_and_enter (f->window->add_entry, "Pay rent");
  gtk_widget_grab_focus (_roster_window_find_sidebar_row (f->window, G_OBJECT (alice)));
  roster_ui_test_spin ();
  g_assert_cmpint (_roster_window_get_target (f->window), ==, ROSTER_TARGET_USER);

  activate (f, "win.delete");
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  /* Nothing is deleted before the question is answered. */
  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 2);

  adw_message_dialog_response (dialog, "move");
  gtk_window_destroy (GTK_WINDOW (dialog));
  roster_ui_test_spin ();

  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (bobs), ==, 2);
  g_assert_true (f->window->user == bob);
  g_assert_cmpuint (count_rows (sidebar_part (f->window, "user_list")), ==, 1);
  g_assert_cmpuint (count_task_rows (f->window), ==, 2);
}

/* Find's search entry. */
static GtkEditable *
find_entry (Fixture *f)
{
  GtkWidget *entry = find_descendant (GTK_WIDGET (f->window->find_bar), GTK_TYPE_SEARCH_ENTRY, NULL);

  g_assert_nonnull (entry);
  return GTK_EDITABLE (entry);
}

static gboolean
focus_is_in (Fixture   *f,
             GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
on_search_changed_cb (GtkEditable *entry,
                      char       **searched)
{
  g_free (*searched);
  *searched = g_strdup (gtk_editable_get_text (entry));
}

/* Types @text into Find and waits for its search (after a pause in typing,
 * as for a person), then returns the results. */
static GListModel *
search (Fixture    *f,
        const char *text)
{
  GtkEditable *entry = find_entry (f);
  g_autofree char *searched = NULL;
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint wake = roster_ui_test_keep_awake ();
  gulong handler = g_signal_connect (entry, "search-changed", G_CALLBACK (on_search_changed_cb), &searched);

  gtk_editable_set_text (entry, text);
  while (g_strcmp0 (searched, text) != 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (entry, handler);
  g_source_remove (wake);
  g_assert_cmpstr (searched, ==, text);
  roster_ui_test_spin ();
  return roster_find_bar_get_results (f->window->find_bar);
}

/* The row of @task has the keyboard. */
static gboolean
task_row_has_focus (Fixture    *f,
                    RosterTask *task)
{
  GtkWidget *row = _roster_window_find_task_row (f->window, task);

  return row != NULL && focus_is_in (f, gtk_widget_get_parent (row));
}

/* Ctrl+F: Find over every user's tasks in place of the list; a result chosen
 * there shows its owner's list with the task selected; Escape goes back. */
static void
test_find (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");
  g_autoptr(RosterTask) bike = NULL;
  g_autoptr(RosterTask) milk = NULL;
  GtkWidget *results_list;
  GListModel *results;
  int start, end;

  _roster_window_select_user (f->window, bob);
  roster_ui_test_spin ();
  type_and_enter (f->window->add_entry, "Buy oat milk");
  type_and_enter (f->window->add_entry, "Fix the bike");
  bike = g_list_model_get_item (G_LIST_MODEL (f->window->filtered_tasks), 1);
  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  type_and_enter (f->window->add_entry, "Buy milk");
  type_and_enter (f->window->add_entry, "Pay rent");
  type_and_enter (f->window->add_entry, "Buy bread");
  milk = g_object_ref (select_first_task (f));

  /* Find takes the place of the list, with the keyboard in its entry. */
  activate (f, "win.find");
  g_assert_true (f->window->finding);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->window->content_stack), ==, "find");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->window->find_bar)));
  g_assert_true (focus_is_in (f, GTK_WIDGET (find_entry (f))));
  g_assert_true (gtk_toggle_button_get_active (f->window->search_button));
  g_assert_false (gtk_widget_get_visible (f->window->add_box));
  g_assert_cmpstr (adw_window_title_get_title (f->window->content_title), ==, "Find Tasks");
  save_screenshot (f, "find");

  /* Every user's tasks, not just Alice's. */
  results = search (f, "buy");
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 3);
  save_screenshot (f, "find-results");

  /* The selected task is out of sight: keys on a result (Space, Delete, F2,
   * Ctrl+D, Shift+Ctrl+Up) must not change it. */
  results_list = find_descendant (GTK_WIDGET (f->window->find_bar), GTK_TYPE_LIST_VIEW, NULL);
  gtk_widget_grab_focus (results_list);
  roster_ui_test_spin ();
  g_assert_true (focus_is_in (f, results_list));
  g_assert_cmpint (_roster_window_get_target (f->window), ==, ROSTER_TARGET_NONE);
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.toggle-done"));
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.delete"));
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.rename"));
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.move-task-down"));
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.context-menu"));

  /* Ctrl+F again: back in the entry, its text selected so typing replaces it. */
  activate (f, "win.find");
  g_assert_true (focus_is_in (f, GTK_WIDGET (find_entry (f))));
  g_assert_true (gtk_editable_get_selection_bounds (find_entry (f), &start, &end));
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, ==, 3);

  /* A task of another user: Enter on its result shows Bob's list with the
   * task selected and the keyboard on it. */
  results = search (f, "BIKE");
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);
  g_signal_emit_by_name (results_list, "activate", 0);
  roster_ui_test_spin ();
  g_assert_false (f->window->finding);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->window->content_stack), ==, "tasks");
  g_assert_false (gtk_toggle_button_get_active (f->window->search_button));
  g_assert_true (f->window->user == bob);
  g_assert_true (gtk_single_selection_get_selected_item (sidebar_selection (f->window, "user_list")) == bob);
  g_assert_true (_roster_window_get_selected_task (f->window) == bike);
  g_assert_true (task_row_has_focus (f, bike));
  g_assert_cmpstr (adw_window_title_get_title (f->window->content_title), ==, "Bob");
  /* The task keys are back, for this task. */
  g_assert_true (_roster_window_action_is_enabled (f->window, "win.toggle-done"));

  /* Enter in the entry takes the first result. */
  activate (f, "win.find");
  results = search (f, "buy milk");
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);
  g_signal_emit_by_name (find_entry (f), "activate");
  roster_ui_test_spin ();
  g_assert_true (f->window->user == alice);
  g_assert_true (_roster_window_get_selected_task (f->window) == milk);
  g_assert_true (task_row_has_focus (f, milk));

  /* Escape: back to the list, the keyboard on the selected task again. */
  activate (f, "win.find");
  g_assert_cmpstr (gtk_editable_get_text (find_entry (f)), ==, "buy milk");
  g_signal_emit_by_name (find_entry (f), "stop-search");
  roster_ui_test_spin ();
  g_assert_false (f->window->finding);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->window->content_stack), ==, "tasks");
  g_assert_true (gtk_widget_get_visible (f->window->add_box));
  g_assert_true (task_row_has_focus (f, milk));
  g_assert_true (f->window->user == alice);

  /* The search button opens it too; a user chosen in the sidebar closes it. */
  gtk_toggle_button_set_active (f->window->search_button, TRUE);
  roster_ui_test_spin ();
  g_assert_true (f->window->finding);
  g_assert_true (focus_is_in (f, GTK_WIDGET (find_entry (f))));
  /* As a click on Bob's row does. */
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (sidebar_selection (f->window, "user_list")), 1, TRUE);
  roster_ui_test_spin ();
  g_assert_false (f->window->finding);
  g_assert_true (f->window->user == bob);
  /* Ctrl+click on it does not leave the window without a selected user. */
  g_assert_false (gtk_selection_model_unselect_item (GTK_SELECTION_MODEL (sidebar_selection (f->window, "user_list")), 1));
  g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (sidebar_selection (f->window, "user_list")), 1));
  g_assert_false (gtk_toggle_button_get_active (f->window->search_button));

  /* A found task deleted meanwhile (by another program): said, not shown. */
  activate (f, "win.find");
  results = search (f, "rent");
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);
  {
    g_autoptr(RosterTask) rent = g_list_model_get_item (results, 0);
    g_autoptr(GError) error = NULL;

    g_assert_true (roster_store_delete_task (f->store, rent, &error));
    g_assert_no_error (error);
  }
  g_signal_emit_by_name (find_entry (f), "activate");
  roster_ui_test_spin ();
  g_assert_true (f->window->finding);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 0);
  g_assert_true (f->window->user == bob);
}

static void
test_rename_in_place (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  RosterTask *task;
  GtkWidget *row;
  GtkWidget *entry;
  GtkWidget *error_label;

  type_and_enter (f->window->add_entry, "Buy milk");
  task = select_first_task (f);
  row = _roster_window_find_task_row (f->window, task);

  activate (f, "win.rename");
  g_assert_true (roster_task_row_get_editing (ROSTER_TASK_ROW (row)));
  entry = find_descendant (row, GTK_TYPE_ENTRY, NULL);
  g_assert_true (gtk_widget_get_focus_child (entry) != NULL);

  type_and_enter (GTK_ENTRY (entry), "");
  g_assert_cmpstr (roster_task_get_title (task), ==, "Buy milk");
  g_assert_true (roster_task_row_get_editing (ROSTER_TASK_ROW (row)));
  error_label = find_descendant (row, GTK_TYPE_LABEL, "Type a title for the task.");
  g_assert_nonnull (error_label);
  g_assert_true (gtk_widget_get_visible (error_label));

  type_and_enter (GTK_ENTRY (entry), "Buy oat milk");
  g_assert_cmpstr (roster_task_get_title (task), ==, "Buy oat milk");
  g_assert_false (roster_task_row_get_editing (ROSTER_TASK_ROW (row)));
  /* On screen: the new title, neither the field nor the error. */
  g_assert_false (gtk_widget_get_mapped (entry));
  g_assert_false (gtk_widget_get_mapped (error_label));
  g_assert_true (gtk_widget_get_mapped (find_descendant (row, GTK_TYPE_LABEL, "Buy oat milk")));

  /* Leaving the field saves too. */
  activate (f, "win.rename");
  g_assert_true (find_descendant (row, GTK_TYPE_ENTRY, NULL) == entry);
  g_assert_true (gtk_widget_get_mapped (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), "Buy soy milk");
  gtk_widget_grab_focus (GTK_WIDGET (f->window->add_entry));
  roster_ui_test_spin ();
  g_assert_cmpstr (roster_task_get_title (task), ==, "Buy soy milk");
  g_assert_false (roster_task_row_get_editing (ROSTER_TASK_ROW (row)));
}

static void
test_next_previous_user (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");

  g_assert_true (f->window->user == bob);
  activate (f, "win.previous-user");
  g_assert_true (f->window->user == alice);
  activate (f, "win.next-user");
  g_assert_true (f->window->user == bob);
}

/* Every accelerator the window and the application bind is listed in the
 * shortcuts window, and nothing else is. */
static void
test_shortcuts_window (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/rosterapp/Roster/roster-shortcuts.ui");
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) bound = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSList) objects = gtk_builder_get_objects (builder);
  const RosterShortcut *shortcuts;
  guint n_shortcuts;

  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *accels = NULL;
      g_auto(GStrv) parts = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;
      g_object_get (l->data, "accelerator", &accels, NULL);
      parts = g_strsplit (accels, " ", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        {
          guint key;
          GdkModifierType mods;

          g_assert_true (gtk_accelerator_parse (parts[i], &key, &mods));
          g_ptr_array_add (listed, gtk_accelerator_name (key, mods));
        }
    }

  shortcuts = _roster_window_get_shortcuts (&n_shortcuts);
  for (guint i = 0; i < n_shortcuts; i++)
    {
      guint key;
      GdkModifierType mods;

      g_assert_true (gtk_accelerator_parse (shortcuts[i].accel, &key, &mods));
      g_ptr_array_add (bound, gtk_accelerator_name (key, mods));
    }
  /* Application accelerators (roster-application.c). */
  g_ptr_array_add (bound, g_strdup ("<Control>q"));

  g_assert_cmpuint (listed->len, ==, bound->len);
  for (guint i = 0; i < bound->len; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < listed->len && !found; j++)
        found = g_str_equal (g_ptr_array_index (bound, i), g_ptr_array_index (listed, j));
      if (!found)
        g_error ("%s is bound but not in the shortcuts window", (char *) g_ptr_array_index (bound, i));
    }
}

static void
test_details (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");
  g_autoptr(GListModel) bobs = user_tasks (f, bob);
  g_autoptr(RosterTask) task = NULL;
  GtkWidget *title;
  GtkWidget *notes;
  GtkWidget *owner;

  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  type_and_enter (f->window->add_entry, "Buy milk");
  task = g_object_ref (select_first_task (f));

  activate (f, "win.show-details");
  g_assert_true (adw_flap_get_reveal_flap (f->window->details_flap));
  g_assert_true (roster_task_details_get_task (f->window->details) == task);

  title = find_descendant (GTK_WIDGET (f->window->details), GTK_TYPE_ENTRY, NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (title)), ==, "Buy milk");
  type_and_enter (GTK_ENTRY (title), "Buy oat milk");
  g_assert_cmpstr (roster_task_get_title (task), ==, "Buy oat milk");

  /* An empty title is refused and kept in the field. */
  type_and_enter (GTK_ENTRY (title), "");
  g_assert_cmpstr (roster_task_get_title (task), ==, "Buy oat milk");
  g_assert_nonnull (find_descendant (GTK_WIDGET (f->window->details), GTK_TYPE_LABEL, "Type a title for the task."));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (title)), ==, "");
  gtk_editable_set_text (GTK_EDITABLE (title), "Buy oat milk");

  /* Notes are saved when the pane leaves the task. */
  notes = find_descendant (GTK_WIDGET (f->window->details), GTK_TYPE_TEXT_VIEW, NULL);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes)), "Two litres", -1);
  roster_task_details_set_task (f->window->details, NULL);
  g_assert_cmpstr (roster_task_get_notes (task), ==, "Two litres");

  /* Choosing another owner moves the task. */
  roster_task_details_set_task (f->window->details, task);
  owner = find_descendant (GTK_WIDGET (f->window->details), GTK_TYPE_DROP_DOWN, NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (owner), 1);
  roster_ui_test_spin ();
  g_assert_true (roster_task_get_owner (task) == bob);
  g_assert_cmpuint (g_list_model_get_n_items (bobs), ==, 1);
  g_assert_cmpuint (count_task_rows (f->window), ==, 0);
}

static void
test_tags_popover (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(GListModel) tags = NULL;
  g_autoptr(RosterCategory) work = NULL;
  RosterTask *task;
  GtkWidget *row;
  GtkWidget *popover;
  GtkWidget *entry;

  type_and_enter (f->window->add_entry, "Write report");
  task = select_first_task (f);
  tags = roster_store_list_task_categories (f->store, task);

  activate (f, "win.edit-tags");
  row = _roster_window_find_task_row (f->window, task);
  popover = find_descendant (row, ROSTER_TYPE_TAGS_POPOVER, NULL);
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_visible (popover));
  entry = find_descendant (popover, GTK_TYPE_ENTRY, NULL);

  /* A name that matches nothing creates the tag and tags the task. */
  type_and_enter (GTK_ENTRY (entry), "Work");
  work = roster_store_find_category (f->store, "Work");
  g_assert_nonnull (work);
  g_assert_cmpuint (g_list_model_get_n_items (tags), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_nonnull (find_chip (row, "Work"));
  g_assert_cmpuint (count_rows (sidebar_part (f->window, "tag_list")), ==, 1);

  /* Typing an existing name (any case) toggles it; the row's chips follow. */
  type_and_enter (GTK_ENTRY (entry), "work");
  g_assert_cmpuint (g_list_model_get_n_items (tags), ==, 0);
  g_assert_null (find_chip (row, "Work"));
  type_and_enter (GTK_ENTRY (entry), "WORK");
  g_assert_cmpuint (g_list_model_get_n_items (tags), ==, 1);
  g_assert_nonnull (find_chip (row, "Work"));

  /* Creating the tag and tagging the task is one undo step. */
  activate (f, "win.undo");
  activate (f, "win.undo");
  activate (f, "win.undo");
  g_assert_null (roster_store_find_category (f->store, "Work"));
  /* The window is destroyed with the popover open (see teardown). */
}

static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.rosterapp.Roster");
  g_autoptr(RosterUser) alice = NULL;
  g_autoptr(RosterUser) bob = NULL;
  int width, height;

  g_settings_set_int (settings, "window-width", 777);
  g_settings_set_int (settings, "window-height", 555);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  open_window (f);
  gtk_window_get_default_size (GTK_WINDOW (f->window), &width, &height);
  g_assert_cmpint (width, ==, 777);
  g_assert_cmpint (height, ==, 555);

  alice = add_user (f, "Alice");
  bob = add_user (f, "Bob");
  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  g_assert_cmpint (g_settings_get_int64 (settings, "last-user"), ==, roster_user_get_id (alice));

  gtk_window_set_default_size (GTK_WINDOW (f->window), 640, 480);
  gtk_window_close (GTK_WINDOW (f->window));
  roster_ui_test_spin ();
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 640);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 480);

  /* The next window on this file starts with the last selected user. */
  g_clear_object (&alice);
  g_clear_object (&bob);
  f->store = NULL;
  f->window = NULL;
  open_window (f);
  g_assert_nonnull (f->window->user);
  g_assert_cmpstr (roster_user_get_username (f->window->user), ==, "Alice");
}

/* Another program writes the file: after a refresh (the window runs one on a
 * timer and when it becomes active) the sidebar and the list follow. */
static void
test_external_changes (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterStore) other = roster_store_open (f->path, &error);
  g_autoptr(RosterUser) other_alice = NULL;
  g_autoptr(RosterUser) zed = NULL;
  g_autoptr(RosterTask) task = NULL;

  g_assert_no_error (error);
  other_alice = roster_store_find_user (other, "Alice");
  g_assert_nonnull (other_alice);
  zed = roster_store_create_user (other, "Zed", &error);
  g_assert_no_error (error);
  task = roster_store_create_task (other, other_alice, "Written elsewhere", &error);
  g_assert_no_error (error);

  g_assert_true (roster_store_refresh (f->store));
  roster_ui_test_spin ();
  g_assert_cmpuint (count_rows (sidebar_part (f->window, "user_list")), ==, 2);
  g_assert_cmpuint (count_task_rows (f->window), ==, 1);
  g_assert_true (f->window->user == alice);
}

/* Renaming re-sorts the sidebar (its row is replaced while it commits). */
static void
test_rename_user_in_place (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");
  GtkWidget *row;
  GtkWidget *entry;

  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  row = _roster_window_find_sidebar_row (f->window, G_OBJECT (alice));
  gtk_widget_grab_focus (row);
  roster_ui_test_spin ();
  activate (f, "win.rename");
  g_assert_true (roster_sidebar_row_get_editing (ROSTER_SIDEBAR_ROW (row)));
  entry = find_descendant (row, GTK_TYPE_ENTRY, NULL);

  /* A taken name is refused beside the field, which keeps it. */
  type_and_enter (GTK_ENTRY (entry), "Bob");
  g_assert_cmpstr (roster_user_get_username (alice), ==, "Alice");
  g_assert_nonnull (find_descendant (row, GTK_TYPE_LABEL, NULL));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Bob");

  type_and_enter (GTK_ENTRY (entry), "Zoe");
  g_assert_cmpstr (roster_user_get_username (alice), ==, "Zoe");
  row = _roster_window_find_sidebar_row (f->window, G_OBJECT (alice));
  g_assert_nonnull (row);
  g_assert_false (roster_sidebar_row_get_editing (ROSTER_SIDEBAR_ROW (row)));
  /* Sorted again, after Bob, and still selected. */
  g_assert_cmpuint (gtk_single_selection_get_selected (sidebar_selection (f->window, "user_list")), ==, 1);
  g_assert_true (f->window->user == alice);
  /* The keyboard stays where it was: on the renamed user. */
  g_assert_true (sidebar_row_has_focus (f, row));
}

static void
test_move_task_dialog (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");
  g_autoptr(GListModel) bobs = user_tasks (f, bob);
  AdwMessageDialog *dialog;
  RosterTask *task;

  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  type_and_enter (f->window->add_entry, "Buy milk");
  task = select_first_task (f);

  activate (f, "win.move-task");
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  /* The only other user is chosen already: Enter (or Move) gives it to Bob. */
  adw_message_dialog_response (dialog, "move");
  gtk_window_destroy (GTK_WINDOW (dialog));
  roster_ui_test_spin ();

  g_assert_true (roster_task_get_owner (task) == bob);
  g_assert_cmpuint (g_list_model_get_n_items (bobs), ==, 1);
  g_assert_cmpuint (count_task_rows (f->window), ==, 0);
  g_assert_cmpstr (adw_status_page_get_title (f->window->empty_page), ==, "No Tasks Yet");
}

static void
test_new_tag_and_color (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(RosterCategory) work = NULL;
  g_autoptr(GListModel) tags = roster_store_list_categories (f->store);

  activate (f, "win.new-tag");
  g_assert_true (gtk_revealer_get_reveal_child (sidebar_part (f->window, "new_tag_revealer")));
  type_and_enter (sidebar_part (f->window, "new_tag_entry"), "");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (sidebar_part (f->window, "new_tag_error"))));
  g_assert_cmpuint (g_list_model_get_n_items (tags), ==, 0);

  type_and_enter (sidebar_part (f->window, "new_tag_entry"), "Work");
  work = roster_store_find_category (f->store, "Work");
  g_assert_nonnull (work);
  g_assert_true (f->window->category == work);
  g_assert_cmpuint (count_rows (sidebar_part (f->window, "tag_list")), ==, 1);
  g_assert_cmpstr (adw_status_page_get_title (f->window->empty_page), ==, "No Tasks With This Tag");

  /* The tag's row shows its colour as a dot, which follows a new colour. */
  {
    GtkWidget *dot = find_descendant (_roster_window_find_sidebar_row (f->window, G_OBJECT (work)),
                                      ROSTER_TYPE_CHIP, NULL);
    GdkRGBA shown, expected;
    int width = 0;

    g_assert_nonnull (dot);
    g_assert_true (gtk_widget_get_visible (dot));
    gtk_widget_measure (dot, GTK_ORIENTATION_HORIZONTAL, -1, &width, NULL, NULL, NULL);
    g_assert_cmpint (width, ==, 16);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.tag-color", "s", "#e01b24"));
    roster_ui_test_spin ();
    g_assert_cmpstr (roster_category_get_color (work), ==, "#e01b24");
    roster_chip_get_color (ROSTER_CHIP (dot), &shown);
    g_assert_true (gdk_rgba_parse (&expected, "#e01b24"));
    g_assert_true (gdk_rgba_equal (&shown, &expected));
  }
}

/* Another program holds the file locked (a second connection's write
 * transaction), so the store's changes fail with ROSTER_ERROR_BUSY. */
static sqlite3 *
lock_file (Fixture *f)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  return db;
}

static void
unlock_file (sqlite3 *db)
{
  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* The queue every change of the window goes through. */
static RosterEditQueue *
edits (Fixture *f)
{
  return roster_edit_queue_get_for_store (f->store);
}

static guint
count_waiting (Fixture *f)
{
  return roster_edit_queue_get_n_waiting (edits (f));
}

/* The queue's own timer tries the waiting edits again every two seconds. */
static void
wait_until_saved (Fixture *f)
{
  for (guint i = 0; i < 200 && count_waiting (f) > 0; i++)
    {
      g_usleep (25000);
      roster_ui_test_spin ();
    }
  g_assert_cmpuint (count_waiting (f), ==, 0);
}

static void
assert_titles (GListModel *tasks,
               const char *expected)
{
  g_autoptr(GString) titles = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (tasks); i++)
    {
      g_autoptr(RosterTask) task = g_list_model_get_item (tasks, i);

      g_string_append_printf (titles, "%s%s", i > 0 ? ", " : "", roster_task_get_title (task));
    }
  g_assert_cmpstr (titles->str, ==, expected);
}

/* An edit that finds the file locked past the busy timeout is kept, the
 * banner says why, later edits queue behind it, and all are saved in order
 * once the file is free. */
static void
test_edits_wait_for_busy_file (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(GListModel) tasks = user_tasks (f, alice);
  RosterTask *first;
  sqlite3 *other;

  type_and_enter (f->window->add_entry, "Buy milk");
  first = select_first_task (f);
  gtk_widget_grab_focus (GTK_WIDGET (f->window->add_entry));
  /* A try gives up after 0.1 s here, not after the store's 5 s. (A retry
   * from the window's timer sets the store's 5 s back afterwards.) */
  roster_store_set_busy_timeout (f->store, 100);

  other = lock_file (f);
  type_and_enter (f->window->add_entry, "Walk the dog");
  g_assert_cmpuint (count_waiting (f), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 1);
  /* Kept, so the entry is ready for the next task; the banner says why. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->window->add_entry)), ==, "");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->window->add_error)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window->waiting_bar)));
  g_assert_true (gtk_info_bar_get_revealed (f->window->waiting_bar));
  g_assert_cmpstr (gtk_label_get_label (f->window->waiting_label), ==,
                   "The file is in use by another program. Your changes will be saved as soon as it is free.");
  /* Undo would undo a saved change from before the waiting ones. */
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.undo"));

  /* Later edits queue behind the first, in order. */
  type_and_enter (f->window->add_entry, "Pay rent");
  _roster_window_select_task (f->window, first, TRUE);
  roster_ui_test_spin ();
  activate (f, "win.toggle-done");
  g_assert_cmpuint (count_waiting (f), ==, 3);
  g_assert_false (roster_task_get_done (first));
  /* A blank title is still refused at once, beside the entry. */
  gtk_widget_grab_focus (GTK_WIDGET (f->window->add_entry));
  type_and_enter (f->window->add_entry, "  ");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window->add_error)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->window->add_entry)), ==, "  ");
  g_assert_cmpuint (count_waiting (f), ==, 3);
  gtk_editable_set_text (GTK_EDITABLE (f->window->add_entry), "");

  unlock_file (other);
  wait_until_saved (f);
  assert_titles (tasks, "Buy milk, Walk the dog, Pay rent");
  g_assert_true (roster_task_get_done (first));
  g_assert_cmpuint (count_task_rows (f->window), ==, 3);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->window->waiting_bar)));
  g_assert_true (_roster_window_action_is_enabled (f->window, "win.undo"));

  /* Closing while an edit waits: a last try, then a question. Waiting on
   * keeps the window and the edit, which is saved once the file is free. */
  roster_store_set_busy_timeout (f->store, 100);
  other = lock_file (f);
  type_and_enter (f->window->add_entry, "Call the plumber");
  gtk_window_close (GTK_WINDOW (f->window));
  roster_ui_test_spin ();
  {
    AdwMessageDialog *dialog = find_dialog ();

    g_assert_nonnull (dialog);
    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Changes Not Saved Yet");
    g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                     "The file is still in use by another program. "
                     "If you close the window now, 1 change is lost.");
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
    adw_message_dialog_response (dialog, "wait");
    gtk_window_destroy (GTK_WINDOW (dialog));
    roster_ui_test_spin ();
  }
  g_assert_cmpuint (count_waiting (f), ==, 1);
  unlock_file (other);
  wait_until_saved (f);
  assert_titles (tasks, "Buy milk, Walk the dog, Pay rent, Call the plumber");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));

  /* Saved while the question is still open: it goes, and so does the
   * window, as it was asked to. */
  roster_store_set_busy_timeout (f->store, 100);
  other = lock_file (f);
  type_and_enter (f->window->add_entry, "Fix the gate");
  gtk_window_close (GTK_WINDOW (f->window));
  roster_ui_test_spin ();
  g_assert_nonnull (find_dialog ());
  {
    RosterWindow *window = f->window;

    g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
    unlock_file (other);
    for (guint i = 0; i < 200 && window != NULL; i++)
      {
        g_usleep (25000);
        roster_ui_test_spin ();
      }
    g_assert_null (window);
    g_assert_null (find_dialog ());
    f->window = NULL;
  }
  assert_titles (tasks, "Buy milk, Walk the dog, Pay rent, Call the plumber, Fix the gate");
}

/* A try from the window's timer gives up on a still-locked file after
 * 0.1 s, not after the store's 5 s: the window does not freeze for five
 * seconds out of every seven while another program holds the file. */
static void
test_edits_retry_briefly (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(GListModel) tasks = user_tasks (f, alice);
  gint64 longest = 0;
  gint64 end;
  sqlite3 *other;

  /* The person's own try waits the whole busy timeout; shortened here only
   * so that the test does not wait 5 s for it. */
  roster_store_set_busy_timeout (f->store, 100);
  other = lock_file (f);
  type_and_enter (f->window->add_entry, "Buy milk");
  g_assert_cmpuint (count_waiting (f), ==, 1);
  g_assert_true (roster_edit_queue_get_retry_pending (edits (f)));
  g_assert_cmpuint (roster_edit_queue_get_n_retries (edits (f)), ==, 0);
  /* As when the window opened the file. */
  roster_store_set_busy_timeout (f->store, 5000);

  /* The timer's try (two seconds later) fails on the locked file quickly. */
  end = g_get_monotonic_time () + 2600 * 1000;
  while (g_get_monotonic_time () < end)
    {
      gint64 start = g_get_monotonic_time ();

      g_main_context_iteration (NULL, FALSE);
      longest = MAX (longest, g_get_monotonic_time () - start);
      g_usleep (5000);
    }
  /* It tried once, failed, and armed the timer again for the next try. */
  g_assert_cmpuint (roster_edit_queue_get_n_retries (edits (f)), ==, 1);
  g_assert_true (roster_edit_queue_get_retry_pending (edits (f)));
  g_assert_cmpuint (count_waiting (f), ==, 1);
  g_assert_cmpint (longest, <, G_USEC_PER_SEC);

  unlock_file (other);
  wait_until_saved (f);
  assert_titles (tasks, "Buy milk");
}

/* Runs the main loop until the store is done with its big change. */
static void
wait_until_done (Fixture *f)
{
  for (guint i = 0; i < 3000 && _roster_window_is_working (f->window); i++)
    {
      g_usleep (10000);
      roster_ui_test_spin ();
    }
  g_assert_false (_roster_window_is_working (f->window));
  roster_ui_test_spin ();
}

/* What a second connection to the file counts: the file, not the store. */
static gint64
count_in_file (Fixture    *f,
               const char *sql,
               gint64      id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (strchr (sql, '?') != NULL)
    sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

#define N_BIG 2000

/* Deleting a user who owns thousands of tasks runs off the main thread: a
 * bar says so and how far it got, the window stays in use, edits made
 * meanwhile are saved after it, and undo brings every task back the same
 * way. Closing the window meanwhile waits for the change. */
static void
test_delete_user_big (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");
  g_autoptr(GListModel) alices = user_tasks (f, alice);
  g_autoptr(GListModel) bobs = user_tasks (f, bob);
  g_autoptr(GError) error = NULL;
  gint64 alice_id = roster_user_get_id (alice);
  RosterWindow *window;
  AdwMessageDialog *dialog;
  sqlite3 *other;

  /* Alice's tasks in one batch, as an import would make them. */
  roster_store_begin_batch (f->store, "Import");
  for (guint i = 0; i < N_BIG; i++)
    {
      g_autofree char *title = g_strdup_printf ("Task %04u", i);

      g_object_unref (roster_store_create_task (f->store, alice, title, &error));
      g_assert_no_error (error);
    }
  g_assert_true (roster_store_commit_batch (f->store, &error));
  g_assert_no_error (error);
  g_object_unref (roster_store_create_task (f->store, bob, "Fix the bike", &error));
  g_assert_no_error (error);
  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  g_assert_cmpuint (g_list_model_get_n_items (alices), ==, N_BIG);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM task WHERE owner_id = ?", alice_id), ==, N_BIG);

  /* Another program holds the file for a moment, so the worker waits for it
   * and the test sees the window while the change runs (alone, it takes a
   * fraction of a second). */
  other = lock_file (f);

  gtk_widget_grab_focus (_roster_window_find_sidebar_row (f->window, G_OBJECT (alice)));
  roster_ui_test_spin ();
  activate (f, "win.delete");
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Right after: the store works in its thread, the bar says on what. */
  g_assert_true (roster_store_get_working (f->store));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window->work_bar)));
  g_assert_true (gtk_info_bar_get_revealed (f->window->work_bar));
  g_assert_cmpstr (gtk_label_get_label (f->window->work_label), ==, "Deleting “Alice”…");
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.undo"));
  /* On screen once the bar has slid in. */
  for (guint i = 0; i < 100 && !gtk_widget_get_mapped (GTK_WIDGET (f->window->work_progress)); i++)
    {
      g_usleep (10000);
      roster_ui_test_spin ();
    }
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->window->work_progress)));
  g_assert_true (roster_store_get_working (f->store));

  /* The window stays in use (and the file is read) while the change waits:
   * Alice's list scrolls, Find finds, and its result shows another user's
   * list. Quickly: the worker waits only 5 s for the lock (switching lists
   * takes seconds under a sanitizer). */
  gtk_widget_activate_action (GTK_WIDGET (f->window->task_list), "list.scroll-to-item", "u", 150);
  roster_ui_test_spin ();
  {
    g_autoptr(RosterTask) task = g_list_model_get_item (alices, 150);

    g_assert_nonnull (_roster_window_find_task_row (f->window, task));
  }
  activate (f, "win.find");
  g_assert_cmpuint (g_list_model_get_n_items (search (f, "bike")), ==, 1);
  g_signal_emit_by_name (find_entry (f), "activate");
  roster_ui_test_spin ();
  g_assert_true (f->window->user == bob);
  g_assert_cmpuint (count_task_rows (f->window), ==, 1);
  g_assert_true (roster_store_get_working (f->store));

  /* An edit meanwhile waits for the big change, and the banner says why. */
  gtk_widget_grab_focus (GTK_WIDGET (f->window->add_entry));
  type_and_enter (f->window->add_entry, "Call the plumber");
  g_assert_cmpuint (count_waiting (f), ==, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window->waiting_bar)));
  g_assert_cmpstr (gtk_label_get_label (f->window->waiting_label), ==,
                   "Roster is busy with a big change. Your changes will be saved as soon as it is done.");
  g_assert_cmpuint (g_list_model_get_n_items (bobs), ==, 1);
  save_screenshot (f, "big-delete");
  /* Still waiting for the lock, not given up on it (which would keep the
   * deletion and try again later, without a toast). */
  g_assert_true (roster_edit_queue_get_deleting_user (edits (f)) == alice);

  unlock_file (other);
  wait_until_done (f);

  /* Done: Alice and her tasks are gone, then the waiting edit was saved. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->window->work_bar)));
  g_assert_null (roster_store_find_user (f->store, "Alice"));
  g_assert_cmpuint (count_rows (sidebar_part (f->window, "user_list")), ==, 1);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM task WHERE owner_id = ?", alice_id), ==, 0);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM user WHERE id = ?", alice_id), ==, 0);
  g_assert_cmpuint (count_waiting (f), ==, 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->window->waiting_bar)));
  assert_titles (bobs, "Fix the bike, Call the plumber");
  g_assert_nonnull (f->window->change_toast);
  g_assert_cmpstr (adw_toast_get_title (f->window->change_toast), ==, "“Alice” deleted");
  g_assert_true (_roster_window_action_is_enabled (f->window, "win.undo"));

  /* Undo: the plumber first (small, at once), then Alice with every task,
   * in the worker again. */
  activate (f, "win.undo");
  assert_titles (bobs, "Fix the bike");
  activate (f, "win.undo");
  g_assert_true (roster_store_get_working (f->store));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window->work_bar)));
  g_assert_cmpstr (gtk_label_get_label (f->window->work_label), ==, "Undoing: Delete user “Alice”…");
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.undo"));
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.redo"));

  /* Closing now would lose it with the application: the window stays,
   * says so, and closes once the change is saved. */
  window = f->window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (window->close_when_done);
  g_assert_cmpstr (gtk_label_get_label (window->work_label), ==,
                   "Undoing: Delete user “Alice”… Roster closes as soon as it is done.");
  for (guint i = 0; i < 3000 && window != NULL; i++)
    {
      g_usleep (10000);
      roster_ui_test_spin ();
    }
  g_assert_null (window);
  f->window = NULL;

  /* Every task is back, in the store (kept open by its lists here) and in
   * the file. */
  {
    g_autoptr(RosterUser) back = roster_store_find_user (f->store, "Alice");

    g_assert_true (back == alice);
  }
  g_assert_cmpuint (g_list_model_get_n_items (alices), ==, N_BIG);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM task WHERE owner_id = ?", alice_id), ==, N_BIG);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM task", 0), ==, N_BIG + 1);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM user WHERE id = ?", alice_id), ==, 1);
}

/* The error @widget shows, or NULL: the widgets' error labels are
 * GtkLabel.error, hidden when there is nothing to say. */
static const char *
shown_error (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *error;

      if (GTK_IS_LABEL (child) && gtk_widget_has_css_class (child, "error") &&
          gtk_widget_get_visible (child))
        return gtk_label_get_label (GTK_LABEL (child));
      if ((error = shown_error (child)) != NULL)
        return error;
    }
  return NULL;
}

/* Edits wait: the banner says so, and @widget shows no error. */
static void
assert_waiting (Fixture   *f,
                GtkWidget *widget,
                guint      n_waiting)
{
  g_assert_cmpuint (count_waiting (f), ==, n_waiting);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window->waiting_bar)));
  g_assert_true (gtk_info_bar_get_revealed (f->window->waiting_bar));
  g_assert_cmpstr (gtk_label_get_label (f->window->waiting_label), ==,
                   "The file is in use by another program. Your changes will be saved as soon as it is free.");
  g_assert_null (shown_error (widget));
}

/* @text is on screen in @widget, as a label (not in an entry). */
static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  GtkWidget *label = find_descendant (widget, GTK_TYPE_LABEL, text);

  return label != NULL && gtk_widget_get_mapped (label);
}

/* @task dropped on @widget, as at the end of a drag. */
static gboolean
drop_task (GtkWidget  *widget,
           RosterTask *task)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  GValue value = G_VALUE_INIT;
  gboolean dropped = FALSE;

  g_value_init (&value, ROSTER_TYPE_TASK);
  g_value_set_object (&value, task);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        g_signal_emit_by_name (controller, "drop", &value, 1.0, 1.0, &dropped);
    }
  g_value_unset (&value);
  roster_ui_test_spin ();
  return dropped;
}

/* What a task row changes waits for a busy file like the window's own
 * edits: the check stays ticked, a rename shows the new title, a drop is
 * taken, no error is shown, and all are saved, in order, once it is free. */
static void
test_edits_row_wait_for_busy_file (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");
  g_autoptr(GListModel) alices = user_tasks (f, alice);
  g_autoptr(GListModel) bobs = user_tasks (f, bob);
  g_autoptr(RosterTask) chore = NULL;
  g_autoptr(RosterTask) task = NULL;
  GtkWidget *row;
  GtkWidget *check;
  GtkWidget *entry;
  sqlite3 *other;

  _roster_window_select_user (f->window, bob);
  roster_ui_test_spin ();
  type_and_enter (f->window->add_entry, "Walk the dog");
  chore = g_list_model_get_item (bobs, 0);
  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  type_and_enter (f->window->add_entry, "Buy milk");
  task = g_object_ref (select_first_task (f));
  row = _roster_window_find_task_row (f->window, task);
  check = find_descendant (row, GTK_TYPE_CHECK_BUTTON, NULL);

  roster_store_set_busy_timeout (f->store, 100);
  other = lock_file (f);

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  roster_ui_test_spin ();
  assert_waiting (f, row, 1);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_assert_false (roster_task_get_done (task));

  activate (f, "win.rename");
  /* The row makes its rename field when it is first needed. */
  entry = find_descendant (row, GTK_TYPE_ENTRY, NULL);
  type_and_enter (GTK_ENTRY (entry), "Buy oat milk");
  assert_waiting (f, row, 2);
  g_assert_false (roster_task_row_get_editing (ROSTER_TASK_ROW (row)));
  g_assert_true (shows_label (row, "Buy oat milk"));
  g_assert_cmpstr (roster_task_get_title (task), ==, "Buy milk");

  /* Renamed again while the first waits: F2 starts from the title shown,
   * and the second name is saved after the first. */
  activate (f, "win.rename");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Buy oat milk");
  type_and_enter (GTK_ENTRY (entry), "Buy soy milk");
  assert_waiting (f, row, 3);
  g_assert_true (shows_label (row, "Buy soy milk"));

  /* Bob's task dropped on this row becomes Alice's, at its place. */
  g_assert_true (drop_task (row, chore));
  assert_waiting (f, row, 4);
  g_assert_true (roster_task_get_owner (chore) == bob);

  /* The rows go (another user is shown) while the edits wait: they hold
   * the tasks, not the rows. */
  _roster_window_select_user (f->window, bob);
  roster_ui_test_spin ();
  unlock_file (other);
  wait_until_saved (f);
  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->window->waiting_bar)));
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM task WHERE title = 'Buy soy milk' AND done = 1", 0), ==, 1);
  g_assert_cmpint (count_in_file (f, "SELECT owner_id FROM task WHERE id = ?", roster_task_get_id (chore)), ==,
                   roster_user_get_id (alice));
  assert_titles (alices, "Walk the dog, Buy soy milk");
  g_assert_cmpuint (g_list_model_get_n_items (bobs), ==, 0);
  row = _roster_window_find_task_row (f->window, task);
  g_assert_true (shows_label (row, "Buy soy milk"));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (find_descendant (row, GTK_TYPE_CHECK_BUTTON, NULL))));
}

/* Renames @item (a user or a tag) in its sidebar row: selected, F2, the
 * name typed, Enter. Returns the row. */
static GtkWidget *
rename_in_sidebar (Fixture    *f,
                   GObject    *item,
                   const char *name)
{
  GtkWidget *row;

  if (ROSTER_IS_USER (item))
    _roster_window_select_user (f->window, ROSTER_USER (item));
  else
    _roster_window_select_category (f->window, ROSTER_CATEGORY (item));
  roster_ui_test_spin ();
  row = _roster_window_find_sidebar_row (f->window, item);
  gtk_widget_grab_focus (row);
  roster_ui_test_spin ();
  activate (f, "win.rename");
  g_assert_true (roster_sidebar_row_get_editing (ROSTER_SIDEBAR_ROW (row)));
  type_and_enter (GTK_ENTRY (find_descendant (row, GTK_TYPE_ENTRY, NULL)), name);
  return row;
}

/* The same for the sidebar: a task dropped on a user, a user and a tag
 * renamed. A rename refused once its turn comes is said, and the row shows
 * the name in the file again. Undo then takes the saved ones back in order. */
static void
test_edits_sidebar_wait_for_busy_file (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterUser) bob = add_user (f, "Bob");
  g_autoptr(RosterUser) carol = add_user (f, "Carol");
  g_autoptr(GListModel) carols = user_tasks (f, carol);
  g_autoptr(RosterCategory) work = NULL;
  RosterTask *task;
  GtkWidget *row;
  gint64 task_id;
  sqlite3 *other;

  activate (f, "win.new-tag");
  type_and_enter (sidebar_part (f->window, "new_tag_entry"), "Work");
  work = roster_store_find_category (f->store, "Work");
  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  type_and_enter (f->window->add_entry, "Write report");
  task = select_first_task (f);
  task_id = roster_task_get_id (task);

  roster_store_set_busy_timeout (f->store, 100);
  other = lock_file (f);

  row = _roster_window_find_sidebar_row (f->window, G_OBJECT (carol));
  g_assert_true (drop_task (row, task));
  assert_waiting (f, row, 1);
  g_assert_true (roster_task_get_owner (task) == alice);

  row = rename_in_sidebar (f, G_OBJECT (alice), "Amy");
  assert_waiting (f, row, 2);
  g_assert_false (roster_sidebar_row_get_editing (ROSTER_SIDEBAR_ROW (row)));
  g_assert_true (shows_label (row, "Amy"));
  g_assert_cmpstr (roster_user_get_username (alice), ==, "Alice");

  /* Bob asks for the same name after her. */
  row = rename_in_sidebar (f, G_OBJECT (bob), "Amy");
  assert_waiting (f, row, 3);
  g_assert_true (shows_label (row, "Amy"));

  row = rename_in_sidebar (f, G_OBJECT (work), "Job");
  assert_waiting (f, row, 4);
  g_assert_true (shows_label (row, "Job"));

  unlock_file (other);
  wait_until_saved (f);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM user WHERE username IN ('Amy', 'Bob', 'Carol')", 0), ==, 3);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM category WHERE name = 'Job'", 0), ==, 1);
  g_assert_cmpint (count_in_file (f, "SELECT owner_id FROM task WHERE id = ?", task_id), ==, roster_user_get_id (carol));
  g_assert_cmpuint (g_list_model_get_n_items (carols), ==, 1);
  g_assert_true (shows_label (_roster_window_find_sidebar_row (f->window, G_OBJECT (alice)), "Amy"));
  g_assert_true (shows_label (_roster_window_find_sidebar_row (f->window, G_OBJECT (bob)), "Bob"));
  g_assert_true (shows_label (_roster_window_find_sidebar_row (f->window, G_OBJECT (work)), "Job"));

  activate (f, "win.undo");
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM category WHERE name = 'Work'", 0), ==, 1);
  activate (f, "win.undo");
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM user WHERE username = 'Alice'", 0), ==, 1);
  activate (f, "win.undo");
  g_assert_cmpint (count_in_file (f, "SELECT owner_id FROM task WHERE id = ?", task_id), ==, roster_user_get_id (alice));
}

/* The same for the details pane (the title, the notes and the due date keep
 * what was asked for) and its tags popover (a tag ticked, a new tag made for
 * the task: one undo step once saved). */
static void
test_edits_details_wait_for_busy_file (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(GDateTime) due = g_date_time_new_utc (2031, 5, 17, 0, 0, 0);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *due_text = roster_messages_format_due_date (due, now);
  GtkWidget *details;
  RosterTask *task;
  GtkWidget *title;
  GtkWidget *notes;
  GtkWidget *tags_button;
  GtkWidget *popover;
  GtkWidget *check;
  GtkWidget *entry;
  gint64 task_id;
  sqlite3 *other;

  activate (f, "win.new-tag");
  type_and_enter (sidebar_part (f->window, "new_tag_entry"), "Work");
  _roster_window_select_user (f->window, alice);
  roster_ui_test_spin ();
  type_and_enter (f->window->add_entry, "Buy milk");
  task = select_first_task (f);
  task_id = roster_task_get_id (task);
  activate (f, "win.show-details");
  details = GTK_WIDGET (f->window->details);
  title = find_descendant (details, GTK_TYPE_ENTRY, NULL);
  notes = find_descendant (details, GTK_TYPE_TEXT_VIEW, NULL);

  roster_store_set_busy_timeout (f->store, 100);
  other = lock_file (f);

  gtk_widget_grab_focus (title);
  type_and_enter (GTK_ENTRY (title), "Buy oat milk");
  assert_waiting (f, details, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (title)), ==, "Buy oat milk");
  g_assert_cmpstr (roster_task_get_title (task), ==, "Buy milk");

  /* Leaving the field asks for the same title again: it waits once. The
   * notes are saved when their view is left. */
  gtk_widget_grab_focus (notes);
  roster_ui_test_spin ();
  assert_waiting (f, details, 1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes)), "Two litres", -1);
  gtk_widget_grab_focus (title);
  roster_ui_test_spin ();
  assert_waiting (f, details, 2);

  gtk_calendar_select_day (GTK_CALENDAR (find_descendant (details, GTK_TYPE_CALENDAR, NULL)), due);
  roster_ui_test_spin ();
  assert_waiting (f, details, 3);
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (find_descendant (details, GTK_TYPE_MENU_BUTTON, NULL))),
                   ==, due_text);
  g_assert_null (roster_task_get_due_date (task));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (title)), ==, "Buy oat milk");

  /* The tags popover: a tag ticked stays ticked; a new tag is kept like a
   * saved one, so the entry is ready for the next. */
  tags_button = gtk_widget_get_ancestor (find_descendant (details, GTK_TYPE_LABEL, "Edit Tags…"), GTK_TYPE_MENU_BUTTON);
  gtk_menu_button_popup (GTK_MENU_BUTTON (tags_button));
  roster_ui_test_spin ();
  popover = find_descendant (details, ROSTER_TYPE_TAGS_POPOVER, NULL);
  g_assert_nonnull (popover);
  check = find_descendant (popover, GTK_TYPE_CHECK_BUTTON, NULL);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  roster_ui_test_spin ();
  assert_waiting (f, popover, 4);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  entry = find_descendant (popover, GTK_TYPE_ENTRY, NULL);
  type_and_enter (GTK_ENTRY (entry), "Home");
  assert_waiting (f, popover, 5);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_null (roster_store_find_category (f->store, "Home"));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (tags_button));
  roster_ui_test_spin ();

  unlock_file (other);
  wait_until_saved (f);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM task WHERE id = ? AND title = 'Buy oat milk' "
                                     "AND notes = 'Two litres' AND due_date = '2031-05-17'", task_id), ==, 1);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM taskcategorylink l JOIN category c ON c.id = l.category_id "
                                     "WHERE l.task_id = ? AND c.name IN ('Work', 'Home')", task_id), ==, 2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (title)), ==, "Buy oat milk");
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (find_descendant (details, GTK_TYPE_MENU_BUTTON, NULL))),
                   ==, due_text);

  /* The new tag and the tag on the task go back in one step. */
  activate (f, "win.undo");
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM category WHERE name = 'Home'", 0), ==, 0);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM taskcategorylink WHERE task_id = ?", task_id), ==, 1);
}

/* Told that a waiting edit would be lost, the person may close anyway. */
static void
test_edits_discarded_on_close (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  RosterWindow *window = f->window;
  AdwMessageDialog *dialog;
  sqlite3 *other;

  roster_store_set_busy_timeout (f->store, 100);
  other = lock_file (f);
  type_and_enter (f->window->add_entry, "Buy milk");
  g_assert_cmpuint (count_waiting (f), ==, 1);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (f->window));
  roster_ui_test_spin ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_test_expect_message ("roster-edit-queue", G_LOG_LEVEL_MESSAGE, "*an edit was not saved (Buy milk)*");
  adw_message_dialog_response (dialog, "discard");
  roster_ui_test_spin ();
  g_test_assert_expected_messages ();
  g_assert_null (window);
  f->window = NULL;
  unlock_file (other);
}

/* At 360 px the sidebar folds away and the details open in a dialog. */
static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  RosterTask *task;
  GtkWidget *details;
  sqlite3 *other;

  type_and_enter (f->window->add_entry, "Buy milk");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  for (guint i = 0; i < 50 && !adw_flap_get_folded (f->window->sidebar_flap); i++)
    {
      g_usleep (10000);
      roster_ui_test_spin ();
    }
  g_assert_true (adw_flap_get_folded (f->window->sidebar_flap));

  task = select_first_task (f);
  activate (f, "win.show-details");
  g_assert_nonnull (f->window->details_dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window->details_dialog)));
  details = adw_window_get_content (ADW_WINDOW (f->window->details_dialog));
  g_assert_true (roster_task_details_get_task (ROSTER_TASK_DETAILS (details)) == task);

  /* The dialog's edits wait for a busy file like the pane's. */
  roster_store_set_busy_timeout (f->store, 100);
  other = lock_file (f);
  type_and_enter (GTK_ENTRY (find_descendant (details, GTK_TYPE_ENTRY, NULL)), "Buy oat milk");
  assert_waiting (f, details, 1);
  unlock_file (other);
  wait_until_saved (f);
  g_assert_cmpint (count_in_file (f, "SELECT count(*) FROM task WHERE title = 'Buy oat milk'", 0), ==, 1);

  gtk_window_close (f->window->details_dialog);
  roster_ui_test_spin ();
  g_assert_null (f->window->details_dialog);

  /* F9 brings the sidebar over the content, and takes it away again. */
  activate (f, "win.toggle-sidebar");
  g_assert_true (adw_flap_get_reveal_flap (f->window->sidebar_flap));
  activate (f, "win.toggle-sidebar");
  g_assert_false (adw_flap_get_reveal_flap (f->window->sidebar_flap));
}

/* Row widgets the task list has made, bound or not. */
static guint
count_task_row_widgets (RosterWindow *window)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (window->task_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += gtk_widget_get_first_child (child) != NULL &&
         ROSTER_IS_TASK_ROW (gtk_widget_get_first_child (child));
  return n;
}

/* Whether the rows @list made reach the bottom of its scrolled window: no
 * empty space under a long list. */
static gboolean
list_fills_scroller (GtkWidget *list)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW);
  float bottom = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t bounds;

      if (gtk_widget_get_child_visible (child) && gtk_widget_compute_bounds (child, scroller, &bounds))
        bottom = MAX (bottom, bounds.origin.y + bounds.size.height);
    }
  return gtk_widget_get_height (scroller) > 0 && bottom >= gtk_widget_get_height (scroller);
}

static void
on_first_paint_cb (GdkFrameClock *clock,
                   RosterWindow  *window)
{
  if (g_object_get_data (G_OBJECT (window), "rows-at-first-paint") != NULL)
    return;
  g_object_set_data (G_OBJECT (window), "rows-at-first-paint",
                     GUINT_TO_POINTER (count_task_row_widgets (window)));
  g_object_set_data (G_OBJECT (window), "lists-full-at-first-paint",
                     GINT_TO_POINTER (list_fills_scroller (GTK_WIDGET (sidebar_part (window, "user_list"))) &&
                                      list_fills_scroller (GTK_WIDGET (sidebar_part (window, "tag_list"))) &&
                                      list_fills_scroller (GTK_WIDGET (window->task_list))));
}

/* @popover is a shown menu of @model, with an item labelled @label (as
 * written, mnemonic included); closes it. */
static void
assert_menu_open (GtkWidget  *popover,
                  GMenuModel *model,
                  const char *label)
{
  g_assert_nonnull (popover);
  g_assert_true (GTK_IS_POPOVER_MENU (popover));
  g_assert_true (gtk_widget_get_visible (popover));
  g_assert_true (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover)) == model);
  g_assert_nonnull (find_descendant (popover, GTK_TYPE_LABEL, label));
  gtk_popover_popdown (GTK_POPOVER (popover));
  roster_ui_test_spin ();
}

/* The main menu and the context menus: F10 and the Menu key (win.main-menu,
 * win.context-menu) open them, for the task, the user and the tag the
 * keyboard is on. */
static void
test_menus (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(RosterUser) alice = add_user (f, "Alice");
  g_autoptr(RosterCategory) home = NULL;
  g_autoptr(GError) error = NULL;
  RosterTask *task;

  home = roster_store_create_category (f->store, "Home", NULL, &error);
  g_assert_no_error (error);
  type_and_enter (f->window->add_entry, "Buy milk");
  task = select_first_task (f);
  g_assert_cmpstr (roster_task_get_title (task), ==, "Buy milk");

  /* The main menu is made when first opened; the right-click menus once the
   * lists are whole (/window/first-frame: not before the first frame). */
  g_assert_null (gtk_menu_button_get_popover (f->window->menu_button));
  g_assert_nonnull (f->window->task_popover);
  g_assert_nonnull (f->window->user_popover);
  g_assert_nonnull (f->window->tag_popover);

  activate (f, "win.main-menu");
  assert_menu_open (GTK_WIDGET (gtk_menu_button_get_popover (f->window->menu_button)),
                    f->window->main_menu, "_Keyboard Shortcuts");

  gtk_widget_grab_focus (_roster_window_find_task_row (f->window, task));
  roster_ui_test_spin ();
  activate (f, "win.context-menu");
  assert_menu_open (f->window->task_popover, f->window->task_menu, "Re_name");

  gtk_widget_grab_focus (_roster_window_find_sidebar_row (f->window, G_OBJECT (alice)));
  roster_ui_test_spin ();
  activate (f, "win.context-menu");
  assert_menu_open (f->window->user_popover, f->window->user_menu, "Re_name");

  _roster_window_select_category (f->window, home);
  roster_ui_test_spin ();
  gtk_widget_grab_focus (_roster_window_find_sidebar_row (f->window, G_OBJECT (home)));
  roster_ui_test_spin ();
  activate (f, "win.context-menu");
  assert_menu_open (f->window->tag_popover, f->window->tag_menu, "_Colour");
}

/* A big file: the first frame makes a screenful of rows, not the hundreds
 * GTK 4.8 makes for a whole list; then every row is there to scroll to, and
 * a user far down the sidebar can be chosen at once. */
static void
test_first_frame (Fixture       *f,
                  gconstpointer  data)
{
  const guint n_users = 300, n_tags = 60, n_tasks = 400;
  g_autoptr(GError) error = NULL;
  RosterWindow *other;
  guint first_screen;

  {
    g_autoptr(RosterStore) store = roster_store_open (f->path, &error);

    g_assert_no_error (error);
    roster_store_begin_batch (store, "Import");
    for (guint i = 0; i < n_users; i++)
      {
        g_autofree char *name = g_strdup_printf ("user%03u", i);
        g_autoptr(RosterUser) user = roster_store_create_user (store, name, &error);

        g_assert_no_error (error);
        for (guint j = 0; i == 0 && j < n_tasks; j++)
          {
            g_autofree char *title = g_strdup_printf ("Task %03u", j);

            g_object_unref (roster_store_create_task (store, user, title, &error));
            g_assert_no_error (error);
          }
      }
    for (guint i = 0; i < n_tags; i++)
      {
        g_autofree char *name = g_strdup_printf ("tag%02u", i);

        g_object_unref (roster_store_create_category (store, name, NULL, &error));
        g_assert_no_error (error);
      }
    g_assert_true (roster_store_commit_batch (store, &error));
  }

  f->window = roster_window_new (NULL, f->path);
  f->store = roster_window_get_store (f->window);
  /* Nothing the first frame does not show: no menu yet. */
  g_assert_null (f->window->task_popover);
  g_assert_null (f->window->user_popover);
  g_assert_null (f->window->tag_popover);
  g_assert_null (gtk_menu_button_get_popover (f->window->menu_button));
  first_screen = g_list_model_get_n_items (G_LIST_MODEL (f->window->task_selection));
  g_assert_cmpuint (first_screen, >=, 480 / 60);
  g_assert_cmpuint (first_screen, <, 60);
  /* The sidebar's lists share its height: together, about a window's
   * height of 38 px rows (the window is as high as earlier tests left it). */
  {
    int width = 0, height = 0;

    gtk_window_get_default_size (GTK_WINDOW (f->window), &width, &height);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sidebar_selection (f->window, "user_list"))) +
                      g_list_model_get_n_items (G_LIST_MODEL (sidebar_selection (f->window, "tag_list"))), <=,
                      MAX (height, 480) / 38 + 2);
  }

  /* The first frame. */
  gtk_window_present (GTK_WINDOW (f->window));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (f->window)), "after-paint",
                    G_CALLBACK (on_first_paint_cb), f->window);
  for (guint i = 0; i < 500 && g_object_get_data (G_OBJECT (f->window), "rows-at-first-paint") == NULL; i++)
    {
      g_usleep (2000);
      roster_ui_test_spin ();
    }
  g_assert_cmpuint (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f->window), "rows-at-first-paint")), >, 0);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f->window), "rows-at-first-paint")), <=, first_screen);
  /* Yet no list shows an empty space at its end (these tasks have a title
   * only: the shortest task rows). */
  g_assert_true (g_object_get_data (G_OBJECT (f->window), "lists-full-at-first-paint"));

  /* Then the whole lists, a few rows a frame. */
  for (guint i = 0; i < 500 && f->window->grow_tick != 0; i++)
    {
      g_usleep (2000);
      roster_ui_test_spin ();
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->window->task_selection)), ==, n_tasks);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sidebar_selection (f->window, "user_list"))), ==, n_users);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sidebar_selection (f->window, "tag_list"))), ==, n_tags);
  gtk_widget_activate_action (GTK_WIDGET (f->window->task_list), "list.scroll-to-item", "u", n_tasks - 1);
  roster_ui_test_spin ();
  {
    g_autoptr(RosterTask) last = g_list_model_get_item (G_LIST_MODEL (f->window->filtered_tasks), n_tasks - 1);

    g_assert_cmpstr (roster_task_get_title (last), ==, "Task 399");
    g_assert_nonnull (_roster_window_find_task_row (f->window, last));
  }

  /* Before its first frame, a window selects the last user all the same. */
  other = roster_window_new (NULL, f->path);
  {
    g_autoptr(RosterUser) last = roster_store_find_user (roster_window_get_store (other), "user299");

    _roster_window_select_user (other, last);
    g_assert_cmpuint (gtk_single_selection_get_selected (sidebar_selection (other, "user_list")), ==, n_users - 1);
    g_assert_true (gtk_single_selection_get_selected_item (sidebar_selection (other, "user_list")) == (gpointer) last);
  }
  gtk_window_destroy (GTK_WINDOW (other));
  roster_ui_test_spin ();

  /* A key pressed in a list before the lists are whole (End, say) finds
   * them whole. */
  other = roster_window_new (NULL, f->path);
  {
    g_autoptr(RosterUser) first = roster_store_find_user (roster_window_get_store (other), "user000");

    _roster_window_select_user (other, first);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other->task_selection)), ==, first_screen);
  g_assert_false (roster_ui_test_press_key (GTK_WIDGET (other->task_list), GDK_KEY_End));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other->task_selection)), ==, n_tasks);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sidebar_selection (other, "user_list"))), ==, n_users);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sidebar_selection (other, "tag_list"))), ==, n_tags);
  gtk_window_destroy (GTK_WINDOW (other));
  roster_ui_test_spin ();
}

int
main (int   argc,
      char *argv[])
{
  /* Without xvfb-run (see meson.build) and without a display: skip (77). */
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display; install xvfb\n");
      return 77;
    }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/window/open/creates-file", test_open_creates_file);
  g_test_add ("/window/open/damaged-file", Fixture, GINT_TO_POINTER (1), setup, test_open_damaged_file, teardown);
  g_test_add ("/window/open/damaged-while-open", Fixture, GINT_TO_POINTER (1), setup,
              test_damaged_while_open, teardown);
  g_test_add ("/window/open/damaged-file-restore", Fixture, GINT_TO_POINTER (1), setup,
              test_open_damaged_file_restore, teardown);
  ADD ("/window/users/add", test_add_user);
  ADD ("/window/users/duplicate", test_add_user_duplicate);
  ADD ("/window/users/next-previous", test_next_previous_user);
  ADD ("/window/users/rename-in-place", test_rename_user_in_place);
  ADD ("/window/users/delete-with-tasks", test_delete_user_with_tasks);
  ADD ("/window/users/delete-big", test_delete_user_big);
  ADD ("/window/tasks/add", test_add_tasks);
  ADD ("/window/tasks/rows-follow-model", test_rows_follow_model);
  ADD ("/window/tasks/toggle-done", test_toggle_done);
  ADD ("/window/tasks/delete-and-undo", test_delete_and_undo);
  ADD ("/window/tasks/reorder", test_reorder);
  ADD ("/window/tasks/rename-in-place", test_rename_in_place);
  ADD ("/window/tasks/find", test_find);
  ADD ("/window/tasks/details", test_details);
  ADD ("/window/tasks/move-dialog", test_move_task_dialog);
  ADD ("/window/narrow", test_narrow);
  ADD ("/window/tags/view", test_tag_view);
  ADD ("/window/tags/new-and-colour", test_new_tag_and_color);
  ADD ("/window/tags/popover", test_tags_popover);
  g_test_add ("/window/settings", Fixture, GINT_TO_POINTER (1), setup, test_settings, teardown);
  g_test_add ("/window/first-frame", Fixture, GINT_TO_POINTER (1), setup, test_first_frame, teardown);
  ADD ("/window/external-changes", test_external_changes);
  ADD ("/window/edits/wait-for-busy-file", test_edits_wait_for_busy_file);
  ADD ("/window/edits/retry-briefly", test_edits_retry_briefly);
  ADD ("/window/edits/discarded-on-close", test_edits_discarded_on_close);
  ADD ("/window/edits/row-waits-for-busy-file", test_edits_row_wait_for_busy_file);
  ADD ("/window/edits/sidebar-waits-for-busy-file", test_edits_sidebar_wait_for_busy_file);
  ADD ("/window/edits/details-and-tags-wait-for-busy-file", test_edits_details_wait_for_busy_file);
  ADD ("/window/shortcuts-window", test_shortcuts_window);
  ADD ("/window/menus", test_menus);
#undef ADD

  return g_test_run ();
}
