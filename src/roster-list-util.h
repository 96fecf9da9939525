/* roster-list-util.h: what the window's lists share: finding an item in a
 * model, the slices that keep the first frame short (HACKING.md, "The first
 * frame"), and the one-line rows of the dialogs' boxed lists. */
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

/* A GtkListBoxRow showing @text on one padded line, as the dialogs' boxed
 * lists (Move to…, Restore a Backup…) show their choices. */
GtkWidget *roster_list_box_text_row_new (const char *text);

G_END_DECLS
