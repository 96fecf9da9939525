/* roster-store-sorted.c: a task list in another order, or without its done
 * tasks (roster_store_list_sorted()).
 *
 * A sorted list is a RosterList of its own beside the one it sorts, made
 * for whoever asks (the window, for the list it shows) and dropped with
 * them, so that the relationship's own list keeps its order for everything
 * that counts on it (reordering by index, the command line). SQL sorts it
 * when it is read (roster-list-sql.c); after that a commit places each task
 * it touches by the list's key (_roster_list_place()), as for every list:
 * one items-changed per change.
 */
#define G_LOG_DOMAIN "roster-store"

#include "roster-store-parts.h"

GListModel *
roster_store_list_sorted (RosterStore     *self,
                          GListModel      *list,
                          RosterSortOrder  order,
                          gboolean         hide_done)
{
  RosterList *base, *sorted;
  RosterListKind kind;

  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);
  g_return_val_if_fail (ROSTER_IS_LIST (list), NULL);
  g_return_val_if_fail (order < ROSTER_N_SORT_ORDERS, NULL);

  base = ROSTER_LIST (list);
  kind = _roster_list_get_kind (base);
  g_return_val_if_fail (kind == ROSTER_LIST_USER_TASKS || kind == ROSTER_LIST_CATEGORY_TASKS ||
                        kind == ROSTER_LIST_TODAY || kind == ROSTER_LIST_UPCOMING, NULL);

  /* A Plan view's own order is by due date, and it has no done tasks. */
  if ((kind == ROSTER_LIST_TODAY || kind == ROSTER_LIST_UPCOMING) && order == ROSTER_SORT_DUE_DATE)
    order = ROSTER_SORT_MANUAL;
  if (order == ROSTER_SORT_MANUAL && !hide_done && !_roster_list_is_sorted (base))
    return g_object_ref (list);

  sorted = _roster_list_new_sorted (self, kind, _roster_list_get_owner_id (base), order, hide_done);
  g_ptr_array_add (self->sorted_lists, sorted);
  return G_LIST_MODEL (sorted);
}

/* Whether the task of @row has the tag @category_id, in the file. */
static gboolean
has_tag (RosterStore *self,
         gint64       task_id,
         gint64       category_id)
{
  sqlite3_stmt *s = _roster_store_stmt (self, "SELECT 1 FROM taskcategorylink "
                                              "WHERE task_id = ?1 AND category_id = ?2");
  int rc;

  _roster_store_begin_read (self);
  sqlite3_bind_int64 (s, 1, task_id);
  sqlite3_bind_int64 (s, 2, category_id);
  rc = sqlite3_step (s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _roster_store_note_failure (self, rc);
  sqlite3_reset (s);
  return rc == SQLITE_ROW;
}

/* Whether @row is a task of @list's relationship (shown or not). */
static gboolean
in_relationship (RosterStore            *self,
                 RosterList             *list,
                 const RosterTaskRecord *row)
{
  switch (_roster_list_get_kind (list))
    {
    case ROSTER_LIST_USER_TASKS:
      return row->owner_id == _roster_list_get_owner_id (list);
    case ROSTER_LIST_CATEGORY_TASKS:
      return has_tag (self, row->id, _roster_list_get_owner_id (list));
    case ROSTER_LIST_USERS:
    case ROSTER_LIST_CATEGORIES:
    case ROSTER_LIST_TASK_CATEGORIES:
    case ROSTER_LIST_TODAY:
    case ROSTER_LIST_UPCOMING:
    default:
      return TRUE;   /* the place says */
    }
}

/* Puts @row where it goes in @list, or takes it out. */
static void
place_row (RosterStore            *self,
           RosterList             *list,
           const RosterTaskRecord *row,
           gint64                  id)
{
  gint64 num;
  const char *key;

  if (row != NULL && in_relationship (self, list, row) && _roster_list_place (list, row, &num, &key))
    {
      if ((list = _roster_store_touch_list (self, list)))
        _roster_list_insert (list, id, num, key);
    }
  else if (_roster_list_is_loaded (list) && _roster_list_contains (list, id) &&
           (list = _roster_store_touch_list (self, list)))
    _roster_list_remove (list, id);
}

static gboolean
same_place (RosterList             *list,
            const RosterTaskRecord *a,
            const RosterTaskRecord *b)
{
  gint64 num_a, num_b;
  const char *key_a, *key_b;
  gboolean in_a = _roster_list_place (list, a, &num_a, &key_a);
  gboolean in_b = _roster_list_place (list, b, &num_b, &key_b);

  return in_a == in_b && num_a == num_b && g_strcmp0 (key_a, key_b) == 0;
}

void
_roster_store_sorted_reflect_task (RosterStore            *self,
                                   const RosterTaskRecord *prev,
                                   const RosterTaskRecord *row)
{
  for (guint i = 0; i < self->sorted_lists->len; i++)
    {
      RosterList *list = g_ptr_array_index (self->sorted_lists, i);

      if (!_roster_list_is_loaded (list))
        continue;
      /* A title, notes or nothing the list sorts by: it stays. */
      if (prev != NULL && row != NULL && prev->owner_id == row->owner_id && same_place (list, prev, row))
        continue;
      place_row (self, list, row, row != NULL ? row->id : prev->id);
    }
}

void
_roster_store_sorted_reflect_link (RosterStore *self,
                                   gint64       task_id,
                                   gint64       category_id,
                                   gboolean     insert)
{
  for (guint i = 0; i < self->sorted_lists->len; i++)
    {
      RosterList *list = g_ptr_array_index (self->sorted_lists, i);
      RosterTaskRecord row = { 0 };

      if (!_roster_list_is_loaded (list) || _roster_list_get_kind (list) != ROSTER_LIST_CATEGORY_TASKS ||
          _roster_list_get_owner_id (list) != category_id)
        continue;
      /* The task as committed (it may be gone with its link). */
      if (insert && _roster_store_read_task_row (self, task_id, &row) == SQLITE_ROW)
        place_row (self, list, &row, task_id);
      else
        place_row (self, list, NULL, task_id);
      roster_task_record_clear (&row);
    }
}
