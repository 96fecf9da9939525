/* roster-category.h: a tag gathering tasks of every user; one object per `category` row.
 *
 * Properties (read-only, notified when a commit changes them):
 *   "id" (gint64), "name" (string), "color" (string, "#rrggbb"),
 *   "n-tasks" (guint: read on first use, then kept current).
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ROSTER_TYPE_CATEGORY (roster_category_get_type ())
G_DECLARE_FINAL_TYPE (RosterCategory, roster_category, ROSTER, CATEGORY, GObject)

gint64       roster_category_get_id      (RosterCategory *self);
const char  *roster_category_get_name    (RosterCategory *self);
const char  *roster_category_get_color   (RosterCategory *self);
guint        roster_category_get_n_tasks (RosterCategory *self);

G_END_DECLS
