/* roster-find-bar.c: Find across every user's tasks.
 *
 * A search entry over the tasks whose title or notes contain what was typed
 * (roster_store_find_tasks(): case and accents ignored, at most 200, oldest
 * first). The bar only finds and reports: a result activated is the
 * "task-activated" signal, Escape is "closed", and the host window decides
 * what they mean. A store failure becomes the status line; what was typed
 * stays in the entry.
 */
#define G_LOG_DOMAIN "roster-find-bar"

#include <glib/gi18n.h>

#include "roster-find-bar.h"
#include "roster-messages.h"

/* More rows than a person reads; typing more narrows them down. */
#define RESULT_LIMIT 200

/* A result row's widgets and what they show, kept on its GtkListItem. */
#define RESULT_ROW_KEY "roster-find-bar-row"

typedef struct
{
  GtkWidget  *box;
  GtkLabel   *title;
  GtkLabel   *owner;
  GtkWidget  *done;
  RosterTask *task;
  RosterUser *user;
} ResultRow;

struct _RosterFindBar
{
  GtkWidget           parent_instance;

  RosterStore        *store;
  /* The text the results are for, as searched (stripped); NULL before the
   * first search. */
  char               *searched;

  /* Template widgets */
  GtkSearchEntry     *entry;
  GtkLabel           *status_label;
  GtkListView        *results_list;
  GtkSingleSelection *selection;
  GListStore         *results;
};

G_DEFINE_FINAL_TYPE (RosterFindBar, roster_find_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

enum {
  TASK_ACTIVATED,
  CLOSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Result rows */

static void
result_row_free (gpointer data)
{
  ResultRow *row = data;

  g_clear_object (&row->task);
  g_clear_object (&row->user);
  g_free (row);
}

static void
update_result_row (GtkListItem *item)
{
  ResultRow *row = g_object_get_data (G_OBJECT (item), RESULT_ROW_KEY);
  RosterUser *owner;
  const char *title;
  const char *username;
  gboolean done;
  GtkWidget *list_row;
  g_autofree char *a11y_label = NULL;

  if (row == NULL || row->task == NULL)
    return;

  title = roster_task_get_title (row->task);
  done = roster_task_get_done (row->task);
  owner = roster_task_get_owner (row->task);

  /* A task moved to another user changes owner: follow the new one's name. */
  if (owner != row->user)
    {
      if (row->user != NULL)
        g_signal_handlers_disconnect_by_data (row->user, item);
      g_set_object (&row->user, owner);
      if (row->user != NULL)
        g_signal_connect_object (row->user, "notify::username",
                                 G_CALLBACK (update_result_row), item, G_CONNECT_SWAPPED);
    }
  username = row->user != NULL ? roster_user_get_username (row->user) : "";

  gtk_label_set_label (row->title, title);
  gtk_label_set_label (row->owner, username);
  gtk_widget_set_visible (row->done, done);

  /* Done tasks look as they do in the task list: struck through and dimmed. */
  if (done)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_strikethrough_new (TRUE));
      gtk_label_set_attributes (row->title, attrs);
      pango_attr_list_unref (attrs);
      gtk_widget_add_css_class (GTK_WIDGET (row->title), "dim-label");
    }
  else
    {
      gtk_label_set_attributes (row->title, NULL);
      gtk_widget_remove_css_class (GTK_WIDGET (row->title), "dim-label");
    }

  /* The list item around the row is what a screen reader lands on. */
  if (done)
    /* Translators: a found task read by a screen reader; %1$s is its title,
     * %2$s the name of the user who owns it. */
    a11y_label = g_strdup_printf (_("%1$s, owned by %2$s, done"), title, username);
  else
    /* Translators: a found task read by a screen reader; %1$s is its title,
     * %2$s the name of the user who owns it. */
    a11y_label = g_strdup_printf (_("%1$s, owned by %2$s"), title, username);
  list_row = gtk_widget_get_parent (row->box);
  if (list_row != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (list_row),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, a11y_label,
                                    -1);
}

