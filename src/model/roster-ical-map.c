/* roster-ical-map.c: a task's fields in a VTODO, read and written with libical.
 *
 * The mapping itself (see roster-ical.h for the table), shared by the import
 * (reading a VTODO) and the export (patching a stored VTODO, or making a new
 * one). Reading and writing go through libical's getters and setters only:
 * libical does the escaping, the folding and the time zones.
 *
 * Patching changes a property only where the task's field differs from what
 * the VTODO already says, so that a DUE with a TZID keeps its zone, a task
 * done by PERCENT-COMPLETE alone stays so, and a VTODO without a SUMMARY
 * gets none until the task is renamed.
 *
 * Planning (issue 18): a due time makes DUE a DATE-TIME, floating (a
 * wall-clock time wherever one is) unless the VTODO's DUE already had a zone,
 * which it keeps; without one DUE is a DATE. PRIORITY: high 1, medium 5,
 * low 9, none no property (RFC 5545's 0, undefined); read back, 1-4 is high,
 * 5 medium, 6-9 low. The repeat rule is the RRULE, its UNTIL a date-time at
 * the end of the day when DUE is one (as RFC 5545 asks); a repeating task's
 * DTSTART is its DUE, the rule's first occurrence, so that other clients
 * count from the same day. A VTODO's RRULE without a DUE is not read: a task
 * repeats from its due date.
 */
#define G_LOG_DOMAIN "roster-ical"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "roster-ical-private.h"
#include "roster-recurrence.h"
#include "roster-store-private.h"

#define SORT_ORDER "X-APPLE-SORT-ORDER"

const char *
_roster_ical_untitled (void)
{
  return _("(No title)");
}

void
_roster_ical_append (GString       *out,
                     icalcomponent *component)
{
  char *text = icalcomponent_as_ical_string_r (component);

  g_string_append (out, text);
  icalmemory_free_buffer (text);
}

gboolean
_roster_ical_adopt (icalcomponent      *calendar,
                    const char         *text,
                    icalcomponent_kind  kind)
{
  icalcomponent *root = text != NULL ? icalparser_parse_string (text) : NULL;
  icalcomponent *c;

  if (root == NULL)
    return FALSE;
  if (icalcomponent_isa (root) == kind)
    {
      icalcomponent_add_component (calendar, root);
      return TRUE;
    }
  while ((c = icalcomponent_get_first_component (root, kind)) != NULL)
    {
      icalcomponent_remove_component (root, c);
      icalcomponent_add_component (calendar, c);
    }
  icalcomponent_free (root);
  return TRUE;
}

