/* roster-ical-export.c: a user's tasks, a tag's or all of them as one .ics.
 *
 * One VCALENDAR of VTODOs. A task with a stored VTODO (one it was imported
 * from) is written from that VTODO: as it is when the task has not changed
 * since (its fields still have the digest stored with it), else parsed and
 * patched where the task changed (roster-ical-map.c), so that every property
 * Roster does not know survives. A task with none gets a new VTODO. The
 * VTIMEZONEs the stored VTODOs name go once each into the calendar.
 *
 * The rows come from the store in one query (roster-store-ical.c).
 */
#define G_LOG_DOMAIN "roster-ical"

#include <string.h>

#include "roster-ical-private.h"
#include "roster-store-ical.h"

typedef struct
{
  GString    *todos;
  GHashTable *zone_texts;  /* the stored VTIMEZONEs met, each once */
  GPtrArray  *zone_order;  /* ...in the order met (borrowed from zone_texts) */
  time_t      now;
} Export;

/* The stored VTODO, patched where the task changed, and its overrides. */
static gboolean
write_patched (Export               *export,
               const RosterIcalRow  *row,
               const RosterIcalTask *task)
{
  icalcomponent *calendar = icalcomponent_new (ICAL_VCALENDAR_COMPONENT);
  icalcomponent *series = NULL;

  /* In a calendar with its VTIMEZONEs, so that its DUE is read as imported. */
  if (row->vtimezones != NULL)
    _roster_ical_adopt (calendar, row->vtimezones, ICAL_VTIMEZONE_COMPONENT);
  if (!_roster_ical_adopt (calendar, row->vtodo, ICAL_VTODO_COMPONENT))
    {
      icalcomponent_free (calendar);
      return FALSE;
    }

  for (icalcomponent *c = icalcomponent_get_first_component (calendar, ICAL_VTODO_COMPONENT);
       c != NULL;
       c = icalcomponent_get_next_component (calendar, ICAL_VTODO_COMPONENT))
    if (series == NULL || (icalcomponent_get_first_property (series, ICAL_RECURRENCEID_PROPERTY) != NULL &&
                           icalcomponent_get_first_property (c, ICAL_RECURRENCEID_PROPERTY) == NULL))
      series = c;
  if (series == NULL)
    {
      icalcomponent_free (calendar);
      return FALSE;
    }

  _roster_ical_patch (series, task, export->now);
  for (icalcomponent *c = icalcomponent_get_first_component (calendar, ICAL_VTODO_COMPONENT);
       c != NULL;
       c = icalcomponent_get_next_component (calendar, ICAL_VTODO_COMPONENT))
    {
      if (c != series && g_strcmp0 (icalcomponent_get_uid (c), task->uid) != 0)
        icalcomponent_set_uid (c, task->uid);
      _roster_ical_join_categories (c, NULL);
      _roster_ical_append (export->todos, c);
    }
  icalcomponent_free (calendar);
  return TRUE;
}

static gboolean
export_row (const RosterIcalRow  *row,
            gpointer              data,
            GError              **error)
{
  Export *export = data;
  g_autofree char *made_uid = NULL;
  gboolean unchanged = FALSE;
  RosterIcalTask task;

  /* Every task has a roster_ical row (its triggers see to that); one that
   * lost it gets a UID for this export only. */
  if (row->uid == NULL)
    made_uid = g_uuid_string_random ();

  task = (RosterIcalTask) {
    .uid = row->uid ? row->uid : made_uid,
    .title = row->title,
    .notes = row->notes,
    .done = row->done,
    .due_date = row->due_date,
    .due_time = row->due_time,
    .priority = row->priority,
    .recurrence = row->recurrence,
    .position = row->position,
    .tags = row->tags,
    .n_tags = row->n_tags,
  };

  if (row->vtodo != NULL && row->digest != NULL)
    {
      g_autofree char *digest = _roster_ical_digest (task.title, task.notes, task.done, task.due_date,
                                                     task.due_time, task.priority, task.recurrence,
                                                     task.position, task.tags, task.n_tags);

      unchanged = strcmp (digest, row->digest) == 0;
    }

  if (unchanged)
    g_string_append (export->todos, row->vtodo);
  else if (row->vtodo == NULL || !write_patched (export, row, &task))
    {
      icalcomponent *vtodo = _roster_ical_new_vtodo (&task, export->now);

      _roster_ical_append (export->todos, vtodo);
      icalcomponent_free (vtodo);
    }

  if (row->vtimezones != NULL && !g_hash_table_contains (export->zone_texts, row->vtimezones))
    {
      char *text = g_strdup (row->vtimezones);

      g_hash_table_add (export->zone_texts, text);
      g_ptr_array_add (export->zone_order, text);
    }
  return TRUE;
}

