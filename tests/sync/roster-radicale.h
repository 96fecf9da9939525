/* roster-radicale.h: a real CalDAV server for the sync tests.
 *
 * Starts Debian's Radicale (/usr/bin/python3 -m radicale) on 127.0.0.1 on a
 * free port, with htpasswd users, its storage and log in a private folder,
 * and stops it again; runs python3-caldav (caldav-peer.py) as the second
 * client that edits the server beside Roster. Every helper fails the test
 * (g_error, g_assert) rather than return an error; every wait is bounded.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _RosterRadicale RosterRadicale;

/* TRUE when Debian's python3 can import radicale and caldav; else a test
 * program exits 77 (skipped). */
gboolean        roster_radicale_available      (void);

/* Starts a server whose users are @users ("name:password" lines) and waits
 * (up to 20 s) until it accepts connections. */
RosterRadicale *roster_radicale_start          (const char     *users);
/* Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its folder. */
void            roster_radicale_stop           (RosterRadicale *radicale);

guint16         roster_radicale_get_port       (RosterRadicale *radicale);
/* "http://127.0.0.1:PORT/" */
const char     *roster_radicale_get_url        (RosterRadicale *radicale);
/* Its folder (storage in collections/, the log in log). */
const char     *roster_radicale_get_dir        (RosterRadicale *radicale);
/* How many requests it logged so far whose method is @method (NULL: any). */
guint           roster_radicale_count_requests (RosterRadicale *radicale,
                                                const char     *method);
/* The time Radicale logged for its answers to PUTs so far, added up (with
 * several connections at once, more than the time that passed). */
double          roster_radicale_put_seconds    (RosterRadicale *radicale);

/* Runs tests/sync/caldav-peer.py for @user/@password with @args (NULL
 * terminated), asserts it succeeded and returns what it printed. */
char           *roster_radicale_peer           (RosterRadicale *radicale,
                                                const char     *user,
                                                const char     *password,
                                                ...) G_GNUC_NULL_TERMINATED;

/* A plain web server that is no DAV server (python3 -m http.server over an
 * empty folder) on a free port of 127.0.0.1, accepting connections; its port
 * in @port. Stop it with roster_test_web_server_stop(). */
GSubprocess    *roster_test_web_server_start   (guint16        *port);
void            roster_test_web_server_stop    (GSubprocess    *server);

/* A port nothing listens on (bound to port 0, then closed). */
guint16         roster_test_free_port          (void);
/* Waits (up to @timeout_ms) until 127.0.0.1:@port accepts connections. */
gboolean        roster_test_wait_for_port      (guint16         port,
                                                guint           timeout_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterRadicale, roster_radicale_stop)

G_END_DECLS
