/* roster-tags-popover.c: the task's tags as check buttons, filtered by what is
 * typed; Enter toggles the tag of that name, or creates it and tags the task.
 * Changes go to the store through its edit queue, which keeps one the file
 * refuses while another program holds it. */
#define G_LOG_DOMAIN "roster-tags-popover"

#include <glib/gi18n.h>

#include "roster-entry-error.h"
#include "roster-tags-popover.h"

struct _RosterTagsPopover
{
  GtkPopover          parent_instance;

  RosterStore        *store;
  RosterTask         *task;
  GListModel         *task_categories;
  GtkFilterListModel *filtered;
  GtkCustomFilter    *filter;

  GtkEntry           *tag_entry;
  GtkLabel           *error_label;
  GtkLabel           *hint_label;
  GtkListBox         *tag_list;
};

G_DEFINE_FINAL_TYPE (RosterTagsPopover, roster_tags_popover, GTK_TYPE_POPOVER)

static gboolean
task_has_category (RosterTagsPopover *self,
                   RosterCategory    *category)
{
  guint n = g_list_model_get_n_items (self->task_categories);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RosterCategory) item = g_list_model_get_item (self->task_categories, i);

      if (item == category)
        return TRUE;
    }
  return FALSE;
}

static void
show_error (RosterTagsPopover *self,
            const GError      *error)
{
  roster_entry_error_show (GTK_WIDGET (self->tag_entry), self->error_label, error, ROSTER_SUBJECT_TAG);
}

/* Tags or untags the task; TRUE unless it was refused (which is said below
 * the entry). */
static gboolean
set_tagged (RosterTagsPopover *self,
            RosterCategory    *category,
            gboolean           tagged)
{
  g_autoptr(GError) error = NULL;
  RosterEditResult result = roster_edit_queue_set_task_tagged (roster_edit_queue_get_for_store (self->store),
                                                               self->task, category, tagged, &error);

  show_error (self, error);
  return result != ROSTER_EDIT_FAILED;
}

static void
on_check_toggled_cb (GtkCheckButton    *check,
                     RosterTagsPopover *self)
{
  /* What the check shows, not what the file says: unticked again while the
   * first click waits for the file, it is kept as unticked. */
  set_tagged (self, g_object_get_data (G_OBJECT (check), "roster-category"),
              gtk_check_button_get_active (check));
}

static void
sync_checks (RosterTagsPopover *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->tag_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *check;
      RosterCategory *category;

      if (!GTK_IS_LIST_BOX_ROW (row))
        continue;
      check = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
      category = g_object_get_data (G_OBJECT (check), "roster-category");
      g_signal_handlers_block_by_func (check, on_check_toggled_cb, self);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), task_has_category (self, category));
      g_signal_handlers_unblock_by_func (check, on_check_toggled_cb, self);
    }
}

static void
on_category_notify_cb (GtkCheckButton *check,
                       GParamSpec     *pspec,
                       RosterCategory *category)
{
  gtk_check_button_set_label (check, roster_category_get_name (category));
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  RosterTagsPopover *self = user_data;
  RosterCategory *category = item;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *check = gtk_check_button_new_with_label (roster_category_get_name (category));

  g_object_set_data_full (G_OBJECT (check), "roster-category",
                          g_object_ref (category), g_object_unref);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), task_has_category (self, category));
  g_signal_connect (check, "toggled", G_CALLBACK (on_check_toggled_cb), self);
  g_signal_connect_object (category, "notify", G_CALLBACK (on_category_notify_cb),
                           check, G_CONNECT_SWAPPED);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), check);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);

  return row;
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  RosterTagsPopover *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->tag_entry));
  g_autofree char *needle = NULL;
  g_autofree char *haystack = NULL;

  if (text[0] == '\0')
    return TRUE;

  needle = g_utf8_casefold (text, -1);
  haystack = g_utf8_casefold (roster_category_get_name (item), -1);
  return strstr (haystack, needle) != NULL;
}

static RosterCategory *
find_exact (RosterTagsPopover *self,
            const char        *text)
{
  g_autofree char *needle = g_utf8_casefold (text, -1);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RosterCategory) category = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);
      g_autofree char *name = g_utf8_casefold (roster_category_get_name (category), -1);

      if (g_strcmp0 (name, needle) == 0)
        return g_steal_pointer (&category);
    }
  return NULL;
}

