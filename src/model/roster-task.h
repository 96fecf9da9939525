/* roster-task.h: one task, owned by one user; one object per `task` row.
 *
 * Properties (read-only, notified when a commit changes them):
 *   "id" (gint64), "title" (string), "owner" (RosterUser), "owner-id" (gint64),
 *   "done" (gboolean), "notes" (string, never NULL), "due-date" (GDateTime,
 *   midnight UTC of the day, or NULL), "position" (gint64: list order).
 */
#pragma once

#include <glib-object.h>

#include "roster-user.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_TASK (roster_task_get_type ())
G_DECLARE_FINAL_TYPE (RosterTask, roster_task, ROSTER, TASK, GObject)

gint64       roster_task_get_id       (RosterTask *self);
const char  *roster_task_get_title    (RosterTask *self);
RosterUser  *roster_task_get_owner    (RosterTask *self);
gint64       roster_task_get_owner_id (RosterTask *self);
gboolean     roster_task_get_done     (RosterTask *self);
const char  *roster_task_get_notes    (RosterTask *self);
GDateTime   *roster_task_get_due_date (RosterTask *self);
gint64       roster_task_get_position (RosterTask *self);

G_END_DECLS
