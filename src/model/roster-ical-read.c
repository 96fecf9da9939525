/* roster-ical-read.c: the to-dos of one .ics file, as they come.
 *
 * libical reads the file: its own line reader (icalparser_get_line(), which
 * unfolds) and its parser (icalparser_add_line()). This file only routes the
 * lines: the components of a VCALENDAR go to the parser without the
 * VCALENDAR around them, so that the parser hands out each VTODO as soon as
 * its END line is read, and the reader turns it into an item (its fields,
 * its text, its UID) and frees it at once. An import can so write the first
 * to-dos while the rest of the file is still being read (roster-ical-import.c
 * runs this in a worker thread), and no file's whole tree is ever held.
 *
 * What the whole-file parse did is kept: the calendar's properties (its name,
 * X-WR-CALNAME) and its VTIMEZONEs are kept in a shell calendar that a VTODO
 * is read in when its DUE names a zone; a VTODO that names a zone not seen
 * yet is held, and every later one with it, until the calendar ends. A VTODO
 * whose UID an earlier item of the same calendar had (a recurring series and
 * its RECURRENCE-ID overrides, written apart) is marked "late": the import
 * adds it to the task of that earlier item instead of making another.
 *
 * The text kept for a VTODO is the file's own, line for line (line ends made
 * CRLF), not libical's serialisation of it: the same VTODO, at the cost of a
 * copy (serialising cost 40% of libical's parse). libical writes it instead
 * where the reader changed the VTODO (several CATEGORIES lines joined, a UID
 * given, libical's notes about damage), where a line is longer than RFC 5545
 * allows, or where the text found is not that VTODO's.
 *
 * A VTODO without a UID gets one made of a digest of its content (the first
 * 128 bits of the SHA-256 of libical's serialisation of it, in hex, then
 * "@digest.roster"), so that importing the same file again updates its task
 * instead of adding another; it keeps that UID from then on, in its task and
 * in its VTODO, whatever changes.
 */
#define G_LOG_DOMAIN "roster-ical"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "roster-ical-private.h"
#include "roster-store-ical.h"

/* A complete VTODO from the parser, and where its text is in the file. */
typedef struct
{
  icalcomponent *component;
  const char    *text;
  gsize          length;
} Member;

typedef struct
{
  /* The file, and the physical line the line reader was last given. */
  const char *name;
  const char *data;
  gsize       length;
  gsize       position;       /* where the next physical line starts */
  gsize       piece_start;    /* where the last one handed out starts */
  gboolean    at_end;         /* the line reader was told the file ended */
  gsize       line_start;     /* where the logical line being routed starts */
  gsize       line_end;       /* and ends, its line end included */

  icalparser *parser;
  int         depth;          /* of BEGIN/END lines: 1 inside a VCALENDAR */
  gboolean    in_calendar;    /* the component at depth 1 is a VCALENDAR */
  guint       n_calendars;    /* VCALENDARs read to their END */
  gsize       member_start;   /* where the component being parsed starts */

  /* The calendar being read. */
  icalcomponent *shell;       /* its properties and VTIMEZONEs */
  GHashTable    *zones;       /* TZID → its VTIMEZONE in the shell (borrowed) */
  char          *calendar_name;
  GHashTable    *uids;        /* UIDs of the items it has handed out */
  GArray        *held;        /* Member: held until its END (a zone not seen yet) */

  guint               number;     /* VTODOs so far, for messages */
  guint              *n_events;
  GPtrArray          *unreadable;
  RosterIcalItemFunc  func;
  gpointer            func_data;
  gboolean            stopped;
} Reader;

void
_roster_ical_item_free (gpointer data)
{
  RosterIcalItem *item = data;

  g_free (item->uid);
  g_free (item->calendar);
  _roster_ical_fields_clear (&item->fields);
  g_free (item->vtodo);
  g_free (item->vtimezones);
  g_free (item->digest);
  g_free (item);
}

/* ------------------------------------------------------------------------ */
/* Lines                                                                     */

/* The line reader's source: one physical line at a time, at most @size - 1
 * bytes of it, as libical's own string reader does. */
static char *
next_piece (char   *out,
            size_t  size,
            void   *data)
{
  Reader *r = data;
  const char *start = r->data + r->position;
  gsize left = r->length - r->position;
  const char *newline;
  gsize n;

  if (left == 0)
    {
      r->at_end = TRUE;
      return NULL;
    }
  newline = memchr (start, '\n', MIN (left, size - 1));
  n = newline != NULL ? (gsize) (newline - start) + 1 : MIN (left, size - 1);
  memcpy (out, start, n);
  out[n] = '\0';
  r->piece_start = r->position;
  r->position += n;
  return out;
}

