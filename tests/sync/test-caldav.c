/* test-caldav.c: the CalDAV client against a real server.
 *
 * One Radicale (roster-radicale.c) serves every case, each case as a user of
 * its own; python3-caldav (caldav-peer.py) is the independent client that
 * checks what Roster's client did and makes the changes it must see. Skipped
 * (77) without radicale or python3-caldav.
 */
#define G_LOG_DOMAIN "test-caldav"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "roster-caldav.h"
#include "roster-radicale.h"
#include "roster-test-util.h"

static RosterRadicale *server;
static GString *captured_log;

static const char * const users[] = {
  "dana", "erin", "finn", "gina", "hank", "ivy", "jack", "kim",
};

static char *
password_of (const char *user)
{
  return g_strdup_printf ("pw-%s-Zq81", user);
}

static RosterCaldavClient *
client_for (const char *user)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = password_of (user);
  RosterCaldavClient *client = roster_caldav_client_new (roster_radicale_get_url (server), user,
                                                         password, &error);

  g_assert_no_error (error);
  return client;
}

/* caldav-peer.py COMMAND A1 A2 A3 as @user (arguments stop at the first NULL). */
static char *
peer (const char *user,
      const char *command,
      const char *a1,
      const char *a2,
      const char *a3)
{
  g_autofree char *password = password_of (user);

  return roster_radicale_peer (server, user, password, command, a1, a2, a3, NULL);
}

static JsonArray *
peer_json (const char *user,
           const char *command,
           const char *a1)
{
  g_autofree char *out = peer (user, command, a1, NULL, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

static char *
peer_path (const char *user,
           const char *command,
           const char *a1,
           const char *a2,
           const char *a3)
{
  return g_strstrip (peer (user, command, a1, a2, a3));
}

static const char *
member (JsonArray  *array,
        guint       index,
        const char *name)
{
  return json_object_get_string_member (json_array_get_object_element (array, index), name);
}

static const char *
find_resource_etag (GPtrArray  *resources,
                    const char *href)
{
  for (guint i = 0; i < resources->len; i++)
    {
      RosterCaldavResource *resource = resources->pdata[i];
      if (g_str_equal (resource->href, href))
        return resource->etag;
    }
  return NULL;
}

static const char *
vtodo (const char *uid,
       const char *summary)
{
  static char text[512];

  g_snprintf (text, sizeof text,
              "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Roster tests//EN\r\n"
              "BEGIN:VTODO\r\nUID:%s\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:%s\r\n"
              "END:VTODO\r\nEND:VCALENDAR\r\n", uid, summary);
  return text;
}

/* A bare "127.0.0.1:PORT" finds the account; only lists that take VTODOs
 * are task lists. */
static void
test_discover_bare_address (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", roster_radicale_get_port (server));
  g_autofree char *password = password_of ("dana");
  g_autofree char *tasks = peer_path ("dana", "make-list", "dana", "VTODO", NULL);
  g_autofree char *events = peer_path ("dana", "make-list", "Events", "VEVENT", NULL);
  g_autoptr(RosterCaldavClient) client = roster_caldav_client_new (address, "dana", password, &error);
  g_autoptr(RosterCaldavClient) by_principal = NULL;
  g_autoptr(GPtrArray) lists = NULL;
  g_autofree char *home = NULL;
  g_autofree char *principal_url = NULL;
  RosterCaldavCollection *list;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (roster_caldav_client_get_base_url (client), "http://127.0.0.1:"));
  home = roster_caldav_client_discover (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (home, ==, "/dana/");

  lists = roster_caldav_client_list_collections (client, ROSTER_CALDAV_LIST_SYNC_TOKENS, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lists->len, ==, 1);
  list = lists->pdata[0];
  g_assert_cmpstr (list->href, ==, tasks);
  g_assert_cmpstr (list->display_name, ==, "dana");
  g_assert_nonnull (list->sync_token);
  g_assert_nonnull (list->ctag);
  g_assert_cmpstr (events, !=, tasks);

  /* Without the tokens: the same list and CTag; the list asked alone has both. */
  {
    g_autoptr(GPtrArray) ctags = roster_caldav_client_list_collections (client, 0, NULL, &error);
    g_autoptr(RosterCaldavCollection) alone = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (ctags->len, ==, 1);
    g_assert_cmpstr (((RosterCaldavCollection *) ctags->pdata[0])->href, ==, tasks);
    g_assert_cmpstr (((RosterCaldavCollection *) ctags->pdata[0])->ctag, ==, list->ctag);
    g_assert_null (((RosterCaldavCollection *) ctags->pdata[0])->sync_token);
    alone = roster_caldav_client_get_collection (client, tasks, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (alone->href, ==, tasks);
    g_assert_cmpstr (alone->display_name, ==, "dana");
    g_assert_cmpstr (alone->sync_token, ==, list->sync_token);
    g_assert_cmpstr (alone->ctag, ==, list->ctag);
    /* The home is no task list. */
    g_assert_null (roster_caldav_client_get_collection (client, home, NULL, &error));
    g_assert_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* An address with a path of its own (as a Nextcloud one has) is asked directly. */
  principal_url = g_strdup_printf ("%sdana/", roster_radicale_get_url (server));
  by_principal = roster_caldav_client_new (principal_url, "dana", password, &error);
  g_assert_no_error (error);
  g_clear_pointer (&home, g_free);
  home = roster_caldav_client_discover (by_principal, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (home, ==, "/dana/");
}

static void
test_wrong_password (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterCaldavClient) client = roster_caldav_client_new (roster_radicale_get_url (server),
                                                                  "dana", "not-Her-Password", &error);
  g_autofree char *home = NULL;

  g_assert_no_error (error);
  home = roster_caldav_client_discover (client, NULL, &error);
  g_assert_null (home);
  g_assert_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, roster_caldav_client_get_host (client)));
  g_assert_null (strstr (error->message, "not-Her-Password"));
}

static void
test_unreachable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_strdup_printf ("http://127.0.0.1:%u/", roster_test_free_port ());
  g_autoptr(RosterCaldavClient) client = roster_caldav_client_new (address, "dana", "x", &error);
  g_autofree char *home = NULL;

  g_assert_no_error (error);
  home = roster_caldav_client_discover (client, NULL, &error);
  g_assert_null (home);
  g_assert_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_UNREACHABLE);
}

