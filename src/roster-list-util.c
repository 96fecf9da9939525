/* roster-list-util.c: finding an item in a list, and growing the first
 * frame's slices until they are the whole list.
 *
 * GTK 4.8's list view makes and binds a row for up to 200 items as soon as
 * it has a model, whether they are on screen or not. So each of the
 * window's list views first shows a slice of its model a screenful long
 * (roster-window-lists.c, "The first frame"); from the frame after the
 * first one on, each slice grows by GROW_ROWS a frame (so that no frame
 * makes many rows) until it is longer than what GTK makes, then it is the
 * whole model. (Newer GTKs make only the rows on screen: there the slices
 * cost nothing.)
 */
#define G_LOG_DOMAIN "roster-list-util"

#include "roster-list-util.h"

#define GROW_ROWS      10
/* Past this size a slice becomes the whole model: GTK 4.8 makes no more rows. */
#define GROW_LIMIT     210

guint
roster_list_find_item (GListModel *model,
                       gpointer    item)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) other = g_list_model_get_item (model, i);

      if (other == item)
        return i;
    }
  return G_MAXUINT;
}

void
roster_slice_show_whole (GtkSliceListModel *slice)
{
  if (slice != NULL && gtk_slice_list_model_get_size (slice) != G_MAXUINT)
    gtk_slice_list_model_set_size (slice, G_MAXUINT);
}

void
roster_slice_show_position (GtkSliceListModel *slice,
                            guint              position)
{
  if (slice != NULL && position != G_MAXUINT && position >= gtk_slice_list_model_get_size (slice))
    roster_slice_show_whole (slice);
}

gboolean
roster_slice_grow (GtkSliceListModel *slice)
{
  guint size = slice != NULL ? gtk_slice_list_model_get_size (slice) : G_MAXUINT;
  GListModel *model;

  if (size == G_MAXUINT)
    return FALSE;
  model = gtk_slice_list_model_get_model (slice);
  if (size >= GROW_LIMIT || model == NULL || size >= g_list_model_get_n_items (model))
    {
      roster_slice_show_whole (slice);
      return FALSE;
    }
  gtk_slice_list_model_set_size (slice, size + GROW_ROWS);
  return TRUE;
}

GtkWidget *
roster_list_box_text_row_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  return row;
}
