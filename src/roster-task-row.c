/* roster-task-row.c: one task in a list.
 *
 * A GtkListView row: made once, then bound to one task after another as the
 * list scrolls. While bound it follows its task (any notify refreshes it) and
 * the task's tag list; every change a person makes goes to the store through
 * its edit queue (which keeps it while another program holds the file), and
 * a failure is shown under the title, keeping what was typed.
 *
 * GTK 4.8's list view keeps about 200 rows alive whatever its height, and
 * makes, measures and allocates them all before the first frame. So a row is
 * built in code (instantiating a template cost more than the rest of a row)
 * and makes what most rows never show only when it is needed: the rename
 * entry, the error label, the owner and due date labels, the priority mark,
 * the repeat icon and the tags popover.
 * Tag chips (RosterChip) are reused from one task to the next.
 */
#define G_LOG_DOMAIN "roster-task-row"

#include <glib/gi18n.h>

#include "roster-chip.h"
#include "roster-entry-error.h"
#include "roster-list-util.h"
#include "roster-messages.h"
#include "roster-tags-popover.h"
#include "roster-task-row.h"

struct _RosterTaskRow
{
  AdwBin          parent_instance;

  RosterStore    *store;
  RosterTask     *task;
  GListModel     *categories;
  RosterUser     *owner;
  gboolean        show_owner;
  gboolean        editing;
  gboolean        fixed_order;  /* the list is sorted: drops are refused */

  /* Every widget pointer is NULL once the row is disposed. */
  GtkCheckButton *done_check;
  GtkBox         *text_box;     /* title (or entry), error, meta_box */
  GtkLabel       *title_label;
  GtkEntry       *title_entry;  /* made when a rename starts */
  GtkLabel       *error_label;  /* made for the first error */
  GtkBox         *meta_box;     /* owner, tag chips, due date */
  GtkLabel       *owner_label;  /* made when first shown */
  GtkLabel       *due_label;    /* made for the first due date */
  GtkImage       *repeat_icon;  /* made for the first repeating task */
  GtkLabel       *priority_label; /* made for the first priority */
  GtkLabel       *heading_label; /* made for the first heading, above the rest */
  GPtrArray      *chips;        /* RosterChips in meta_box, reused */
  GPtrArray      *chip_tags;    /* the RosterCategory each chip shows, or NULL */
  GtkButton      *tags_button;
  GtkPopover     *tags_popover; /* made on the first popup, per task */
};

G_DEFINE_FINAL_TYPE (RosterTaskRow, roster_task_row, ADW_TYPE_BIN)

/* A left-aligned label with these style classes (NULL-terminated). */
static GtkLabel *
new_label (const char **classes)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_css_classes (label, classes);
  return GTK_LABEL (label);
}

/* Tooltips are given when asked for (query-tooltip), not set: setting one on
 * a shown widget makes GTK look for the pointer there and then, a round trip
 * to the X server, for each of the 200 rows and again on every bind. */
static gboolean
on_query_tooltip_cb (GtkWidget  *widget,
                     int         x,
                     int         y,
                     gboolean    keyboard_mode,
                     GtkTooltip *tooltip,
                     const char *text)
{
  gtk_tooltip_set_text (tooltip, _(text));
  return TRUE;
}

/* @text is untranslated (N_()). */
static void
set_static_tooltip (GtkWidget  *widget,
                    const char *text)
{
  gtk_widget_set_has_tooltip (widget, TRUE);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (on_query_tooltip_cb), (gpointer) text);
}

static gboolean
on_title_query_tooltip_cb (GtkWidget  *label,
                           int         x,
                           int         y,
                           gboolean    keyboard_mode,
                           GtkTooltip *tooltip,
                           gpointer    user_data)
{
  if (!pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))))
    return FALSE;
  gtk_tooltip_set_text (tooltip, gtk_label_get_label (GTK_LABEL (label)));
  return TRUE;
}