/* A web server that is no DAV server (python3 -m http.server). */
static void
test_not_caldav (void)
{
  g_autoptr(GError) error = NULL;
  guint16 port = 0;
  GSubprocess *web = roster_test_web_server_start (&port);
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", port);
  g_autoptr(RosterCaldavClient) client = roster_caldav_client_new (address, "dana", "x", &error);
  g_autofree char *home = NULL;

  g_assert_no_error (error);
  home = roster_caldav_client_discover (client, NULL, &error);
  roster_test_web_server_stop (web);
  g_assert_null (home);
  g_assert_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_NOT_CALDAV);
}

static void
test_invalid_address (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterCaldavClient) none = roster_caldav_client_new ("", "a", "b", &error);
  g_autoptr(RosterCaldavClient) ftp = NULL;
  g_autoptr(RosterCaldavClient) bare = NULL;
  g_autoptr(RosterCaldavClient) nextcloud = NULL;
  g_autofree char *href = NULL;

  g_assert_null (none);
  g_assert_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_INVALID);
  g_clear_error (&error);
  ftp = roster_caldav_client_new ("ftp://me:Secret-pw@example.org/", "a", "b", &error);
  g_assert_null (ftp);
  g_assert_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_INVALID);
  g_assert_null (strstr (error->message, "Secret-pw"));
  g_clear_error (&error);

  /* No scheme, not loopback: https; the user and password never in the base. */
  bare = roster_caldav_client_new (" example.org ", "a", "b", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (roster_caldav_client_get_base_url (bare), ==, "https://example.org/");
  nextcloud = roster_caldav_client_new ("https://me:secret@cloud.example.org/remote.php/dav",
                                        "a", "b", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (roster_caldav_client_get_base_url (nextcloud), ==,
                   "https://cloud.example.org/remote.php/dav");

  href = roster_caldav_resource_href ("/a/list/", "x y/z@1");
  g_assert_cmpstr (href, ==, "/a/list/x%20y%2Fz@1.ics");
}

/* MKCALENDAR, PROPPATCH and DELETE of a list, as python3-caldav sees them. */
static void
test_lists (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterCaldavClient) client = client_for ("erin");
  g_autofree char *href = roster_caldav_client_make_collection (client, "erin", NULL, &error);
  g_autoptr(JsonArray) lists = NULL;
  const char *odd_name = "Erin & <Co> “ü”";

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (href, "/erin/"));
  lists = peer_json ("erin", "lists", NULL);
  g_assert_cmpuint (json_array_get_length (lists), ==, 1);
  g_assert_cmpstr (member (lists, 0, "name"), ==, "erin");
  g_assert_cmpstr (member (lists, 0, "path"), ==, href);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (json_array_get_object_element (lists, 0),
                                                                                "components"), 0), ==, "VTODO");
  g_clear_pointer (&lists, json_array_unref);

  g_assert_true (roster_caldav_client_rename_collection (client, href, odd_name, NULL, &error));
  g_assert_no_error (error);
  lists = peer_json ("erin", "lists", NULL);
  g_assert_cmpstr (member (lists, 0, "name"), ==, odd_name);
  g_clear_pointer (&lists, json_array_unref);

  g_assert_true (roster_caldav_client_delete (client, href, NULL, NULL, &error));
  g_assert_no_error (error);
  lists = peer_json ("erin", "lists", NULL);
  g_assert_cmpuint (json_array_get_length (lists), ==, 0);
}

