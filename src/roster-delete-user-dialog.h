/* roster-delete-user-dialog.h: asks what becomes of a user's tasks when the
 * user is deleted.
 *
 * Responses: "delete" (the tasks too), "move" (to the user chosen:
 * roster_delete_user_dialog_get_heir(); disabled when there is no other
 * user), "cancel". The dialog only asks: whoever shows it deletes.
 */
#pragma once

#include <adwaita.h>

#include "roster-model.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_DELETE_USER_DIALOG (roster_delete_user_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RosterDeleteUserDialog, roster_delete_user_dialog, ROSTER, DELETE_USER_DIALOG,
                      AdwMessageDialog)

/* @users: every user (@user among them), from which the heirs are offered. */
GtkWidget  *roster_delete_user_dialog_new      (GtkWindow              *parent,
                                                RosterUser             *user,
                                                GListModel             *users);
/* The file syncs with a server: the dialog says the user's list there goes too. */
void        roster_delete_user_dialog_set_synced (RosterDeleteUserDialog *self,
                                                  gboolean                synced);
RosterUser *roster_delete_user_dialog_get_user (RosterDeleteUserDialog *self);
/* The user chosen to get the tasks, or NULL. */
RosterUser *roster_delete_user_dialog_get_heir (RosterDeleteUserDialog *self);

G_END_DECLS
