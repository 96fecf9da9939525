/* roster-caldav.h: a CalDAV client (RFC 4791, WebDAV sync RFC 6578) over libsoup.
 *
 * The network half of sync, knowing nothing of the store: it finds an
 * account's task lists, makes, renames and deletes them, and lists, reads,
 * writes, moves and deletes the VTODO resources in them. Every call blocks
 * and takes a GCancellable: run it in a worker thread (a GTask, or the command
 * line's own thread). A client has one SoupSession; use it from one thread at
 * a time. The password is the caller's (roster-secret.h keeps it): the client
 * holds it in memory only and never logs it or puts it in an error.
 *
 * Hrefs are paths on the server ("/alice/tasks/a1.ics"), percent-encoded as
 * the server spells them; every href the client returns is one, whatever form
 * the server answered in, so two hrefs of one resource compare equal as
 * strings. Every failure is a GError in ROSTER_CALDAV_ERROR (or
 * G_IO_ERROR_CANCELLED), its message a sentence for a person.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ROSTER_CALDAV_ERROR (roster_caldav_error_quark ())

/**
 * RosterCaldavError:
 * @ROSTER_CALDAV_ERROR_AUTH: the server refused the username or password
 *   (401, or 403 while finding the account)
 * @ROSTER_CALDAV_ERROR_UNREACHABLE: no connection: the name does not resolve,
 *   nothing listens, the network is down, or the connection broke or timed out
 * @ROSTER_CALDAV_ERROR_NOT_CALDAV: the server answers, but is not a CalDAV
 *   server (no DAV answer, no principal, no calendar home)
 * @ROSTER_CALDAV_ERROR_TLS: the secure connection failed: a certificate that
 *   cannot be trusted, or no TLS at all
 * @ROSTER_CALDAV_ERROR_CONFLICT: 412 Precondition Failed: the resource's ETag
 *   is not the one given (changed or deleted meanwhile), or it already exists
 * @ROSTER_CALDAV_ERROR_NOT_FOUND: 404 or 410: the resource or list is gone
 * @ROSTER_CALDAV_ERROR_TOKEN_EXPIRED: the server no longer knows the sync
 *   token (403/409 with DAV:valid-sync-token): list the collection whole
 * @ROSTER_CALDAV_ERROR_HTTP: any other HTTP failure (a 4xx or 5xx)
 * @ROSTER_CALDAV_ERROR_INVALID: an address that is not one, or an answer that
 *   cannot be read (not XML, no multistatus)
 */
typedef enum
{
  ROSTER_CALDAV_ERROR_AUTH,
  ROSTER_CALDAV_ERROR_UNREACHABLE,
  ROSTER_CALDAV_ERROR_NOT_CALDAV,
  ROSTER_CALDAV_ERROR_TLS,
  ROSTER_CALDAV_ERROR_CONFLICT,
  ROSTER_CALDAV_ERROR_NOT_FOUND,
  ROSTER_CALDAV_ERROR_TOKEN_EXPIRED,
  ROSTER_CALDAV_ERROR_HTTP,
  ROSTER_CALDAV_ERROR_INVALID,
} RosterCaldavError;

GQuark roster_caldav_error_quark (void);

/* A task list: a calendar collection that takes VTODOs. */
typedef struct
{
  char *href;          /* ends with "/" */
  char *display_name;  /* NULL when the server has none */
  char *ctag;          /* CalendarServer's getctag, or NULL */
  char *sync_token;    /* DAV:sync-token, or NULL (no sync-collection) */
} RosterCaldavCollection;

/* One resource of a collection. */
typedef struct
{
  char *href;
  char *etag;          /* as the server quotes it ("\"abc\""), or NULL */
  char *data;          /* the iCalendar text, or NULL when not asked for */
} RosterCaldavResource;

/* What changed in a collection since a sync token (sync-collection). */
typedef struct
{
  GPtrArray *changed;  /* RosterCaldavResource (no data): new or changed */
  GPtrArray *removed;  /* char *: hrefs of resources gone */
  char *token;         /* the token to give next time */
} RosterCaldavChanges;

void roster_caldav_collection_free (RosterCaldavCollection *collection);
void roster_caldav_resource_free   (RosterCaldavResource   *resource);
void roster_caldav_changes_free    (RosterCaldavChanges    *changes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterCaldavCollection, roster_caldav_collection_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterCaldavResource, roster_caldav_resource_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterCaldavChanges, roster_caldav_changes_free)

#define ROSTER_TYPE_CALDAV_CLIENT (roster_caldav_client_get_type ())
G_DECLARE_FINAL_TYPE (RosterCaldavClient, roster_caldav_client, ROSTER, CALDAV_CLIENT, GObject)

/* @server_url: "https://host/path", "host", "host:port" or a Nextcloud
 * address ("https://host/remote.php/dav"). Without a scheme, https, except on
 * a loopback address (localhost, 127.x, ::1), which gets http; an https
 * server that answers in plain text is then asked again over http.
 * ROSTER_CALDAV_ERROR_INVALID when it is no address. */
RosterCaldavClient *roster_caldav_client_new        (const char    *server_url,
                                                     const char    *username,
                                                     const char    *password,
                                                     GError       **error);

