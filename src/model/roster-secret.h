/* roster-secret.h: an account's password in the keyring (libsecret).
 *
 * A sync account is a server address and a username; its password lives only
 * in the Secret Service (GNOME Keyring, KWallet; in the Flatpak, through the
 * Secret portal, which libsecret uses by itself), never in Roster's file, a
 * log or a command line. The calls block on D-Bus: run them where the
 * CalDAV client runs, in a worker thread.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Stores (or replaces) the password of @username on @server. */
gboolean  roster_secret_store   (const char    *server,
                                 const char    *username,
                                 const char    *password,
                                 GCancellable  *cancellable,
                                 GError       **error);
/* The stored password, or NULL: with @error set when the keyring could not
 * be asked, unset when it holds none for this account. */
char     *roster_secret_lookup  (const char    *server,
                                 const char    *username,
                                 GCancellable  *cancellable,
                                 GError       **error);
/* Forgets the password; TRUE also when there was none. */
gboolean  roster_secret_clear   (const char    *server,
                                 const char    *username,
                                 GCancellable  *cancellable,
                                 GError       **error);
/* Frees a password from roster_secret_lookup(), wiping it first. */
void      roster_secret_free    (char          *password);

G_END_DECLS