/* The calendar around the VTODOs, as libical writes it: its properties and
 * VTIMEZONEs in @head, "END:VCALENDAR" in @tail. */
static char *
calendar_text (Export     *export,
               const char *name,
               gsize      *head_length)
{
  icalcomponent *calendar = icalcomponent_new (ICAL_VCALENDAR_COMPONENT);
  g_autoptr(GHashTable) tzids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  char *text;
  const char *end;

  icalcomponent_add_property (calendar, icalproperty_new_version ("2.0"));
  icalcomponent_add_property (calendar, icalproperty_new_prodid ("-//Roster//Roster//EN"));
  if (name != NULL)
    {
      icalproperty *p = icalproperty_new_x (name);

      icalproperty_set_x_name (p, "X-WR-CALNAME");
      icalcomponent_add_property (calendar, p);
    }

  /* Each zone once: the first text met that defines its TZID. */
  for (guint i = 0; i < export->zone_order->len; i++)
    {
      icalcomponent *zones = icalcomponent_new (ICAL_VCALENDAR_COMPONENT);
      icalcomponent *z;

      _roster_ical_adopt (zones, g_ptr_array_index (export->zone_order, i), ICAL_VTIMEZONE_COMPONENT);
      while ((z = icalcomponent_get_first_component (zones, ICAL_VTIMEZONE_COMPONENT)) != NULL)
        {
          icalproperty *tzid = icalcomponent_get_first_property (z, ICAL_TZID_PROPERTY);

          icalcomponent_remove_component (zones, z);
          if (tzid != NULL && !g_hash_table_contains (tzids, icalproperty_get_tzid (tzid)))
            {
              g_hash_table_add (tzids, g_strdup (icalproperty_get_tzid (tzid)));
              icalcomponent_add_component (calendar, z);
            }
          else
            icalcomponent_free (z);
        }
      icalcomponent_free (zones);
    }

  text = icalcomponent_as_ical_string_r (calendar);
  icalcomponent_free (calendar);
  end = g_strrstr (text, "END:VCALENDAR");
  *head_length = end != NULL ? (gsize) (end - text) : strlen (text);
  return text;
}

GBytes *
roster_ical_export (RosterStore     *store,
                    RosterUser      *user,
                    RosterCategory  *category,
                    GError         **error)
{
  g_autoptr(GHashTable) zone_texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) zone_order = g_ptr_array_new ();
  g_autoptr(GString) todos = g_string_new (NULL);
  Export export = { todos, zone_texts, zone_order, time (NULL) };
  GString *out;
  char *calendar;
  gsize head;

  g_return_val_if_fail (ROSTER_IS_STORE (store), NULL);

  if (!_roster_store_ical_read_tasks (store, user, category, export_row, &export, error))
    return NULL;

  calendar = calendar_text (&export, user ? roster_user_get_username (user)
                                          : category ? roster_category_get_name (category) : NULL,
                            &head);
  out = g_string_sized_new (strlen (calendar) + todos->len);
  g_string_append_len (out, calendar, head);
  g_string_append_len (out, todos->str, todos->len);
  g_string_append (out, calendar + head);
  icalmemory_free_buffer (calendar);
  return g_string_free_to_bytes (out);
}
