/* roster-ical-import.c: .ics files into a store (RosterIcalImport).
 *
 * Two steps, so that the slow one can run in a worker thread: reading the
 * files (roster_ical_import_add_bytes()) parses each with libical, maps each
 * VTODO to Roster's fields (roster-ical-map.c) and keeps it as libical writes
 * it, and touches no store; running the import (roster_ical_import_run())
 * writes them all into the store as one batch, through the store's private
 * functions for it (roster-store-ical.c).
 *
 * What is refused, and what is only skipped: a file that is not UTF-8, not
 * iCalendar, or cut short adds nothing; in a good file, a VTODO libical could
 * not read whole (a line that is no property, a value that is no value: the
 * X-LIC-ERROR properties libical puts in its place) is skipped and named, and
 * a VEVENT is skipped and counted. A recurring VTODO's overrides (the same
 * UID, with a RECURRENCE-ID) are kept with their series, one task.
 */
#define G_LOG_DOMAIN "roster-ical"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "roster-ical-private.h"
#include "roster-store-ical.h"

/* One task to write: a VTODO, with its overrides. */
typedef struct
{
  char             *uid;
  char             *calendar;     /* the file's X-WR-CALNAME, or NULL */
  RosterIcalFields  fields;
  char             *vtodo;        /* the VTODO and its overrides, as libical writes them */
  char             *vtimezones;   /* the VTIMEZONEs they name, or NULL */
} Item;

struct _RosterIcalImport
{
  GObject    parent_instance;

  GPtrArray *items;        /* Item */
  GPtrArray *unreadable;   /* char *: one sentence each */
  guint      n_events;
  guint      n_imported;
  guint      n_updated;
  gboolean   ran;
};

G_DEFINE_FINAL_TYPE (RosterIcalImport, roster_ical_import, G_TYPE_OBJECT)

static void
item_free (gpointer data)
{
  Item *item = data;

  g_free (item->uid);
  g_free (item->calendar);
  _roster_ical_fields_clear (&item->fields);
  g_free (item->vtodo);
  g_free (item->vtimezones);
  g_free (item);
}

/* ------------------------------------------------------------------------ */
/* Reading a file                                                            */

/* The VTODOs of one calendar that share a UID: the series and its overrides. */
typedef struct
{
  icalcomponent *master;      /* without RECURRENCE-ID, or NULL */
  GPtrArray     *overrides;   /* icalcomponent (borrowed) */
} Group;

static void
group_free (gpointer data)
{
  Group *group = data;

  g_ptr_array_unref (group->overrides);
  g_free (group);
}

/* Why libical could not read @component whole, or NULL when it could. An
 * empty property ("No value for…", libical's words) loses nothing. */
static const char *
damage_of (icalcomponent *component)
{
  if (icalcomponent_count_errors (component) == 0)
    return NULL;

  for (icalproperty *p = icalcomponent_get_first_property (component, ICAL_XLICERROR_PROPERTY);
       p != NULL;
       p = icalcomponent_get_next_property (component, ICAL_XLICERROR_PROPERTY))
    {
      icalparameter *type = icalproperty_get_first_parameter (p, ICAL_XLICERRORTYPE_PARAMETER);
      const char *message = icalproperty_get_xlicerror (p);

      switch (type ? icalparameter_get_xlicerrortype (type) : ICAL_XLICERRORTYPE_NONE)
        {
        case ICAL_XLICERRORTYPE_COMPONENTPARSEERROR:
        case ICAL_XLICERRORTYPE_PROPERTYPARSEERROR:
          return message ? message : "";
        case ICAL_XLICERRORTYPE_VALUEPARSEERROR:
          if (message == NULL || !g_str_has_prefix (message, "No value for "))
            return message ? message : "";
          break;
        default:
          break;
        }
    }

  for (icalcomponent *c = icalcomponent_get_first_component (component, ICAL_ANY_COMPONENT);
       c != NULL;
       c = icalcomponent_get_next_component (component, ICAL_ANY_COMPONENT))
    {
      const char *damage = damage_of (c);
      if (damage != NULL)
        return damage;
    }
  return NULL;
}

