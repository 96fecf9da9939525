/* roster-sidebar.h: the window's sidebar: the Plan views (Today, Upcoming),
 * then the users and the tags of a store, each list with a field above it
 * for a new one.
 *
 * The sidebar shows and adds; the window decides what a choice means.
 * Signals:
 *   "item-selected" (GObject *item): a person selected a user or a tag (a
 *                   click, the arrow keys); not emitted for
 *                   roster_sidebar_select().
 *   "plan-selected" (int, a RosterPlan): a person selected a Plan view; not
 *                   emitted for roster_sidebar_select_plan().
 *   "row-activated": a row was clicked (the selected one too) or activated
 *                   from the keyboard.
 *   "item-added"    (GObject *item): a user or a tag typed in a new-name field
 *                   was saved (one kept until the file is free is not).
 */
#pragma once

#include <gtk/gtk.h>

#include "roster-model.h"

G_BEGIN_DECLS

/* The Plan views, in the sidebar's order. */
typedef enum
{
  ROSTER_PLAN_NONE,
  ROSTER_PLAN_TODAY,
  ROSTER_PLAN_UPCOMING,
} RosterPlan;

#define ROSTER_TYPE_SIDEBAR (roster_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (RosterSidebar, roster_sidebar, ROSTER, SIDEBAR, GtkBox)

/* Shows @store's users and tags (NULL: none). */
void         roster_sidebar_set_store       (RosterSidebar *self,
                                             RosterStore   *store);
RosterStore *roster_sidebar_get_store       (RosterSidebar *self);
/* Selects @item (a user or a tag; NULL: nothing) in its list, and nothing in
 * the other, and scrolls to it. FALSE when it is not in the list. */
gboolean     roster_sidebar_select          (RosterSidebar *self,
                                             GObject       *item);
/* Selects a Plan view's row (ROSTER_PLAN_NONE: none), and nothing in the
 * lists of users and tags. */
void         roster_sidebar_select_plan     (RosterSidebar *self,
                                             RosterPlan     plan);
/* The row of @item, scrolled into view first so that its list view has made
 * it; NULL when it is not in the list. Giving it the focus gives it to its
 * list item. */
GtkWidget   *roster_sidebar_find_row        (RosterSidebar *self,
                                             GObject       *item);
/* The two list views (for context menus and the keyboard). */
GtkWidget   *roster_sidebar_get_user_list   (RosterSidebar *self);
GtkWidget   *roster_sidebar_get_tag_list    (RosterSidebar *self);
/* The row of a Plan view (for the keyboard). */
GtkWidget   *roster_sidebar_get_plan_row    (RosterSidebar *self,
                                             RosterPlan     plan);
/* Shows the field for a new user's (or tag's) name, with the keyboard in it. */
void         roster_sidebar_begin_new_user  (RosterSidebar *self);
void         roster_sidebar_begin_new_tag   (RosterSidebar *self);

/* The first frame (roster-window-lists.c): until the window has painted it,
 * each list shows only its first rows; they grow a little a frame. */
void         roster_sidebar_limit_rows      (RosterSidebar *self,
                                             guint          n_users,
                                             guint          n_tags);
/* One frame's growth; FALSE once both lists are whole. */
gboolean     roster_sidebar_grow            (RosterSidebar *self);
void         roster_sidebar_show_whole      (RosterSidebar *self);

G_END_DECLS
