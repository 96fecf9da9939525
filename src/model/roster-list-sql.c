/* roster-list-sql.c: the SQL behind RosterList, on its store's connection.
 *
 * What a list reads, all through the store's read transaction and identity
 * map: its ids in list order (with the sort keys of names), the objects of
 * the first tasks with them, more ids after the last one read, its length
 * from the counts the schema's triggers keep, and the objects of a page of
 * ids. The Plan views (Today, Upcoming) read the partial index of open
 * dated tasks, ix_task_due_open, in its order (due_date, id): an entry's num
 * is its due day (roster-store-plan.c). The queries were tuned for a file of a million tasks (bench/README.md,
 * roster-bench): keep their plans (EXPLAIN QUERY PLAN) when changing them.
 */
#define G_LOG_DOMAIN "roster-list"

#include <string.h>

#include "roster-store-parts.h"

static int
compare_name_entries (gconstpointer a,
                      gconstpointer b)
{
  const RosterListEntry *ea = a, *eb = b;
  int cmp = strcmp (ea->key, eb->key);

  if (cmp != 0)
    return cmp;
  return ea->id < eb->id ? -1 : ea->id > eb->id;
}

static void
append_entry (GArray     *entries,
              gint64      id,
              gint64      num,
              const char *key)
{
  RosterListEntry entry = { id, num, g_strdup (key) };

  g_array_append_val (entries, entry);
}

/* Adds task @id's object to @preloaded (when not NULL) until it holds
 * ROSTER_LIST_PRELOAD: the one in memory, or one made of @s's current row
 * (ROSTER_TASK_COLUMNS first). */
static void
preload (RosterStore  *self,
         sqlite3_stmt *s,
         gint64        id,
         GPtrArray    *preloaded)
{
  RosterTask *task;
  RosterTaskRecord row = { 0 };

  if (preloaded == NULL || preloaded->len >= ROSTER_LIST_PRELOAD)
    return;
  task = _roster_store_lookup_task (self, id);
  if (task != NULL)
    {
      g_ptr_array_add (preloaded, g_object_ref (task));
      return;
    }
  _roster_read_task_columns (s, &row);
  g_ptr_array_add (preloaded, _roster_store_task_from_row_take (self, &row));
}

/* What a task entry's num is. */
typedef enum
{
  NUM_POSITION,
  NUM_NONE,     /* 0: the list sorts by id */
  NUM_DAY,      /* the due day */
} NumKind;

/* Reads task rows from @s (ROSTER_TASK_COLUMNS first): an entry for each, and an
 * object for each of the first ones into @preloaded. Returns the last
 * SQLite result code. */
static int
read_task_entries (RosterStore  *self,
                   sqlite3_stmt *s,
                   NumKind       num,
                   GArray       *entries,
                   GPtrArray    *preloaded,
                   guint         limit)
{
  int rc;

  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (s, 0);

      if (entries->len >= limit)
        break;
      append_entry (entries, id,
                    num == NUM_POSITION ? sqlite3_column_int64 (s, 6) :
                    num == NUM_DAY ? _roster_day_from_string ((const char *) sqlite3_column_text (s, 5)) : 0,
                    NULL);
      preload (self, s, id, preloaded);
    }
  return rc;
}

/* SQLite's LIMIT for at most @limit rows and one more (to tell whether
 * there are more); G_MAXUINT: no limit. */
static gint64
limit_and_one (guint limit)
{
  return limit == G_MAXUINT ? -1 : (gint64) limit + 1;
}

/* Steps through @s (an id and a number a row, or a due date with @day),
 * appending entries until @limit entries have been appended in all (*n
 * counts them); one row more sets *more. Returns whether @s ran to its end
 * or stopped there. */
static gboolean
append_id_rows (RosterStore  *self,
                sqlite3_stmt *s,
                gboolean      day,
                GArray       *entries,
                guint         limit,
                guint        *n,
                gboolean     *more)
{
  int rc;

  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      if ((*n)++ == limit)
        {
          *more = TRUE;
          break;
        }
      append_entry (entries, sqlite3_column_int64 (s, 0),
                    day ? _roster_day_from_string ((const char *) sqlite3_column_text (s, 1))
                        : sqlite3_column_int64 (s, 1),
                    NULL);
    }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    _roster_store_note_failure (self, rc);
  sqlite3_reset (s);
  return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

