/* roster-list.c: a live relationship list. See roster-list.h. */
#define G_LOG_DOMAIN "roster-list"

#include <string.h>

#include "roster-category.h"
#include "roster-list.h"
#include "roster-task.h"
#include "roster-user.h"

/* Task objects are read PAGE_SIZE at a time; a list keeps the last MAX_PAGES
 * pages alive so that scrolling back does not read them again. */
#define PAGE_SIZE 64
#define MAX_PAGES 64
G_STATIC_ASSERT (ROSTER_LIST_PRELOAD % PAGE_SIZE == 0);
/* A page is read with one query. */
G_STATIC_ASSERT (PAGE_SIZE <= ROSTER_LIST_ITEMS_PER_QUERY);
/* A task list reads its ids past the first ones this many at a time. */
#define MORE_ENTRIES 4096
/* Past this many single edits in one batch, reading the list again is cheaper. */
#define MAX_INCREMENTAL_EDITS 256

typedef struct
{
  guint      index;
  GPtrArray *items;
} Page;

struct _RosterList
{
  GObject         parent_instance;

  RosterStore    *store;         /* owned: a list keeps its store open */
  RosterListKind  kind;
  gint64          owner_id;
  /* A sorted list (roster_store_list_sorted()): read with the SQL of its
   * order, its entries keyed by it; else the relationship's own order. */
  gboolean        sorted;
  RosterSortOrder order;
  gboolean        hide_done;

  GArray         *entries;       /* RosterListEntry, in list order; NULL until first use */
  GQueue          pages;         /* Page *, most recently used first */
  /* A long task list reads its first entries only, and the rest as far as it
   * is asked (read_entries()); meanwhile its length is the one the schema's
   * counts gave. n_items is the length the list last told (entries->len,
   * except while partial, or until fix_length_cb() says the counts were
   * wrong). */
  gboolean        partial;
  guint           n_items;
  guint           fix_idle;

  /* While the store reflects a commit: */
  gboolean        in_change;
  gboolean        reload;
  guint           n_edits;
  gint64         *before;        /* ids before the change */
  guint           n_before;
};

static void roster_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RosterList, roster_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, roster_list_model_init))

static gboolean
is_task_list (RosterList *self)
{
  return self->kind != ROSTER_LIST_USERS && self->kind != ROSTER_LIST_CATEGORIES &&
         self->kind != ROSTER_LIST_TASK_CATEGORIES;
}

static void
entry_clear (gpointer data)
{
  RosterListEntry *entry = data;

  g_clear_pointer (&entry->key, g_free);
}

static void
page_free (gpointer data)
{
  Page *page = data;

  g_ptr_array_unref (page->items);
  g_free (page);
}

static void
drop_pages (RosterList *self)
{
  g_queue_clear_full (&self->pages, page_free);
}

/* Reads the list's rows (only its first ones, unless @whole); the task
 * objects read with them become its first pages. */
static void
load (RosterList *self,
      gboolean    whole)
{
  g_autoptr(GPtrArray) preloaded = NULL;
  gboolean more = FALSE;
  guint count;

  drop_pages (self);
  g_array_set_size (self->entries, 0);
  self->partial = FALSE;

  if (is_task_list (self))
    preloaded = g_ptr_array_new_with_free_func (g_object_unref);
  if (self->sorted)
    {
      /* Sorted by SQL: the first entries, their length from the counts (or
       * every entry when there is none), the rest at once when asked. */
      _roster_store_load_sorted_entries (self->store, self, self->entries, preloaded,
                                         whole ? G_MAXUINT : ROSTER_LIST_PRELOAD, &more);
      if (more && _roster_store_count_sorted_entries (self->store, self, &count) && count > self->entries->len)
        {
          self->partial = TRUE;
          self->n_items = count;
        }
      else if (more)
        _roster_store_load_sorted_entries (self->store, self, self->entries, NULL, G_MAXUINT, &more);
    }
  else
    _roster_store_load_list_entries (self->store, self->kind, self->owner_id, self->entries, preloaded,
                                     whole ? G_MAXUINT : ROSTER_LIST_PRELOAD, &more);
  if (more && !self->sorted)
    {
      if (_roster_store_count_list_entries (self->store, self->kind, self->owner_id, &count) &&
          count > self->entries->len)
        {
          self->partial = TRUE;
          self->n_items = count;
        }
      else
        _roster_store_load_more_list_entries (self->store, self->kind, self->owner_id, self->entries,
                                              G_MAXUINT, &more);
    }

  for (guint start = 0; preloaded != NULL && start < preloaded->len; start += PAGE_SIZE)
    {
      Page *page = g_new0 (Page, 1);
      guint n = MIN (PAGE_SIZE, preloaded->len - start);

      page->index = start / PAGE_SIZE;
      page->items = g_ptr_array_new_full (n, g_object_unref);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (page->items, g_object_ref (g_ptr_array_index (preloaded, start + i)));
      g_queue_push_tail (&self->pages, page);
    }
}

