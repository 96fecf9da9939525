/* roster-export-dialog.h: asks what Export… writes, and in which format.
 *
 * Responses: "export" (what roster_export_dialog_get_what() and
 * _get_format() say; Enter answers it wherever the focus is), "cancel".
 * The dialog only asks: whoever shows it picks the file and exports.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum
{
  ROSTER_EXPORT_USER,
  ROSTER_EXPORT_TAG,
  ROSTER_EXPORT_ALL,
} RosterExportWhat;

typedef enum
{
  ROSTER_EXPORT_ICS,
  ROSTER_EXPORT_CSV,
} RosterExportFormat;

#define ROSTER_TYPE_EXPORT_DIALOG (roster_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RosterExportDialog, roster_export_dialog, ROSTER, EXPORT_DIALOG, AdwMessageDialog)

/* @username, @tag_name: the selected user's and tag's names, offered (the
 * user's first, and chosen) when not NULL. */
GtkWidget          *roster_export_dialog_new        (GtkWindow          *parent,
                                                     const char         *username,
                                                     const char         *tag_name);
RosterExportWhat    roster_export_dialog_get_what   (RosterExportDialog *self);
RosterExportFormat  roster_export_dialog_get_format (RosterExportDialog *self);

G_END_DECLS
