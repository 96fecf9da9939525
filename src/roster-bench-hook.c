/* roster-bench-hook.c: what bench/roster-startup measures inside Roster.
 *
 * For the benchmark only: nothing here runs unless ROSTER_BENCH is set.
 *
 * ROSTER_BENCH=startup: on the frame clock's "after-paint" of the first frame
 * whose task list shows rows of the first user's tasks (or, for a file without
 * users, of the first frame at all), prints one line and quits:
 *   roster-bench first-frame <g_get_monotonic_time() us> vmhwm-kib <N>
 * The driver spawns Roster just after reading the same clock (CLOCK_MONOTONIC,
 * shared by every process), so the difference is launch to first picture.
 *
 * ROSTER_BENCH=scroll: from that frame on, waits until every list view of
 * the window has its whole list (the window first shows a screenful of each
 * and makes the rest over the next frames), timing the main loop meanwhile;
 * then moves the task list's GtkScrolledWindow down by one page on every
 * frame (a tick callback), until the last task is on screen, then prints
 *   roster-bench scroll frames <n> worst-frame-us <N> vmhwm-kib <N> worst-block-us <N>
 *     mean-frame-us <N> long-blocks <n> fill-us <N> fill-worst-block-us <N>
 *     fill-long-blocks <n>
 * and quits. The fill-* fields are the wait for the whole lists: its time,
 * longest iteration and iterations over 16 ms. worst-frame-us is the
 * longest time between two consecutive "after-paint"s (never less than the
 * frame clock's period, ~16.7 ms without a compositor), mean-frame-us their
 * mean; worst-block-us the longest the main loop went without polling (the
 * longest single iteration: a whole frame, or anything else it ran), which is
 * the "never blocks for more than a frame" of issue 5, and long-blocks how
 * many iterations took longer than 16 ms.
 *
 * ROSTER_BENCH=settle: from that frame on, waits until the main loop has had
 * nothing to run for a second (Roster's background work after opening a file,
 * such as building Find's index of a migrated file, is done), prints
 *   roster-bench settled <g_get_monotonic_time() us> vmhwm-kib <N>
 * and quits. The driver uses it once, so that every measured run finds the
 * file in the same state.
 *
 * Built into roster-instrumented only (src/meson.build), not into the roster
 * people install. The window is the application's first RosterWindow
 * ("window-added") and its task list is found through the widget tree (the
 * GtkListView with the "roster-tasks" style class), so neither the
 * application's code nor the window's knows anything of this.
 */
#define G_LOG_DOMAIN "roster-bench-hook"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roster-bench-hook.h"
#include "roster-task-row.h"
#include "roster-window.h"

/* Frames at the end of the list before giving up on seeing the last row. */
#define MAX_END_FRAMES 120
/* A main-loop iteration longer than this misses a frame. */
#define LONG_BLOCK_US 16000

typedef enum
{
  MODE_STARTUP,
  MODE_SCROLL,
  MODE_SETTLE,
} BenchMode;

typedef struct
{
  BenchMode      mode;
  GtkWindow     *window;
  GdkFrameClock *clock;
  gulong         after_paint_id;
  gboolean       done;

  /* Scrolling, after the lists are whole */
  gboolean       filling;
  gint64         fill_start;
  gint64         fill_time;
  gint64         fill_worst_block;
  guint          fill_long_blocks;
  GtkWidget     *list;
  GtkAdjustment *vadjustment;
  gboolean       scrolling;
  guint          n_frames;
  guint          n_end_frames;
  gint64         scroll_start;
  gint64         last_paint;
  gint64         worst_frame;
} BenchHook;

static BenchHook hook;

/* The main loop's poll, wrapped to time every iteration (scroll and settle). */
static GPollFunc real_poll;
static gint64 poll_returned;
static gint64 worst_block;
static guint n_long_blocks;
/* Iterations that had something to run at once (polled with no timeout). */
static guint n_busy_polls;

