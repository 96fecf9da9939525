/* roster-task-row.h: one task in a list: done check, title, tag chips, due
 * date. A row shows one task at a time and is rebound as the list scrolls. */
#pragma once

#include <adwaita.h>

#include "roster-model.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_TASK_ROW (roster_task_row_get_type ())
G_DECLARE_FINAL_TYPE (RosterTaskRow, roster_task_row, ROSTER, TASK_ROW, AdwBin)

GtkWidget  *roster_task_row_new            (RosterStore   *store);
RosterTask *roster_task_row_get_task       (RosterTaskRow *self);
void        roster_task_row_set_task       (RosterTaskRow *self,
                                            RosterTask    *task);
void        roster_task_row_set_show_owner (RosterTaskRow *self,
                                            gboolean       show_owner);
/* A heading above the task (the first of its day in Upcoming); NULL: none. */
void        roster_task_row_set_heading    (RosterTaskRow *self,
                                            const char    *heading);
/* Whether a task dropped on the row moves there (the list is in its
 * manual order); FALSE refuses drops. */
void        roster_task_row_set_reorderable (RosterTaskRow *self,
                                             gboolean       reorderable);
void        roster_task_row_start_rename   (RosterTaskRow *self);
gboolean    roster_task_row_get_editing    (RosterTaskRow *self);
GtkPopover *roster_task_row_popup_tags     (RosterTaskRow *self);

G_END_DECLS
