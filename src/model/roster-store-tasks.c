/* roster-store-tasks.c: the task mutations, and where a task goes in its list.
 *
 * Creating a task, editing one field of it (title, done, notes, due date,
 * due time, priority, repeat rule, owner), moving it within its owner's list
 * and deleting it. Each public
 * function validates its input and hands a build function to
 * _roster_store_run_change(), as every mutation does (roster-store-mutations.c
 * has the users, tags and batches, and what the builds share).
 *
 * A task's place in its owner's list is its position, then its id: positions
 * are ROSTER_POSITION_STEP apart, so that moving a task usually rewrites one
 * row.
 *
 * Planning (issue 18): a due time and a repeat rule hang on the due date. A
 * task without one can have neither, and clearing the due date clears both
 * in the same change (one undo brings all three back): a rule without a
 * first day, or a time on no day, would mean nothing. Marking a repeating
 * task done moves its due date to the rule's next occurrence and leaves it
 * open (roster-recurrence.h); its due time stays the same wall-clock time.
 * Only when the rule has no occurrence left is it marked done. Either way
 * it is one row update, so undo puts back exactly the row that was.
 */
#define G_LOG_DOMAIN "roster-store"

#include <glib/gi18n-lib.h>

#include "roster-recurrence.h"
#include "roster-store-parts.h"

/* ------------------------------------------------------------------------ */
/* Positions                                                                 */

/* The position of the last task in @owner_id's list (0 when none), read
 * through @db. */
gint64
_roster_max_position (sqlite3    *db,
                      GHashTable *statements,
                      gint64      owner_id)
{
  sqlite3_stmt *s = roster_statement (db, statements, "SELECT max(position) FROM task WHERE owner_id = ?1");
  gint64 position = 0;

  sqlite3_bind_int64 (s, 1, owner_id);
  if (sqlite3_step (s) == SQLITE_ROW)
    position = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  return position;
}

/* The position for a new task at the end of @owner_id's list. A batch that
 * adds many tasks remembers the last one per owner instead of asking again. */
gint64
_roster_store_next_position (RosterStore *self,
               gint64       owner_id)
{
  gint64 *cached = NULL;
  gint64 position;

  if (self->batch_positions != NULL)
    cached = g_hash_table_lookup (self->batch_positions, &owner_id);
  position = cached ? *cached : _roster_max_position (self->db, self->statements, owner_id);
  position += ROSTER_POSITION_STEP;

  if (self->batch_positions != NULL)
    {
      if (cached != NULL)
        *cached = position;
      else
        g_hash_table_insert (self->batch_positions, _roster_key_new (owner_id), _roster_key_new (position));
    }
  return position;
}

/* Any change to tasks other than adding one may move a list's end. */
void
_roster_store_forget_positions (RosterStore *self)
{
  if (self->batch_positions != NULL)
    g_hash_table_remove_all (self->batch_positions);
}

/* Reads @owner_id's tasks through @db, in list order. */
int
_roster_read_owned_tasks (sqlite3    *db,
                          GHashTable *statements,
                          gint64      owner_id,
                          GPtrArray  *rows)
{
  sqlite3_stmt *s = roster_statement (db, statements,
                                      "SELECT " ROSTER_TASK_COLUMNS " FROM task WHERE owner_id = ?1 "
                                      "ORDER BY position, id");
  int rc;

  sqlite3_bind_int64 (s, 1, owner_id);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      RosterTaskRecord *row = g_new0 (RosterTaskRecord, 1);
      _roster_read_task_columns (s, row);
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (s);
  return rc;
}

/* ------------------------------------------------------------------------ */
/* Tasks                                                                     */

static gboolean
build_create_task (RosterStore   *self,
                   RosterChange  *change,
                   gpointer       data,
                   GError       **error)
{
  RosterBuildArgs *args = data;
  RosterTaskRecord *row = g_new0 (RosterTaskRecord, 1);
  int rc;

  row->title = g_strdup (args->text);
  row->owner_id = roster_user_get_id (args->user);
  row->notes = g_strdup ("");
  row->position = _roster_store_next_position (self, row->owner_id);
  rc = _roster_store_run_new_op (self, change, ROSTER_OP_INSERT, ROSTER_TABLE_TASK, row, NULL);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY || rc == SQLITE_CONSTRAINT_NOTNULL)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NO_OWNER,
                   _("A task needs an owner, and this user no longer exists."));
      return FALSE;
    }
  if (_roster_store_op_failed (self, rc, error))
    return FALSE;
  /* The UID the insert gave the task, so that a redo gives the same one. */
  return _roster_store_keep_new_ical (self, change, row->id, error);
}

