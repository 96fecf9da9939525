/* roster-store-plan.c: the Plan views (Today, Upcoming) and the store's day.
 *
 * Both views are RosterLists of open tasks from every user, ordered by due
 * day then id, read through the partial index of open dated tasks
 * (ix_task_due_open, migration 3 -> 4; the SQL is in roster-list-sql.c). An
 * entry's num is its due day as a GDate Julian day, so that the list's own
 * order (num, id) is the index's.
 *
 * Which tasks they hold depends on the store's day, which follows the local
 * date: a timer fires at the next local midnight, and roster_store_refresh()
 * (called by the window every few seconds and on focus) looks again, for a
 * computer that slept through midnight or changed time zone. When the day
 * changes, each view drops the days it no longer shows and reads only the
 * days it now shows (one query each), merged in one pass: the rest of the
 * list is never read again. Tests and the benchmark fix the day with
 * roster_store_set_today().
 */
#define G_LOG_DOMAIN "roster-store"

#include <stdio.h>

#include "roster-store-parts.h"

guint32
_roster_day_from_string (const char *text)
{
  GDate date;
  int y, m, d;

  if (text == NULL || sscanf (text, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
      !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return 0;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return g_date_get_julian (&date);
}

void
_roster_day_to_string (guint32  day,
                       char    *out)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, day);
  g_snprintf (out, 11, "%04d-%02d-%02d", g_date_get_year (&date), g_date_get_month (&date),
              g_date_get_day (&date));
}

static guint32
local_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDate date;
  int y, m, d;

  g_date_time_get_ymd (now, &y, &m, &d);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return g_date_get_julian (&date);
}

static guint32
store_today (RosterStore *self)
{
  if (self->today == 0)
    self->today = local_today ();
  return self->today;
}

void
_roster_store_plan_range (RosterStore    *self,
                          RosterListKind  kind,
                          guint32        *lo,
                          guint32        *hi)
{
  guint32 today = store_today (self);

  if (kind == ROSTER_LIST_TODAY)
    {
      *lo = 0;          /* every day before, however long ago */
      *hi = today + 1;
    }
  else
    {
      *lo = today;
      *hi = today + ROSTER_UPCOMING_DAYS;
    }
}

static gboolean
in_range (guint32 day,
          guint32 lo,
          guint32 hi)
{
  return day >= lo && day < hi;
}

gboolean
_roster_store_plan_place (RosterStore            *self,
                          RosterListKind          kind,
                          const RosterTaskRecord *row,
                          gint64                 *num)
{
  guint32 lo, hi, day;

  if (row->done || row->due_date == NULL || (day = _roster_day_from_string (row->due_date)) == 0)
    return FALSE;
  _roster_store_plan_range (self, kind, &lo, &hi);
  *num = day;
  return in_range (day, lo, hi);
}

void
_roster_store_plan_reflect_task (RosterStore            *self,
                                 const RosterTaskRecord *prev,
                                 const RosterTaskRecord *row)
{
  RosterList *lists[] = { self->today_list, self->upcoming_list };

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      RosterListKind kind = i == 0 ? ROSTER_LIST_TODAY : ROSTER_LIST_UPCOMING;
      gint64 was = 0, now = 0;
      gboolean in_before = prev != NULL && _roster_store_plan_place (self, kind, prev, &was);
      gboolean in_after = row != NULL && _roster_store_plan_place (self, kind, row, &now);
      RosterList *list;

      /* An owner, a title or notes changed: the task stays where it is
       * (its row shows the change through the object's notify). */
      if (in_before == in_after && was == now)
        continue;
      if (!(list = _roster_store_touch_list (self, lists[i])))
        continue;
      if (in_after)
        _roster_list_insert (list, row->id, now, NULL);
      else
        _roster_list_remove (list, prev->id);
    }
}

static GListModel *
plan_list (RosterStore     *self,
           RosterList     **slot,
           RosterListKind   kind)
{
  if (*slot != NULL)
    return g_object_ref (G_LIST_MODEL (*slot));

  *slot = _roster_list_new (self, kind, 0);
  return G_LIST_MODEL (*slot);
}

static void arm_midnight (RosterStore *self);

GListModel *
roster_store_list_today (RosterStore *self)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  arm_midnight (self);
  return plan_list (self, &self->today_list, ROSTER_LIST_TODAY);
}

GListModel *
roster_store_list_upcoming (RosterStore *self)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  arm_midnight (self);
  return plan_list (self, &self->upcoming_list, ROSTER_LIST_UPCOMING);
}

/* One view's part of a roll-over from @old to the store's new day: drops
 * the days it no longer shows, reads the days it now shows. */
