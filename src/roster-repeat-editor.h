/* roster-repeat-editor.h: the details pane's Repeat controls.
 *
 * Shows a task's repeat rule (an RFC 5545 RRULE's value, "" for none) as a
 * person thinks of it: every day, weekday, week on chosen days, month (on
 * the same day, the same weekday such as "the third Thursday", or the last
 * day), year, every N of them, ending never, on a date or after N times.
 * It knows no store: the pane gives it the rule and the due date, and saves
 * what "rule-changed" says.
 *
 * Signals: "rule-changed" (): the person changed the rule;
 * roster_repeat_editor_get_rule() has the new one.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ROSTER_TYPE_REPEAT_EDITOR (roster_repeat_editor_get_type ())
G_DECLARE_FINAL_TYPE (RosterRepeatEditor, roster_repeat_editor, ROSTER, REPEAT_EDITOR, AdwBin)

/* Shows @rule for a task due on @due; without a due date the controls are
 * off and a line says why. */
void        roster_repeat_editor_set_rule (RosterRepeatEditor *self,
                                           const char         *rule,
                                           GDateTime          *due);
const char *roster_repeat_editor_get_rule (RosterRepeatEditor *self);

G_END_DECLS