static void
ensure_loaded (RosterList *self)
{
  if (self->entries != NULL)
    return;

  self->entries = g_array_new (FALSE, FALSE, sizeof (RosterListEntry));
  g_array_set_clear_func (self->entries, entry_clear);
  load (self, FALSE);
  if (!self->partial)
    self->n_items = self->entries->len;
}

/* The counts said one length, the rows another (a file whose counts were
 * changed by hand): the list tells the true one, from an idle, as
 * get_item() may not. */
static gboolean
fix_length_cb (gpointer data)
{
  RosterList *self = data;
  guint n_before = self->n_items, common;

  self->fix_idle = 0;
  if (self->in_change || self->partial || self->entries == NULL || self->entries->len == n_before)
    return G_SOURCE_REMOVE;

  common = MIN (n_before, self->entries->len);
  self->n_items = self->entries->len;
  g_list_model_items_changed (G_LIST_MODEL (self), common, n_before - common, self->entries->len - common);
  return G_SOURCE_REMOVE;
}

/* Reads the entries of a partial list up to @n (G_MAXUINT: all), after the
 * last one read. (Entries read later may see a newer file than the first
 * ones: the store reads every list again when another program changed it.) */
static void
read_entries (RosterList *self,
              guint       n)
{
  gboolean more = FALSE;

  if (!self->partial || self->entries->len >= n)
    return;

  if (self->sorted)
    {
      /* SQL sorts the rest again to skip the first ones: all of it at once. */
      if (!_roster_store_load_sorted_entries (self->store, self, self->entries, NULL, G_MAXUINT, &more))
        more = FALSE;
    }
  else if (!_roster_store_load_more_list_entries (self->store, self->kind, self->owner_id, self->entries,
                                             n == G_MAXUINT ? G_MAXUINT : MAX (n - self->entries->len, MORE_ENTRIES),
                                             &more))
    more = FALSE;
  if (more)
    return;

  self->partial = FALSE;
  if (self->entries->len != self->n_items && !self->in_change && self->fix_idle == 0)
    self->fix_idle = g_idle_add_full (G_PRIORITY_DEFAULT, fix_length_cb, g_object_ref (self), g_object_unref);
}

static GType
roster_list_get_item_type (GListModel *model)
{
  RosterList *self = ROSTER_LIST (model);

  switch (self->kind)
    {
    case ROSTER_LIST_USERS:
      return ROSTER_TYPE_USER;
    case ROSTER_LIST_CATEGORIES:
    case ROSTER_LIST_TASK_CATEGORIES:
      return ROSTER_TYPE_CATEGORY;
    case ROSTER_LIST_USER_TASKS:
    case ROSTER_LIST_CATEGORY_TASKS:
    case ROSTER_LIST_TODAY:
    case ROSTER_LIST_UPCOMING:
    default:
      return ROSTER_TYPE_TASK;
    }
}

static guint
roster_list_get_n_items (GListModel *model)
{
  RosterList *self = ROSTER_LIST (model);

  ensure_loaded (self);
  return self->n_items;
}