static void
on_factory_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     RosterFindBar            *self)
{
  ResultRow *row = g_new0 (ResultRow, 1);
  GtkWidget *text_box;

  row->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_top (row->box, 6);
  gtk_widget_set_margin_bottom (row->box, 6);

  text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (text_box, TRUE);
  gtk_widget_set_valign (text_box, GTK_ALIGN_CENTER);

  row->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (row->title, 0);
  gtk_label_set_ellipsize (row->title, PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (text_box), GTK_WIDGET (row->title));

  row->owner = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (row->owner, 0);
  gtk_label_set_ellipsize (row->owner, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (row->owner), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (row->owner), "dim-label");
  gtk_box_append (GTK_BOX (text_box), GTK_WIDGET (row->owner));

  gtk_box_append (GTK_BOX (row->box), text_box);

  row->done = gtk_image_new_from_icon_name ("object-select-symbolic");
  gtk_widget_set_valign (row->done, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (row->done, FALSE);
  gtk_widget_set_tooltip_text (row->done, C_("task state", "Done"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->done),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, C_("task state", "Done"),
                                  -1);
  gtk_box_append (GTK_BOX (row->box), row->done);

  gtk_list_item_set_child (item, row->box);
  g_object_set_data_full (G_OBJECT (item), RESULT_ROW_KEY, row, result_row_free);
  /* find_list_row() starts from the widget. */
  g_object_set_data (G_OBJECT (row->box), RESULT_ROW_KEY, row);
}

static void
on_factory_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    RosterFindBar            *self)
{
  ResultRow *row = g_object_get_data (G_OBJECT (item), RESULT_ROW_KEY);

  g_set_object (&row->task, gtk_list_item_get_item (item));
  /* A task renamed or marked done while shown says so at once. */
  g_signal_connect_object (row->task, "notify", G_CALLBACK (update_result_row),
                           item, G_CONNECT_SWAPPED);
  update_result_row (item);
}

static void
on_factory_unbind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      RosterFindBar            *self)
{
  ResultRow *row = g_object_get_data (G_OBJECT (item), RESULT_ROW_KEY);

  if (row->task != NULL)
    g_signal_handlers_disconnect_by_data (row->task, item);
  if (row->user != NULL)
    g_signal_handlers_disconnect_by_data (row->user, item);
  g_clear_object (&row->task);
  g_clear_object (&row->user);
}

/* The row widget showing @position, when one does (only rows near the
 * visible part of the list exist). */
static GtkWidget *
find_list_row (RosterFindBar *self,
               guint          position)
{
  g_autoptr(RosterTask) task = g_list_model_get_item (G_LIST_MODEL (self->results), position);

  if (task == NULL)
    return NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *box = gtk_widget_get_first_child (child);
      ResultRow *row;

      if (box == NULL)
        continue;
      row = g_object_get_data (G_OBJECT (box), RESULT_ROW_KEY);
      if (row != NULL && row->task == task)
        return child;
    }
  return NULL;
}

/* The position of the result whose row has the focus, or G_MAXUINT. */
static guint
get_focus_position (RosterFindBar *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->results));

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->results_list)))
    return G_MAXUINT;

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *list_row = find_list_row (self, i);

      if (list_row != NULL && (list_row == focus || gtk_widget_is_ancestor (focus, list_row)))
        return i;
    }
  return G_MAXUINT;
}

static gboolean
focus_is_in_results (RosterFindBar *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->results_list));
}

/* Back to the entry with the cursor where it was: typing goes on where it
 * stopped, instead of replacing the whole text. */
static void
focus_entry_keeping_text (RosterFindBar *self)
{
  GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (self->entry));

  if (GTK_IS_TEXT (text))
    gtk_text_grab_focus_without_selecting (GTK_TEXT (text));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static gboolean
focus_result (RosterFindBar *self,
              guint          position)
{
  GtkWidget *list_row;

  if (position >= g_list_model_get_n_items (G_LIST_MODEL (self->results)))
    return FALSE;

  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->results_list), "list.scroll-to-item", "u", position);
  list_row = find_list_row (self, position);
  if (list_row != NULL)
    return gtk_widget_grab_focus (list_row);
  return gtk_widget_grab_focus (GTK_WIDGET (self->results_list));
}

/* Searching */

