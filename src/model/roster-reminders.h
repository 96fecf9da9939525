/* roster-reminders.h: when open tasks with a due time fall due.
 *
 * A RosterReminders watches one store and says when a task's moment (its
 * due time on its due date, local wall-clock time) comes: "due" (RosterTask)
 * for each task, at that moment, while it runs. It keeps "checked", the
 * moment up to which it has said so ("YYYY-MM-DD HH:MM", local wall-clock
 * time; "" before the first check): the application keeps it between runs,
 * so that roster_reminders_start() can say once, as "missed" (a GPtrArray of
 * RosterTask), which moments passed while nothing ran. A moment is said
 * once: "checked" never goes back (not when clocks fall back at the end of
 * summer time, nor when a task's date moves into the past), and a done task
 * has no moment (a repeating one, marked done, has its next one).
 *
 * The clock is the system's, or one a test fixes (roster_reminders_set_now()).
 * No GTK: the application turns the signals into notifications.
 */
#pragma once

#include "roster-store.h"

G_BEGIN_DECLS

/* At most this many tasks in one "missed" or one check's "due". */
#define ROSTER_REMINDERS_MAX 200

#define ROSTER_TYPE_REMINDERS (roster_reminders_get_type ())
G_DECLARE_FINAL_TYPE (RosterReminders, roster_reminders, ROSTER, REMINDERS, GObject)

RosterReminders *roster_reminders_new         (RosterStore     *store);
RosterStore     *roster_reminders_get_store   (RosterReminders *self);
/* "checked" (string, notified): set it from the last run before starting. */
const char      *roster_reminders_get_checked (RosterReminders *self);
void             roster_reminders_set_checked (RosterReminders *self,
                                               const char      *checked);
/* The first check: "missed" once with the moments after "checked" (none on
 * the very first run), then "due" as each next moment comes. */
void             roster_reminders_start       (RosterReminders *self);
/* Looks again now (the application calls it when the computer wakes up);
 * a fixed clock is checked when it is set. */
void             roster_reminders_check       (RosterReminders *self);
/* (nullable) Fixes the clock at @now and checks; NULL follows the system's
 * clock again. */
void             roster_reminders_set_now     (RosterReminders *self,
                                               GDateTime       *now);
/* (transfer full) (nullable) The next moment a task falls due, local. */
GDateTime       *roster_reminders_dup_next    (RosterReminders *self);

G_END_DECLS
