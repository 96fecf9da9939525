/* roster-user.h: a person who owns tasks; one object per `user` row.
 *
 * Properties (read-only, notified when a commit changes them):
 *   "id" (gint64), "username" (string),
 *   "n-tasks", "n-open-tasks" (guint: read on first use, then kept current).
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ROSTER_TYPE_USER (roster_user_get_type ())
G_DECLARE_FINAL_TYPE (RosterUser, roster_user, ROSTER, USER, GObject)

gint64       roster_user_get_id           (RosterUser *self);
const char  *roster_user_get_username     (RosterUser *self);
guint        roster_user_get_n_tasks      (RosterUser *self);
guint        roster_user_get_n_open_tasks (RosterUser *self);

G_END_DECLS
