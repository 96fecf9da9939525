/* roster-ical-map.c: a task's fields in a VTODO, read and written with libical.
 *
 * The mapping itself (see roster-ical.h for the table), shared by the import
 * (reading a VTODO) and the export (patching a stored VTODO, or making a new
 * one). Reading and writing go through libical's getters and setters only:
 * libical does the escaping, the folding and the time zones.
 *
 * Patching changes a property only where the task's field differs from what
 * the VTODO already says, so that a DUE with a TZID keeps its zone and time
 * of day, a task done by PERCENT-COMPLETE alone stays so, and a VTODO without
 * a SUMMARY gets none until the task is renamed.
 */
#define G_LOG_DOMAIN "roster-ical"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "roster-ical-private.h"
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

/* The local date a DUE falls on: a date as it is, a floating date-time on its
 * own date, one with a zone (its TZID, or UTC) where it is here. */
static char *
read_due (icalproperty *due)
{
  struct icaltimetype t;

  if (due == NULL)
    return NULL;
  t = icalproperty_get_datetime_with_component (due, NULL);
  if (icaltime_is_null_time (t) || !icaltime_is_valid_time (t))
    return NULL;

  if (!t.is_date && t.zone != NULL)
    {
      time_t when = icaltime_as_timet_with_zone (t, t.zone);
      g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (when);

      if (local != NULL)
        return format_date (g_date_time_get_year (local), g_date_time_get_month (local),
                            g_date_time_get_day_of_month (local));
    }
  return format_date (t.year, t.month, t.day);
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

  fields->due_date = read_due (icalcomponent_get_first_property (vtodo, ICAL_DUE_PROPERTY));

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

/* The new value of @due for the date @date: a date, unless @due was a
 * date-time, which keeps its time of day (here) and its zone. */
static struct icaltimetype
due_value (icalproperty *due,
           const char   *date)
{
  struct icaltimetype old = due ? icalproperty_get_datetime_with_component (due, NULL) : icaltime_null_time ();
  struct icaltimetype t = icaltime_null_date ();
  g_autoptr(GDateTime) parsed = _roster_date_from_string (date);
  int year, month, day;

  if (parsed == NULL)
    return t;
  g_date_time_get_ymd (parsed, &year, &month, &day);

  if (due == NULL || old.is_date || icaltime_is_null_time (old))
    {
      t.year = year, t.month = month, t.day = day;
      return t;
    }
  if (old.zone == NULL)
    {
      old.year = year, old.month = month, old.day = day;
      return old;
    }
  {
    /* The same local time of day on the new local date, in the old zone. */
    time_t when = icaltime_as_timet_with_zone (old, old.zone);
    g_autoptr(GDateTime) was = g_date_time_new_from_unix_local (when);
    g_autoptr(GDateTime) now = g_date_time_new_local (year, month, day,
                                                      g_date_time_get_hour (was),
                                                      g_date_time_get_minute (was),
                                                      g_date_time_get_second (was));

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
         const char    *date)
{
  icalproperty *due = icalcomponent_get_first_property (vtodo, ICAL_DUE_PROPERTY);
  struct icaltimetype t;

  if (date == NULL)
    {
      remove_all (vtodo, ICAL_DUE_PROPERTY);
      return;
    }
  t = due_value (due, date);
  if (icaltime_is_null_time (t))
    return;  /* not a date Roster wrote: left as it was */
  if (due == NULL)
    icalcomponent_add_property (vtodo, icalproperty_new_due (t));
  else
    {
      if (t.is_date)
        icalproperty_remove_parameter_by_kind (due, ICAL_TZID_PARAMETER);
      icalproperty_set_due (due, t);
    }
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
  if (g_strcmp0 (mapped.due_date, task->due_date) != 0)
    {
      set_due (vtodo, task->due_date);
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
    set_due (vtodo, task->due_date);
  if (task->done)
    set_done (vtodo, TRUE, now);
  else
    icalcomponent_add_property (vtodo, icalproperty_new_status (ICAL_STATUS_NEEDSACTION));
  set_position (vtodo, task->position);
  set_tags (vtodo, task->tags, task->n_tags);
  return vtodo;
}
