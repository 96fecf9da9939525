/* roster-sync-state.h: the sync state inside a Roster file, and the store's
 * side of CalDAV sync. No network here: the engine (which talks to the
 * server through the CalDAV client) calls these, on the main thread, with
 * the store it syncs. Private to the model layer.
 *
 * The tables (roster-sync-schema.h, one migration):
 *
 *   roster_sync_account    one row: server URL, username, principal and
 *                          calendar-home hrefs, when it last synced (never
 *                          a password)
 *   roster_sync_list       a user <-> a collection href: the display name
 *                          last synced, the sync token / CTag; user_id NULL
 *                          once the user was deleted here (the list is to
 *                          be deleted on the server)
 *   roster_sync_task       a task <-> its resource: UID, href, list href,
 *                          ETag, and the last-synced VTODO (the merge base)
 *   roster_sync_outbox     what waits to be sent: one row per task or list,
 *                          with a seq that every edit bumps
 *   roster_sync_tombstone  a task deleted here that the server still has:
 *                          href, UID, list, ETag, base
 *
 * The contract with the engine:
 *
 * 1. Pushing. roster_sync_state_next_ops() says what to send, in order
 *    (lists to create or rename, then tasks, then lists to delete); each op
 *    carries everything the request needs. After the server answered 2xx,
 *    roster_sync_state_finish() records the new href and ETag and drops the
 *    outbox row, in one transaction, unless the object was edited since the
 *    op was read (its seq moved): then the row stays and the next call
 *    returns the newer edit. An op that failed is simply not finished: it
 *    comes again. Nothing else ever drops a pending edit.
 *
 * 2. Pulling. Everything received from one sync is applied as one change:
 *    roster_sync_apply_begin(), then any of roster_sync_apply_*(), then
 *    roster_sync_apply_commit() (or _rollback()). The batch writes no outbox
 *    rows, updates the objects and the live lists once at the commit, and is
 *    not undoable: the undo history is dropped when it changed something,
 *    as when another program writes the file (an undo step could otherwise
 *    put back what the server just changed). A received VTODO is merged
 *    with the local edits (roster-sync-merge.h) when the task has some
 *    waiting; the merged result stays in the outbox to be sent.
 *
 * 3. Deletions. A task deleted here is a tombstone until
 *    roster_sync_state_finish() for its DELETE; a task the server deleted
 *    is deleted here only through roster_sync_apply_remote_gone(), after the
 *    engine asked roster_sync_check_deletions() (roster-sync-merge.h), and
 *    one edited here meanwhile is sent again instead.
 *
 * 4. A sync, as the tests play it: roster_sync_state_set_account() once
 *    (a new server: the pull's lists match users by name, and nothing is
 *    deleted on its say-so); pull: apply_begin(), apply_list() for each
 *    collection, apply_resource() for each changed resource,
 *    apply_remote_gone() / apply_list_gone() for what vanished (if
 *    roster_sync_check_deletions() allows; apply_remote_kept() /
 *    apply_list_kept() when the person keeps them), apply_commit(), then
 *    set_list_token(); push: next_ops() / finish() until next_ops() is
 *    empty; then set_last_sync(). A 412 on a PUT or DELETE: fetch the
 *    resource and apply it (a pull of one), and next_ops() gives the op
 *    again with the new ETag (merged, for a task with edits waiting). A
 *    CREATE_LIST's href is the same for the same user until it is done, so
 *    a MKCALENDAR that meets an existing collection there (after a crash)
 *    met its own list.
 *
 * Failures are RosterErrors, as the store's.
 */
#pragma once

#include "roster-store.h"
#include "roster-sync-merge.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------------------ */
/* The account                                                               */

typedef struct
{
  char *server_url;
  char *username;
  char *principal_href;   /* or NULL, until discovery found it */
  char *home_href;
  char *last_sync;        /* ISO 8601 (UTC) of the last complete sync, or NULL */
} RosterSyncAccount;

void        roster_sync_account_clear          (RosterSyncAccount *account);

/* FALSE with no error when no account is set up. */
gboolean    roster_sync_state_get_account      (RosterStore        *store,
                                                RosterSyncAccount  *account,
                                                GError            **error);
/* Sets up the account (the hrefs may be NULL) and the triggers that fill
 * the outbox from then on (roster-sync-schema.h). A new account, or another
 * server URL or username, starts afresh: every list and task row, token and
 * tombstone of the old one goes, every user and task is queued to be sent,
 * and *@server_changed (optional) says so, so that the engine matches the
 * server's lists with the users by name and never deletes anything on the
 * new server's say-so. The same account only takes the new hrefs. */
gboolean    roster_sync_state_set_account      (RosterStore        *store,
                                                const char         *server_url,
                                                const char         *username,
                                                const char         *principal_href,
                                                const char         *home_href,
                                                gboolean           *server_changed,
                                                GError            **error);
