/* roster-radicale.c: Radicale and python3-caldav for the sync tests. See
 * roster-radicale.h. */
#define G_LOG_DOMAIN "roster-radicale"

#include <gio/gio.h>
#include <signal.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "roster-radicale.h"
#include "roster-test-util.h"

#define PYTHON "/usr/bin/python3"
#define START_TIMEOUT_MS 20000
#define STOP_TIMEOUT_MS 5000

struct _RosterRadicale
{
  char *dir;
  char *url;
  char *log_path;
  guint16 port;
  GSubprocess *process;
};

/* Removes the folder @dir and frees its name (a GDestroyNotify). */
static void
remove_dir_free (char *dir)
{
  roster_test_remove_tree (dir);
  g_free (dir);
}

gboolean
roster_radicale_available (void)
{
  const char *argv[] = { PYTHON, "-c", "import radicale, caldav", NULL };
  g_autoptr(GSubprocess) check = NULL;

  if (!g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;
  check = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL);
  return check != NULL && g_subprocess_wait_check (check, NULL, NULL);
}

guint16
roster_test_free_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  g_socket_bind (socket, any_port, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

gboolean
roster_test_wait_for_port (guint16 port,
                           guint   timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection = NULL;

      g_socket_client_set_timeout (client, 1);
      connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
      if (connection != NULL)
        return TRUE;
      g_usleep (50 * 1000);
    }
  return FALSE;
}

/* In the child: it ends with the test, even one that aborts on a failed
 * assertion before it could stop the server. */
static void
die_with_parent (gpointer data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

GSubprocess *
roster_test_web_server_start (guint16 *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                                                      | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autofree char *dir = roster_test_make_dir ("roster-web-XXXXXX");
  g_autofree char *port_text = NULL;
  GSubprocess *server;

  *port = roster_test_free_port ();
  port_text = g_strdup_printf ("%u", *port);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server = g_subprocess_launcher_spawn (launcher, &error, PYTHON, "-m", "http.server", "--bind", "127.0.0.1",
                                        "--directory", dir, port_text, NULL);
  g_assert_no_error (error);
  g_object_set_data_full (G_OBJECT (server), "roster-dir", g_steal_pointer (&dir),
                          (GDestroyNotify) remove_dir_free);
  if (!roster_test_wait_for_port (*port, START_TIMEOUT_MS))
    g_error ("python3 -m http.server did not start on port %u", *port);
  return server;
}

void
roster_test_web_server_stop (GSubprocess *server)
{
  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
  g_object_unref (server);
}

RosterRadicale *
roster_radicale_start (const char *users)
{
  g_autoptr(GError) error = NULL;
  RosterRadicale *self = g_new0 (RosterRadicale, 1);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autofree char *config_path = NULL;
  g_autofree char *users_path = NULL;
  g_autofree char *config = NULL;

  self->dir = roster_test_make_dir ("roster-radicale-XXXXXX");
  self->port = roster_test_free_port ();
  self->url = g_strdup_printf ("http://127.0.0.1:%u/", self->port);
  self->log_path = g_build_filename (self->dir, "log", NULL);
  users_path = g_build_filename (self->dir, "users", NULL);
  config_path = g_build_filename (self->dir, "config", NULL);

  /* Unindented: Radicale reads an indented line as the one before's continuation. */
  config = g_strdup_printf ("[server]\n"
                            "hosts = 127.0.0.1:%u\n"
                            "[auth]\n"
                            "type = htpasswd\n"
                            "htpasswd_filename = %s\n"
                            "htpasswd_encryption = plain\n"
                            "[rights]\n"
                            "type = owner_only\n"
                            "[storage]\n"
                            "filesystem_folder = %s/collections\n"
                            "[web]\n"
                            "type = none\n"
                            "[logging]\n"
                            "level = info\n",
                            self->port, users_path, self->dir);
  g_file_set_contents (users_path, users, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (config_path, config, -1, &error);
  g_assert_no_error (error);

  g_subprocess_launcher_set_stderr_file_path (launcher, self->log_path);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  self->process = g_subprocess_launcher_spawn (launcher, &error, PYTHON, "-m", "radicale",
                                               "--config", config_path, NULL);
  g_assert_no_error (error);
  if (!roster_test_wait_for_port (self->port, START_TIMEOUT_MS))
    {
      g_autofree char *log = NULL;

      g_file_get_contents (self->log_path, &log, NULL, NULL);
      g_error ("Radicale did not start on port %u:\n%s", self->port, log != NULL ? log : "");
    }
  return self;
}

static gboolean
wait_timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) data = TRUE;
}