static void
show_error (RosterTaskRow *self,
            const GError  *error)
{
  /* The error label is made for the first error, under the title. */
  if (error != NULL && self->text_box == NULL)
    return;
  if (error != NULL && self->error_label == NULL)
    {
      self->error_label = new_label ((const char *[]) { "error", "caption", NULL });
      gtk_label_set_wrap (self->error_label, TRUE);
      gtk_box_insert_child_after (self->text_box, GTK_WIDGET (self->error_label),
                                  self->title_entry != NULL ? GTK_WIDGET (self->title_entry)
                                                            : GTK_WIDGET (self->title_label));
    }
  roster_entry_error_show (GTK_WIDGET (self->title_entry), self->error_label, error, ROSTER_SUBJECT_TASK);
}

static void
update_owner (RosterTaskRow *self)
{
  gboolean shown = self->show_owner && self->owner != NULL;

  if (shown && self->owner_label == NULL && self->meta_box != NULL)
    {
      self->owner_label = new_label ((const char *[]) { "caption-heading", "dim-label", NULL });
      /* 4 px of the box's spacing + 2: 6 px to the chips. */
      gtk_widget_set_margin_end (GTK_WIDGET (self->owner_label), 2);
      gtk_box_prepend (self->meta_box, GTK_WIDGET (self->owner_label));
    }
  if (self->owner_label == NULL)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->owner_label), shown);
  if (self->owner != NULL)
    gtk_label_set_label (self->owner_label, roster_user_get_username (self->owner));
}

static void
on_owner_notify_cb (RosterTaskRow *self)
{
  update_owner (self);
}

/* 6 px between the chips or the owner and the due date (with the box's
 * spacing of 4 and the owner's margin of 2). */
static void
update_due_margin (RosterTaskRow *self)
{
  gboolean chips = self->chip_tags->len > 0 && g_ptr_array_index (self->chip_tags, 0) != NULL;

  if (self->due_label != NULL)
    gtk_widget_set_margin_start (GTK_WIDGET (self->due_label), chips ? 2 : 0);
}

static gboolean
on_due_query_tooltip_cb (GtkWidget  *label,
                         int         x,
                         int         y,
                         gboolean    keyboard_mode,
                         GtkTooltip *tooltip,
                         gpointer    user_data)
{
  g_autofree char *text = g_strdup_printf (_("Due %s"), gtk_label_get_label (GTK_LABEL (label)));

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
update_due (RosterTaskRow *self,
            GDateTime     *due,
            const char    *due_time,
            gboolean       done)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *text = NULL;
  g_autofree char *description = NULL;
  gboolean today, overdue;

  if (due == NULL)
    {
      if (self->due_label != NULL)
        gtk_widget_set_visible (GTK_WIDGET (self->due_label), FALSE);
      return;
    }

  if (self->due_label == NULL)
    {
      self->due_label = new_label ((const char *[]) { "caption", "roster-due", NULL });
      gtk_widget_set_has_tooltip (GTK_WIDGET (self->due_label), TRUE);
      g_signal_connect (self->due_label, "query-tooltip", G_CALLBACK (on_due_query_tooltip_cb), NULL);
      gtk_box_append (self->meta_box, GTK_WIDGET (self->due_label));
      update_due_margin (self);
    }

  now = g_date_time_new_now_local ();
  text = roster_messages_format_due_date (due, now);
  if (due_time != NULL)
    {
      /* Translators: a due date ("Tomorrow", "4 January") and a time ("09:30") */
      char *with_time = g_strdup_printf (_("%s at %s"), text, due_time);

      g_free (text);
      text = with_time;
    }
  description = g_strdup_printf (_("Due %s"), text);
  today = g_date_time_get_year (due) == g_date_time_get_year (now) &&
          g_date_time_get_day_of_year (due) == g_date_time_get_day_of_year (now);
  overdue = !done && !today && g_date_time_compare (due, now) < 0;

  gtk_label_set_label (self->due_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->due_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
  if (overdue)
    gtk_widget_add_css_class (GTK_WIDGET (self->due_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->due_label), "error");
  if (today && !done)
    gtk_widget_add_css_class (GTK_WIDGET (self->due_label), "roster-today");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->due_label), "roster-today");
  gtk_widget_set_visible (GTK_WIDGET (self->due_label), TRUE);
}

