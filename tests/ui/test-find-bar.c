/* test-find-bar.c: widget tests of Find (RosterFindBar) on a store in a
 * temporary folder: what the results list shows for a text, the status line
 * (no match, too many, a damaged file), the signals a host window relies on
 * (task-activated, closed), the keys, and rows that follow their tasks.
 *
 * ROSTER_FIND_BAR_SCREENSHOTS=DIR saves pictures of the bar there
 * (find-bar-results.png, find-bar-no-match.png, find-bar-more.png). */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <gtk/gtk.h>
#include <adwaita.h>

#include "roster-find-bar.h"
#include "roster-ui-test-util.h"

typedef struct
{
  char          *dir;
  char          *path;
  RosterStore   *store;
  GtkWidget     *window;
  RosterFindBar *bar;
  GtkEditable   *entry;
  GtkListView   *list;
  GtkLabel      *status;
  /* What the entry's last search-changed was for. */
  char          *searched;
  guint          n_closed;
  GPtrArray     *activated;
  RosterUser    *alice;
  RosterUser    *bob;
} Fixture;

/* Types @text and runs the main loop until the entry's (delayed)
 * search-changed has fired for it, then lets the rows settle. Setting the
 * text empties the entry first, which searches at once: that one does not
 * count. */
static void
search (Fixture    *f,
        const char *text)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint wake = roster_ui_test_keep_awake ();

  g_clear_pointer (&f->searched, g_free);
  gtk_editable_set_text (f->entry, text);
  while (g_strcmp0 (f->searched, text) != 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  g_assert_cmpstr (f->searched, ==, text);
  roster_ui_test_spin ();
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      found = find_descendant (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static RosterTask *
add_task (Fixture    *f,
          RosterUser *owner,
          const char *title,
          const char *notes,
          gboolean    done)
{
  g_autoptr(GError) error = NULL;
  RosterTask *task = roster_store_create_task (f->store, owner, title, &error);

  g_assert_no_error (error);
  if (notes != NULL)
    g_assert_true (roster_store_set_task_notes (f->store, task, notes, &error));
  if (done)
    g_assert_true (roster_store_set_task_done (f->store, task, TRUE, &error));
  g_assert_no_error (error);
  return task;
}

static void
on_search_changed_cb (GtkSearchEntry *entry,
                      Fixture        *f)
{
  g_free (f->searched);
  f->searched = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
on_task_activated_cb (RosterFindBar *bar,
                      RosterTask    *task,
                      Fixture       *f)
{
  g_assert_true (ROSTER_IS_TASK (task));
  g_ptr_array_add (f->activated, g_object_ref (task));
}

static void
on_closed_cb (RosterFindBar *bar,
              Fixture       *f)
{
  f->n_closed++;
}

static void
open_bar (Fixture *f)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();

  f->bar = ROSTER_FIND_BAR (roster_find_bar_new (f->store));
  gtk_widget_set_vexpand (GTK_WIDGET (f->bar), TRUE);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new ("Find", NULL));
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->bar));

  f->window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 560, 420);
  adw_window_set_content (ADW_WINDOW (f->window), box);
  gtk_window_present (GTK_WINDOW (f->window));

  f->entry = GTK_EDITABLE (find_descendant (GTK_WIDGET (f->bar), GTK_TYPE_SEARCH_ENTRY));
  f->list = GTK_LIST_VIEW (find_descendant (GTK_WIDGET (f->bar), GTK_TYPE_LIST_VIEW));
  /* The status line sits right under the entry. */
  f->status = GTK_LABEL (gtk_widget_get_next_sibling (GTK_WIDGET (f->entry)));
  g_assert_nonnull (f->entry);
  g_assert_nonnull (f->list);
  g_assert_true (GTK_IS_LABEL (f->status));

  g_signal_connect (f->entry, "search-changed", G_CALLBACK (on_search_changed_cb), f);
  g_signal_connect (f->bar, "task-activated", G_CALLBACK (on_task_activated_cb), f);
  g_signal_connect (f->bar, "closed", G_CALLBACK (on_closed_cb), f);
  roster_ui_test_spin ();
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("roster-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "roster.db", NULL);
  f->activated = g_ptr_array_new_with_free_func (g_object_unref);

  f->store = roster_store_open (f->path, &error);
  g_assert_no_error (error);
  f->alice = roster_store_create_user (f->store, "alice", &error);
  f->bob = roster_store_create_user (f->store, "bob", &error);
  g_assert_no_error (error);

  /* Oldest first: the order Find gives. */
  g_object_unref (add_task (f, f->alice, "Café crème", NULL, FALSE));
  g_object_unref (add_task (f, f->alice, "Buy milk", "Semi-skimmed, from the CAFÉ on the corner", FALSE));
  g_object_unref (add_task (f, f->bob, "Pay rent", NULL, FALSE));
  g_object_unref (add_task (f, f->bob, "Cafeteria menu", NULL, TRUE));

  if (data == NULL)
    open_bar (f);
}

