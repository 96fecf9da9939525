/* roster-caldav.c: the CalDAV client object, its requests and what their
 * failures mean. See roster-caldav.h; the account and its lists are in
 * roster-caldav-discover.c, the resources in roster-caldav-resources.c, the
 * XML in roster-caldav-xml.c.
 *
 * Every request goes through _roster_caldav_send(), which turns a failed
 * connection into UNREACHABLE or TLS, and _roster_caldav_check_status(), which
 * turns an HTTP status into the error a person or the sync engine can act on.
 * Redirects are never followed by libsoup (a PROPFIND or PUT must not be
 * silently turned into a GET): discovery follows them itself, on the same
 * host. The password goes with the first request only over TLS or to this
 * machine (may_send_password_first()); elsewhere it is handed to libsoup when
 * the server asks for it (the "authenticate" signal; libsoup then sends it
 * with the later requests of that place by itself). No log line or error
 * carries it: the debug output is the method, the path and the status.
 */
#define G_LOG_DOMAIN "roster-caldav"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "roster-caldav-private.h"

G_DEFINE_QUARK (roster-caldav-error-quark, roster_caldav_error)

G_DEFINE_FINAL_TYPE (RosterCaldavClient, roster_caldav_client, G_TYPE_OBJECT)

/* A request that takes longer than this without a byte moving has failed. */
#define IO_TIMEOUT_S 60
#define MAX_REDIRECTS 5
/* What a path may hold unescaped (RFC 3986 pchar, and "/"). */
#define PATH_RESERVED_ALLOWED "/:@!$&'()*+,;="

static void
roster_caldav_client_finalize (GObject *object)
{
  RosterCaldavClient *self = ROSTER_CALDAV_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->base, g_uri_unref);
  g_free (self->base_url);
  g_free (self->host);
  g_free (self->username);
  /* Not left behind in freed memory. */
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  if (self->basic != NULL)
    memset (self->basic, 0, strlen (self->basic));
  g_free (self->basic);
  g_free (self->home);

  G_OBJECT_CLASS (roster_caldav_client_parent_class)->finalize (object);
}

static void
roster_caldav_client_class_init (RosterCaldavClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = roster_caldav_client_finalize;
}

static void
roster_caldav_client_init (RosterCaldavClient *self)
{
}

static gboolean
is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

  if (address != NULL)
    return g_inet_address_get_is_loopback (address);
  return g_ascii_strcasecmp (host, "localhost") == 0;
}

/* Sets the client's base to @uri's scheme, host, port and path, without its
 * user information, query or fragment. */
static void
set_base (RosterCaldavClient *self,
          GUri               *uri,
          const char         *scheme)
{
  const char *host = g_uri_get_host (uri);
  const char *path = g_uri_get_path (uri);
  int port = g_uri_get_port (uri);
  gboolean ipv6 = strchr (host, ':') != NULL;

  g_clear_pointer (&self->base, g_uri_unref);
  self->base = g_uri_build (G_URI_FLAGS_ENCODED, scheme, NULL, host, port,
                            *path != '\0' ? path : "/", NULL, NULL);
  g_free (self->base_url);
  self->base_url = g_uri_to_string (self->base);
  g_free (self->host);
  if (port > 0)
    self->host = g_strdup_printf (ipv6 ? "[%s]:%d" : "%s:%d", host, port);
  else
    self->host = g_strdup (host);
}

static SoupSession *
new_session (void)
{
  return soup_session_new_with_options ("user-agent", "Roster", "timeout", IO_TIMEOUT_S, NULL);
}

RosterCaldavClient *
roster_caldav_client_new (const char  *server_url,
                          const char  *username,
                          const char  *password,
                          GError     **error)
{
  g_autoptr(RosterCaldavClient) self = NULL;
  g_autofree char *text = g_strstrip (g_strdup (server_url != NULL ? server_url : ""));
  g_autofree char *full = NULL;
  g_autoptr(GUri) uri = NULL;
  gboolean bare = strstr (text, "://") == NULL;
  const char *scheme;

  g_return_val_if_fail (username != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  if (bare)
    {
      /* "host", "host:port", "host/path": parsed as https first, only to
       * read the host. */
      full = g_strconcat ("https://", text, NULL);
      uri = g_uri_parse (full, G_URI_FLAGS_ENCODED, NULL);
    }
  else
    uri = g_uri_parse (text, G_URI_FLAGS_ENCODED, NULL);

  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      /* What was typed, but never a password typed into it ("user:pw@host"). */
      const char *at = strrchr (text, '@');

      g_set_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_INVALID,
                   _("“%s” is not a server address. Type it as “example.org” or “https://example.org/dav”."),
                   at != NULL ? at + 1 : text);
      return NULL;
    }

  self = g_object_new (ROSTER_TYPE_CALDAV_CLIENT, NULL);
  if (bare && is_loopback (g_uri_get_host (uri)))
    scheme = "http";
  set_base (self, uri, g_ascii_strcasecmp (scheme, "http") == 0 ? "http" : "https");
  self->may_fall_back = bare && g_str_equal (g_uri_get_scheme (self->base), "https");
  self->username = g_strdup (username);
  self->password = g_strdup (password);
  {
    g_autofree char *pair = g_strconcat (username, ":", password, NULL);
    g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

    self->basic = g_strconcat ("Basic ", encoded, NULL);
    memset (pair, 0, strlen (pair));
    memset (encoded, 0, strlen (encoded));
  }
  self->session = new_session ();
  return g_steal_pointer (&self);
}

