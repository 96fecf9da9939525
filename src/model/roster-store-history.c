/* roster-store-history.c: undo and redo.
 *
 * Every change that commits goes on the undo stack as the row operations it
 * made (a RosterChange, see roster-change.h). Undo runs them backwards in a
 * new transaction, redo forwards again, and either is reflected as any commit
 * is, so that ids, links and even the object pointers come back. The stacks
 * keep MAX_UNDO steps; another program's commit drops them
 * (roster_store_refresh()). A big step is replayed in the worker instead
 * (roster-store-worker.c), which ends with _roster_store_finish_replay() too.
 */
#define G_LOG_DOMAIN "roster-store"

#include <glib/gi18n-lib.h>

#include "roster-store-parts.h"

/* Changes kept for undo. */
#define MAX_UNDO 1000

static void
notify_history (RosterStore *self)
{
  _roster_store_notify (self, PROP_CAN_UNDO);
  _roster_store_notify (self, PROP_CAN_REDO);
  _roster_store_notify (self, PROP_UNDO_LABEL);
  _roster_store_notify (self, PROP_REDO_LABEL);
}

static void
clear_changes (GQueue *queue)
{
  g_queue_clear_full (queue, (GDestroyNotify) roster_change_free);
}

/* A change just committed and reflected becomes the step to undo; what
 * could be redone is gone. */
void
_roster_store_push_undo (RosterStore  *self,
                         RosterChange *change)
{
  g_queue_push_head (&self->undo, change);
  while (self->undo.length > MAX_UNDO)
    roster_change_free (g_queue_pop_tail (&self->undo));
  clear_changes (&self->redo);
  notify_history (self);
}

/* Drops every undo and redo step: they were computed against rows another
 * program may have changed since, and replaying them could undo its work. */
void
_roster_store_forget_history (RosterStore *self)
{
  clear_changes (&self->undo);
  clear_changes (&self->redo);
  notify_history (self);
}

static void
detach_change_objects (GQueue *queue)
{
  for (GList *l = queue->head; l != NULL; l = l->next)
    {
      RosterChange *change = l->data;

      for (guint i = 0; i < change->ops->len; i++)
        {
          RosterOp *op = &g_array_index (change->ops, RosterOp, i);

          if (op->object == NULL)
            continue;
          if (ROSTER_IS_USER (op->object))
            _roster_user_detach (ROSTER_USER (op->object));
          else if (ROSTER_IS_CATEGORY (op->object))
            _roster_category_detach (ROSTER_CATEGORY (op->object));
        }
    }
}

/* The store is going: the objects the steps keep (which may outlive it)
 * must not call back into it. */
void
_roster_store_dispose_history (RosterStore *self)
{
  detach_change_objects (&self->undo);
  detach_change_objects (&self->redo);
  clear_changes (&self->undo);
  clear_changes (&self->redo);
}

/* The replay of the step at the head of the undo stack (or, @forward, of
 * the redo stack) has committed: the objects and lists follow it, and the
 * step moves to the other stack. */
void
_roster_store_finish_replay (RosterStore *self,
                             gboolean     forward)
{
  GQueue *from = forward ? &self->redo : &self->undo;
  GQueue *to = forward ? &self->undo : &self->redo;
  RosterChange *change = g_queue_pop_head (from);

  _roster_store_reflect (self, change, forward, TRUE);
  g_queue_push_head (to, change);
  notify_history (self);
}

/* Undoes the last step (or, @forward, redoes the last undone one). */
gboolean
_roster_store_replay (RosterStore  *self,
                      gboolean      forward,
                      GError      **error)
{
  RosterChange *change;
  guint n;

  g_return_val_if_fail (self->batch == NULL, FALSE);

  change = g_queue_peek_head (forward ? &self->redo : &self->undo);
  if (change == NULL)
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NOTHING_TO_UNDO,
                   forward ? _("There is nothing to redo.") : _("There is nothing to undo."));
      return FALSE;
    }
  if (!_roster_store_check_writable (self, error))
    return FALSE;

  _roster_store_end_read (self);
  if (!_roster_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  n = change->ops->len;
  for (guint k = 0; k < n; k++)
    {
      RosterOp *op = &g_array_index (change->ops, RosterOp, forward ? k : n - 1 - k);
      int rc = roster_op_execute (self->db, self->statements, op, forward);

      if (rc != SQLITE_OK)
        {
          if (rc == SQLITE_CONSTRAINT_UNIQUE)
            g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_DUPLICATE,
                         _("This cannot be undone: a name it would bring back is taken now."));
          else
            _roster_store_op_failed (self, rc, error);
          _roster_store_rollback (self);
          return FALSE;
        }
    }

  if (!_roster_store_exec (self, "COMMIT", error))
    {
      _roster_store_rollback (self);
      return FALSE;
    }

  _roster_store_finish_replay (self, forward);
  return TRUE;
}

gboolean
roster_store_undo (RosterStore  *self,
                   GError      **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  return _roster_store_replay (self, FALSE, error);
}

gboolean
roster_store_redo (RosterStore  *self,
                   GError      **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  return _roster_store_replay (self, TRUE, error);
}

gboolean
roster_store_get_can_undo (RosterStore *self)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  return self->undo.length > 0;
}

gboolean
roster_store_get_can_redo (RosterStore *self)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  return self->redo.length > 0;
}

const char *
roster_store_get_undo_label (RosterStore *self)
{
  RosterChange *change;

  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  change = g_queue_peek_head (&self->undo);
  return change ? change->label : NULL;
}

const char *
roster_store_get_redo_label (RosterStore *self)
{
  RosterChange *change;

  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  change = g_queue_peek_head (&self->redo);
  return change ? change->label : NULL;
}
