/* roster-prepare.h: opening a file that must first be prepared for this
 * version of Roster, in a worker thread.
 *
 * A file from elsewhere (the seed's SQLModel classes, an older Roster) is
 * checked, copied aside and migrated before the store can use it: seconds
 * for a large file. roster_store_open_async() does that work with a
 * connection of its own in a worker thread, tells how far it got, and can be
 * cancelled: the migration is one transaction, and a cancelled one leaves
 * the file byte-for-byte as it was. Then it opens the store as
 * roster_store_open_full() does, now without anything to write.
 *
 * A caller that wants the usual synchronous open for files that need no
 * preparing (almost all of them) first calls roster_store_open_full() with
 * %ROSTER_OPEN_IF_READY, which fails with %ROSTER_ERROR_NEEDS_PREPARING,
 * having asked only read-only questions, when this is needed.
 */
#pragma once

#include <gio/gio.h>

#include "roster-store.h"

G_BEGIN_DECLS

/**
 * RosterProgressFunc:
 * @fraction: how much of the work is done, from 0 to 1
 * @user_data: the data given with the function
 *
 * Called in the main context of the caller of roster_store_open_async(),
 * with fractions that never go down; the last one is 1.
 */
typedef void (*RosterProgressFunc) (double   fraction,
                                    gpointer user_data);

void            roster_store_open_async   (const char          *path,
                                           RosterOpenFlags      flags,
                                           GCancellable        *cancellable,
                                           RosterProgressFunc   progress,
                                           gpointer             progress_data,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
RosterStore    *roster_store_open_finish  (GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
