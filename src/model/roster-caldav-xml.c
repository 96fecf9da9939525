/* roster-caldav-xml.c: the DAV XML of the CalDAV client, with libxml2.
 *
 * Requests are built as documents (never by pasting strings), so a list's
 * name or an href is always escaped. Answers are read by namespace URI and
 * local name, never by prefix: servers pick any prefix ("D:", "d:", none).
 * Parsing never fetches anything from the network and expands no entity.
 */
#define G_LOG_DOMAIN "roster-caldav"

#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <string.h>

#include "roster-caldav-private.h"

static const struct
{
  const char *prefix;
  const char *href;
} namespaces[] = {
  { "D", ROSTER_DAV_NS },
  { "C", ROSTER_CALDAV_NS },
  { "CS", ROSTER_CS_NS },
};

xmlDoc *
_roster_dav_xml_new (const char *ns,
                     const char *name)
{
  xmlDoc *doc = xmlNewDoc ((const xmlChar *) "1.0");
  xmlNode *root = xmlNewDocNode (doc, NULL, (const xmlChar *) name, NULL);

  xmlDocSetRootElement (doc, root);
  for (gsize i = 0; i < G_N_ELEMENTS (namespaces); i++)
    {
      xmlNs *declared = xmlNewNs (root, (const xmlChar *) namespaces[i].href,
                                  (const xmlChar *) namespaces[i].prefix);
      if (g_str_equal (namespaces[i].href, ns))
        xmlSetNs (root, declared);
    }
  return doc;
}

xmlNode *
_roster_dav_xml_add (xmlNode    *parent,
                     const char *ns,
                     const char *name,
                     const char *text)
{
  xmlNs *found = xmlSearchNsByHref (parent->doc, parent, (const xmlChar *) ns);
  xmlNode *child = xmlNewChild (parent, found, (const xmlChar *) name, NULL);

  /* xmlNewTextChild would do too; a text node makes the escaping plain. */
  if (text != NULL)
    xmlAddChild (child, xmlNewText ((const xmlChar *) text));
  return child;
}

GBytes *
_roster_dav_xml_bytes (xmlDoc *doc)
{
  xmlChar *text = NULL;
  int length = 0;
  GBytes *bytes;

  xmlDocDumpMemoryEnc (doc, &text, &length, "UTF-8");
  bytes = g_bytes_new (text, (gsize) length);
  xmlFree (text);
  return bytes;
}

void
_roster_caldav_set_invalid (GError **error)
{
  g_set_error_literal (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_INVALID,
                       _("The server’s answer could not be read."));
}

xmlDoc *
_roster_dav_xml_parse (GBytes  *body,
                       GError **error)
{
  gsize length = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &length) : NULL;
  xmlDoc *doc = NULL;

  if (data != NULL && length > 0 && length <= G_MAXINT)
    doc = xmlReadMemory (data, (int) length, NULL, NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == NULL || xmlDocGetRootElement (doc) == NULL)
    {
      if (doc != NULL)
        xmlFreeDoc (doc);
      _roster_caldav_set_invalid (error);
      return NULL;
    }
  return doc;
}

gboolean
_roster_dav_xml_is (const xmlNode *node,
                    const char    *ns,
                    const char    *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE && node->ns != NULL
         && node->ns->href != NULL
         && strcmp ((const char *) node->ns->href, ns) == 0
         && strcmp ((const char *) node->name, name) == 0;
}

xmlNode *
_roster_dav_xml_child (const xmlNode *node,
                       const char    *ns,
                       const char    *name)
{
  if (node == NULL)
    return NULL;
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    if (_roster_dav_xml_is (child, ns, name))
      return child;
  return NULL;
}

xmlNode *
_roster_dav_xml_find (xmlNode    *node,
                      const char *ns,
                      const char *name)
{
  if (node == NULL)
    return NULL;
  if (_roster_dav_xml_is (node, ns, name))
    return node;
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      xmlNode *found = _roster_dav_xml_find (child, ns, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

char *
_roster_dav_xml_text (const xmlNode *node)
{
  xmlChar *content;
  char *text;

  if (node == NULL)
    return NULL;
  content = xmlNodeGetContent (node);
  if (content == NULL)
    return NULL;
  text = g_strstrip (g_strdup ((const char *) content));
  xmlFree (content);
  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

char *
_roster_dav_xml_child_href (RosterCaldavClient *self,
                            const xmlNode      *node)
{
  g_autofree char *text = _roster_dav_xml_text (_roster_dav_xml_child (node, ROSTER_DAV_NS, "href"));

  return text != NULL ? _roster_caldav_normalize_href (self, text) : NULL;
}

void
_roster_dav_response_free (RosterDavResponse *response)
{
  g_free (response->href);
  g_ptr_array_unref (response->props);
  g_free (response);
}

/* "HTTP/1.1 404 Not Found" → 404; 0 when it cannot be read. */
static guint
parse_status (const xmlNode *node)
{
  g_autofree char *line = _roster_dav_xml_text (node);
  guint code = 0;

  if (line == NULL || !soup_headers_parse_status_line (line, NULL, &code, NULL))
    return 0;
  return code;
}

static RosterDavResponse *
read_response (RosterCaldavClient *self,
               xmlNode            *node)
{
  RosterDavResponse *response;
  g_autofree char *href = _roster_dav_xml_child_href (self, node);

  if (href == NULL)
    return NULL;
  response = g_new0 (RosterDavResponse, 1);
  response->href = g_steal_pointer (&href);
  response->props = g_ptr_array_new ();
  response->status = parse_status (_roster_dav_xml_child (node, ROSTER_DAV_NS, "status"));

  for (xmlNode *propstat = node->children; propstat != NULL; propstat = propstat->next)
    {
      guint status;
      xmlNode *prop;

      if (!_roster_dav_xml_is (propstat, ROSTER_DAV_NS, "propstat"))
        continue;
      status = parse_status (_roster_dav_xml_child (propstat, ROSTER_DAV_NS, "status"));
      prop = _roster_dav_xml_child (propstat, ROSTER_DAV_NS, "prop");
      if (status < 200 || status >= 300 || prop == NULL)
        continue;
      for (xmlNode *child = prop->children; child != NULL; child = child->next)
        if (child->type == XML_ELEMENT_NODE)
          g_ptr_array_add (response->props, child);
    }
  return response;
}

GPtrArray *
_roster_dav_xml_responses (RosterCaldavClient *self,
                           xmlDoc             *doc)
{
  GPtrArray *responses = g_ptr_array_new_with_free_func ((GDestroyNotify) _roster_dav_response_free);
  xmlNode *root = xmlDocGetRootElement (doc);

  for (xmlNode *node = root != NULL ? root->children : NULL; node != NULL; node = node->next)
    {
      RosterDavResponse *response;

      if (!_roster_dav_xml_is (node, ROSTER_DAV_NS, "response"))
        continue;
      response = read_response (self, node);
      if (response != NULL)
        g_ptr_array_add (responses, response);
    }
  return responses;
}

xmlNode *
_roster_dav_response_prop (const RosterDavResponse *response,
                           const char              *ns,
                           const char              *name)
{
  for (guint i = 0; i < response->props->len; i++)
    if (_roster_dav_xml_is (response->props->pdata[i], ns, name))
      return response->props->pdata[i];
  return NULL;
}
