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

gboolean
roster_secret_store (const char    *server,
                     const char    *username,
                     const char    *password,
                     GCancellable  *cancellable,
                     GError       **error)
{
  /* Translators: the label of the password in the keyring: a username, then a server */
  g_autofree char *label = g_strdup_printf (_("Roster sync: %s on %s"), username, server);

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
  gchar *found;
  char *password;

  g_return_val_if_fail (server != NULL && username != NULL, NULL);

  found = secret_password_lookup_sync (account_schema (), cancellable, error,
                                       "server", server, "username", username, NULL);
  if (found == NULL)
    return NULL;
  /* libsecret's non-pageable copy is freed with its own call. */
  password = g_strdup (found);
  secret_password_free (found);
  return password;
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
roster_secret_free (char *password)
{
  if (password == NULL)
    return;
  memset (password, 0, strlen (password));
  g_free (password);
}