static gint
timed_poll (GPollFD *fds,
            guint    n_fds,
            gint     timeout)
{
  gint64 now = g_get_monotonic_time ();
  gint ret;

  n_busy_polls += timeout == 0;
  if (poll_returned > 0)
    {
      worst_block = MAX (worst_block, now - poll_returned);
      n_long_blocks += now - poll_returned > LONG_BLOCK_US;
    }
  ret = real_poll (fds, n_fds, timeout);
  poll_returned = g_get_monotonic_time ();
  return ret;
}

static gint64
vmhwm_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "\nVmHWM:");
  return line != NULL ? g_ascii_strtoll (line + strlen ("\nVmHWM:"), NULL, 10) : -1;
}

static void
finish (const char *line)
{
  hook.done = TRUE;
  g_print ("%s\n", line);
  fflush (stdout);
  if (real_poll != NULL)
    g_main_context_set_poll_func (NULL, real_poll);
  /* As a person quits (app.quit closes every window, and with it its file),
   * so that the file is left as Roster leaves it: without a journal beside
   * it for the next run to read. */
  g_action_group_activate_action (G_ACTION_GROUP (g_application_get_default ()), "quit", NULL);
}

static GtkWidget *
find_task_list (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget) && gtk_widget_has_css_class (widget, "roster-tasks"))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_task_list (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The task rows the list view made and shows (its children are list items,
 * each holding one RosterTaskRow). With @task, only that task's row counts;
 * with @owner_id > 0, a row of one of that user's tasks. */
static gboolean
list_shows (GtkWidget  *list,
            RosterTask *task,
            gint64      owner_id)
{
  if (list == NULL || !gtk_widget_get_mapped (list))
    return FALSE;

  for (GtkWidget *child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);
      RosterTask *shown;

      if (row == NULL || !ROSTER_IS_TASK_ROW (row) || !gtk_widget_get_mapped (row) ||
          gtk_widget_get_height (row) <= 0)
        continue;
      shown = roster_task_row_get_task (ROSTER_TASK_ROW (row));
      if (shown == NULL)
        continue;
      if (task != NULL ? shown == task : roster_task_get_owner_id (shown) == owner_id)
        return TRUE;
    }
  return FALSE;
}

/* TRUE when this frame shows what a person opening the file waits for. */
static gboolean
first_frame_ready (void)
{
  RosterStore *store = roster_window_get_store (ROSTER_WINDOW (hook.window));
  g_autoptr(GListModel) users = NULL;
  g_autoptr(RosterUser) first = NULL;

  /* A file opened for the first time is prepared first: the tasks come after. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (hook.window)) ||
      roster_window_is_preparing (ROSTER_WINDOW (hook.window)))
    return FALSE;
  if (store == NULL)
    {
      finish ("roster-bench error the file did not open");
      return FALSE;
    }

  users = roster_store_list_users (store);
  if (g_list_model_get_n_items (users) == 0)
    return TRUE;

  first = g_list_model_get_item (users, 0);
  if (hook.list == NULL)
    hook.list = find_task_list (GTK_WIDGET (hook.window));
  return list_shows (hook.list, NULL, roster_user_get_id (first));
}

/* The store's list of the first user's tasks (the one the window opens
 * on), or NULL for a file without users. */
static GListModel *
first_user_tasks (void)
{
  RosterStore *store = roster_window_get_store (ROSTER_WINDOW (hook.window));
  g_autoptr(GListModel) users = roster_store_list_users (store);
  g_autoptr(RosterUser) first = g_list_model_get_item (users, 0);

  return first != NULL ? roster_store_list_user_tasks (store, first) : NULL;
}

/* The last of the first user's tasks (the list view's own model may show
 * only the first rows for a few frames after the first). */
static gboolean
last_task_shown (void)
{
  g_autoptr(GListModel) model = first_user_tasks ();
  guint n = model != NULL ? g_list_model_get_n_items (model) : 0;
  g_autoptr(RosterTask) last = n > 0 ? g_list_model_get_item (model, n - 1) : NULL;

  return last == NULL || list_shows (hook.list, last, 0);
}

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  double value = gtk_adjustment_get_value (hook.vadjustment);
  double page = gtk_adjustment_get_page_size (hook.vadjustment);
  double upper = gtk_adjustment_get_upper (hook.vadjustment);

  if (hook.done)
    return G_SOURCE_REMOVE;

  /* The list view's height is an estimate that grows as rows are measured:
   * at the bottom, go on only until the last task has been painted. */
  if (value + page >= upper - 0.5)
    {
      if (last_task_shown () || ++hook.n_end_frames > MAX_END_FRAMES)
        {
          g_autofree char *line = NULL;

          if (hook.n_end_frames > MAX_END_FRAMES)
            g_printerr ("roster-bench: the last task never showed\n");
          line = g_strdup_printf ("roster-bench scroll frames %u worst-frame-us %" G_GINT64_FORMAT
                                  " vmhwm-kib %" G_GINT64_FORMAT " worst-block-us %" G_GINT64_FORMAT
                                  " mean-frame-us %" G_GINT64_FORMAT " long-blocks %u"
                                  " fill-us %" G_GINT64_FORMAT " fill-worst-block-us %" G_GINT64_FORMAT
                                  " fill-long-blocks %u",
                                  hook.n_frames, hook.worst_frame, vmhwm_kib (), worst_block,
                                  hook.n_frames > 0 ? (hook.last_paint - hook.scroll_start) / hook.n_frames : 0,
                                  n_long_blocks, hook.fill_time, hook.fill_worst_block, hook.fill_long_blocks);
          finish (line);
          return G_SOURCE_REMOVE;
        }
      return G_SOURCE_CONTINUE;
    }

  gtk_adjustment_set_value (hook.vadjustment, MIN (value + page, upper - page));
  return G_SOURCE_CONTINUE;
}