/* Removes the account and all sync state (and the triggers that fill the
 * outbox); the tasks stay. */
gboolean    roster_sync_state_forget_account   (RosterStore        *store,
                                                GError            **error);
/* Notes a complete sync at @when (ISO 8601, UTC). */
gboolean    roster_sync_state_set_last_sync    (RosterStore        *store,
                                                const char         *when,
                                                GError            **error);

/* ------------------------------------------------------------------------ */
/* Lists and synced tasks                                                    */

typedef struct
{
  gint64  user_id;        /* 0: the user was deleted here */
  char   *href;
  char   *display_name;   /* as last synced */
  char   *sync_token;
  char   *ctag;
} RosterSyncList;

void        roster_sync_list_free              (gpointer            list);

/* (element-type RosterSyncList) every list row, by href. */
GPtrArray  *roster_sync_state_get_lists        (RosterStore        *store,
                                                GError            **error);
/* Records that @user_id is the collection @href, which the server already
 * has under @display_name (discovery matched them): nothing is sent for it
 * but a rename when the names differ. */
gboolean    roster_sync_state_link_list        (RosterStore        *store,
                                                gint64              user_id,
                                                const char         *href,
                                                const char         *display_name,
                                                GError            **error);
/* Stores the list's sync token and CTag, once everything they cover is
 * applied (after roster_sync_apply_commit()). */
gboolean    roster_sync_state_set_list_token   (RosterStore        *store,
                                                const char         *href,
                                                const char         *sync_token,
                                                const char         *ctag,
                                                GError            **error);

typedef struct
{
  gint64  task_id;
  char   *uid;
  char   *href;
  char   *list_href;
  char   *etag;
  char   *base;           /* the last-synced VCALENDAR, or NULL */
  gboolean pending;       /* an edit of it waits in the outbox */
} RosterSyncTask;

void        roster_sync_task_free              (gpointer            task);

/* (element-type RosterSyncTask) the synced tasks of the list @href (what the
 * engine compares with the server's listing of ETags). */
GPtrArray  *roster_sync_state_get_tasks        (RosterStore        *store,
                                                const char         *list_href,
                                                GError            **error);
/* The tombstones' hrefs in @list_href: resources the server still has but
 * that are deleted here (a pull must not bring them back). */
GPtrArray  *roster_sync_state_get_tombstones   (RosterStore        *store,
                                                const char         *list_href,
                                                GError            **error);

/* ------------------------------------------------------------------------ */
/* The outbox                                                                */

typedef enum
{
  ROSTER_SYNC_CREATE_LIST,   /* MKCALENDAR @href, named @display_name */
  ROSTER_SYNC_RENAME_LIST,   /* PROPPATCH displayname of @href */
  ROSTER_SYNC_CREATE_TASK,   /* PUT @ical to @href, If-None-Match: * */
  ROSTER_SYNC_UPDATE_TASK,   /* PUT @ical to @href, If-Match: @etag */
  ROSTER_SYNC_MOVE_TASK,     /* from @old_href (@etag) to @href in @list_href:
                              * MOVE then PUT @ical, or PUT then DELETE */
  ROSTER_SYNC_DELETE_TASK,   /* DELETE @href, If-Match: @etag */
  ROSTER_SYNC_DELETE_LIST,   /* DELETE the collection @href */
} RosterSyncOpKind;

typedef struct
{
  RosterSyncOpKind kind;
  gint64   object_id;     /* the task's or the user's id; 0 for a tombstone */
  gint64   seq;           /* the outbox row's seq when read */
  char    *href;          /* where the request goes */
  char    *old_href;      /* a move's source */
  char    *etag;          /* If-Match, or NULL */
  char    *list_href;     /* the collection the task is or goes in */
  char    *display_name;  /* a list's name */
  char    *uid;           /* a task's UID */
  char    *ical;          /* the VCALENDAR to PUT: the base VTODO patched
                           * with the task's fields (foreign properties kept) */
} RosterSyncOp;

void        roster_sync_op_free                (gpointer            op);

/* (element-type RosterSyncOp) at most @max of the operations waiting, in
 * the order they must go (see the contract above). A task whose list is not
 * on the server yet waits for the list's op. */
GPtrArray  *roster_sync_state_next_ops         (RosterStore        *store,
                                                guint               max,
                                                GError            **error);
/* Before @ops (element-type RosterSyncOp) are sent, in one transaction:
 * - the CTags of the lists they write to are forgotten. A CTag may come
 *   back to an earlier value (Radicale's is a digest of what the list holds
 *   now: a task made here and deleted by another device gives the CTag of
 *   before), so one kept from before our own writes would hide changes; the
 *   sync token still says;
 * - each PUT's VCALENDAR is noted (roster_sync_sent) until finish() takes
 *   its answer in. A sync killed in between leaves a server version the
 *   file never noted: apply_resource() then merges against what was sent,
 *   so an edit made here since is kept, and a task deleted here since is a
 *   tombstone at the next next_ops(), so it is deleted there too. */