static gboolean
on_mark_query_tooltip_cb (GtkWidget  *mark,
                          int         x,
                          int         y,
                          gboolean    keyboard_mode,
                          GtkTooltip *tooltip,
                          gpointer    user_data)
{
  gtk_tooltip_set_text (tooltip, g_object_get_data (G_OBJECT (mark), "roster-tooltip"));
  return TRUE;
}

/* A mark beside the due date that names itself to a screen reader and in
 * its tooltip (from query-tooltip, as the due date's: HACKING, "The task
 * row"). */
static void
set_mark_text (GtkWidget  *mark,
               const char *text)
{
  if (g_strcmp0 (g_object_get_data (G_OBJECT (mark), "roster-tooltip"), text) == 0)
    return;
  g_object_set_data_full (G_OBJECT (mark), "roster-tooltip", g_strdup (text), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (mark), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static GtkWidget *
new_mark (GtkWidget *mark)
{
  gtk_widget_set_has_tooltip (mark, TRUE);
  g_signal_connect (mark, "query-tooltip", G_CALLBACK (on_mark_query_tooltip_cb), NULL);
  return mark;
}

/* The priority mark ("!" to "!!!") and the repeat icon, made for the first
 * task that has one. */
static void
update_plan_marks (RosterTaskRow *self)
{
  RosterPriority priority = roster_task_get_priority (self->task);
  gboolean repeats = *roster_task_get_recurrence (self->task) != '\0';

  if (repeats && self->repeat_icon == NULL)
    {
      self->repeat_icon = GTK_IMAGE (new_mark (gtk_image_new_from_icon_name ("media-playlist-repeat-symbolic")));
      gtk_widget_add_css_class (GTK_WIDGET (self->repeat_icon), "dim-label");
      set_mark_text (GTK_WIDGET (self->repeat_icon), _("Repeats"));
      gtk_box_insert_child_after (self->meta_box, GTK_WIDGET (self->repeat_icon),
                                  self->due_label ? GTK_WIDGET (self->due_label)
                                                  : gtk_widget_get_last_child (GTK_WIDGET (self->meta_box)));
    }
  if (self->repeat_icon != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->repeat_icon), repeats);

  if (priority != ROSTER_PRIORITY_NONE && self->priority_label == NULL)
    {
      self->priority_label = GTK_LABEL (new_mark (GTK_WIDGET (new_label ((const char *[]) {
        "caption-heading", "roster-priority", NULL }))));
      gtk_box_append (self->meta_box, GTK_WIDGET (self->priority_label));
    }
  if (self->priority_label != NULL)
    {
      static const char * const marks[] = { "", "!", "!!", "!!!" };

      gtk_label_set_label (self->priority_label, marks[priority]);
      set_mark_text (GTK_WIDGET (self->priority_label), roster_messages_describe_priority (priority));
      gtk_widget_set_visible (GTK_WIDGET (self->priority_label), priority != ROSTER_PRIORITY_NONE);
    }
}

static void
update_from_task (RosterTaskRow *self)
{
  const char *title;
  gboolean done;
  RosterUser *owner;
  g_autofree char *a11y_label = NULL;

  if (self->task == NULL || self->title_label == NULL)
    return;

  title = roster_task_get_title (self->task);
  done = roster_task_get_done (self->task);
  owner = roster_task_get_owner (self->task);

  gtk_label_set_label (self->title_label, title);
  /* On the title alone: a class on the row would make GTK compute the style
   * of every widget in it again. */
  if (done)
    gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "roster-done");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "roster-done");

  g_signal_handlers_block_matched (self->done_check, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_check_button_set_active (self->done_check, done);
  g_signal_handlers_unblock_matched (self->done_check, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);

  update_due (self, roster_task_get_due_date (self->task), roster_task_get_due_time (self->task), done);
  update_plan_marks (self);

  if (owner != self->owner)
    {
      if (self->owner != NULL)
        g_signal_handlers_disconnect_by_func (self->owner, on_owner_notify_cb, self);
      g_set_object (&self->owner, owner);
      if (self->owner != NULL)
        g_signal_connect_object (self->owner, "notify", G_CALLBACK (on_owner_notify_cb),
                                 self, G_CONNECT_SWAPPED);
    }
  update_owner (self);

  /* A screen reader reads the title and whether the task is done, on the
   * list's item (the row's parent in a GtkListView) as on the row. */
  a11y_label = g_strdup_printf (done ? _("%s, done") : _("%s, not done"), title);
  for (GtkWidget *widget = GTK_WIDGET (self);
       widget != NULL;
       widget = widget == GTK_WIDGET (self) ? gtk_widget_get_parent (widget) : NULL)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, a11y_label,
                                      -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                                   GTK_ACCESSIBLE_STATE_CHECKED,
                                   done ? GTK_ACCESSIBLE_TRISTATE_TRUE : GTK_ACCESSIBLE_TRISTATE_FALSE,
                                   -1);
    }
  /* Translators: accessible name of a task's check button; %s is the title. */
  {
    g_autofree char *check_label = g_strdup_printf (_("Done: %s"), title);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self->done_check),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, check_label,
                                    -1);
  }
}