static gboolean
is_plan (RosterListKind kind)
{
  return kind == ROSTER_LIST_TODAY || kind == ROSTER_LIST_UPCOMING;
}

/* Binds a Plan view's days [lo, hi) as due dates to ?1 and ?2 (lo 0: from
 * the first). */
static void
bind_days (sqlite3_stmt *s,
           guint32       lo,
           guint32       hi)
{
  char text[11] = "";

  if (lo > 0)
    _roster_day_to_string (lo, text);
  sqlite3_bind_text (s, 1, text, -1, SQLITE_TRANSIENT);
  _roster_day_to_string (hi, text);
  sqlite3_bind_text (s, 2, text, -1, SQLITE_TRANSIENT);
}

/* The open tasks due in the days [?1, ?2), by the index of open dated tasks alone. */
#define PLAN_DAYS_QUERY \
  "SELECT id, due_date FROM task WHERE due_date IS NOT NULL AND done = 0 " \
  "AND due_date >= ?1 AND due_date < ?2 ORDER BY due_date, id LIMIT ?3"

static gboolean
append_plan_days (RosterStore *self,
                  guint32      lo,
                  guint32      hi,
                  GArray      *entries,
                  guint        limit,
                  guint       *n,
                  gboolean    *more)
{
  sqlite3_stmt *s = _roster_store_stmt (self, PLAN_DAYS_QUERY);

  bind_days (s, lo, hi);
  sqlite3_bind_int64 (s, 3, limit_and_one (limit == G_MAXUINT ? G_MAXUINT : limit - *n));
  return append_id_rows (self, s, TRUE, entries, limit, n, more);
}

gboolean
_roster_store_load_plan_days (RosterStore *self,
                              guint32      lo,
                              guint32      hi,
                              GArray      *entries)
{
  gboolean more = FALSE;
  guint n = 0;

  _roster_store_begin_read (self);
  return append_plan_days (self, lo, hi, entries, G_MAXUINT, &n, &more);
}

/* The rest of a Plan view after its last entry read: the rest of that day
 * by id, then the days after it (two seeks, as for a user's tasks below). */
