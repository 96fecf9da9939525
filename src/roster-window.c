/* roster-window.c: the main window: its class, its structure and its state.
 *
 * The sidebar (RosterSidebar) shows the store's users and tags; the content
 * shows the selected user's (or tag's) task list, or, while finding (Ctrl+F),
 * Find's results over every user's tasks (RosterFindBar). The window opens
 * its store itself, so a file that cannot be opened becomes a status page
 * instead of a crash. This file holds the class (its template, properties,
 * construction and disposal) and the window's state (its size kept in the
 * settings, closing). The rest of the window has a file each, sharing
 * roster-window-private.h: what is selected and what the content shows in
 * roster-window-selection.c, Find in roster-window-find.c, the entry that
 * adds a task in roster-window-add-task.c, the task list's rows, the first
 * frame and the menus in roster-window-lists.c, how changes went (toasts,
 * edits waiting, big changes, undo) in roster-window-edits.c, the details
 * pane in roster-window-details.c, every action and its key in
 * roster-window-actions.c; opening the file, sorting, Import and Export,
 * and sync in roster-window-open.c, -sort.c, -import.c and -sync.c.
 */
#define G_LOG_DOMAIN "roster-window"

#include "roster-window-private.h"

G_DEFINE_FINAL_TYPE (RosterWindow, roster_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PATH,
  PROP_SORT_ORDER,
  PROP_HIDE_DONE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GSettings *
create_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Running uninstalled without GSETTINGS_SCHEMA_DIR: work, remember nothing. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "io.github.rosterapp.Roster", TRUE);
  if (schema == NULL)
    {
      g_debug ("GSettings schema not found; window state will not be remembered");
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

/* Window state */

gboolean
_roster_window_closes_when_done (RosterWindow *self)
{
  return self->close_when_done;
}

static gboolean
roster_window_close_request (GtkWindow *window)
{
  RosterWindow *self = ROSTER_WINDOW (window);

  /* The file being prepared is left as it was; the window goes then. */
  if (_roster_window_stop_preparing (self))
    return TRUE;

  /* A big change being saved would be lost with the application: the
   * window stays (its bar shows how far it got, and says so) and closes
   * once it is done. */
  if (_roster_window_is_working (self))
    {
      self->close_when_done = TRUE;
      _roster_window_update_work_bar (self);
      return TRUE;
    }

  /* Notes being typed are saved before the window goes. */
  if (self->details != NULL)
    roster_task_details_set_task (self->details, NULL);

  /* Edits waiting for the file get a last try; if it is still not free,
   * the window stays until the person says to drop them. */
  if (self->edits != NULL && roster_edit_queue_get_n_waiting (self->edits) > 0)
    {
      roster_edit_queue_retry (self->edits);
      if (roster_edit_queue_get_n_waiting (self->edits) > 0)
        {
          _roster_window_ask_about_waiting_edits (self);
          return TRUE;
        }
    }

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
    }

  return GTK_WINDOW_CLASS (roster_window_parent_class)->close_request (window);
}

static void
roster_window_constructed (GObject *object)
{
  RosterWindow *self = ROSTER_WINDOW (object);

  G_OBJECT_CLASS (roster_window_parent_class)->constructed (object);

  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
  else
    gtk_window_set_default_size (GTK_WINDOW (self), 960, 640);

  if (self->path != NULL)
    _roster_window_open_store (self);
}

static void
roster_window_dispose (GObject *object)
{
  RosterWindow *self = ROSTER_WINDOW (object);

  _roster_window_destroy_details_dialog (self);

  _roster_window_forget_preparing (self);
  /* A change still running in the store keeps it (and this window) alive
   * until it is done; nothing here is to hear about it any more. */
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_handle_id (&self->pending_task_source, g_source_remove);
  g_clear_object (&self->pending_task);
  _roster_window_sync_dispose (self);

  if (self->filtered_tasks != NULL)
    gtk_filter_list_model_set_model (self->filtered_tasks, NULL);
  if (self->task_list != NULL)
    gtk_list_view_set_model (self->task_list, NULL);

  g_clear_handle_id (&self->menus_idle, g_source_remove);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->backup_thread != NULL)
    g_thread_join (g_steal_pointer (&self->backup_thread));
  /* Destroyed without a close request (the application quitting): too late
   * to ask, so the log says what was not saved. Edits that widgets make
   * from now on (a field left as it goes) go straight to the store. */
  _roster_window_unwatch_edits (self);
  if (self->unsaved_dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->unsaved_dialog), (gpointer *) &self->unsaved_dialog);
  self->unsaved_dialog = NULL;
  _roster_window_forget_change_toast (self);
  g_clear_pointer (&self->task_popover, gtk_widget_unparent);
  g_clear_pointer (&self->user_popover, gtk_widget_unparent);
  g_clear_pointer (&self->tag_popover, gtk_widget_unparent);
  g_clear_object (&self->tag_menu);

  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_WINDOW);
  self->details = NULL;   /* went with its bin */

  g_clear_object (&self->task_selection);
  g_clear_object (&self->task_slice);
  g_clear_object (&self->filtered_tasks);
  g_clear_object (&self->user);
  g_clear_object (&self->category);
  g_clear_object (&self->base_tasks);
  g_clear_object (&self->users);
  g_clear_object (&self->categories);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_pointer (&self->enabled_actions, g_hash_table_unref);

  G_OBJECT_CLASS (roster_window_parent_class)->dispose (object);
}

