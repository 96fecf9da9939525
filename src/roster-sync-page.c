/* roster-sync-page.c: the Sync page of the preferences (see the header).
 *
 * Nothing here blocks: the check, the keyring and the file's account are the
 * worker's (roster-sync-worker.c). While it works the button waits and the
 * spinner turns; a page closed meanwhile cancels it.
 */
#define G_LOG_DOMAIN "roster-sync-page"

#include <glib/gi18n.h>

#include "roster-sync-page.h"
#include "roster-sync-worker.h"

struct _RosterSyncPage
{
  AdwPreferencesPage  parent_instance;

  RosterStore        *store;
  GCancellable       *cancellable;
  /* The account in the file, or NULL. */
  char               *server;
  char               *username;

  AdwEntryRow        *server_row;
  AdwEntryRow        *username_row;
  AdwEntryRow        *password_row;
  GtkLabel           *status_label;
  GtkSpinner         *spinner;
  GtkWidget          *sign_in_button;
  GtkWidget          *sign_out_button;
};

G_DEFINE_FINAL_TYPE (RosterSyncPage, roster_sync_page, ADW_TYPE_PREFERENCES_PAGE)

enum
{
  ACCOUNT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_status (RosterSyncPage *self,
            const char     *text,
            gboolean        is_error)
{
  gtk_label_set_text (self->status_label, text);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
set_busy (RosterSyncPage *self,
          gboolean        busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (self->sign_in_button, !busy);
  gtk_widget_set_sensitive (self->sign_out_button, !busy);
}

/* Reads the account from the file and shows it. */
static void
load_account (RosterSyncPage *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->server, g_free);
  g_clear_pointer (&self->username, g_free);
  if (!roster_sync_get_account (self->store, &self->server, &self->username, &error))
    {
      gtk_widget_set_visible (self->sign_out_button, FALSE);
      gtk_button_set_label (GTK_BUTTON (self->sign_in_button), _("_Sign In"));
      set_status (self, error != NULL ? error->message : _("Not signed in: the tasks stay on this computer."),
                  error != NULL);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), self->server);
  gtk_editable_set_text (GTK_EDITABLE (self->username_row), self->username);
  gtk_widget_set_visible (self->sign_out_button, TRUE);
  gtk_button_set_label (GTK_BUTTON (self->sign_in_button), _("_Save"));
  {
    /* Translators: a username, then a server address */
    g_autofree char *text = g_strdup_printf (_("Signed in as %s on %s."), self->username, self->server);

    set_status (self, text, FALSE);
  }
}

/* A sign-in or sign-out ended (@ok), or failed with @error. */
static void
account_change_done (RosterSyncPage *self,
                     gboolean        ok,
                     const GError   *error)
{
  /* A page closed meanwhile has nothing more to say. */
  if (self->store == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (!ok)
    {
      /* The rows keep what was typed, to be put right. */
      set_status (self, error->message, TRUE);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  /* The window's store learns of the worker's commit now; it wrote only
   * the sync tables, so the undo history holds. */
  roster_store_refresh_keeping_history (self->store);
  load_account (self);
  g_signal_emit (self, signals[ACCOUNT_CHANGED], 0);
}

static void
sign_in_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(RosterSyncPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = roster_sync_worker_sign_in_finish (result, &error);

  account_change_done (self, ok, error);
}

static void
sign_out_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(RosterSyncPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = roster_sync_worker_sign_out_finish (result, &error);

  account_change_done (self, ok, error);
}

/* The worker about to start: busy, and what ran before cancelled. */
static GCancellable *
start_work (RosterSyncPage *self)
{
  set_busy (self, TRUE);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  return self->cancellable;
}

void
roster_sync_page_sign_in (RosterSyncPage *self)
{
  g_autofree char *server = NULL;
  g_autofree char *username = NULL;
  const char *password;

  g_return_if_fail (ROSTER_IS_SYNC_PAGE (self));

  server = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row))));
  username = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->username_row))));
  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  if (*server == '\0' || *username == '\0' || *password == '\0')
    {
      set_status (self, _("Give the server address, the username and the password."), TRUE);
      return;
    }

  set_status (self, _("Checking the account…"), FALSE);
  roster_sync_worker_sign_in_async (roster_store_get_path (self->store), server, username, password,
                                    start_work (self), sign_in_cb, g_object_ref (self));
}

static void
on_sign_in_clicked_cb (RosterSyncPage *self)
{
  roster_sync_page_sign_in (self);
}

static void
on_row_activated_cb (RosterSyncPage *self)
{
  if (gtk_widget_get_sensitive (self->sign_in_button))
    roster_sync_page_sign_in (self);
}

static void
on_sign_out_clicked_cb (RosterSyncPage *self)
{
  roster_sync_worker_sign_out_async (self->store, start_work (self),
                                     sign_out_cb, g_object_ref (self));
}

const char *
roster_sync_page_get_status (RosterSyncPage *self)
{
  g_return_val_if_fail (ROSTER_IS_SYNC_PAGE (self), NULL);
  return gtk_label_get_text (self->status_label);
}

static void
roster_sync_page_dispose (GObject *object)
{
  RosterSyncPage *self = ROSTER_SYNC_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_SYNC_PAGE);
  G_OBJECT_CLASS (roster_sync_page_parent_class)->dispose (object);
}

static void
roster_sync_page_finalize (GObject *object)
{
  RosterSyncPage *self = ROSTER_SYNC_PAGE (object);

  g_free (self->server);
  g_free (self->username);
  G_OBJECT_CLASS (roster_sync_page_parent_class)->finalize (object);
}

static void
roster_sync_page_class_init (RosterSyncPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_sync_page_dispose;
  object_class->finalize = roster_sync_page_finalize;

  signals[ACCOUNT_CHANGED] = g_signal_new ("account-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rosterapp/Roster/roster-sync-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterSyncPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, RosterSyncPage, username_row);
  gtk_widget_class_bind_template_child (widget_class, RosterSyncPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, RosterSyncPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, RosterSyncPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, RosterSyncPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, RosterSyncPage, sign_out_button);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_out_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
}

static void
roster_sync_page_init (RosterSyncPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
roster_sync_page_new (RosterStore *store)
{
  RosterSyncPage *self;

  g_return_val_if_fail (ROSTER_IS_STORE (store), NULL);

  self = g_object_new (ROSTER_TYPE_SYNC_PAGE, NULL);
  self->store = g_object_ref (store);
  load_account (self);
  return GTK_WIDGET (self);
}
