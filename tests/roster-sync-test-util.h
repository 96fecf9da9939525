/* roster-sync-test-util.h: what the sync state tests share
 * (test-sync-outbox.c, test-sync-state.c), on the iCalendar tests' fixture:
 * an account, the outbox as text, and playing the engine (reading ops,
 * finishing them as a server that takes everything would). Every helper
 * fails the test rather than return an error.
 */
#pragma once

#include "roster-ical-test-util.h"
#include "roster-sync-state.h"

G_BEGIN_DECLS

/* The calendar home of the account set_up_account() makes. */
#define HOME "/dav/calendars/ada/"

/* "list 1 #1; task 1 #6": the outbox in order, a row each (its kind, the
 * object's id, how many edits it coalesces). */
char             *outbox            (Fixture            *f);
/* An account on HOME; the file changes. */
void              set_up_account    (Fixture            *f);
/* The ops the engine would send next (transfer full). */
GPtrArray        *next_ops          (Fixture            *f);
RosterSyncOp     *op_at             (GPtrArray          *ops,
                                     guint               i);
/* Finishes @op after a 2xx with @etag; whether a newer edit still waits. */
gboolean          finish            (Fixture            *f,
                                     const RosterSyncOp *op,
                                     const char         *etag);
/* Plays a server that takes everything: every op, finished with a new ETag,
 * until nothing waits. Returns how many ops went. */
guint             push_all          (Fixture            *f);
RosterTask       *new_task          (Fixture            *f,
                                     RosterUser         *owner,
                                     const char         *title);

G_END_DECLS
