/* roster-sidebar-row.c: one user or tag in the sidebar.
 *
 * A user row accepts a task dropped on it (the task moves to that user); a
 * tag row shows the tag's colour as a dot. Both rename in place: Enter saves,
 * Escape cancels, a refused name stays in the field with the reason below.
 */
#define G_LOG_DOMAIN "roster-sidebar-row"

#include <glib/gi18n.h>

#include "roster-messages.h"
#include "roster-sidebar-row.h"

struct _RosterSidebarRow
{
  GtkListBoxRow  parent_instance;

  RosterStore   *store;
  GObject       *item;

  GtkImage      *icon;
  GtkStack      *name_stack;
  GtkLabel      *name_label;
  GtkEntry      *name_entry;
  GtkLabel      *error_label;
  GtkLabel      *count_label;
};

G_DEFINE_FINAL_TYPE (RosterSidebarRow, roster_sidebar_row, GTK_TYPE_LIST_BOX_ROW)

static RosterSubject
get_subject (RosterSidebarRow *self)
{
  return ROSTER_IS_USER (self->item) ? ROSTER_SUBJECT_USER : ROSTER_SUBJECT_TAG;
}

static const char *
get_name (RosterSidebarRow *self)
{
  if (ROSTER_IS_USER (self->item))
    return roster_user_get_username (ROSTER_USER (self->item));
  return roster_category_get_name (ROSTER_CATEGORY (self->item));
}

static void
update (RosterSidebarRow *self)
{
  g_autofree char *count = NULL;
  g_autofree char *a11y = NULL;
  const char *name = get_name (self);

  if (ROSTER_IS_USER (self->item))
    {
      guint n_open = roster_user_get_n_open_tasks (ROSTER_USER (self->item));

      count = g_strdup_printf ("%u", n_open);
      a11y = g_strdup_printf (ngettext ("%s, %u open task", "%s, %u open tasks", n_open),
                              name, n_open);
    }
  else
    {
      guint n = roster_category_get_n_tasks (ROSTER_CATEGORY (self->item));

      count = g_strdup_printf ("%u", n);
      a11y = g_strdup_printf (ngettext ("Tag %s, %u task", "Tag %s, %u tasks", n), name, n);
    }

  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->count_label, count);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->count_label), a11y);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y,
                                  -1);
}

static void
show_error (RosterSidebarRow *self,
            const GError     *error)
{
  g_autofree char *message = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  if (error == NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->name_entry), "error");
      return;
    }
  message = roster_messages_describe_error (error, get_subject (self));
  gtk_label_set_label (self->error_label, message);
  gtk_widget_add_css_class (GTK_WIDGET (self->name_entry), "error");
}

static void
stop_rename (RosterSidebarRow *self)
{
  gboolean had_focus = gtk_widget_get_focus_child (GTK_WIDGET (self->name_entry)) != NULL;

  show_error (self, NULL);
  gtk_stack_set_visible_child_name (self->name_stack, "label");
  if (had_focus)
    gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
commit_rename (RosterSidebarRow *self)
{
  /* A new name re-sorts the list, which replaces (disposes) this row while
   * the store call runs: hold it, and stop if it went. */
  g_autoptr(RosterSidebarRow) hold = g_object_ref (self);
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->name_entry));
  gboolean ok = TRUE;

  if (g_strcmp0 (text, get_name (self)) != 0)
    {
      if (ROSTER_IS_USER (self->item))
        ok = roster_store_rename_user (self->store, ROSTER_USER (self->item), text, &error);
      else
        ok = roster_store_rename_category (self->store, ROSTER_CATEGORY (self->item), text, &error);
    }

  if (self->name_stack == NULL)
    return;

  if (!ok)
    show_error (self, error);
  else
    stop_rename (self);
}

static void
on_name_entry_activate_cb (RosterSidebarRow *self)
{
  commit_rename (self);
}

static gboolean
on_name_entry_key_pressed_cb (GtkEventControllerKey *controller,
                              guint                  keyval,
                              guint                  keycode,
                              GdkModifierType        state,
                              RosterSidebarRow      *self)
{
  if (keyval == GDK_KEY_Escape)
    {
      stop_rename (self);
      return TRUE;
    }
  return FALSE;
}

