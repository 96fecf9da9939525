/* roster-window.h: Roster's main window on one store: users and tags in the
 * sidebar, the selected user's (or tag's) tasks, the details pane. */
#pragma once

#include <adwaita.h>

#include "roster-model.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_WINDOW (roster_window_get_type ())
G_DECLARE_FINAL_TYPE (RosterWindow, roster_window, ROSTER, WINDOW, AdwApplicationWindow)

RosterWindow *roster_window_new       (GtkApplication *application,
                                       const char     *path);
const char   *roster_window_get_path  (RosterWindow   *self);
RosterStore  *roster_window_get_store (RosterWindow   *self);
/* TRUE while the file is being prepared for this version (the store is
 * then still NULL). */
gboolean      roster_window_is_preparing (RosterWindow *self);
/* For the search provider: a task selected in its owner's list (as Find
 * shows it), and Find opened on @text. */
void          roster_window_show_task    (RosterWindow *self,
                                          RosterTask   *task);
void          roster_window_find         (RosterWindow *self,
                                          const char   *text);
/* The pages of @preferences that belong to this window's file (Sync). */
void          roster_window_add_preferences (RosterWindow         *self,
                                             AdwPreferencesWindow *preferences);

G_END_DECLS