/* A client of the same account (and home) with a SoupSession of its own:
 * for sending from another thread at the same time. Reads @self: make it
 * while nothing uses @self, in the thread that will use the copy. */
RosterCaldavClient *roster_caldav_client_copy       (RosterCaldavClient *self);

/* The server's base address as the client uses it ("http://127.0.0.1:5232/"). */
const char *roster_caldav_client_get_base_url       (RosterCaldavClient *self);
/* The host (and port) for sentences: never the username or password. */
const char *roster_caldav_client_get_host           (RosterCaldavClient *self);

/* Discovery: /.well-known/caldav (redirects followed), the
 * current-user-principal, its calendar-home-set. Remembers the home;
 * returns its href. AUTH, UNREACHABLE, NOT_CALDAV or TLS say why not. */
char       *roster_caldav_client_discover           (RosterCaldavClient *self,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
/* A home found before (kept by the caller): later calls skip discovery. */
void        roster_caldav_client_set_home           (RosterCaldavClient *self,
                                                     const char    *home_href);
const char *roster_caldav_client_get_home           (RosterCaldavClient *self);

/* What a listing of the lists asks for beside their names and CTags:
 * @ROSTER_CALDAV_LIST_SYNC_TOKENS: each list's DAV:sync-token too. */
typedef enum
{
  ROSTER_CALDAV_LIST_SYNC_TOKENS = 1 << 0,
} RosterCaldavListFlags;

/* The home's task lists (PROPFIND Depth 1), discovering the home first when
 * it is not known: RosterCaldavCollection, in the server's order. */
GPtrArray  *roster_caldav_client_list_collections   (RosterCaldavClient *self,
                                                     RosterCaldavListFlags flags,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
/* One list (PROPFIND Depth 0) with its CTag and sync token;
 * ROSTER_CALDAV_ERROR_NOT_FOUND when @collection_href is no task list. */
RosterCaldavCollection *roster_caldav_client_get_collection (RosterCaldavClient *self,
                                                             const char    *collection_href,
                                                             GCancellable  *cancellable,
                                                             GError       **error);
/* MKCALENDAR a new list for VTODOs in the home, named @display_name; returns
 * its href. */
char       *roster_caldav_client_make_collection    (RosterCaldavClient *self,
                                                     const char    *display_name,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
/* The same at @href (a new path in the home, ending with "/"). */
gboolean    roster_caldav_client_make_collection_at (RosterCaldavClient *self,
                                                     const char    *href,
                                                     const char    *display_name,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
/* PROPPATCH the list's DAV:displayname. */
gboolean    roster_caldav_client_rename_collection  (RosterCaldavClient *self,
                                                     const char    *collection_href,
                                                     const char    *display_name,
                                                     GCancellable  *cancellable,
                                                     GError       **error);

/* The href for a new resource named after @uid in @collection_href. */
char       *roster_caldav_resource_href             (const char    *collection_href,
                                                     const char    *uid);

/* Every VTODO resource of a collection with its ETag (a calendar-query
 * REPORT), no data. */
GPtrArray  *roster_caldav_client_list_resources     (RosterCaldavClient *self,
                                                     const char    *collection_href,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
/* calendar-multiget: @hrefs' ETags and data. A resource the server does not
 * have is left out. */
GPtrArray  *roster_caldav_client_multiget           (RosterCaldavClient *self,
                                                     const char    *collection_href,
                                                     const char * const *hrefs,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
/* sync-collection (RFC 6578, Depth 1): what changed since @token (NULL: every
 * resource). ROSTER_CALDAV_ERROR_TOKEN_EXPIRED when the server no longer
 * knows @token. */
RosterCaldavChanges *roster_caldav_client_sync_collection (RosterCaldavClient *self,
                                                     const char    *collection_href,
                                                     const char    *token,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
/* GET: the resource's data; its ETag in @etag (NULL when the server gave none). */
char       *roster_caldav_client_get                (RosterCaldavClient *self,
                                                     const char    *href,
                                                     char         **etag,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
/* PUT @data (a VCALENDAR): with @if_match NULL only as a new resource
 * (If-None-Match: *), else only over that ETag (If-Match). CONFLICT when the
 * condition fails. @new_etag: the ETag the server gave, or NULL when it gave
 * none (then GET it). */
gboolean    roster_caldav_client_put                (RosterCaldavClient *self,
                                                     const char    *href,
                                                     const char    *data,
                                                     const char    *if_match,
                                                     char         **new_etag,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
/* DELETE a resource or a whole list; with @if_match, only over that ETag. */
gboolean    roster_caldav_client_delete             (RosterCaldavClient *self,
                                                     const char    *href,
                                                     const char    *if_match,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
/* MOVE @href to @destination_href (Overwrite: F: CONFLICT when it exists). */
gboolean    roster_caldav_client_move               (RosterCaldavClient *self,
                                                     const char    *href,
                                                     const char    *destination_href,
                                                     GCancellable  *cancellable,
                                                     GError       **error);

/* How many requests the client has sent, for tests and the benchmark. */
guint       roster_caldav_client_get_n_requests     (RosterCaldavClient *self);

G_END_DECLS