/**
 * roster_store_create_task:
 *
 * Returns: (transfer full): the new task, or NULL with @error set.
 */
RosterTask *
roster_store_create_task (RosterStore  *self,
                          RosterUser   *owner,
                          const char   *title,
                          GError      **error)
{
  g_autofree char *label = NULL;
  RosterBuildArgs args = { .user = owner, .text = title };
  RosterTaskRecord *row;

  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  if (owner == NULL)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NO_OWNER,
                   _("A task needs an owner."));
      return NULL;
    }
  if (_roster_store_lookup_user (self, roster_user_get_id (owner)) != owner)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NO_OWNER,
                   _("A task needs an owner, and this user no longer exists."));
      return NULL;
    }
  if (!_roster_check_text (title, ROSTER_TEXT_TITLE, error))
    return NULL;

  label = _roster_store_describe (self, N_("Add task “%s”"), title, NULL);
  if (!_roster_store_run_change (self, label, build_create_task, &args, error))
    return NULL;

  row = _roster_store_last_inserted_row (self, self->batch ? self->batch : g_queue_peek_head (&self->undo),
                                         ROSTER_TABLE_TASK);
  g_assert (row != NULL);
  return _roster_store_task_from_row (self, row);
}

typedef enum
{
  EDIT_TITLE,
  EDIT_DONE,
  EDIT_NOTES,
  EDIT_DUE_DATE,
  EDIT_DUE_TIME,
  EDIT_PRIORITY,
  EDIT_RECURRENCE,
  EDIT_OWNER,
  EDIT_POSITION,
} TaskField;

typedef struct
{
  RosterTask *task;
  TaskField   field;
  const char *text;
  gint64      number;
} TaskEdit;

/* A repeating task marked done: its next due date instead, open, while its
 * rule has one. */
static void
advance (RosterTaskRecord *row)
{
  char *next_due = NULL;
  char *next_rule = NULL;

  if (!_roster_recurrence_next (row->recurrence, row->due_date, &next_due, &next_rule))
    return;
  row->done = FALSE;
  g_free (row->due_date);
  row->due_date = next_due;
  g_free (row->recurrence);
  row->recurrence = next_rule;
}