static gpointer
roster_list_get_item (GListModel *model,
                      guint       position)
{
  RosterList *self = ROSTER_LIST (model);
  g_autoptr(GPtrArray) items = NULL;
  Page *page;
  guint index, start, n;

  ensure_loaded (self);
  if (position >= self->n_items)
    return NULL;

  index = position / PAGE_SIZE;
  read_entries (self, (index + 1) * PAGE_SIZE);
  if (position >= self->entries->len)
    return NULL;

  for (GList *l = self->pages.head; l != NULL; l = l->next)
    {
      page = l->data;
      if (page->index == index)
        {
          if (l != self->pages.head)
            {
              g_queue_unlink (&self->pages, l);
              g_queue_push_head_link (&self->pages, l);
            }
          return g_object_ref (g_ptr_array_index (page->items, position - index * PAGE_SIZE));
        }
    }

  /* Read the whole page the item is on, with one query. */
  start = index * PAGE_SIZE;
  n = MIN (PAGE_SIZE, self->entries->len - start);
  {
    gint64 ids[PAGE_SIZE];

    for (guint i = 0; i < n; i++)
      ids[i] = g_array_index (self->entries, RosterListEntry, start + i).id;

    items = g_ptr_array_new_full (n, g_object_unref);
    _roster_store_load_list_items (self->store, self->kind, ids, n, items);
  }

  /* A row missing from the file (deleted by another program) cannot be shown:
   * there is no object to give, and the list is refreshed at the next change. */
  if (items->len != n)
    return NULL;

  page = g_new0 (Page, 1);
  page->index = index;
  page->items = g_steal_pointer (&items);
  g_queue_push_head (&self->pages, page);
  while (self->pages.length > MAX_PAGES)
    page_free (g_queue_pop_tail (&self->pages));

  return g_object_ref (g_ptr_array_index (page->items, position - start));
}

static void
roster_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = roster_list_get_item_type;
  iface->get_n_items = roster_list_get_n_items;
  iface->get_item = roster_list_get_item;
}

