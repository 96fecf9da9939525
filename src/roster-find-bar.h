/* roster-find-bar.h: Find across every user's tasks: a search entry over the
 * tasks whose title or notes contain the text (case and accents ignored).
 *
 * Signals:
 *   "task-activated" (RosterTask *task): a result was activated (click, Enter
 *                    on a result, or Enter in the entry for the first one).
 *   "closed":        Escape, in the entry or the results; the host hides the
 *                    bar and puts the focus back.
 * Property: "store" (RosterStore, may be NULL: no results).
 */
#pragma once

#include <adwaita.h>

#include "roster-model.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_FIND_BAR (roster_find_bar_get_type ())
G_DECLARE_FINAL_TYPE (RosterFindBar, roster_find_bar, ROSTER, FIND_BAR, GtkWidget)

GtkWidget   *roster_find_bar_new         (RosterStore   *store);
RosterStore *roster_find_bar_get_store   (RosterFindBar *self);
void         roster_find_bar_set_store   (RosterFindBar *self,
                                          RosterStore   *store);
/* Focuses the entry and selects its text, so typing replaces it. */
void         roster_find_bar_focus       (RosterFindBar *self);
/* Runs the search again for the current text; call it after a change to the
 * file. Rows that stay keep their place and the focus. */
void         roster_find_bar_refresh     (RosterFindBar *self);
/* Puts @text in the entry and shows its results at once, as if typed. */
void         roster_find_bar_set_text    (RosterFindBar *self,
                                          const char    *text);
/* The results shown, oldest first. (transfer none) (element-type RosterTask) */
GListModel  *roster_find_bar_get_results (RosterFindBar *self);

G_END_DECLS
