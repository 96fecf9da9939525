/* roster-caldav-resources.c: the VTODO resources of a task list (see
 * roster-caldav.h): listing their ETags (a calendar-query REPORT), reading
 * many at once (calendar-multiget), what changed since a token
 * (sync-collection, RFC 6578), and GET, PUT, DELETE and MOVE of one.
 *
 * Writes are conditional, so that nothing is overwritten unseen: a new
 * resource is PUT with "If-None-Match: *", a change or a deletion with
 * "If-Match" and the ETag last seen; the server's 412 is
 * ROSTER_CALDAV_ERROR_CONFLICT, and the caller fetches, merges and tries again.
 */
#define G_LOG_DOMAIN "roster-caldav"

#include <string.h>

#include "roster-caldav-private.h"

/* A sync-collection answer cut short (507 on the collection) is asked again
 * from its token; this bounds how often. */
#define MAX_SYNC_ROUNDS 100

static RosterCaldavResource *
resource_new (const char *href,
              char       *etag,
              char       *data)
{
  RosterCaldavResource *resource = g_new0 (RosterCaldavResource, 1);

  resource->href = g_strdup (href);
  resource->etag = etag;
  resource->data = data;
  return resource;
}

static GPtrArray *
resource_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) roster_caldav_resource_free);
}

static char *
response_etag (const RosterDavResponse *response)
{
  return _roster_dav_xml_text (_roster_dav_response_prop (response, ROSTER_DAV_NS, "getetag"));
}

/* A strong ETag from the answer's headers, or NULL (a weak one cannot be
 * given to If-Match). */
static char *
header_etag (SoupMessage *msg)
{
  const char *etag = soup_message_headers_get_one (soup_message_get_response_headers (msg), "ETag");

  if (etag == NULL || g_str_has_prefix (etag, "W/"))
    return NULL;
  return g_strdup (etag);
}

static gboolean
is_collection (RosterCaldavClient *self,
               const char         *collection_href,
               const char         *href)
{
  g_autofree char *normalized = _roster_caldav_normalize_href (self, collection_href);

  return normalized != NULL && (g_str_equal (href, normalized)
                                || (g_str_has_prefix (normalized, href)
                                    && strlen (normalized) == strlen (href) + 1));
}

/* <prop> with DAV:getetag (and CALDAV:calendar-data when @data) under @parent. */
static void
add_etag_prop (xmlNode  *parent,
               gboolean  data)
{
  xmlNode *prop = _roster_dav_xml_add (parent, ROSTER_DAV_NS, "prop", NULL);

  _roster_dav_xml_add (prop, ROSTER_DAV_NS, "getetag", NULL);
  if (data)
    _roster_dav_xml_add (prop, ROSTER_CALDAV_NS, "calendar-data", NULL);
}

GPtrArray *
roster_caldav_client_list_resources (RosterCaldavClient *self,
                                     const char         *collection_href,
                                     GCancellable       *cancellable,
                                     GError            **error)
{
  g_autoptr(xmlDoc) request = _roster_dav_xml_new (ROSTER_CALDAV_NS, "calendar-query");
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(GPtrArray) responses = NULL;
  xmlNode *root = xmlDocGetRootElement (request);
  xmlNode *filter;
  GPtrArray *resources;

  g_return_val_if_fail (ROSTER_IS_CALDAV_CLIENT (self), NULL);

  add_etag_prop (root, FALSE);
  filter = _roster_dav_xml_add (root, ROSTER_CALDAV_NS, "filter", NULL);
  filter = _roster_dav_xml_add (filter, ROSTER_CALDAV_NS, "comp-filter", NULL);
  xmlSetProp (filter, (const xmlChar *) "name", (const xmlChar *) "VCALENDAR");
  filter = _roster_dav_xml_add (filter, ROSTER_CALDAV_NS, "comp-filter", NULL);
  xmlSetProp (filter, (const xmlChar *) "name", (const xmlChar *) "VTODO");

  if (!_roster_caldav_multistatus (self, "REPORT", collection_href, "1", request, FALSE,
                                   &doc, &responses, cancellable, error))
    return NULL;

  resources = resource_array_new ();
  for (guint i = 0; i < responses->len; i++)
    {
      RosterDavResponse *response = responses->pdata[i];
      char *etag = response_etag (response);

      if (etag == NULL || is_collection (self, collection_href, response->href))
        g_free (etag);
      else
        g_ptr_array_add (resources, resource_new (response->href, etag, NULL));
    }
  return resources;
}

