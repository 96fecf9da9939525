/* test-preferences.c: the Preferences window. "Run in the background"
 * follows the setting both ways (GSettings' memory backend), and, outside
 * a sandbox (as the tests run), a line under it says plainly that Roster
 * cannot start itself at login. ROSTER_PREFERENCES_SCREENSHOTS=DIR saves a
 * picture of the window. */
#define G_LOG_DOMAIN "test-preferences"

#include <string.h>

#include "roster-preferences-window.h"
#include "roster-ui-test-util.h"

static void
test_background (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.rosterapp.Roster");
  RosterPreferencesWindow *window;
  GtkSwitch *toggle;
  GtkLabel *status;

  g_settings_reset (settings, "run-in-background");
  /* A switch animated would change only at the end of its animation. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  window = roster_preferences_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  roster_ui_test_spin ();
  toggle = roster_ui_test_template_child (window, ROSTER_TYPE_PREFERENCES_WINDOW, "background_switch");
  status = roster_ui_test_template_child (window, ROSTER_TYPE_PREFERENCES_WINDOW, "background_status");

  g_assert_false (gtk_switch_get_active (toggle));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (status)));
  g_assert_nonnull (strstr (gtk_label_get_text (status), "log in"));

  /* As a person turns it on: a click on the row activates its switch. */
  adw_action_row_activate (roster_ui_test_template_child (window, ROSTER_TYPE_PREFERENCES_WINDOW,
                                                          "background_row"));
  roster_ui_test_spin ();
  g_assert_true (gtk_switch_get_active (toggle));
  g_assert_true (g_settings_get_boolean (settings, "run-in-background"));
  /* No portal to ask: the switch stays on and the line stays. */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (status)));
  roster_ui_test_save_screenshot (GTK_WIDGET (window), "ROSTER_PREFERENCES_SCREENSHOTS", "preferences",
                                  "background");

  g_settings_set_boolean (settings, "run-in-background", FALSE);
  g_assert_false (gtk_switch_get_active (toggle));

  gtk_window_destroy (GTK_WINDOW (window));
  roster_ui_test_spin ();
}

int
main (int   argc,
      char *argv[])
{
  if (!roster_ui_test_init (&argc, &argv))
    return 77;

  g_test_add_func ("/preferences/background", test_background);
  return g_test_run ();
}