static gboolean
build_edit_task (RosterStore   *self,
                 RosterChange  *change,
                 gpointer       data,
                 GError       **error)
{
  TaskEdit *edit = data;
  RosterTaskRecord *old;
  RosterTaskRecord *new;
  gboolean same, failed = FALSE;
  int rc;

  _roster_store_forget_positions (self);
  old = _roster_store_read_row (self, ROSTER_TABLE_TASK, roster_task_get_id (edit->task), error);

  if (old == NULL)
    return FALSE;

  new = g_new0 (RosterTaskRecord, 1);
  roster_task_record_copy (new, old);

  switch (edit->field)
    {
    case EDIT_TITLE:
      g_free (new->title);
      new->title = g_strdup (edit->text);
      same = g_strcmp0 (old->title, new->title) == 0;
      break;
    case EDIT_DONE:
      new->done = edit->number != 0;
      if (new->done && !old->done && old->due_date != NULL)
        advance (new);
      same = old->done == new->done && g_strcmp0 (old->due_date, new->due_date) == 0;
      break;
    case EDIT_NOTES:
      g_free (new->notes);
      new->notes = g_strdup (edit->text ? edit->text : "");
      same = g_strcmp0 (old->notes, new->notes) == 0;
      break;
    case EDIT_DUE_DATE:
      g_free (new->due_date);
      new->due_date = g_strdup (edit->text);
      if (new->due_date == NULL)
        {
          g_clear_pointer (&new->due_time, g_free);
          g_clear_pointer (&new->recurrence, g_free);
        }
      same = g_strcmp0 (old->due_date, new->due_date) == 0;
      break;
    case EDIT_DUE_TIME:
      g_free (new->due_time);
      new->due_time = g_strdup (edit->text);
      same = g_strcmp0 (old->due_time, new->due_time) == 0;
      if (!same && new->due_time != NULL && old->due_date == NULL)
        {
          g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_INVALID,
                               _("A task needs a due date before it can have a due time."));
          failed = TRUE;
        }
      break;
    case EDIT_PRIORITY:
      new->priority = edit->number;
      same = old->priority == new->priority;
      break;
    case EDIT_RECURRENCE:
      g_free (new->recurrence);
      new->recurrence = edit->text != NULL && *edit->text != '\0' ? g_strdup (edit->text) : NULL;
      same = g_strcmp0 (old->recurrence, new->recurrence) == 0;
      if (!same && new->recurrence != NULL && old->due_date == NULL)
        {
          g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_INVALID,
                               _("A task without a due date cannot repeat: give it a due date first, "
                                 "the day it falls due the first time."));
          failed = TRUE;
        }
      break;
    case EDIT_OWNER:
      same = old->owner_id == edit->number;
      new->owner_id = edit->number;
      if (!same)
        new->position = _roster_max_position (self->db, self->statements, edit->number) + ROSTER_POSITION_STEP;
      break;
    case EDIT_POSITION:
    default:
      new->position = edit->number;
      same = old->position == new->position;
      break;
    }

  if (same || failed)
    {
      roster_task_record_free (old);
      roster_task_record_free (new);
      return !failed;
    }

  rc = _roster_store_run_new_op (self, change, ROSTER_OP_UPDATE, ROSTER_TABLE_TASK, old, new);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NO_OWNER,
                   _("A task needs an owner, and this user no longer exists."));
      return FALSE;
    }
  return !_roster_store_op_failed (self, rc, error);
}

static gboolean
edit_task (RosterStore  *self,
           RosterTask   *task,
           const char   *label,
           TaskEdit     *edit,
           GError      **error)
{
  edit->task = task;
  return _roster_store_run_change (self, label, build_edit_task, edit, error);
}

gboolean
roster_store_set_task_title (RosterStore  *self,
                             RosterTask   *task,
                             const char   *title,
                             GError      **error)
{
  TaskEdit edit = { .field = EDIT_TITLE, .text = title };
  g_autofree char *label = NULL;

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  if (!_roster_store_task_is_live (self, task, error) || !_roster_check_text (title, ROSTER_TEXT_TITLE, error))
    return FALSE;
  label = _roster_store_describe (self, N_("Rename task “%s”"), roster_task_get_title (task), NULL);
  return edit_task (self, task, label, &edit, error);
}

gboolean
roster_store_set_task_done (RosterStore  *self,
                            RosterTask   *task,
                            gboolean      done,
                            GError      **error)
{
  TaskEdit edit = { .field = EDIT_DONE, .number = done != FALSE };
  g_autofree char *label = NULL;
  g_autofree char *due = NULL;
  g_autofree char *next_due = NULL;
  g_autofree char *next_rule = NULL;
  const char *format = done ? N_("Mark “%s” as done") : N_("Mark “%s” as not done");

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  if (!_roster_store_task_is_live (self, task, error))
    return FALSE;
  /* The undo label says what will happen to a repeating task. */
  due = _roster_date_to_string (roster_task_get_due_date (task));
  if (done && !roster_task_get_done (task) &&
      _roster_recurrence_next (roster_task_get_recurrence (task), due, &next_due, &next_rule))
    format = N_("Move “%s” to its next date");
  label = _roster_store_describe (self, format, roster_task_get_title (task), NULL);
  return edit_task (self, task, label, &edit, error);
}

gboolean
roster_store_set_task_notes (RosterStore  *self,
                             RosterTask   *task,
                             const char   *notes,
                             GError      **error)
{
  TaskEdit edit = { .field = EDIT_NOTES, .text = notes };
  g_autofree char *label = NULL;

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  if (!_roster_store_task_is_live (self, task, error) || !_roster_check_text (notes, ROSTER_TEXT_NOTES, error))
    return FALSE;
  label = _roster_store_describe (self, N_("Edit the notes of “%s”"), roster_task_get_title (task), NULL);
  return edit_task (self, task, label, &edit, error);
}