static void
on_task_notify_cb (RosterTaskRow *self)
{
  update_from_task (self);
}

static void
on_category_notify_cb (RosterChip     *chip,
                       GParamSpec     *pspec,
                       RosterCategory *category)
{
  roster_chip_set_text (chip, roster_category_get_name (category));
  roster_chip_set_color (chip, roster_category_get_color (category));
}

/* Shows @category (or nothing) on the @i-th chip: its name on its colour. */
static void
set_chip_tag (RosterTaskRow  *self,
              guint           i,
              RosterCategory *category)
{
  RosterChip *chip = g_ptr_array_index (self->chips, i);
  RosterCategory *old = g_ptr_array_index (self->chip_tags, i);

  if (old == category)
    return;

  if (old != NULL)
    {
      g_signal_handlers_disconnect_by_func (old, on_category_notify_cb, chip);
      g_object_unref (old);
    }

  self->chip_tags->pdata[i] = category != NULL ? g_object_ref (category) : NULL;
  gtk_widget_set_visible (GTK_WIDGET (chip), category != NULL);
  if (category == NULL)
    {
      roster_chip_set_text (chip, NULL);
      return;
    }

  on_category_notify_cb (chip, NULL, category);
  g_signal_connect_object (category, "notify", G_CALLBACK (on_category_notify_cb),
                           chip, G_CONNECT_SWAPPED);
}

static void
sync_chips (RosterTaskRow *self)
{
  guint n = self->categories != NULL ? g_list_model_get_n_items (self->categories) : 0;

  if (self->meta_box == NULL)
    return;

  for (guint i = 0; i < MAX (n, self->chips->len); i++)
    {
      g_autoptr(RosterCategory) category = i < n ? g_list_model_get_item (self->categories, i) : NULL;

      if (i == self->chips->len)
        {
          GtkWidget *chip = roster_chip_new ();
          GtkWidget *before = i > 0 ? g_ptr_array_index (self->chips, i - 1) : GTK_WIDGET (self->owner_label);

          gtk_widget_set_valign (chip, GTK_ALIGN_CENTER);
          gtk_box_insert_child_after (self->meta_box, chip, before);
          g_ptr_array_add (self->chips, chip);
          g_ptr_array_add (self->chip_tags, NULL);
        }
      set_chip_tag (self, i, category);
    }

  update_due_margin (self);
}

static void
on_categories_items_changed_cb (RosterTaskRow *self)
{
  sync_chips (self);
}

static void
on_done_check_toggled_cb (RosterTaskRow *self)
{
  g_autoptr(RosterTaskRow) hold = g_object_ref (self);
  g_autoptr(RosterTask) task = self->task != NULL ? g_object_ref (self->task) : NULL;
  g_autoptr(GError) error = NULL;
  /* What the check shows, not what the file says: unticked again while the
   * first click waits for the file, it is kept as unticked. */
  gboolean done = gtk_check_button_get_active (self->done_check);

  if (task == NULL)
    return;

  if (roster_edit_queue_set_task_done (roster_edit_queue_get_for_store (self->store), task, done,
                                       &error) == ROSTER_EDIT_FAILED &&
      self->done_check != NULL)
    {
      show_error (self, error);
      update_from_task (self);
    }
}