/* The next content line (unfolded), and where it is in the file: the line
 * reader always holds the physical line after it, to see whether it
 * continues this one, so this one ends where that one starts. */
static char *
next_line (Reader *r)
{
  char *line = icalparser_get_line (r->parser, next_piece);

  r->line_start = r->line_end;
  r->line_end = r->at_end ? r->length : r->piece_start;
  return line;
}

/* For "BEGIN:VTODO" or "END:VTODO", BEGIN or END and the component's name:
 * libical's parser takes the property name up to a ':' or a ';' and the
 * component's name after the ':'. */
static gboolean
is_bound (const char  *line,
          const char **name,
          gboolean    *begin)
{
  gsize n = strcspn (line, ":;");
  const char *colon;

  if (n == 5 && g_ascii_strncasecmp (line, "BEGIN", 5) == 0)
    *begin = TRUE;
  else if (n == 3 && g_ascii_strncasecmp (line, "END", 3) == 0)
    *begin = FALSE;
  else
    return FALSE;
  colon = strchr (line + n, ':');
  *name = colon != NULL ? colon + 1 : "";
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Items                                                                     */

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

/* Whether a property of @component (or of one inside it) names a zone. */
static gboolean
names_zone (icalcomponent *component)
{
  for (icalproperty *p = icalcomponent_get_first_property (component, ICAL_ANY_PROPERTY);
       p != NULL;
       p = icalcomponent_get_next_property (component, ICAL_ANY_PROPERTY))
    if (icalproperty_get_first_parameter (p, ICAL_TZID_PARAMETER) != NULL)
      return TRUE;
  for (icalcomponent *c = icalcomponent_get_first_component (component, ICAL_ANY_COMPONENT);
       c != NULL;
       c = icalcomponent_get_next_component (component, ICAL_ANY_COMPONENT))
    if (names_zone (c))
      return TRUE;
  return FALSE;
}

/* Whether every zone @component names is in the calendar read so far. */
static gboolean
zones_known (Reader        *r,
             icalcomponent *component,
             gboolean      *any)
{
  g_autoptr(GHashTable) tzids = NULL;
  GHashTableIter iter;
  gpointer tzid;

  /* Most name none: no table for them. */
  *any = FALSE;
  if (!names_zone (component))
    return TRUE;
  tzids = g_hash_table_new (g_str_hash, g_str_equal);
  collect_tzids (component, tzids);
  *any = g_hash_table_size (tzids) > 0;
  g_hash_table_iter_init (&iter, tzids);
  while (g_hash_table_iter_next (&iter, &tzid, NULL))
    if (!g_hash_table_contains (r->zones, tzid))
      return FALSE;
  return TRUE;
}

/* The VTIMEZONEs the members name, as text, or NULL. */
static char *
vtimezones_of (Reader *r,
               GArray *members)
{
  g_autoptr(GHashTable) tzids = NULL;
  g_autofree gpointer *names = NULL;
  GString *out = NULL;
  guint n;

  for (guint i = 0; i < members->len; i++)
    if (names_zone (g_array_index (members, Member, i).component))
      {
        if (tzids == NULL)
          tzids = g_hash_table_new (g_str_hash, g_str_equal);
        collect_tzids (g_array_index (members, Member, i).component, tzids);
      }
  if (tzids == NULL)
    return NULL;
  /* In the same order every time: by name. */
  names = g_hash_table_get_keys_as_array (tzids, &n);
  qsort (names, n, sizeof (gpointer), _roster_ical_compare_names);
  for (guint i = 0; i < n; i++)
    {
      icalcomponent *zone = g_hash_table_lookup (r->zones, names[i]);

      if (zone == NULL)
        continue;
      if (out == NULL)
        out = g_string_new (NULL);
      _roster_ical_append (out, zone);
    }
  return out != NULL ? g_string_free (out, FALSE) : NULL;
}

/* Whether @text, @length bytes, is one component of @kind from its BEGIN
 * line to the end of its END line. */
static gboolean
spans_component (const char *text,
                 gsize       length,
                 const char *kind)
{
  g_autofree char *begin = g_strconcat ("BEGIN:", kind, NULL);
  g_autofree char *end = g_strconcat ("END:", kind, NULL);
  gsize n = strlen (end);
  const char *last;

  if (length < strlen (begin) + n + 2 || text[length - 1] != '\n' ||
      g_ascii_strncasecmp (text, begin, strlen (begin)) != 0)
    return FALSE;
  /* The last line, without its line end. */
  length -= text[length - 2] == '\r' ? 2 : 1;
  last = text + length - n;
  return last > text && last[-1] == '\n' && g_ascii_strncasecmp (last, end, n) == 0;
}

/* How many lines of @text are properties called @name. */
static guint
count_lines (const char *text,
             gsize       length,
             const char *name)
{
  const char *end = text + length;
  gsize n = strlen (name);
  guint count = 0;

  while (text < end)
    {
      const char *newline = memchr (text, '\n', end - text);

      if ((gsize) (end - text) > n && g_ascii_strncasecmp (text, name, n) == 0 &&
          (text[n] == ':' || text[n] == ';'))
        count++;
      text = newline != NULL ? newline + 1 : end;
    }
  return count;
}

/* Appends @text with every line ending in CRLF, or nothing (and FALSE)
 * when a line is longer than RFC 5545 allows (75 octets): libical folds it
 * then. */
static gboolean
append_crlf (GString    *out,
             const char *text,
             gsize       length)
{
  const char *end = text + length;
  gsize was = out->len;

  while (text < end)
    {
      const char *newline = memchr (text, '\n', end - text);
      const char *stop = newline != NULL ? newline : end;

      if (stop > text && stop[-1] == '\r')
        stop--;
      if (stop - text > 75)
        {
          g_string_truncate (out, was);
          return FALSE;
        }
      g_string_append_len (out, text, stop - text);
      g_string_append (out, "\r\n");
      text = newline != NULL ? newline + 1 : end;
    }
  return TRUE;
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

/* A UID for a VTODO that has none: the same content, the same UID. */
static void
give_uid (icalcomponent *vtodo)
{
  char *text = icalcomponent_as_ical_string_r (vtodo);
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  /* 128 of its bits, as many as a UID Roster makes has. */
  g_autofree char *uid = g_strdup_printf ("%.32s@digest.roster", sum);

  icalmemory_free_buffer (text);
  icalcomponent_set_uid (vtodo, uid);
}

/* One task: the members of a group (a series first, then its overrides),
 * all with the same UID, or one VTODO. */
static RosterIcalItem *
make_item (Reader   *r,
           GArray   *members,
           gboolean  late)
{
  g_autoptr(GString) text = g_string_new (NULL);
  RosterIcalItem *item = g_new0 (RosterIcalItem, 1);
  icalcomponent *series = g_array_index (members, Member, 0).component;
  gboolean zoned = FALSE;
  const char *uid;
  gboolean given;

  item->has_series = icalcomponent_get_first_property (series, ICAL_RECURRENCEID_PROPERTY) == NULL;
  item->late = late;

  /* Read while the VTODO is in its calendar, whose VTIMEZONEs its DUE may
   * name (none of that calendar's to-dos are in the shell otherwise). */
  zones_known (r, series, &zoned);
  if (zoned)
    icalcomponent_add_component (r->shell, series);
  _roster_ical_read_fields (series, &item->fields);
  if (zoned)
    icalcomponent_remove_component (r->shell, series);

  uid = icalcomponent_get_uid (series);
  given = uid == NULL || uid[0] == '\0';
  if (given)
    give_uid (series);
  item->uid = g_strdup (icalcomponent_get_uid (series));
  item->calendar = g_strdup (r->calendar_name);

  for (guint i = 0; i < members->len; i++)
    {
      Member *m = &g_array_index (members, Member, i);
      /* (libical makes a property of each CATEGORIES value: the text says
       * how many lines there were.) */
      gboolean changed = icalcomponent_count_errors (m->component) > 0 || (i == 0 && given) ||
                         m->text == NULL || count_lines (m->text, m->length, "CATEGORIES") > 1;

      if (!changed && spans_component (m->text, m->length, "VTODO") && append_crlf (text, m->text, m->length))
        continue;
      strip_errors (m->component);
      _roster_ical_join_categories (m->component, i == 0 ? item->fields.tags : NULL);
      _roster_ical_append (text, m->component);
    }
  item->vtodo = g_string_free (g_steal_pointer (&text), FALSE);
  item->vtimezones = vtimezones_of (r, members);

  /* The digest the import stores, made here rather than in the writing
   * thread, which has more to do; a task without a position gets it there. */
  if (item->fields.has_position)
    {
      /* The names are the fields': this array only sorts them. */
      g_autoptr(GPtrArray) names = g_ptr_array_sized_new (item->fields.tags->len);

      g_ptr_array_extend (names, item->fields.tags, NULL, NULL);
      g_ptr_array_sort (names, _roster_ical_compare_names);
      item->digest = _roster_ical_digest (item->fields.title ? item->fields.title : _roster_ical_untitled (),
                                          item->fields.notes, item->fields.done, item->fields.due_date,
                                          item->fields.due_time, item->fields.priority,
                                          item->fields.recurrence, item->fields.position,
                                          (const char * const *) names->pdata,
                                          names->len);
    }
  return item;
}

static void
emit (Reader         *r,
      RosterIcalItem *item)
{
  if (r->stopped)
    {
      _roster_ical_item_free (item);
      return;
    }
  g_hash_table_add (r->uids, g_strdup (item->uid));
  if (!r->func (item, r->func_data))
    r->stopped = TRUE;
}

static void
members_clear (gpointer data)
{
  Member *m = data;

  icalcomponent_free (m->component);
}

/* Hands out one VTODO as an item, at once. */
static void
emit_one (Reader *r,
          Member *m)
{
  g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (Member));
  const char *uid = icalcomponent_get_uid (m->component);
  gboolean late = uid != NULL && uid[0] != '\0' && g_hash_table_contains (r->uids, uid);

  g_array_set_clear_func (members, members_clear);
  g_array_append_val (members, *m);
  emit (r, make_item (r, members, late));
}

/* Hands out the VTODOs held to the calendar's end, its zones all read: the
 * members that share a UID as one task (the series first), in the order of
 * their first member, as the whole-file parse did. */
static void
emit_held (Reader *r)
{
  g_autoptr(GHashTable) by_uid = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  for (guint i = 0; i < r->held->len; i++)
    {
      Member *m = &g_array_index (r->held, Member, i);
      const char *uid = icalcomponent_get_uid (m->component);
      gboolean override = icalcomponent_get_first_property (m->component, ICAL_RECURRENCEID_PROPERTY) != NULL;
      GArray *group = uid != NULL && uid[0] != '\0' ? g_hash_table_lookup (by_uid, uid) : NULL;
      gboolean has_series = group != NULL &&
        icalcomponent_get_first_property (g_array_index (group, Member, 0).component,
                                          ICAL_RECURRENCEID_PROPERTY) == NULL;

      /* A second series with the same UID is a task of its own: the later
       * one updates the first when they are written. */
      if (group == NULL || (!override && has_series))
        {
          group = g_array_new (FALSE, FALSE, sizeof (Member));
          g_array_set_clear_func (group, members_clear);
          g_ptr_array_add (groups, group);
          if (uid != NULL && uid[0] != '\0')
            g_hash_table_insert (by_uid, (gpointer) uid, group);
        }
      if (override)
        g_array_append_val (group, *m);
      else
        g_array_prepend_val (group, *m);
    }
  /* The members are the groups' now. */
  g_array_set_clear_func (r->held, NULL);
  g_array_set_size (r->held, 0);
  g_array_set_clear_func (r->held, members_clear);

  for (guint i = 0; i < groups->len; i++)
    {
      GArray *group = g_ptr_array_index (groups, i);
      const char *uid = icalcomponent_get_uid (g_array_index (group, Member, 0).component);
      gboolean late = uid != NULL && uid[0] != '\0' && g_hash_table_contains (r->uids, uid);

      emit (r, make_item (r, group, late));
    }
}

/* ------------------------------------------------------------------------ */
/* Components                                                                */

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

/* A component of the calendar, complete: @text is where it is in the file. */
static void
take_component (Reader        *r,
                icalcomponent *c,
                const char    *text,
                gsize          length)
{
  const char *damage;
  gboolean zoned;
  Member m = { c, text, length };

  switch (icalcomponent_isa (c))
    {
    case ICAL_VTODO_COMPONENT:
      break;
    case ICAL_VTIMEZONE_COMPONENT:
      {
        icalproperty *tzid = icalcomponent_get_first_property (c, ICAL_TZID_PROPERTY);

        icalcomponent_add_component (r->shell, c);
        if (tzid != NULL && icalproperty_get_tzid (tzid) != NULL)
          g_hash_table_insert (r->zones, (gpointer) icalproperty_get_tzid (tzid), c);
        return;
      }
    case ICAL_VEVENT_COMPONENT:
      ++*r->n_events;
      G_GNUC_FALLTHROUGH;
    default:
      icalcomponent_free (c);
      return;
    }

  ++r->number;
  if ((damage = damage_of (c)) != NULL)
    {
      g_ptr_array_add (r->unreadable, describe_unreadable (c, r->number, r->name, damage));
      icalcomponent_free (c);
      return;
    }
  if (r->held->len > 0 || !zones_known (r, c, &zoned))
    g_array_append_val (r->held, m);
  else
    emit_one (r, &m);
}

static void
calendar_begin (Reader *r)
{
  r->in_calendar = TRUE;
  r->shell = icalcomponent_new (ICAL_VCALENDAR_COMPONENT);
  r->zones = g_hash_table_new (g_str_hash, g_str_equal);
  r->uids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
calendar_clear (Reader *r)
{
  g_array_set_size (r->held, 0);
  g_clear_pointer (&r->zones, g_hash_table_unref);
  g_clear_pointer (&r->uids, g_hash_table_unref);
  g_clear_pointer (&r->shell, icalcomponent_free);
  g_clear_pointer (&r->calendar_name, g_free);
  r->in_calendar = FALSE;
}

/* A property of the calendar itself: only its name matters. */
static void
take_calendar_property (Reader     *r,
                        const char *line)
{
  icalproperty *p;

  if (r->calendar_name != NULL || g_ascii_strncasecmp (line, "X-WR-CALNAME", 12) != 0 ||
      (line[12] != ':' && line[12] != ';'))
    return;
  p = icalproperty_new_from_string (line);
  if (p != NULL && icalproperty_get_x (p) != NULL)
    {
      g_autofree char *name = g_strstrip (g_strdup (icalproperty_get_x (p)));

      /* A blank one is no name a user can have. */
      if (!_roster_text_is_blank (name))
        r->calendar_name = g_steal_pointer (&name);
    }
  g_clear_pointer (&p, icalproperty_free);
}

/* Routes one content line: see the top comment. */
static void
route (Reader *r,
       char   *line)
{
  const char *name = NULL;
  gboolean begin = FALSE;
  gboolean bound = is_bound (line, &name, &begin);

  if (bound && begin)
    r->depth++;
  else if (bound && r->depth > 0)
    r->depth--;

  if (r->depth == 1 && bound && begin)
    {
      /* A VCALENDAR begins. */
      if (g_ascii_strcasecmp (name, "VCALENDAR") == 0)
        calendar_begin (r);
      return;
    }
  if (r->depth == 0)
    {
      /* A VCALENDAR ends: what was held waits no longer. */
      if (bound && !begin && r->in_calendar)
        {
          emit_held (r);
          calendar_clear (r);
          r->n_calendars++;
        }
      return;
    }
  if (!r->in_calendar)
    return;     /* something else at the top, as a whole-file parse ignores it */

  if (r->depth == 1 && !bound)
    {
      take_calendar_property (r, line);
      return;
    }
  if (r->depth == 2 && bound && begin)
    r->member_start = r->line_start;

  {
    icalcomponent *c = icalparser_add_line (r->parser, line);

    if (c != NULL)
      take_component (r, c, r->data + r->member_start, r->line_end - r->member_start);
  }
}

/* ------------------------------------------------------------------------ */
/* A file                                                                    */

/* Whether @text starts as an iCalendar file does, for saying why libical
 * could not read it: cut short, or something else altogether. */
static gboolean
begins_as_icalendar (const char *text,
                     gsize       length)
{
  const char *end = text + length;

  while (text < end && g_ascii_isspace (*text))
    text++;
  return end - text >= 15 && g_ascii_strncasecmp (text, "BEGIN:VCALENDAR", 15) == 0;
}

gboolean
_roster_ical_read (const char          *data,
                   gsize                length,
                   const char          *name,
                   RosterIcalItemFunc   func,
                   gpointer             func_data,
                   guint               *n_events,
                   GPtrArray           *unreadable,
                   GError             **error)
{
  Reader r = { 0 };
  char *line;
  gboolean complete;

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

  r.name = name;
  r.data = data;
  r.length = length;
  r.parser = icalparser_new ();
  r.held = g_array_new (FALSE, FALSE, sizeof (Member));
  g_array_set_clear_func (r.held, members_clear);
  r.n_events = n_events;
  r.unreadable = unreadable;
  r.func = func;
  r.func_data = func_data;
  icalparser_set_gen_data (r.parser, &r);

  while (!r.stopped && (line = next_line (&r)) != NULL)
    {
      route (&r, line);
      icalmemory_free_buffer (line);
    }
  /* Cut short inside a VCALENDAR: what it handed out is not to be written. */
  complete = r.depth == 0 && r.n_calendars > 0;
  calendar_clear (&r);
  g_array_unref (r.held);
  icalparser_free (r.parser);

  if (r.stopped)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "stopped");
      return FALSE;
    }
  if (!complete)
    {
      if (begins_as_icalendar (data, length))
        g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID,
                     _("“%s” is damaged: it starts as an iCalendar file but is cut short or broken. "
                       "Nothing was imported."), name);
      else
        g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID,
                     _("“%s” is not an iCalendar file. Nothing was imported."), name);
      return FALSE;
    }
  return TRUE;
}
