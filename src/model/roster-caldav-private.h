/* roster-caldav-private.h: what the CalDAV client's files share (roster-caldav.c:
 * the client, requests and errors; -xml.c: DAV XML; -discover.c: the account
 * and its lists; -resources.c: the VTODO resources). Nobody else includes it.
 */
#pragma once

#include <libsoup/soup.h>
#include <libxml/tree.h>

#include "roster-caldav.h"

G_BEGIN_DECLS

#define ROSTER_DAV_NS    "DAV:"
#define ROSTER_CALDAV_NS "urn:ietf:params:xml:ns:caldav"
#define ROSTER_CS_NS     "http://calendarserver.org/ns/"

struct _RosterCaldavClient
{
  GObject parent_instance;

  SoupSession *session;
  GUri *base;            /* scheme, host, port and the path given (or "/") */
  char *base_url;
  char *host;            /* host[:port], for sentences */
  char *username;
  char *password;
  char *basic;           /* "Basic …" of them, sent before the server asks when safe */
  char *home;            /* the calendar home's href, once known */
  gboolean may_fall_back; /* a bare address: plain http when https is not spoken */
  guint n_requests;
};

/* One DAV:response of a multistatus. */
typedef struct
{
  char *href;            /* normalised (see _roster_caldav_normalize_href()) */
  guint status;          /* the response's own DAV:status, or 0 when it has none */
  GPtrArray *props;      /* xmlNode *: the properties of its 2xx propstats */
} RosterDavResponse;

void         _roster_dav_response_free        (RosterDavResponse *response);

/* Requests (roster-caldav.c). A message for @method on @href (a path, or a
 * whole URL on the same server), answering the server's authentication
 * challenge once with the account's username and password. */
SoupMessage *_roster_caldav_message           (RosterCaldavClient *self,
                                               const char    *method,
                                               const char    *href);
/* Sets @body (may be NULL) as the request body of type @content_type. */
void         _roster_caldav_set_body          (SoupMessage   *msg,
                                               const char    *content_type,
                                               GBytes        *body);
/* Sends @msg; the body of the answer whatever its status, or NULL with
 * UNREACHABLE, TLS or G_IO_ERROR_CANCELLED. */
GBytes      *_roster_caldav_send              (RosterCaldavClient *self,
                                               SoupMessage   *msg,
                                               GCancellable  *cancellable,
                                               GError       **error);
/* TRUE for a 2xx answer; else the error its status means. @discovery: a 401
 * or 403 says the password is wrong; an answer that is no DAV says "not a
 * CalDAV server". */
gboolean     _roster_caldav_check_status      (RosterCaldavClient *self,
                                               SoupMessage   *msg,
                                               GBytes        *body,
                                               gboolean       discovery,
                                               GError       **error);
void         _roster_caldav_set_not_caldav    (RosterCaldavClient *self,
                                               GError       **error);
void         _roster_caldav_set_invalid       (GError       **error);
/* Sends @request (a DAV XML body) as @method with Depth @depth (NULL: none),
 * wants 207 Multi-Status and parses it: the responses in @responses, the
 * document (which their props point into) in @doc. */
gboolean     _roster_caldav_multistatus       (RosterCaldavClient *self,
                                               const char    *method,
                                               const char    *href,
                                               const char    *depth,
                                               xmlDoc        *request,
                                               gboolean       discovery,
                                               xmlDoc       **doc,
                                               GPtrArray    **responses,
                                               GCancellable  *cancellable,
                                               GError       **error);
/* The path of @href (a path or a URL) resolved against the server, with one
 * percent-encoding whatever the server used; NULL when it is no URI. */
char        *_roster_caldav_normalize_href    (RosterCaldavClient *self,
                                               const char    *href);

/* DAV XML (roster-caldav-xml.c). A new request document whose root is
 * @ns:@name, with the DAV, CalDAV and CalendarServer namespaces declared. */
xmlDoc      *_roster_dav_xml_new              (const char    *ns,
                                               const char    *name);
/* A child element @ns:@name of @parent, holding @text (escaped) when given. */
xmlNode     *_roster_dav_xml_add              (xmlNode       *parent,
                                               const char    *ns,
                                               const char    *name,
                                               const char    *text);
GBytes      *_roster_dav_xml_bytes            (xmlDoc        *doc);
/* Parses an answer; ROSTER_CALDAV_ERROR_INVALID when it is not XML. */
xmlDoc      *_roster_dav_xml_parse            (GBytes        *body,
                                               GError       **error);
gboolean     _roster_dav_xml_is               (const xmlNode *node,
                                               const char    *ns,
                                               const char    *name);
/* The first child element @ns:@name of @node, or NULL. */
xmlNode     *_roster_dav_xml_child            (const xmlNode *node,
                                               const char    *ns,
                                               const char    *name);
/* An element @ns:@name anywhere below @node (or @node itself), or NULL. */
xmlNode     *_roster_dav_xml_find             (xmlNode       *node,
                                               const char    *ns,
                                               const char    *name);
/* The text of @node without surrounding white space; NULL when empty. */
char        *_roster_dav_xml_text             (const xmlNode *node);
/* The text of @node's first DAV:href child, normalised; NULL when none. */
char        *_roster_dav_xml_child_href       (RosterCaldavClient *self,
                                               const xmlNode *node);
/* The DAV:response elements of a DAV:multistatus document. */
GPtrArray   *_roster_dav_xml_responses        (RosterCaldavClient *self,
                                               xmlDoc        *doc);
/* @response's 2xx property @ns:@name, or NULL. */
xmlNode     *_roster_dav_response_prop        (const RosterDavResponse *response,
                                               const char    *ns,
                                               const char    *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterDavResponse, _roster_dav_response_free)
/* libxml2 2.9 (Debian 12) has no g_autoptr of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

G_END_DECLS