/* PUT creates only once, updates only over the ETag last seen, DELETE too. */
static void
test_put_update_conflict_delete (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterCaldavClient) client = client_for ("finn");
  g_autofree char *list = roster_caldav_client_make_collection (client, "finn", NULL, &error);
  g_autofree char *href = roster_caldav_resource_href (list, "task-1");
  g_autofree char *etag = NULL;
  g_autofree char *etag2 = NULL;
  g_autofree char *got_etag = NULL;
  g_autofree char *data = NULL;
  g_autoptr(JsonArray) todos = NULL;

  g_assert_no_error (error);
  g_assert_true (roster_caldav_client_put (client, href, vtodo ("task-1", "Buy milk"), NULL, &etag, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (etag);
  todos = peer_json ("finn", "todos", list);
  g_assert_cmpuint (json_array_get_length (todos), ==, 1);
  g_assert_cmpstr (member (todos, 0, "summary"), ==, "Buy milk");
  g_assert_cmpstr (member (todos, 0, "path"), ==, href);
  g_clear_pointer (&todos, json_array_unref);

  /* If-None-Match: * over an existing resource. */
  g_assert_false (roster_caldav_client_put (client, href, vtodo ("task-1", "Other"), NULL, NULL, NULL, &error));
  g_assert_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_CONFLICT);
  g_clear_error (&error);

  g_assert_true (roster_caldav_client_put (client, href, vtodo ("task-1", "Buy oat milk"), etag, &etag2, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (etag2);
  g_assert_cmpstr (etag2, !=, etag);

  /* The old ETag is stale now: 412, and the server keeps the newer text. */
  g_assert_false (roster_caldav_client_put (client, href, vtodo ("task-1", "Lost"), etag, NULL, NULL, &error));
  g_assert_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_CONFLICT);
  g_clear_error (&error);
  data = roster_caldav_client_get (client, href, &got_etag, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (data, "SUMMARY:Buy oat milk"));
  g_assert_cmpstr (got_etag, ==, etag2);

  g_assert_false (roster_caldav_client_delete (client, href, etag, NULL, &error));
  g_assert_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_CONFLICT);
  g_clear_error (&error);
  todos = peer_json ("finn", "todos", list);
  g_assert_cmpuint (json_array_get_length (todos), ==, 1);
  g_clear_pointer (&todos, json_array_unref);

  g_assert_true (roster_caldav_client_delete (client, href, etag2, NULL, &error));
  g_assert_no_error (error);
  todos = peer_json ("finn", "todos", list);
  g_assert_cmpuint (json_array_get_length (todos), ==, 0);
  g_clear_pointer (&data, g_free);
  data = roster_caldav_client_get (client, href, NULL, NULL, &error);
  g_assert_null (data);
  g_assert_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_NOT_FOUND);
}

static gboolean
changes_have (RosterCaldavChanges *changes,
              const char          *href)
{
  return find_resource_etag (changes->changed, href) != NULL;
}