static void
roll_list (RosterStore    *self,
           RosterList     *list,
           RosterListKind  kind,
           guint32         old)
{
  guint32 new = self->today, olo, ohi, nlo, nhi;
  guint32 gained[2][2], lost[2][2];

  self->today = old;
  _roster_store_plan_range (self, kind, &olo, &ohi);
  self->today = new;
  _roster_store_plan_range (self, kind, &nlo, &nhi);

  /* [lo, hi) minus the other range: at most a part below it, a part above. */
  lost[0][0] = olo, lost[0][1] = MIN (ohi, nlo);
  lost[1][0] = MAX (olo, nhi), lost[1][1] = ohi;
  gained[0][0] = nlo, gained[0][1] = MIN (nhi, olo);
  gained[1][0] = MAX (nlo, ohi), gained[1][1] = nhi;

  if (!(list = _roster_store_touch_list (self, list)))
    return;
  for (guint i = 0; i < 2; i++)
    if (lost[i][0] < lost[i][1])
      _roster_list_remove_nums (list, lost[i][0], lost[i][1]);
  for (guint i = 0; i < 2; i++)
    if (gained[i][0] < gained[i][1])
      {
        g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (RosterListEntry));

        if (!_roster_store_load_plan_days (self, gained[i][0], gained[i][1], entries))
          _roster_list_reload (list);
        else
          _roster_list_merge (list, entries);
      }
}

static void
set_day (RosterStore *self,
         guint32      day)
{
  guint32 old = store_today (self);

  if (day == old)
    return;

  self->today = day;
  roll_list (self, self->today_list, ROSTER_LIST_TODAY, old);
  roll_list (self, self->upcoming_list, ROSTER_LIST_UPCOMING, old);
  /* A Plan view in another order (by title) is read again. */
  for (guint i = 0; i < self->sorted_lists->len; i++)
    {
      RosterList *list = g_ptr_array_index (self->sorted_lists, i);
      RosterListKind kind = _roster_list_get_kind (list);

      if ((kind == ROSTER_LIST_TODAY || kind == ROSTER_LIST_UPCOMING) &&
          (list = _roster_store_touch_list (self, list)))
        _roster_list_reload (list);
    }
  _roster_store_finish_touched (self);
  _roster_store_notify (self, PROP_TODAY);
}

static gboolean
midnight_cb (gpointer data)
{
  RosterStore *self = data;

  self->midnight_timeout = 0;
  _roster_store_plan_check_day (self);
  arm_midnight (self);
  return G_SOURCE_REMOVE;
}

/* A timer to just after the next local midnight, while the store follows
 * the local date and someone asked for a Plan view. */
static void
arm_midnight (RosterStore *self)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  int y, m, d;

  if (self->midnight_timeout != 0 || self->today_fixed)
    return;

  now = g_date_time_new_now_local ();
  g_date_time_get_ymd (now, &y, &m, &d);
  {
    g_autoptr(GDateTime) start = g_date_time_new_local (y, m, d, 0, 0, 0);

    midnight = g_date_time_add_days (start, 1);
  }
  /* On the store's own context, like its other sources (a store opened in a
   * worker thread has its own). */
  self->midnight_timeout =
    _roster_store_add_source (self->context, G_PRIORITY_DEFAULT,
                              (guint) (g_date_time_difference (midnight, now) / G_TIME_SPAN_MILLISECOND + 1000),
                              midnight_cb, self, NULL);
}

void
_roster_store_plan_check_day (RosterStore *self)
{
  /* Mid-batch the connection sees rows not committed yet; a big change's
   * worker writes the file: the next refresh rolls the day over. */
  if (self->today_fixed || self->today == 0 || self->batch != NULL || self->work != NULL)
    return;
  set_day (self, local_today ());
}

void
_roster_store_plan_dispose (RosterStore *self)
{
  _roster_store_clear_source (self->context, &self->midnight_timeout);
}

/**
 * roster_store_set_today:
 * @today: (nullable): the day the Plan views show as today; NULL to follow
 *   the local date again
 */
void
roster_store_set_today (RosterStore *self,
                        const GDate *today)
{
  g_return_if_fail (ROSTER_IS_STORE (self));
  g_return_if_fail (today == NULL || g_date_valid (today));

  _roster_store_clear_source (self->context, &self->midnight_timeout);
  self->today_fixed = today != NULL;
  set_day (self, today != NULL ? g_date_get_julian (today) : local_today ());
  if (self->today_list != NULL || self->upcoming_list != NULL)
    arm_midnight (self);
}

guint32
roster_store_get_today (RosterStore *self)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), 0);

  return store_today (self);
}