static gboolean
load_more_plan_entries (RosterStore    *self,
                        RosterListKind  kind,
                        GArray         *entries,
                        guint           limit,
                        gboolean       *more)
{
  RosterListEntry *last = &g_array_index (entries, RosterListEntry, entries->len - 1);
  gint64 last_id = last->id;
  guint32 last_day = (guint32) last->num, lo, hi;
  char text[11];
  sqlite3_stmt *s;
  guint n = 0;

  _roster_store_plan_range (self, kind, &lo, &hi);
  s = _roster_store_stmt (self, "SELECT id, due_date FROM task WHERE due_date IS NOT NULL AND done = 0 "
                                "AND due_date = ?1 AND id > ?2 ORDER BY id LIMIT ?3");
  _roster_day_to_string (last_day, text);
  sqlite3_bind_text (s, 1, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (s, 2, last_id);
  sqlite3_bind_int64 (s, 3, limit_and_one (limit));
  if (!append_id_rows (self, s, TRUE, entries, limit, &n, more))
    return FALSE;
  if (*more || last_day + 1 >= hi)
    return TRUE;
  return append_plan_days (self, MAX (lo, last_day + 1), hi, entries, limit, &n, more);
}

gboolean
_roster_store_load_more_list_entries (RosterStore    *self,
                                      RosterListKind  kind,
                                      gint64          owner_id,
                                      GArray         *entries,
                                      guint           limit,
                                      gboolean       *more)
{
  gint64 last_id, last_num;
  sqlite3_stmt *s;
  guint n = 0;

  g_return_val_if_fail (kind == ROSTER_LIST_USER_TASKS || kind == ROSTER_LIST_CATEGORY_TASKS ||
                        is_plan (kind), FALSE);
  g_return_val_if_fail (entries->len > 0, FALSE);

  *more = FALSE;
  if (is_plan (kind))
    {
      _roster_store_begin_read (self);
      return load_more_plan_entries (self, kind, entries, limit, more);
    }
  /* Copied: appending may move the array. */
  last_id = g_array_index (entries, RosterListEntry, entries->len - 1).id;
  last_num = g_array_index (entries, RosterListEntry, entries->len - 1).num;
  _roster_store_begin_read (self);
  if (kind == ROSTER_LIST_CATEGORY_TASKS)
    {
      /* The link index alone: no task is looked up (a link never outlives
       * its task, see the schema's roster_task_delete_links). */
      s = _roster_store_stmt (self, "SELECT task_id, 0 FROM taskcategorylink "
                                    "WHERE category_id = ?1 AND task_id > ?2 ORDER BY task_id LIMIT ?3");
      sqlite3_bind_int64 (s, 1, owner_id);
      sqlite3_bind_int64 (s, 2, last_id);
      sqlite3_bind_int64 (s, 3, limit_and_one (limit));
      return append_id_rows (self, s, FALSE, entries, limit, &n, more);
    }

  /* The owner's index alone, after the last row read: the rest of its
   * position by id, then the positions after it. Two seeks, as SQLite
   * seeks ix_task_owner_id by its position only for (position, id) >
   * (?, ?) (the id is the index's rowid, not one of its columns) and then
   * steps over every row of that position before the one wanted: at a
   * million tasks, up to 13 ms for the last ids of a 100,000-task list
   * whose tasks all have position 0. */
  s = _roster_store_stmt (self, "SELECT id, position FROM task WHERE owner_id = ?1 "
                                "AND position = ?2 AND id > ?3 ORDER BY id LIMIT ?4");
  sqlite3_bind_int64 (s, 1, owner_id);
  sqlite3_bind_int64 (s, 2, last_num);
  sqlite3_bind_int64 (s, 3, last_id);
  sqlite3_bind_int64 (s, 4, limit_and_one (limit));
  if (!append_id_rows (self, s, FALSE, entries, limit, &n, more))
    return FALSE;
  if (*more)
    return TRUE;

  s = _roster_store_stmt (self, "SELECT id, position FROM task WHERE owner_id = ?1 "
                                "AND position > ?2 ORDER BY position, id LIMIT ?3");
  sqlite3_bind_int64 (s, 1, owner_id);
  sqlite3_bind_int64 (s, 2, last_num);
  sqlite3_bind_int64 (s, 3, limit_and_one (limit == G_MAXUINT ? G_MAXUINT : limit - n));
  return append_id_rows (self, s, FALSE, entries, limit, &n, more);
}

gboolean
_roster_store_count_list_entries (RosterStore    *self,
                                  RosterListKind  kind,
                                  gint64          owner_id,
                                  guint          *n)
{
  guint n_open;

  if (kind == ROSTER_LIST_USER_TASKS)
    return _roster_store_count_user_tasks (self, owner_id, n, &n_open);
  if (kind == ROSTER_LIST_CATEGORY_TASKS)
    return _roster_store_count_category_tasks (self, owner_id, n);
  if (is_plan (kind))
    {
      /* From the index of open dated tasks alone: no row is read. */
      sqlite3_stmt *s = _roster_store_stmt (self, "SELECT count(*) FROM task WHERE due_date IS NOT NULL "
                                                  "AND done = 0 AND due_date >= ?1 AND due_date < ?2");
      guint32 lo, hi;
      int rc;

      _roster_store_plan_range (self, kind, &lo, &hi);
      _roster_store_begin_read (self);
      bind_days (s, lo, hi);
      rc = sqlite3_step (s);
      if (rc == SQLITE_ROW)
        *n = (guint) sqlite3_column_int64 (s, 0);
      else
        _roster_store_note_failure (self, rc);
      sqlite3_reset (s);
      return rc == SQLITE_ROW;
    }
  return FALSE;
}

gboolean
_roster_store_load_list_entries (RosterStore    *self,
                                 RosterListKind  kind,
                                 gint64          owner_id,
                                 GArray         *entries,
                                 GPtrArray      *preloaded,
                                 guint           limit,
                                 gboolean       *more)
{
  sqlite3_stmt *s = NULL;
  guint first = MIN (limit, ROSTER_LIST_PRELOAD);
  int rc;

  *more = FALSE;

  _roster_store_begin_read (self);
  switch (kind)
    {
    case ROSTER_LIST_USERS:
      s = _roster_store_stmt (self, "SELECT id, username FROM user");
      while ((rc = sqlite3_step (s)) == SQLITE_ROW)
        {
          RosterUserRecord row = { sqlite3_column_int64 (s, 0), (char *) sqlite3_column_text (s, 1) };
          RosterUser *user = _roster_store_lookup_user (self, row.id);

          if (user == NULL)
            user = _roster_store_add_user (self, &row);
          append_entry (entries, row.id, 0, _roster_user_get_sort_key (user));
        }
      g_array_sort (entries, compare_name_entries);
      break;

    case ROSTER_LIST_CATEGORIES:
      s = _roster_store_stmt (self, "SELECT id, name, color FROM category");
      while ((rc = sqlite3_step (s)) == SQLITE_ROW)
        {
          RosterCategoryRecord row = { sqlite3_column_int64 (s, 0),
                                    (char *) sqlite3_column_text (s, 1),
                                    (char *) sqlite3_column_text (s, 2) };
          RosterCategory *category = _roster_store_lookup_category (self, row.id);

          if (category == NULL)
            category = _roster_store_add_category (self, &row);
          append_entry (entries, row.id, 0, _roster_category_get_sort_key (category));
        }
      g_array_sort (entries, compare_name_entries);
      break;

    case ROSTER_LIST_TASK_CATEGORIES:
      {
        g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

        s = _roster_store_stmt (self, "SELECT category_id FROM taskcategorylink WHERE task_id = ?1");
        sqlite3_bind_int64 (s, 1, owner_id);
        while ((rc = sqlite3_step (s)) == SQLITE_ROW)
          {
            gint64 id = sqlite3_column_int64 (s, 0);
            g_array_append_val (ids, id);
          }
        sqlite3_reset (s);
        s = NULL;

        for (guint i = 0; i < ids->len; i++)
          {
            RosterCategory *category = _roster_store_ensure_category (self, g_array_index (ids, gint64, i), NULL);

            /* A link to a missing category (a file written without foreign keys) is left out. */
            if (category != NULL)
              append_entry (entries, roster_category_get_id (category), 0,
                            _roster_category_get_sort_key (category));
          }
        g_array_sort (entries, compare_name_entries);
      }
      break;

    case ROSTER_LIST_USER_TASKS:
      /* Whole rows for the first ones; the rest of a long list, only the ids
       * and positions that the owner's index holds, after the last row read. */
      s = _roster_store_stmt (self, "SELECT " ROSTER_TASK_COLUMNS " FROM task WHERE owner_id = ?1 "
                                    "ORDER BY position, id LIMIT ?2");
      sqlite3_bind_int64 (s, 1, owner_id);
      sqlite3_bind_int64 (s, 2, limit_and_one (first));
      rc = read_task_entries (self, s, NUM_POSITION, entries, preloaded, first);
      break;

    case ROSTER_LIST_CATEGORY_TASKS:
    default:
      /* A tag gathers tasks from every user, so it lists them oldest first
       * (by id): the order the link index already has, which makes a tag of
       * 100,000 tasks open as fast as a small one. Whole rows for the first
       * ones, then only the ids. (Every entry's num is 0, so the list sorts
       * by id.) */
      s = _roster_store_stmt (self,
                              "SELECT t.id, t.title, t.owner_id, t.done, t.notes, t.due_date, t.position, "
                              "t.due_time, t.priority, t.recurrence "
                              "FROM taskcategorylink AS l JOIN task AS t ON t.id = l.task_id "
                              "WHERE l.category_id = ?1 ORDER BY l.task_id LIMIT ?2");
      sqlite3_bind_int64 (s, 1, owner_id);
      sqlite3_bind_int64 (s, 2, limit_and_one (first));
      rc = read_task_entries (self, s, NUM_NONE, entries, preloaded, first);
      break;

    case ROSTER_LIST_TODAY:
    case ROSTER_LIST_UPCOMING:
      {
        guint32 lo, hi;

        /* Whole rows for the first ones, through the index of open dated
         * tasks, in its order. */
        _roster_store_plan_range (self, kind, &lo, &hi);
        s = _roster_store_stmt (self, "SELECT " ROSTER_TASK_COLUMNS " FROM task WHERE due_date IS NOT NULL "
                                      "AND done = 0 AND due_date >= ?1 AND due_date < ?2 "
                                      "ORDER BY due_date, id LIMIT ?3");
        bind_days (s, lo, hi);
        sqlite3_bind_int64 (s, 3, limit_and_one (first));
        rc = read_task_entries (self, s, NUM_DAY, entries, preloaded, first);
      }
      break;
    }

  if (s != NULL)
    {
      if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        _roster_store_note_failure (self, rc);
      sqlite3_reset (s);
    }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return FALSE;
  /* A task list longer than its whole rows: the rest from the index. */
  if (rc == SQLITE_ROW && entries->len > 0)
    {
      if (limit == first)
        {
          *more = TRUE;
          return TRUE;
        }
      return _roster_store_load_more_list_entries (self, kind, owner_id, entries, limit - first, more);
    }
  return TRUE;
}

/* The IN list of the page query has exactly ROSTER_LIST_ITEMS_PER_QUERY
 * slots. */
#define PAGE_QUERY \
  "SELECT " ROSTER_TASK_COLUMNS " FROM task WHERE id IN " \
  "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16," \
  "?17,?18,?19,?20,?21,?22,?23,?24,?25,?26,?27,?28,?29,?30,?31,?32," \
  "?33,?34,?35,?36,?37,?38,?39,?40,?41,?42,?43,?44,?45,?46,?47,?48," \
  "?49,?50,?51,?52,?53,?54,?55,?56,?57,?58,?59,?60,?61,?62,?63,?64)"

void
_roster_store_load_list_items (RosterStore    *self,
                               RosterListKind  kind,
                               const gint64   *ids,
                               guint           n_ids,
                               GPtrArray      *out)
{
  if (kind == ROSTER_LIST_USERS)
    {
      for (guint i = 0; i < n_ids; i++)
        {
          RosterUser *user = _roster_store_ensure_user (self, ids[i], NULL);
          if (user != NULL)
            g_ptr_array_add (out, g_object_ref (user));
        }
      return;
    }

  if (kind == ROSTER_LIST_CATEGORIES || kind == ROSTER_LIST_TASK_CATEGORIES)
    {
      for (guint i = 0; i < n_ids; i++)
        {
          RosterCategory *category = _roster_store_ensure_category (self, ids[i], NULL);
          if (category != NULL)
            g_ptr_array_add (out, g_object_ref (category));
        }
      return;
    }

  /* Tasks: read every one not in memory with one query, then hand them out in order. */
  _roster_store_begin_read (self);
  {
    g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func (g_object_unref);
    guint n_missing = 0;
    sqlite3_stmt *s = NULL;

    for (guint i = 0; i < n_ids; i++)
      {
        if (_roster_store_lookup_task (self, ids[i]) != NULL)
          continue;
        if (s == NULL)
          s = _roster_store_stmt (self, PAGE_QUERY);
        if (n_missing < ROSTER_LIST_ITEMS_PER_QUERY)
          sqlite3_bind_int64 (s, ++n_missing, ids[i]);
      }

    if (s != NULL)
      {
        int rc;

        while ((rc = sqlite3_step (s)) == SQLITE_ROW)
          {
            RosterTaskRecord row = { 0 };

            _roster_read_task_columns (s, &row);
            g_ptr_array_add (loaded, _roster_store_task_from_row_take (self, &row));
          }
        if (rc != SQLITE_DONE)
          _roster_store_note_failure (self, rc);
        sqlite3_reset (s);
      }

    for (guint i = 0; i < n_ids; i++)
      {
        RosterTask *task = _roster_store_lookup_task (self, ids[i]);

        if (task == NULL)
          {
            RosterTaskRecord row = { 0 };
            int rc = _roster_store_read_task_row (self, ids[i], &row);

            if (rc != SQLITE_ROW)
              {
                _roster_store_note_failure (self, rc);
                continue;
              }
            task = _roster_store_task_from_row (self, &row);
            roster_task_record_clear (&row);
            g_ptr_array_add (out, task);
          }
        else
          g_ptr_array_add (out, g_object_ref (task));
      }
  }
}

/* Sorted lists (roster_store_list_sorted()): SQL sorts them, and a list
 * reads its first rows with LIMIT (SQLite keeps only the best rows as it
 * goes: ~35 ms for the first screenful of a 100,000-task user by due date,
 * bench/README.md) and the rest at once with OFFSET when asked. Each
 * relationship's query in each order, a constant each; ?2 hides done
 * tasks, ?5 and ?6 are a Plan view's days. By priority, the entry's num is
 * -priority (_roster_list_place()), so that ties go by id as here. */
#define SORTED_USER(order) \
  "SELECT " ROSTER_TASK_COLUMNS " FROM task WHERE owner_id = ?1 AND (?2 = 0 OR done = 0) " \
  "ORDER BY " order " LIMIT ?3 OFFSET ?4"
#define SORTED_TAG(order) \
  "SELECT " ROSTER_TASK_COLUMNS " FROM taskcategorylink AS l JOIN task AS t ON t.id = l.task_id " \
  "WHERE l.category_id = ?1 AND (?2 = 0 OR done = 0) ORDER BY " order " LIMIT ?3 OFFSET ?4"
#define SORTED_PLAN(order) \
  "SELECT " ROSTER_TASK_COLUMNS " FROM task WHERE due_date IS NOT NULL AND done = 0 " \
  "AND due_date >= ?5 AND due_date < ?6 ORDER BY " order " LIMIT ?3 OFFSET ?4"
#define BY_DUE_DATE "due_date IS NULL, due_date, id"
#define BY_TITLE "title COLLATE NOCASE, id"
#define BY_PRIORITY "priority DESC, id"

static const char * const sorted_sql[3][ROSTER_N_SORT_ORDERS] = {
  { SORTED_USER ("position, id"), SORTED_USER (BY_DUE_DATE), SORTED_USER (BY_TITLE), SORTED_USER (BY_PRIORITY) },
  { SORTED_TAG ("l.task_id"), SORTED_TAG (BY_DUE_DATE), SORTED_TAG (BY_TITLE), SORTED_TAG (BY_PRIORITY) },
  { SORTED_PLAN ("due_date, id"), SORTED_PLAN (BY_DUE_DATE), SORTED_PLAN (BY_TITLE), SORTED_PLAN (BY_PRIORITY) },
};

gboolean
_roster_store_load_sorted_entries (RosterStore *self,
                                   RosterList  *list,
                                   GArray      *entries,
                                   GPtrArray   *preloaded,
                                   guint        limit,
                                   gboolean    *more)
{
  RosterListKind kind = _roster_list_get_kind (list);
  guint which = kind == ROSTER_LIST_USER_TASKS ? 0 : kind == ROSTER_LIST_CATEGORY_TASKS ? 1 : 2;
  guint offset = entries->len, n = 0;
  sqlite3_stmt *s;
  int rc;

  *more = FALSE;
  _roster_store_begin_read (self);
  s = _roster_store_stmt (self, sorted_sql[which][_roster_list_get_order (list)]);
  sqlite3_bind_int64 (s, 1, _roster_list_get_owner_id (list));
  sqlite3_bind_int (s, 2, _roster_list_hides_done (list));
  sqlite3_bind_int64 (s, 3, limit_and_one (limit));
  sqlite3_bind_int64 (s, 4, offset);
  if (which == 2)
    {
      guint32 lo, hi;

      _roster_store_plan_range (self, kind, &lo, &hi);
      {
        char text[11] = "";

        if (lo > 0)
          _roster_day_to_string (lo, text);
        sqlite3_bind_text (s, 5, text, -1, SQLITE_TRANSIENT);
        _roster_day_to_string (hi, text);
        sqlite3_bind_text (s, 6, text, -1, SQLITE_TRANSIENT);
      }
    }

  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      /* The row's text as SQLite holds it: only a kept key is copied. */
      RosterTaskRecord row = {
        .id = sqlite3_column_int64 (s, 0),
        .title = (char *) sqlite3_column_text (s, 1),
        .done = sqlite3_column_int (s, 3) != 0,
        .due_date = (char *) sqlite3_column_text (s, 5),
        .position = sqlite3_column_int64 (s, 6),
        .priority = sqlite3_column_int (s, 8),
      };
      gint64 num;
      const char *key;

      if (n++ == limit)
        {
          *more = TRUE;
          break;
        }
      _roster_list_place (list, &row, &num, &key);
      append_entry (entries, row.id, num, key);
      preload (self, s, row.id, preloaded);
    }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    _roster_store_note_failure (self, rc);
  sqlite3_reset (s);
  return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

gboolean
_roster_store_count_sorted_entries (RosterStore *self,
                                    RosterList  *list,
                                    guint       *n)
{
  RosterListKind kind = _roster_list_get_kind (list);
  gint64 owner_id = _roster_list_get_owner_id (list);
  guint n_open;

  if (kind == ROSTER_LIST_USER_TASKS)
    {
      if (!_roster_store_count_user_tasks (self, owner_id, n, &n_open))
        return FALSE;
      if (_roster_list_hides_done (list))
        *n = n_open;
      return TRUE;
    }
  /* A tag's open tasks are not counted anywhere: such a list is read whole. */
  if (kind == ROSTER_LIST_CATEGORY_TASKS)
    return !_roster_list_hides_done (list) && _roster_store_count_category_tasks (self, owner_id, n);
  return _roster_store_count_list_entries (self, kind, owner_id, n);
}
