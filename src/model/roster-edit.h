/* roster-edit.h: one edit of RosterEditQueue, as data (private to the model
 * layer).
 *
 * An edit the file refuses for now is kept as a RosterEdit and made again
 * later: what it does (its kind) and its arguments, typed. Each kind uses the
 * fields that its function of the queue takes (roster-edit-queue.h); the
 * others are unset.
 */
#pragma once

#include "roster-edit-queue.h"

G_BEGIN_DECLS

typedef struct
{
  RosterEditKind    kind;
  RosterTask       *task;
  RosterUser       *user;      /* a new task's owner, a moved task's new one; a
                                * renamed or deleted user */
  RosterUser       *heir;      /* who gets a deleted user's tasks */
  RosterCategory   *category;
  char             *text;      /* a title, name, notes, colour, due time
                                * or repeat rule */
  GDateTime        *due_date;  /* midnight UTC of the due day; NULL: none */
  gboolean          flag;      /* done, or tagged */
  guint             index;     /* where a reordered task goes */
  RosterPriority    priority;
  RosterDeleteUser  mode;
  gboolean          waited;    /* kept before it was made */
} RosterEdit;

/* A copy that holds its own references (freed with _roster_edit_free()). */
RosterEdit *_roster_edit_copy            (const RosterEdit  *edit);
void        _roster_edit_free            (RosterEdit        *edit);

/* The objects @edit's kind needs are there, and of the right types. */
gboolean    _roster_edit_is_valid        (const RosterEdit  *edit);
/* FALSE with ROSTER_ERROR_EMPTY, as the store would say, when the title or
 * name @edit gives is blank; with ROSTER_ERROR_INVALID when its due time or
 * repeat rule is not one. */
gboolean    _roster_edit_check_text      (const RosterEdit  *edit,
                                          GError           **error);
/* Both set the same thing (whether a task is done, a title, a name…); and
 * to the same value. */
gboolean    _roster_edit_sets_same_thing (const RosterEdit  *a,
                                          const RosterEdit  *b);
gboolean    _roster_edit_same_value      (const RosterEdit  *a,
                                          const RosterEdit  *b);
gboolean    _roster_edit_is_deletion     (const RosterEdit  *edit);

/* Makes @edit in @store now (a deletion of a user too, in this thread);
 * @created (optional) gets what a create made. */
gboolean    _roster_edit_run             (const RosterEdit  *edit,
                                          RosterStore       *store,
                                          GObject          **created,
                                          GError           **error);
/* Notifies what @edit would have changed, so that a view showing the
 * value asked for shows the file's again. */
void        _roster_edit_show_file_value (const RosterEdit  *edit);

G_END_DECLS
