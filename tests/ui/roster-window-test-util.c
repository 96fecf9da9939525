/* roster-window-test-util.c: see roster-window-test-util.h. */
#include <string.h>

#include "roster-chip.h"
#include "roster-sidebar-row.h"
#include "roster-test-util.h"
#include "roster-window-test-util.h"

/* The memory backend keeps what an earlier test of the program left: the
 * size a window closed at, the last user selected. */
static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.rosterapp.Roster");
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}

void
set_window_size (int width,
                 int height)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.rosterapp.Roster");

  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", FALSE);
}

void
open_window (Fixture *f)
{
  f->window = roster_window_new (NULL, f->path);
  gtk_window_present (GTK_WINDOW (f->window));
  roster_ui_test_spin ();
  f->store = roster_window_get_store (f->window);

  /* The window shows a screenful of each list first and the rest over the
   * next frames; a test, faster than a person, waits for the whole lists. */
  for (guint i = 0; i < 500 && _roster_window_lists_are_growing (f->window); i++)
    {
      g_usleep (2000);
      roster_ui_test_spin ();
    }
  g_assert_false (_roster_window_lists_are_growing (f->window));
}

void
setup (Fixture       *f,
       gconstpointer  data)
{
  reset_settings ();
  f->dir = roster_test_make_dir ("roster-test-XXXXXX");
  f->path = g_build_filename (f->dir, "roster.db", NULL);
  if (data == NULL)
    open_window (f);
}

void
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

  /* The file, its WAL, and the daily backups the window writes beside it. */
  roster_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

gpointer
window_part (RosterWindow *window,
             const char   *id)
{
  return roster_ui_test_template_child (window, ROSTER_TYPE_WINDOW, id);
}

gpointer
sidebar_part (RosterWindow *window,
              const char   *id)
{
  return roster_ui_test_template_child (window_part (window, "sidebar"), ROSTER_TYPE_SIDEBAR, id);
}

GtkSingleSelection *
sidebar_selection (RosterWindow *window,
                   const char   *list)
{
  return GTK_SINGLE_SELECTION (gtk_list_view_get_model (sidebar_part (window, list)));
}

GtkEntry *
add_entry (Fixture *f)
{
  return window_part (f->window, "add_entry");
}

/* The pane is the child of its bin once made (_roster_window_ensure_details()). */
RosterTaskDetails *
details_pane (Fixture *f)
{
  GtkWidget *details = adw_bin_get_child (window_part (f->window, "details_bin"));

  g_assert_true (ROSTER_IS_TASK_DETAILS (details));
  return ROSTER_TASK_DETAILS (details);
}

/* Rows a sidebar list view shows, each bound to a user or a tag. */
guint
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

/* Rows the list view shows, each bound to a task, and as many as the list
 * has items (the test window is tall enough to show them all). */
guint
count_task_rows (RosterWindow *window)
{
  GListModel *model = _roster_window_get_shown_tasks (window);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RosterTask) task = g_list_model_get_item (model, i);

      g_assert_nonnull (_roster_window_find_task_row (window, task));
    }
  return n;
}

GtkWidget *
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
GtkWidget *
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

void
save_screenshot (Fixture    *f,
                 const char *name)
{
  roster_ui_test_save_screenshot (GTK_WIDGET (f->window), "ROSTER_WINDOW_SCREENSHOTS", "window", name);
}

void
activate (Fixture    *f,
          const char *action)
{
  g_assert_true (_roster_window_action_is_enabled (f->window, action));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), action, NULL));
  roster_ui_test_spin ();
}

void
type_and_enter (GtkEntry   *entry,
                const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
  roster_ui_test_spin ();
}

RosterUser *
add_user (Fixture    *f,
          const char *name)
{
  activate (f, "win.new-user");
  type_and_enter (sidebar_part (f->window, "new_user_entry"), name);
  return roster_store_find_user (f->store, name);
}

GListModel *
user_tasks (Fixture    *f,
            RosterUser *user)
{
  return roster_store_list_user_tasks (f->store, user);
}

AdwMessageDialog *
find_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

RosterTask *
select_first_task (Fixture *f)
{
  g_autoptr(RosterTask) task = g_list_model_get_item (_roster_window_get_shown_tasks (f->window), 0);

  g_assert_nonnull (task);
  _roster_window_select_task (f->window, task, TRUE);
  roster_ui_test_spin ();
  g_assert_true (_roster_window_get_selected_task (f->window) == task);
  /* The model holds the task; the pointer stays valid for the test. */
  return task;
}

/* Find's search entry. */
GtkEditable *
find_entry (Fixture *f)
{
  GtkWidget *entry = find_descendant (window_part (f->window, "find_bar"), GTK_TYPE_SEARCH_ENTRY, NULL);

  g_assert_nonnull (entry);
  return GTK_EDITABLE (entry);
}

gboolean
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

/* After a pause in typing, as for a person. */
GListModel *
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
  return roster_find_bar_get_results (window_part (f->window, "find_bar"));
}

/* Another program holds the file locked (a second connection's write
 * transaction), so the store's changes fail with ROSTER_ERROR_BUSY. */
sqlite3 *
lock_file (Fixture *f)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  return db;
}

void
unlock_file (sqlite3 *db)
{
  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* The queue every change of the window goes through. */
RosterEditQueue *
edits (Fixture *f)
{
  return roster_edit_queue_get_for_store (f->store);
}

guint
count_waiting (Fixture *f)
{
  return roster_edit_queue_get_n_waiting (edits (f));
}

/* The queue's own timer tries the waiting edits again every two seconds. */
void
wait_until_saved (Fixture *f)
{
  for (guint i = 0; i < 200 && count_waiting (f) > 0; i++)
    {
      g_usleep (25000);
      roster_ui_test_spin ();
    }
  g_assert_cmpuint (count_waiting (f), ==, 0);
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
void
assert_waiting (Fixture   *f,
                GtkWidget *widget,
                guint      n_waiting)
{
  g_assert_cmpuint (count_waiting (f), ==, n_waiting);
  g_assert_true (gtk_widget_get_visible (window_part (f->window, "waiting_bar")));
  g_assert_true (gtk_info_bar_get_revealed (window_part (f->window, "waiting_bar")));
  g_assert_cmpstr (gtk_label_get_label (window_part (f->window, "waiting_label")), ==,
                   "The file is in use by another program. Your changes will be saved as soon as it is free.");
  g_assert_null (shown_error (widget));
}

gint64
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
