/* roster-sidebar.c: the Plan views, the users and the tags, and the fields
 * for new ones.
 *
 * The Plan section is a GtkListBox of two fixed rows (Today, Upcoming) at
 * the top; choosing one unselects the users and tags, and the other way
 * round, so that one row of the sidebar says what the content shows.
 *
 * Two GtkListViews of RosterSidebarRows (made for what is on screen, and
 * bound to one item after another: HACKING.md, "The application"), each
 * over a single selection over a slice of the store's list: the window
 * cuts the slices to a screenful for the first frame and grows them
 * (roster-window-lists.c). One of the two lists has the selected user or
 * tag, the other none. The arrow keys go on from the last user to the first
 * tag and back. A new user or tag is typed in a field above its list and
 * saved through the store's edit queue; a refused name stays in the field
 * with the reason below.
 */
#define G_LOG_DOMAIN "roster-sidebar"

#include "roster-entry-error.h"
#include "roster-list-util.h"
#include "roster-sidebar-row.h"
#include "roster-sidebar.h"

struct _RosterSidebar
{
  GtkBox               parent_instance;

  RosterStore         *store;
  GListModel          *users;
  GListModel          *categories;
  /* Between each list view's selection and the store's list (made once; see
   * roster-list-util.h). */
  GtkSliceListModel   *user_slice;
  GtkSliceListModel   *tag_slice;
  /* While a store is shown. */
  GtkSingleSelection  *user_selection;
  GtkSingleSelection  *tag_selection;
  /* Set while roster_sidebar_select() changes the selections. */
  gboolean             changing_selection;

  /* Template widgets */
  GtkListBox          *plan_list;
  GtkListBoxRow       *today_row;
  GtkListBoxRow       *upcoming_row;
  GtkRevealer         *new_user_revealer;
  GtkEntry            *new_user_entry;
  GtkLabel            *new_user_error;
  GtkScrolledWindow   *user_list_scroller;
  GtkListView         *user_list;
  GtkLabel            *users_empty_label;
  GtkRevealer         *new_tag_revealer;
  GtkEntry            *new_tag_entry;
  GtkLabel            *new_tag_error;
  GtkScrolledWindow   *tag_list_scroller;
  GtkListView         *tag_list;
  GtkLabel            *tags_empty_label;
};

G_DEFINE_FINAL_TYPE (RosterSidebar, roster_sidebar, GTK_TYPE_BOX)

enum {
  ITEM_SELECTED,
  PLAN_SELECTED,
  ROW_ACTIVATED,
  ITEM_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Rows: as task rows, made by the list views for what they show (users and
 * tags alike), and bound to one item after another. */
static void
on_factory_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     RosterSidebar            *self)
{
  gtk_list_item_set_child (item, roster_sidebar_row_new (self->store));
}

static void
on_factory_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    RosterSidebar            *self)
{
  roster_sidebar_row_set_item (ROSTER_SIDEBAR_ROW (gtk_list_item_get_child (item)),
                               gtk_list_item_get_item (item));
}

static void
on_factory_unbind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      RosterSidebar            *self)
{
  roster_sidebar_row_set_item (ROSTER_SIDEBAR_ROW (gtk_list_item_get_child (item)), NULL);
}

static GtkWidget *
find_row_in_view (GtkListView *list,
                  GObject     *item)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);

      if (row != NULL && ROSTER_IS_SIDEBAR_ROW (row) &&
          roster_sidebar_row_get_item (ROSTER_SIDEBAR_ROW (row)) == item)
        return row;
    }
  return NULL;
}

GtkWidget *
roster_sidebar_find_row (RosterSidebar *self,
                         GObject       *item)
{
  gboolean user = ROSTER_IS_USER (item);
  GtkListView *list = user ? self->user_list : self->tag_list;
  GListModel *model = user ? self->users : self->categories;
  GtkWidget *row;
  guint position;

  g_return_val_if_fail (ROSTER_IS_SIDEBAR (self), NULL);

  if (model == NULL)
    return NULL;
  if ((row = find_row_in_view (list, item)) != NULL)
    return row;

  position = roster_list_find_item (model, item);
  if (position == G_MAXUINT)
    return NULL;
  roster_slice_show_position (user ? self->user_slice : self->tag_slice, position);
  gtk_widget_activate_action (GTK_WIDGET (list), "list.scroll-to-item", "u", position);
  return find_row_in_view (list, item);
}