gboolean
roster_store_set_task_due_date (RosterStore  *self,
                                RosterTask   *task,
                                GDateTime    *due_date,
                                GError      **error)
{
  g_autofree char *text = _roster_date_to_string (due_date);
  TaskEdit edit = { .field = EDIT_DUE_DATE, .text = text };
  g_autofree char *label = NULL;

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  if (!_roster_store_task_is_live (self, task, error))
    return FALSE;
  label = _roster_store_describe (self,
                                  due_date ? N_("Set the due date of “%s”") : N_("Clear the due date of “%s”"),
                                  roster_task_get_title (task), NULL);
  return edit_task (self, task, label, &edit, error);
}

gboolean
roster_store_set_task_due_time (RosterStore  *self,
                                RosterTask   *task,
                                const char   *due_time,
                                GError      **error)
{
  TaskEdit edit = { .field = EDIT_DUE_TIME };
  g_autofree char *label = NULL;

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  if (!_roster_store_task_is_live (self, task, error))
    return FALSE;
  if (due_time != NULL && *due_time == '\0')
    due_time = NULL;
  if (due_time != NULL && !_roster_time_check (due_time, error))
    return FALSE;
  edit.text = due_time;
  label = _roster_store_describe (self,
                                  due_time ? N_("Set the due time of “%s”") : N_("Clear the due time of “%s”"),
                                  roster_task_get_title (task), NULL);
  return edit_task (self, task, label, &edit, error);
}

gboolean
roster_store_set_task_priority (RosterStore     *self,
                                RosterTask      *task,
                                RosterPriority   priority,
                                GError         **error)
{
  TaskEdit edit = { .field = EDIT_PRIORITY, .number = priority };
  g_autofree char *label = NULL;

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  if (!_roster_store_task_is_live (self, task, error))
    return FALSE;
  if (priority < ROSTER_PRIORITY_NONE || priority > ROSTER_PRIORITY_HIGH)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID,
                   _("A priority is none, low, medium or high."));
      return FALSE;
    }
  label = _roster_store_describe (self, N_("Set the priority of “%s”"), roster_task_get_title (task), NULL);
  return edit_task (self, task, label, &edit, error);
}

gboolean
roster_store_set_task_recurrence (RosterStore  *self,
                                  RosterTask   *task,
                                  const char   *rule,
                                  GError      **error)
{
  g_autofree char *normalized = NULL;
  g_autofree char *label = NULL;
  TaskEdit edit = { .field = EDIT_RECURRENCE };

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  if (!_roster_store_task_is_live (self, task, error))
    return FALSE;
  normalized = roster_recurrence_normalize (rule, error);
  if (normalized == NULL)
    return FALSE;
  edit.text = normalized;
  label = _roster_store_describe (self,
                                  *normalized ? N_("Set how “%s” repeats") : N_("Stop repeating “%s”"),
                                  roster_task_get_title (task), NULL);
  return edit_task (self, task, label, &edit, error);
}

gboolean
roster_store_move_task (RosterStore  *self,
                        RosterTask   *task,
                        RosterUser   *owner,
                        GError      **error)
{
  g_autofree char *label = NULL;
  TaskEdit edit = { .field = EDIT_OWNER };

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  if (owner == NULL)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NO_OWNER, _("A task needs an owner."));
      return FALSE;
    }
  if (!_roster_store_user_is_live (self, owner, error))
    return FALSE;

  if (!_roster_store_task_is_live (self, task, error))
    return FALSE;

  edit.number = roster_user_get_id (owner);
  label = _roster_store_describe (self, N_("Give “%s” to %s"), roster_task_get_title (task),
                                  roster_user_get_username (owner));
  return edit_task (self, task, label, &edit, error);
}

typedef struct
{
  RosterTask *task;
  guint       index;
} Reorder;

