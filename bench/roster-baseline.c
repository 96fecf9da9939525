/* roster-baseline.c: the yardstick of issue 5's start-up and memory targets.
 *
 * The most trivial libadwaita window a list application could show: an
 * AdwApplication, an AdwApplicationWindow of Roster's default size (960×640)
 * with a header bar and a GtkListView (GtkSignalListItemFactory, one GtkLabel a
 * row) over a GtkStringList of 1,000 short rows. bench/roster-startup spawns it
 * as it spawns Roster and compares the two.
 *
 * With ROSTER_BENCH=startup, on the frame clock's "after-paint" of the first
 * frame showing rows of the list, it prints what Roster's hook prints
 * (src/roster-bench-hook.c) and quits:
 *   roster-bench first-frame <g_get_monotonic_time() us> vmhwm-kib <N>
 * With ROSTER_BENCH=scroll it then scrolls its list to the end, a page a
 * frame, measured as Roster's hook measures it (the yardstick of a frame with
 * the same renderer and display), and prints the same "roster-bench scroll"
 * line. Without ROSTER_BENCH it simply stays open.
 */
#define G_LOG_DOMAIN "roster-baseline"

#include <adwaita.h>
#include <stdio.h>
#include <string.h>

#define N_ROWS 1000

#define LONG_BLOCK_US 16000

static GtkWidget *list_view;
static gboolean reported;
static gboolean scroll_mode;
static gboolean scrolling;
static GtkAdjustment *vadjustment;
static guint n_frames;
static gint64 scroll_start, last_paint, worst_frame;

/* The main loop's poll, wrapped to time every iteration, as in Roster's hook. */
static GPollFunc real_poll;
static gint64 poll_returned, worst_block;
static guint n_long_blocks;

static gint
timed_poll (GPollFD *fds,
            guint    n_fds,
            gint     timeout)
{
  gint64 now = g_get_monotonic_time ();
  gint ret;

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

/* Rows made, mapped and allocated: this frame showed them. */
static gboolean
rows_shown (void)
{
  if (!gtk_widget_get_mapped (list_view))
    return FALSE;

  for (GtkWidget *child = gtk_widget_get_first_child (list_view);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *label = gtk_widget_get_first_child (child);

      if (label != NULL && GTK_IS_LABEL (label) && gtk_widget_get_mapped (label) &&
          gtk_widget_get_height (label) > 0 && gtk_label_get_label (GTK_LABEL (label))[0] != '\0')
        return TRUE;
    }
  return FALSE;
}

/* A page a frame until the end of the list has been painted. */
static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  double value = gtk_adjustment_get_value (vadjustment);
  double page = gtk_adjustment_get_page_size (vadjustment);
  double upper = gtk_adjustment_get_upper (vadjustment);

  if (reported)
    return G_SOURCE_REMOVE;

  if (value + page >= upper - 0.5)
    {
      reported = TRUE;
      g_main_context_set_poll_func (NULL, real_poll);
      g_print ("roster-bench scroll frames %u worst-frame-us %" G_GINT64_FORMAT
               " vmhwm-kib %" G_GINT64_FORMAT " worst-block-us %" G_GINT64_FORMAT
               " mean-frame-us %" G_GINT64_FORMAT " long-blocks %u\n",
               n_frames, worst_frame, vmhwm_kib (), worst_block,
               n_frames > 0 ? (last_paint - scroll_start) / n_frames : 0, n_long_blocks);
      fflush (stdout);
      g_application_quit (g_application_get_default ());
      return G_SOURCE_REMOVE;
    }

  gtk_adjustment_set_value (vadjustment, MIN (value + page, upper - page));
  return G_SOURCE_CONTINUE;
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   gpointer       user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (reported)
    return;

  if (scrolling)
    {
      worst_frame = MAX (worst_frame, now - last_paint);
      last_paint = now;
      n_frames++;
      return;
    }

  if (!rows_shown ())
    return;

  if (scroll_mode)
    {
      GtkWidget *scrolled = gtk_widget_get_ancestor (list_view, GTK_TYPE_SCROLLED_WINDOW);

      vadjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
      scrolling = TRUE;
      scroll_start = last_paint = now;
      real_poll = g_main_context_get_poll_func (NULL);
      g_main_context_set_poll_func (NULL, timed_poll);
      gtk_widget_add_tick_callback (list_view, scroll_tick_cb, NULL, NULL);
      return;
    }

  reported = TRUE;
  g_print ("roster-bench first-frame %" G_GINT64_FORMAT " vmhwm-kib %" G_GINT64_FORMAT "\n",
           now, vmhwm_kib ());
  fflush (stdout);
  g_application_quit (g_application_get_default ());
}

static void
on_realize_cb (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint_cb), NULL);
}

static void
on_setup_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_list_item_set_child (item, label);
}

static void
on_bind_cb (GtkSignalListItemFactory *factory,
            GtkListItem              *item)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)),
                       gtk_string_object_get_string (string));
}

static void
on_activate_cb (GApplication *app)
{
  g_autoptr(GtkStringList) strings = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkNoSelection *selection;
  GtkWidget *window, *box, *scrolled;
  const char *mode = g_getenv ("ROSTER_BENCH");

  for (guint i = 1; i <= N_ROWS; i++)
    {
      char row[32];

      g_snprintf (row, sizeof row, "Row %u", i);
      gtk_string_list_append (strings, row);
    }

  g_signal_connect (factory, "setup", G_CALLBACK (on_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind_cb), NULL);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_steal_pointer (&strings)));
  list_view = gtk_list_view_new (GTK_SELECTION_MODEL (selection), g_object_ref (factory));

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list_view);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), scrolled);

  window = adw_application_window_new (GTK_APPLICATION (app));
  gtk_window_set_title (GTK_WINDOW (window), "Roster baseline");
  /* Roster's default size (its GSettings schema and its fallback). */
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 640);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);

  scroll_mode = mode != NULL && g_str_equal (mode, "scroll");
  if (mode != NULL && (g_str_equal (mode, "startup") || scroll_mode))
    g_signal_connect (window, "realize", G_CALLBACK (on_realize_cb), NULL);
  else if (mode != NULL)
    g_warning ("ROSTER_BENCH=%s: expected startup or scroll", mode);

  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.rosterapp.RosterBaseline",
                                                       G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (on_activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
