/* roster-task.h: one task, owned by one user; one object per `task` row.
 *
 * Properties (read-only, notified when a commit changes them):
 *   "id" (gint64), "title" (string), "owner" (RosterUser), "owner-id" (gint64),
 *   "done" (gboolean), "notes" (string, never NULL), "due-date" (GDateTime,
 *   midnight UTC of the day, or NULL), "position" (gint64: list order),
 *   "due-time" (string "HH:MM" or NULL: a wall-clock time on the due date,
 *   wherever the computer is), "priority" (RosterPriority), "recurrence"
 *   (string, never NULL: the value of an RFC 5545 RRULE, "" when the task
 *   does not repeat).
 */
#pragma once

#include <glib-object.h>

#include "roster-user.h"

G_BEGIN_DECLS

/* The stored numbers: "by priority" sorts them in descending order. */
typedef enum
{
  ROSTER_PRIORITY_NONE = 0,
  ROSTER_PRIORITY_LOW = 1,
  ROSTER_PRIORITY_MEDIUM = 2,
  ROSTER_PRIORITY_HIGH = 3,
} RosterPriority;

#define ROSTER_TYPE_PRIORITY (roster_priority_get_type ())
GType roster_priority_get_type (void) G_GNUC_CONST;
/* "low", "medium", "high" (for files and scripts, not translated); NULL for none. */
const char *roster_priority_to_word (RosterPriority priority);

#define ROSTER_TYPE_TASK (roster_task_get_type ())
G_DECLARE_FINAL_TYPE (RosterTask, roster_task, ROSTER, TASK, GObject)

gint64          roster_task_get_id         (RosterTask *self);
const char     *roster_task_get_title      (RosterTask *self);
RosterUser     *roster_task_get_owner      (RosterTask *self);
gint64          roster_task_get_owner_id   (RosterTask *self);
gboolean        roster_task_get_done       (RosterTask *self);
const char     *roster_task_get_notes      (RosterTask *self);
GDateTime      *roster_task_get_due_date   (RosterTask *self);
gint64          roster_task_get_position   (RosterTask *self);
const char     *roster_task_get_due_time   (RosterTask *self);
RosterPriority  roster_task_get_priority   (RosterTask *self);
const char     *roster_task_get_recurrence (RosterTask *self);
/* The moment the task is due, in the local time zone: its due time on its
 * due date (midnight without a time); NULL without a due date. */
GDateTime      *roster_task_dup_due_local  (RosterTask *self);

G_END_DECLS
