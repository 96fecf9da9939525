/* test-secret.c: an account's password in a real keyring.
 *
 * Run by with-keyring.sh inside a private session bus with an unlocked
 * gnome-keyring-daemon of its own (HOME in a temporary folder); skipped (77)
 * when there is none. secret-tool, another Secret Service client, checks
 * what Roster stored where others would look for it. The asynchronous
 * calls (the window's) answer on the caller's main context.
 */
#define G_LOG_DOMAIN "test-secret"

#include <gio/gio.h>

#include "roster-secret.h"

/* `secret-tool lookup` for the schema's attributes: what another client sees. */
static char *
secret_tool_lookup (const char *server,
                    const char *username)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) tool = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                                  &error, "secret-tool", "lookup",
                                                  "xdg:schema", "io.github.rosterapp.Roster",
                                                  "server", server, "username", username, NULL);
  g_autofree char *out = NULL;

  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (tool, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  return g_subprocess_get_successful (tool) ? g_steal_pointer (&out) : NULL;
}

static void
test_store_lookup_clear (void)
{
  g_autoptr(GError) error = NULL;
  const char *server = "https://dav.example.org/";
  char *password;
  g_autofree char *seen = NULL;

  password = roster_secret_lookup (server, "alice", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (password);

  g_assert_true (roster_secret_store (server, "alice", "s3cret alice", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (roster_secret_store (server, "bob", "bob's", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (roster_secret_store ("https://other.example.org/", "alice", "elsewhere", NULL, &error));
  g_assert_no_error (error);

  password = roster_secret_lookup (server, "alice", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "s3cret alice");
  roster_secret_free (password);
  seen = secret_tool_lookup (server, "alice");
  g_assert_cmpstr (seen, ==, "s3cret alice");

  /* Storing again replaces. */
  g_assert_true (roster_secret_store (server, "alice", "new one", NULL, &error));
  g_assert_no_error (error);
  password = roster_secret_lookup (server, "alice", NULL, &error);
  g_assert_cmpstr (password, ==, "new one");
  roster_secret_free (password);

  g_assert_true (roster_secret_clear (server, "alice", NULL, &error));
  g_assert_no_error (error);
  password = roster_secret_lookup (server, "alice", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (password);
  g_assert_true (roster_secret_clear (server, "alice", NULL, &error));
  g_assert_no_error (error);

  /* The other accounts keep theirs. */
  password = roster_secret_lookup (server, "bob", NULL, &error);
  g_assert_cmpstr (password, ==, "bob's");
  roster_secret_free (password);
  password = roster_secret_lookup ("https://other.example.org/", "alice", NULL, &error);
  g_assert_cmpstr (password, ==, "elsewhere");
  roster_secret_free (password);
}

static gboolean
timed_out_cb (gpointer data)
{
  g_error ("The keyring did not answer within 20 s");
  return G_SOURCE_REMOVE;
}

/* An asynchronous call's result, on this thread's default main context. */
static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  guint timeout = g_timeout_add_seconds (20, timed_out_cb, NULL);

  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  return *result;
}

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static char *
lookup_async (const char *server,
              const char *username,
              GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  roster_secret_lookup_async (server, username, NULL, got_result_cb, &result);
  return roster_secret_lookup_finish (wait_for_result (&result), error);
}

static void
test_async (void)
{
  g_autoptr(GError) error = NULL;
  const char *server = "https://async.example.org/";
  char *password;
  g_autofree char *seen = NULL;

  password = lookup_async (server, "carol", &error);
  g_assert_no_error (error);
  g_assert_null (password);

  {
    g_autoptr(GAsyncResult) result = NULL;

    roster_secret_store_async (server, "carol", "carol's secret", NULL, got_result_cb, &result);
    g_assert_true (roster_secret_store_finish (wait_for_result (&result), &error));
    g_assert_no_error (error);
  }
  seen = secret_tool_lookup (server, "carol");
  g_assert_cmpstr (seen, ==, "carol's secret");
  password = lookup_async (server, "carol", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "carol's secret");
  roster_secret_free (password);

  /* Cleared, twice: the second finds none and is no error. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;

      roster_secret_clear_async (server, "carol", NULL, got_result_cb, &result);
      g_assert_true (roster_secret_clear_finish (wait_for_result (&result), &error));
      g_assert_no_error (error);
    }
  password = lookup_async (server, "carol", &error);
  g_assert_no_error (error);
  g_assert_null (password);
  g_clear_pointer (&seen, g_free);
  seen = secret_tool_lookup (server, "carol");
  g_assert_null (seen);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/secret/store-lookup-clear", test_store_lookup_clear);
  g_test_add_func ("/secret/async", test_async);
  return g_test_run ();
}