/* The title, or the rename entry in its place. The flag comes first: hiding
 * the entry moves the focus out of it, and leaving it saves while editing. */
static void
set_editing (RosterTaskRow *self,
             gboolean       editing)
{
  self->editing = editing;
  gtk_widget_set_visible (GTK_WIDGET (self->title_entry), editing);
  gtk_widget_set_visible (GTK_WIDGET (self->title_label), !editing);
}

static void
stop_rename (RosterTaskRow *self)
{
  gboolean had_focus = gtk_widget_has_focus (GTK_WIDGET (self->title_entry)) ||
                       gtk_widget_is_focus (gtk_widget_get_first_child (GTK_WIDGET (self->title_entry)));

  show_error (self, NULL);
  set_editing (self, FALSE);
  /* The keyboard back on the row: its list item, which takes it in a list
   * view (the row itself cannot). */
  if (had_focus && gtk_widget_get_parent (GTK_WIDGET (self)) != NULL)
    gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (self)));
}

static gboolean
commit_rename (RosterTaskRow *self)
{
  /* A change may replace (dispose) this row while the store call runs. */
  g_autoptr(RosterTaskRow) hold = g_object_ref (self);
  g_autoptr(RosterTask) task = self->task != NULL ? g_object_ref (self->task) : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_entry)));
  RosterEditResult result = ROSTER_EDIT_SAVED;

  if (task == NULL)
    return FALSE;

  /* Compared with the title shown: a new one may still wait for the file. */
  if (g_strcmp0 (text, gtk_label_get_label (self->title_label)) != 0)
    result = roster_edit_queue_set_task_title (roster_edit_queue_get_for_store (self->store), task, text, &error);

  /* The row may have been disposed, or given another task, meanwhile. */
  if (self->title_entry == NULL || self->task != task)
    return result != ROSTER_EDIT_FAILED;

  if (result == ROSTER_EDIT_FAILED)
    {
      /* Keep what was typed, say why it was refused. */
      show_error (self, error);
      return FALSE;
    }

  stop_rename (self);
  /* Kept until the file is free (the window's banner says so): the new
   * title shows meanwhile, and the task's notify confirms it once saved. */
  if (result == ROSTER_EDIT_WAITING)
    gtk_label_set_label (self->title_label, text);
  return TRUE;
}

static void
on_title_entry_activate_cb (RosterTaskRow *self)
{
  commit_rename (self);
}

static gboolean
on_title_entry_key_pressed_cb (GtkEventControllerKey *controller,
                               guint                  keyval,
                               guint                  keycode,
                               GdkModifierType        state,
                               RosterTaskRow         *self)
{
  if (keyval == GDK_KEY_Escape)
    {
      stop_rename (self);
      return TRUE;
    }
  return FALSE;
}

static void
on_title_entry_leave_cb (RosterTaskRow *self)
{
  /* Leaving the field saves, like GtkEditableLabel; a refused title stays
   * visible with its error so nothing typed is lost. */
  if (roster_task_row_get_editing (self))
    commit_rename (self);
}

/* Made on the first rename, then kept (hidden) for the next. */
static void
ensure_title_entry (RosterTaskRow *self)
{
  GtkEventController *controller;

  if (self->title_entry != NULL)
    return;

  self->title_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->title_entry), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->title_entry), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->title_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Task title"),
                                  -1);
  g_signal_connect_swapped (self->title_entry, "activate", G_CALLBACK (on_title_entry_activate_cb), self);

  controller = gtk_event_controller_key_new ();
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (on_title_entry_key_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->title_entry), controller);

  controller = gtk_event_controller_focus_new ();
  /* The window may keep the entry (as its focus) after the row is gone. */
  g_signal_connect_object (controller, "leave", G_CALLBACK (on_title_entry_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->title_entry), controller);

  gtk_box_insert_child_after (self->text_box, GTK_WIDGET (self->title_entry), GTK_WIDGET (self->title_label));
}