int
_roster_ical_compare_names (gconstpointer a,
                            gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */

static char *
format_date (int year,
             int month,
             int day)
{
  return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
}

/* The local date and time a DUE falls on: a date as it is (no time), a
 * floating date-time as written, one with a zone (its TZID, or UTC) where it
 * is here. */
static void
read_due (icalproperty  *due,
          char         **date,
          char         **time)
{
  struct icaltimetype t;

  *date = *time = NULL;
  if (due == NULL)
    return;
  t = icalproperty_get_datetime_with_component (due, NULL);
  if (icaltime_is_null_time (t) || !icaltime_is_valid_time (t))
    return;

  if (!t.is_date && t.zone != NULL)
    {
      time_t when = icaltime_as_timet_with_zone (t, t.zone);
      g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (when);

      if (local != NULL)
        {
          *date = format_date (g_date_time_get_year (local), g_date_time_get_month (local),
                               g_date_time_get_day_of_month (local));
          *time = g_date_time_format (local, "%H:%M");
          return;
        }
    }
  *date = format_date (t.year, t.month, t.day);
  if (!t.is_date)
    *time = g_strdup_printf ("%02d:%02d", t.hour, t.minute);
}

/* RFC 5545's 1 (highest) to 9 (lowest) in Roster's three steps. */
static int
read_priority (icalcomponent *vtodo)
{
  icalproperty *p = icalcomponent_get_first_property (vtodo, ICAL_PRIORITY_PROPERTY);
  int value = p != NULL ? icalproperty_get_priority (p) : 0;

  if (value >= 1 && value <= 4)
    return ROSTER_PRIORITY_HIGH;
  if (value == 5)
    return ROSTER_PRIORITY_MEDIUM;
  if (value >= 6 && value <= 9)
    return ROSTER_PRIORITY_LOW;
  return ROSTER_PRIORITY_NONE;
}

/* The first RRULE as Roster stores a rule; "" when there is none, or none
 * Roster keeps (by the hour…). */
static char *
read_rule (icalcomponent *vtodo)
{
  icalproperty *p = icalcomponent_get_first_property (vtodo, ICAL_RRULE_PROPERTY);
  struct icalrecurrencetype rule;
  char *text;
  char *normalized;

  if (p == NULL)
    return g_strdup ("");
  rule = icalproperty_get_rrule (p);
  text = icalrecurrencetype_as_string_r (&rule);
  normalized = roster_recurrence_normalize (text, NULL);
  icalmemory_free_buffer (text);
  return normalized != NULL ? normalized : g_strdup ("");
}

static icalproperty *
find_x_property (icalcomponent *component,
                 const char    *name)
{
  for (icalproperty *p = icalcomponent_get_first_property (component, ICAL_X_PROPERTY);
       p != NULL;
       p = icalcomponent_get_next_property (component, ICAL_X_PROPERTY))
    if (g_ascii_strcasecmp (icalproperty_get_x_name (p), name) == 0)
      return p;
  return NULL;
}

/* Every value of every CATEGORIES property. libical 3.0 splits a property's
 * values into properties of their own, but not after an escaped character,
 * and it keeps no escaped comma: what is left with commas is split here. */
void
_roster_ical_read_tags (icalcomponent *vtodo,
                        GPtrArray     *tags)
{
  for (icalproperty *p = icalcomponent_get_first_property (vtodo, ICAL_CATEGORIES_PROPERTY);
       p != NULL;
       p = icalcomponent_get_next_property (vtodo, ICAL_CATEGORIES_PROPERTY))
    {
      const char *value = icalproperty_get_categories (p);
      g_auto(GStrv) parts = g_strsplit (value != NULL ? value : "", ",", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          char *name = g_strstrip (parts[i]);

          if (_roster_text_is_blank (name) || g_ptr_array_find_with_equal_func (tags, name, g_str_equal, NULL))
            continue;
          g_ptr_array_add (tags, g_strdup (name));
        }
    }
}

void
_roster_ical_read_fields (icalcomponent    *vtodo,
                          RosterIcalFields *fields)
{
  const char *summary = icalcomponent_get_summary (vtodo);
  const char *description = icalcomponent_get_description (vtodo);
  icalproperty *p;

  memset (fields, 0, sizeof *fields);
  fields->title = _roster_text_is_blank (summary) ? NULL : g_strdup (summary);
  fields->notes = g_strdup (description != NULL ? description : "");

  fields->done = icalcomponent_get_status (vtodo) == ICAL_STATUS_COMPLETED ||
                 icalcomponent_get_first_property (vtodo, ICAL_COMPLETED_PROPERTY) != NULL;
  p = icalcomponent_get_first_property (vtodo, ICAL_PERCENTCOMPLETE_PROPERTY);
  if (p != NULL && icalproperty_get_percentcomplete (p) >= 100)
    fields->done = TRUE;

  read_due (icalcomponent_get_first_property (vtodo, ICAL_DUE_PROPERTY), &fields->due_date, &fields->due_time);
  fields->priority = read_priority (vtodo);
  fields->recurrence = fields->due_date != NULL ? read_rule (vtodo) : g_strdup ("");

  p = find_x_property (vtodo, SORT_ORDER);
  if (p != NULL && icalproperty_get_x (p) != NULL)
    fields->has_position = g_ascii_string_to_signed (icalproperty_get_x (p), 10, G_MININT64, G_MAXINT64,
                                                     &fields->position, NULL);

  fields->tags = g_ptr_array_new_with_free_func (g_free);
  _roster_ical_read_tags (vtodo, fields->tags);
}

void
_roster_ical_fields_clear (RosterIcalFields *fields)
{
  g_clear_pointer (&fields->title, g_free);
  g_clear_pointer (&fields->notes, g_free);
  g_clear_pointer (&fields->due_date, g_free);
  g_clear_pointer (&fields->due_time, g_free);
  g_clear_pointer (&fields->recurrence, g_free);
  g_clear_pointer (&fields->tags, g_ptr_array_unref);
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                   */

static void
remove_all (icalcomponent    *component,
            icalproperty_kind kind)
{
  icalproperty *p;

  while ((p = icalcomponent_get_first_property (component, kind)) != NULL)
    {
      icalcomponent_remove_property (component, p);
      icalproperty_free (p);
    }
}

static void
remove_x (icalcomponent *component,
          const char    *name)
{
  icalproperty *p;

  while ((p = find_x_property (component, name)) != NULL)
    {
      icalcomponent_remove_property (component, p);
      icalproperty_free (p);
    }
}

static struct icaltimetype
utc_time (time_t when)
{
  return icaltime_from_timet_with_zone (when, 0, icaltimezone_get_utc_timezone ());
}

/* The new value of @due for @date and @time: a date without a time, else a
 * floating date-time, unless @due had a zone, which it keeps. */
static struct icaltimetype
due_value (icalproperty *due,
           const char   *date,
           const char   *time)
{
  struct icaltimetype old = due ? icalproperty_get_datetime_with_component (due, NULL) : icaltime_null_time ();
  struct icaltimetype t = icaltime_null_date ();
  g_autoptr(GDateTime) parsed = _roster_date_from_string (date);
  int year, month, day, hour, minute;

  if (parsed == NULL)
    return t;
  g_date_time_get_ymd (parsed, &year, &month, &day);

  if (!_roster_time_parse (time, &hour, &minute))
    {
      t.year = year, t.month = month, t.day = day;
      t.hour = t.minute = t.second = 0;
      return t;
    }
  if (due == NULL || old.is_date || icaltime_is_null_time (old) || old.zone == NULL)
    {
      t = icaltime_null_time ();
      t.year = year, t.month = month, t.day = day;
      t.hour = hour, t.minute = minute;
      return t;
    }
  {
    /* The local time here on the local date, in the old zone. */
    g_autoptr(GDateTime) now = g_date_time_new_local (year, month, day, hour, minute, 0);

    if (now == NULL)
      return t;
    t = icaltime_from_timet_with_zone (g_date_time_to_unix (now), 0, old.zone);
    /* libical 3.0 converts to the zone but leaves the value marked UTC. */
    t.zone = old.zone;
    return t;
  }
}

static void
set_due (icalcomponent *vtodo,
         const char    *date,
         const char    *time)
{
  icalproperty *due = icalcomponent_get_first_property (vtodo, ICAL_DUE_PROPERTY);
  struct icaltimetype t;

  if (date == NULL)
    {
      remove_all (vtodo, ICAL_DUE_PROPERTY);
      return;
    }
  t = due_value (due, date, time);
  if (icaltime_is_null_time (t))
    return;  /* not a date Roster wrote: left as it was */
  if (due == NULL)
    icalcomponent_add_property (vtodo, icalproperty_new_due (t));
  else
    {
      if (t.is_date || t.zone == NULL)
        icalproperty_remove_parameter_by_kind (due, ICAL_TZID_PARAMETER);
      icalproperty_set_due (due, t);
    }
}

static void
set_priority (icalcomponent *vtodo,
              int            priority)
{
  static const int values[] = { 0, 9, 5, 1 };  /* none, low, medium, high */

  remove_all (vtodo, ICAL_PRIORITY_PROPERTY);
  if (priority > ROSTER_PRIORITY_NONE && priority <= ROSTER_PRIORITY_HIGH)
    icalcomponent_add_property (vtodo, icalproperty_new_priority (values[priority]));
}

/* The RRULE, and DTSTART the same as DUE: the rule's first occurrence. */
static void
set_rule (icalcomponent *vtodo,
          const char    *rule,
          const char    *time)
{
  icalproperty *due = icalcomponent_get_first_property (vtodo, ICAL_DUE_PROPERTY);
  struct icalrecurrencetype parsed;
  icalproperty *start;
  icalparameter *zone;

  remove_all (vtodo, ICAL_RRULE_PROPERTY);
  if (rule == NULL || *rule == '\0' || due == NULL)
    return;
  parsed = icalrecurrencetype_from_string (rule);
  if (parsed.freq == ICAL_NO_RECURRENCE)
    return;
  if (time != NULL && !icaltime_is_null_time (parsed.until))
    {
      /* With a DATE-TIME DUE, UNTIL must be one too: the end of its day. */
      parsed.until.is_date = 0;
      parsed.until.hour = 23, parsed.until.minute = 59, parsed.until.second = 59;
    }
  icalcomponent_add_property (vtodo, icalproperty_new_rrule (parsed));

  remove_all (vtodo, ICAL_DTSTART_PROPERTY);
  start = icalproperty_new_dtstart (icalproperty_get_due (due));
  zone = icalproperty_get_first_parameter (due, ICAL_TZID_PARAMETER);
  if (zone != NULL)
    icalproperty_add_parameter (start, icalparameter_new_clone (zone));
  icalcomponent_add_property (vtodo, start);
}

static void
set_done (icalcomponent *vtodo,
          gboolean       done,
          time_t         now)
{
  icalproperty *percent = icalcomponent_get_first_property (vtodo, ICAL_PERCENTCOMPLETE_PROPERTY);
  icalproperty_status status = icalcomponent_get_status (vtodo);

  if (done)
    {
      icalcomponent_set_status (vtodo, ICAL_STATUS_COMPLETED);
      if (icalcomponent_get_first_property (vtodo, ICAL_COMPLETED_PROPERTY) == NULL)
        icalcomponent_add_property (vtodo, icalproperty_new_completed (utc_time (now)));
      if (percent != NULL)
        icalproperty_set_percentcomplete (percent, 100);
      else
        icalcomponent_add_property (vtodo, icalproperty_new_percentcomplete (100));
      return;
    }

  /* Not done: whatever said so goes; a status of work under way stays. */
  if (status == ICAL_STATUS_COMPLETED || status == ICAL_STATUS_NONE)
    icalcomponent_set_status (vtodo, ICAL_STATUS_NEEDSACTION);
  remove_all (vtodo, ICAL_COMPLETED_PROPERTY);
  if (percent != NULL && icalproperty_get_percentcomplete (percent) >= 100)
    remove_all (vtodo, ICAL_PERCENTCOMPLETE_PROPERTY);
}

static void
set_position (icalcomponent *vtodo,
              gint64         position)
{
  char text[32];
  icalproperty *p;

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, position);
  remove_x (vtodo, SORT_ORDER);
  p = icalproperty_new_x (text);
  icalproperty_set_x_name (p, SORT_ORDER);
  icalcomponent_add_property (vtodo, p);
}

/* One CATEGORIES property with every tag: some programs read only the
 * first. libical takes the commas as the separators of its values. */
static void
set_tags (icalcomponent      *vtodo,
          const char * const *tags,
          guint               n_tags)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  remove_all (vtodo, ICAL_CATEGORIES_PROPERTY);
  if (n_tags == 0)
    return;
  for (guint i = 0; i < n_tags; i++)
    g_string_append_printf (joined, "%s%s", i > 0 ? "," : "", tags[i]);
  icalcomponent_add_property (vtodo, icalproperty_new_categories (joined->str));
}

