/* roster-store-reflect.c: the objects and the live lists follow a commit.
 *
 * Only once a change has committed (a mutation, a batch, an undo or a redo, a
 * worker's big change) does _roster_store_reflect() bring the objects in the
 * identity map and the lists up to date with its row operations. A list it
 * touches is told each row that came or went between _roster_list_begin_change()
 * and _roster_list_end_change(), and emits one items-changed for them all, once
 * every list is consistent. Counts are adjusted as it goes, or read again after
 * a batch or a big change.
 */
#define G_LOG_DOMAIN "roster-store"

#include "roster-store-parts.h"

/* From this many row operations on, _roster_store_reflect() reads the lists
 * a change touches again instead of editing them (see there). */
#define BIG_REFLECT_OPS 1024

/* Marks @list as changed by the reflect under way (if anybody has read it). */
RosterList *
_roster_store_touch_list (RosterStore *self,
                          RosterList  *list)
{
  if (list == NULL || !_roster_list_is_loaded (list))
    return NULL;

  if (!g_ptr_array_find (self->touched, list, NULL))
    {
      _roster_list_begin_change (list);
      if (self->reflect_reloads)
        _roster_list_reload (list);
      g_ptr_array_add (self->touched, g_object_ref (list));
    }
  return list;
}

#define touch _roster_store_touch_list

static RosterList *
touch_keyed (RosterStore *self,
             GHashTable  *lists,
             gint64       id)
{
  return touch (self, g_hash_table_lookup (lists, &id));
}

static void
reflect_user (RosterStore *self,
              RosterOp    *op,
              gboolean     forward)
{
  RosterUserRecord *row = roster_op_effective_row (op, forward);
  RosterUser *user = _roster_store_lookup_user (self, row->id);
  RosterList *list;

  switch (roster_op_effective_kind (op, forward))
    {
    case ROSTER_OP_INSERT:
      if (user == NULL && op->object != NULL)
        {
          user = ROSTER_USER (g_steal_pointer (&op->object));
          g_hash_table_insert (self->users, _roster_key_new (row->id), user);
          /* Its counts are from before it was deleted (perhaps by a batch,
           * which does not keep them): read them again when asked. */
          _roster_user_forget_counts (user);
        }
      if (user != NULL)
        _roster_user_apply_row (user, row);
      else
        user = _roster_store_add_user (self, row);
      if ((list = touch (self, self->users_list)))
        _roster_list_insert (list, row->id, 0, _roster_user_get_sort_key (user));
      break;

    case ROSTER_OP_DELETE:
      if (user != NULL)
        {
          gpointer key, value;

          /* The undo step keeps the object, so that undo brings back the same pointer. */
          if (g_hash_table_steal_extended (self->users, &row->id, &key, &value))
            {
              g_free (key);
              g_clear_object (&op->object);
              op->object = value;
            }
        }
      if ((list = touch (self, self->users_list)))
        _roster_list_remove (list, row->id);
      if ((list = touch_keyed (self, self->user_task_lists, row->id)))
        _roster_list_reload (list);
      break;

    case ROSTER_OP_UPDATE:
    default:
      if (user != NULL)
        _roster_user_apply_row (user, row);
      if (user != NULL && (list = touch (self, self->users_list)))
        {
          _roster_list_remove (list, row->id);
          _roster_list_insert (list, row->id, 0, _roster_user_get_sort_key (user));
        }
      break;
    }
}

static void
reflect_category (RosterStore *self,
                  RosterOp    *op,
                  gboolean     forward)
{
  RosterCategoryRecord *row = roster_op_effective_row (op, forward);
  RosterCategory *category = _roster_store_lookup_category (self, row->id);
  RosterList *list;
  GHashTableIter iter;
  gpointer value;

  switch (roster_op_effective_kind (op, forward))
    {
    case ROSTER_OP_INSERT:
      if (category == NULL && op->object != NULL)
        {
          category = ROSTER_CATEGORY (g_steal_pointer (&op->object));
          g_hash_table_insert (self->categories, _roster_key_new (row->id), category);
          _roster_category_forget_count (category);
        }
      if (category != NULL)
        _roster_category_apply_row (category, row);
      else
        category = _roster_store_add_category (self, row);
      if ((list = touch (self, self->categories_list)))
        _roster_list_insert (list, row->id, 0, _roster_category_get_sort_key (category));
      break;

    case ROSTER_OP_DELETE:
      if (category != NULL)
        {
          gpointer key, stolen;

          /* The undo step keeps the object, so that undo brings back the same pointer. */
          if (g_hash_table_steal_extended (self->categories, &row->id, &key, &stolen))
            {
              g_free (key);
              g_clear_object (&op->object);
              op->object = stolen;
            }
        }
      if ((list = touch (self, self->categories_list)))
        _roster_list_remove (list, row->id);
      if ((list = touch_keyed (self, self->category_task_lists, row->id)))
        _roster_list_reload (list);
      break;

    case ROSTER_OP_UPDATE:
    default:
      if (category == NULL)
        break;
      _roster_category_apply_row (category, row);
      if ((list = touch (self, self->categories_list)))
        {
          _roster_list_remove (list, row->id);
          _roster_list_insert (list, row->id, 0, _roster_category_get_sort_key (category));
        }
      /* A renamed tag moves within every task's tag list that shows it. */
      g_hash_table_iter_init (&iter, self->task_category_lists);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          /* By id, not through get_item(): a list may be mid-change here. */
          if (_roster_list_contains (value, row->id) && (list = touch (self, value)))
            {
              _roster_list_remove (list, row->id);
              _roster_list_insert (list, row->id, 0, _roster_category_get_sort_key (category));
            }
        }
      break;
    }
}

