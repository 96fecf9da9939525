/* roster-secret.c: an account's password in the keyring. See roster-secret.h.
 *
 * The schema is named after the application ID, with the server address and
 * the username as its attributes, so that the keyring shows whose password it
 * is and two accounts never share one.
 */
#define G_LOG_DOMAIN "roster-secret"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "roster-secret.h"

static const SecretSchema *
account_schema (void)
{
  static const SecretSchema schema = {
    "io.github.rosterapp.Roster", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    /* Reserved fields, zero. */
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

/* What the keyring shows for the password. */
static char *
make_label (const char *server,
            const char *username)
{
  /* Translators: the label of the password in the keyring: a username, then a server */
  return g_strdup_printf (_("Roster sync: %s on %s"), username, server);
}

/* A copy of libsecret's non-pageable password (freed with its own call). */
static char *
take_password (gchar *found)
{
  char *password;

  if (found == NULL)
    return NULL;
  password = g_strdup (found);
  secret_password_free (found);
  return password;
}

gboolean
roster_secret_store (const char    *server,
                     const char    *username,
                     const char    *password,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autofree char *label = make_label (server, username);

  g_return_val_if_fail (server != NULL && username != NULL && password != NULL, FALSE);

  return secret_password_store_sync (account_schema (), SECRET_COLLECTION_DEFAULT, label,
                                     password, cancellable, error,
                                     "server", server, "username", username, NULL);
}

char *
roster_secret_lookup (const char    *server,
                      const char    *username,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_return_val_if_fail (server != NULL && username != NULL, NULL);

  return take_password (secret_password_lookup_sync (account_schema (), cancellable, error,
                                                     "server", server, "username", username, NULL));
}

gboolean
roster_secret_clear (const char    *server,
                     const char    *username,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (server != NULL && username != NULL, FALSE);

  secret_password_clear_sync (account_schema (), cancellable, &local,
                              "server", server, "username", username, NULL);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

void
roster_secret_store_async (const char          *server,
                           const char          *username,
                           const char          *password,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autofree char *label = make_label (server, username);

  g_return_if_fail (server != NULL && username != NULL && password != NULL);

  secret_password_store (account_schema (), SECRET_COLLECTION_DEFAULT, label, password,
                         cancellable, callback, user_data,
                         "server", server, "username", username, NULL);
}

gboolean
roster_secret_store_finish (GAsyncResult  *result,
                            GError       **error)
{
  return secret_password_store_finish (result, error);
}

void
roster_secret_lookup_async (const char          *server,
                            const char          *username,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (server != NULL && username != NULL);

  secret_password_lookup (account_schema (), cancellable, callback, user_data,
                          "server", server, "username", username, NULL);
}

char *
roster_secret_lookup_finish (GAsyncResult  *result,
                             GError       **error)
{
  return take_password (secret_password_lookup_finish (result, error));
}

void
roster_secret_clear_async (const char          *server,
                           const char          *username,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (server != NULL && username != NULL);

  secret_password_clear (account_schema (), cancellable, callback, user_data,
                         "server", server, "username", username, NULL);
}

/* TRUE also when there was none. */
gboolean
roster_secret_clear_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_autoptr(GError) local = NULL;

  secret_password_clear_finish (result, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

void
roster_secret_free (char *password)
{
  if (password == NULL)
    return;
  memset (password, 0, strlen (password));
  g_free (password);
}