RosterCaldavClient *
roster_caldav_client_copy (RosterCaldavClient *self)
{
  RosterCaldavClient *copy;

  g_return_val_if_fail (ROSTER_IS_CALDAV_CLIENT (self), NULL);

  copy = g_object_new (ROSTER_TYPE_CALDAV_CLIENT, NULL);
  set_base (copy, self->base, g_uri_get_scheme (self->base));
  copy->may_fall_back = self->may_fall_back;
  copy->username = g_strdup (self->username);
  copy->password = g_strdup (self->password);
  copy->basic = g_strdup (self->basic);
  copy->home = g_strdup (self->home);
  copy->session = new_session ();
  return copy;
}

const char *
roster_caldav_client_get_base_url (RosterCaldavClient *self)
{
  g_return_val_if_fail (ROSTER_IS_CALDAV_CLIENT (self), NULL);
  return self->base_url;
}

const char *
roster_caldav_client_get_host (RosterCaldavClient *self)
{
  g_return_val_if_fail (ROSTER_IS_CALDAV_CLIENT (self), NULL);
  return self->host;
}

guint
roster_caldav_client_get_n_requests (RosterCaldavClient *self)
{
  g_return_val_if_fail (ROSTER_IS_CALDAV_CLIENT (self), 0);
  return self->n_requests;
}

char *
_roster_caldav_normalize_href (RosterCaldavClient *self,
                               const char         *href)
{
  g_autoptr(GUri) uri = g_uri_parse_relative (self->base, href, G_URI_FLAGS_ENCODED, NULL);
  g_autofree char *raw = NULL;
  const char *path;

  if (uri == NULL)
    return NULL;
  path = g_uri_get_path (uri);
  if (*path == '\0')
    path = "/";
  /* One spelling: "%40" and "@" of two answers must compare equal. */
  raw = g_uri_unescape_string (path, NULL);
  if (raw == NULL || !g_utf8_validate (raw, -1, NULL))
    return g_strdup (path);
  return g_uri_escape_string (raw, PATH_RESERVED_ALLOWED, FALSE);
}

char *
roster_caldav_resource_href (const char *collection_href,
                             const char *uid)
{
  g_autofree char *name = g_uri_escape_string (uid, "@!$&'()*+,;=", FALSE);

  g_return_val_if_fail (collection_href != NULL && g_str_has_suffix (collection_href, "/"), NULL);
  return g_strconcat (collection_href, name, ".ics", NULL);
}

static gboolean
on_authenticate_cb (SoupMessage *msg,
                    SoupAuth    *auth,
                    gboolean     retrying,
                    gpointer     user_data)
{
  RosterCaldavClient *self = user_data;

  /* A second challenge means the password was refused: let the 401 through. */
  if (retrying || soup_auth_is_for_proxy (auth))
    return FALSE;
  soup_auth_authenticate (auth, self->username, self->password);
  return TRUE;
}

/* Whether the password may go with the first request, before the server
 * asks: it saves the round trip of the challenge on every sync (a sync
 * with nothing changed is then one request). Only where nobody can read it
 * on the way: TLS (an address that said https, no plain fall-back), or
 * this machine. Elsewhere the server's challenge decides. */
static gboolean
may_send_password_first (RosterCaldavClient *self,
                         GUri               *uri)
{
  if (self->may_fall_back || g_strcmp0 (g_uri_get_host (uri), g_uri_get_host (self->base)) != 0)
    return FALSE;
  return g_str_equal (g_uri_get_scheme (uri), "https") || is_loopback (g_uri_get_host (uri));
}

SoupMessage *
_roster_caldav_message (RosterCaldavClient *self,
                        const char         *method,
                        const char         *href)
{
  g_autoptr(GUri) uri = g_uri_parse_relative (self->base, href, G_URI_FLAGS_ENCODED, NULL);
  SoupMessage *msg;

  if (uri == NULL)
    uri = g_uri_ref (self->base);
  msg = soup_message_new_from_uri (method, uri);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  g_signal_connect (msg, "authenticate", G_CALLBACK (on_authenticate_cb), self);
  if (may_send_password_first (self, uri))
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", self->basic);
  return msg;
}