static void
roster_window_finalize (GObject *object)
{
  RosterWindow *self = ROSTER_WINDOW (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_error (&self->open_error);
  g_clear_pointer (&self->work_description, g_free);
  g_clear_pointer (&self->work_text, g_free);

  G_OBJECT_CLASS (roster_window_parent_class)->finalize (object);
}

static void
roster_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RosterWindow *self = ROSTER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_SORT_ORDER:
      g_value_set_string (value, _roster_window_sort_order_name (self->sort_order));
      break;
    case PROP_HIDE_DONE:
      g_value_set_boolean (value, self->hide_done);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  RosterWindow *self = ROSTER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    case PROP_SORT_ORDER:
      _roster_window_set_sort_order (self, g_value_get_string (value));
      break;
    case PROP_HIDE_DONE:
      _roster_window_set_hide_done (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_window_class_init (RosterWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = roster_window_constructed;
  object_class->dispose = roster_window_dispose;
  object_class->finalize = roster_window_finalize;
  object_class->get_property = roster_window_get_property;
  object_class->set_property = roster_window_set_property;
  window_class->close_request = roster_window_close_request;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* How the list shown is sorted (roster-window-sort.c), for win.sort-by
   * and win.hide-done. */
  properties[PROP_SORT_ORDER] =
    g_param_spec_string ("sort-order", NULL, NULL, "manual",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HIDE_DONE] =
    g_param_spec_boolean ("hide-done", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ROSTER_TYPE_TASK_DETAILS);
  g_type_ensure (ROSTER_TYPE_FIND_BAR);
  g_type_ensure (ROSTER_TYPE_SIDEBAR);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rosterapp/Roster/roster-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, restore_button);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, sidebar_flap);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, details_flap);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, content_header);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, details_button);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, work_bar);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, work_label);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, work_progress);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, waiting_bar);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, waiting_label);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, add_box);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, add_entry);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, add_error);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, task_list);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, sort_note);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, show_done_button);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, find_bar);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, details_bin);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, main_menu);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, task_menu);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, user_menu);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, tag_color_menu);
  gtk_widget_class_bind_template_child (widget_class, RosterWindow, history_section);
  gtk_widget_class_bind_template_callback (widget_class, _roster_window_on_show_done_clicked);

  _roster_window_selection_class_init (widget_class);
  _roster_window_find_class_init (widget_class);
  _roster_window_add_task_class_init (widget_class);
  _roster_window_class_actions_init (widget_class);
  _roster_window_sync_class_init (widget_class);
}

static void
roster_window_init (RosterWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = create_settings ();
  self->enabled_actions = g_hash_table_new (g_str_hash, g_str_equal);

  _roster_window_selection_init (self);

  g_object_bind_property (self->sidebar_flap, "reveal-flap",
                          self->sidebar_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->details_flap, "reveal-flap",
                          self->details_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  _roster_window_details_init (self);
  _roster_window_import_init (self);
  _roster_window_sync_init (self);
  g_object_bind_property (self->sidebar_flap, "folded",
                          self->details_button, "visible",
                          G_BINDING_INVERT_BOOLEAN | G_BINDING_SYNC_CREATE);

  _roster_window_add_task_init (self);
  _roster_window_actions_init (self);
  _roster_window_update_content (self);
}

RosterWindow *
roster_window_new (GtkApplication *application,
                   const char     *path)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  return g_object_new (ROSTER_TYPE_WINDOW,
                       "application", application,
                       "path", path,
                       NULL);
}

const char *
roster_window_get_path (RosterWindow *self)
{
  g_return_val_if_fail (ROSTER_IS_WINDOW (self), NULL);

  return self->path;
}

RosterStore *
roster_window_get_store (RosterWindow *self)
{
  g_return_val_if_fail (ROSTER_IS_WINDOW (self), NULL);

  return self->store;
}