/* sync-collection sees python3-caldav's additions, edits and deletions. */
static void
test_sync_collection (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterCaldavClient) client = client_for ("gina");
  g_autofree char *list = roster_caldav_client_make_collection (client, "gina", NULL, &error);
  g_autofree char *t1 = peer_path ("gina", "add", list, "uid-1", "First");
  g_autofree char *t2 = peer_path ("gina", "add", list, "uid-2", "Second");
  g_autofree char *t3 = NULL;
  g_autoptr(RosterCaldavChanges) all = roster_caldav_client_sync_collection (client, list, NULL, NULL, &error);
  g_autoptr(RosterCaldavChanges) since = NULL;
  g_autoptr(RosterCaldavChanges) nothing = NULL;
  g_autoptr(GPtrArray) listing = NULL;
  g_autofree char *out = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (all->changed->len, ==, 2);
  g_assert_true (changes_have (all, t1) && changes_have (all, t2));
  g_assert_cmpuint (all->removed->len, ==, 0);
  g_assert_nonnull (all->token);

  t3 = peer_path ("gina", "add", list, "uid-3", "Third");
  out = peer ("gina", "edit", list, "uid-1", "First, edited");
  g_clear_pointer (&out, g_free);
  out = peer ("gina", "delete", list, "uid-2", NULL);

  since = roster_caldav_client_sync_collection (client, list, all->token, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (since->changed->len, ==, 2);
  g_assert_true (changes_have (since, t1) && changes_have (since, t3));
  g_assert_cmpuint (since->removed->len, ==, 1);
  g_assert_cmpstr (since->removed->pdata[0], ==, t2);
  g_assert_cmpstr (since->token, !=, all->token);

  /* The ETags are the ones a listing gives. */
  listing = roster_caldav_client_list_resources (client, list, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listing->len, ==, 2);
  g_assert_cmpstr (find_resource_etag (listing, t1), ==, find_resource_etag (since->changed, t1));
  g_assert_cmpstr (find_resource_etag (listing, t3), ==, find_resource_etag (since->changed, t3));
  g_assert_cmpstr (find_resource_etag (listing, t1), !=, find_resource_etag (all->changed, t1));

  nothing = roster_caldav_client_sync_collection (client, list, since->token, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nothing->changed->len, ==, 0);
  g_assert_cmpuint (nothing->removed->len, ==, 0);
}

/* A token the server does not know: the engine must list everything. */
static void
test_expired_token (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterCaldavClient) client = client_for ("hank");
  g_autofree char *list = roster_caldav_client_make_collection (client, "hank", NULL, &error);
  g_autoptr(RosterCaldavChanges) changes = NULL;

  g_assert_no_error (error);
  changes = roster_caldav_client_sync_collection (client, list,
                                                  "http://radicale.org/ns/sync/0123456789abcdef0123456789abcdef",
                                                  NULL, &error);
  g_assert_null (changes);
  g_assert_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_TOKEN_EXPIRED);
}

static void
test_multiget (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterCaldavClient) client = client_for ("ivy");
  g_autofree char *list = roster_caldav_client_make_collection (client, "ivy", NULL, &error);
  g_autofree char *t1 = peer_path ("ivy", "add", list, "m-1", "One");
  g_autofree char *t2 = peer_path ("ivy", "add", list, "m-2", "Two");
  g_autofree char *t3 = peer_path ("ivy", "add", list, "m-3", "Three");
  g_autofree char *gone = roster_caldav_resource_href (list, "never-there");
  const char *hrefs[] = { t1, t2, t3, gone, NULL };
  g_autoptr(GPtrArray) listing = roster_caldav_client_list_resources (client, list, NULL, &error);
  g_autoptr(GPtrArray) got = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (listing->len, ==, 3);
  got = roster_caldav_client_multiget (client, list, hrefs, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (got->len, ==, 3);
  for (guint i = 0; i < got->len; i++)
    {
      RosterCaldavResource *resource = got->pdata[i];
      const char *summary = g_str_equal (resource->href, t1) ? "SUMMARY:One"
                            : g_str_equal (resource->href, t2) ? "SUMMARY:Two" : "SUMMARY:Three";

      g_assert_true (g_str_equal (resource->href, t1) || g_str_equal (resource->href, t2)
                     || g_str_equal (resource->href, t3));
      g_assert_nonnull (strstr (resource->data, summary));
      g_assert_nonnull (strstr (resource->data, "BEGIN:VTODO"));
      g_assert_cmpstr (resource->etag, ==, find_resource_etag (listing, resource->href));
    }
}

