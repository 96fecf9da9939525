/* roster-list.h: the live relationship lists (private to the model layer).
 *
 * A RosterList is a GListModel of one relationship: all users, all categories,
 * one user's tasks, one task's categories, one category's tasks, or a Plan
 * view (Today, Upcoming: open tasks by due day, see roster-store-plan.c). It keeps only
 * the ordered ids (and their sort keys) of its rows; task objects are
 * materialised a page at a time through the store's identity map. A long
 * task list reads only its first ids at first, takes its length from the
 * counts the schema keeps, and reads the rest as far as it is asked. The store
 * tells it what changed after each commit, between begin_change() and
 * end_change(), and the list then emits one items-changed for the whole batch.
 */
#pragma once

#include <gio/gio.h>

#include "roster-store-private.h"

G_BEGIN_DECLS

typedef enum
{
  ROSTER_LIST_USERS,
  ROSTER_LIST_CATEGORIES,
  ROSTER_LIST_USER_TASKS,
  ROSTER_LIST_TASK_CATEGORIES,
  ROSTER_LIST_CATEGORY_TASKS,
  ROSTER_LIST_TODAY,
  ROSTER_LIST_UPCOMING,
} RosterListKind;

/* One row of a list: tasks sort by (num = position, id), names by (key, id);
 * in a Plan view num is the due day (a GDate Julian day). */
typedef struct
{
  gint64  id;
  gint64  num;
  char   *key;
} RosterListEntry;

#define ROSTER_TYPE_LIST (roster_list_get_type ())
G_DECLARE_FINAL_TYPE (RosterList, roster_list, ROSTER, LIST, GObject)

RosterList     *_roster_list_new          (RosterStore     *store,
                                           RosterListKind   kind,
                                           gint64           owner_id);
/* A task list of @kind and @owner_id in @order, without done tasks when
 * @hide_done (roster_store_list_sorted()). */
RosterList     *_roster_list_new_sorted   (RosterStore     *store,
                                           RosterListKind   kind,
                                           gint64           owner_id,
                                           RosterSortOrder  order,
                                           gboolean         hide_done);
RosterListKind  _roster_list_get_kind     (RosterList      *self);
/* Whether the list is one of _roster_list_new_sorted()'s, and how. */
gboolean        _roster_list_is_sorted    (RosterList      *self);
RosterSortOrder _roster_list_get_order    (RosterList      *self);
gboolean        _roster_list_hides_done   (RosterList      *self);
/* Whether @row (a task of the list's relationship) shows in a sorted list
 * or a Plan view, and where: its entry's *num and *key (owned by @row). */
gboolean        _roster_list_place        (RosterList      *self,
                                           const RosterTaskRecord *row,
                                           gint64          *num,
                                           const char     **key);
gint64          _roster_list_get_owner_id (RosterList      *self);
gboolean        _roster_list_is_loaded    (RosterList      *self);

void            _roster_list_begin_change (RosterList      *self);
/* @key is copied; pass NULL for task lists. Inserting a row already there, or
 * removing one that is not, does nothing. */
void            _roster_list_insert       (RosterList      *self,
                                           gint64           id,
                                           gint64           num,
                                           const char      *key);
void            _roster_list_remove       (RosterList      *self,
                                           gint64           id);
/* Whether the list (as read so far, mid-change included) holds @id. */
gboolean        _roster_list_contains     (RosterList      *self,
                                           gint64           id);
/* Mid-change, in bulk: removes every entry whose num is in [@lo, @hi), and
 * merges @entries (sorted, none in the list yet; their keys are taken) in
 * one pass. For the day rolling over in a Plan view, which moves a whole day
 * of tasks without reading the list again. */
void            _roster_list_remove_nums  (RosterList      *self,
                                           gint64           lo,
                                           gint64           hi);
void            _roster_list_merge        (RosterList      *self,
                                           GArray          *entries);
/* Reads the whole list again from the file at end_change(). */
void            _roster_list_reload       (RosterList      *self);
void            _roster_list_end_change   (RosterList      *self);

