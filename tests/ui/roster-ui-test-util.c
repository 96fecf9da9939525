/* roster-ui-test-util.c: see roster-ui-test-util.h. */
#include <adwaita.h>

#include "roster-ui-test-util.h"

/* Without xvfb-run (see meson.build) and without a display: skip (77). */
gboolean
roster_ui_test_init (int    *argc,
                     char ***argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display; install xvfb\n");
      return FALSE;
    }
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  return TRUE;
}

/* Runs what is pending, a few rounds over: rows bound, lists laid out. */
void
roster_ui_test_spin (void)
{
  for (guint i = 0; i < 20; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

/* Sends a key to the (first) capture-phase key controller of @widget: what
 * GTK does with a real key press before the widget sees it. */
gboolean
roster_ui_test_press_key (GtkWidget *widget,
                          guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  guint n = g_list_model_get_n_items (controllers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
      gboolean handled = FALSE;

      if (!GTK_IS_EVENT_CONTROLLER_KEY (controller) ||
          gtk_event_controller_get_propagation_phase (controller) != GTK_PHASE_CAPTURE)
        continue;
      g_signal_emit_by_name (controller, "key-pressed", keyval, 0, (GdkModifierType) 0, &handled);
      return handled;
    }
  g_error ("no key controller on %s", G_OBJECT_TYPE_NAME (widget));
  return FALSE;
}

gpointer
roster_ui_test_template_child (gpointer    widget,
                               GType       type,
                               const char *id)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, id);

  if (child == NULL)
    g_error ("no \"%s\" in the template of %s", id, g_type_name (type));
  return child;
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* A source that wakes the main loop every 10 ms, so that a blocking
 * g_main_context_iteration() comes back to check a deadline; remove it with
 * g_source_remove(). */
guint
roster_ui_test_keep_awake (void)
{
  return g_timeout_add (10, wake_cb, NULL);
}

/* With the environment variable @env_var set to a folder, saves
 * FOLDER/PREFIX-NAME.png: @window as drawn, after half a second of frames
 * for the rows to be laid out. */
void
roster_ui_test_save_screenshot (GtkWidget  *window,
                                const char *env_var,
                                const char *prefix,
                                const char *name)
{
  const char *dir = g_getenv (env_var);
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  GdkPaintable *paintable;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  GdkTexture *texture;
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  guint wake;

  if (dir == NULL)
    return;

  wake = roster_ui_test_keep_awake ();
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);

  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (window), gtk_widget_get_height (window));
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node, NULL);
  file = g_strdup_printf ("%s-%s.png", prefix, name);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_object_unref (texture);
  gsk_render_node_unref (node);
  g_object_unref (paintable);
}