static void
start_scroll (gint64 now)
{
  GtkWidget *scrolled = hook.list != NULL ? gtk_widget_get_ancestor (hook.list, GTK_TYPE_SCROLLED_WINDOW) : NULL;

  if (scrolled == NULL)
    {
      finish ("roster-bench error no task list to scroll");
      return;
    }

  hook.vadjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  hook.scrolling = TRUE;
  hook.scroll_start = now;
  hook.last_paint = now;
  /* The scroll's own count starts here. */
  worst_block = 0;
  n_long_blocks = 0;
  gtk_widget_add_tick_callback (hook.list, scroll_tick_cb, NULL, NULL);
}

/* How many items @widget's list views show, by the type of their items. */
static void
count_list_items (GtkWidget *widget,
                  guint     *n_users,
                  guint     *n_categories,
                  guint     *n_tasks)
{
  if (GTK_IS_LIST_VIEW (widget))
    {
      GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (widget)));
      guint n = model != NULL ? g_list_model_get_n_items (model) : 0;
      /* By what they hold: GTK 4.8's list models say "GObject" for their item type. */
      g_autoptr(GObject) first = n > 0 ? g_list_model_get_item (model, 0) : NULL;

      if (gtk_widget_has_css_class (widget, "roster-tasks"))
        *n_tasks = n;
      else if (ROSTER_IS_USER (first))
        *n_users = n;
      else if (ROSTER_IS_CATEGORY (first))
        *n_categories = n;
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count_list_items (child, n_users, n_categories, n_tasks);
}

/* Whether the sidebar's lists and the first user's task list show every
 * item the store has. */
static gboolean
lists_whole (void)
{
  RosterStore *store = roster_window_get_store (ROSTER_WINDOW (hook.window));
  g_autoptr(GListModel) users = roster_store_list_users (store);
  g_autoptr(GListModel) categories = roster_store_list_categories (store);
  g_autoptr(GListModel) tasks = first_user_tasks ();
  guint n_users = 0, n_categories = 0, n_tasks = 0;

  count_list_items (GTK_WIDGET (hook.window), &n_users, &n_categories, &n_tasks);
  return n_users == g_list_model_get_n_items (users) &&
         n_categories == g_list_model_get_n_items (categories) &&
         n_tasks == (tasks != NULL ? g_list_model_get_n_items (tasks) : 0);
}

/* Checked every frame (a tick callback keeps frames coming when the window
 * has nothing more to draw). */