static GdkContentProvider *
on_drag_prepare_cb (GtkDragSource *source,
                    double         x,
                    double         y,
                    RosterTaskRow *self)
{
  if (self->task == NULL || roster_task_row_get_editing (self))
    return NULL;
  return gdk_content_provider_new_typed (ROSTER_TYPE_TASK, self->task);
}

static void
on_drag_begin_cb (GtkDragSource *source,
                  GdkDrag       *drag,
                  RosterTaskRow *self)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (self));

  gtk_drag_source_set_icon (source, paintable, 0, 0);
}

static guint
index_in_owner_list (RosterStore *store,
                     RosterTask  *task)
{
  g_autoptr(GListModel) tasks = roster_store_list_user_tasks (store, roster_task_get_owner (task));

  return roster_list_find_item (tasks, task);
}

static gboolean
on_drop_cb (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            RosterTaskRow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterTaskRow) hold = g_object_ref (self);
  g_autoptr(RosterTask) here = self->task != NULL ? g_object_ref (self->task) : NULL;
  RosterTask *dropped = g_value_get_object (value);
  RosterEditQueue *edits;
  RosterEditResult result;
  guint index;

  if (dropped == NULL || here == NULL || dropped == here || self->fixed_order)
    return FALSE;

  index = index_in_owner_list (self->store, here);
  if (index == G_MAXUINT)
    return FALSE;

  edits = roster_edit_queue_get_for_store (self->store);
  if (roster_task_get_owner (dropped) != roster_task_get_owner (here))
    /* Dropped from another user's list: give it to this row's owner, here. */
    result = roster_edit_queue_move_task_to (edits, dropped, roster_task_get_owner (here), index, &error);
  else
    result = roster_edit_queue_reorder_task (edits, dropped, index, &error);

  if (result == ROSTER_EDIT_FAILED)
    {
      if (self->text_box != NULL)
        show_error (self, error);
      return FALSE;
    }
  return TRUE;
}

/* The tags popover: made on the first popup, parented to the tags button
 * (whose layout manager keeps it placed), dropped with its task. The button
 * looks pressed while it is open, as a menu button would. */
static void
on_tags_popover_closed_cb (RosterTaskRow *self)
{
  if (self->tags_button != NULL)
    gtk_widget_unset_state_flags (GTK_WIDGET (self->tags_button), GTK_STATE_FLAG_CHECKED);
}

static void
drop_tags_popover (RosterTaskRow *self)
{
  GtkPopover *popover = g_steal_pointer (&self->tags_popover);

  if (popover == NULL)
    return;

  gtk_popover_popdown (popover);
  gtk_widget_unparent (GTK_WIDGET (popover));
  on_tags_popover_closed_cb (self);
}

static void
on_tags_button_clicked_cb (RosterTaskRow *self)
{
  roster_task_row_popup_tags (self);
}

