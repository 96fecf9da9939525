/* roster-task-details.c: the details pane of the selected task.
 *
 * Follows the task (any notify refreshes the fields that are not being
 * edited); saves the title on Enter or when leaving the field, the notes when
 * leaving the text view, the due date on a click in the calendar, the due
 * time on Enter or when leaving its field, the priority, the repeat rule and
 * the owner on a choice. Changes go to the store through its
 * edit queue, which keeps one the file refuses while another program holds
 * it: the field then keeps what was asked for, without an error.
 */
#define G_LOG_DOMAIN "roster-task-details"

#include <glib/gi18n.h>

#include "roster-entry-error.h"
#include "roster-messages.h"
#include "roster-repeat-editor.h"
#include "roster-tags-popover.h"
#include "roster-task-details.h"

struct _RosterTaskDetails
{
  AdwBin          parent_instance;

  RosterStore    *store;
  RosterTask     *task;
  GListModel     *users;
  gboolean        syncing;

  GtkStack       *stack;
  GtkEntry       *title_entry;
  GtkLabel       *title_error;
  GtkTextView    *notes_view;
  GtkMenuButton  *due_button;
  GtkPopover     *due_popover;
  GtkCalendar    *calendar;
  GtkButton      *clear_due_button;
  GtkEntry       *due_time_entry;
  GtkLabel       *due_time_error;
  GtkDropDown    *priority_dropdown;
  RosterRepeatEditor *repeat_editor;
  GtkDropDown    *owner_dropdown;
  GtkMenuButton  *tags_button;
  GtkLabel       *error_label;
};

G_DEFINE_FINAL_TYPE (RosterTaskDetails, roster_task_details, ADW_TYPE_BIN)

