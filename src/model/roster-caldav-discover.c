/* roster-caldav-discover.c: finding an account's calendar home and its task
 * lists, and making, renaming and deleting lists (see roster-caldav.h).
 *
 * Discovery (RFC 6764 and RFC 4791 §6.2.1): a PROPFIND (Depth 0) asks for
 * DAV:current-user-principal and CALDAV:calendar-home-set at
 * /.well-known/caldav, following redirects (Nextcloud and Radicale redirect
 * it), then at the server's root; an address with a path of its own
 * (Nextcloud's "…/remote.php/dav") is asked directly. When the answer names
 * only the principal, a second PROPFIND asks the principal for its home. A
 * server that answers none of it with a DAV multistatus is "not a CalDAV
 * server"; a 401 or 403 on the way means the password is wrong.
 */
#define G_LOG_DOMAIN "roster-caldav"

#include <glib/gi18n-lib.h>

#include "roster-caldav-private.h"

typedef struct
{
  const char *ns;
  const char *name;
} PropName;

static xmlDoc *
propfind_request (const PropName *props,
                  gsize           n_props)
{
  xmlDoc *doc = _roster_dav_xml_new (ROSTER_DAV_NS, "propfind");
  xmlNode *prop = _roster_dav_xml_add (xmlDocGetRootElement (doc), ROSTER_DAV_NS, "prop", NULL);

  for (gsize i = 0; i < n_props; i++)
    _roster_dav_xml_add (prop, props[i].ns, props[i].name, NULL);
  return doc;
}

/* The href inside @response's property @ns:@name (a DAV:href child), or NULL. */
static char *
prop_href (RosterCaldavClient      *self,
           const RosterDavResponse *response,
           const char              *ns,
           const char              *name)
{
  xmlNode *prop = _roster_dav_response_prop (response, ns, name);

  return prop != NULL ? _roster_dav_xml_child_href (self, prop) : NULL;
}

/* Asks @href for the principal and the home; the home, or NULL. */
static char *
find_home_at (RosterCaldavClient *self,
              const char         *href,
              GCancellable       *cancellable,
              GError            **error)
{
  static const PropName props[] = {
    { ROSTER_DAV_NS, "current-user-principal" },
    { ROSTER_CALDAV_NS, "calendar-home-set" },
  };
  g_autoptr(xmlDoc) request = propfind_request (props, G_N_ELEMENTS (props));
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(GPtrArray) responses = NULL;
  g_autofree char *principal = NULL;
  char *home = NULL;

  if (!_roster_caldav_multistatus (self, "PROPFIND", href, "0", request, TRUE,
                                   &doc, &responses, cancellable, error))
    return NULL;

  for (guint i = 0; i < responses->len && home == NULL; i++)
    {
      home = prop_href (self, responses->pdata[i], ROSTER_CALDAV_NS, "calendar-home-set");
      if (principal == NULL)
        principal = prop_href (self, responses->pdata[i], ROSTER_DAV_NS, "current-user-principal");
    }
  if (home == NULL && principal != NULL && g_strcmp0 (principal, href) != 0)
    return find_home_at (self, principal, cancellable, error);
  if (home == NULL)
    _roster_caldav_set_not_caldav (self, error);
  return home;
}

char *
roster_caldav_client_discover (RosterCaldavClient *self,
                               GCancellable       *cancellable,
                               GError            **error)
{
  const char *path;
  const char *candidates[2];
  guint n_candidates = 0;

  g_return_val_if_fail (ROSTER_IS_CALDAV_CLIENT (self), NULL);

  path = g_uri_get_path (self->base);
  if (g_str_equal (path, "/"))
    candidates[n_candidates++] = "/.well-known/caldav";
  candidates[n_candidates++] = path;

  for (guint i = 0; i < n_candidates; i++)
    {
      g_autoptr(GError) local = NULL;
      g_autofree char *home = find_home_at (self, candidates[i], cancellable, &local);

      if (home != NULL)
        {
          g_debug ("calendar home: %s", home);
          roster_caldav_client_set_home (self, home);
          return g_steal_pointer (&home);
        }
      if (i + 1 == n_candidates
          || !g_error_matches (local, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_NOT_CALDAV))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
    }
  g_assert_not_reached ();
}

void
roster_caldav_client_set_home (RosterCaldavClient *self,
                               const char         *home_href)
{
  g_return_if_fail (ROSTER_IS_CALDAV_CLIENT (self));

  g_free (self->home);
  self->home = g_strdup (home_href);
}

const char *
roster_caldav_client_get_home (RosterCaldavClient *self)
{
  g_return_val_if_fail (ROSTER_IS_CALDAV_CLIENT (self), NULL);
  return self->home;
}

