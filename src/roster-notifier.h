/* roster-notifier.h: reminders as desktop notifications (see
 * roster-notifier.c). */
#pragma once

#include <adwaita.h>

#include "roster-model.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_NOTIFIER (roster_notifier_get_type ())
G_DECLARE_FINAL_TYPE (RosterNotifier, roster_notifier, ROSTER, NOTIFIER, GObject)

/* Adds the notifications' actions to @application and starts watching the
 * file at @path (if it is there and ready; else it looks again later). */
RosterNotifier  *roster_notifier_new           (GtkApplication *application,
                                                const char     *path);
/* (nullable) The reminders while the file is open: for tests, which fix its
 * clock. */
RosterReminders *roster_notifier_get_reminders (RosterNotifier *self);
/* Looks at the file now: a window created it, or the computer woke up. */
void             roster_notifier_check         (RosterNotifier *self);
/* The id of the notification for @task_id, or of the summary (0). */
char            *roster_notifier_dup_id        (gint64          task_id);

G_END_DECLS