typedef struct
{
  char *content_type;
  GBytes *body;
} Body;

static void
body_free (gpointer data)
{
  Body *body = data;

  g_free (body->content_type);
  g_bytes_unref (body->body);
  g_free (body);
}

static void
on_restarted_cb (SoupMessage *msg,
                 gpointer     user_data)
{
  Body *body = user_data;

  soup_message_set_request_body_from_bytes (msg, body->content_type, body->body);
}

void
_roster_caldav_set_body (SoupMessage *msg,
                         const char  *content_type,
                         GBytes      *body)
{
  Body *copy = g_new0 (Body, 1);

  copy->content_type = g_strdup (content_type);
  copy->body = g_bytes_ref (body);
  soup_message_set_request_body_from_bytes (msg, content_type, body);
  /* libsoup 3.2 sends no body again when it restarts a message after the
   * server's 401 (the server then times out waiting for it): set it anew. */
  g_signal_connect_data (msg, "restarted", G_CALLBACK (on_restarted_cb), copy,
                         (GClosureNotify) (void (*) (void)) body_free, 0);
}

/* The message's URI on the server now in the base (after a fall-back to http). */
static void
move_to_base (RosterCaldavClient *self,
              SoupMessage        *msg)
{
  GUri *old = soup_message_get_uri (msg);
  g_autoptr(GUri) moved = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (self->base),
                                       NULL, g_uri_get_host (self->base),
                                       g_uri_get_port (self->base), g_uri_get_path (old),
                                       g_uri_get_query (old), NULL);

  soup_message_set_uri (msg, moved);
}

static void
set_connection_error (RosterCaldavClient *self,
                      GError             *cause,
                      GError            **error)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_error_copy (cause));
  else if (g_error_matches (cause, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE)
           || g_error_matches (cause, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED))
    g_set_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_TLS,
                 _("The certificate of “%s” cannot be trusted, so the connection is not safe. "
                   "Roster sent nothing to it."), self->host);
  else if (cause->domain == G_TLS_ERROR)
    g_set_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_TLS,
                 _("A secure connection to “%s” could not be made."), self->host);
  else
    g_set_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_UNREACHABLE,
                 _("The server “%s” cannot be reached. Check the address and the network connection."),
                 self->host);
  g_debug ("no connection to %s: %s", self->host, cause->message);
}

GBytes *
_roster_caldav_send (RosterCaldavClient *self,
                     SoupMessage        *msg,
                     GCancellable       *cancellable,
                     GError            **error)
{
  g_autoptr(GError) local = NULL;
  GBytes *body;

  self->n_requests++;
  body = soup_session_send_and_read (self->session, msg, cancellable, &local);
  if (body == NULL && self->may_fall_back
      && g_error_matches (local, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS))
    {
      /* A bare "host:port" whose server speaks plain HTTP (a household
       * Radicale): the address did not say https, so plain it is. */
      set_base (self, self->base, "http");
      move_to_base (self, msg);
      g_clear_error (&local);
      self->n_requests++;
      body = soup_session_send_and_read (self->session, msg, cancellable, &local);
    }
  if (body == NULL)
    {
      set_connection_error (self, local, error);
      return NULL;
    }
  /* Once a server answered, its scheme stays. */
  self->may_fall_back = FALSE;
  g_debug ("%s %s: %u", soup_message_get_method (msg),
           g_uri_get_path (soup_message_get_uri (msg)), soup_message_get_status (msg));
  return body;
}

void
_roster_caldav_set_not_caldav (RosterCaldavClient *self,
                               GError            **error)
{
  g_set_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_NOT_CALDAV,
               _("“%s” is not a CalDAV server, or not at this address. Check the address "
                 "your calendar or task app uses for it."), self->host);
}

static gboolean
is_expired_token (GBytes *body)
{
  g_autoptr(xmlDoc) doc = _roster_dav_xml_parse (body, NULL);

  return doc != NULL
         && _roster_dav_xml_find (xmlDocGetRootElement (doc), ROSTER_DAV_NS, "valid-sync-token") != NULL;
}

