/* roster-task-details.h: the details pane of one task: title, notes, due
 * date, owner and tags, each saved through the store. */
#pragma once

#include <adwaita.h>

#include "roster-model.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_TASK_DETAILS (roster_task_details_get_type ())
G_DECLARE_FINAL_TYPE (RosterTaskDetails, roster_task_details, ROSTER, TASK_DETAILS, AdwBin)

void        roster_task_details_set_store (RosterTaskDetails *self,
                                           RosterStore       *store);
void        roster_task_details_set_task  (RosterTaskDetails *self,
                                           RosterTask        *task);
RosterTask *roster_task_details_get_task  (RosterTaskDetails *self);
void        roster_task_details_focus     (RosterTaskDetails *self);

G_END_DECLS