/* Selection */

/* A user or tag chosen in a list (a click, the arrow keys). Taking a
 * selection away (the other list's choice, the selected item gone) is the
 * window's own doing and ends here. */
static void
on_selected_cb (RosterSidebar      *self,
                GParamSpec         *pspec,
                GtkSingleSelection *selection)
{
  GObject *item = gtk_single_selection_get_selected_item (selection);

  if (self->changing_selection || item == NULL)
    return;
  g_signal_emit (self, signals[ITEM_SELECTED], 0, item);
}

/* Nothing selected until the window selects; nothing else either: the
 * selected item removed leaves no selection, and the window picks the next.
 * A person cannot unselect (Ctrl+click): a list is always shown for the
 * selected user or tag. The window itself unselects with
 * roster_sidebar_select(). */
static GtkSingleSelection *
new_selection (RosterSidebar     *self,
               GtkSliceListModel *slice)
{
  GtkSingleSelection *selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (slice)));

  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, FALSE);
  g_signal_connect_object (selection, "notify::selected", G_CALLBACK (on_selected_cb),
                           self, G_CONNECT_SWAPPED);
  return selection;
}

gboolean
roster_sidebar_select (RosterSidebar *self,
                       GObject       *item)
{
  gboolean tag = ROSTER_IS_CATEGORY (item);
  GtkSingleSelection *selection = tag ? self->tag_selection : self->user_selection;
  guint position = G_MAXUINT;

  g_return_val_if_fail (ROSTER_IS_SIDEBAR (self), FALSE);

  if (selection == NULL)
    return FALSE;
  if (item != NULL)
    position = roster_list_find_item (tag ? self->categories : self->users, item);

  self->changing_selection = TRUE;
  gtk_list_box_unselect_all (self->plan_list);
  roster_slice_show_position (tag ? self->tag_slice : self->user_slice, position);
  gtk_single_selection_set_selected (tag ? self->user_selection : self->tag_selection,
                                     GTK_INVALID_LIST_POSITION);
  gtk_single_selection_set_selected (selection, position != G_MAXUINT ? position : GTK_INVALID_LIST_POSITION);
  if (position != G_MAXUINT)
    gtk_widget_activate_action (GTK_WIDGET (tag ? self->tag_list : self->user_list),
                                "list.scroll-to-item", "u", position);
  self->changing_selection = FALSE;
  return position != G_MAXUINT;
}

/* The Plan views */

static RosterPlan
plan_of_row (RosterSidebar *self,
             GtkListBoxRow *row)
{
  if (row == NULL)
    return ROSTER_PLAN_NONE;
  return row == self->today_row ? ROSTER_PLAN_TODAY : ROSTER_PLAN_UPCOMING;
}

GtkWidget *
roster_sidebar_get_plan_row (RosterSidebar *self,
                             RosterPlan     plan)
{
  g_return_val_if_fail (ROSTER_IS_SIDEBAR (self), NULL);

  if (plan == ROSTER_PLAN_NONE)
    return NULL;
  return GTK_WIDGET (plan == ROSTER_PLAN_TODAY ? self->today_row : self->upcoming_row);
}

void
roster_sidebar_select_plan (RosterSidebar *self,
                            RosterPlan     plan)
{
  g_return_if_fail (ROSTER_IS_SIDEBAR (self));

  self->changing_selection = TRUE;
  if (self->user_selection != NULL)
    gtk_single_selection_set_selected (self->user_selection, GTK_INVALID_LIST_POSITION);
  if (self->tag_selection != NULL)
    gtk_single_selection_set_selected (self->tag_selection, GTK_INVALID_LIST_POSITION);
  if (plan == ROSTER_PLAN_NONE)
    gtk_list_box_unselect_all (self->plan_list);
  else
    gtk_list_box_select_row (self->plan_list, GTK_LIST_BOX_ROW (roster_sidebar_get_plan_row (self, plan)));
  self->changing_selection = FALSE;
}

