/* roster-sync-lease.h: one sync at a time per file, across processes.
 *
 * Two windows on one file, or a window and `roster sync` from cron, would
 * otherwise read the same outbox and tokens and race each other (double
 * PUTs, 412s, a token stored over a newer one). roster_sync_run() takes the
 * file's lease first and holds it for the whole run; another sync of the
 * file meanwhile fails at once with ROSTER_SYNC_ERROR_BUSY. Private to the
 * model layer; roster-sync-lease.c says how the lease is kept.
 */
#pragma once

#include "roster-store.h"

G_BEGIN_DECLS

/* How long a lease lasts without being renewed: what a sync killed with
 * SIGKILL (or a computer switched off) keeps the others waiting at most.
 * The holder renews it every third of that. */
#define ROSTER_SYNC_LEASE_SECONDS 60

typedef struct _RosterSyncLease RosterSyncLease;

/* Takes the lease of @store's file for @seconds, renewed until
 * roster_sync_lease_release(): NULL with ROSTER_SYNC_ERROR_BUSY when
 * another sync holds it and it has not expired (or a RosterError when the
 * file cannot be written). Call it on the store's thread. */
RosterSyncLease *roster_sync_lease_take    (RosterStore      *store,
                                            guint             seconds,
                                            GError          **error);
/* Stops renewing and gives the lease back (on the store's thread). */
void             roster_sync_lease_release (RosterSyncLease  *lease);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterSyncLease, roster_sync_lease_release)

G_END_DECLS
