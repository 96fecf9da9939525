/* roster-window-sort.c: how the list shown is sorted, and its done tasks.
 *
 * Each list (a user's, a tag's, Today, Upcoming) has an order (manual, by
 * due date, by title) and may hide its done tasks; the choice is kept per
 * list in the settings ("list-sorting", keyed "user-ID", "tag-ID", "today",
 * "upcoming") and applied whenever the list is shown, through
 * roster_store_list_sorted(): the model sorts, the window only chooses.
 * The window's properties "sort-order" and "hide-done" back the stateful
 * actions win.sort-by and win.hide-done (the main menu's radio and check
 * items); win.cycle-sort goes to the next order (Shift+Ctrl+S). Reordering
 * (by keys or by drag) works in manual order only: in the others those
 * commands are disabled, and a line above the list says why. Hidden done
 * tasks leave a "Show N Done Tasks" button at the end.
 */
#define G_LOG_DOMAIN "roster-window"

#include <glib/gi18n.h>

#include "roster-window-private.h"

static const char * const order_names[ROSTER_N_SORT_ORDERS] = { "manual", "due-date", "title", "priority" };

const char *
_roster_window_sort_order_name (RosterSortOrder order)
{
  return order_names[order];
}

/* The settings' key of the list shown, or NULL. */
static char *
list_key (RosterWindow *self)
{
  if (self->user != NULL)
    return g_strdup_printf ("user-%" G_GINT64_FORMAT, roster_user_get_id (self->user));
  if (self->category != NULL)
    return g_strdup_printf ("tag-%" G_GINT64_FORMAT, roster_category_get_id (self->category));
  if (self->plan == ROSTER_PLAN_TODAY)
    return g_strdup ("today");
  if (self->plan == ROSTER_PLAN_UPCOMING)
    return g_strdup ("upcoming");
  return NULL;
}

static void
read_settings (RosterWindow *self)
{
  g_autofree char *key = list_key (self);
  g_autoptr(GVariant) all = NULL;
  const char *name = NULL;
  gboolean hide = FALSE;

  self->sort_order = self->plan != ROSTER_PLAN_NONE ? ROSTER_SORT_DUE_DATE : ROSTER_SORT_MANUAL;
  self->hide_done = FALSE;
  if (self->settings == NULL || key == NULL)
    return;

  all = g_settings_get_value (self->settings, "list-sorting");
  if (!g_variant_lookup (all, key, "(&sb)", &name, &hide))
    return;
  for (guint i = 0; i < ROSTER_N_SORT_ORDERS; i++)
    if (g_str_equal (name, order_names[i]))
      self->sort_order = i;
  self->hide_done = hide;
}

static void
write_settings (RosterWindow *self)
{
  g_autofree char *key = list_key (self);
  g_autoptr(GVariant) all = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *name;
  GVariant *value;

  if (self->settings == NULL || key == NULL)
    return;

  all = g_settings_get_value (self->settings, "list-sorting");
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(sb)}"));
  g_variant_iter_init (&iter, all);
  while (g_variant_iter_next (&iter, "{&s@(sb)}", &name, &value))
    {
      if (!g_str_equal (name, key))
        g_variant_builder_add (&builder, "{s@(sb)}", name, value);
      g_variant_unref (value);
    }
  g_variant_builder_add (&builder, "{s(sb)}", key, order_names[self->sort_order], self->hide_done);
  g_settings_set_value (self->settings, "list-sorting", g_variant_builder_end (&builder));
}

GListModel *
_roster_window_sort_view (RosterWindow *self,
                          GListModel   *tasks)
{
  g_set_object (&self->base_tasks, tasks);
  read_settings (self);
  g_object_notify (G_OBJECT (self), "sort-order");
  g_object_notify (G_OBJECT (self), "hide-done");
  if (tasks == NULL)
    return NULL;
  return roster_store_list_sorted (self->store, tasks, self->sort_order, self->hide_done);
}

