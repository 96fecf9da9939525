/* roster-window-find.c: Find in the window.
 *
 * Ctrl+F (or the search button) puts Find in place of the list; the sidebar
 * stays. A result chosen there shows its owner's list with that task
 * selected; Escape goes back to where the keyboard was. While finding, the
 * window's task keys (Space, Delete, F2…) do not reach the selected task,
 * which is out of sight (_roster_window_get_target()).
 *
 * Also what GNOME Shell's search provider and the notifications ask of a
 * window: a task shown in its owner's list (roster_window_show_task()),
 * Find opened with a text (roster_window_find()).
 */
#define G_LOG_DOMAIN "roster-window"

#include "roster-window-private.h"

/* The keyboard back in the list: on the selected task, else where a person
 * would go on from. */
static void
focus_list (RosterWindow *self)
{
  RosterTask *task = _roster_window_get_selected_task (self);
  GtkWidget *row = task != NULL ? _roster_window_find_task_row (self, task) : NULL;

  if (row != NULL)
    _roster_window_select_task (self, task, TRUE);
  else if (self->user != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->add_entry));
  else if (self->category != NULL &&
           (row = _roster_window_find_sidebar_row (self, G_OBJECT (self->category))) != NULL)
    gtk_widget_grab_focus (row);
  else
    gtk_widget_grab_focus (roster_sidebar_get_user_list (self->sidebar));
}

static void
set_finding (RosterWindow *self,
             gboolean      finding,
             gboolean      restore_focus)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gboolean focus_in_find = focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->find_bar));

  if (finding && self->store == NULL)
    return;

  if (self->finding != finding)
    {
      self->finding = finding;
      /* Its "toggled" finds the state already set. */
      gtk_toggle_button_set_active (self->search_button, finding);
      _roster_window_update_content (self);
      _roster_window_update_actions (self);
    }

  if (finding)
    {
      /* On a narrow window the sidebar would cover Find. */
      if (adw_flap_get_folded (self->sidebar_flap))
        adw_flap_set_reveal_flap (self->sidebar_flap, FALSE);
      /* Again: Ctrl+F in Find selects the text, so typing replaces it. */
      roster_find_bar_focus (self->find_bar);
    }
  else if (restore_focus && (focus_in_find || _roster_window_focus_is_lost (self)))
    focus_list (self);
}

void
_roster_window_set_finding (RosterWindow *self,
                            gboolean      finding)
{
  set_finding (self, finding, TRUE);
}

/* Find closed without moving the keyboard (a list chosen, the file going). */
void
_roster_window_stop_finding (RosterWindow *self)
{
  set_finding (self, FALSE, FALSE);
}

static void
on_search_button_toggled_cb (RosterWindow *self)
{
  gboolean active = gtk_toggle_button_get_active (self->search_button);

  if (active != self->finding)
    set_finding (self, active, TRUE);
}

static void
on_find_bar_task_activated_cb (RosterWindow *self,
                               RosterTask   *task)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterTask) live = NULL;

  if (self->store == NULL)
    return;

  /* Deleted since it was found (by another program, or here). */
  live = roster_store_get_task (self->store, roster_task_get_id (task), &error);
  if (live != task)
    {
      if (error == NULL)
        g_set_error_literal (&error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND, "");
      _roster_window_show_error (self, error, ROSTER_SUBJECT_TASK);
      roster_find_bar_refresh (self->find_bar);
      return;
    }

  set_finding (self, FALSE, FALSE);
  _roster_window_select_user (self, roster_task_get_owner (task));
  _roster_window_select_and_focus_task (self, task);
}

static void
on_find_bar_closed_cb (RosterWindow *self)
{
  set_finding (self, FALSE, FALSE);
  focus_list (self);
}

void
_roster_window_find_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_search_button_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_find_bar_task_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_find_bar_closed_cb);
}

/**
 * roster_window_show_task:
 * @task: a task of the window's store
 *
 * Shows @task selected in its owner's list, with the keyboard on it, as a
 * result activated in Find does (the search provider's results).
 */
void
roster_window_show_task (RosterWindow *self,
                         RosterTask   *task)
{
  g_return_if_fail (ROSTER_IS_WINDOW (self));
  g_return_if_fail (ROSTER_IS_TASK (task));

  on_find_bar_task_activated_cb (self, task);
}

/**
 * roster_window_find:
 * @text: what to find
 *
 * Opens Find with @text in its entry and its results shown (the search
 * provider's "search in Roster").
 */
void
roster_window_find (RosterWindow *self,
                    const char   *text)
{
  g_return_if_fail (ROSTER_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  roster_find_bar_set_text (self->find_bar, text);
  set_finding (self, TRUE, TRUE);
}