static void
on_plan_row_selected_cb (RosterSidebar *self,
                         GtkListBoxRow *row)
{
  if (self->changing_selection || row == NULL || self->store == NULL)
    return;
  g_signal_emit (self, signals[PLAN_SELECTED], 0, (int) plan_of_row (self, row));
}

static void
on_plan_row_activated_cb (RosterSidebar *self,
                          GtkListBoxRow *row)
{
  g_signal_emit (self, signals[ROW_ACTIVATED], 0);
}

/* Down from the last Plan row goes on to the first user, as the arrow keys
 * go on from the users to the tags. */
static gboolean
on_plan_key_pressed_cb (GtkEventControllerKey *controller,
                        guint                  keyval,
                        guint                  keycode,
                        GdkModifierType        state,
                        RosterSidebar         *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GObject) first_user = NULL;
  GtkWidget *row;

  if ((keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down) || self->users == NULL ||
      (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0 ||
      root == NULL || gtk_root_get_focus (root) != GTK_WIDGET (self->upcoming_row) ||
      g_list_model_get_n_items (self->users) == 0)
    return FALSE;

  first_user = g_list_model_get_item (self->users, 0);
  g_signal_emit (self, signals[ITEM_SELECTED], 0, first_user);
  row = roster_sidebar_find_row (self, first_user);
  if (row != NULL)
    gtk_widget_grab_focus (row);
  return TRUE;
}

/* The keyboard */

/* The item whose row the focus is on in @list (on its list item, not in
 * its rename field). */
static GObject *
get_focused_item (RosterSidebar *self,
                  GtkWidget     *list)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row;

  if (focus == NULL || gtk_widget_get_parent (focus) != list)
    return NULL;
  row = gtk_widget_get_first_child (focus);
  return row != NULL && ROSTER_IS_SIDEBAR_ROW (row) ? roster_sidebar_row_get_item (ROSTER_SIDEBAR_ROW (row)) : NULL;
}

/* Arrow keys go on from the Plan views to the first user, from the last
 * user to the first tag and back, and select where they land, as they do
 * within a list. */
