/* test-open.c: the window on a file it must first prepare for this version
 * (roster-window-open.c): a page with a progress bar right away, then the
 * tasks; closing the window meanwhile leaves the file as it was; a damaged one
 * ends on the error page; a file that needs nothing opens without that page.
 *
 * ROSTER_WINDOW_SCREENSHOTS=DIR saves window-preparing.png there.
 */
#include <glib/gstdio.h>
#include <string.h>
#include <gtk/gtk.h>
#include <adwaita.h>

#include "roster-test-util.h"
#include "roster-ui-test-util.h"
#include "roster-window-private.h"

/* Enough that preparing takes a while (about a second here). */
#define N_TASKS 150000

typedef struct
{
  char         *dir;
  char         *path;
  RosterWindow *window;
} Fixture;

/* Ten users, twenty tags, N_TASKS tasks with two tags each, as the seed's
 * classes would write them. */
static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autofree char *rows = g_strdup_printf (
    "BEGIN;"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)"
    "  INSERT INTO user (id, username) SELECT i, printf('user%%02d', i) FROM n;"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)"
    "  INSERT INTO category (id, name) SELECT i, printf('tag%%02d', i) FROM n;"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
    "  INSERT INTO task (id, title, owner_id) SELECT i, printf('Task %%d', i), i %% 10 + 1 FROM n;"
    "INSERT INTO taskcategorylink (task_id, category_id)"
    "  SELECT id, id %% 20 + 1 FROM task UNION ALL SELECT id, (id + 7) %% 20 + 1 FROM task;"
    "COMMIT;", N_TASKS);

  f->dir = roster_test_make_dir ("roster-test-XXXXXX");
  f->path = g_build_filename (f->dir, "tasks.db", NULL);
  roster_test_write_seed_file (f->path, rows);
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
  roster_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* A widget of the window's template, by its id in ui/roster-window.ui. */
static gpointer
window_part (RosterWindow *window,
             const char   *id)
{
  return roster_ui_test_template_child (window, ROSTER_TYPE_WINDOW, id);
}

/* The first widget of @type on screen in @widget; with @text, the first
 * label that reads it. */
static GtkWidget *
find_shown (GtkWidget  *widget,
            GType       type,
            const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) && gtk_widget_get_mapped (child) &&
          (text == NULL || g_strcmp0 (gtk_label_get_label (GTK_LABEL (child)), text) == 0))
        return child;
      found = find_shown (child, type, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* find_shown(), waiting up to 5 s for it: a toast is mapped by a later
 * frame, which a slow machine (the sanitizers) may not have drawn yet. */
static GtkWidget *
wait_for_shown (GtkWidget  *widget,
                GType       type,
                const char *text)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  GtkWidget *found;

  while ((found = find_shown (widget, type, text)) == NULL && g_get_monotonic_time () < end)
    {
      roster_ui_test_spin ();
      g_usleep (10000);
    }
  return found;
}

static GtkProgressBar *
find_progress_bar (GtkWidget *widget)
{
  return GTK_PROGRESS_BAR (find_shown (widget, GTK_TYPE_PROGRESS_BAR, NULL));
}

/* Runs the main loop until @window is no longer preparing (or 60 s). */
static void
wait_until_prepared (RosterWindow *window)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint wake = roster_ui_test_keep_awake ();

  while (roster_window_is_preparing (window) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  g_assert_false (roster_window_is_preparing (window));
}

static void
on_fraction_notify_cb (GtkProgressBar *bar,
                       GParamSpec     *pspec,
                       GArray         *fractions)
{
  double fraction = gtk_progress_bar_get_fraction (bar);

  g_array_append_val (fractions, fraction);
}

/* The window shows at once, says what it does, the bar moves, and then
 * the first user's tasks are there. */