GPtrArray *
roster_caldav_client_multiget (RosterCaldavClient *self,
                               const char         *collection_href,
                               const char * const *hrefs,
                               GCancellable       *cancellable,
                               GError            **error)
{
  g_autoptr(xmlDoc) request = _roster_dav_xml_new (ROSTER_CALDAV_NS, "calendar-multiget");
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(GPtrArray) responses = NULL;
  xmlNode *root = xmlDocGetRootElement (request);
  GPtrArray *resources;

  g_return_val_if_fail (ROSTER_IS_CALDAV_CLIENT (self), NULL);

  if (hrefs == NULL || hrefs[0] == NULL)
    return resource_array_new ();

  add_etag_prop (root, TRUE);
  for (guint i = 0; hrefs[i] != NULL; i++)
    _roster_dav_xml_add (root, ROSTER_DAV_NS, "href", hrefs[i]);
  if (!_roster_caldav_multistatus (self, "REPORT", collection_href, "1", request, FALSE,
                                   &doc, &responses, cancellable, error))
    return NULL;

  resources = resource_array_new ();
  for (guint i = 0; i < responses->len; i++)
    {
      RosterDavResponse *response = responses->pdata[i];
      xmlNode *data = _roster_dav_response_prop (response, ROSTER_CALDAV_NS, "calendar-data");
      xmlChar *content;

      /* A resource gone meanwhile answers 404, with no data. */
      if (data == NULL || (response->status != 0 && response->status / 100 != 2))
        continue;
      content = xmlNodeGetContent (data);
      g_ptr_array_add (resources, resource_new (response->href, response_etag (response),
                                                g_strdup ((const char *) content)));
      xmlFree (content);
    }
  return resources;
}

/* Notes one sync-collection member: changed (with its ETag) or removed; a
 * later round's word on an href replaces an earlier one. */
static void
note_member (RosterCaldavChanges *changes,
             GHashTable          *seen,
             RosterDavResponse   *response)
{
  g_autofree char *etag = response_etag (response);
  gboolean removed = response->status == SOUP_STATUS_NOT_FOUND || response->status == SOUP_STATUS_GONE;

  if (g_hash_table_contains (seen, response->href))
    {
      for (guint i = 0; i < changes->changed->len; i++)
        if (g_str_equal (((RosterCaldavResource *) changes->changed->pdata[i])->href, response->href))
          g_ptr_array_remove_index (changes->changed, i--);
      for (guint i = 0; i < changes->removed->len; i++)
        if (g_str_equal (changes->removed->pdata[i], response->href))
          g_ptr_array_remove_index (changes->removed, i--);
    }
  if (removed)
    g_ptr_array_add (changes->removed, g_strdup (response->href));
  else if (etag != NULL)
    g_ptr_array_add (changes->changed, resource_new (response->href, g_steal_pointer (&etag), NULL));
  else
    return;
  g_hash_table_add (seen, g_strdup (response->href));
}

RosterCaldavChanges *
roster_caldav_client_sync_collection (RosterCaldavClient *self,
                                      const char         *collection_href,
                                      const char         *token,
                                      GCancellable       *cancellable,
                                      GError            **error)
{
  g_autoptr(RosterCaldavChanges) changes = g_new0 (RosterCaldavChanges, 1);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_val_if_fail (ROSTER_IS_CALDAV_CLIENT (self), NULL);

  changes->changed = resource_array_new ();
  changes->removed = g_ptr_array_new_with_free_func (g_free);
  changes->token = g_strdup (token);

  for (guint round = 0; round < MAX_SYNC_ROUNDS; round++)
    {
      g_autoptr(xmlDoc) request = _roster_dav_xml_new (ROSTER_DAV_NS, "sync-collection");
      g_autoptr(xmlDoc) doc = NULL;
      g_autoptr(GPtrArray) responses = NULL;
      xmlNode *root = xmlDocGetRootElement (request);
      gboolean truncated = FALSE;
      char *new_token;

      /* An empty DAV:sync-token asks for every member (RFC 6578 §3.8). */
      _roster_dav_xml_add (root, ROSTER_DAV_NS, "sync-token", changes->token);
      _roster_dav_xml_add (root, ROSTER_DAV_NS, "sync-level", "1");
      add_etag_prop (root, FALSE);
      if (!_roster_caldav_multistatus (self, "REPORT", collection_href, "0", request, FALSE,
                                       &doc, &responses, cancellable, error))
        return NULL;

      for (guint i = 0; i < responses->len; i++)
        {
          RosterDavResponse *response = responses->pdata[i];

          if (is_collection (self, collection_href, response->href))
            truncated |= response->status == 507;
          else
            note_member (changes, seen, response);
        }
      new_token = _roster_dav_xml_text (_roster_dav_xml_child (xmlDocGetRootElement (doc),
                                                               ROSTER_DAV_NS, "sync-token"));
      if (new_token == NULL)
        {
          _roster_caldav_set_invalid (error);
          return NULL;
        }
      g_free (changes->token);
      changes->token = new_token;
      if (!truncated)
        return g_steal_pointer (&changes);
    }
  _roster_caldav_set_invalid (error);
  return NULL;
}

