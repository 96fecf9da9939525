/* roster-sidebar-row.c: one user or tag in the sidebar.
 *
 * A row of the sidebar's GtkListViews: made once, then bound to one user or
 * tag after another as the list scrolls (GTK 4.8 keeps about 200 of them per
 * list, so a row is built in code, small: an icon, the name and the count;
 * the rename field and its error label are made the first time they are
 * needed). A user row accepts a task dropped on it (the task moves to that
 * user); a tag row shows the tag's colour as a dot. Both rename in place:
 * Enter saves, Escape cancels, a refused name stays in the field with the
 * reason below. Changes go to the store through its edit queue, which keeps
 * one the file refuses while another program holds it.
 */
#define G_LOG_DOMAIN "roster-sidebar-row"

#include <glib/gi18n.h>

#include "roster-chip.h"
#include "roster-entry-error.h"
#include "roster-sidebar-row.h"

struct _RosterSidebarRow
{
  GtkWidget      parent_instance;

  RosterStore   *store;
  GObject       *item;
  /* Set while the row hands a focus grab on to its list item. */
  gboolean       passing_focus;

  GtkImage      *icon;         /* a user's */
  RosterChip    *dot;          /* a tag's colour; made for the first tag */
  GtkBox        *name_box;
  GtkLabel      *name_label;
  GtkLabel      *count_label;
  /* Made by the first rename. */
  GtkEntry      *name_entry;
  GtkLabel      *error_label;
};

G_DEFINE_FINAL_TYPE (RosterSidebarRow, roster_sidebar_row, GTK_TYPE_WIDGET)

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

static guint
get_count (RosterSidebarRow *self)
{
  if (ROSTER_IS_USER (self->item))
    return roster_user_get_n_open_tasks (ROSTER_USER (self->item));
  return roster_category_get_n_tasks (ROSTER_CATEGORY (self->item));
}

/* "Alice, 3 open tasks": the row's accessible name and the count's tooltip. */
static char *
describe (RosterSidebarRow *self)
{
  guint n = get_count (self);

  if (ROSTER_IS_USER (self->item))
    return g_strdup_printf (ngettext ("%s, %u open task", "%s, %u open tasks", n), get_name (self), n);
  return g_strdup_printf (ngettext ("Tag %s, %u task", "Tag %s, %u tasks", n), get_name (self), n);
}

/* Given when asked for: setting a tooltip on a shown widget makes GTK 4.8
 * ask the X server where the pointer is, for every row at every update. */
static gboolean
on_count_query_tooltip_cb (GtkWidget        *label,
                           int               x,
                           int               y,
                           gboolean          keyboard,
                           GtkTooltip       *tooltip,
                           RosterSidebarRow *self)
{
  g_autofree char *text = NULL;

  if (self->item == NULL)
    return FALSE;
  text = describe (self);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
update (RosterSidebarRow *self)
{
  g_autofree char *count = g_strdup_printf ("%u", get_count (self));
  g_autofree char *a11y = describe (self);
  GtkWidget *list_item = gtk_widget_get_parent (GTK_WIDGET (self));

  gtk_label_set_label (self->name_label, get_name (self));
  gtk_label_set_label (self->count_label, count);
  if (ROSTER_IS_CATEGORY (self->item))
    roster_chip_set_color (self->dot, roster_category_get_color (ROSTER_CATEGORY (self->item)));
  /* A screen reader reads the list's item (the row's parent in a list view). */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y,
                                  -1);
  if (list_item != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (list_item),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, a11y,
                                    -1);
}

static void
show_error (RosterSidebarRow *self,
            const GError     *error)
{
  /* Made with the rename field: nothing to show before the first rename. */
  if (self->error_label == NULL)
    return;
  roster_entry_error_show (GTK_WIDGET (self->name_entry), self->error_label, error, get_subject (self));
}

static void
stop_rename (RosterSidebarRow *self)
{
  gboolean had_focus;

  if (!roster_sidebar_row_get_editing (self))
    return;

  had_focus = gtk_widget_get_focus_child (GTK_WIDGET (self->name_entry)) != NULL;
  show_error (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->name_entry), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->name_label), TRUE);
  if (had_focus)
    gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
