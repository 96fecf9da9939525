/* roster-search-provider.c: GNOME Shell's search, answered by Roster.
 *
 * The Shell finds Roster through the installed search-provider .ini
 * (data/), which names the application's bus name and this object's path,
 * and starts it through D-Bus activation (`roster --gapplication-service`)
 * when it is not running: the application then stays windowless, and while
 * no window is open each call holds it for a while (KEEP_ALIVE_S) so that
 * the next keystroke finds it still there.
 *
 * The answers are Find's: the tasks of every user whose title or notes
 * contain the terms, joined by spaces as Find's entry would hold them
 * (roster_store_find_tasks()), the oldest first, at most
 * ROSTER_SEARCH_PROVIDER_MAX_RESULTS. They come from the file the window
 * shows (the most recently used window) or, with no window open, from the
 * default file, opened read-only here: a search never writes, never creates
 * a file, and never waits for another program's lock. A result's id is the
 * task's id; activating it presents the window (opening the default file's
 * when none is open) with the task selected in its owner's list, as Find
 * does.
 */
#define G_LOG_DOMAIN "roster-search-provider"

#include <glib/gi18n.h>

#include "roster-application.h"
#include "roster-search-provider.h"
#include "roster-shell-search-provider.h"
#include "roster-window.h"

/* How long the application stays up after a call: the Shell asks again
 * as the person types. */
#define KEEP_ALIVE_S 10

struct _RosterSearchProvider
{
  GObject                     parent_instance;

  GtkApplication             *application;  /* not owned: it owns us */
  RosterShellSearchProvider2 *skeleton;
  /* The default file, read-only, while no window is open. */
  RosterStore                *own_store;
  guint                       keep_alive;
};

G_DEFINE_FINAL_TYPE (RosterSearchProvider, roster_search_provider, G_TYPE_OBJECT)

/* The window the answers come from: the most recently focused one. */
static RosterWindow *
get_window (RosterSearchProvider *self)
{
  for (GList *l = gtk_application_get_windows (self->application); l != NULL; l = l->next)
    {
      if (ROSTER_IS_WINDOW (l->data))
        return l->data;
    }
  return NULL;
}

static gboolean
keep_alive_done_cb (gpointer data)
{
  RosterSearchProvider *self = data;

  self->keep_alive = 0;
  g_clear_object (&self->own_store);
  g_application_release (G_APPLICATION (self->application));
  return G_SOURCE_REMOVE;
}

static void
stop_keep_alive (RosterSearchProvider *self)
{
  if (self->keep_alive == 0)
    return;
  g_clear_handle_id (&self->keep_alive, g_source_remove);
  g_application_release (G_APPLICATION (self->application));
}

/* Only without a window: a window holds the application itself, and
 * closing the last one must still end it at once. */
static void
keep_alive (RosterSearchProvider *self)
{
  if (get_window (self) != NULL)
    {
      stop_keep_alive (self);
      return;
    }
  if (self->keep_alive != 0)
    g_source_remove (self->keep_alive);
  else
    g_application_hold (G_APPLICATION (self->application));
  self->keep_alive = g_timeout_add_seconds (KEEP_ALIVE_S, keep_alive_done_cb, self);
}

/* A window opens the file on a connection of its own. */
static void
on_window_added_cb (RosterSearchProvider *self)
{
  g_clear_object (&self->own_store);
  stop_keep_alive (self);
}

/* The store to answer from (transfer none), or NULL: the window's, which
 * keeps its objects up to date itself; else the default file's. */
static RosterStore *
get_store (RosterSearchProvider *self)
{
  RosterWindow *window = get_window (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (window != NULL)
    return roster_window_get_store (window);

  if (self->own_store != NULL)
    {
      roster_store_refresh (self->own_store);
      return self->own_store;
    }

  /* Read-only: never created, migrated or written for a search. */
  path = roster_application_get_default_path ();
  self->own_store = roster_store_open_full (path, ROSTER_OPEN_READ_ONLY, &error);
  if (self->own_store == NULL)
    {
      g_debug ("No search results from %s: %s", path, error->message);
      return NULL;
    }
  /* A file locked by a writer in rollback-journal mode gives no answer
   * rather than a stalled main loop. */
  roster_store_set_busy_timeout (self->own_store, 0);
  return self->own_store;
}

static char **
find_ids (RosterSearchProvider *self,
          const char *const    *terms)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strjoinv (" ", (char **) terms);
  RosterStore *store;

  keep_alive (self);
  store = get_store (self);
  if (store != NULL)
    tasks = roster_store_find_tasks (store, text, ROSTER_SEARCH_PROVIDER_MAX_RESULTS, NULL, &error);
  if (error != NULL)
    g_debug ("No search results: %s", error->message);

  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    {
      char id[24];

      g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, roster_task_get_id (g_ptr_array_index (tasks, i)));
      g_strv_builder_add (ids, id);
    }
  return g_strv_builder_end (ids);
}