static gboolean
ensure_home (RosterCaldavClient *self,
             GCancellable       *cancellable,
             GError            **error)
{
  g_autofree char *home = NULL;

  if (self->home != NULL)
    return TRUE;
  home = roster_caldav_client_discover (self, cancellable, error);
  return home != NULL;
}

/* No supported-calendar-component-set means every component (RFC 4791 §5.2.3). */
static gboolean
takes_vtodo (const RosterDavResponse *response)
{
  xmlNode *set = _roster_dav_response_prop (response, ROSTER_CALDAV_NS, "supported-calendar-component-set");

  if (set == NULL)
    return TRUE;
  for (xmlNode *comp = set->children; comp != NULL; comp = comp->next)
    {
      xmlChar *name;
      gboolean vtodo;

      if (!_roster_dav_xml_is (comp, ROSTER_CALDAV_NS, "comp"))
        continue;
      name = xmlGetProp (comp, (const xmlChar *) "name");
      vtodo = name != NULL && g_ascii_strcasecmp ((const char *) name, "VTODO") == 0;
      xmlFree (name);
      if (vtodo)
        return TRUE;
    }
  return FALSE;
}

/* A task list out of a PROPFIND answer, or NULL when @response is no
 * calendar collection taking VTODOs. */
static RosterCaldavCollection *
collection_from_response (const RosterDavResponse *response)
{
  xmlNode *type = _roster_dav_response_prop (response, ROSTER_DAV_NS, "resourcetype");
  RosterCaldavCollection *collection;

  if (_roster_dav_xml_child (type, ROSTER_CALDAV_NS, "calendar") == NULL || !takes_vtodo (response))
    return NULL;
  collection = g_new0 (RosterCaldavCollection, 1);
  collection->href = g_str_has_suffix (response->href, "/")
                     ? g_strdup (response->href) : g_strconcat (response->href, "/", NULL);
  collection->display_name = _roster_dav_xml_text (_roster_dav_response_prop (response, ROSTER_DAV_NS, "displayname"));
  collection->ctag = _roster_dav_xml_text (_roster_dav_response_prop (response, ROSTER_CS_NS, "getctag"));
  collection->sync_token = _roster_dav_xml_text (_roster_dav_response_prop (response, ROSTER_DAV_NS, "sync-token"));
  return collection;
}

/* A PROPFIND of @href for what a RosterCaldavCollection holds; the sync
 * token only when asked: a server may work for it (Radicale reads every item
 * of the list for the token, and again for the CTag). */
static gboolean
propfind_collections (RosterCaldavClient     *self,
                      const char             *href,
                      const char             *depth,
                      RosterCaldavListFlags   flags,
                      xmlDoc                **doc,
                      GPtrArray             **responses,
                      GCancellable           *cancellable,
                      GError                **error)
{
  static const PropName props[] = {
    { ROSTER_DAV_NS, "resourcetype" },
    { ROSTER_DAV_NS, "displayname" },
    { ROSTER_CALDAV_NS, "supported-calendar-component-set" },
    { ROSTER_CS_NS, "getctag" },
    { ROSTER_DAV_NS, "sync-token" },   /* last: left out unless asked for */
  };
  gsize n_props = (flags & ROSTER_CALDAV_LIST_SYNC_TOKENS) ? G_N_ELEMENTS (props) : G_N_ELEMENTS (props) - 1;
  g_autoptr(xmlDoc) request = propfind_request (props, n_props);

  return _roster_caldav_multistatus (self, "PROPFIND", href, depth, request, FALSE,
                                     doc, responses, cancellable, error);
}

GPtrArray *
roster_caldav_client_list_collections (RosterCaldavClient    *self,
                                       RosterCaldavListFlags  flags,
                                       GCancellable          *cancellable,
                                       GError               **error)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(GPtrArray) responses = NULL;
  GPtrArray *collections;

  g_return_val_if_fail (ROSTER_IS_CALDAV_CLIENT (self), NULL);

  if (!ensure_home (self, cancellable, error)
      || !propfind_collections (self, self->home, "1", flags, &doc, &responses, cancellable, error))
    return NULL;

  collections = g_ptr_array_new_with_free_func ((GDestroyNotify) roster_caldav_collection_free);
  for (guint i = 0; i < responses->len; i++)
    {
      RosterDavResponse *response = responses->pdata[i];
      RosterCaldavCollection *collection;

      if (g_str_equal (response->href, self->home))
        continue;
      collection = collection_from_response (response);
      if (collection != NULL)
        g_ptr_array_add (collections, collection);
    }
  return collections;
}