static void
on_tag_entry_changed_cb (RosterTagsPopover *self)
{
  g_autofree char *stripped = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tag_entry))));
  g_autoptr(RosterCategory) exact = NULL;

  show_error (self, NULL);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);

  if (stripped[0] != '\0')
    exact = find_exact (self, stripped);

  if (stripped[0] != '\0' && exact == NULL)
    {
      /* Translators: %s is the tag name being typed */
      g_autofree char *hint = g_strdup_printf (_("Press Enter to create the tag “%s”"), stripped);

      gtk_label_set_label (self->hint_label, hint);
      gtk_widget_set_visible (GTK_WIDGET (self->hint_label), TRUE);
    }
  else if (exact != NULL)
    {
      g_autofree char *hint = NULL;

      if (task_has_category (self, exact))
        hint = g_strdup_printf (_("Press Enter to remove the tag “%s”"), roster_category_get_name (exact));
      else
        hint = g_strdup_printf (_("Press Enter to add the tag “%s”"), roster_category_get_name (exact));
      gtk_label_set_label (self->hint_label, hint);
      gtk_widget_set_visible (GTK_WIDGET (self->hint_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->hint_label), FALSE);
}

static void
on_tag_entry_activate_cb (RosterTagsPopover *self)
{
  g_autofree char *stripped = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tag_entry))));
  g_autoptr(RosterCategory) category = NULL;
  gboolean ok;

  if (stripped[0] == '\0')
    return;

  category = find_exact (self, stripped);
  if (category != NULL)
    ok = set_tagged (self, category, !task_has_category (self, category));
  else
    {
      /* A new tag and the tag on the task are one undo step. */
      g_autoptr(GError) error = NULL;
      RosterEditResult result = roster_edit_queue_create_category_for_task (roster_edit_queue_get_for_store (self->store),
                                                                            self->task, stripped, &error);

      show_error (self, error);
      ok = result != ROSTER_EDIT_FAILED;
    }

  /* Kept while the file is busy, like a saved one: the entry is ready for
   * the next tag, and the window's banner says it will be saved. */
  if (ok)
    gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
}

static gboolean
on_entry_key_pressed_cb (GtkEventControllerKey *controller,
                         guint                  keyval,
                         guint                  keycode,
                         GdkModifierType        state,
                         RosterTagsPopover     *self)
{
  if (keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->tag_list, 0);

      if (row != NULL)
        return gtk_widget_grab_focus (gtk_list_box_row_get_child (row));
    }
  return FALSE;
}

static void
on_popover_show_cb (RosterTagsPopover *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
  show_error (self, NULL);
  sync_checks (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->tag_entry));
}

static void
roster_tags_popover_dispose (GObject *object)
{
  RosterTagsPopover *self = (RosterTagsPopover *)object;

  if (self->task_categories != NULL)
    g_signal_handlers_disconnect_by_data (self->task_categories, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_TAGS_POPOVER);

  g_clear_object (&self->filtered);
  g_clear_object (&self->task_categories);
  g_clear_object (&self->task);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (roster_tags_popover_parent_class)->dispose (object);
}

static void
roster_tags_popover_class_init (RosterTagsPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_tags_popover_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rosterapp/Roster/roster-tags-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterTagsPopover, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, RosterTagsPopover, error_label);
  gtk_widget_class_bind_template_child (widget_class, RosterTagsPopover, hint_label);
  gtk_widget_class_bind_template_child (widget_class, RosterTagsPopover, tag_list);
  gtk_widget_class_bind_template_callback (widget_class, on_tag_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_tag_entry_changed_cb);
}

static void
roster_tags_popover_init (RosterTagsPopover *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_entry_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->tag_entry), controller);

  g_signal_connect (self, "show", G_CALLBACK (on_popover_show_cb), NULL);
}

GtkWidget *
roster_tags_popover_new (RosterStore *store,
                         RosterTask  *task)
{
  RosterTagsPopover *self;

  g_return_val_if_fail (ROSTER_IS_STORE (store), NULL);
  g_return_val_if_fail (ROSTER_IS_TASK (task), NULL);

  self = g_object_new (ROSTER_TYPE_TAGS_POPOVER, NULL);
  self->store = g_object_ref (store);
  self->task = g_object_ref (task);
  self->task_categories = roster_store_list_task_categories (store, task);
  g_signal_connect_object (self->task_categories, "items-changed",
                           G_CALLBACK (sync_checks), self, G_CONNECT_SWAPPED);

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (roster_store_list_categories (store),
                                              GTK_FILTER (self->filter));
  gtk_list_box_bind_model (self->tag_list, G_LIST_MODEL (self->filtered),
                           create_row_cb, self, NULL);

  return GTK_WIDGET (self);
}
