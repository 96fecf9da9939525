/* roster-sync-merge.c: the three-way merge of a VTODO, and the
 * deletion-safety rule (roster-sync-merge.h). Pure functions of their
 * arguments: no store, no network, no clock but the one passed in.
 *
 * A property's "value" here is the property as iCalendar writes it,
 * parameters included (a DUE's TZID, a SUMMARY's LANGUAGE), so that any
 * change on one side counts as a change; only CATEGORIES are compared value
 * by value, since people tag and untag one name at a time on each side.
 */
#define G_LOG_DOMAIN "roster-sync"

#include <string.h>

#include "roster-ical-private.h"
#include "roster-sync-merge.h"

#define SORT_ORDER "X-APPLE-SORT-ORDER"

/* When both sides changed a group, what says they made the same change
 * (then the server's stays, and there is nothing to tell). */
typedef enum
{
  /* The properties as iCalendar writes them, parameters and all. */
  AGREE_TEXT,
  /* The values as a person reads them: a title that one client wrote with
   * a LANGUAGE parameter is still the same title. */
  AGREE_VALUES,
  /* The STATUS alone: a task marked done on both sides is done, whenever
   * each side did it (COMPLETED's time and PERCENT-COMPLETE follow it). */
  AGREE_STATUS,
} Agree;

/* What is merged as one unit: the properties of each group change together
 * (a task done is STATUS, COMPLETED and PERCENT-COMPLETE at once). */
static const struct {
  const char         *name;       /* for a conflict */
  icalproperty_kind   kinds[3];   /* ICAL_NO_PROPERTY ends the list */
  const char         *x_name;     /* an X- property instead */
  gboolean            report;     /* a conflict is worth telling a person */
  Agree               agree;
} groups[] = {
  { "SUMMARY", { ICAL_SUMMARY_PROPERTY, ICAL_NO_PROPERTY }, NULL, TRUE, AGREE_VALUES },
  { "DESCRIPTION", { ICAL_DESCRIPTION_PROPERTY, ICAL_NO_PROPERTY }, NULL, TRUE, AGREE_VALUES },
  { "STATUS", { ICAL_STATUS_PROPERTY, ICAL_COMPLETED_PROPERTY, ICAL_PERCENTCOMPLETE_PROPERTY }, NULL, TRUE,
    AGREE_STATUS },
  { "DUE", { ICAL_DUE_PROPERTY, ICAL_NO_PROPERTY }, NULL, TRUE, AGREE_TEXT },
  { "DTSTART", { ICAL_DTSTART_PROPERTY, ICAL_NO_PROPERTY }, NULL, TRUE, AGREE_TEXT },
  { "PRIORITY", { ICAL_PRIORITY_PROPERTY, ICAL_NO_PROPERTY }, NULL, TRUE, AGREE_TEXT },
  { "RRULE", { ICAL_RRULE_PROPERTY, ICAL_NO_PROPERTY }, NULL, TRUE, AGREE_TEXT },
  { SORT_ORDER, { ICAL_NO_PROPERTY }, SORT_ORDER, FALSE, AGREE_TEXT },
};

void
roster_sync_conflict_free (gpointer data)
{
  RosterSyncConflict *conflict = data;

  if (conflict == NULL)
    return;
  g_free (conflict->property);
  g_free (conflict->local_value);
  g_free (conflict->server_value);
  g_free (conflict);
}

void
roster_sync_merge_clear (RosterSyncMerge *merge)
{
  g_clear_pointer (&merge->merged, icalcomponent_free);
  g_clear_pointer (&merge->conflicts, g_ptr_array_unref);
}

icalcomponent *
roster_sync_parse_vtodo (const char *text)
{
  icalcomponent *root;
  icalcomponent *vtodo;

  if (text == NULL)
    return NULL;
  root = icalparser_parse_string (text);
  if (root == NULL)
    return NULL;
  if (icalcomponent_isa (root) == ICAL_VTODO_COMPONENT)
    return root;
  vtodo = icalcomponent_get_first_component (root, ICAL_VTODO_COMPONENT);
  if (vtodo != NULL)
    vtodo = icalcomponent_new_clone (vtodo);
  icalcomponent_free (root);
  return vtodo;
}

/* Calls @func for each property of group @g in @component. */
static void
group_foreach (icalcomponent *component,
               guint          g,
               void         (*func) (icalproperty *p, gpointer data),
               gpointer       data)
{
  if (groups[g].x_name != NULL)
    {
      for (icalproperty *p = icalcomponent_get_first_property (component, ICAL_X_PROPERTY);
           p != NULL;
           p = icalcomponent_get_next_property (component, ICAL_X_PROPERTY))
        if (g_ascii_strcasecmp (icalproperty_get_x_name (p), groups[g].x_name) == 0)
          func (p, data);
      return;
    }
  for (guint k = 0; k < G_N_ELEMENTS (groups[g].kinds) && groups[g].kinds[k] != ICAL_NO_PROPERTY; k++)
    for (icalproperty *p = icalcomponent_get_first_property (component, groups[g].kinds[k]);
         p != NULL;
         p = icalcomponent_get_next_property (component, groups[g].kinds[k]))
      func (p, data);
}