static void
on_name_entry_leave_cb (RosterSidebarRow *self)
{
  if (roster_sidebar_row_get_editing (self))
    commit_rename (self);
}

static gboolean
on_drop_cb (GtkDropTarget    *target,
            const GValue     *value,
            double            x,
            double            y,
            RosterSidebarRow *self)
{
  g_autoptr(GError) error = NULL;
  RosterTask *task = g_value_get_object (value);

  if (task == NULL || !ROSTER_IS_USER (self->item))
    return FALSE;
  if (roster_task_get_owner (task) == ROSTER_USER (self->item))
    return FALSE;

  if (!roster_store_move_task (self->store, task, ROSTER_USER (self->item), &error))
    {
      show_error (self, error);
      return FALSE;
    }
  return TRUE;
}

static void
roster_sidebar_row_dispose (GObject *object)
{
  RosterSidebarRow *self = (RosterSidebarRow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_SIDEBAR_ROW);

  if (self->item != NULL)
    g_signal_handlers_disconnect_by_data (self->item, self);
  g_clear_object (&self->item);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (roster_sidebar_row_parent_class)->dispose (object);
}

static void
roster_sidebar_row_class_init (RosterSidebarRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_sidebar_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rosterapp/Roster/roster-sidebar-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterSidebarRow, icon);
  gtk_widget_class_bind_template_child (widget_class, RosterSidebarRow, name_stack);
  gtk_widget_class_bind_template_child (widget_class, RosterSidebarRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, RosterSidebarRow, name_entry);
  gtk_widget_class_bind_template_child (widget_class, RosterSidebarRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, RosterSidebarRow, count_label);
  gtk_widget_class_bind_template_callback (widget_class, on_name_entry_activate_cb);
}

static void
roster_sidebar_row_init (RosterSidebarRow *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  controller = gtk_event_controller_key_new ();
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (on_name_entry_key_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->name_entry), controller);

  controller = gtk_event_controller_focus_new ();
  /* The window may keep the entry (as its focus) after the row is gone. */
  g_signal_connect_object (controller, "leave", G_CALLBACK (on_name_entry_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->name_entry), controller);
}

GtkWidget *
roster_sidebar_row_new (RosterStore *store,
                        GObject     *item)
{
  RosterSidebarRow *self;

  g_return_val_if_fail (ROSTER_IS_STORE (store), NULL);
  g_return_val_if_fail (ROSTER_IS_USER (item) || ROSTER_IS_CATEGORY (item), NULL);

  self = g_object_new (ROSTER_TYPE_SIDEBAR_ROW, NULL);
  self->store = g_object_ref (store);
  self->item = g_object_ref (item);

  if (ROSTER_IS_USER (item))
    {
      GtkDropTarget *target = gtk_drop_target_new (ROSTER_TYPE_TASK, GDK_ACTION_MOVE);

      g_signal_connect (target, "drop", G_CALLBACK (on_drop_cb), self);
      gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->name_entry),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("User name"),
                                      -1);
    }
  else
    {
      g_autofree char *klass = roster_messages_tag_css_class (store, roster_category_get_id (ROSTER_CATEGORY (item)));

      gtk_image_set_from_icon_name (self->icon, NULL);
      gtk_widget_add_css_class (GTK_WIDGET (self->icon), "roster-dot");
      gtk_widget_add_css_class (GTK_WIDGET (self->icon), klass);
      gtk_widget_set_size_request (GTK_WIDGET (self->icon), 12, 12);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->name_entry),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Tag name"),
                                      -1);
    }

  g_signal_connect_object (item, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);

  return GTK_WIDGET (self);
}

GObject *
roster_sidebar_row_get_item (RosterSidebarRow *self)
{
  g_return_val_if_fail (ROSTER_IS_SIDEBAR_ROW (self), NULL);

  return self->item;
}

gboolean
roster_sidebar_row_get_editing (RosterSidebarRow *self)
{
  g_return_val_if_fail (ROSTER_IS_SIDEBAR_ROW (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->name_stack), "entry") == 0;
}

void
roster_sidebar_row_start_rename (RosterSidebarRow *self)
{
  g_return_if_fail (ROSTER_IS_SIDEBAR_ROW (self));

  show_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), get_name (self));
  gtk_stack_set_visible_child_name (self->name_stack, "entry");
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->name_entry), 0, -1);
}
