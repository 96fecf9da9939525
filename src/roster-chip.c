/* roster-chip.c: a tag's name on the tag's colour, or without a name the
 * tag's dot in the sidebar.
 *
 * A task row shows one chip per tag, and a row is bound to one task after
 * another as its list scrolls. Tag colours are the person's own, so they
 * cannot be style classes known in advance, and a class per tag made GTK work
 * out a chip's style again each time it showed another tag. A chip paints its
 * colour and its text itself instead, so showing another tag changes no
 * style: while scrolling a 100,000-task list, that took 1 to 1.5 ms off each
 * frame in which GTK 4.8 binds ~27 rows at once (bench/README.md). It is one
 * widget, not a box around a GtkLabel: GTK 4.8 keeps ~200 task rows of three
 * chips alive. With the dots drawn the same way, no tag colour is a style at
 * all: the style sheet of one rule per tag that Roster had made every style
 * lookup of the window slower, and with 200 tags cost ~7 ms of start-up.
 *
 * The text takes the chip's CSS font (the "caption" class); its colour is
 * dark on light tag colours and white on dark ones.
 */
#define G_LOG_DOMAIN "roster-chip"

#include "roster-chip.h"
#include "roster-messages.h"
#include "roster-model.h"

#define LIGHT_COLOR_LUMINANCE 0.6
#define PADDING_X             8
#define MIN_HEIGHT            18
/* As a user's icon in the sidebar: the names line up. */
#define DOT_SIZE              16

struct _RosterChip
{
  GtkWidget    parent_instance;

  char        *text;
  PangoLayout *layout;      /* made when first measured; dropped on a style change */
  GdkRGBA      color;
  GdkRGBA      text_color;
};

G_DEFINE_FINAL_TYPE (RosterChip, roster_chip, GTK_TYPE_WIDGET)

static PangoLayout *
ensure_layout (RosterChip *self)
{
  if (self->layout == NULL)
    self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->text);
  return self->layout;
}

static void
roster_chip_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  RosterChip *self = ROSTER_CHIP (widget);
  int width, height;

  if (*self->text == '\0')
    {
      *minimum = *natural = DOT_SIZE;
      return;
    }
  pango_layout_get_pixel_size (ensure_layout (self), &width, &height);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = width + 2 * PADDING_X;
  else
    *minimum = *natural = MAX (height, MIN_HEIGHT);
}

static void
roster_chip_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  RosterChip *self = ROSTER_CHIP (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  PangoLayout *layout = ensure_layout (self);
  GskRoundedRect pill;
  int text_width, text_height;

  /* A pill: ends of half the height. */
  gsk_rounded_rect_init_from_rect (&pill, &GRAPHENE_RECT_INIT (0, 0, width, height), height / 2);
  gtk_snapshot_push_rounded_clip (snapshot, &pill);
  gtk_snapshot_append_color (snapshot, &self->color, &pill.bounds);
  gtk_snapshot_pop (snapshot);
  if (*self->text == '\0')
    return;

  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  gtk_snapshot_save (snapshot);
  /* Whole pixels: text between two would be blurred. */
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((int) ((width - text_width) / 2),
                                                          (int) ((height - text_height) / 2)));
  gtk_snapshot_append_layout (snapshot, layout, &self->text_color);
  gtk_snapshot_restore (snapshot);
}

/* A new font (theme, text scale): measured again with it. */
static void
roster_chip_css_changed (GtkWidget         *widget,
                         GtkCssStyleChange *change)
{
  RosterChip *self = ROSTER_CHIP (widget);

  GTK_WIDGET_CLASS (roster_chip_parent_class)->css_changed (widget, change);
  g_clear_object (&self->layout);
  gtk_widget_queue_resize (widget);
}

static void
roster_chip_finalize (GObject *object)
{
  RosterChip *self = ROSTER_CHIP (object);

  g_clear_object (&self->layout);
  g_free (self->text);

  G_OBJECT_CLASS (roster_chip_parent_class)->finalize (object);
}

static void
roster_chip_class_init (RosterChipClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = roster_chip_finalize;
  widget_class->measure = roster_chip_measure;
  widget_class->snapshot = roster_chip_snapshot;
  widget_class->css_changed = roster_chip_css_changed;

  gtk_widget_class_set_css_name (widget_class, "chip");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
roster_chip_init (RosterChip *self)
{
  self->text = g_strdup ("");
  gtk_widget_add_css_class (GTK_WIDGET (self), "caption");
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

  if (text == NULL)
    text = "";
  if (g_str_equal (text, self->text))
    return;

  g_free (self->text);
  self->text = g_strdup (text);
  if (self->layout != NULL)
    pango_layout_set_text (self->layout, text, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

const char *
roster_chip_get_text (RosterChip *self)
{
  g_return_val_if_fail (ROSTER_IS_CHIP (self), NULL);

  return self->text;
}

/* @color: "#rrggbb"; anything else (NULL too) is ROSTER_DEFAULT_COLOR. */
void
roster_chip_set_color (RosterChip *self,
                       const char *color)
{
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
  if (luminance > LIGHT_COLOR_LUMINANCE)
    self->text_color = (GdkRGBA) { 0, 0, 0, 0.8 };
  else
    self->text_color = (GdkRGBA) { 1, 1, 1, 1 };
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