static void
roster_list_dispose (GObject *object)
{
  RosterList *self = ROSTER_LIST (object);

  drop_pages (self);
  g_clear_handle_id (&self->fix_idle, g_source_remove);
  if (self->store != NULL)
    _roster_store_forget_list (self->store, self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (roster_list_parent_class)->dispose (object);
}

static void
roster_list_finalize (GObject *object)
{
  RosterList *self = ROSTER_LIST (object);

  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_pointer (&self->before, g_free);

  G_OBJECT_CLASS (roster_list_parent_class)->finalize (object);
}

static void
roster_list_class_init (RosterListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = roster_list_dispose;
  object_class->finalize = roster_list_finalize;
}

static void
roster_list_init (RosterList *self)
{
  g_queue_init (&self->pages);
}

RosterList *
_roster_list_new (RosterStore    *store,
                  RosterListKind  kind,
                  gint64          owner_id)
{
  RosterList *self = g_object_new (ROSTER_TYPE_LIST, NULL);

  self->store = g_object_ref (store);
  self->kind = kind;
  self->owner_id = owner_id;

  return self;
}

RosterList *
_roster_list_new_sorted (RosterStore     *store,
                         RosterListKind   kind,
                         gint64           owner_id,
                         RosterSortOrder  order,
                         gboolean         hide_done)
{
  RosterList *self = _roster_list_new (store, kind, owner_id);

  self->sorted = TRUE;
  self->order = order;
  self->hide_done = hide_done;
  return self;
}

gboolean
_roster_list_is_sorted (RosterList *self)
{
  return self->sorted;
}

RosterSortOrder
_roster_list_get_order (RosterList *self)
{
  return self->order;
}

gboolean
_roster_list_hides_done (RosterList *self)
{
  return self->hide_done;
}

gboolean
_roster_list_place (RosterList             *self,
                    const RosterTaskRecord *row,
                    gint64                 *num,
                    const char            **key)
{
  gint64 day = 0;
  gboolean plan = self->kind == ROSTER_LIST_TODAY || self->kind == ROSTER_LIST_UPCOMING;

  *num = 0;
  *key = NULL;
  if (self->hide_done && row->done)
    return FALSE;
  if (plan && !_roster_store_plan_place (self->store, self->kind, row, &day))
    return FALSE;

  switch (self->order)
    {
    case ROSTER_SORT_DUE_DATE:
      day = _roster_day_from_string (row->due_date);
      /* Without a due date: last, as SQL's "due_date IS NULL" puts them. */
      *num = day != 0 ? day : G_MAXINT64;
      break;
    case ROSTER_SORT_TITLE:
      *key = row->title != NULL ? row->title : "";
      break;
    case ROSTER_SORT_PRIORITY:
      /* High (3) first, as SQL's "priority DESC". */
      *num = -(gint64) row->priority;
      break;
    case ROSTER_SORT_MANUAL:
    default:
      *num = self->kind == ROSTER_LIST_USER_TASKS ? row->position : day;
      break;
    }
  return TRUE;
}

RosterListKind
_roster_list_get_kind (RosterList *self)
{
  return self->kind;
}

gint64
_roster_list_get_owner_id (RosterList *self)
{
  return self->owner_id;
}

gboolean
_roster_list_is_loaded (RosterList *self)
{
  return self->entries != NULL;
}

void
_roster_list_begin_change (RosterList *self)
{
  if (self->in_change || self->entries == NULL)
    return;

  /* Edits need every entry. The ones read now come after those the list
   * ever gave out, so whatever the change did to them, nobody has seen
   * them; before[] holds what was told: n_items entries. */
  read_entries (self, G_MAXUINT);
  self->in_change = TRUE;
  self->reload = FALSE;
  self->n_edits = 0;
  self->n_before = self->n_items;
  self->before = g_new (gint64, MAX (1, self->n_before));
  for (guint i = 0; i < self->n_before; i++)
    self->before[i] = i < self->entries->len ? g_array_index (self->entries, RosterListEntry, i).id : -1;
}

static int
compare (RosterList            *self,
         const RosterListEntry *a,
         gint64                 id,
         gint64                 num,
         const char            *key)
{
  if (is_task_list (self) && self->sorted && self->order == ROSTER_SORT_TITLE)
    {
      /* As SQLite's NOCASE, which the list's SQL sorts with. */
      int cmp = g_ascii_strcasecmp (a->key, key);
      if (cmp != 0)
        return cmp;
    }
  else if (is_task_list (self))
    {
      if (a->num != num)
        return a->num < num ? -1 : 1;
    }
  else
    {
      int cmp = strcmp (a->key, key);
      if (cmp != 0)
        return cmp;
    }

  if (a->id != id)
    return a->id < id ? -1 : 1;
  return 0;
}

/* Counts one incremental edit; FALSE when the list will be read again anyway.
 * Any edit makes the cached pages wrong (positions shift), so they go now:
 * nothing may hand out an object from them mid-change. */
static gboolean
count_edit (RosterList *self)
{
  g_assert (self->in_change);

  drop_pages (self);

  if (self->reload)
    return FALSE;
  if (++self->n_edits > MAX_INCREMENTAL_EDITS)
    {
      self->reload = TRUE;
      return FALSE;
    }
  return TRUE;
}

void
_roster_list_insert (RosterList *self,
                     gint64      id,
                     gint64      num,
                     const char *key)
{
  RosterListEntry entry = { id, num, NULL };
  guint lo = 0, hi;

  if (self->entries == NULL || !count_edit (self))
    return;

  if (!is_task_list (self) || (self->sorted && self->order == ROSTER_SORT_TITLE))
    g_return_if_fail (key != NULL);

  /* A row is in a list once, whatever key it was inserted with before. */
  for (guint i = 0; i < self->entries->len; i++)
    if (g_array_index (self->entries, RosterListEntry, i).id == id)
      {
        g_array_remove_index (self->entries, i);
        break;
      }

  /* Binary search for the first entry that sorts after the new one. */
  hi = self->entries->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      int cmp = compare (self, &g_array_index (self->entries, RosterListEntry, mid), id, num, key);

      if (cmp < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  entry.key = g_strdup (key);
  g_array_insert_val (self->entries, lo, entry);
}

void
_roster_list_remove (RosterList *self,
                     gint64      id)
{
  if (self->entries == NULL || !count_edit (self))
    return;

  for (guint i = 0; i < self->entries->len; i++)
    if (g_array_index (self->entries, RosterListEntry, i).id == id)
      {
        g_array_remove_index (self->entries, i);
        return;
      }
}

void
_roster_list_remove_nums (RosterList *self,
                          gint64      lo,
                          gint64      hi)
{
  guint kept = 0;

  if (self->entries == NULL || self->reload)
    return;
  g_assert (self->in_change);
  drop_pages (self);

  for (guint i = 0; i < self->entries->len; i++)
    {
      RosterListEntry *entry = &g_array_index (self->entries, RosterListEntry, i);

      if (entry->num >= lo && entry->num < hi)
        entry_clear (entry);
      else
        g_array_index (self->entries, RosterListEntry, kept++) = *entry;
    }
  /* The moved entries' keys now belong to their new places. */
  g_array_set_clear_func (self->entries, NULL);
  g_array_set_size (self->entries, kept);
  g_array_set_clear_func (self->entries, entry_clear);
}

void
_roster_list_merge (RosterList *self,
                    GArray     *entries)
{
  g_autoptr(GArray) merged = NULL;
  guint i = 0, j = 0;

  if (self->entries == NULL || self->reload || entries->len == 0)
    return;
  g_assert (self->in_change);
  drop_pages (self);

  merged = g_array_sized_new (FALSE, FALSE, sizeof (RosterListEntry), self->entries->len + entries->len);
  while (i < self->entries->len || j < entries->len)
    {
      RosterListEntry *a = i < self->entries->len ? &g_array_index (self->entries, RosterListEntry, i) : NULL;
      RosterListEntry *b = j < entries->len ? &g_array_index (entries, RosterListEntry, j) : NULL;

      if (b == NULL || (a != NULL && compare (self, a, b->id, b->num, b->key) < 0))
        {
          g_array_append_val (merged, *a);
          i++;
        }
      else
        {
          g_array_append_val (merged, *b);
          j++;
        }
    }
  /* Every key now belongs to merged. */
  g_array_set_clear_func (entries, NULL);
  g_array_set_size (entries, 0);
  g_array_set_clear_func (self->entries, NULL);
  g_array_unref (self->entries);
  self->entries = g_steal_pointer (&merged);
  g_array_set_clear_func (self->entries, entry_clear);
}

gboolean
_roster_list_contains (RosterList *self,
                       gint64      id)
{
  if (self->entries == NULL)
    return FALSE;

  read_entries (self, G_MAXUINT);
  for (guint i = 0; i < self->entries->len; i++)
    if (g_array_index (self->entries, RosterListEntry, i).id == id)
      return TRUE;
  return FALSE;
}

void
_roster_list_reload (RosterList *self)
{
  if (self->entries == NULL)
    return;

  g_assert (self->in_change);
  self->reload = TRUE;
}

void
_roster_list_end_change (RosterList *self)
{
  guint n_after, prefix = 0, suffix = 0;

  if (!self->in_change)
    return;
  self->in_change = FALSE;

  if (self->reload)
    load (self, TRUE);

  /* One items-changed covering everything between the unchanged head and tail. */
  n_after = self->entries->len;
  self->n_items = n_after;
  while (prefix < self->n_before && prefix < n_after &&
         self->before[prefix] == g_array_index (self->entries, RosterListEntry, prefix).id)
    prefix++;
  while (suffix < self->n_before - prefix && suffix < n_after - prefix &&
         self->before[self->n_before - 1 - suffix] ==
         g_array_index (self->entries, RosterListEntry, n_after - 1 - suffix).id)
    suffix++;

  g_clear_pointer (&self->before, g_free);

  if (prefix == self->n_before && prefix == n_after)
    return;

  drop_pages (self);
  g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                              self->n_before - prefix - suffix,
                              n_after - prefix - suffix);
}