static RosterTask *
lookup_task (RosterStore *store,
             const char  *identifier)
{
  guint64 id;

  if (store == NULL ||
      !g_ascii_string_to_unsigned (identifier, 10, 1, G_MAXINT64, &id, NULL))
    return NULL;
  return roster_store_get_task (store, (gint64) id, NULL);
}

/* The owner and the tags, as the Shell shows under the title. */
static char *
describe_task (RosterStore *store,
               RosterTask  *task)
{
  RosterUser *owner = roster_task_get_owner (task);
  g_autoptr(GListModel) tags = roster_store_list_task_categories (store, task);
  g_autoptr(GString) names = g_string_new (NULL);
  guint n_tags = g_list_model_get_n_items (tags);

  for (guint i = 0; i < n_tags; i++)
    {
      g_autoptr(RosterCategory) tag = g_list_model_get_item (tags, i);

      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, roster_category_get_name (tag));
    }

  /* Only in a file whose rows break its foreign keys. */
  if (owner == NULL)
    return g_string_free (g_steal_pointer (&names), FALSE);
  if (n_tags == 0)
    /* Translators: a task's line under its title in GNOME Shell's search
     * results; %s is the name of the user who owns it. */
    return g_strdup_printf (_("Owned by %s"), roster_user_get_username (owner));
  /* Translators: a task's line under its title in GNOME Shell's search
   * results; %1$s is the name of the user who owns it, %2$s its tags,
   * separated by commas ("Home, Errands"). */
  return g_strdup_printf (_("Owned by %1$s, tagged %2$s"),
                          roster_user_get_username (owner), names->str);
}

/* The window to show a result in, opened on the default file when there is
 * none (as launching Roster would). */
static RosterWindow *
ensure_window (RosterSearchProvider *self)
{
  RosterWindow *window = get_window (self);

  if (window == NULL)
    {
      g_application_activate (G_APPLICATION (self->application));
      window = get_window (self);
    }
  return window;
}

/* D-Bus methods */

static gboolean
on_get_initial_result_set_cb (RosterShellSearchProvider2 *skeleton,
                              GDBusMethodInvocation      *invocation,
                              const char *const          *terms,
                              RosterSearchProvider       *self)
{
  g_auto(GStrv) ids = find_ids (self, terms);

  roster_shell_search_provider2_complete_get_initial_result_set (skeleton, invocation,
                                                                 (const char *const *) ids);
  return TRUE;
}

/* Searched again rather than narrowed down: the previous answer stopped at
 * its first results, and the index answers as fast anyway. */
static gboolean
on_get_subsearch_result_set_cb (RosterShellSearchProvider2 *skeleton,
                                GDBusMethodInvocation      *invocation,
                                const char *const          *previous_results,
                                const char *const          *terms,
                                RosterSearchProvider       *self)
{
  g_auto(GStrv) ids = find_ids (self, terms);

  roster_shell_search_provider2_complete_get_subsearch_result_set (skeleton, invocation,
                                                                   (const char *const *) ids);
  return TRUE;
}

static gboolean
on_get_result_metas_cb (RosterShellSearchProvider2 *skeleton,
                        GDBusMethodInvocation      *invocation,
                        const char *const          *identifiers,
                        RosterSearchProvider       *self)
{
  GVariantBuilder metas;
  RosterStore *store;

  keep_alive (self);
  store = get_store (self);
  g_variant_builder_init (&metas, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; identifiers[i] != NULL; i++)
    {
      g_autoptr(RosterTask) task = lookup_task (store, identifiers[i]);
      g_autofree char *description = NULL;

      /* Gone since it was found: the Shell leaves it out. */
      if (task == NULL)
        continue;
      description = describe_task (store, task);
      g_variant_builder_open (&metas, G_VARIANT_TYPE ("a{sv}"));
      g_variant_builder_add (&metas, "{sv}", "id", g_variant_new_string (identifiers[i]));
      g_variant_builder_add (&metas, "{sv}", "name", g_variant_new_string (roster_task_get_title (task)));
      g_variant_builder_add (&metas, "{sv}", "description", g_variant_new_string (description));
      g_variant_builder_close (&metas);
    }

  roster_shell_search_provider2_complete_get_result_metas (skeleton, invocation,
                                                           g_variant_builder_end (&metas));
  return TRUE;
}