/* Sends @msg with @body of @content_type (or none); TRUE on a 2xx. */
static gboolean
send_simple (RosterCaldavClient *self,
             SoupMessage        *msg,
             const char         *content_type,
             GBytes             *body,
             GBytes            **answer,
             GCancellable       *cancellable,
             GError            **error)
{
  g_autoptr(GBytes) received = NULL;

  if (body != NULL)
    _roster_caldav_set_body (msg, content_type, body);
  received = _roster_caldav_send (self, msg, cancellable, error);
  if (received == NULL || !_roster_caldav_check_status (self, msg, received, FALSE, error))
    return FALSE;
  if (answer != NULL)
    *answer = g_steal_pointer (&received);
  return TRUE;
}

static void
set_header (SoupMessage *msg,
            const char  *name,
            const char  *value)
{
  soup_message_headers_replace (soup_message_get_request_headers (msg), name, value);
}

char *
roster_caldav_client_get (RosterCaldavClient *self,
                          const char         *href,
                          char              **etag,
                          GCancellable       *cancellable,
                          GError            **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  gsize length = 0;
  const char *data;

  g_return_val_if_fail (ROSTER_IS_CALDAV_CLIENT (self), NULL);

  msg = _roster_caldav_message (self, "GET", href);
  if (!send_simple (self, msg, NULL, NULL, &answer, cancellable, error))
    return NULL;
  if (etag != NULL)
    *etag = header_etag (msg);
  data = g_bytes_get_data (answer, &length);
  return g_strndup (data != NULL ? data : "", length);
}

gboolean
roster_caldav_client_put (RosterCaldavClient *self,
                          const char         *href,
                          const char         *data,
                          const char         *if_match,
                          char              **new_etag,
                          GCancellable       *cancellable,
                          GError            **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;

  g_return_val_if_fail (ROSTER_IS_CALDAV_CLIENT (self), FALSE);
  g_return_val_if_fail (href != NULL && data != NULL, FALSE);

  msg = _roster_caldav_message (self, "PUT", href);
  if (if_match != NULL)
    set_header (msg, "If-Match", if_match);
  else
    set_header (msg, "If-None-Match", "*");
  body = g_bytes_new (data, strlen (data));
  if (!send_simple (self, msg, "text/calendar; charset=utf-8", body, NULL, cancellable, error))
    return FALSE;
  if (new_etag != NULL)
    *new_etag = header_etag (msg);
  return TRUE;
}

gboolean
roster_caldav_client_delete (RosterCaldavClient *self,
                             const char         *href,
                             const char         *if_match,
                             GCancellable       *cancellable,
                             GError            **error)
{
  g_autoptr(SoupMessage) msg = NULL;

  g_return_val_if_fail (ROSTER_IS_CALDAV_CLIENT (self), FALSE);

  msg = _roster_caldav_message (self, "DELETE", href);
  if (if_match != NULL)
    set_header (msg, "If-Match", if_match);
  return send_simple (self, msg, NULL, NULL, NULL, cancellable, error);
}

gboolean
roster_caldav_client_move (RosterCaldavClient *self,
                           const char         *href,
                           const char         *destination_href,
                           GCancellable       *cancellable,
                           GError            **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GUri) destination = NULL;
  g_autofree char *destination_url = NULL;

  g_return_val_if_fail (ROSTER_IS_CALDAV_CLIENT (self), FALSE);

  destination = g_uri_parse_relative (self->base, destination_href, G_URI_FLAGS_ENCODED, NULL);
  if (destination == NULL)
    {
      _roster_caldav_set_invalid (error);
      return FALSE;
    }
  destination_url = g_uri_to_string (destination);
  msg = _roster_caldav_message (self, "MOVE", href);
  set_header (msg, "Destination", destination_url);
  set_header (msg, "Overwrite", "F");
  return send_simple (self, msg, NULL, NULL, NULL, cancellable, error);
}