static void
test_prepare (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  GtkProgressBar *bar;
  guint between = 0;

  f->window = roster_window_new (NULL, f->path);
  gtk_window_present (GTK_WINDOW (f->window));
  roster_ui_test_spin ();

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
  g_assert_true (roster_window_is_preparing (f->window));
  g_assert_null (roster_window_get_store (f->window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_part (f->window, "main_stack")), ==, "preparing");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (find_shown (GTK_WIDGET (f->window), ADW_TYPE_STATUS_PAGE, NULL))),
                   ==, "Preparing “tasks.db” for this version of Roster…");
  bar = find_progress_bar (GTK_WIDGET (f->window));
  g_assert_nonnull (bar);
  g_assert_true (gtk_progress_bar_get_show_text (bar));
  roster_ui_test_save_screenshot (GTK_WIDGET (f->window), "ROSTER_WINDOW_SCREENSHOTS", "window", "preparing");
  /* Nothing to act on yet. */
  g_assert_false (_roster_window_action_is_enabled (f->window, "win.new-user"));
  /* What is to be said once the file shows (after a restore) waits for it. */
  _roster_window_toast_when_open (f->window, "Restored.");
  g_assert_null (find_shown (GTK_WIDGET (f->window), GTK_TYPE_LABEL, "Restored."));

  /* Every value the bar is given, not only those a main-loop turn happens
   * to see: on a slow machine one turn may take in many. */
  g_signal_connect (bar, "notify::fraction", G_CALLBACK (on_fraction_notify_cb), fractions);
  wait_until_prepared (f->window);

  for (guint i = 0; i < fractions->len; i++)
    {
      double fraction = g_array_index (fractions, double, i);

      if (i > 0)
        g_assert_cmpfloat (fraction, >=, g_array_index (fractions, double, i - 1));
      if (fraction > 0 && fraction < 1)
        between++;
    }
  g_assert_cmpuint (between, >, 0);

  g_assert_nonnull (roster_window_get_store (f->window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_part (f->window, "main_stack")), ==, "store");
  g_assert_null (gtk_stack_get_child_by_name (window_part (f->window, "main_stack"), "preparing"));
  roster_ui_test_spin ();
  g_assert_nonnull (_roster_window_get_selected_user (f->window));
  g_assert_cmpstr (roster_user_get_username (_roster_window_get_selected_user (f->window)), ==, "user01");
  g_assert_cmpuint (g_list_model_get_n_items (_roster_window_get_shown_tasks (f->window)), ==, N_TASKS / 10);
  {
    g_autoptr(RosterTask) first = g_list_model_get_item (_roster_window_get_shown_tasks (f->window), 0);

    g_assert_cmpstr (roster_task_get_title (first), ==, "Task 10");
    g_assert_nonnull (_roster_window_find_task_row (f->window, first));
  }
  g_assert_true (_roster_window_action_is_enabled (f->window, "win.new-user"));
  g_assert_nonnull (wait_for_shown (GTK_WIDGET (f->window), GTK_TYPE_LABEL, "Restored."));
}

static void
on_destroy_cb (GtkWidget *widget,
               gboolean  *destroyed)
{
  *destroyed = TRUE;
}

/* Closing the window while preparing: it says it stops, goes when the
 * worker has rolled back, and the file has the same bytes. */
static void
test_close_while_preparing (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *before = roster_test_file_digest (f->path);
  g_autofree char *after = NULL;
  g_autofree char *journal = g_strconcat (f->path, "-journal", NULL);
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gboolean destroyed = FALSE;
  guint wake;

  f->window = roster_window_new (NULL, f->path);
  g_signal_connect (f->window, "destroy", G_CALLBACK (on_destroy_cb), &destroyed);
  gtk_window_present (GTK_WINDOW (f->window));
  roster_ui_test_spin ();
  g_assert_true (roster_window_is_preparing (f->window));

  /* Well into the migration (after the backup), then closed. */
  wake = roster_ui_test_keep_awake ();
  while (gtk_progress_bar_get_fraction (find_progress_bar (GTK_WIDGET (f->window))) < 0.4)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  gtk_window_close (GTK_WINDOW (f->window));
  g_assert_false (destroyed);
  g_assert_true (roster_window_is_preparing (f->window));
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (find_shown (GTK_WIDGET (f->window), ADW_TYPE_STATUS_PAGE, NULL))),
                   ==, "Stopping. The file is left as it was.");

  while (!destroyed)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
  f->window = NULL;

  after = roster_test_file_digest (f->path);
  g_assert_cmpstr (after, ==, before);
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
  {
    g_autoptr(GPtrArray) backups = roster_backup_list (f->path);

    g_assert_cmpuint (backups->len, ==, 1);
  }
}

