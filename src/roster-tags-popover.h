/* roster-tags-popover.h: add or remove a task's tags, with type-ahead that
 * creates a tag when nothing matches. */
#pragma once

#include <gtk/gtk.h>

#include "roster-model.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_TAGS_POPOVER (roster_tags_popover_get_type ())
G_DECLARE_FINAL_TYPE (RosterTagsPopover, roster_tags_popover, ROSTER, TAGS_POPOVER, GtkPopover)

GtkWidget *roster_tags_popover_new (RosterStore *store,
                                    RosterTask  *task);

G_END_DECLS