RosterCaldavCollection *
roster_caldav_client_get_collection (RosterCaldavClient *self,
                                     const char         *collection_href,
                                     GCancellable       *cancellable,
                                     GError            **error)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(GPtrArray) responses = NULL;

  g_return_val_if_fail (ROSTER_IS_CALDAV_CLIENT (self), NULL);
  g_return_val_if_fail (collection_href != NULL, NULL);

  if (!propfind_collections (self, collection_href, "0", ROSTER_CALDAV_LIST_SYNC_TOKENS,
                             &doc, &responses, cancellable, error))
    return NULL;
  for (guint i = 0; i < responses->len; i++)
    {
      RosterCaldavCollection *collection = collection_from_response (responses->pdata[i]);

      if (collection != NULL)
        return collection;
    }
  g_set_error_literal (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_NOT_FOUND,
                       _("The task or list is no longer on the server."));
  return NULL;
}

char *
roster_caldav_client_make_collection (RosterCaldavClient *self,
                                      const char         *display_name,
                                      GCancellable       *cancellable,
                                      GError            **error)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *href = NULL;

  g_return_val_if_fail (ROSTER_IS_CALDAV_CLIENT (self), NULL);

  if (!ensure_home (self, cancellable, error))
    return NULL;
  href = g_strconcat (self->home, g_str_has_suffix (self->home, "/") ? "" : "/", uuid, "/", NULL);
  if (!roster_caldav_client_make_collection_at (self, href, display_name, cancellable, error))
    return NULL;
  return g_steal_pointer (&href);
}

gboolean
roster_caldav_client_make_collection_at (RosterCaldavClient *self,
                                         const char         *href,
                                         const char         *display_name,
                                         GCancellable       *cancellable,
                                         GError            **error)
{
  g_autoptr(xmlDoc) request = _roster_dav_xml_new (ROSTER_CALDAV_NS, "mkcalendar");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  xmlNode *prop, *set;

  g_return_val_if_fail (ROSTER_IS_CALDAV_CLIENT (self), FALSE);
  g_return_val_if_fail (href != NULL && display_name != NULL, FALSE);

  set = _roster_dav_xml_add (xmlDocGetRootElement (request), ROSTER_DAV_NS, "set", NULL);
  prop = _roster_dav_xml_add (set, ROSTER_DAV_NS, "prop", NULL);
  _roster_dav_xml_add (prop, ROSTER_DAV_NS, "displayname", display_name);
  set = _roster_dav_xml_add (prop, ROSTER_CALDAV_NS, "supported-calendar-component-set", NULL);
  xmlSetProp (_roster_dav_xml_add (set, ROSTER_CALDAV_NS, "comp", NULL),
              (const xmlChar *) "name", (const xmlChar *) "VTODO");

  msg = _roster_caldav_message (self, "MKCALENDAR", href);
  body = _roster_dav_xml_bytes (request);
  _roster_caldav_set_body (msg, "application/xml; charset=utf-8", body);
  answer = _roster_caldav_send (self, msg, cancellable, error);
  return answer != NULL && _roster_caldav_check_status (self, msg, answer, FALSE, error);
}

gboolean
roster_caldav_client_rename_collection (RosterCaldavClient *self,
                                        const char         *collection_href,
                                        const char         *display_name,
                                        GCancellable       *cancellable,
                                        GError            **error)
{
  g_autoptr(xmlDoc) request = _roster_dav_xml_new (ROSTER_DAV_NS, "propertyupdate");
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(GPtrArray) responses = NULL;
  xmlNode *prop;

  g_return_val_if_fail (ROSTER_IS_CALDAV_CLIENT (self), FALSE);
  g_return_val_if_fail (collection_href != NULL && display_name != NULL, FALSE);

  prop = _roster_dav_xml_add (_roster_dav_xml_add (xmlDocGetRootElement (request), ROSTER_DAV_NS, "set", NULL),
                              ROSTER_DAV_NS, "prop", NULL);
  _roster_dav_xml_add (prop, ROSTER_DAV_NS, "displayname", display_name);
  if (!_roster_caldav_multistatus (self, "PROPPATCH", collection_href, NULL, request, FALSE,
                                   &doc, &responses, cancellable, error))
    return FALSE;

  /* The name is set only when its propstat says 2xx. */
  for (guint i = 0; i < responses->len; i++)
    if (_roster_dav_response_prop (responses->pdata[i], ROSTER_DAV_NS, "displayname") != NULL)
      return TRUE;
  g_set_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_HTTP,
               _("The server “%s” did not rename the list."), self->host);
  return FALSE;
}