static void
remove_file (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  if (f->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (f->window));
      roster_ui_test_spin ();
    }
  g_clear_object (&f->alice);
  g_clear_object (&f->bob);
  g_ptr_array_unref (f->activated);
  g_free (f->searched);
  /* Nothing in the bar keeps the store (or its tasks) alive. */
  if (f->store != NULL)
    g_assert_finalize_object (f->store);

  remove_file (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* What one shown row says. */
typedef struct
{
  const char *title;
  const char *owner;
  gboolean    done;
} ShownRow;

static gboolean
read_row (GtkWidget *list_row,
          ShownRow  *shown)
{
  GtkWidget *box = gtk_widget_get_first_child (list_row);
  GtkWidget *text_box = box != NULL ? gtk_widget_get_first_child (box) : NULL;
  GtkWidget *title = text_box != NULL ? gtk_widget_get_first_child (text_box) : NULL;
  GtkWidget *owner = title != NULL ? gtk_widget_get_next_sibling (title) : NULL;
  GtkWidget *done = text_box != NULL ? gtk_widget_get_next_sibling (text_box) : NULL;

  if (!GTK_IS_LABEL (title) || !GTK_IS_LABEL (owner) || !GTK_IS_IMAGE (done))
    return FALSE;

  shown->title = gtk_label_get_label (GTK_LABEL (title));
  shown->owner = gtk_label_get_label (GTK_LABEL (owner));
  shown->done = gtk_widget_get_visible (done);
  g_assert_true (gtk_widget_get_visible (owner));
  g_assert_true (gtk_widget_has_css_class (owner, "dim-label"));
  return TRUE;
}

/* The row showing @title, checked against what it should say. */
static void
assert_row_shown (Fixture    *f,
                  const char *title,
                  const char *owner,
                  gboolean    done)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (f->list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      ShownRow shown;

      if (!gtk_widget_get_visible (child) || !read_row (child, &shown) ||
          g_strcmp0 (shown.title, title) != 0)
        continue;
      g_assert_cmpstr (shown.owner, ==, owner);
      g_assert_cmpint (shown.done, ==, done);
      return;
    }
  g_error ("no row shows “%s”", title);
}

static void
assert_results (Fixture    *f,
                const char *first,
                ...)
{
  GListModel *results = roster_find_bar_get_results (f->bar);
  guint n = 0;
  va_list args;

  va_start (args, first);
  for (const char *title = first; title != NULL; title = va_arg (args, const char *), n++)
    {
      g_autoptr(RosterTask) task = g_list_model_get_item (results, n);

      g_assert_nonnull (task);
      g_assert_cmpstr (roster_task_get_title (task), ==, title);
    }
  va_end (args);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, n);
}

/* With ROSTER_FIND_BAR_SCREENSHOTS=DIR, saves DIR/find-bar-NAME.png. */
static void
save_screenshot (Fixture    *f,
                 const char *name)
{
  roster_ui_test_save_screenshot (f->window, "ROSTER_FIND_BAR_SCREENSHOTS", "find-bar", name);
}

/* Tests */

static void
test_results (Fixture       *f,
              gconstpointer  data)
{
  /* Nothing typed: nothing found, nothing said. */
  g_assert_cmpuint (g_list_model_get_n_items (roster_find_bar_get_results (f->bar)), ==, 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->status)));

  /* No accents, no capitals: titles and notes alike, oldest first. */
  search (f, "cafe");
  assert_results (f, "Café crème", "Buy milk", "Cafeteria menu", NULL);
  assert_row_shown (f, "Café crème", "alice", FALSE);
  assert_row_shown (f, "Buy milk", "alice", FALSE);
  assert_row_shown (f, "Cafeteria menu", "bob", TRUE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->status)));

  /* Spaces around the text do not count. */
  search (f, "  RENT ");
  assert_results (f, "Pay rent", NULL);
  assert_row_shown (f, "Pay rent", "bob", FALSE);

  search (f, "");
  assert_results (f, NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->status)));

  /* The picture: results, the first one selected as after Down. */
  search (f, "cafe");
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (gtk_list_view_get_model (f->list)), 0);
  save_screenshot (f, "results");
}

