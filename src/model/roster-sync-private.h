/* roster-sync-private.h: what the sync engine's files share (roster-sync.c:
 * the account, the lists and the pull; roster-sync-push.c: the push). */
#pragma once

#include "roster-sync.h"

G_BEGIN_DECLS

/* One roster_sync_run() under way. */
typedef struct
{
  RosterStore *store;
  RosterCaldavClient *client;
  RosterSyncFlags flags;
  RosterSyncResult *result;
  GCancellable *cancellable;
  /* The lists' sync tokens are what the server has: the listing asked for
   * them, or a list asked alone showed that the server has none. */
  gboolean tokens_known;
} RosterSyncRun;

/* Ends an apply batch: its commit when @ok, else its rollback (and FALSE). */
gboolean _roster_sync_commit_or_rollback (RosterStore   *store,
                                          gboolean       ok,
                                          GError       **error);
/* Sends the outbox (roster-sync-push.c). */
gboolean _roster_sync_push               (RosterSyncRun *sync,
                                          GError       **error);

G_END_DECLS