void
_roster_ical_join_categories (icalcomponent *vtodo,
                              GPtrArray     *tags)
{
  g_autoptr(GPtrArray) read = NULL;

  if (icalcomponent_count_properties (vtodo, ICAL_CATEGORIES_PROPERTY) < 2)
    return;
  if (tags == NULL)
    {
      tags = read = g_ptr_array_new_with_free_func (g_free);
      _roster_ical_read_tags (vtodo, read);
    }
  set_tags (vtodo, (const char * const *) tags->pdata, tags->len);
}

static void
set_notes (icalcomponent *vtodo,
           const char    *notes)
{
  remove_all (vtodo, ICAL_DESCRIPTION_PROPERTY);
  if (notes != NULL && notes[0] != '\0')
    icalcomponent_add_property (vtodo, icalproperty_new_description (notes));
}

static gboolean
same_tags (GPtrArray          *mapped,
           const char * const *tags,
           guint               n_tags)
{
  if (mapped->len != n_tags)
    return FALSE;
  g_ptr_array_sort (mapped, _roster_ical_compare_names);
  for (guint i = 0; i < n_tags; i++)
    if (strcmp (g_ptr_array_index (mapped, i), tags[i]) != 0)
      return FALSE;
  return TRUE;
}

void
_roster_ical_stamp (icalcomponent *vtodo,
                    time_t         now)
{
  struct icaltimetype t = utc_time (now);
  icalproperty *p;

  remove_all (vtodo, ICAL_DTSTAMP_PROPERTY);
  icalcomponent_add_property (vtodo, icalproperty_new_dtstamp (t));
  p = icalcomponent_get_first_property (vtodo, ICAL_LASTMODIFIED_PROPERTY);
  if (p != NULL)
    icalproperty_set_lastmodified (p, t);
  else
    icalcomponent_add_property (vtodo, icalproperty_new_lastmodified (t));
}