static void
show_status (RosterFindBar *self,
             const char    *text,
             gboolean       is_error)
{
  GtkWidget *label = GTK_WIDGET (self->status_label);

  gtk_widget_set_visible (label, text != NULL);
  gtk_label_set_label (self->status_label, text != NULL ? text : "");
  if (is_error)
    {
      gtk_widget_add_css_class (label, "error");
      gtk_widget_remove_css_class (label, "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (label, "error");
      gtk_widget_add_css_class (label, "dim-label");
    }

  /* What the entry found, for a screen reader that stays in the entry. */
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->entry),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* Changes only the rows that differ (usually none, after a refresh), so the
 * rows that stay keep their place, their selection and the focus. */
static void
set_results (RosterFindBar *self,
             GPtrArray     *tasks)
{
  GListModel *model = G_LIST_MODEL (self->results);
  guint n_old = g_list_model_get_n_items (model);
  guint n_new = tasks != NULL ? tasks->len : 0;
  guint prefix = 0;
  guint suffix = 0;
  gboolean had_focus;

  while (prefix < n_old && prefix < n_new)
    {
      g_autoptr(RosterTask) old = g_list_model_get_item (model, prefix);

      if (old != g_ptr_array_index (tasks, prefix))
        break;
      prefix++;
    }
  while (suffix < n_old - prefix && suffix < n_new - prefix)
    {
      g_autoptr(RosterTask) old = g_list_model_get_item (model, n_old - 1 - suffix);

      if (old != g_ptr_array_index (tasks, n_new - 1 - suffix))
        break;
      suffix++;
    }

  if (prefix == n_old && prefix == n_new)
    return;

  had_focus = focus_is_in_results (self);
  g_list_store_splice (self->results, prefix, n_old - prefix - suffix,
                       n_new > 0 ? tasks->pdata + prefix : NULL,
                       n_new - prefix - suffix);
  /* The focused row may have gone with its result: the keyboard must not
   * end up nowhere. */
  if (had_focus && (n_new == 0 || !focus_is_in_results (self)))
    focus_entry_keeping_text (self);
}

static void
run_search (RosterFindBar *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  gboolean more = FALSE;

  g_free (self->searched);
  self->searched = g_strdup (text);

  if (self->store == NULL || text[0] == '\0')
    {
      set_results (self, NULL);
      show_status (self, NULL, FALSE);
      return;
    }

  tasks = roster_store_find_tasks (self->store, text, RESULT_LIMIT, &more, &error);
  if (tasks == NULL)
    {
      /* Results for an older text would be wrong now: show none, keep the text. */
      status = roster_messages_describe_find_error (error);
      set_results (self, NULL);
      show_status (self, status, TRUE);
      return;
    }

  set_results (self, tasks);
  if (tasks->len == 0)
    /* Translators: %s is the text typed into Find. */
    status = g_strdup_printf (_("No task contains “%s”."), text);
  else if (more)
    status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Showing the first %u task; type more to narrow it down.",
                                           "Showing the first %u tasks; type more to narrow it down.",
                                           RESULT_LIMIT),
                              (guint) RESULT_LIMIT);
  show_status (self, status, FALSE);
}

/* The entry waits for a pause in typing; Enter must not act on older results. */
static void
ensure_current (RosterFindBar *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));

  if (g_strcmp0 (text, self->searched) != 0)
    run_search (self);
}

/* Signal handlers */

static void
on_entry_search_changed_cb (RosterFindBar *self)
{
  run_search (self);
}

/* A key typed on a result lands in the entry (its key capture widget is the
 * bar), but the focus would stay on the result: typing goes on in the entry. */
static void
on_entry_changed_cb (RosterFindBar *self)
{
  if (focus_is_in_results (self))
    focus_entry_keeping_text (self);
}

static void
on_entry_activate_cb (RosterFindBar *self)
{
  g_autoptr(RosterTask) first = NULL;

  ensure_current (self);
  first = g_list_model_get_item (G_LIST_MODEL (self->results), 0);
  if (first == NULL)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  g_signal_emit (self, signals[TASK_ACTIVATED], 0, first);
}

static void
on_entry_stop_search_cb (RosterFindBar *self)
{
  g_signal_emit (self, signals[CLOSED], 0);
}

static void
on_results_list_activate_cb (RosterFindBar *self,
                             guint          position)
{
  g_autoptr(RosterTask) task = g_list_model_get_item (G_LIST_MODEL (self->results), position);

  if (task != NULL)
    g_signal_emit (self, signals[TASK_ACTIVATED], 0, task);
}