static void
roster_task_row_dispose (GObject *object)
{
  RosterTaskRow *self = (RosterTaskRow *)object;

  roster_task_row_set_task (self, NULL);
  drop_tags_popover (self);
  if (self->chips != NULL)
    for (guint i = 0; i < self->chips->len; i++)
      set_chip_tag (self, i, NULL);

  adw_bin_set_child (ADW_BIN (self), NULL);
  self->done_check = NULL;
  self->text_box = NULL;
  self->title_label = NULL;
  self->title_entry = NULL;
  self->error_label = NULL;
  self->meta_box = NULL;
  self->owner_label = NULL;
  self->due_label = NULL;
  self->repeat_icon = NULL;
  self->priority_label = NULL;
  self->heading_label = NULL;
  self->tags_button = NULL;
  g_clear_pointer (&self->chips, g_ptr_array_unref);
  g_clear_pointer (&self->chip_tags, g_ptr_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (roster_task_row_parent_class)->dispose (object);
}

static void
roster_task_row_class_init (RosterTaskRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_task_row_dispose;

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

/* What every row shows: the drag handle, the done check, the title and the
 * line under it (meta_box), and the tags button. */
static void
roster_task_row_init (RosterTaskRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *handle = g_object_new (GTK_TYPE_IMAGE,
                                    "icon-name", "list-drag-handle-symbolic",
                                    "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                    NULL);
  GtkDragSource *source;
  GtkDropTarget *target;

  self->chips = g_ptr_array_new ();
  self->chip_tags = g_ptr_array_new ();

  gtk_widget_add_css_class (GTK_WIDGET (self), "roster-task-row");
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  set_static_tooltip (handle, N_("Drag to reorder, or onto a user to move"));
  gtk_widget_set_valign (handle, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (handle, "dim-label");
  gtk_box_append (GTK_BOX (box), handle);

  self->done_check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->done_check), GTK_ALIGN_CENTER);
  set_static_tooltip (GTK_WIDGET (self->done_check), N_("Done"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->done_check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Done"),
                                  -1);
  g_signal_connect_swapped (self->done_check, "toggled", G_CALLBACK (on_done_check_toggled_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->done_check));

  self->text_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 3));
  gtk_widget_set_hexpand (GTK_WIDGET (self->text_box), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->text_box), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->text_box));

  self->title_label = new_label ((const char *[]) { "roster-title", NULL });
  /* One line: a wrapping label is measured again for each width. A long
   * title ends in an ellipsis; its tooltip and the details show all of it. */
  gtk_label_set_ellipsize (self->title_label, PANGO_ELLIPSIZE_END);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->title_label), TRUE);
  g_signal_connect (self->title_label, "query-tooltip", G_CALLBACK (on_title_query_tooltip_cb), NULL);
  gtk_box_append (self->text_box, GTK_WIDGET (self->title_label));

  /* Chips 4 px apart; the owner and due labels add 2 px of margin. */
  self->meta_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4));
  gtk_box_append (self->text_box, GTK_WIDGET (self->meta_box));

  self->tags_button = GTK_BUTTON (gtk_button_new_from_icon_name ("bookmark-new-symbolic"));
  gtk_widget_set_valign (GTK_WIDGET (self->tags_button), GTK_ALIGN_CENTER);
  set_static_tooltip (GTK_WIDGET (self->tags_button), N_("Edit Tags"));
  gtk_widget_add_css_class (GTK_WIDGET (self->tags_button), "flat");
  gtk_widget_add_css_class (GTK_WIDGET (self->tags_button), "roster-tags-button");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->tags_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Edit Tags"),
                                  GTK_ACCESSIBLE_PROPERTY_HAS_POPUP, TRUE,
                                  -1);
  g_signal_connect_swapped (self->tags_button, "clicked", G_CALLBACK (on_tags_button_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->tags_button));

  adw_bin_set_child (ADW_BIN (self), box);

  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare_cb), self);
  g_signal_connect (source, "drag-begin", G_CALLBACK (on_drag_begin_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (source));

  target = gtk_drop_target_new (ROSTER_TYPE_TASK, GDK_ACTION_MOVE);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

GtkWidget *
roster_task_row_new (RosterStore *store)
{
  RosterTaskRow *self;

  g_return_val_if_fail (ROSTER_IS_STORE (store), NULL);

  self = g_object_new (ROSTER_TYPE_TASK_ROW, NULL);
  self->store = g_object_ref (store);

  return GTK_WIDGET (self);
}

void
roster_task_row_set_task (RosterTaskRow *self,
                          RosterTask    *task)
{
  g_return_if_fail (ROSTER_IS_TASK_ROW (self));
  g_return_if_fail (task == NULL || ROSTER_IS_TASK (task));

  if (self->task == task)
    return;

  if (self->task != NULL)
    {
      /* The tags popover and an unfinished rename belong to the old task.
       * A popover still shown would also outlive the row. */
      drop_tags_popover (self);
      show_error (self, NULL);
      if (self->editing)
        set_editing (self, FALSE);

      g_signal_handlers_disconnect_by_data (self->task, self);
      g_signal_handlers_disconnect_by_data (self->categories, self);
      if (self->owner != NULL)
        g_signal_handlers_disconnect_by_data (self->owner, self);
      g_clear_object (&self->categories);
      g_clear_object (&self->owner);
      g_clear_object (&self->task);
    }

  /* Unbound, the row keeps its chips and labels for the next task. */
  if (task == NULL)
    return;

  self->task = g_object_ref (task);
  self->categories = roster_store_list_task_categories (self->store, task);
  g_signal_connect_object (task, "notify", G_CALLBACK (on_task_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->categories, "items-changed",
                           G_CALLBACK (on_categories_items_changed_cb), self, G_CONNECT_SWAPPED);

  update_from_task (self);
  sync_chips (self);
}

void
roster_task_row_set_show_owner (RosterTaskRow *self,
                                gboolean       show_owner)
{
  g_return_if_fail (ROSTER_IS_TASK_ROW (self));

  self->show_owner = !!show_owner;
  update_owner (self);
}

void
roster_task_row_set_reorderable (RosterTaskRow *self,
                                 gboolean       reorderable)
{
  g_return_if_fail (ROSTER_IS_TASK_ROW (self));

  self->fixed_order = !reorderable;
}

void
roster_task_row_set_heading (RosterTaskRow *self,
                             const char    *heading)
{
  GtkWidget *box;

  g_return_if_fail (ROSTER_IS_TASK_ROW (self));

  if (heading != NULL && self->heading_label == NULL)
    {
      /* Made for the first heading: the row's box goes under it. */
      GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

      self->heading_label = GTK_LABEL (g_object_new (GTK_TYPE_LABEL,
                                                     "accessible-role", GTK_ACCESSIBLE_ROLE_HEADING,
                                                     "xalign", 0.0f,
                                                     "margin-start", 6,
                                                     "margin-top", 12,
                                                     NULL));
      gtk_widget_add_css_class (GTK_WIDGET (self->heading_label), "heading");
      box = g_object_ref (adw_bin_get_child (ADW_BIN (self)));
      adw_bin_set_child (ADW_BIN (self), outer);
      gtk_box_append (GTK_BOX (outer), GTK_WIDGET (self->heading_label));
      gtk_box_append (GTK_BOX (outer), box);
      g_object_unref (box);
    }
  if (self->heading_label == NULL)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->heading_label), heading != NULL);
  if (heading != NULL && g_strcmp0 (gtk_label_get_label (self->heading_label), heading) != 0)
    gtk_label_set_label (self->heading_label, heading);
}

