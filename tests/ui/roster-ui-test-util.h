/* roster-ui-test-util.h: what every widget test (test-window-*, test-open,
 * test-find-bar) shares: starting under a display, running the main loop,
 * pressing a key, a widget of a template, saving what the window shows. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* gtk_test_init() and adw_init(); without a display, prints the TAP line
 * of a skipped program and returns FALSE (main() then returns 77). */
gboolean roster_ui_test_init            (int        *argc,
                                         char     ***argv);
void     roster_ui_test_spin            (void);
guint    roster_ui_test_keep_awake      (void);
gboolean roster_ui_test_press_key       (GtkWidget  *widget,
                                         guint       keyval);
/* The object with id @id in the template of @type that @widget was built
 * from (bound with gtk_widget_class_bind_template_child()); fails the test
 * when there is none. */
gpointer roster_ui_test_template_child  (gpointer    widget,
                                         GType       type,
                                         const char *id);
void     roster_ui_test_save_screenshot (GtkWidget  *window,
                                         const char *env_var,
                                         const char *prefix,
                                         const char *name);

G_END_DECLS