static void
test_no_match (Fixture       *f,
               gconstpointer  data)
{
  search (f, "cafe");
  assert_results (f, "Café crème", "Buy milk", "Cafeteria menu", NULL);

  search (f, "zzz");
  assert_results (f, NULL);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->status)));
  g_assert_cmpstr (gtk_label_get_label (f->status), ==, "No task contains “zzz”.");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (f->status), "error"));
  g_assert_cmpstr (gtk_editable_get_text (f->entry), ==, "zzz");
  save_screenshot (f, "no-match");

  /* Finding something again hides the line. */
  search (f, "milk");
  assert_results (f, "Buy milk", NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->status)));
}

static void
test_more (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  roster_store_begin_batch (f->store, "Import");
  for (guint i = 0; i < 250; i++)
    {
      g_autofree char *title = g_strdup_printf ("Item %u", i);

      g_object_unref (add_task (f, f->bob, title, NULL, FALSE));
    }
  g_assert_true (roster_store_commit_batch (f->store, &error));
  g_assert_no_error (error);

  search (f, "item");
  g_assert_cmpuint (g_list_model_get_n_items (roster_find_bar_get_results (f->bar)), ==, 200);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->status)));
  g_assert_cmpstr (gtk_label_get_label (f->status), ==,
                   "Showing the first 200 tasks; type more to narrow it down.");
  {
    g_autoptr(RosterTask) first = g_list_model_get_item (roster_find_bar_get_results (f->bar), 0);

    g_assert_cmpstr (roster_task_get_title (first), ==, "Item 0");
  }
  save_screenshot (f, "more");

  search (f, "item 24");
  assert_results (f, "Item 24", "Item 240", "Item 241", "Item 242", "Item 243", "Item 244",
                  "Item 245", "Item 246", "Item 247", "Item 248", "Item 249", NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->status)));
}

static void
test_activate (Fixture       *f,
               gconstpointer  data)
{
  search (f, "cafe");

  /* A click or Enter on a row: the list's activate. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->list), "list.activate-item", "u", 1));
  g_assert_cmpuint (f->activated->len, ==, 1);
  g_assert_cmpstr (roster_task_get_title (g_ptr_array_index (f->activated, 0)), ==, "Buy milk");
  g_assert_true (roster_task_get_owner (g_ptr_array_index (f->activated, 0)) == f->alice);

  /* Enter in the entry: the first result. */
  g_signal_emit_by_name (f->entry, "activate");
  g_assert_cmpuint (f->activated->len, ==, 2);
  g_assert_cmpstr (roster_task_get_title (g_ptr_array_index (f->activated, 1)), ==, "Café crème");

  /* Enter before the entry's pause is over acts on what was typed. */
  gtk_editable_set_text (f->entry, "rent");
  g_signal_emit_by_name (f->entry, "activate");
  g_assert_cmpuint (f->activated->len, ==, 3);
  g_assert_cmpstr (roster_task_get_title (g_ptr_array_index (f->activated, 2)), ==, "Pay rent");
  roster_ui_test_spin ();

  /* Enter with nothing found does nothing. */
  search (f, "zzz");
  g_signal_emit_by_name (f->entry, "activate");
  g_assert_cmpuint (f->activated->len, ==, 3);
  g_assert_cmpuint (f->n_closed, ==, 0);
}