/* Waits for @process to end, up to @timeout_ms; TRUE when it did. */
static gboolean
wait_bounded (GSubprocess *process,
              guint        timeout_ms)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) timeout = g_timeout_source_new (timeout_ms);
  gboolean done = FALSE, timed_out = FALSE;

  g_main_context_push_thread_default (context);
  g_source_set_callback (timeout, wait_timeout_cb, &timed_out, NULL);
  g_source_attach (timeout, context);
  g_subprocess_wait_async (process, NULL, wait_done_cb, &done);
  while (!done && !timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  /* The wait's callback must run before its context goes. */
  if (!done)
    {
      g_subprocess_force_exit (process);
      while (!done)
        g_main_context_iteration (context, TRUE);
    }
  g_main_context_pop_thread_default (context);
  return !timed_out;
}

void
roster_radicale_stop (RosterRadicale *self)
{
  if (self == NULL)
    return;
  if (self->process != NULL)
    {
      g_subprocess_send_signal (self->process, SIGTERM);
      if (!wait_bounded (self->process, STOP_TIMEOUT_MS))
        g_warning ("Radicale did not stop on SIGTERM; killed it");
      g_clear_object (&self->process);
    }
  roster_test_remove_tree (self->dir);
  g_free (self->dir);
  g_free (self->url);
  g_free (self->log_path);
  g_free (self);
}

guint16
roster_radicale_get_port (RosterRadicale *self)
{
  return self->port;
}

const char *
roster_radicale_get_url (RosterRadicale *self)
{
  return self->url;
}

const char *
roster_radicale_get_dir (RosterRadicale *self)
{
  return self->dir;
}

/* The log's lines so far. */
static GStrv
read_log (RosterRadicale *self)
{
  g_autofree char *log = NULL;

  g_file_get_contents (self->log_path, &log, NULL, NULL);
  return g_strsplit (log != NULL ? log : "", "\n", -1);
}

guint
roster_radicale_count_requests (RosterRadicale *self,
                                const char     *method)
{
  g_auto(GStrv) lines = read_log (self);
  g_autofree char *needle = g_strdup_printf ("] %s request for ", method != NULL ? method : "");
  guint count = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (method != NULL ? strstr (lines[i], needle) != NULL
                       : strstr (lines[i], " request for '") != NULL)
      count++;
  return count;
}

double
roster_radicale_put_seconds (RosterRadicale *self)
{
  g_auto(GStrv) lines = read_log (self);
  double seconds = 0;

  /* "PUT response status for '/…' in 0.012 seconds: 201 Created" */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *at = strstr (lines[i], "] PUT response status for ");

      at = at != NULL ? strstr (at, "' in ") : NULL;
      if (at != NULL)
        seconds += g_ascii_strtod (at + strlen ("' in "), NULL);
    }
  return seconds;
}

char *
roster_radicale_peer (RosterRadicale *self,
                      const char     *user,
                      const char     *password,
                      ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                      | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) peer = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) PYTHON);
  g_ptr_array_add (argv, (char *) g_test_get_filename (G_TEST_DIST, "sync", "caldav-peer.py", NULL));
  g_ptr_array_add (argv, self->url);
  g_ptr_array_add (argv, (char *) user);
  va_start (args, password);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  /* The password by the environment: a test's too stays off command lines. */
  g_subprocess_launcher_setenv (launcher, "CALDAV_PEER_PASSWORD", password, TRUE);
  peer = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (peer, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (peer))
    g_error ("caldav-peer.py %s failed:\n%s", (const char *) argv->pdata[4], err);
  return g_steal_pointer (&out);
}
