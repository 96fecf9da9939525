/* roster-application.h: the Roster application: one instance per session,
 * command-line options, application-wide actions. */
#pragma once

#include <adwaita.h>

#include "roster-notifier.h"
#include "roster-window.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_APPLICATION (roster_application_get_type ())
G_DECLARE_FINAL_TYPE (RosterApplication, roster_application, ROSTER, APPLICATION, AdwApplication)

RosterApplication *roster_application_new              (void);
char              *roster_application_get_default_path (void);
RosterWindow      *roster_application_open_path        (RosterApplication *self,
                                                        const char        *path);
RosterNotifier    *roster_application_get_notifier     (RosterApplication *self);

G_END_DECLS