static gboolean
fill_tick_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (hook.done || !lists_whole ())
    return hook.done ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;

  hook.filling = FALSE;
  hook.fill_time = now - hook.fill_start;
  hook.fill_worst_block = worst_block;
  hook.fill_long_blocks = n_long_blocks;
  start_scroll (now);
  return G_SOURCE_REMOVE;
}

static void
start_filling (gint64 now)
{
  hook.filling = TRUE;
  hook.fill_start = now;
  real_poll = g_main_context_get_poll_func (NULL);
  g_main_context_set_poll_func (NULL, timed_poll);
  gtk_widget_add_tick_callback (GTK_WIDGET (hook.window), fill_tick_cb, NULL, NULL);
}

/* Settled: the main loop had (next to) nothing to run for a whole second,
 * so whatever Roster does in the background after opening a file (Find's
 * index of a file from elsewhere, say) is done. */
#define SETTLE_CHECK_MS   1000
#define SETTLE_MAX_BUSY   10

static gboolean
settle_check_cb (gpointer user_data)
{
  g_autofree char *line = NULL;

  if (n_busy_polls > SETTLE_MAX_BUSY)
    {
      n_busy_polls = 0;
      return G_SOURCE_CONTINUE;
    }
  line = g_strdup_printf ("roster-bench settled %" G_GINT64_FORMAT " vmhwm-kib %" G_GINT64_FORMAT,
                          g_get_monotonic_time (), vmhwm_kib ());
  finish (line);
  return G_SOURCE_REMOVE;
}

static void
start_settle (void)
{
  real_poll = g_main_context_get_poll_func (NULL);
  g_main_context_set_poll_func (NULL, timed_poll);
  n_busy_polls = 0;
  g_timeout_add (SETTLE_CHECK_MS, settle_check_cb, NULL);
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   gpointer       user_data)
{
  gint64 now = g_get_monotonic_time ();
  g_autofree char *line = NULL;

  if (hook.done)
    return;

  if (hook.scrolling)
    {
      hook.worst_frame = MAX (hook.worst_frame, now - hook.last_paint);
      hook.last_paint = now;
      hook.n_frames++;
      return;
    }
  if (hook.filling)
    return;

  if (!first_frame_ready () || hook.done)
    return;

  if (hook.mode == MODE_SCROLL)
    {
      start_filling (now);
      return;
    }
  if (hook.mode == MODE_SETTLE)
    {
      hook.done = TRUE;
      start_settle ();
      return;
    }

  line = g_strdup_printf ("roster-bench first-frame %" G_GINT64_FORMAT " vmhwm-kib %" G_GINT64_FORMAT,
                          now, vmhwm_kib ());
  finish (line);
}

static void
on_realize_cb (GtkWidget *widget)
{
  if (hook.clock != NULL)
    return;
  hook.clock = gtk_widget_get_frame_clock (widget);
  hook.after_paint_id = g_signal_connect (hook.clock, "after-paint",
                                          G_CALLBACK (on_after_paint_cb), NULL);
  gtk_widget_queue_draw (widget);
}

/* The first RosterWindow the application gets: the one it opens on. */
static void
on_window_added_cb (GtkApplication *application,
                    GtkWindow      *window)
{
  if (hook.window != NULL || !ROSTER_IS_WINDOW (window))
    return;

  hook.window = window;
  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    on_realize_cb (GTK_WIDGET (window));
  else
    g_signal_connect (window, "realize", G_CALLBACK (on_realize_cb), NULL);
}

void
roster_bench_hook_install (GtkApplication *application)
{
  const char *mode = g_getenv ("ROSTER_BENCH");

  if (mode == NULL)
    return;

  if (g_str_equal (mode, "startup"))
    hook.mode = MODE_STARTUP;
  else if (g_str_equal (mode, "scroll"))
    hook.mode = MODE_SCROLL;
  else if (g_str_equal (mode, "settle"))
    hook.mode = MODE_SETTLE;
  else
    {
      g_warning ("ROSTER_BENCH=%s: expected startup, scroll or settle", mode);
      return;
    }

  g_signal_connect (application, "window-added", G_CALLBACK (on_window_added_cb), NULL);
}