RosterTask *
roster_task_row_get_task (RosterTaskRow *self)
{
  g_return_val_if_fail (ROSTER_IS_TASK_ROW (self), NULL);

  return self->task;
}

gboolean
roster_task_row_get_editing (RosterTaskRow *self)
{
  g_return_val_if_fail (ROSTER_IS_TASK_ROW (self), FALSE);

  return self->editing;
}

void
roster_task_row_start_rename (RosterTaskRow *self)
{
  g_return_if_fail (ROSTER_IS_TASK_ROW (self));

  if (self->task == NULL || self->text_box == NULL)
    return;

  ensure_title_entry (self);
  show_error (self, NULL);
  /* The title shown: a new one may still wait for the file. */
  gtk_editable_set_text (GTK_EDITABLE (self->title_entry), gtk_label_get_label (self->title_label));
  set_editing (self, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->title_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->title_entry), 0, -1);
}

GtkPopover *
roster_task_row_popup_tags (RosterTaskRow *self)
{
  g_return_val_if_fail (ROSTER_IS_TASK_ROW (self), NULL);

  if (self->task == NULL || self->tags_button == NULL)
    return NULL;

  if (self->tags_popover == NULL)
    {
      self->tags_popover = GTK_POPOVER (roster_tags_popover_new (self->store, self->task));
      gtk_widget_set_parent (GTK_WIDGET (self->tags_popover), GTK_WIDGET (self->tags_button));
      g_signal_connect_object (self->tags_popover, "closed", G_CALLBACK (on_tags_popover_closed_cb),
                               self, G_CONNECT_SWAPPED);
    }
  gtk_widget_set_state_flags (GTK_WIDGET (self->tags_button), GTK_STATE_FLAG_CHECKED, FALSE);
  gtk_popover_popup (self->tags_popover);
  return self->tags_popover;
}