static void
reflect_task (RosterStore *self,
              RosterOp    *op,
              gboolean     forward,
              gboolean     counts)
{
  RosterTaskRecord *row = roster_op_effective_row (op, forward);
  RosterTask *task = _roster_store_lookup_task (self, row->id);
  RosterUser *owner;
  RosterList *list;

  switch (roster_op_effective_kind (op, forward))
    {
    case ROSTER_OP_INSERT:
      if (task == NULL && op->object != NULL)
        {
          task = ROSTER_TASK (op->object);
          _roster_store_map_task (self, task);
          _roster_task_apply_row (task, row, _roster_store_ensure_user (self, row->owner_id, NULL));
          g_clear_object (&op->object);
        }
      else if (task != NULL)
        _roster_task_apply_row (task, row, _roster_store_ensure_user (self, row->owner_id, NULL));
      if ((list = touch_keyed (self, self->user_task_lists, row->owner_id)))
        _roster_list_insert (list, row->id, row->position, NULL);
      if (counts && (owner = _roster_store_lookup_user (self, row->owner_id)))
        _roster_user_adjust_counts (owner, +1, row->done ? 0 : +1);
      _roster_store_plan_reflect_task (self, NULL, row);
      _roster_store_sorted_reflect_task (self, NULL, row);
      break;

    case ROSTER_OP_DELETE:
      if (task != NULL)
        {
          g_clear_object (&op->object);
          op->object = G_OBJECT (g_object_ref (task));
          _roster_store_unmap_task (self, task);
        }
      if ((list = touch_keyed (self, self->user_task_lists, row->owner_id)))
        _roster_list_remove (list, row->id);
      if ((list = touch_keyed (self, self->task_category_lists, row->id)))
        _roster_list_reload (list);
      if (counts && (owner = _roster_store_lookup_user (self, row->owner_id)))
        _roster_user_adjust_counts (owner, -1, row->done ? 0 : -1);
      _roster_store_plan_reflect_task (self, row, NULL);
      _roster_store_sorted_reflect_task (self, row, NULL);
      break;

    case ROSTER_OP_UPDATE:
    default:
      {
        RosterTaskRecord *prev = roster_op_previous_row (op, forward);

        if (task != NULL)
          _roster_task_apply_row (task, row, _roster_store_ensure_user (self, row->owner_id, NULL));

        if (prev->owner_id != row->owner_id || prev->position != row->position)
          {
            if ((list = touch_keyed (self, self->user_task_lists, prev->owner_id)))
              _roster_list_remove (list, row->id);
            if ((list = touch_keyed (self, self->user_task_lists, row->owner_id)))
              _roster_list_insert (list, row->id, row->position, NULL);
          }
        _roster_store_plan_reflect_task (self, prev, row);
        _roster_store_sorted_reflect_task (self, prev, row);

        if (!counts)
          break;
        if (prev->owner_id != row->owner_id)
          {
            if ((owner = _roster_store_lookup_user (self, prev->owner_id)))
              _roster_user_adjust_counts (owner, -1, prev->done ? 0 : -1);
            if ((owner = _roster_store_lookup_user (self, row->owner_id)))
              _roster_user_adjust_counts (owner, +1, row->done ? 0 : +1);
          }
        else if (prev->done != row->done && (owner = _roster_store_lookup_user (self, row->owner_id)))
          _roster_user_adjust_counts (owner, 0, row->done ? -1 : +1);
      }
      break;
    }
}