static gboolean
on_list_key_pressed_cb (GtkEventControllerKey *controller,
                        guint                  keyval,
                        guint                  keycode,
                        GdkModifierType        state,
                        RosterSidebar         *self)
{
  GtkWidget *list = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GObject *focused = get_focused_item (self, list);
  g_autoptr(GObject) first_user = NULL;
  g_autoptr(GObject) last_user = NULL;
  g_autoptr(GObject) first_tag = NULL;
  guint n_users, n_tags;
  GObject *target;
  GtkWidget *row;

  /* Plain arrows only (Num Lock and the like aside). */
  if (focused == NULL || self->users == NULL ||
      (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0)
    return FALSE;

  n_users = g_list_model_get_n_items (self->users);
  n_tags = g_list_model_get_n_items (self->categories);
  if (n_users > 0)
    last_user = g_list_model_get_item (self->users, n_users - 1);
  if (n_tags > 0)
    first_tag = g_list_model_get_item (self->categories, 0);

  if (n_users > 0)
    first_user = g_list_model_get_item (self->users, 0);

  /* Up from the first user: the Plan views above. */
  if ((keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up) && list == GTK_WIDGET (self->user_list) &&
      focused == first_user)
    {
      gtk_list_box_select_row (self->plan_list, self->upcoming_row);
      gtk_widget_grab_focus (GTK_WIDGET (self->upcoming_row));
      return TRUE;
    }
  if ((keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down) &&
      list == GTK_WIDGET (self->user_list) && focused == last_user && first_tag != NULL)
    target = first_tag;
  else if ((keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up) &&
           list == GTK_WIDGET (self->tag_list) && focused == first_tag && last_user != NULL)
    target = last_user;
  else
    return FALSE;

  /* Chosen as by a click: the window selects it. */
  g_signal_emit (self, signals[ITEM_SELECTED], 0, target);
  row = roster_sidebar_find_row (self, target);
  if (row != NULL)
    gtk_widget_grab_focus (row);
  return TRUE;
}

/* A click on a row of a list, even the selected one. */
static void
on_list_clicked_cb (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    RosterSidebar   *self)
{
  GtkWidget *list = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *picked = gtk_widget_pick (list, x, y, GTK_PICK_DEFAULT);
  GtkWidget *row = picked != NULL ? gtk_widget_get_ancestor (picked, ROSTER_TYPE_SIDEBAR_ROW) : NULL;

  /* Not a click into the field renaming it. */
  if (row != NULL && !roster_sidebar_row_get_editing (ROSTER_SIDEBAR_ROW (row)))
    g_signal_emit (self, signals[ROW_ACTIVATED], 0);
}

static void
on_list_activate_cb (RosterSidebar *self,
                     guint          position)
{
  g_signal_emit (self, signals[ROW_ACTIVATED], 0);
}

/* Adding a user or a tag */

/* Enter in a new-name field: the user or tag is added, or the field says
 * why not and keeps what was typed. */
static void
on_new_entry_activate_cb (RosterSidebar *self,
                          GtkEntry      *entry)
{
  gboolean user = entry == self->new_user_entry;
  GtkLabel *error_label = user ? self->new_user_error : self->new_tag_error;
  RosterSubject subject = user ? ROSTER_SUBJECT_USER : ROSTER_SUBJECT_TAG;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) added = NULL;
  RosterEditQueue *edits;
  RosterEditResult result;

  if (self->store == NULL)
    return;

  edits = roster_edit_queue_get_for_store (self->store);
  if (user)
    result = roster_edit_queue_create_user (edits, name, (RosterUser **) &added, &error);
  else
    result = roster_edit_queue_create_category (edits, name, (RosterCategory **) &added, &error);
  if (result == ROSTER_EDIT_FAILED)
    {
      roster_entry_error_show (GTK_WIDGET (entry), error_label, error, subject);
      return;
    }

  roster_entry_error_show (GTK_WIDGET (entry), error_label, NULL, subject);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_revealer_set_reveal_child (user ? self->new_user_revealer : self->new_tag_revealer, FALSE);
  if (result == ROSTER_EDIT_WAITING)
    {
      /* It shows up once saved; until then, back to its list. */
      gtk_widget_grab_focus (GTK_WIDGET (user ? self->user_list : self->tag_list));
      return;
    }
  g_signal_emit (self, signals[ITEM_ADDED], 0, added);
}

/* Escape: the field goes, with what was typed, and the keyboard goes back
 * to the users. */
static gboolean
on_new_entry_key_pressed_cb (GtkEventControllerKey *controller,
                             guint                  keyval,
                             guint                  keycode,
                             GdkModifierType        state,
                             RosterSidebar         *self)
{
  GtkWidget *entry = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  gboolean user = entry == GTK_WIDGET (self->new_user_entry);

  if (keyval != GDK_KEY_Escape)
    return FALSE;

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_revealer_set_reveal_child (user ? self->new_user_revealer : self->new_tag_revealer, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (user ? self->new_user_error : self->new_tag_error), FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->user_list));
  return TRUE;
}

void
roster_sidebar_begin_new_user (RosterSidebar *self)
{
  g_return_if_fail (ROSTER_IS_SIDEBAR (self));

  gtk_revealer_set_reveal_child (self->new_user_revealer, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->new_user_entry));
}

void
roster_sidebar_begin_new_tag (RosterSidebar *self)
{
  g_return_if_fail (ROSTER_IS_SIDEBAR (self));

  gtk_revealer_set_reveal_child (self->new_tag_revealer, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->new_tag_entry));
}

/* The lists */

/* An empty list says so, and takes no room: a scrolled window that may show
 * its scrollbar is at least as tall as the scrollbar. */