commit_rename (RosterSidebarRow *self)
{
  /* A new name re-sorts the list, which binds this row to another item (or
   * disposes it) while the store call runs: hold it, and stop if it went. */
  g_autoptr(RosterSidebarRow) hold = g_object_ref (self);
  g_autoptr(GObject) item = g_object_ref (self->item);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry)));
  RosterEditResult result = ROSTER_EDIT_SAVED;

  /* Compared with the name shown: a new one may still wait for the file. */
  if (g_strcmp0 (text, gtk_label_get_label (self->name_label)) != 0)
    {
      RosterEditQueue *edits = roster_edit_queue_get_for_store (self->store);

      if (ROSTER_IS_USER (item))
        result = roster_edit_queue_rename_user (edits, ROSTER_USER (item), text, &error);
      else
        result = roster_edit_queue_rename_category (edits, ROSTER_CATEGORY (item), text, &error);
    }

  if (self->name_label == NULL || self->item != item)
    return;

  if (result == ROSTER_EDIT_FAILED)
    {
      show_error (self, error);
      return;
    }
  stop_rename (self);
  /* Kept until the file is free (the window's banner says so): the new
   * name shows meanwhile, and the item's notify confirms it once saved. */
  if (result == ROSTER_EDIT_WAITING)
    gtk_label_set_label (self->name_label, text);
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
  if (self->item != NULL && roster_sidebar_row_get_editing (self))
    commit_rename (self);
}

static void ensure_name_entry (RosterSidebarRow *self);

/* Only a user row takes a task, and not its own. */
static gboolean
on_drop_accept_cb (GtkDropTarget    *target,
                   GdkDrop          *drop,
                   RosterSidebarRow *self)
{
  return ROSTER_IS_USER (self->item) &&
         gdk_content_formats_contain_gtype (gdk_drop_get_formats (drop), ROSTER_TYPE_TASK);
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

  if (roster_edit_queue_move_task (roster_edit_queue_get_for_store (self->store), task,
                                   ROSTER_USER (self->item), &error) == ROSTER_EDIT_FAILED)
    {
      ensure_name_entry (self);
      show_error (self, error);
      return FALSE;
    }
  return TRUE;
}

/* The list's item (the row's parent) is what takes the keyboard in a list
 * view: the window gives the focus to a row, and the item takes it. (The
 * item offers the focus to its child first: then the row declines.) */
static gboolean
roster_sidebar_row_grab_focus (GtkWidget *widget)
{
  RosterSidebarRow *self = ROSTER_SIDEBAR_ROW (widget);
  GtkWidget *parent = gtk_widget_get_parent (widget);
  gboolean grabbed;

  if (roster_sidebar_row_get_editing (self))
    return gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
  if (self->passing_focus || parent == NULL)
    return FALSE;

  self->passing_focus = TRUE;
  grabbed = gtk_widget_grab_focus (parent);
  self->passing_focus = FALSE;
  return grabbed;
}

static void
roster_sidebar_row_dispose (GObject *object)
{
  RosterSidebarRow *self = (RosterSidebarRow *)object;
  GtkWidget *child;

  roster_sidebar_row_set_item (self, NULL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->icon = NULL;
  self->dot = NULL;
  self->name_box = NULL;
  self->name_label = NULL;
  self->count_label = NULL;
  self->name_entry = NULL;
  self->error_label = NULL;
  g_clear_object (&self->store);

  G_OBJECT_CLASS (roster_sidebar_row_parent_class)->dispose (object);
}

static void
roster_sidebar_row_class_init (RosterSidebarRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_sidebar_row_dispose;
  widget_class->grab_focus = roster_sidebar_row_grab_focus;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "roster-sidebar-row");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
roster_sidebar_row_init (RosterSidebarRow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkDropTarget *target;

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (widget)), 10);
  gtk_widget_set_margin_start (widget, 6);
  gtk_widget_set_margin_end (widget, 6);
  gtk_widget_set_margin_top (widget, 6);
  gtk_widget_set_margin_bottom (widget, 6);

  self->icon = g_object_new (GTK_TYPE_IMAGE,
                             "icon-name", "avatar-default-symbolic",
                             "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                             "valign", GTK_ALIGN_CENTER,
                             NULL);
  gtk_widget_set_parent (GTK_WIDGET (self->icon), widget);

  self->name_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 0));
  gtk_widget_set_hexpand (GTK_WIDGET (self->name_box), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->name_box), GTK_ALIGN_CENTER);
  gtk_widget_set_parent (GTK_WIDGET (self->name_box), widget);

  self->name_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->name_label, 0);
  gtk_label_set_ellipsize (self->name_label, PANGO_ELLIPSIZE_END);
  gtk_box_append (self->name_box, GTK_WIDGET (self->name_label));

  self->count_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_valign (GTK_WIDGET (self->count_label), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "numeric");
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->count_label), TRUE);
  g_signal_connect (self->count_label, "query-tooltip", G_CALLBACK (on_count_query_tooltip_cb), self);
  gtk_widget_set_parent (GTK_WIDGET (self->count_label), widget);

  target = gtk_drop_target_new (ROSTER_TYPE_TASK, GDK_ACTION_MOVE);
  g_signal_connect (target, "accept", G_CALLBACK (on_drop_accept_cb), self);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (target));
}

