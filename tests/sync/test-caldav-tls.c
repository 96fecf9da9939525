/* test-caldav-tls.c: a certificate the system does not trust, and a server
 * that speaks no TLS at an https address, are both ROSTER_CALDAV_ERROR_TLS,
 * and nothing (no password) is sent over such a connection.
 *
 * The other tests run without GIO modules (tests/meson.build); this one
 * needs the system's TLS backend (glib-networking), so it drops
 * GIO_MODULE_DIR before GIO looks. The server is Python's http.server
 * wrapped in ssl with a certificate openssl makes for the test. Skipped (77)
 * without glib-networking or openssl.
 */
#define G_LOG_DOMAIN "test-caldav-tls"

#include <gio/gio.h>
#include <string.h>

#include "roster-caldav.h"
#include "roster-radicale.h"
#include "roster-test-util.h"

#define PASSWORD "tls-Pw-93k"

static const char tls_server[] =
  "import http.server, ssl, sys\n"
  "port, cert, key, log = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]\n"
  "class H(http.server.BaseHTTPRequestHandler):\n"
  "    def do_PROPFIND(self):\n"
  "        open(log, 'a').write(str(self.headers.get('Authorization')) + '\\n')\n"
  "        self.send_response(401)\n"
  "        self.send_header('WWW-Authenticate', 'Basic realm=\"x\"')\n"
  "        self.end_headers()\n"
  "s = http.server.HTTPServer(('127.0.0.1', port), H)\n"
  "c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)\n"
  "c.load_cert_chain(cert, key)\n"
  "s.socket = c.wrap_socket(s.socket, server_side=True)\n"
  "s.serve_forever()\n";

static GSubprocess *
spawn (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                                  | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);

  g_assert_no_error (error);
  return process;
}

static void
stop (GSubprocess *process)
{
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
}

static GError *
discover (const char *url)
{
  g_autoptr(RosterCaldavClient) client = NULL;
  g_autofree char *home = NULL;
  GError *error = NULL;

  client = roster_caldav_client_new (url, "tess", PASSWORD, &error);
  g_assert_no_error (error);
  home = roster_caldav_client_discover (client, NULL, &error);
  g_assert_null (home);
  return error;
}

static void
test_untrusted_certificate (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = roster_test_make_dir ("roster-tls-XXXXXX");
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *log = g_build_filename (dir, "log", NULL);
  guint16 port = roster_test_free_port ();
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/", port);
  const char *openssl[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                            "-subj", "/CN=127.0.0.1", "-days", "1", "-keyout", key, "-out", cert, NULL };
  const char *server_argv[] = { "/usr/bin/python3", "-c", tls_server, port_text, cert, key, log, NULL };
  g_autoptr(GSubprocess) make_cert = spawn (openssl);
  g_autoptr(GSubprocess) server = NULL;
  g_autofree char *seen = NULL;

  g_assert_true (g_subprocess_wait_check (make_cert, NULL, NULL));
  server = spawn (server_argv);
  g_assert_true (roster_test_wait_for_port (port, 20000));

  error = discover (url);
  stop (server);
  g_assert_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_null (strstr (error->message, PASSWORD));
  /* Refused before any request: the server saw none. */
  g_assert_false (g_file_get_contents (log, &seen, NULL, NULL) && seen != NULL && *seen != '\0');
  roster_test_remove_tree (dir);
}

static void
test_no_tls_at_https_address (void)
{
  g_autoptr(GError) error = NULL;
  guint16 port = 0;
  GSubprocess *server = roster_test_web_server_start (&port);
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/", port);

  error = discover (url);
  roster_test_web_server_stop (server);
  /* An address that says https never falls back to plain http. */
  g_assert_error (error, ROSTER_CALDAV_ERROR, ROSTER_CALDAV_ERROR_TLS);
}

int
main (int argc, char *argv[])
{
  g_autofree char *openssl = NULL;

  g_unsetenv ("GIO_MODULE_DIR");
  g_test_init (&argc, &argv, NULL);

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ())
      || (openssl = g_find_program_in_path ("openssl")) == NULL
      || !g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_print ("1..0 # SKIP no TLS backend (glib-networking), openssl or python3\n");
      return 77;
    }
  g_test_add_func ("/caldav/tls/untrusted-certificate", test_untrusted_certificate);
  g_test_add_func ("/caldav/tls/no-tls-at-https-address", test_no_tls_at_https_address);
  return g_test_run ();
}