enum {
  CLOSE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* @label is the title's error (under the title field) or the pane's. */
static void
show_error (RosterTaskDetails *self,
            GtkLabel          *label,
            const GError      *error)
{
  GtkWidget *entry = label == self->title_error ? GTK_WIDGET (self->title_entry)
                    : label == self->due_time_error ? GTK_WIDGET (self->due_time_entry) : NULL;

  roster_entry_error_show (entry, label, error, ROSTER_SUBJECT_TASK);
}

static char *
get_notes_text (RosterTaskDetails *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static RosterEditQueue *
get_edits (RosterTaskDetails *self)
{
  return roster_edit_queue_get_for_store (self->store);
}

static void
show_due_date (RosterTaskDetails *self,
               GDateTime         *due)
{
  if (due != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *text = roster_messages_format_due_date (due, now);
      g_autofree char *a11y = g_strdup_printf (_("Due date: %s"), text);

      gtk_menu_button_set_label (self->due_button, text);
      gtk_calendar_select_day (self->calendar, due);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->due_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
    }
  else
    {
      gtk_menu_button_set_label (self->due_button, _("No Due Date"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->due_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Due date: none"), -1);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_due_button), due != NULL);
  /* A time is on a day: none without a due date. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->due_time_entry), due != NULL);
}

/* The plan fields: the time (unless it is being typed), the priority and
 * the repeat rule. */
static void
show_plan (RosterTaskDetails *self,
           gboolean           force)
{
  if (force || gtk_widget_get_focus_child (GTK_WIDGET (self->due_time_entry)) == NULL)
    {
      const char *time = roster_task_get_due_time (self->task);

      gtk_editable_set_text (GTK_EDITABLE (self->due_time_entry), time != NULL ? time : "");
    }
  gtk_drop_down_set_selected (self->priority_dropdown, roster_task_get_priority (self->task));
  roster_repeat_editor_set_rule (self->repeat_editor, roster_task_get_recurrence (self->task),
                                 roster_task_get_due_date (self->task));
}

static void
sync_from_task_full (RosterTaskDetails *self,
                     gboolean           force)
{
  RosterUser *owner;
  guint n;

  if (self->task == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  self->syncing = TRUE;

  /* The owner list is given to the drop-down when a task is first shown,
   * not with the store: its popover makes a row for every user it can (up
   * to 200), which the window's first frame does not need. */
  if (gtk_drop_down_get_model (self->owner_dropdown) != self->users)
    gtk_drop_down_set_model (self->owner_dropdown, self->users);

  gtk_stack_set_visible_child_name (self->stack, "task");

  if (force || gtk_widget_get_focus_child (GTK_WIDGET (self->title_entry)) == NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->title_entry), roster_task_get_title (self->task));

  if (force || !gtk_widget_has_focus (GTK_WIDGET (self->notes_view)))
    {
      const char *notes = roster_task_get_notes (self->task);

      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view),
                                notes != NULL ? notes : "", -1);
    }

  show_due_date (self, roster_task_get_due_date (self->task));
  show_plan (self, force);

  owner = roster_task_get_owner (self->task);
  n = self->users != NULL ? g_list_model_get_n_items (self->users) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RosterUser) user = g_list_model_get_item (self->users, i);

      if (user == owner)
        {
          gtk_drop_down_set_selected (self->owner_dropdown, i);
          break;
        }
    }

  self->syncing = FALSE;
}

static void
sync_from_task (RosterTaskDetails *self)
{
  sync_from_task_full (self, FALSE);
}

static void
on_task_notify_cb (RosterTaskDetails *self)
{
  sync_from_task (self);
}

static void
save_title (RosterTaskDetails *self)
{
  g_autoptr(GError) error = NULL;
  const char *text;

  if (self->task == NULL)
    return;

  text = gtk_editable_get_text (GTK_EDITABLE (self->title_entry));
  if (g_strcmp0 (text, roster_task_get_title (self->task)) == 0)
    {
      show_error (self, self->title_error, NULL);
      return;
    }

  if (roster_edit_queue_set_task_title (get_edits (self), self->task, text, &error) == ROSTER_EDIT_FAILED)
    {
      show_error (self, self->title_error, error);
      return;
    }
  show_error (self, self->title_error, NULL);
}

static void
save_notes (RosterTaskDetails *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *notes;

  if (self->task == NULL)
    return;

  text = get_notes_text (self);
  notes = roster_task_get_notes (self->task);
  if (g_strcmp0 (text, notes != NULL ? notes : "") == 0)
    return;

  roster_edit_queue_set_task_notes (get_edits (self), self->task, text, &error);
  show_error (self, self->error_label, error);
}

static void
on_title_entry_activate_cb (RosterTaskDetails *self)
{
  save_title (self);
}

static void
on_close_button_clicked_cb (RosterTaskDetails *self)
{
  g_signal_emit (self, signals[CLOSE_REQUESTED], 0);
}

/* @date NULL clears it. Waiting for the file, the button shows it already. */
static void
set_due_date (RosterTaskDetails *self,
              GDateTime         *date)
{
  g_autoptr(GError) error = NULL;

  switch (roster_edit_queue_set_task_due_date (get_edits (self), self->task, date, &error))
    {
    case ROSTER_EDIT_FAILED:
      show_error (self, self->error_label, error);
      break;
    case ROSTER_EDIT_WAITING:
      self->syncing = TRUE;
      show_due_date (self, date);
      self->syncing = FALSE;
      break;
    case ROSTER_EDIT_SAVED:
    case ROSTER_EDIT_RUNNING:
    default:
      break;
    }
}

static void
on_calendar_day_selected_cb (RosterTaskDetails *self)
{
  g_autoptr(GDateTime) date = NULL;
  GDateTime *due;

  if (self->syncing || self->task == NULL)
    return;

  date = gtk_calendar_get_date (self->calendar);
  due = roster_task_get_due_date (self->task);
  if (due != NULL &&
      g_date_time_get_year (due) == g_date_time_get_year (date) &&
      g_date_time_get_day_of_year (due) == g_date_time_get_day_of_year (date))
    return;

  set_due_date (self, date);
  gtk_popover_popdown (self->due_popover);
}

static void
on_clear_due_button_clicked_cb (RosterTaskDetails *self)
{
  if (self->task == NULL)
    return;
  set_due_date (self, NULL);
}

/* Enter, or leaving the field: the time as typed ("9:30"), or none when it
 * is empty. Text that is no time stays, with a line that says so. */
static void
save_due_time (RosterTaskDetails *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *time = NULL;
  g_autofree char *stripped = NULL;
  const char *text;

  if (self->task == NULL || roster_task_get_due_date (self->task) == NULL)
    return;
  text = gtk_editable_get_text (GTK_EDITABLE (self->due_time_entry));
  stripped = g_strstrip (g_strdup (text));
  /* Text that is no time goes as typed: the queue refuses it, naming it. */
  if (*stripped != '\0')
    time = roster_messages_parse_time (text);
  if (time == NULL && *stripped != '\0')
    time = g_strdup (text);
  if (g_strcmp0 (time, roster_task_get_due_time (self->task)) == 0)
    {
      show_error (self, self->due_time_error, NULL);
      return;
    }
  if (roster_edit_queue_set_task_due_time (get_edits (self), self->task, time, &error) == ROSTER_EDIT_FAILED)
    {
      show_error (self, self->due_time_error, error);
      return;
    }
  show_error (self, self->due_time_error, NULL);
  if (time != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->due_time_entry), time);
}

static void
on_due_time_activate_cb (RosterTaskDetails *self)
{
  save_due_time (self);
}

static void
on_priority_selected_cb (RosterTaskDetails *self)
{
  g_autoptr(GError) error = NULL;
  RosterPriority priority = gtk_drop_down_get_selected (self->priority_dropdown);

  if (self->syncing || self->task == NULL || priority == roster_task_get_priority (self->task))
    return;
  if (roster_edit_queue_set_task_priority (get_edits (self), self->task, priority, &error) == ROSTER_EDIT_FAILED)
    {
      show_error (self, self->error_label, error);
      sync_from_task (self);
    }
}

static void
on_rule_changed_cb (RosterTaskDetails *self)
{
  g_autoptr(GError) error = NULL;
  const char *rule = roster_repeat_editor_get_rule (self->repeat_editor);

  if (self->syncing || self->task == NULL)
    return;
  if (roster_edit_queue_set_task_recurrence (get_edits (self), self->task, rule, &error) == ROSTER_EDIT_FAILED)
    {
      show_error (self, self->error_label, error);
      sync_from_task (self);
    }
}

static void
on_owner_selected_cb (RosterTaskDetails *self)
{
  g_autoptr(GError) error = NULL;
  RosterUser *user;

  if (self->syncing || self->task == NULL)
    return;

  user = gtk_drop_down_get_selected_item (self->owner_dropdown);
  if (user == NULL || user == roster_task_get_owner (self->task))
    return;

  if (roster_edit_queue_move_task (get_edits (self), self->task, user, &error) == ROSTER_EDIT_FAILED)
    {
      show_error (self, self->error_label, error);
      sync_from_task (self);
    }
}

static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   RosterTaskDetails     *self)
{
  /* Escape leaves the pane without saving the field being edited. */
  if (keyval != GDK_KEY_Escape)
    return FALSE;
  show_error (self, self->title_error, NULL);
  sync_from_task_full (self, TRUE);
  g_signal_emit (self, signals[CLOSE_REQUESTED], 0);
  return TRUE;
}

