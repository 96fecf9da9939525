/* roster-secret.h: an account's password in the keyring (libsecret).
 *
 * A sync account is a server address and a username; its password lives only
 * in the Secret Service (GNOME Keyring, KWallet; in the Flatpak, through the
 * Secret portal, which libsecret uses by itself), never in Roster's file, a
 * log or a command line.
 *
 * The synchronous calls block on D-Bus, and libsecret runs them on a main
 * context of its own that nobody iterates afterwards: the keyring's later
 * messages stay queued there. They are for a program that makes one call
 * and exits (`roster sync`). A window uses the asynchronous ones from its
 * main thread (roster-sync-worker.c), whose callbacks run on the caller's
 * thread-default main context.
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
/* The same, asynchronously: the callback runs on the thread-default main
 * context of the call. */
void      roster_secret_store_async    (const char          *server,
                                        const char          *username,
                                        const char          *password,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  roster_secret_store_finish   (GAsyncResult        *result,
                                        GError             **error);
void      roster_secret_lookup_async   (const char          *server,
                                        const char          *username,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
/* As roster_secret_lookup(): NULL without an error when there is none. */
char     *roster_secret_lookup_finish  (GAsyncResult        *result,
                                        GError             **error);
void      roster_secret_clear_async    (const char          *server,
                                        const char          *username,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  roster_secret_clear_finish   (GAsyncResult        *result,
                                        GError             **error);

/* Frees a password from roster_secret_lookup(), wiping it first. */
void      roster_secret_free    (char          *password);

G_END_DECLS
