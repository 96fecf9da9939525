/* test-secret.c: an account's password in a real keyring.
 *
 * Run by with-keyring.sh inside a private session bus with an unlocked
 * gnome-keyring-daemon of its own (HOME in a temporary folder); skipped (77)
 * when there is none. secret-tool, another Secret Service client, checks
 * what Roster stored where others would look for it.
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

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/secret/store-lookup-clear", test_store_lookup_clear);
  return g_test_run ();
}
