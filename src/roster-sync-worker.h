/* roster-sync-worker.h: the window's sync calls, each in a worker thread.
 *
 * roster_sync_run() and the CalDAV client block, and the store they use must
 * belong to the thread they run on. So each call here opens a RosterStore of
 * its own on the window's file in a GTask thread (with a main context of its
 * own pushed there), and the window sees what it wrote as another program's
 * commit (roster_store_refresh()). The password goes between the keyring and
 * the client inside the worker only; it is never in the file or a log.
 */
#pragma once

#include <gio/gio.h>

#include "roster-sync.h"

G_BEGIN_DECLS

/* Checks the account by discovery, then keeps the password in the keyring
 * and the account in @path. The errors are the client's sentences. */
void              roster_sync_worker_sign_in_async  (const char           *path,
                                                     const char           *server,
                                                     const char           *username,
                                                     const char           *password,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          roster_sync_worker_sign_in_finish (GAsyncResult         *result,
                                                     GError              **error);

/* Forgets the password and the account (the tasks stay). */
void              roster_sync_worker_sign_out_async (const char           *path,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          roster_sync_worker_sign_out_finish (GAsyncResult        *result,
                                                     GError              **error);

/* One sync of @path with its account, the password from the keyring (none
 * there: ROSTER_CALDAV_ERROR_AUTH). */
void              roster_sync_worker_run_async      (const char           *path,
                                                     RosterSyncFlags       flags,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
/* (transfer full): free with roster_sync_worker_result_free(). */
RosterSyncResult *roster_sync_worker_run_finish     (GAsyncResult         *result,
                                                     GError              **error);
void              roster_sync_worker_result_free    (RosterSyncResult     *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterSyncResult, roster_sync_worker_result_free)

G_END_DECLS
