/* roster-chip.h: a tag's name on the tag's colour, as a task row shows it;
 * without a name, the tag's dot in the sidebar. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ROSTER_TYPE_CHIP (roster_chip_get_type ())
G_DECLARE_FINAL_TYPE (RosterChip, roster_chip, ROSTER, CHIP, GtkWidget)

GtkWidget  *roster_chip_new       (void);
void        roster_chip_set_text  (RosterChip    *self,
                                   const char    *text);
const char *roster_chip_get_text  (RosterChip    *self);
void        roster_chip_set_color (RosterChip    *self,
                                   const char    *color);
void        roster_chip_get_color (RosterChip    *self,
                                   GdkRGBA       *color);

G_END_DECLS