static void
test_escape (Fixture       *f,
             gconstpointer  data)
{
  search (f, "cafe");

  /* Escape in the entry is its stop-search. */
  g_signal_emit_by_name (f->entry, "stop-search");
  g_assert_cmpuint (f->n_closed, ==, 1);
  /* What was typed stays, for the next time Find opens. */
  g_assert_cmpstr (gtk_editable_get_text (f->entry), ==, "cafe");

  /* Escape anywhere else in the bar. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->list), "find-bar.close", NULL));
  g_assert_cmpuint (f->n_closed, ==, 2);
  g_assert_cmpuint (f->activated->len, ==, 0);
}

static void
test_keyboard (Fixture       *f,
               gconstpointer  data)
{
  GtkRoot *root = GTK_ROOT (f->window);
  GtkSelectionModel *selection = gtk_list_view_get_model (f->list);

  gtk_editable_set_text (f->entry, "previous text");
  roster_find_bar_focus (f->bar);
  roster_ui_test_spin ();
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (root), GTK_WIDGET (f->entry)));
  {
    int start, end;

    /* All of it selected: typing replaces it. */
    g_assert_true (gtk_editable_get_selection_bounds (f->entry, &start, &end));
    g_assert_cmpint (start, ==, 0);
    g_assert_cmpint (end, ==, (int) g_utf8_strlen ("previous text", -1));
  }

  /* Down with nothing found stays in the entry. */
  search (f, "zzz");
  g_assert_false (roster_ui_test_press_key (GTK_WIDGET (f->entry), GDK_KEY_Down));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (root), GTK_WIDGET (f->entry)));

  /* Down from the entry: the first result, selected and focused, even
   * before the entry's pause is over. */
  gtk_editable_set_text (f->entry, "cafe");
  g_assert_true (roster_ui_test_press_key (GTK_WIDGET (f->entry), GDK_KEY_Down));
  roster_ui_test_spin ();
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (root), GTK_WIDGET (f->list)));
  g_assert_true (gtk_selection_model_is_selected (selection, 0));
  {
    ShownRow shown;
    GtkWidget *focus = gtk_root_get_focus (root);

    g_assert_true (read_row (focus, &shown));
    g_assert_cmpstr (shown.title, ==, "Café crème");
  }

  /* Up from the first result: back in the entry. */
  g_assert_true (roster_ui_test_press_key (GTK_WIDGET (f->list), GDK_KEY_Up));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (root), GTK_WIDGET (f->entry)));
  {
    int start, end;

    /* With the cursor where it was, nothing selected: typing goes on. */
    g_assert_false (gtk_editable_get_selection_bounds (f->entry, &start, &end));
  }

  /* A key typed on a result lands in the entry (key capture): the focus
   * follows, and stays there when the results go. */
  g_assert_true (roster_ui_test_press_key (GTK_WIDGET (f->entry), GDK_KEY_Down));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (root), GTK_WIDGET (f->list)));
  gtk_editable_insert_text (f->entry, "m", 1, &(int) { 4 });
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (root), GTK_WIDGET (f->entry)));
  g_assert_false (gtk_editable_get_selection_bounds (f->entry, NULL, NULL));
  search (f, "cafem");
  assert_results (f, NULL);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (root), GTK_WIDGET (f->entry)));

  /* The focused row gone by a refresh: the keyboard is back in the entry. */
  search (f, "cafe");
  g_assert_true (roster_ui_test_press_key (GTK_WIDGET (f->entry), GDK_KEY_Down));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RosterTask) first = g_list_model_get_item (roster_find_bar_get_results (f->bar), 0);

    g_assert_true (roster_store_delete_task (f->store, first, &error));
    g_assert_no_error (error);
  }
  roster_find_bar_refresh (f->bar);
  roster_ui_test_spin ();
  assert_results (f, "Buy milk", "Cafeteria menu", NULL);
  g_assert_nonnull (gtk_root_get_focus (root));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (root), GTK_WIDGET (f->bar)));

  /* Other keys are left alone. */
  g_assert_false (roster_ui_test_press_key (GTK_WIDGET (f->entry), GDK_KEY_Up));
  g_assert_false (roster_ui_test_press_key (GTK_WIDGET (f->list), GDK_KEY_Down));
}

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     guint      *n_changes)
{
  (*n_changes)++;
}