gboolean
_roster_ical_patch (icalcomponent        *vtodo,
                    const RosterIcalTask *task,
                    time_t                now)
{
  RosterIcalFields mapped;
  gboolean changed = FALSE;

  _roster_ical_read_fields (vtodo, &mapped);

  if (g_strcmp0 (icalcomponent_get_uid (vtodo), task->uid) != 0)
    {
      icalcomponent_set_uid (vtodo, task->uid);
      changed = TRUE;
    }
  if (strcmp (mapped.title ? mapped.title : _roster_ical_untitled (), task->title) != 0)
    {
      icalcomponent_set_summary (vtodo, task->title);
      changed = TRUE;
    }
  if (strcmp (mapped.notes, task->notes ? task->notes : "") != 0)
    {
      set_notes (vtodo, task->notes);
      changed = TRUE;
    }
  if (mapped.done != task->done)
    {
      set_done (vtodo, task->done, now);
      changed = TRUE;
    }
  if (g_strcmp0 (mapped.due_date, task->due_date) != 0 || g_strcmp0 (mapped.due_time, task->due_time) != 0)
    {
      set_due (vtodo, task->due_date, task->due_time);
      /* The rule's first occurrence moved with it. */
      if (task->recurrence != NULL && *task->recurrence != '\0')
        set_rule (vtodo, task->recurrence, task->due_time);
      changed = TRUE;
    }
  if (mapped.priority != task->priority)
    {
      set_priority (vtodo, task->priority);
      changed = TRUE;
    }
  if (strcmp (mapped.recurrence, task->recurrence ? task->recurrence : "") != 0)
    {
      set_rule (vtodo, task->recurrence, task->due_time);
      changed = TRUE;
    }
  if (!mapped.has_position || mapped.position != task->position)
    {
      set_position (vtodo, task->position);
      changed = TRUE;
    }
  if (!same_tags (mapped.tags, task->tags, task->n_tags))
    {
      set_tags (vtodo, task->tags, task->n_tags);
      changed = TRUE;
    }

  if (changed)
    _roster_ical_stamp (vtodo, now);
  _roster_ical_fields_clear (&mapped);
  return changed;
}

icalcomponent *
_roster_ical_new_vtodo (const RosterIcalTask *task,
                        time_t                now)
{
  icalcomponent *vtodo = icalcomponent_new (ICAL_VTODO_COMPONENT);

  icalcomponent_add_property (vtodo, icalproperty_new_uid (task->uid));
  icalcomponent_add_property (vtodo, icalproperty_new_dtstamp (utc_time (now)));
  icalcomponent_add_property (vtodo, icalproperty_new_summary (task->title));
  set_notes (vtodo, task->notes);
  if (task->due_date != NULL)
    set_due (vtodo, task->due_date, task->due_time);
  set_priority (vtodo, task->priority);
  set_rule (vtodo, task->recurrence, task->due_time);
  if (task->done)
    set_done (vtodo, TRUE, now);
  else
    icalcomponent_add_property (vtodo, icalproperty_new_status (ICAL_STATUS_NEEDSACTION));
  set_position (vtodo, task->position);
  set_tags (vtodo, task->tags, task->n_tags);
  return vtodo;
}