/* How many task objects a list makes while it reads its first rows: more
 * than a screenful, and than the rows GTK 4.8's list view makes at once
 * (200), so that what a window shows first costs one query. A multiple of
 * the page size. */
#define ROSTER_LIST_PRELOAD 256

/* _roster_store_load_list_items() reads the tasks of up to this many ids
 * that are not in memory with one query (a page of the list). */
#define ROSTER_LIST_ITEMS_PER_QUERY 64

/* The SQL behind the lists, in roster-list-sql.c, on the store's connection.
 * Fills @entries in list order, up to @limit entries
 * (G_MAXUINT: all); for task lists, also @preloaded (when not NULL) with the
 * objects of the first entries, up to ROSTER_LIST_PRELOAD. *@more tells
 * whether rows are left after the last one read. */
gboolean        _roster_store_load_list_entries (RosterStore     *store,
                                                 RosterListKind   kind,
                                                 gint64           owner_id,
                                                 GArray          *entries,
                                                 GPtrArray       *preloaded,
                                                 guint            limit,
                                                 gboolean        *more);
/* Task lists only: appends up to @limit more entries after the last one of
 * @entries (not empty), read from the index alone. */
gboolean        _roster_store_load_more_list_entries (RosterStore    *store,
                                                      RosterListKind  kind,
                                                      gint64          owner_id,
                                                      GArray         *entries,
                                                      guint           limit,
                                                      gboolean       *more);
/* Task lists only: how many entries the list has, from the counts the
 * schema's triggers keep (no row is read). */
gboolean        _roster_store_count_list_entries     (RosterStore    *store,
                                                      RosterListKind  kind,
                                                      gint64          owner_id,
                                                      guint          *n);
/* Plan views only: the entries of every open task due in the days [@lo,
 * @hi) (Julian), in list order, from the index of open dated tasks. */
gboolean        _roster_store_load_plan_days    (RosterStore     *store,
                                                 guint32          lo,
                                                 guint32          hi,
                                                 GArray          *entries);
/* A due date's day (GDate Julian), or 0 when @text is not "YYYY-MM-DD…". */
guint32         _roster_day_from_string              (const char         *text);
/* "YYYY-MM-DD" of a Julian day; @out holds 11 bytes. */
void            _roster_day_to_string                (guint32             day,
                                                      char               *out);
/* The due days [*lo, *hi) that a Plan view shows today. */
void            _roster_store_plan_range             (RosterStore        *store,
                                                      RosterListKind      kind,
                                                      guint32            *lo,
                                                      guint32            *hi);
/* Whether @row belongs in the Plan view @kind, and at which day (*num). */
gboolean        _roster_store_plan_place             (RosterStore        *store,
                                                      RosterListKind      kind,
                                                      const RosterTaskRecord *row,
                                                      gint64             *num);
/* Sorted lists (_roster_list_new_sorted()): their first @limit entries
 * (G_MAXUINT: all), and the first objects into @preloaded; the entries
 * after the first @entries->len ones (all of them); their length from
 * counts, when the schema keeps one. */
gboolean        _roster_store_load_sorted_entries (RosterStore    *store,
                                                   RosterList     *list,
                                                   GArray         *entries,
                                                   GPtrArray      *preloaded,
                                                   guint           limit,
                                                   gboolean       *more);
gboolean        _roster_store_count_sorted_entries (RosterStore   *store,
                                                    RosterList    *list,
                                                    guint         *n);
/* Returns the objects for @ids, in order, through the identity map. */
void            _roster_store_load_list_items   (RosterStore     *store,
                                                 RosterListKind   kind,
                                                 const gint64    *ids,
                                                 guint            n_ids,
                                                 GPtrArray       *out);
/* In roster-store.c: the store no longer hands out @list (it is going). */
void            _roster_store_forget_list       (RosterStore     *store,
                                                 RosterList      *list);

G_END_DECLS
