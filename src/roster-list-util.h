/* roster-list-util.h: what the window's list views share: finding an item in
 * a model, and the slices that keep the first frame short (HACKING.md, "The
 * first frame"). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* @item's position in @model, or G_MAXUINT. */
guint    roster_list_find_item      (GListModel        *model,
                                     gpointer           item);

/* A slice sits between a list view's selection and its model: a screenful
 * of rows for the first frame, then the whole list. NULL is allowed. */
void     roster_slice_show_whole    (GtkSliceListModel *slice);
/* Makes sure @position (G_MAXUINT: none) of the model is in @slice. */
void     roster_slice_show_position (GtkSliceListModel *slice,
                                     guint              position);
/* One frame's growth; FALSE once @slice is whole (or NULL). */
gboolean roster_slice_grow          (GtkSliceListModel *slice);

G_END_DECLS
