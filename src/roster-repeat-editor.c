/* roster-repeat-editor.c: the details pane's Repeat controls (see the header).
 *
 * The controls are a RosterRepeat (roster-recurrence.h) laid out for a
 * person; the model layer reads and writes the rule, so that nothing here
 * knows RRULE syntax. Every change a person makes is written as a rule at
 * once and said with "rule-changed"; a rule set from outside only moves the
 * controls (self->syncing keeps their signals quiet meanwhile).
 */
#define G_LOG_DOMAIN "roster-repeat-editor"

#include <glib/gi18n.h>

#include "roster-model.h"
#include "roster-repeat-editor.h"

/* The rows of frequency_dropdown, in its order. */
enum { FREQ_NONE, FREQ_DAILY, FREQ_WEEKDAYS, FREQ_WEEKLY, FREQ_MONTHLY, FREQ_YEARLY };
/* The rows of monthly_dropdown: the last one only for the 29th to the 31st
 * (or a rule that says so). */
enum { MONTHLY_SAME_DAY, MONTHLY_SAME_WEEKDAY, MONTHLY_LAST_DAY };
/* The rows of end_dropdown. */
enum { END_NEVER, END_ON_DATE, END_AFTER };

struct _RosterRepeatEditor
{
  AdwBin          parent_instance;

  char           *rule;
  GDateTime      *due;
  gboolean        syncing;

  GtkWidget      *controls;
  GtkDropDown    *frequency_dropdown;
  GtkWidget      *interval_box;
  GtkSpinButton  *interval_spin;
  GtkLabel       *interval_unit;
  GtkBox         *weekdays_box;
  GtkToggleButton *weekday_toggles[7];
  GtkDropDown    *monthly_dropdown;
  GtkStringList  *monthly_options;
  GtkWidget      *end_box;
  GtkDropDown    *end_dropdown;
  GtkMenuButton  *until_button;
  GtkPopover     *until_popover;
  GtkCalendar    *until_calendar;
  GtkSpinButton  *count_spin;
  GtkLabel       *count_unit;
  GtkLabel       *off_label;
  GtkLabel       *more_label;
};

G_DEFINE_FINAL_TYPE (RosterRepeatEditor, roster_repeat_editor, ADW_TYPE_BIN)

enum {
  RULE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Which of its weekday @due is in its month: 1 to 4, or -1 for the last. */
static int
week_number_of (GDateTime *due)
{
  int day = g_date_time_get_day_of_month (due);
  int n_days = g_date_get_days_in_month (g_date_time_get_month (due), g_date_time_get_year (due));

  if (day + 7 > n_days && (day - 1) / 7 + 1 >= 4)
    return -1;
  return (day - 1) / 7 + 1;
}

static char *
describe_same_weekday (GDateTime *due)
{
  g_autofree char *weekday = g_date_time_format (due, "%A");

  switch (week_number_of (due))
    {
    case 1:
      /* Translators: %s is a weekday: "On the first Monday" (of each month) */
      return g_strdup_printf (_("On the first %s"), weekday);
    case 2:
      return g_strdup_printf (_("On the second %s"), weekday);
    case 3:
      return g_strdup_printf (_("On the third %s"), weekday);
    case 4:
      return g_strdup_printf (_("On the fourth %s"), weekday);
    default:
      return g_strdup_printf (_("On the last %s"), weekday);
    }
}

/* The month options for @due; "on the last day" only from the 29th on, or
 * when @last_day (the rule already says so). */
static void
fill_monthly_options (RosterRepeatEditor *self,
                      gboolean            last_day)
{
  g_autofree char *same_day = NULL;
  g_autofree char *same_weekday = NULL;
  const char *options[4] = { NULL };

  if (self->due == NULL)
    return;
  same_day = g_strdup_printf (_("On day %d"), g_date_time_get_day_of_month (self->due));
  same_weekday = describe_same_weekday (self->due);
  options[0] = same_day;
  options[1] = same_weekday;
  if (last_day || g_date_time_get_day_of_month (self->due) >= 29)
    options[2] = _("On the last day");

  /* Kept when it says the same: a choice in this drop-down comes back here
   * (saved, the task notifies, the pane shows the rule again), and a new
   * model would free the selection that is still being changed. */
  if (self->monthly_options != NULL &&
      g_list_model_get_n_items (G_LIST_MODEL (self->monthly_options)) == g_strv_length ((char **) options))
    {
      gboolean same = TRUE;

      for (guint i = 0; options[i] != NULL; i++)
        same &= g_strcmp0 (gtk_string_list_get_string (self->monthly_options, i), options[i]) == 0;
      if (same)
        return;
    }
  g_clear_object (&self->monthly_options);
  self->monthly_options = gtk_string_list_new (options);
  gtk_drop_down_set_model (self->monthly_dropdown, G_LIST_MODEL (self->monthly_options));
}

static void
update_units (RosterRepeatEditor *self)
{
  guint frequency = gtk_drop_down_get_selected (self->frequency_dropdown);
  guint n = gtk_spin_button_get_value_as_int (self->interval_spin);
  guint count = gtk_spin_button_get_value_as_int (self->count_spin);
  const char *unit;

  switch (frequency)
    {
    case FREQ_DAILY:
      unit = g_dngettext (NULL, "day", "days", n);
      break;
    case FREQ_WEEKLY:
      unit = g_dngettext (NULL, "week", "weeks", n);
      break;
    case FREQ_MONTHLY:
      unit = g_dngettext (NULL, "month", "months", n);
      break;
    case FREQ_YEARLY:
    default:
      unit = g_dngettext (NULL, "year", "years", n);
      break;
    }
  gtk_label_set_label (self->interval_unit, unit);
  /* Translators: after a number: "Ends after 10 times" */
  gtk_label_set_label (self->count_unit, g_dngettext (NULL, "time", "times", count));
}

static void
update_visibility (RosterRepeatEditor *self)
{
  guint frequency = gtk_drop_down_get_selected (self->frequency_dropdown);
  guint end = gtk_drop_down_get_selected (self->end_dropdown);
  gboolean repeats = frequency != FREQ_NONE;

  gtk_widget_set_sensitive (self->controls, self->due != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->off_label), self->due == NULL);
  gtk_widget_set_visible (self->interval_box, repeats && frequency != FREQ_WEEKDAYS);
  gtk_widget_set_visible (GTK_WIDGET (self->weekdays_box), frequency == FREQ_WEEKLY);
  gtk_widget_set_visible (GTK_WIDGET (self->monthly_dropdown), frequency == FREQ_MONTHLY);
  gtk_widget_set_visible (self->end_box, repeats);
  gtk_widget_set_visible (GTK_WIDGET (self->until_button), end == END_ON_DATE);
  gtk_widget_set_visible (GTK_WIDGET (self->count_spin), end == END_AFTER);
  gtk_widget_set_visible (GTK_WIDGET (self->count_unit), end == END_AFTER);
  update_units (self);
}