/* libical's notes about what it could not read are not part of the VTODO. */
static void
strip_errors (icalcomponent *component)
{
  icalproperty *p;

  while ((p = icalcomponent_get_first_property (component, ICAL_XLICERROR_PROPERTY)) != NULL)
    {
      icalcomponent_remove_property (component, p);
      icalproperty_free (p);
    }
  for (icalcomponent *c = icalcomponent_get_first_component (component, ICAL_ANY_COMPONENT);
       c != NULL;
       c = icalcomponent_get_next_component (component, ICAL_ANY_COMPONENT))
    strip_errors (c);
}

static void
collect_tzids (icalcomponent *component,
               GHashTable    *tzids)
{
  for (icalproperty *p = icalcomponent_get_first_property (component, ICAL_ANY_PROPERTY);
       p != NULL;
       p = icalcomponent_get_next_property (component, ICAL_ANY_PROPERTY))
    {
      icalparameter *tzid = icalproperty_get_first_parameter (p, ICAL_TZID_PARAMETER);

      if (tzid != NULL && icalparameter_get_tzid (tzid) != NULL)
        g_hash_table_add (tzids, (gpointer) icalparameter_get_tzid (tzid));
    }
  for (icalcomponent *c = icalcomponent_get_first_component (component, ICAL_ANY_COMPONENT);
       c != NULL;
       c = icalcomponent_get_next_component (component, ICAL_ANY_COMPONENT))
    collect_tzids (c, tzids);
}

/* The calendar's VTIMEZONEs that the group's properties name, as text. */
static char *
vtimezones_of (icalcomponent *calendar,
               GPtrArray     *members)
{
  g_autoptr(GHashTable) tzids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) out = NULL;

  for (guint i = 0; i < members->len; i++)
    collect_tzids (g_ptr_array_index (members, i), tzids);
  if (g_hash_table_size (tzids) == 0)
    return NULL;

  for (icalcomponent *z = icalcomponent_get_first_component (calendar, ICAL_VTIMEZONE_COMPONENT);
       z != NULL;
       z = icalcomponent_get_next_component (calendar, ICAL_VTIMEZONE_COMPONENT))
    {
      icalproperty *tzid = icalcomponent_get_first_property (z, ICAL_TZID_PROPERTY);

      if (tzid == NULL || !g_hash_table_remove (tzids, icalproperty_get_tzid (tzid)))
        continue;
      if (out == NULL)
        out = g_string_new (NULL);
      _roster_ical_append (out, z);
    }
  return out != NULL ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

static Item *
make_item (Group         *group,
           icalcomponent *calendar,
           const char    *calendar_name)
{
  g_autoptr(GPtrArray) members = g_ptr_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  Item *item = g_new0 (Item, 1);
  icalcomponent *series;
  const char *uid;

  if (group->master != NULL)
    g_ptr_array_add (members, group->master);
  g_ptr_array_extend (members, group->overrides, NULL, NULL);
  series = g_ptr_array_index (members, 0);

  /* Read while the VTODO is in its calendar, whose VTIMEZONEs its DUE may name. */
  _roster_ical_read_fields (series, &item->fields);
  uid = icalcomponent_get_uid (series);
  if (uid == NULL || uid[0] == '\0')
    {
      /* Kept from now on, in the task and in its VTODO. */
      g_autofree char *made = g_uuid_string_random ();
      icalcomponent_set_uid (series, made);
    }
  item->uid = g_strdup (icalcomponent_get_uid (series));
  item->calendar = g_strdup (calendar_name);

  for (guint i = 0; i < members->len; i++)
    {
      strip_errors (g_ptr_array_index (members, i));
      _roster_ical_join_categories (g_ptr_array_index (members, i), i == 0 ? item->fields.tags : NULL);
      _roster_ical_append (text, g_ptr_array_index (members, i));
    }
  item->vtodo = g_string_free (g_steal_pointer (&text), FALSE);
  item->vtimezones = vtimezones_of (calendar, members);
  return item;
}

static char *
calendar_name_of (icalcomponent *calendar)
{
  for (icalproperty *p = icalcomponent_get_first_property (calendar, ICAL_X_PROPERTY);
       p != NULL;
       p = icalcomponent_get_next_property (calendar, ICAL_X_PROPERTY))
    if (g_ascii_strcasecmp (icalproperty_get_x_name (p), "X-WR-CALNAME") == 0 && icalproperty_get_x (p) != NULL)
      {
        g_autofree char *name = g_strstrip (g_strdup (icalproperty_get_x (p)));

        /* A blank one is no name a user can have. */
        if (!_roster_text_is_blank (name))
          return g_steal_pointer (&name);
      }
  return NULL;
}