static void
reflect_link (RosterStore *self,
              RosterOp    *op,
              gboolean     forward,
              gboolean     counts)
{
  gint64 task_id = op->u.link.task_id;
  gint64 category_id = op->u.link.category_id;
  gboolean insert = roster_op_effective_kind (op, forward) == ROSTER_OP_INSERT;
  RosterCategory *category = _roster_store_lookup_category (self, category_id);
  RosterList *list;

  if ((list = touch_keyed (self, self->task_category_lists, task_id)))
    {
      if (!insert)
        _roster_list_remove (list, category_id);
      else if ((category = _roster_store_ensure_category (self, category_id, NULL)))
        _roster_list_insert (list, category_id, 0, _roster_category_get_sort_key (category));
    }

  if ((list = touch_keyed (self, self->category_task_lists, category_id)))
    {
      if (insert)
        _roster_list_insert (list, task_id, 0, NULL);
      else
        _roster_list_remove (list, task_id);
    }

  _roster_store_sorted_reflect_link (self, task_id, category_id, insert);

  if (counts && category != NULL)
    _roster_category_adjust_count (category, insert ? +1 : -1);
}

static void
forget_counts (RosterStore *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->users);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    _roster_user_forget_counts (value);
  g_hash_table_iter_init (&iter, self->categories);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    _roster_category_forget_count (value);
}

void
_roster_store_finish_touched (RosterStore *self)
{
  /* Emit only once every list is consistent: a handler may read any of them. */
  g_autoptr(GPtrArray) touched = g_steal_pointer (&self->touched);

  self->touched = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < touched->len; i++)
    _roster_list_end_change (g_ptr_array_index (touched, i));
}

/* Brings objects and lists up to date with @change, just committed. With
 * @counts FALSE (a batch, whose counts may have been read mid-way, or a big
 * change), every count is read again instead of adjusted. */
void
_roster_store_reflect (RosterStore  *self,
                       RosterChange *change,
                       gboolean      forward,
                       gboolean      counts)
{
  guint n = change->ops->len;

  /* A big change (a user and their tasks) would edit a long list row by row,
   * each edit a search through it, and notify a count once per task: reading
   * the lists and counts again is cheaper. */
  self->reflect_reloads = n >= BIG_REFLECT_OPS;
  if (self->reflect_reloads)
    counts = FALSE;

  for (guint k = 0; k < n; k++)
    {
      RosterOp *op = &g_array_index (change->ops, RosterOp, forward ? k : n - 1 - k);

      switch (op->table)
        {
        case ROSTER_TABLE_USER:
          reflect_user (self, op, forward);
          break;
        case ROSTER_TABLE_CATEGORY:
          reflect_category (self, op, forward);
          break;
        case ROSTER_TABLE_TASK:
          reflect_task (self, op, forward, counts);
          break;
        case ROSTER_TABLE_ICAL:
          /* Nothing in memory shows a task's UID or VTODO. */
          break;
        case ROSTER_TABLE_LINK:
        default:
          reflect_link (self, op, forward, counts);
          break;
        }
    }

  if (!counts)
    {
      /* A batch's rows in the file are already in their final state while
       * the objects went through the intermediate ones: the lists it touched
       * are read again rather than edited step by step. */
      for (guint i = 0; i < self->touched->len; i++)
        _roster_list_reload (g_ptr_array_index (self->touched, i));
      forget_counts (self);
    }

  _roster_store_finish_touched (self);
  self->reflect_reloads = FALSE;
  _roster_store_schedule_find_catch_up (self);
  _roster_store_emit_changed (self);
}

/* Every list read again from the file: after a rolled-back batch, whose
 * uncommitted rows a list may have read. */
void
_roster_store_reload_all_lists (RosterStore *self)
{
  GHashTable *keyed[] = { self->user_task_lists, self->task_category_lists, self->category_task_lists };
  RosterList *list;

  if ((list = touch (self, self->users_list)))
    _roster_list_reload (list);
  if ((list = touch (self, self->categories_list)))
    _roster_list_reload (list);
  if ((list = touch (self, self->today_list)))
    _roster_list_reload (list);
  if ((list = touch (self, self->upcoming_list)))
    _roster_list_reload (list);
  for (guint i = 0; i < self->sorted_lists->len; i++)
    if ((list = touch (self, g_ptr_array_index (self->sorted_lists, i))))
      _roster_list_reload (list);
  for (guint i = 0; i < G_N_ELEMENTS (keyed); i++)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, keyed[i]);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if ((list = touch (self, value)))
          _roster_list_reload (list);
    }
  forget_counts (self);
  _roster_store_finish_touched (self);
  _roster_store_emit_changed (self);
}
