/* roster-ui-test-util.h: what the widget tests (test-window, test-find-bar)
 * share: running the main loop, pressing a key, saving what the window
 * shows. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void     roster_ui_test_spin            (void);
guint    roster_ui_test_keep_awake      (void);
gboolean roster_ui_test_press_key       (GtkWidget  *widget,
                                         guint       keyval);
void     roster_ui_test_save_screenshot (GtkWidget  *window,
                                         const char *env_var,
                                         const char *prefix,
                                         const char *name);

G_END_DECLS
