/* roster-sync-page.h: the Sync page of the preferences: the file's CalDAV
 * account (server address, username, password), checked by signing in.
 *
 * Signing in discovers the account in a worker (roster-sync-worker.h), and
 * only then keeps the password in the keyring and the account in the file;
 * what went wrong is said under the rows, which keep what was typed. Signing
 * out forgets both (the tasks stay). "account-changed" tells whoever shows
 * the page that the file's account was set up, changed or forgotten.
 */
#pragma once

#include <adwaita.h>

#include "roster-model.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_SYNC_PAGE (roster_sync_page_get_type ())
G_DECLARE_FINAL_TYPE (RosterSyncPage, roster_sync_page, ROSTER, SYNC_PAGE, AdwPreferencesPage)

/* A page for @store's account (read now from the file). */
GtkWidget *roster_sync_page_new      (RosterStore    *store);
/* Signs in with what the rows hold, as the button does. */
void       roster_sync_page_sign_in  (RosterSyncPage *self);
/* What the page says under the rows (for tests). */
const char *roster_sync_page_get_status (RosterSyncPage *self);

G_END_DECLS