/* A property that says what its absence says: an open task is open
 * whether or not it has STATUS:NEEDS-ACTION or PERCENT-COMPLETE:0, so one
 * side adding them is no change. */
static gboolean
is_default (icalproperty *p)
{
  switch (icalproperty_isa (p))
    {
    case ICAL_STATUS_PROPERTY:
      return icalproperty_get_status (p) == ICAL_STATUS_NEEDSACTION;
    case ICAL_PERCENTCOMPLETE_PROPERTY:
      return icalproperty_get_percentcomplete (p) == 0;
    default:
      return FALSE;
    }
}

static void
append_whole (icalproperty *p,
              gpointer      data)
{
  char *text;

  if (is_default (p))
    return;
  text = icalproperty_as_ical_string_r (p);
  g_ptr_array_add (data, g_strdup (text));
  icalmemory_free_buffer (text);
}

static void
append_value (icalproperty *p,
              gpointer      data)
{
  icalvalue *value = icalproperty_get_value (p);
  char *text;

  if (is_default (p))
    return;
  /* Text as a person wrote it, not escaped as iCalendar writes it. */
  if (value != NULL && icalvalue_isa (value) == ICAL_TEXT_VALUE)
    {
      const char *plain = icalvalue_get_text (value);

      g_ptr_array_add (data, g_strdup (plain ? plain : ""));
      return;
    }
  text = icalproperty_get_value_as_string_r (p);
  g_ptr_array_add (data, g_strdup (text ? text : ""));
  icalmemory_free_buffer (text);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The group's properties as they are written, sorted, on one string. */
static char *
group_text (icalcomponent *component,
            guint          g)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (component == NULL)
    return NULL;
  group_foreach (component, g, append_whole, parts);
  g_ptr_array_sort (parts, compare_strings);
  g_ptr_array_add (parts, NULL);
  return g_strjoinv ("", (char **) parts->pdata);
}

/* The group's values for a person: "Buy milk", "COMPLETED, 100". */
static char *
group_values (icalcomponent *component,
              guint          g)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  group_foreach (component, g, append_value, parts);
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (", ", (char **) parts->pdata);
}

/* A task's state as its STATUS says it; none is an open task, or a done
 * one for a client that only writes COMPLETED (as the mapping reads it). */
static icalproperty_status
status_of (icalcomponent *component)
{
  icalproperty *status = icalcomponent_get_first_property (component, ICAL_STATUS_PROPERTY);

  if (status != NULL)
    return icalproperty_get_status (status);
  return icalcomponent_get_first_property (component, ICAL_COMPLETED_PROPERTY) != NULL
         ? ICAL_STATUS_COMPLETED : ICAL_STATUS_NEEDSACTION;
}

/* Whether the two sides' different versions of group @g are the same
 * change (see Agree). */
static gboolean
same_change (icalcomponent *local,
             icalcomponent *remote,
             guint          g)
{
  g_autofree char *l = NULL;
  g_autofree char *r = NULL;

  switch (groups[g].agree)
    {
    case AGREE_VALUES:
      l = group_values (local, g);
      r = group_values (remote, g);
      return strcmp (l, r) == 0;
    case AGREE_STATUS:
      return status_of (local) == status_of (remote);
    case AGREE_TEXT:
    default:
      return FALSE;
    }
}

static void
collect (icalproperty *p,
         gpointer      data)
{
  g_ptr_array_add (data, p);
}

/* Puts @from's properties of group @g in place of @into's. */
static void
take_group (icalcomponent *into,
            icalcomponent *from,
            guint          g)
{
  g_autoptr(GPtrArray) old = g_ptr_array_new ();
  g_autoptr(GPtrArray) new = g_ptr_array_new ();

  group_foreach (into, g, collect, old);
  for (guint i = 0; i < old->len; i++)
    {
      icalcomponent_remove_property (into, g_ptr_array_index (old, i));
      icalproperty_free (g_ptr_array_index (old, i));
    }
  group_foreach (from, g, collect, new);
  for (guint i = 0; i < new->len; i++)
    icalcomponent_add_property (into, icalproperty_new_clone (g_ptr_array_index (new, i)));
}

static GPtrArray *
read_categories (icalcomponent *component)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);

  if (component != NULL)
    _roster_ical_read_tags (component, values);
  return values;
}

static gboolean
has (GPtrArray  *values,
     const char *value)
{
  return g_ptr_array_find_with_equal_func (values, value, g_str_equal, NULL);
}