static char *
describe_unreadable (icalcomponent *vtodo,
                     guint          number,
                     const char    *file,
                     const char    *why)
{
  const char *summary = icalcomponent_get_summary (vtodo);

  if (summary != NULL && summary[0] != '\0')
    /* Translators: “Buy milk”, to-do 3 of “tasks.ics”, could not be read: (libical's words) */
    return g_strdup_printf (_("“%s”, to-do %u of “%s”, could not be read: %s"), summary, number, file, why);
  /* Translators: To-do 3 of “tasks.ics” could not be read: (libical's words) */
  return g_strdup_printf (_("To-do %u of “%s” could not be read: %s"), number, file, why);
}

/* Adds the VTODOs of one VCALENDAR to @items. */
static void
read_calendar (RosterIcalImport *self,
               icalcomponent    *calendar,
               const char       *file,
               guint            *number,
               GPtrArray        *items)
{
  g_autoptr(GHashTable) by_uid = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func (group_free);
  g_autofree char *calendar_name = calendar_name_of (calendar);

  for (icalcomponent *c = icalcomponent_get_first_component (calendar, ICAL_ANY_COMPONENT);
       c != NULL;
       c = icalcomponent_get_next_component (calendar, ICAL_ANY_COMPONENT))
    {
      const char *uid, *damage;
      gboolean override;
      Group *group;

      if (icalcomponent_isa (c) == ICAL_VEVENT_COMPONENT)
        self->n_events++;
      if (icalcomponent_isa (c) != ICAL_VTODO_COMPONENT)
        continue;

      ++*number;
      if ((damage = damage_of (c)) != NULL)
        {
          g_ptr_array_add (self->unreadable, describe_unreadable (c, *number, file, damage));
          continue;
        }

      uid = icalcomponent_get_uid (c);
      override = icalcomponent_get_first_property (c, ICAL_RECURRENCEID_PROPERTY) != NULL;
      group = uid != NULL && uid[0] != '\0' ? g_hash_table_lookup (by_uid, uid) : NULL;
      /* A second series with the same UID is a task of its own: the later
       * one updates the first when they are written. */
      if (group == NULL || (!override && group->master != NULL))
        {
          group = g_new0 (Group, 1);
          group->overrides = g_ptr_array_new ();
          g_ptr_array_add (groups, group);
          if (uid != NULL && uid[0] != '\0')
            g_hash_table_insert (by_uid, (gpointer) uid, group);
        }
      if (override)
        g_ptr_array_add (group->overrides, c);
      else
        group->master = c;
    }

  for (guint i = 0; i < groups->len; i++)
    g_ptr_array_add (items, make_item (g_ptr_array_index (groups, i), calendar, calendar_name));
}

/* Whether @text starts as an iCalendar file does, for saying why libical
 * could not read it: cut short, or something else altogether. */
static gboolean
begins_as_icalendar (const char *text)
{
  while (g_ascii_isspace (*text))
    text++;
  return g_ascii_strncasecmp (text, "BEGIN:VCALENDAR", strlen ("BEGIN:VCALENDAR")) == 0;
}

gboolean
roster_ical_import_add_bytes (RosterIcalImport  *self,
                              GBytes            *bytes,
                              const char        *name,
                              GError           **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (item_free);
  g_autofree char *text = NULL;
  icalcomponent *root;
  gsize length;
  const char *data;
  guint number = 0;

  g_return_val_if_fail (ROSTER_IS_ICAL_IMPORT (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  data = g_bytes_get_data (bytes, &length);
  if (data == NULL)
    data = "";
  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_UTF8,
                   _("“%s” is not UTF-8 text, so it cannot be an iCalendar file. Nothing was imported."),
                   name);
      return FALSE;
    }
  /* A byte order mark, as some programs write: not part of the text. */
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    data += 3, length -= 3;
  text = g_strndup (data, length);

  root = icalparser_parse_string (text);
  if (root == NULL || (icalcomponent_isa (root) != ICAL_VCALENDAR_COMPONENT &&
                       (icalcomponent_isa (root) != ICAL_XROOT_COMPONENT ||
                        icalcomponent_get_first_component (root, ICAL_VCALENDAR_COMPONENT) == NULL)))
    {
      if (root != NULL)
        icalcomponent_free (root);
      if (begins_as_icalendar (text))
        g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID,
                     _("“%s” is damaged: it starts as an iCalendar file but is cut short or broken. "
                       "Nothing was imported."), name);
      else
        g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID,
                     _("“%s” is not an iCalendar file. Nothing was imported."), name);
      return FALSE;
    }

  if (icalcomponent_isa (root) == ICAL_VCALENDAR_COMPONENT)
    read_calendar (self, root, name, &number, items);
  else
    for (icalcomponent *c = icalcomponent_get_first_component (root, ICAL_VCALENDAR_COMPONENT);
         c != NULL;
         c = icalcomponent_get_next_component (root, ICAL_VCALENDAR_COMPONENT))
      read_calendar (self, c, name, &number, items);
  icalcomponent_free (root);

  g_ptr_array_extend_and_steal (self->items, g_steal_pointer (&items));
  return TRUE;
}