GtkWidget *
roster_sidebar_row_new (RosterStore *store)
{
  RosterSidebarRow *self;

  g_return_val_if_fail (ROSTER_IS_STORE (store), NULL);

  self = g_object_new (ROSTER_TYPE_SIDEBAR_ROW, NULL);
  self->store = g_object_ref (store);
  return GTK_WIDGET (self);
}

/* Binds the row to @item (a RosterUser or RosterCategory), or to nothing. */
void
roster_sidebar_row_set_item (RosterSidebarRow *self,
                             GObject          *item)
{
  g_return_if_fail (ROSTER_IS_SIDEBAR_ROW (self));
  g_return_if_fail (item == NULL || ROSTER_IS_USER (item) || ROSTER_IS_CATEGORY (item));

  if (self->item == item)
    return;

  /* An unfinished rename belongs to the old item. */
  if (self->name_entry != NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->name_entry), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->name_label), TRUE);
      show_error (self, NULL);
    }

  if (self->item != NULL)
    g_signal_handlers_disconnect_by_data (self->item, self);
  g_set_object (&self->item, item);
  if (item == NULL)
    return;

  if (ROSTER_IS_CATEGORY (item) && self->dot == NULL)
    {
      self->dot = g_object_new (ROSTER_TYPE_CHIP,
                                "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                "valign", GTK_ALIGN_CENTER,
                                NULL);
      gtk_widget_insert_after (GTK_WIDGET (self->dot), GTK_WIDGET (self), GTK_WIDGET (self->icon));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->icon), ROSTER_IS_USER (item));
  if (self->dot != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->dot), ROSTER_IS_CATEGORY (item));

  g_signal_connect_object (item, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
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

  return self->name_entry != NULL && gtk_widget_get_visible (GTK_WIDGET (self->name_entry));
}

static void
ensure_name_entry (RosterSidebarRow *self)
{
  GtkEventController *controller;

  if (self->name_entry != NULL)
    return;

  self->name_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_editable_set_width_chars (GTK_EDITABLE (self->name_entry), 8);
  gtk_widget_set_visible (GTK_WIDGET (self->name_entry), FALSE);
  g_signal_connect_object (self->name_entry, "activate", G_CALLBACK (commit_rename),
                           self, G_CONNECT_SWAPPED);

  controller = gtk_event_controller_key_new ();
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (on_name_entry_key_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->name_entry), controller);

  controller = gtk_event_controller_focus_new ();
  /* The window may keep the entry (as its focus) after the row is gone. */
  g_signal_connect_object (controller, "leave", G_CALLBACK (on_name_entry_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->name_entry), controller);
  gtk_box_append (self->name_box, GTK_WIDGET (self->name_entry));

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_max_width_chars (self->error_label, 20);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "caption");
  gtk_box_append (self->name_box, GTK_WIDGET (self->error_label));
}

void
roster_sidebar_row_start_rename (RosterSidebarRow *self)
{
  g_return_if_fail (ROSTER_IS_SIDEBAR_ROW (self));
  g_return_if_fail (self->item != NULL);

  ensure_name_entry (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->name_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  ROSTER_IS_USER (self->item) ? _("User name") : _("Tag name"),
                                  -1);
  show_error (self, NULL);
  /* The name shown: a new one may still wait for the file. */
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), gtk_label_get_label (self->name_label));
  gtk_widget_set_visible (GTK_WIDGET (self->name_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->name_entry), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->name_entry), 0, -1);
}