/* MOVE to another list; Overwrite: F refuses to replace. */
static void
test_move (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterCaldavClient) client = client_for ("jack");
  g_autofree char *a = roster_caldav_client_make_collection (client, "jack", NULL, &error);
  g_autofree char *b = roster_caldav_client_make_collection (client, "jill", NULL, &error);
  g_autofree char *from = roster_caldav_resource_href (a, "mv-1");
  g_autofree char *to = roster_caldav_resource_href (b, "mv-1");
  g_autoptr(JsonArray) in_a = NULL;
  g_autoptr(JsonArray) in_b = NULL;

  g_assert_no_error (error);
  g_assert_true (roster_caldav_client_put (client, from, vtodo ("mv-1", "Move me"), NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (roster_caldav_client_move (client, from, to, NULL, &error));
  g_assert_no_error (error);
  in_a = peer_json ("jack", "todos", a);
  in_b = peer_json ("jack", "todos", b);
  g_assert_cmpuint (json_array_get_length (in_a), ==, 0);
  g_assert_cmpuint (json_array_get_length (in_b), ==, 1);
  g_assert_cmpstr (member (in_b, 0, "summary"), ==, "Move me");

  g_assert_true (roster_caldav_client_put (client, from, vtodo ("mv-2", "Other"), NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (roster_caldav_client_move (client, from, to, NULL, &error));
  g_assert_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_CONFLICT);
}

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      g_string_append_printf (captured_log, "%s\n", (const char *) fields[i].value);
  if (level & G_LOG_LEVEL_DEBUG)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* With every debug message on, no log line and no error holds the password. */
static void
test_password_never_logged (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = password_of ("kim");
  g_autoptr(RosterCaldavClient) client = client_for ("kim");
  g_autoptr(RosterCaldavClient) wrong = NULL;
  g_autofree char *list = NULL;
  g_autofree char *href = NULL;
  g_autoptr(GPtrArray) lists = NULL;

  g_string_truncate (captured_log, 0);
  list = roster_caldav_client_make_collection (client, "kim", NULL, &error);
  g_assert_no_error (error);
  lists = roster_caldav_client_list_collections (client, ROSTER_CALDAV_LIST_SYNC_TOKENS, NULL, &error);
  g_assert_no_error (error);
  href = roster_caldav_resource_href (list, "kim-1");
  g_assert_true (roster_caldav_client_put (client, href, vtodo ("kim-1", "A"), NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  wrong = roster_caldav_client_new (roster_radicale_get_url (server), "kim", "wrong-Zq81-pw", &error);
  g_assert_no_error (error);
  g_assert_null (roster_caldav_client_list_collections (wrong, 0, NULL, &error));
  g_assert_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_AUTH);
  g_string_append_printf (captured_log, "%s\n", error->message);

  /* The capture works: the requests are in it. */
  g_assert_nonnull (strstr (captured_log->str, "PROPFIND /kim/"));
  g_assert_nonnull (strstr (captured_log->str, "PUT "));
  g_assert_null (strstr (captured_log->str, password));
  g_assert_null (strstr (captured_log->str, "wrong-Zq81-pw"));
  /* Nor encoded for Basic authentication. */
  {
    g_autofree char *pair = g_strdup_printf ("kim:%s", password);
    g_autofree char *basic = g_base64_encode ((const guchar *) pair, strlen (pair));
    g_assert_null (strstr (captured_log->str, basic));
  }
}

int
main (int argc, char *argv[])
{
  g_autoptr(GString) users_file = g_string_new (NULL);
  int status;

  /* Every debug message, so that the password test sees them all. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  if (!roster_radicale_available ())
    {
      g_print ("1..0 # SKIP /usr/bin/python3 cannot import radicale and caldav\n");
      return 77;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autofree char *password = password_of (users[i]);
      g_string_append_printf (users_file, "%s:%s\n", users[i], password);
    }
  server = roster_radicale_start (users_file->str);

  g_test_add_func ("/caldav/address/invalid", test_invalid_address);
  g_test_add_func ("/caldav/discover/bare-address", test_discover_bare_address);
  g_test_add_func ("/caldav/discover/wrong-password", test_wrong_password);
  g_test_add_func ("/caldav/discover/unreachable", test_unreachable);
  g_test_add_func ("/caldav/discover/not-caldav", test_not_caldav);
  g_test_add_func ("/caldav/lists/make-rename-delete", test_lists);
  g_test_add_func ("/caldav/resources/put-conflict-delete", test_put_update_conflict_delete);
  g_test_add_func ("/caldav/resources/sync-collection", test_sync_collection);
  g_test_add_func ("/caldav/resources/expired-token", test_expired_token);
  g_test_add_func ("/caldav/resources/multiget", test_multiget);
  g_test_add_func ("/caldav/resources/move", test_move);
  g_test_add_func ("/caldav/password-never-logged", test_password_never_logged);
  status = g_test_run ();

  roster_radicale_stop (server);
  g_string_free (captured_log, TRUE);
  return status;
}