/* How many done tasks the list shown hides. */
guint
_roster_window_count_hidden (RosterWindow *self)
{
  guint n_base, n_shown;

  if (!self->hide_done || self->base_tasks == NULL || self->plan != ROSTER_PLAN_NONE)
    return 0;
  n_base = g_list_model_get_n_items (self->base_tasks);
  n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered_tasks));
  return n_base > n_shown ? n_base - n_shown : 0;
}

void
_roster_window_update_sorting (RosterWindow *self)
{
  guint hidden = _roster_window_count_hidden (self);
  const char *why = NULL;

  if (self->plan == ROSTER_PLAN_NONE && self->base_tasks != NULL)
    {
      if (self->sort_order == ROSTER_SORT_DUE_DATE)
        why = _("Sorted by due date: tasks can be moved up and down in manual order only.");
      else if (self->sort_order == ROSTER_SORT_TITLE)
        why = _("Sorted by title: tasks can be moved up and down in manual order only.");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->sort_note), why != NULL);
  if (why != NULL)
    gtk_label_set_label (self->sort_note, why);

  gtk_widget_set_visible (GTK_WIDGET (self->show_done_button), hidden > 0);
  if (hidden > 0)
    {
      g_autofree char *label = g_strdup_printf (ngettext ("Show %u Done Task", "Show %u Done Tasks", hidden),
                                                hidden);

      gtk_button_set_label (self->show_done_button, label);
    }
}

/* Shows the list again in the order and with the done tasks chosen, the
 * selected task still selected, and remembers the choice. */
static void
apply (RosterWindow *self)
{
  g_autoptr(GListModel) shown = NULL;
  g_autoptr(RosterTask) selected = NULL;

  write_settings (self);
  if (self->base_tasks == NULL)
    return;

  selected = _roster_window_get_selected_task (self);
  if (selected != NULL)
    g_object_ref (selected);
  shown = roster_store_list_sorted (self->store, self->base_tasks, self->sort_order, self->hide_done);
  gtk_filter_list_model_set_model (self->filtered_tasks, shown);
  if (selected != NULL)
    _roster_window_select_task (self, selected, FALSE);
  _roster_window_update_content (self);
  _roster_window_update_actions (self);
}

void
_roster_window_set_sort_order (RosterWindow *self,
                               const char   *name)
{
  RosterSortOrder order = ROSTER_SORT_MANUAL;

  for (guint i = 0; i < ROSTER_N_SORT_ORDERS; i++)
    if (g_strcmp0 (name, order_names[i]) == 0)
      order = i;
  /* A Plan view's own order is by due date. */
  if (self->plan != ROSTER_PLAN_NONE && order == ROSTER_SORT_MANUAL)
    order = ROSTER_SORT_DUE_DATE;
  if (order == self->sort_order)
    return;

  self->sort_order = order;
  apply (self);
  g_object_notify (G_OBJECT (self), "sort-order");
}

void
_roster_window_set_hide_done (RosterWindow *self,
                              gboolean      hide_done)
{
  if (!hide_done == !self->hide_done)
    return;

  self->hide_done = !!hide_done;
  apply (self);
  g_object_notify (G_OBJECT (self), "hide-done");
}

/* win.cycle-sort: manual, due date, title, and round (a Plan view has no
 * manual order of its own). */
void
_roster_window_cycle_sort_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param)
{
  RosterWindow *self = ROSTER_WINDOW (widget);
  RosterSortOrder next = (self->sort_order + 1) % ROSTER_N_SORT_ORDERS;

  if (self->plan != ROSTER_PLAN_NONE && next == ROSTER_SORT_MANUAL)
    next = ROSTER_SORT_DUE_DATE;
  _roster_window_set_sort_order (self, order_names[next]);
}

void
_roster_window_on_show_done_clicked (RosterWindow *self)
{
  _roster_window_set_hide_done (self, FALSE);
}
