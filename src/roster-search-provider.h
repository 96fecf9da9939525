/* roster-search-provider.h: Roster's answers to GNOME Shell's search
 * (org.gnome.Shell.SearchProvider2), on the application's own D-Bus name.
 *
 * RosterApplication makes one in its dbus_register vfunc and drops it in
 * dbus_unregister; see the top of roster-search-provider.c for how it
 * answers. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ROSTER_TYPE_SEARCH_PROVIDER (roster_search_provider_get_type ())
G_DECLARE_FINAL_TYPE (RosterSearchProvider, roster_search_provider, ROSTER, SEARCH_PROVIDER, GObject)

/* The most results one search gives the Shell. */
#define ROSTER_SEARCH_PROVIDER_MAX_RESULTS 20

RosterSearchProvider *roster_search_provider_new        (GtkApplication        *application);
/* Exports it at @object_path + "/SearchProvider" (the path in the installed
 * search-provider .ini). */
gboolean              roster_search_provider_register   (RosterSearchProvider  *self,
                                                         GDBusConnection       *connection,
                                                         const char            *object_path,
                                                         GError               **error);
void                  roster_search_provider_unregister (RosterSearchProvider  *self);

G_END_DECLS