static void
update_empty (RosterSidebar *self)
{
  guint n_users = self->users != NULL ? g_list_model_get_n_items (self->users) : 0;
  guint n_tags = self->categories != NULL ? g_list_model_get_n_items (self->categories) : 0;

  gtk_widget_set_visible (GTK_WIDGET (self->users_empty_label), n_users == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->tags_empty_label), n_tags == 0);
  gtk_scrolled_window_set_policy (self->user_list_scroller, GTK_POLICY_NEVER,
                                  n_users > 0 ? GTK_POLICY_AUTOMATIC : GTK_POLICY_NEVER);
  gtk_scrolled_window_set_policy (self->tag_list_scroller, GTK_POLICY_NEVER,
                                  n_tags > 0 ? GTK_POLICY_AUTOMATIC : GTK_POLICY_NEVER);
}

void
roster_sidebar_set_store (RosterSidebar *self,
                          RosterStore   *store)
{
  g_return_if_fail (ROSTER_IS_SIDEBAR (self));
  g_return_if_fail (store == NULL || ROSTER_IS_STORE (store));

  if (self->store == store)
    return;

  if (self->store != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->users, self);
      g_signal_handlers_disconnect_by_data (self->categories, self);
      gtk_list_view_set_model (self->user_list, NULL);
      gtk_list_view_set_model (self->tag_list, NULL);
      g_clear_object (&self->user_selection);
      g_clear_object (&self->tag_selection);
      gtk_slice_list_model_set_model (self->user_slice, NULL);
      gtk_slice_list_model_set_model (self->tag_slice, NULL);
      roster_slice_show_whole (self->user_slice);
      roster_slice_show_whole (self->tag_slice);
      g_clear_object (&self->users);
      g_clear_object (&self->categories);
      g_clear_object (&self->store);
    }

  if (store != NULL)
    {
      self->store = g_object_ref (store);
      self->users = roster_store_list_users (store);
      self->categories = roster_store_list_categories (store);
      gtk_slice_list_model_set_model (self->user_slice, self->users);
      gtk_slice_list_model_set_model (self->tag_slice, self->categories);
      self->user_selection = new_selection (self, self->user_slice);
      self->tag_selection = new_selection (self, self->tag_slice);
      gtk_list_view_set_model (self->user_list, GTK_SELECTION_MODEL (self->user_selection));
      gtk_list_view_set_model (self->tag_list, GTK_SELECTION_MODEL (self->tag_selection));
      g_signal_connect_swapped (self->users, "items-changed", G_CALLBACK (update_empty), self);
      g_signal_connect_swapped (self->categories, "items-changed", G_CALLBACK (update_empty), self);
    }

  update_empty (self);
}

RosterStore *
roster_sidebar_get_store (RosterSidebar *self)
{
  g_return_val_if_fail (ROSTER_IS_SIDEBAR (self), NULL);

  return self->store;
}

GtkWidget *
roster_sidebar_get_user_list (RosterSidebar *self)
{
  g_return_val_if_fail (ROSTER_IS_SIDEBAR (self), NULL);

  return GTK_WIDGET (self->user_list);
}

GtkWidget *
roster_sidebar_get_tag_list (RosterSidebar *self)
{
  g_return_val_if_fail (ROSTER_IS_SIDEBAR (self), NULL);

  return GTK_WIDGET (self->tag_list);
}

/* The first frame */

void
roster_sidebar_limit_rows (RosterSidebar *self,
                           guint          n_users,
                           guint          n_tags)
{
  g_return_if_fail (ROSTER_IS_SIDEBAR (self));

  gtk_slice_list_model_set_size (self->user_slice, n_users);
  gtk_slice_list_model_set_size (self->tag_slice, n_tags);
}

gboolean
roster_sidebar_grow (RosterSidebar *self)
{
  gboolean users_grow, tags_grow;

  g_return_val_if_fail (ROSTER_IS_SIDEBAR (self), FALSE);

  users_grow = roster_slice_grow (self->user_slice);
  tags_grow = roster_slice_grow (self->tag_slice);
  return users_grow || tags_grow;
}

void
roster_sidebar_show_whole (RosterSidebar *self)
{
  g_return_if_fail (ROSTER_IS_SIDEBAR (self));

  roster_slice_show_whole (self->user_slice);
  roster_slice_show_whole (self->tag_slice);
}

