/* roster-csv.h: tasks out as CSV, for spreadsheets (RFC 4180). */
#pragma once

#include <gio/gio.h>

#include "roster-store.h"

G_BEGIN_DECLS

/* One header line, then one line per task: title, owner, done ("yes" or
 * "no"), due (YYYY-MM-DD or empty), tags (", " between names), notes. The
 * tasks of @user, or of @category, or (both NULL) every task, by owner and in
 * list order. */
GBytes *roster_csv_export (RosterStore     *store,
                           RosterUser      *user,
                           RosterCategory  *category,
                           GError         **error);

G_END_DECLS
