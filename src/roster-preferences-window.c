/* roster-preferences-window.c: the Preferences window (app.preferences,
 * Ctrl+comma).
 *
 * The General page (its template, ui/roster-preferences-window.ui) has
 * "Run in the background", bound to the GSettings key the application holds
 * itself by (roster-application.c). Turning it on or off also asks the
 * Background portal (libportal) to start Roster at login, or no longer:
 * `roster --gapplication-service`, which opens no window. The portal is
 * there for sandboxed (Flatpak) applications only; elsewhere a line under
 * the switch says that Roster cannot start itself at login, and the switch
 * still keeps it running until the session ends.
 *
 * Pages that belong to a file (Sync: its account) are added by the window
 * whose file it is, roster_window_add_preferences().
 */
#define G_LOG_DOMAIN "roster-preferences-window"

#include <glib/gi18n.h>
#include <libportal-gtk4/portal-gtk4.h>

#include "roster-preferences-window.h"

struct _RosterPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwActionRow         *background_row;
  GtkSwitch            *background_switch;
  GtkLabel             *background_status;

  GSettings            *settings;
  XdpPortal            *portal;
  GCancellable         *cancellable;
  gboolean              reverting;   /* the switch is being turned back */
};

G_DEFINE_FINAL_TYPE (RosterPreferencesWindow, roster_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
show_status (RosterPreferencesWindow *self,
             const char              *text)
{
  gtk_label_set_text (self->background_status, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->background_status), text != NULL);
}

static void
background_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(RosterPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (xdp_portal_request_background_finish (XDP_PORTAL (source), result, &error))
    {
      show_status (self, gtk_switch_get_active (self->background_switch)
                         ? _("Roster will start when you log in.") : NULL);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_cancellable_is_cancelled (self->cancellable))
    return;

  /* Refused (or no portal after all): the switch says what is true. */
  text = g_strdup_printf (_("The system did not let Roster run in the background: %s"), error->message);
  show_status (self, text);
  if (gtk_switch_get_active (self->background_switch))
    {
      self->reverting = TRUE;
      gtk_switch_set_active (self->background_switch, FALSE);
      self->reverting = FALSE;
    }
}

static void
on_background_switch_active_cb (RosterPreferencesWindow *self)
{
  gboolean active = gtk_switch_get_active (self->background_switch);
  g_autoptr(GPtrArray) command = NULL;
  XdpParent *parent;

  if (self->reverting || self->portal == NULL)
    return;

  command = g_ptr_array_new ();
  g_ptr_array_add (command, (char *) "roster");
  g_ptr_array_add (command, (char *) "--gapplication-service");
  parent = xdp_parent_new_gtk (GTK_WINDOW (self));
  xdp_portal_request_background (self->portal, parent,
                                 (char *) _("Roster gives reminders of tasks while its window is closed."),
                                 command,
                                 active ? XDP_BACKGROUND_FLAG_AUTOSTART : XDP_BACKGROUND_FLAG_NONE,
                                 self->cancellable, background_done_cb, g_object_ref (self));
  xdp_parent_free (parent);
}

static void
roster_preferences_window_dispose (GObject *object)
{
  RosterPreferencesWindow *self = ROSTER_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_PREFERENCES_WINDOW);
  G_OBJECT_CLASS (roster_preferences_window_parent_class)->dispose (object);
}

static void
roster_preferences_window_finalize (GObject *object)
{
  RosterPreferencesWindow *self = ROSTER_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->portal);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (roster_preferences_window_parent_class)->finalize (object);
}

static void
roster_preferences_window_class_init (RosterPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_preferences_window_dispose;
  object_class->finalize = roster_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/rosterapp/Roster/roster-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterPreferencesWindow, background_row);
  gtk_widget_class_bind_template_child (widget_class, RosterPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, RosterPreferencesWindow, background_status);
}

static void
roster_preferences_window_init (RosterPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new ("io.github.rosterapp.Roster");
  self->cancellable = g_cancellable_new ();
  g_settings_bind (self->settings, "run-in-background", self->background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  if (xdp_portal_running_under_sandbox ())
    self->portal = xdp_portal_new ();
  else
    show_status (self, _("Roster cannot start itself when you log in here: that needs the Background "
                         "portal, which is for sandboxed (Flatpak) applications. With the switch on, "
                         "Roster keeps running after its window closes, until you log out."));
  /* After the binding set the switch: only a person's change asks the portal. */
  g_signal_connect_swapped (self->background_switch, "notify::active",
                            G_CALLBACK (on_background_switch_active_cb), self);
}

RosterPreferencesWindow *
roster_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (ROSTER_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
}