static void
test_follows_changes (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterTask) creme = NULL;
  g_autoptr(RosterTask) milk = NULL;
  guint n_changes = 0;

  search (f, "cafe");
  creme = g_list_model_get_item (roster_find_bar_get_results (f->bar), 0);
  milk = g_list_model_get_item (roster_find_bar_get_results (f->bar), 1);

  /* A row follows its task at once, refresh or not. */
  g_assert_true (roster_store_set_task_done (f->store, creme, TRUE, &error));
  g_assert_true (roster_store_rename_user (f->store, f->alice, "Alice B.", &error));
  g_assert_no_error (error);
  roster_ui_test_spin ();
  assert_row_shown (f, "Café crème", "Alice B.", TRUE);
  assert_row_shown (f, "Buy milk", "Alice B.", FALSE);

  /* A refresh with nothing to change touches no row. */
  {
    gulong id = g_signal_connect (roster_find_bar_get_results (f->bar), "items-changed",
                                  G_CALLBACK (on_items_changed_cb), &n_changes);

    roster_find_bar_refresh (f->bar);
    g_assert_cmpuint (n_changes, ==, 0);

    /* A task that no longer matches leaves on refresh; one that now does comes in. */
    g_assert_true (roster_store_set_task_notes (f->store, milk, "", &error));
    g_assert_true (roster_store_set_task_title (f->store, milk, "Buy milk at the café", &error));
    g_object_unref (add_task (f, f->bob, "Cafe au lait", NULL, FALSE));
    g_assert_true (roster_store_set_task_title (f->store, creme, "Crème brûlée", &error));
    g_assert_no_error (error);
    roster_find_bar_refresh (f->bar);
    roster_ui_test_spin ();
    assert_results (f, "Buy milk at the café", "Cafeteria menu", "Cafe au lait", NULL);
    assert_row_shown (f, "Cafe au lait", "bob", FALSE);
    g_signal_handler_disconnect (roster_find_bar_get_results (f->bar), id);
  }

  /* Shown again after a change made while hidden: current at once. */
  gtk_widget_set_visible (GTK_WIDGET (f->bar), FALSE);
  g_assert_true (roster_store_set_task_title (f->store, creme, "Crème au café", &error));
  g_assert_no_error (error);
  gtk_widget_set_visible (GTK_WIDGET (f->bar), TRUE);
  roster_ui_test_spin ();
  assert_results (f, "Crème au café", "Buy milk at the café", "Cafeteria menu", "Cafe au lait", NULL);
  g_assert_true (roster_store_set_task_title (f->store, creme, "Crème brûlée", &error));
  g_assert_no_error (error);
  roster_find_bar_refresh (f->bar);

  /* Another file: the old tasks go. */
  roster_find_bar_set_store (f->bar, NULL);
  assert_results (f, NULL);
  roster_find_bar_set_store (f->bar, f->store);
  assert_results (f, "Buy milk at the café", "Cafeteria menu", "Cafe au lait", NULL);
}

/* A damaged page of Find's list of tasks to index again: the status line
 * says so in plain words, the text stays, and the file is not written. */
static void
test_damaged (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;

  g_clear_object (&f->alice);
  g_clear_object (&f->bob);
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  roster_ui_test_spin ();
  g_assert_finalize_object (f->store);
  f->store = NULL;

  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    gint64 root = 0;
    FILE *file;
    char junk[512];

    g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
    sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    sqlite3_prepare_v2 (db, "SELECT rootpage FROM sqlite_master WHERE name = 'roster_find_stale'",
                        -1, &stmt, NULL);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      root = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    g_assert_cmpint (root, >, 1);

    memset (junk, 0xA5, sizeof junk);
    file = fopen (f->path, "r+b");
    g_assert_nonnull (file);
    /* From the page's header on: no b-tree page starts like this. */
    fseek (file, (root - 1) * 4096, SEEK_SET);
    fwrite (junk, 1, sizeof junk, file);
    fclose (file);
  }
  g_file_get_contents (f->path, &before, &before_len, NULL);

  {
    g_autoptr(GError) error = NULL;

    f->store = roster_store_open (f->path, &error);
    g_assert_no_error (error);
  }
  open_bar (f);
  search (f, "cafe");
  assert_results (f, NULL);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->status)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->status), "error"));
  g_assert_cmpstr (gtk_label_get_label (f->status), ==,
                   "Find cannot search this file: part of it is damaged. Nothing was changed.");
  g_assert_cmpstr (gtk_editable_get_text (f->entry), ==, "cafe");
  g_assert_nonnull (roster_store_get_damage (f->store));

  g_file_get_contents (f->path, &after, &after_len, NULL);
  g_assert_cmpmem (after, after_len, before, before_len);
}

int
main (int   argc,
      char *argv[])
{
  if (!roster_ui_test_init (&argc, &argv))
    return 77;

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/find-bar/results", test_results);
  ADD ("/find-bar/no-match", test_no_match);
  ADD ("/find-bar/more", test_more);
  ADD ("/find-bar/activate", test_activate);
  ADD ("/find-bar/escape", test_escape);
  ADD ("/find-bar/keyboard", test_keyboard);
  ADD ("/find-bar/follows-changes", test_follows_changes);
  ADD ("/find-bar/damaged", test_damaged);
#undef ADD

  return g_test_run ();
}