static void
roster_sidebar_dispose (GObject *object)
{
  RosterSidebar *self = ROSTER_SIDEBAR (object);

  roster_sidebar_set_store (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_SIDEBAR);
  g_clear_object (&self->user_slice);
  g_clear_object (&self->tag_slice);

  G_OBJECT_CLASS (roster_sidebar_parent_class)->dispose (object);
}

static void
roster_sidebar_class_init (RosterSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_sidebar_dispose;

  signals[ITEM_SELECTED] =
    g_signal_new ("item-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_OBJECT);
  signals[PLAN_SELECTED] =
    g_signal_new ("plan-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[ROW_ACTIVATED] =
    g_signal_new ("row-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[ITEM_ADDED] =
    g_signal_new ("item-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_OBJECT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rosterapp/Roster/roster-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterSidebar, plan_list);
  gtk_widget_class_bind_template_child (widget_class, RosterSidebar, today_row);
  gtk_widget_class_bind_template_child (widget_class, RosterSidebar, upcoming_row);
  gtk_widget_class_bind_template_child (widget_class, RosterSidebar, new_user_revealer);
  gtk_widget_class_bind_template_child (widget_class, RosterSidebar, new_user_entry);
  gtk_widget_class_bind_template_child (widget_class, RosterSidebar, new_user_error);
  gtk_widget_class_bind_template_child (widget_class, RosterSidebar, user_list_scroller);
  gtk_widget_class_bind_template_child (widget_class, RosterSidebar, user_list);
  gtk_widget_class_bind_template_child (widget_class, RosterSidebar, users_empty_label);
  gtk_widget_class_bind_template_child (widget_class, RosterSidebar, new_tag_revealer);
  gtk_widget_class_bind_template_child (widget_class, RosterSidebar, new_tag_entry);
  gtk_widget_class_bind_template_child (widget_class, RosterSidebar, new_tag_error);
  gtk_widget_class_bind_template_child (widget_class, RosterSidebar, tag_list_scroller);
  gtk_widget_class_bind_template_child (widget_class, RosterSidebar, tag_list);
  gtk_widget_class_bind_template_child (widget_class, RosterSidebar, tags_empty_label);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_plan_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_plan_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_new_entry_activate_cb);
}

static void
roster_sidebar_init (RosterSidebar *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *lists[2];
  GtkWidget *entries[2];

  gtk_widget_init_template (GTK_WIDGET (self));

  self->user_slice = gtk_slice_list_model_new (NULL, 0, G_MAXUINT);
  self->tag_slice = gtk_slice_list_model_new (NULL, 0, G_MAXUINT);

  g_signal_connect (factory, "setup", G_CALLBACK (on_factory_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_factory_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_factory_unbind_cb), self);
  lists[0] = GTK_WIDGET (self->user_list);
  lists[1] = GTK_WIDGET (self->tag_list);
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      GtkEventController *controller = gtk_event_controller_key_new ();
      GtkGesture *click = gtk_gesture_click_new ();

      gtk_list_view_set_factory (GTK_LIST_VIEW (lists[i]), factory);

      gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
      g_signal_connect (controller, "key-pressed", G_CALLBACK (on_list_key_pressed_cb), self);
      gtk_widget_add_controller (lists[i], controller);

      gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
      gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
      g_signal_connect (click, "pressed", G_CALLBACK (on_list_clicked_cb), self);
      gtk_widget_add_controller (lists[i], GTK_EVENT_CONTROLLER (click));
    }
  g_object_unref (factory);

  {
    GtkEventController *controller = gtk_event_controller_key_new ();

    g_signal_connect (controller, "key-pressed", G_CALLBACK (on_plan_key_pressed_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self->plan_list), controller);
  }

  entries[0] = GTK_WIDGET (self->new_user_entry);
  entries[1] = GTK_WIDGET (self->new_tag_entry);
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      GtkEventController *controller = gtk_event_controller_key_new ();

      g_signal_connect (controller, "key-pressed", G_CALLBACK (on_new_entry_key_pressed_cb), self);
      gtk_widget_add_controller (entries[i], controller);
    }

  update_empty (self);
}
