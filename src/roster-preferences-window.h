/* roster-preferences-window.h: the Preferences window (Ctrl+comma). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ROSTER_TYPE_PREFERENCES_WINDOW (roster_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (RosterPreferencesWindow, roster_preferences_window, ROSTER, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* @parent: (nullable): the window it belongs to */
RosterPreferencesWindow *roster_preferences_window_new (GtkWindow *parent);

G_END_DECLS