gboolean    roster_sync_state_will_send        (RosterStore        *store,
                                                GPtrArray          *ops,
                                                GError            **error);
/* How many objects wait in the outbox (tombstones and lists to delete
 * included). */
guint       roster_sync_state_count_pending    (RosterStore        *store,
                                                GError            **error);
/* After the server's 2xx for @op: the new @href (NULL: op->href) and
 * @etag (NULL when the server gave none) become the object's, op->ical its
 * base, and its outbox row goes unless it was edited since @op was read;
 * *@still_pending (optional) says whether it still waits. A task deleted
 * while its PUT was on the way becomes a tombstone at @href. */
gboolean    roster_sync_state_finish           (RosterStore        *store,
                                                const RosterSyncOp *op,
                                                const char         *href,
                                                const char         *etag,
                                                gboolean           *still_pending,
                                                GError            **error);

/* ------------------------------------------------------------------------ */
/* Applying what the server sent, as one change                              */

gboolean    roster_sync_apply_begin            (RosterStore        *store,
                                                GError            **error);
/* A VTODO resource @href (ETag @etag) of the list @list_href: a new task in
 * that list's user, or the task it is, merged with the edits waiting here.
 * Nothing happens for a resource deleted here (its tombstone only takes the
 * new ETag), nor in a list that roster_sync_apply_list() did not record or
 * whose user was deleted here.
 * Conflicts are appended to @conflicts (element-type RosterSyncConflict,
 * optional). *@task_id (optional) is the task's id. */
gboolean    roster_sync_apply_resource         (RosterStore        *store,
                                                const char         *list_href,
                                                const char         *href,
                                                const char         *etag,
                                                const char         *ical,
                                                GPtrArray          *conflicts,
                                                gint64             *task_id,
                                                GError            **error);
/* The server no longer has @href (the engine decided it may go, see
 * roster_sync_check_deletions()): the task goes too, unless it was edited
 * here since the last sync; then it is queued to be created anew and
 * *@sent_again (optional) is TRUE. A tombstone's href just drops the
 * tombstone. */
gboolean    roster_sync_apply_remote_gone      (RosterStore        *store,
                                                const char         *href,
                                                gboolean           *sent_again,
                                                GError            **error);
/* The collection @href, named @display_name on the server: a new user for a
 * new list (or the user with that name, when it is not linked to another
 * list), or a rename of its user, unless the user was renamed here since
 * (that rename waits to be sent). *@user_id (optional) is the user's id. */
gboolean    roster_sync_apply_list             (RosterStore        *store,
                                                const char         *href,
                                                const char         *display_name,
                                                gint64             *user_id,
                                                GError            **error);
/* The collection @href vanished (the engine decided, see
 * roster_sync_check_deletions()): its user and the user's tasks go. */
gboolean    roster_sync_apply_list_gone        (RosterStore        *store,
                                                const char         *href,
                                                GError            **error);
/* The server no longer has @href, and the person chose to keep the
 * tasks (the engine's ROSTER_SYNC_KEEP_DELETIONS): the task stays, its row
 * detached from the list, and it is queued to be created anew in its
 * owner's list, from its base (roster-sync-state-keep.c). *@kept
 * (optional) is FALSE for a tombstone's href or one never synced: a task
 * deleted here is never sent back. */
gboolean    roster_sync_apply_remote_kept      (RosterStore        *store,
                                                const char         *href,
                                                gboolean           *kept,
                                                GError            **error);
/* The collection @href vanished and the person keeps its user: the list's
 * rows and tombstones are forgotten, the user is queued (its list is made
 * again, under its name) and so is each of its tasks (created anew in it).
 * *@n_kept (optional) is how many tasks. */
gboolean    roster_sync_apply_list_kept        (RosterStore        *store,
                                                const char         *href,
                                                guint              *n_kept,
                                                GError            **error);
/* The window's Undo of a conflict (after the commit): puts the local value
 * of @conflict back in its task (SUMMARY, DESCRIPTION, STATUS or DUE; the
 * others are not Roster's fields and stay as the server has them), as a
 * local edit: undoable, and sent at the next sync. */
gboolean    roster_sync_conflict_restore       (RosterStore              *store,
                                                const RosterSyncConflict *conflict,
                                                GError                  **error);
gboolean    roster_sync_apply_commit           (RosterStore        *store,
                                                GError            **error);
void        roster_sync_apply_rollback         (RosterStore        *store);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterSyncOp, roster_sync_op_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RosterSyncAccount, roster_sync_account_clear)

G_END_DECLS