static gboolean
same_set (GPtrArray *a,
          GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (!has (b, g_ptr_array_index (a, i)))
      return FALSE;
  return TRUE;
}

static char *
joined (GPtrArray *values)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  for (guint i = 0; i < values->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (values, i));
  strv = g_strv_builder_end (builder);
  return g_strjoinv (", ", strv);
}

static void
add_conflict (RosterSyncMerge *out,
              const char      *property,
              char            *local_value,
              char            *server_value)
{
  RosterSyncConflict *conflict = g_new0 (RosterSyncConflict, 1);

  conflict->property = g_strdup (property);
  conflict->local_value = local_value;
  conflict->server_value = server_value;
  g_ptr_array_add (out->conflicts, conflict);
}

/* CATEGORIES: the server's, plus what was added here, minus what was
 * removed here. */
static void
merge_categories (icalcomponent   *base,
                  icalcomponent   *local,
                  icalcomponent   *remote,
                  RosterSyncMerge *out)
{
  g_autoptr(GPtrArray) b = read_categories (base);
  g_autoptr(GPtrArray) l = read_categories (local);
  g_autoptr(GPtrArray) r = read_categories (remote);
  g_autoptr(GPtrArray) result = g_ptr_array_new ();
  icalproperty *p;

  if (same_set (l, r))
    return;
  if (base == NULL)
    {
      add_conflict (out, "CATEGORIES", joined (l), joined (r));
      out->remote_changed = TRUE;
      return;
    }

  for (guint i = 0; i < r->len; i++)
    if (has (l, g_ptr_array_index (r, i)) || !has (b, g_ptr_array_index (r, i)))
      g_ptr_array_add (result, g_ptr_array_index (r, i));
  for (guint i = 0; i < l->len; i++)
    if (!has (b, g_ptr_array_index (l, i)) && !has (result, g_ptr_array_index (l, i)))
      g_ptr_array_add (result, g_ptr_array_index (l, i));

  if (!same_set (result, r))
    {
      while ((p = icalcomponent_get_first_property (out->merged, ICAL_CATEGORIES_PROPERTY)) != NULL)
        {
          icalcomponent_remove_property (out->merged, p);
          icalproperty_free (p);
        }
      for (guint i = 0; i < result->len; i++)
        icalcomponent_add_property (out->merged, icalproperty_new_categories (g_ptr_array_index (result, i)));
      _roster_ical_join_categories (out->merged, NULL);
      out->local_changed = TRUE;
    }
  if (!same_set (result, l))
    out->remote_changed = TRUE;
}

void
roster_sync_merge (icalcomponent   *base,
                   icalcomponent   *local,
                   icalcomponent   *remote,
                   time_t           now,
                   RosterSyncMerge *out)
{
  g_return_if_fail (local != NULL && remote != NULL && out != NULL);

  out->merged = icalcomponent_new_clone (remote);
  out->conflicts = g_ptr_array_new_with_free_func (roster_sync_conflict_free);
  out->local_changed = FALSE;
  out->remote_changed = FALSE;

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      g_autofree char *b = group_text (base, g);
      g_autofree char *l = group_text (local, g);
      g_autofree char *r = group_text (remote, g);

      if (strcmp (l, r) == 0)
        continue;
      if (b != NULL && strcmp (l, b) == 0)
        {
          /* Changed on the server only. */
          out->remote_changed = TRUE;
        }
      else if (b != NULL && strcmp (r, b) == 0)
        {
          /* Changed here only. */
          take_group (out->merged, local, g);
          out->local_changed = TRUE;
        }
      else if (same_change (local, remote, g))
        {
          /* The same change on both sides, written differently: the
           * server's, and nothing to tell. */
          out->remote_changed = TRUE;
        }
      else
        {
          /* Changed on both sides: the server's value stays. */
          if (groups[g].report)
            add_conflict (out, groups[g].name, group_values (local, g), group_values (remote, g));
          out->remote_changed = TRUE;
        }
    }

  merge_categories (base, local, remote, out);

  if (out->local_changed)
    _roster_ical_stamp (out->merged, now);
}

RosterSyncDeletions
roster_sync_check_deletions (const RosterSyncDeletionCheck *check,
                             guint                         *n_asked)
{
  guint going = check->list_vanished ? check->n_local : check->n_going;

  if (n_asked != NULL)
    *n_asked = going;
  if (going == 0)
    return ROSTER_SYNC_DELETIONS_SAFE;
  if (check->server_changed || check->list_vanished)
    return ROSTER_SYNC_DELETIONS_ASK;
  /* More than half of the list at once. */
  if ((guint64) going * 2 > check->n_local)
    return ROSTER_SYNC_DELETIONS_ASK;
  return ROSTER_SYNC_DELETIONS_SAFE;
}