static gboolean
build_reorder_task (RosterStore   *self,
                    RosterChange  *change,
                    gpointer       data,
                    GError       **error)
{
  Reorder *reorder = data;
  gint64 task_id = roster_task_get_id (reorder->task);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (roster_task_record_free);
  RosterTaskRecord *moved = NULL;
  RosterTaskRecord *prev, *next;
  guint from = 0, to;
  gint64 position;
  int rc;

  _roster_store_forget_positions (self);
  /* The owner as the file has it: inside a batch the object lags behind. */
  moved = _roster_store_read_row (self, ROSTER_TABLE_TASK, task_id, error);
  if (moved == NULL)
    return FALSE;
  rc = _roster_read_owned_tasks (self->db, self->statements, moved->owner_id, rows);
  roster_task_record_free (moved);
  moved = NULL;
  if (_roster_store_op_failed (self, rc == SQLITE_DONE ? SQLITE_OK : rc, error))
    return FALSE;

  for (guint i = 0; i < rows->len; i++)
    if (((RosterTaskRecord *) g_ptr_array_index (rows, i))->id == task_id)
      {
        from = i;
        moved = g_ptr_array_index (rows, i);
      }
  if (moved == NULL)
    return !_roster_store_op_failed (self, SQLITE_NOTFOUND, error);

  to = MIN (reorder->index, rows->len - 1);
  if (to == from)
    return TRUE;

  g_ptr_array_steal_index (rows, from);
  g_ptr_array_insert (rows, to, moved);
  prev = to > 0 ? g_ptr_array_index (rows, to - 1) : NULL;
  next = to + 1 < rows->len ? g_ptr_array_index (rows, to + 1) : NULL;

  g_assert (prev != NULL || next != NULL);
  if (prev == NULL)
    position = next->position - ROSTER_POSITION_STEP;
  else if (next == NULL)
    position = prev->position + ROSTER_POSITION_STEP;
  else if (next->position - prev->position >= 2)
    position = prev->position + (next->position - prev->position) / 2;
  else
    {
      /* No room between the neighbours: space the whole list out again. */
      for (guint i = 0; i < rows->len; i++)
        {
          RosterTaskRecord *old = g_ptr_array_index (rows, i);
          RosterTaskRecord *new;

          if (old->position == (gint64) (i + 1) * ROSTER_POSITION_STEP)
            continue;
          new = g_new0 (RosterTaskRecord, 1);
          roster_task_record_copy (new, old);
          new->position = (gint64) (i + 1) * ROSTER_POSITION_STEP;
          g_ptr_array_index (rows, i) = NULL;
          rc = _roster_store_run_new_op (self, change, ROSTER_OP_UPDATE, ROSTER_TABLE_TASK, old, new);
          if (_roster_store_op_failed (self, rc, error))
            return FALSE;
        }
      return TRUE;
    }

  {
    RosterTaskRecord *old = g_new0 (RosterTaskRecord, 1);
    RosterTaskRecord *new = g_new0 (RosterTaskRecord, 1);

    roster_task_record_copy (old, moved);
    roster_task_record_copy (new, moved);
    new->position = position;
    rc = _roster_store_run_new_op (self, change, ROSTER_OP_UPDATE, ROSTER_TABLE_TASK, old, new);
  }
  return !_roster_store_op_failed (self, rc, error);
}

gboolean
roster_store_reorder_task (RosterStore  *self,
                           RosterTask   *task,
                           guint         index,
                           GError      **error)
{
  g_autofree char *label = NULL;
  Reorder reorder = { task, index };

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  if (!_roster_store_task_is_live (self, task, error))
    return FALSE;

  label = _roster_store_describe (self, N_("Move “%s”"), roster_task_get_title (task), NULL);
  return _roster_store_run_change (self, label, build_reorder_task, &reorder, error);
}

static gboolean
build_delete_task (RosterStore   *self,
                   RosterChange  *change,
                   gpointer       data,
                   GError       **error)
{
  RosterBuildArgs *args = data;
  gint64 task_id = roster_task_get_id (args->task);

  return _roster_store_delete_links (self, change, TRUE, task_id, error) &&
         _roster_store_delete_ical (self, change, task_id, error) &&
         _roster_store_delete_row (self, change, ROSTER_TABLE_TASK, task_id, error);
}

gboolean
roster_store_delete_task (RosterStore  *self,
                          RosterTask   *task,
                          GError      **error)
{
  g_autofree char *label = NULL;
  RosterBuildArgs args = { .task = task };

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  if (!_roster_store_task_is_live (self, task, error))
    return FALSE;

  label = _roster_store_describe (self, N_("Delete task “%s”"), roster_task_get_title (task), NULL);
  return _roster_store_run_change (self, label, build_delete_task, &args, error);
}