static char *
get_username_cb (RosterUser *user)
{
  return g_strdup (user != NULL ? roster_user_get_username (user) : "");
}

static void
create_tags_popup_cb (GtkMenuButton *button,
                      gpointer       user_data)
{
  RosterTaskDetails *self = user_data;

  if (self->task == NULL)
    return;
  if (gtk_menu_button_get_popover (button) == NULL)
    gtk_menu_button_set_popover (button, roster_tags_popover_new (self->store, self->task));
}

static void
roster_task_details_dispose (GObject *object)
{
  RosterTaskDetails *self = (RosterTaskDetails *)object;

  roster_task_details_set_task (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_TASK_DETAILS);
  g_clear_object (&self->users);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (roster_task_details_parent_class)->dispose (object);
}

static void
roster_task_details_class_init (RosterTaskDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_task_details_dispose;

  signals[CLOSE_REQUESTED] =
    g_signal_new ("close-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rosterapp/Roster/roster-task-details.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterTaskDetails, stack);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskDetails, title_entry);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskDetails, title_error);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskDetails, notes_view);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskDetails, due_button);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskDetails, due_popover);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskDetails, calendar);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskDetails, clear_due_button);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskDetails, due_time_entry);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskDetails, due_time_error);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskDetails, priority_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskDetails, repeat_editor);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskDetails, owner_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskDetails, tags_button);
  gtk_widget_class_bind_template_child (widget_class, RosterTaskDetails, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_title_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_close_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_calendar_day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_due_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_due_time_activate_cb);

  g_type_ensure (ROSTER_TYPE_REPEAT_EDITOR);
}

static void
roster_task_details_init (RosterTaskDetails *self)
{
  GtkEventController *controller;
  GtkExpression *expression;

  gtk_widget_init_template (GTK_WIDGET (self));

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect_object (controller, "leave", G_CALLBACK (save_title), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->title_entry), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect_object (controller, "leave", G_CALLBACK (save_notes), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->notes_view), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect_object (controller, "leave", G_CALLBACK (save_due_time), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->due_time_entry), controller);

  g_signal_connect_swapped (self->priority_dropdown, "notify::selected", G_CALLBACK (on_priority_selected_cb), self);
  g_signal_connect_swapped (self->repeat_editor, "rule-changed", G_CALLBACK (on_rule_changed_cb), self);

  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                            G_CALLBACK (get_username_cb), NULL, NULL);
  gtk_drop_down_set_expression (self->owner_dropdown, expression);
  gtk_expression_unref (expression);
  g_signal_connect_swapped (self->owner_dropdown, "notify::selected",
                            G_CALLBACK (on_owner_selected_cb), self);
  /* GtkDropDown's own button is otherwise read as "GtkToggleButton". */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->owner_dropdown));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Owner"),
                                      -1);

  gtk_menu_button_set_create_popup_func (self->tags_button, create_tags_popup_cb, self, NULL);

  sync_from_task (self);
}