gboolean
_roster_caldav_check_status (RosterCaldavClient *self,
                             SoupMessage        *msg,
                             GBytes             *body,
                             gboolean            discovery,
                             GError            **error)
{
  guint status = soup_message_get_status (msg);

  if (status >= 200 && status < 300)
    return TRUE;
  if (status == SOUP_STATUS_UNAUTHORIZED || (discovery && status == SOUP_STATUS_FORBIDDEN))
    g_set_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_AUTH,
                 _("The server “%s” did not accept the username or the password."), self->host);
  else if (discovery)
    _roster_caldav_set_not_caldav (self, error);
  else if (status == SOUP_STATUS_PRECONDITION_FAILED)
    g_set_error_literal (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_CONFLICT,
                         _("The task was changed on the server at the same time."));
  else if (status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_GONE)
    g_set_error_literal (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_NOT_FOUND,
                         _("The task or list is no longer on the server."));
  else if (status >= 400 && status < 500 && is_expired_token (body))
    g_set_error_literal (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_TOKEN_EXPIRED,
                         _("The server no longer knows what it sent last time, so every task will be compared again."));
  else
    g_set_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_HTTP,
                 /* Translators: the server, then an HTTP status and its reason */
                 _("The server “%s” refused the request (%u %s)."), self->host, status,
                 soup_message_get_reason_phrase (msg) != NULL ? soup_message_get_reason_phrase (msg) : "");
  return FALSE;
}

/* For discovery: where a 3xx sends @msg, as an href on the same host, or
 * NULL when it is no redirect (or one to another host, which is not given
 * the password). */
static char *
redirect_target (RosterCaldavClient *self,
                 SoupMessage        *msg)
{
  guint status = soup_message_get_status (msg);
  const char *location;
  g_autoptr(GUri) target = NULL;

  if (status < 300 || status >= 400 || status == SOUP_STATUS_NOT_MODIFIED)
    return NULL;
  location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  if (location == NULL)
    return NULL;
  target = g_uri_parse_relative (soup_message_get_uri (msg), location, G_URI_FLAGS_ENCODED, NULL);
  if (target == NULL || g_uri_get_host (target) == NULL
      || g_ascii_strcasecmp (g_uri_get_host (target), g_uri_get_host (self->base)) != 0)
    return NULL;
  if (g_uri_get_port (target) != g_uri_get_port (self->base)
      || g_strcmp0 (g_uri_get_scheme (target), g_uri_get_scheme (self->base)) != 0)
    {
      /* http → https, or another port of the same host: that is the server. */
      set_base (self, target, g_uri_get_scheme (target));
    }
  return g_strdup (g_uri_get_path (target));
}

gboolean
_roster_caldav_multistatus (RosterCaldavClient *self,
                            const char         *method,
                            const char         *href,
                            const char         *depth,
                            xmlDoc             *request,
                            gboolean            discovery,
                            xmlDoc            **doc,
                            GPtrArray         **responses,
                            GCancellable       *cancellable,
                            GError            **error)
{
  g_autoptr(GBytes) request_body = request != NULL ? _roster_dav_xml_bytes (request) : NULL;
  g_autofree char *target = g_strdup (href);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(xmlDoc) parsed = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  for (guint hops = 0; ; hops++)
    {
      g_autofree char *next = NULL;

      g_clear_object (&msg);
      g_clear_pointer (&body, g_bytes_unref);
      msg = _roster_caldav_message (self, method, target);
      if (depth != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (msg), "Depth", depth);
      if (request_body != NULL)
        _roster_caldav_set_body (msg, "application/xml; charset=utf-8", request_body);
      body = _roster_caldav_send (self, msg, cancellable, error);
      if (body == NULL)
        return FALSE;
      next = discovery && hops < MAX_REDIRECTS ? redirect_target (self, msg) : NULL;
      if (next == NULL)
        break;
      g_free (target);
      target = g_steal_pointer (&next);
    }

  if (!_roster_caldav_check_status (self, msg, body, discovery, error))
    return FALSE;
  if (soup_message_get_status (msg) == SOUP_STATUS_MULTI_STATUS)
    parsed = _roster_dav_xml_parse (body, NULL);
  if (parsed == NULL || !_roster_dav_xml_is (xmlDocGetRootElement (parsed), ROSTER_DAV_NS, "multistatus"))
    {
      /* A web server that answers a PROPFIND with a page is no DAV server. */
      if (discovery)
        _roster_caldav_set_not_caldav (self, error);
      else
        _roster_caldav_set_invalid (error);
      return FALSE;
    }
  *responses = _roster_dav_xml_responses (self, parsed);
  *doc = g_steal_pointer (&parsed);
  return TRUE;
}

void
roster_caldav_collection_free (RosterCaldavCollection *collection)
{
  if (collection == NULL)
    return;
  g_free (collection->href);
  g_free (collection->display_name);
  g_free (collection->ctag);
  g_free (collection->sync_token);
  g_free (collection);
}

void
roster_caldav_resource_free (RosterCaldavResource *resource)
{
  if (resource == NULL)
    return;
  g_free (resource->href);
  g_free (resource->etag);
  g_free (resource->data);
  g_free (resource);
}

void
roster_caldav_changes_free (RosterCaldavChanges *changes)
{
  if (changes == NULL)
    return;
  g_ptr_array_unref (changes->changed);
  g_ptr_array_unref (changes->removed);
  g_free (changes->token);
  g_free (changes);
}
