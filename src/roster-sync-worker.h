/* roster-sync-worker.h: the window's sync calls, each in a worker thread.
 *
 * roster_sync_run() and the CalDAV client block, and the store they use must
 * belong to the thread they run on. So each call here opens a RosterStore of
 * its own on the window's file in a GTask thread (with a main context of its
 * own pushed there), and the window sees what it wrote as another program's
 * commit (roster_store_refresh()). The keyring is asked on the caller's
 * thread (asynchronously) and the password handed to the worker; it is
 * never in the file or a log.
 *
 * @store, where a call takes one, is the caller's (the window's): its file
 * and account, read on the caller's thread.
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
void              roster_sync_worker_sign_out_async (RosterStore          *store,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          roster_sync_worker_sign_out_finish (GAsyncResult        *result,
                                                     GError              **error);

/* One sync of @store's file with its account, the password from the
 * keyring (none there: ROSTER_CALDAV_ERROR_AUTH). */
void              roster_sync_worker_run_async      (RosterStore          *store,
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