/* A damaged seed file, found so while it is prepared: the error page, with
 * the words of any file Roster cannot open, and the same bytes. */
static void
test_damaged (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  roster_test_damage_page (f->path, "taskcategorylink", 0, 20);
  before = roster_test_file_digest (f->path);

  f->window = roster_window_new (NULL, f->path);
  gtk_window_present (GTK_WINDOW (f->window));
  roster_ui_test_spin ();
  wait_until_prepared (f->window);

  g_assert_null (roster_window_get_store (f->window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_part (f->window, "main_stack")), ==, "error");
  g_assert_cmpstr (adw_status_page_get_title (window_part (f->window, "error_page")), ==, "Cannot Open the Roster File");
  g_assert_nonnull (strstr (adw_status_page_get_description (window_part (f->window, "error_page")), "Nothing was changed"));
  after = roster_test_file_digest (f->path);
  g_assert_cmpstr (after, ==, before);
}

/* A file that needs nothing opens in the window's constructor, as always:
 * no preparing page, no main-loop turn. */
static void
test_ready_file (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  RosterStore *store = roster_store_open (f->path, &error);

  g_assert_no_error (error);
  g_object_unref (store);

  f->window = roster_window_new (NULL, f->path);
  g_assert_false (roster_window_is_preparing (f->window));
  g_assert_nonnull (roster_window_get_store (f->window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_part (f->window, "main_stack")), ==, "store");
  g_assert_null (gtk_stack_get_child_by_name (window_part (f->window, "main_stack"), "preparing"));
}

static void
log_cb (const char     *domain,
        GLogLevelFlags  level,
        const char     *message,
        gpointer        data)
{
  char **said = data;

  g_clear_pointer (said, g_free);
  *said = g_strdup (message);
}

/* Destroyed while preparing (the application quitting without a close
 * request): the window goes at once, the work stops, and the log says
 * that the file was left as it was. */
static void
test_destroy_while_preparing (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *before = roster_test_file_digest (f->path);
  g_autofree char *after = NULL;
  g_autofree char *said = NULL;
  RosterWindow *window = roster_window_new (NULL, f->path);
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint handler, wake;

  handler = g_log_set_handler ("roster-window-open", G_LOG_LEVEL_MESSAGE, log_cb, &said);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_present (GTK_WINDOW (window));
  roster_ui_test_spin ();
  g_assert_true (roster_window_is_preparing (window));
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_null (window);

  wake = roster_ui_test_keep_awake ();
  while (said == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
  g_log_remove_handler ("roster-window-open", handler);
  g_assert_nonnull (strstr (said, "tasks.db was left as it was"));

  after = roster_test_file_digest (f->path);
  g_assert_cmpstr (after, ==, before);
}

int
main (int   argc,
      char *argv[])
{
  if (!roster_ui_test_init (&argc, &argv))
    return 77;

  g_test_add ("/open/prepare", Fixture, NULL, setup, test_prepare, teardown);
  g_test_add ("/open/close-while-preparing", Fixture, NULL, setup, test_close_while_preparing, teardown);
  g_test_add ("/open/destroy-while-preparing", Fixture, NULL, setup, test_destroy_while_preparing, teardown);
  g_test_add ("/open/damaged", Fixture, NULL, setup, test_damaged, teardown);
  g_test_add ("/open/ready-file", Fixture, NULL, setup, test_ready_file, teardown);

  return g_test_run ();
}
