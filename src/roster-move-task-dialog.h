/* roster-move-task-dialog.h: asks which user gets a task.
 *
 * Responses: "move" (to roster_move_task_dialog_get_user(); a row activated
 * answers it too, and closes the dialog), "cancel". The dialog only asks:
 * whoever shows it moves the task.
 */
#pragma once

#include <adwaita.h>

#include "roster-model.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_MOVE_TASK_DIALOG (roster_move_task_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RosterMoveTaskDialog, roster_move_task_dialog, ROSTER, MOVE_TASK_DIALOG,
                      AdwMessageDialog)

/* @users: every user; all but the task's owner are offered. */
GtkWidget  *roster_move_task_dialog_new      (GtkWindow            *parent,
                                              RosterTask           *task,
                                              GListModel           *users);
RosterTask *roster_move_task_dialog_get_task (RosterMoveTaskDialog *self);
/* The user chosen, or NULL. */
RosterUser *roster_move_task_dialog_get_user (RosterMoveTaskDialog *self);

G_END_DECLS