static gboolean
on_activate_result_cb (RosterShellSearchProvider2 *skeleton,
                       GDBusMethodInvocation      *invocation,
                       const char                 *identifier,
                       const char *const          *terms,
                       guint                       timestamp,
                       RosterSearchProvider       *self)
{
  RosterWindow *window = ensure_window (self);

  if (window != NULL)
    {
      g_autoptr(RosterTask) task = lookup_task (roster_window_get_store (window), identifier);

      /* A task deleted since, or a file still being prepared: the window
       * alone. */
      if (task != NULL)
        roster_window_show_task (window, task);
      gtk_window_present_with_time (GTK_WINDOW (window), timestamp);
    }
  roster_shell_search_provider2_complete_activate_result (skeleton, invocation);
  return TRUE;
}

static gboolean
on_launch_search_cb (RosterShellSearchProvider2 *skeleton,
                     GDBusMethodInvocation      *invocation,
                     const char *const          *terms,
                     guint                       timestamp,
                     RosterSearchProvider       *self)
{
  RosterWindow *window = ensure_window (self);

  if (window != NULL)
    {
      g_autofree char *text = g_strjoinv (" ", (char **) terms);

      roster_window_find (window, text);
      gtk_window_present_with_time (GTK_WINDOW (window), timestamp);
    }
  roster_shell_search_provider2_complete_launch_search (skeleton, invocation);
  return TRUE;
}

/* The object */

static void
roster_search_provider_dispose (GObject *object)
{
  RosterSearchProvider *self = ROSTER_SEARCH_PROVIDER (object);

  roster_search_provider_unregister (self);
  g_clear_object (&self->skeleton);

  G_OBJECT_CLASS (roster_search_provider_parent_class)->dispose (object);
}

static void
roster_search_provider_class_init (RosterSearchProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = roster_search_provider_dispose;
}

static void
roster_search_provider_init (RosterSearchProvider *self)
{
  self->skeleton = roster_shell_search_provider2_skeleton_new ();
  g_signal_connect (self->skeleton, "handle-get-initial-result-set",
                    G_CALLBACK (on_get_initial_result_set_cb), self);
  g_signal_connect (self->skeleton, "handle-get-subsearch-result-set",
                    G_CALLBACK (on_get_subsearch_result_set_cb), self);
  g_signal_connect (self->skeleton, "handle-get-result-metas",
                    G_CALLBACK (on_get_result_metas_cb), self);
  g_signal_connect (self->skeleton, "handle-activate-result",
                    G_CALLBACK (on_activate_result_cb), self);
  g_signal_connect (self->skeleton, "handle-launch-search",
                    G_CALLBACK (on_launch_search_cb), self);
}

RosterSearchProvider *
roster_search_provider_new (GtkApplication *application)
{
  RosterSearchProvider *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  self = g_object_new (ROSTER_TYPE_SEARCH_PROVIDER, NULL);
  self->application = application;
  g_signal_connect_object (application, "window-added", G_CALLBACK (on_window_added_cb),
                           self, G_CONNECT_SWAPPED);
  return self;
}

gboolean
roster_search_provider_register (RosterSearchProvider  *self,
                                 GDBusConnection       *connection,
                                 const char            *object_path,
                                 GError               **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (ROSTER_IS_SEARCH_PROVIDER (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), FALSE);
  g_return_val_if_fail (object_path != NULL, FALSE);

  path = g_strconcat (object_path, "/SearchProvider", NULL);
  return g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton),
                                           connection, path, error);
}

void
roster_search_provider_unregister (RosterSearchProvider *self)
{
  g_return_if_fail (ROSTER_IS_SEARCH_PROVIDER (self));

  if (self->skeleton != NULL &&
      g_dbus_interface_skeleton_get_connection (G_DBUS_INTERFACE_SKELETON (self->skeleton)) != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->skeleton));
  stop_keep_alive (self);
  g_clear_object (&self->own_store);
}