void
roster_task_details_set_store (RosterTaskDetails *self,
                               RosterStore       *store)
{
  g_return_if_fail (ROSTER_IS_TASK_DETAILS (self));

  if (!g_set_object (&self->store, store))
    return;

  g_clear_object (&self->users);
  if (store != NULL)
    self->users = roster_store_list_users (store);

  self->syncing = TRUE;
  gtk_drop_down_set_model (self->owner_dropdown, NULL);
  self->syncing = FALSE;
  if (self->task != NULL)
    sync_from_task (self);
}

RosterTask *
roster_task_details_get_task (RosterTaskDetails *self)
{
  g_return_val_if_fail (ROSTER_IS_TASK_DETAILS (self), NULL);

  return self->task;
}

void
roster_task_details_set_task (RosterTaskDetails *self,
                              RosterTask        *task)
{
  g_return_if_fail (ROSTER_IS_TASK_DETAILS (self));

  if (self->task == task)
    return;

  if (self->task != NULL)
    {
      /* Leaving a task keeps what was typed for it. */
      if (gtk_widget_get_focus_child (GTK_WIDGET (self->title_entry)) != NULL)
        save_title (self);
      if (gtk_widget_get_focus_child (GTK_WIDGET (self->due_time_entry)) != NULL)
        save_due_time (self);
      save_notes (self);
      g_signal_handlers_disconnect_by_data (self->task, self);
    }

  g_set_object (&self->task, task);

  if (self->task != NULL)
    g_signal_connect_object (self->task, "notify", G_CALLBACK (on_task_notify_cb),
                             self, G_CONNECT_SWAPPED);

  /* The tags popover belongs to one task; the next popup makes a new one. */
  if (self->tags_button != NULL && gtk_menu_button_get_popover (self->tags_button) != NULL)
    {
      gtk_menu_button_popdown (self->tags_button);
      gtk_menu_button_set_popover (self->tags_button, NULL);
    }

  if (self->title_error != NULL)
    {
      show_error (self, self->title_error, NULL);
      show_error (self, self->due_time_error, NULL);
      show_error (self, self->error_label, NULL);
      sync_from_task_full (self, TRUE);
    }
}

void
roster_task_details_focus (RosterTaskDetails *self)
{
  g_return_if_fail (ROSTER_IS_TASK_DETAILS (self));

  if (self->task != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->title_entry));
}
