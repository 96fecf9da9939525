/* roster-sync.h: one two-way sync of a Roster file with its CalDAV account.
 *
 * The engine joins the CalDAV client (roster-caldav.h, the network) and the
 * store's sync state (roster-sync-state.h, the file): it finds the account's
 * lists, pulls what changed on the server and applies it as one change per
 * list, then pushes the outbox with conditional requests. It blocks: call it
 * from the thread that owns the store (the command line's main thread; a
 * window runs its network part in a worker later).
 */
#pragma once

#include "roster-caldav.h"
#include "roster-store.h"

G_BEGIN_DECLS

#define ROSTER_SYNC_ERROR (roster_sync_error_quark ())

/**
 * RosterSyncError:
 * @ROSTER_SYNC_ERROR_NO_ACCOUNT: the file has no sync account yet
 * @ROSTER_SYNC_ERROR_DELETIONS: the sync would delete local tasks the server
 *   stopped showing, in a way that needs asking first (the whole list, or
 *   more than half of it, or after the server changed); nothing was deleted
 * @ROSTER_SYNC_ERROR_BUSY: another sync of the same file (in this process
 *   or another) is running; nothing was done, try again later
 */
typedef enum
{
  ROSTER_SYNC_ERROR_NO_ACCOUNT,
  ROSTER_SYNC_ERROR_DELETIONS,
  ROSTER_SYNC_ERROR_BUSY,
} RosterSyncError;

GQuark roster_sync_error_quark (void);

typedef enum
{
  ROSTER_SYNC_FLAGS_NONE = 0,
  /* Deletions that would otherwise be asked about go ahead. */
  ROSTER_SYNC_ACCEPT_DELETIONS = 1 << 0,
  /* Or (never both): the tasks stay and are sent to the server again (a
   * vanished list made again with its user's tasks); the deletions the
   * rule does not ask about go as always. */
  ROSTER_SYNC_KEEP_DELETIONS = 1 << 1,
} RosterSyncFlags;

/* What a sync did. */
typedef struct
{
  guint      n_sent;       /* requests that changed the server */
  guint      n_received;   /* tasks and lists changed here */
  guint      n_kept;       /* tasks the server lost, kept to be sent again
                            * (ROSTER_SYNC_KEEP_DELETIONS) */
  GPtrArray *conflicts;    /* RosterSyncConflict: the server's value stayed */
} RosterSyncResult;

void      roster_sync_result_clear  (RosterSyncResult *result);
/* A sentence for one of @result's conflicts, naming its task in @store. */
char     *roster_sync_describe_conflict (RosterStore   *store,
                                         gconstpointer  conflict);

/* Sets up (or changes) the file's account; a new server or username starts
 * afresh (see roster_sync_state_set_account()). Takes the file's sync
 * lease: ROSTER_SYNC_ERROR_BUSY while a sync of the file runs. */
gboolean  roster_sync_set_account   (RosterStore       *store,
                                     const char        *server_url,
                                     const char        *username,
                                     GError           **error);
/* The account's server and username (both NULL, FALSE, when none). */
gboolean  roster_sync_get_account   (RosterStore       *store,
                                     char             **server_url,
                                     char             **username,
                                     GError           **error);

/* One sync of @store with @client (made for the store's account). */
gboolean  roster_sync_run           (RosterStore       *store,
                                     RosterCaldavClient *client,
                                     RosterSyncFlags    flags,
                                     RosterSyncResult  *result,
                                     GCancellable      *cancellable,
                                     GError           **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RosterSyncResult, roster_sync_result_clear)

G_END_DECLS
