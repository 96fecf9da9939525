/* roster-chip.c: a tag's name on the tag's colour.
 *
 * A task row shows one chip per tag, and a row is bound to one task after
 * another as its list scrolls. Tag colours are the person's own, so they
 * cannot be style classes known in advance; a class per tag (as the sidebar's
 * dots have) would make GTK work out a chip's style again each time it shows
 * another tag. A chip paints its colour itself and colours its text with Pango
 * attributes instead, so showing another tag changes no style at all: while
 * scrolling a 100,000-task list, that took 1 to 1.5 ms off each frame in which
 * GTK 4.8 binds ~27 rows at once (bench/README.md).
 */
#define G_LOG_DOMAIN "roster-chip"

#include "roster-chip.h"
#include "roster-messages.h"
#include "roster-model.h"

/* Text on light colours is dark, and white on dark ones. */
#define LIGHT_COLOR_LUMINANCE 0.6
#define DARK_TEXT_ALPHA       0.8

struct _RosterChip
{
  GtkWidget  parent_instance;

  GtkLabel  *label;
  GdkRGBA    color;
};

G_DEFINE_FINAL_TYPE (RosterChip, roster_chip, GTK_TYPE_WIDGET)

static void
roster_chip_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  RosterChip *self = ROSTER_CHIP (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  GskRoundedRect pill;

  /* A pill: ends of half the height. */
  gsk_rounded_rect_init_from_rect (&pill, &GRAPHENE_RECT_INIT (0, 0, width, height), height / 2);
  gtk_snapshot_push_rounded_clip (snapshot, &pill);
  gtk_snapshot_append_color (snapshot, &self->color, &pill.bounds);
  gtk_snapshot_pop (snapshot);

  gtk_widget_snapshot_child (widget, GTK_WIDGET (self->label), snapshot);
}

static void
roster_chip_dispose (GObject *object)
{
  RosterChip *self = ROSTER_CHIP (object);

  if (self->label != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->label));
      self->label = NULL;
    }

  G_OBJECT_CLASS (roster_chip_parent_class)->dispose (object);
}

static void
roster_chip_class_init (RosterChipClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_chip_dispose;
  widget_class->snapshot = roster_chip_snapshot;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "chip");
}

static void
roster_chip_init (RosterChip *self)
{
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->label), "caption");
  gtk_widget_set_margin_start (GTK_WIDGET (self->label), 8);
  gtk_widget_set_margin_end (GTK_WIDGET (self->label), 8);
  gtk_widget_set_valign (GTK_WIDGET (self->label), GTK_ALIGN_CENTER);
  gtk_widget_set_parent (GTK_WIDGET (self->label), GTK_WIDGET (self));
  gtk_widget_set_size_request (GTK_WIDGET (self), -1, 18);

  roster_chip_set_color (self, NULL);
}

GtkWidget *
roster_chip_new (void)
{
  return g_object_new (ROSTER_TYPE_CHIP, NULL);
}

void
roster_chip_set_text (RosterChip *self,
                      const char *text)
{
  g_return_if_fail (ROSTER_IS_CHIP (self));

  gtk_label_set_label (self->label, text != NULL ? text : "");
}

const char *
roster_chip_get_text (RosterChip *self)
{
  g_return_val_if_fail (ROSTER_IS_CHIP (self), NULL);

  return gtk_label_get_label (self->label);
}

/* @color: "#rrggbb"; anything else (NULL too) is ROSTER_DEFAULT_COLOR. */
void
roster_chip_set_color (RosterChip *self,
                       const char *color)
{
  PangoAttrList *attrs;
  double luminance = 0.5;
  GdkRGBA rgba;

  g_return_if_fail (ROSTER_IS_CHIP (self));

  if (!roster_messages_parse_color (color, &luminance))
    {
      color = ROSTER_DEFAULT_COLOR;
      roster_messages_parse_color (color, &luminance);
    }
  if (!gdk_rgba_parse (&rgba, color))
    g_return_if_reached ();
  if (gdk_rgba_equal (&rgba, &self->color))
    return;

  self->color = rgba;
  attrs = pango_attr_list_new ();
  if (luminance > LIGHT_COLOR_LUMINANCE)
    {
      pango_attr_list_insert (attrs, pango_attr_foreground_new (0, 0, 0));
      pango_attr_list_insert (attrs, pango_attr_foreground_alpha_new (DARK_TEXT_ALPHA * G_MAXUINT16));
    }
  else
    pango_attr_list_insert (attrs, pango_attr_foreground_new (G_MAXUINT16, G_MAXUINT16, G_MAXUINT16));
  gtk_label_set_attributes (self->label, attrs);
  pango_attr_list_unref (attrs);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
roster_chip_get_color (RosterChip *self,
                       GdkRGBA    *color)
{
  g_return_if_fail (ROSTER_IS_CHIP (self));
  g_return_if_fail (color != NULL);

  *color = self->color;
}