gboolean
roster_ical_import_add_file (RosterIcalImport  *self,
                             GFile             *file,
                             GCancellable      *cancellable,
                             GError           **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (ROSTER_IS_ICAL_IMPORT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  bytes = g_file_load_bytes (file, cancellable, NULL, error);
  if (bytes == NULL)
    return FALSE;
  name = g_file_get_basename (file);
  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    {
      g_free (name);
      name = g_file_get_parse_name (file);
    }
  return roster_ical_import_add_bytes (self, bytes, name, error);
}

guint
roster_ical_import_get_n_todos (RosterIcalImport *self)
{
  g_return_val_if_fail (ROSTER_IS_ICAL_IMPORT (self), 0);

  return self->items->len;
}

/* ------------------------------------------------------------------------ */
/* Writing into the store                                                    */

typedef struct
{
  RosterStore *store;
  GHashTable  *users;        /* name → gint64 * */
  GHashTable  *categories;   /* name → gint64 * */
} Run;

static gpointer
id_new (gint64 id)
{
  return g_memdup2 (&id, sizeof id);
}

static gint64
user_id (Run         *run,
         const char  *name,
         GError     **error)
{
  gint64 *id = g_hash_table_lookup (run->users, name);
  g_autoptr(RosterUser) user = NULL;

  if (id != NULL)
    return *id;
  user = roster_store_find_user (run->store, name);
  if (user == NULL)
    user = roster_store_create_user (run->store, name, error);
  if (user == NULL)
    return 0;
  g_hash_table_insert (run->users, g_strdup (name), id_new (roster_user_get_id (user)));
  return roster_user_get_id (user);
}

static gint64
category_id (Run         *run,
             const char  *name,
             GError     **error)
{
  gint64 *id = g_hash_table_lookup (run->categories, name);
  g_autoptr(RosterCategory) category = NULL;

  if (id != NULL)
    return *id;
  category = roster_store_find_category (run->store, name);
  if (category == NULL)
    category = roster_store_create_category (run->store, name, NULL, error);
  if (category == NULL)
    return 0;
  g_hash_table_insert (run->categories, g_strdup (name), id_new (roster_category_get_id (category)));
  return roster_category_get_id (category);
}

static gboolean
write_item (Run         *run,
            Item        *item,
            const char  *username,
            gboolean    *updated,
            GError     **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_sized_new (item->fields.tags->len);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) local_error = NULL;
  RosterIcalPut put = { 0 };
  gint64 owner_id = 0;

  put.task_id = _roster_store_ical_find_task (run->store, item->uid, &owner_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *updated = put.task_id != 0;

  if (username != NULL)
    owner_id = user_id (run, username, error);
  else if (put.task_id == 0)
    owner_id = user_id (run, item->calendar ? item->calendar : _("Imported"), error);
  if (owner_id == 0)
    return FALSE;

  /* The names are the item's: this array only sorts them. */
  g_ptr_array_extend (names, item->fields.tags, NULL, NULL);
  g_ptr_array_sort (names, _roster_ical_compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      gint64 id = category_id (run, g_ptr_array_index (names, i), error);

      if (id == 0)
        return FALSE;
      g_array_append_val (ids, id);
    }

  put.owner_id = owner_id;
  put.uid = item->uid;
  put.title = item->fields.title ? item->fields.title : _roster_ical_untitled ();
  put.notes = item->fields.notes;
  put.done = item->fields.done;
  put.due_date = item->fields.due_date;
  put.due_time = item->fields.due_time;
  put.priority = item->fields.priority;
  put.recurrence = item->fields.recurrence;
  put.has_position = item->fields.has_position;
  put.position = item->fields.position;
  put.category_ids = (const gint64 *) ids->data;
  put.tag_names = (const char * const *) names->pdata;
  put.n_tags = names->len;
  put.vtodo = item->vtodo;
  put.vtimezones = item->vtimezones;
  return _roster_store_ical_put (run->store, &put, error);
}

gboolean
roster_ical_import_run (RosterIcalImport  *self,
                        RosterStore       *store,
                        const char        *username,
                        GError           **error)
{
  g_autoptr(GHashTable) users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) categories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  Run run = { store, users, categories };
  guint n_updated = 0;

  g_return_val_if_fail (ROSTER_IS_ICAL_IMPORT (self), FALSE);
  g_return_val_if_fail (ROSTER_IS_STORE (store), FALSE);
  g_return_val_if_fail (!self->ran, FALSE);

  self->ran = TRUE;
  roster_store_begin_batch (store, _("Import"));
  for (guint i = 0; i < self->items->len; i++)
    {
      gboolean updated = FALSE;

      if (!write_item (&run, g_ptr_array_index (self->items, i), username, &updated, error))
        {
          roster_store_rollback_batch (store);
          return FALSE;
        }
      n_updated += updated;
    }
  if (!roster_store_commit_batch (store, error))
    return FALSE;

  self->n_imported = self->items->len;
  self->n_updated = n_updated;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* What happened                                                             */

guint
roster_ical_import_get_n_imported (RosterIcalImport *self)
{
  g_return_val_if_fail (ROSTER_IS_ICAL_IMPORT (self), 0);

  return self->n_imported;
}

guint
roster_ical_import_get_n_updated (RosterIcalImport *self)
{
  g_return_val_if_fail (ROSTER_IS_ICAL_IMPORT (self), 0);

  return self->n_updated;
}

guint
roster_ical_import_get_n_events (RosterIcalImport *self)
{
  g_return_val_if_fail (ROSTER_IS_ICAL_IMPORT (self), 0);

  return self->n_events;
}

GPtrArray *
roster_ical_import_get_unreadable (RosterIcalImport *self)
{
  g_return_val_if_fail (ROSTER_IS_ICAL_IMPORT (self), NULL);

  return self->unreadable;
}

static void
add_part (GString    *out,
          const char *part)
{
  if (out->len == 0)
    g_string_assign (out, part);
  else
    {
      /* Translators: joins two parts of "Imported 42 tasks; 1 could not be read". */
      g_autofree char *joined = g_strdup_printf (_("%s; %s"), out->str, part);
      g_string_assign (out, joined);
    }
}

char *
roster_ical_import_describe (RosterIcalImport *self)
{
  GString *out = g_string_new (NULL);
  g_autofree char *imported = NULL;
  guint n;

  g_return_val_if_fail (ROSTER_IS_ICAL_IMPORT (self), NULL);

  imported = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u task", "Imported %u tasks",
                                           self->n_imported), self->n_imported);
  add_part (out, imported);
  if ((n = self->n_updated) > 0)
    {
      g_autofree char *part = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u was already there and was updated",
                                                            "%u were already there and were updated", n), n);
      add_part (out, part);
    }
  if ((n = self->n_events) > 0)
    {
      g_autofree char *part = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event was skipped",
                                                            "%u events were skipped", n), n);
      add_part (out, part);
    }
  if ((n = self->unreadable->len) > 0)
    {
      g_autofree char *part = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u could not be read",
                                                            "%u could not be read", n), n);
      add_part (out, part);
    }
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------ */
/* The object                                                                */

static void
roster_ical_import_finalize (GObject *object)
{
  RosterIcalImport *self = ROSTER_ICAL_IMPORT (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->unreadable, g_ptr_array_unref);

  G_OBJECT_CLASS (roster_ical_import_parent_class)->finalize (object);
}

static void
roster_ical_import_class_init (RosterIcalImportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = roster_ical_import_finalize;
}

static void
roster_ical_import_init (RosterIcalImport *self)
{
  self->items = g_ptr_array_new_with_free_func (item_free);
  self->unreadable = g_ptr_array_new_with_free_func (g_free);
}

/**
 * roster_ical_import_new:
 *
 * Returns: (transfer full): an empty import.
 */
RosterIcalImport *
roster_ical_import_new (void)
{
  return g_object_new (ROSTER_TYPE_ICAL_IMPORT, NULL);
}