static void
show_until (RosterRepeatEditor *self)
{
  g_autoptr(GDateTime) until = gtk_calendar_get_date (self->until_calendar);
  g_autofree char *text = g_date_time_format (until, _("%-d %B %Y"));
  g_autofree char *a11y = g_strdup_printf (_("Last day: %s"), text);

  gtk_menu_button_set_label (self->until_button, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->until_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
}

/* The rule the controls describe. */
static char *
read_controls (RosterRepeatEditor *self)
{
  RosterRepeat repeat = { ROSTER_REPEAT_NONE, 1 };
  guint frequency = gtk_drop_down_get_selected (self->frequency_dropdown);
  guint due_weekday = self->due ? g_date_time_get_day_of_week (self->due) - 1 : 0;

  repeat.interval = gtk_spin_button_get_value_as_int (self->interval_spin);
  switch (frequency)
    {
    case FREQ_DAILY:
      repeat.frequency = ROSTER_REPEAT_DAILY;
      break;
    case FREQ_WEEKDAYS:
      repeat.frequency = ROSTER_REPEAT_WEEKLY;
      repeat.interval = 1;
      repeat.weekdays = ROSTER_REPEAT_WORKDAYS;
      break;
    case FREQ_WEEKLY:
      repeat.frequency = ROSTER_REPEAT_WEEKLY;
      for (guint i = 0; i < 7; i++)
        if (gtk_toggle_button_get_active (self->weekday_toggles[i]))
          repeat.weekdays |= ROSTER_REPEAT_WEEKDAY (i);
      if (repeat.weekdays == 0)
        repeat.weekdays = ROSTER_REPEAT_WEEKDAY (due_weekday);
      break;
    case FREQ_MONTHLY:
      repeat.frequency = ROSTER_REPEAT_MONTHLY;
      switch (gtk_drop_down_get_selected (self->monthly_dropdown))
        {
        case MONTHLY_SAME_WEEKDAY:
          repeat.weekdays = ROSTER_REPEAT_WEEKDAY (due_weekday);
          repeat.week_number = self->due ? week_number_of (self->due) : 1;
          break;
        case MONTHLY_LAST_DAY:
          repeat.month_day = -1;
          break;
        default:
          break;
        }
      break;
    case FREQ_YEARLY:
      repeat.frequency = ROSTER_REPEAT_YEARLY;
      break;
    case FREQ_NONE:
    default:
      return g_strdup ("");
    }

  switch (gtk_drop_down_get_selected (self->end_dropdown))
    {
    case END_ON_DATE:
      {
        g_autoptr(GDateTime) until = gtk_calendar_get_date (self->until_calendar);

        g_date_time_get_ymd (until, &repeat.until_year, &repeat.until_month, &repeat.until_day);
      }
      break;
    case END_AFTER:
      repeat.count = gtk_spin_button_get_value_as_int (self->count_spin);
      break;
    default:
      break;
    }
  return roster_repeat_to_rule (&repeat);
}

static void
on_control_changed_cb (RosterRepeatEditor *self)
{
  g_autofree char *rule = NULL;

  if (self->syncing)
    return;
  update_visibility (self);
  rule = read_controls (self);
  if (g_strcmp0 (rule, self->rule) == 0)
    return;
  g_free (self->rule);
  self->rule = g_steal_pointer (&rule);
  gtk_widget_set_visible (GTK_WIDGET (self->more_label), FALSE);
  g_signal_emit (self, signals[RULE_CHANGED], 0);
}

/* A new frequency starts from what fits the due date: its weekday ticked. */
static void
on_frequency_changed_cb (RosterRepeatEditor *self)
{
  if (self->syncing || self->due == NULL)
    return;
  self->syncing = TRUE;
  for (guint i = 0; i < 7; i++)
    gtk_toggle_button_set_active (self->weekday_toggles[i], i == (guint) g_date_time_get_day_of_week (self->due) - 1);
  self->syncing = FALSE;
  on_control_changed_cb (self);
}

static void
on_until_day_selected_cb (RosterRepeatEditor *self)
{
  show_until (self);
  if (self->syncing)
    return;
  gtk_popover_popdown (self->until_popover);
  on_control_changed_cb (self);
}

static void
select_until (RosterRepeatEditor *self,
              const RosterRepeat *repeat)
{
  g_autoptr(GDateTime) until = NULL;

  if (repeat->until_year > 0)
    until = g_date_time_new_local (repeat->until_year, repeat->until_month, repeat->until_day, 0, 0, 0);
  else if (self->due != NULL)
    until = g_date_time_add_months (self->due, 3);
  else
    until = g_date_time_new_now_local ();
  gtk_calendar_select_day (self->until_calendar, until);
  show_until (self);
}

void
roster_repeat_editor_set_rule (RosterRepeatEditor *self,
                               const char         *rule,
                               GDateTime          *due)
{
  RosterRepeat repeat;
  guint frequency = FREQ_NONE;
  guint monthly = MONTHLY_SAME_DAY;
  guint end = END_NEVER;

  g_return_if_fail (ROSTER_IS_REPEAT_EDITOR (self));

  g_free (self->rule);
  self->rule = g_strdup (rule != NULL ? rule : "");
  g_clear_pointer (&self->due, g_date_time_unref);
  self->due = due != NULL ? g_date_time_ref (due) : NULL;

  self->syncing = TRUE;
  roster_repeat_parse (self->rule, &repeat);
  switch (repeat.frequency)
    {
    case ROSTER_REPEAT_DAILY:
      frequency = FREQ_DAILY;
      break;
    case ROSTER_REPEAT_WEEKLY:
      frequency = repeat.weekdays == ROSTER_REPEAT_WORKDAYS && repeat.interval == 1 ? FREQ_WEEKDAYS : FREQ_WEEKLY;
      break;
    case ROSTER_REPEAT_MONTHLY:
      frequency = FREQ_MONTHLY;
      if (repeat.month_day == -1)
        monthly = MONTHLY_LAST_DAY;
      else if (repeat.week_number != 0)
        monthly = MONTHLY_SAME_WEEKDAY;
      break;
    case ROSTER_REPEAT_YEARLY:
      frequency = FREQ_YEARLY;
      break;
    case ROSTER_REPEAT_NONE:
    default:
      break;
    }
  if (repeat.count > 0)
    end = END_AFTER;
  else if (repeat.until_year > 0)
    end = END_ON_DATE;

  gtk_drop_down_set_selected (self->frequency_dropdown, frequency);
  gtk_spin_button_set_value (self->interval_spin, repeat.interval);
  for (guint i = 0; i < 7; i++)
    gtk_toggle_button_set_active (self->weekday_toggles[i],
                                  repeat.weekdays != 0 ? (repeat.weekdays & ROSTER_REPEAT_WEEKDAY (i)) != 0
                                                       : due != NULL && i == (guint) g_date_time_get_day_of_week (due) - 1);
  fill_monthly_options (self, monthly == MONTHLY_LAST_DAY);
  gtk_drop_down_set_selected (self->monthly_dropdown, monthly);
  gtk_drop_down_set_selected (self->end_dropdown, end);
  if (repeat.count > 0)
    gtk_spin_button_set_value (self->count_spin, repeat.count);
  select_until (self, &repeat);

  if (repeat.more)
    {
      g_autofree char *text = g_strdup_printf (_("Repeats by a rule these controls show only in part (%s). "
                                                 "A change here replaces it."), self->rule);
      gtk_label_set_label (self->more_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->more_label), repeat.more);
  update_visibility (self);
  self->syncing = FALSE;
}

const char *
roster_repeat_editor_get_rule (RosterRepeatEditor *self)
{
  g_return_val_if_fail (ROSTER_IS_REPEAT_EDITOR (self), "");

  return self->rule;
}

static void
roster_repeat_editor_dispose (GObject *object)
{
  RosterRepeatEditor *self = ROSTER_REPEAT_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_REPEAT_EDITOR);
  g_clear_object (&self->monthly_options);

  G_OBJECT_CLASS (roster_repeat_editor_parent_class)->dispose (object);
}

