/* roster-entry-error.h: a refused change said under the field it was typed
 * in, the same way everywhere (the window's entries, a row's rename field,
 * the tags popover, the details pane). */
#pragma once

#include <gtk/gtk.h>

#include "roster-messages.h"

G_BEGIN_DECLS

void roster_entry_error_show (GtkWidget     *entry,
                              GtkLabel      *label,
                              const GError  *error,
                              RosterSubject  subject);

G_END_DECLS
