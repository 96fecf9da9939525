/* roster-sidebar-row.h: a user (with its open-task count) or a tag (with its
 * colour and task count) in the sidebar's list views; renamed in place. */
#pragma once

#include <gtk/gtk.h>

#include "roster-model.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_SIDEBAR_ROW (roster_sidebar_row_get_type ())
G_DECLARE_FINAL_TYPE (RosterSidebarRow, roster_sidebar_row, ROSTER, SIDEBAR_ROW, GtkWidget)

GtkWidget *roster_sidebar_row_new          (RosterStore      *store);
void       roster_sidebar_row_set_item     (RosterSidebarRow *self,
                                            GObject          *item);
GObject   *roster_sidebar_row_get_item     (RosterSidebarRow *self);
void       roster_sidebar_row_start_rename (RosterSidebarRow *self);
gboolean   roster_sidebar_row_get_editing  (RosterSidebarRow *self);

G_END_DECLS