static void
roster_repeat_editor_finalize (GObject *object)
{
  RosterRepeatEditor *self = ROSTER_REPEAT_EDITOR (object);

  g_free (self->rule);
  g_clear_pointer (&self->due, g_date_time_unref);

  G_OBJECT_CLASS (roster_repeat_editor_parent_class)->finalize (object);
}

static void
roster_repeat_editor_class_init (RosterRepeatEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_repeat_editor_dispose;
  object_class->finalize = roster_repeat_editor_finalize;

  signals[RULE_CHANGED] =
    g_signal_new ("rule-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rosterapp/Roster/roster-repeat-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterRepeatEditor, controls);
  gtk_widget_class_bind_template_child (widget_class, RosterRepeatEditor, frequency_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RosterRepeatEditor, interval_box);
  gtk_widget_class_bind_template_child (widget_class, RosterRepeatEditor, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, RosterRepeatEditor, interval_unit);
  gtk_widget_class_bind_template_child (widget_class, RosterRepeatEditor, weekdays_box);
  gtk_widget_class_bind_template_child (widget_class, RosterRepeatEditor, monthly_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RosterRepeatEditor, end_box);
  gtk_widget_class_bind_template_child (widget_class, RosterRepeatEditor, end_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RosterRepeatEditor, until_button);
  gtk_widget_class_bind_template_child (widget_class, RosterRepeatEditor, until_popover);
  gtk_widget_class_bind_template_child (widget_class, RosterRepeatEditor, until_calendar);
  gtk_widget_class_bind_template_child (widget_class, RosterRepeatEditor, count_spin);
  gtk_widget_class_bind_template_child (widget_class, RosterRepeatEditor, count_unit);
  gtk_widget_class_bind_template_child (widget_class, RosterRepeatEditor, off_label);
  gtk_widget_class_bind_template_child (widget_class, RosterRepeatEditor, more_label);
}

static void
roster_repeat_editor_init (RosterRepeatEditor *self)
{
  /* A Monday: the toggles are named for this locale's weekdays. */
  g_autoptr(GDateTime) monday = g_date_time_new_utc (2024, 1, 1, 0, 0, 0);

  self->rule = g_strdup ("");
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < 7; i++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (monday, i);
      g_autofree char *short_name = g_date_time_format (day, "%a");
      g_autofree char *name = g_date_time_format (day, "%A");
      GtkWidget *toggle = gtk_toggle_button_new_with_label (short_name);

      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      g_signal_connect_swapped (toggle, "toggled", G_CALLBACK (on_control_changed_cb), self);
      gtk_box_append (self->weekdays_box, toggle);
      self->weekday_toggles[i] = GTK_TOGGLE_BUTTON (toggle);
    }

  g_signal_connect_swapped (self->frequency_dropdown, "notify::selected", G_CALLBACK (on_frequency_changed_cb), self);
  g_signal_connect_swapped (self->monthly_dropdown, "notify::selected", G_CALLBACK (on_control_changed_cb), self);
  g_signal_connect_swapped (self->end_dropdown, "notify::selected", G_CALLBACK (on_control_changed_cb), self);
  g_signal_connect_swapped (self->interval_spin, "value-changed", G_CALLBACK (on_control_changed_cb), self);
  g_signal_connect_swapped (self->count_spin, "value-changed", G_CALLBACK (on_control_changed_cb), self);
  g_signal_connect_swapped (self->until_calendar, "day-selected", G_CALLBACK (on_until_day_selected_cb), self);

  roster_repeat_editor_set_rule (self, "", NULL);
}