/* Down leaves the entry for the first result. */
static gboolean
on_entry_key_pressed_cb (GtkEventControllerKey *controller,
                         guint                  keyval,
                         guint                  keycode,
                         GdkModifierType        state,
                         RosterFindBar         *self)
{
  if ((keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down) ||
      (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;

  ensure_current (self);
  return focus_result (self, 0) ? GDK_EVENT_STOP : GDK_EVENT_PROPAGATE;
}

/* Up on the first result goes back to the entry. */
static gboolean
on_results_key_pressed_cb (GtkEventControllerKey *controller,
                           guint                  keyval,
                           guint                  keycode,
                           GdkModifierType        state,
                           RosterFindBar         *self)
{
  if ((keyval != GDK_KEY_Up && keyval != GDK_KEY_KP_Up) ||
      (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0 ||
      get_focus_position (self) != 0)
    return GDK_EVENT_PROPAGATE;

  focus_entry_keeping_text (self);
  return GDK_EVENT_STOP;
}

/* Escape in the results (the entry has its own, "stop-search"). */
static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  g_signal_emit (widget, signals[CLOSED], 0);
}

/* The object */

/* Shown again after a while: the file may have changed meanwhile. */
static void
roster_find_bar_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (roster_find_bar_parent_class)->map (widget);

  run_search (ROSTER_FIND_BAR (widget));
}

static void
roster_find_bar_dispose (GObject *object)
{
  RosterFindBar *self = ROSTER_FIND_BAR (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_FIND_BAR);
  /* The template's top-level children are not bound: a plain GtkWidget
   * unparents its children itself. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (roster_find_bar_parent_class)->dispose (object);
}

static void
roster_find_bar_finalize (GObject *object)
{
  RosterFindBar *self = ROSTER_FIND_BAR (object);

  g_free (self->searched);

  G_OBJECT_CLASS (roster_find_bar_parent_class)->finalize (object);
}

static void
roster_find_bar_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RosterFindBar *self = ROSTER_FIND_BAR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_find_bar_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  RosterFindBar *self = ROSTER_FIND_BAR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      roster_find_bar_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_find_bar_class_init (RosterFindBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_find_bar_dispose;
  object_class->finalize = roster_find_bar_finalize;
  object_class->get_property = roster_find_bar_get_property;
  object_class->set_property = roster_find_bar_set_property;
  widget_class->map = roster_find_bar_map;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         ROSTER_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RosterFindBar::task-activated:
   * @task: the task a person chose
   */
  signals[TASK_ACTIVATED] =
    g_signal_new ("task-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ROSTER_TYPE_TASK);

  /**
   * RosterFindBar::closed:
   *
   * Escape: the host hides the bar and puts the focus back.
   */
  signals[CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* The template's list store names RosterTask as its item type. */
  g_type_ensure (ROSTER_TYPE_TASK);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rosterapp/Roster/roster-find-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterFindBar, entry);
  gtk_widget_class_bind_template_child (widget_class, RosterFindBar, status_label);
  gtk_widget_class_bind_template_child (widget_class, RosterFindBar, results_list);
  gtk_widget_class_bind_template_child (widget_class, RosterFindBar, selection);
  gtk_widget_class_bind_template_child (widget_class, RosterFindBar, results);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_results_list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_unbind_cb);

  gtk_widget_class_install_action (widget_class, "find-bar.close", NULL, close_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "find-bar.close", NULL);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SEARCH);
}

static void
roster_find_bar_init (RosterFindBar *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Before the entry's text widget sees the key: it would keep Down. */
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_entry_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), controller);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_results_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->results_list), controller);

  /* Typing on a result goes on in the entry. */
  gtk_search_entry_set_key_capture_widget (self->entry, GTK_WIDGET (self));

  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_RELATION_CONTROLS, self->results_list, NULL,
                                  -1);
}

GtkWidget *
roster_find_bar_new (RosterStore *store)
{
  g_return_val_if_fail (store == NULL || ROSTER_IS_STORE (store), NULL);

  return g_object_new (ROSTER_TYPE_FIND_BAR, "store", store, NULL);
}

RosterStore *
roster_find_bar_get_store (RosterFindBar *self)
{
  g_return_val_if_fail (ROSTER_IS_FIND_BAR (self), NULL);

  return self->store;
}

void
roster_find_bar_set_store (RosterFindBar *self,
                           RosterStore   *store)
{
  g_return_if_fail (ROSTER_IS_FIND_BAR (self));
  g_return_if_fail (store == NULL || ROSTER_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  /* Tasks of another file mean nothing here. */
  set_results (self, NULL);
  run_search (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

void
roster_find_bar_focus (RosterFindBar *self)
{
  g_return_if_fail (ROSTER_IS_FIND_BAR (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

void
roster_find_bar_refresh (RosterFindBar *self)
{
  g_return_if_fail (ROSTER_IS_FIND_BAR (self));

  run_search (self);
}

GListModel *
roster_find_bar_get_results (RosterFindBar *self)
{
  g_return_val_if_fail (ROSTER_IS_FIND_BAR (self), NULL);

  return G_LIST_MODEL (self->results);
}

void
roster_find_bar_set_text (RosterFindBar *self,
                          const char    *text)
{
  g_return_if_fail (ROSTER_IS_FIND_BAR (self));
  g_return_if_fail (text != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  /* Not after the entry's pause in typing: nobody is typing. */
  run_search (self);
}
