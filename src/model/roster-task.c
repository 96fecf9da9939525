/* roster-task.c: one task, owned by one user.
 *
 * One RosterTask exists per `task` row while anybody holds it: the store keeps
 * tasks in its identity map without owning them, so a million-task file costs
 * memory only for the tasks on screen.
 */
#define G_LOG_DOMAIN "roster-task"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "roster-store-private.h"
#include "roster-task.h"

struct _RosterTask
{
  GObject      parent_instance;

  RosterStore *store;     /* not owned: the store whose identity map holds us */

  gint64      id;
  char       *title;
  RosterUser *owner;      /* NULL if the row points at a user that does not exist */
  gint64      owner_id;
  gboolean    done;
  char       *notes;
  GDateTime  *due_date;
  gint64      position;
  char       *due_time;
  RosterPriority priority;
  char       *recurrence;  /* NULL when it does not repeat */
};

G_DEFINE_FINAL_TYPE (RosterTask, roster_task, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (RosterPriority, roster_priority,
                    G_DEFINE_ENUM_VALUE (ROSTER_PRIORITY_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (ROSTER_PRIORITY_LOW, "low"),
                    G_DEFINE_ENUM_VALUE (ROSTER_PRIORITY_MEDIUM, "medium"),
                    G_DEFINE_ENUM_VALUE (ROSTER_PRIORITY_HIGH, "high"))

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_OWNER,
  PROP_OWNER_ID,
  PROP_DONE,
  PROP_NOTES,
  PROP_DUE_DATE,
  PROP_POSITION,
  PROP_DUE_TIME,
  PROP_PRIORITY,
  PROP_RECURRENCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
roster_task_dispose (GObject *object)
{
  RosterTask *self = ROSTER_TASK (object);

  /* Leave the identity map: it does not own us. */
  if (self->store != NULL)
    _roster_store_forget_task (g_steal_pointer (&self->store), self);

  G_OBJECT_CLASS (roster_task_parent_class)->dispose (object);
}

static void
roster_task_finalize (GObject *object)
{
  RosterTask *self = ROSTER_TASK (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->notes, g_free);
  g_clear_pointer (&self->due_date, g_date_time_unref);
  g_clear_pointer (&self->due_time, g_free);
  g_clear_pointer (&self->recurrence, g_free);
  g_clear_object (&self->owner);

  G_OBJECT_CLASS (roster_task_parent_class)->finalize (object);
}

static void
roster_task_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  RosterTask *self = ROSTER_TASK (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_OWNER:
      g_value_set_object (value, self->owner);
      break;
    case PROP_OWNER_ID:
      g_value_set_int64 (value, self->owner_id);
      break;
    case PROP_DONE:
      g_value_set_boolean (value, self->done);
      break;
    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;
    case PROP_DUE_DATE:
      g_value_set_boxed (value, self->due_date);
      break;
    case PROP_POSITION:
      g_value_set_int64 (value, self->position);
      break;
    case PROP_DUE_TIME:
      g_value_set_string (value, self->due_time);
      break;
    case PROP_PRIORITY:
      g_value_set_enum (value, self->priority);
      break;
    case PROP_RECURRENCE:
      g_value_set_string (value, roster_task_get_recurrence (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_task_class_init (RosterTaskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = roster_task_dispose;
  object_class->finalize = roster_task_finalize;
  object_class->get_property = roster_task_get_property;

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)
  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, RO);
  properties[PROP_OWNER] = g_param_spec_object ("owner", NULL, NULL, ROSTER_TYPE_USER, RO);
  properties[PROP_OWNER_ID] = g_param_spec_int64 ("owner-id", NULL, NULL, G_MININT64, G_MAXINT64, 0, RO);
  properties[PROP_DONE] = g_param_spec_boolean ("done", NULL, NULL, FALSE, RO);
  properties[PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, NULL, RO);
  properties[PROP_DUE_DATE] = g_param_spec_boxed ("due-date", NULL, NULL, G_TYPE_DATE_TIME, RO);
  properties[PROP_POSITION] = g_param_spec_int64 ("position", NULL, NULL, G_MININT64, G_MAXINT64, 0, RO);
  properties[PROP_DUE_TIME] = g_param_spec_string ("due-time", NULL, NULL, NULL, RO);
  properties[PROP_PRIORITY] = g_param_spec_enum ("priority", NULL, NULL, ROSTER_TYPE_PRIORITY,
                                                 ROSTER_PRIORITY_NONE, RO);
  properties[PROP_RECURRENCE] = g_param_spec_string ("recurrence", NULL, NULL, "", RO);
#undef RO

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
roster_task_init (RosterTask *self)
{
}

/* Takes the row's strings: a task is made for every row a list reads, and
 * copying them again was measurable. The row is left cleared. */
RosterTask *
_roster_task_new_take (RosterStore   *store,
                       RosterTaskRecord *row,
                       RosterUser    *owner)
{
  RosterTask *self = g_object_new (ROSTER_TYPE_TASK, NULL);

  self->id = row->id;
  self->title = g_steal_pointer (&row->title);
  self->owner = owner ? g_object_ref (owner) : NULL;
  self->owner_id = row->owner_id;
  self->done = row->done;
  self->notes = g_steal_pointer (&row->notes);
  self->due_date = _roster_date_from_string (row->due_date);
  self->position = row->position;
  self->due_time = g_steal_pointer (&row->due_time);
  self->priority = row->priority;
  self->recurrence = g_steal_pointer (&row->recurrence);
  roster_task_record_clear (row);

  return self;
}

RosterTask *
_roster_task_new (RosterStore         *store,
                  const RosterTaskRecord *row,
                  RosterUser          *owner)
{
  RosterTaskRecord copy = { 0 };

  roster_task_record_copy (&copy, row);
  return _roster_task_new_take (store, &copy, owner);
}

static gboolean
same_date (GDateTime *a,
           GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_date_time_equal (a, b);
}

void
_roster_task_apply_row (RosterTask          *self,
                        const RosterTaskRecord *row,
                        RosterUser          *owner)
{
  GObject *object = G_OBJECT (self);
  g_autoptr(GDateTime) due_date = _roster_date_from_string (row->due_date);

  g_object_freeze_notify (object);

  if (g_strcmp0 (self->title, row->title) != 0)
    {
      g_free (self->title);
      self->title = g_strdup (row->title);
      g_object_notify_by_pspec (object, properties[PROP_TITLE]);
    }
  if (self->owner_id != row->owner_id)
    {
      self->owner_id = row->owner_id;
      g_object_notify_by_pspec (object, properties[PROP_OWNER_ID]);
    }
  if (g_set_object (&self->owner, owner))
    g_object_notify_by_pspec (object, properties[PROP_OWNER]);
  if (self->done != row->done)
    {
      self->done = row->done;
      g_object_notify_by_pspec (object, properties[PROP_DONE]);
    }
  if (g_strcmp0 (self->notes, row->notes) != 0)
    {
      g_free (self->notes);
      self->notes = g_strdup (row->notes);
      g_object_notify_by_pspec (object, properties[PROP_NOTES]);
    }
  if (!same_date (self->due_date, due_date))
    {
      g_clear_pointer (&self->due_date, g_date_time_unref);
      self->due_date = g_steal_pointer (&due_date);
      g_object_notify_by_pspec (object, properties[PROP_DUE_DATE]);
    }
  if (self->position != row->position)
    {
      self->position = row->position;
      g_object_notify_by_pspec (object, properties[PROP_POSITION]);
    }
  if (g_strcmp0 (self->due_time, row->due_time) != 0)
    {
      g_free (self->due_time);
      self->due_time = g_strdup (row->due_time);
      g_object_notify_by_pspec (object, properties[PROP_DUE_TIME]);
    }
  if (self->priority != (RosterPriority) row->priority)
    {
      self->priority = row->priority;
      g_object_notify_by_pspec (object, properties[PROP_PRIORITY]);
    }
  if (g_strcmp0 (self->recurrence, row->recurrence) != 0)
    {
      g_free (self->recurrence);
      self->recurrence = g_strdup (row->recurrence);
      g_object_notify_by_pspec (object, properties[PROP_RECURRENCE]);
    }

  g_object_thaw_notify (object);
}

gint64 *
_roster_task_get_id_ptr (RosterTask *self)
{
  return &self->id;
}

void
_roster_task_attach (RosterTask  *self,
                     RosterStore *store)
{
  self->store = store;
}

void
_roster_task_detach (RosterTask *self)
{
  self->store = NULL;
}

gint64
roster_task_get_id (RosterTask *self)
{
  g_return_val_if_fail (ROSTER_IS_TASK (self), 0);

  return self->id;
}

const char *
roster_task_get_title (RosterTask *self)
{
  g_return_val_if_fail (ROSTER_IS_TASK (self), NULL);

  return self->title;
}

/**
 * roster_task_get_owner:
 *
 * Returns: (transfer none) (nullable): the owner; NULL only for a row whose
 *   owner_id names no user (a file written without foreign keys enforced).
 */
RosterUser *
roster_task_get_owner (RosterTask *self)
{
  g_return_val_if_fail (ROSTER_IS_TASK (self), NULL);

  return self->owner;
}

gint64
roster_task_get_owner_id (RosterTask *self)
{
  g_return_val_if_fail (ROSTER_IS_TASK (self), 0);

  return self->owner_id;
}

gboolean
roster_task_get_done (RosterTask *self)
{
  g_return_val_if_fail (ROSTER_IS_TASK (self), FALSE);

  return self->done;
}

const char *
roster_task_get_notes (RosterTask *self)
{
  g_return_val_if_fail (ROSTER_IS_TASK (self), NULL);

  return self->notes;
}

/**
 * roster_task_get_due_date:
 *
 * Returns: (transfer none) (nullable): midnight UTC of the due day, or NULL.
 */
GDateTime *
roster_task_get_due_date (RosterTask *self)
{
  g_return_val_if_fail (ROSTER_IS_TASK (self), NULL);

  return self->due_date;
}

gint64
roster_task_get_position (RosterTask *self)
{
  g_return_val_if_fail (ROSTER_IS_TASK (self), 0);

  return self->position;
}

/**
 * roster_task_get_due_time:
 *
 * Returns: (nullable): "HH:MM", a wall-clock time on the due date, or NULL.
 */
const char *
roster_task_get_due_time (RosterTask *self)
{
  g_return_val_if_fail (ROSTER_IS_TASK (self), NULL);

  return self->due_time;
}

RosterPriority
roster_task_get_priority (RosterTask *self)
{
  g_return_val_if_fail (ROSTER_IS_TASK (self), ROSTER_PRIORITY_NONE);

  return self->priority;
}

const char *
roster_priority_to_word (RosterPriority priority)
{
  g_autoptr(GEnumClass) priorities = g_type_class_ref (ROSTER_TYPE_PRIORITY);
  GEnumValue *value = g_enum_get_value (priorities, priority);

  return priority != ROSTER_PRIORITY_NONE && value != NULL ? value->value_nick : NULL;
}

/**
 * roster_task_get_recurrence:
 *
 * Returns: the value of an RFC 5545 RRULE, or "" when the task does not
 *   repeat.
 */
const char *
roster_task_get_recurrence (RosterTask *self)
{
  g_return_val_if_fail (ROSTER_IS_TASK (self), "");

  return self->recurrence != NULL ? self->recurrence : "";
}

/**
 * roster_task_dup_due_local:
 *
 * Returns: (transfer full) (nullable): the due date at the due time (or at
 *   midnight) in the local time zone, or NULL when the task has no due date.
 *   The time is floating: it stays the same wall-clock time whatever the
 *   zone's offset that day.
 */
GDateTime *
roster_task_dup_due_local (RosterTask *self)
{
  int hour = 0, minute = 0;

  g_return_val_if_fail (ROSTER_IS_TASK (self), NULL);

  if (self->due_date == NULL)
    return NULL;
  _roster_time_parse (self->due_time, &hour, &minute);
  return g_date_time_new_local (g_date_time_get_year (self->due_date),
                                g_date_time_get_month (self->due_date),
                                g_date_time_get_day_of_month (self->due_date),
                                hour, minute, 0);
}

/* Whether @text is a time of day as the due_time column holds it, "HH:MM"
 * (00:00 to 23:59); sets *hour and *minute when it is. */
gboolean
_roster_time_parse (const char *text,
                    int        *hour,
                    int        *minute)
{
  if (text == NULL || strlen (text) != 5 || text[2] != ':' ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) ||
      !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    return FALSE;
  if ((text[0] - '0') * 10 + (text[1] - '0') > 23 || text[3] > '5')
    return FALSE;
  *hour = (text[0] - '0') * 10 + (text[1] - '0');
  *minute = (text[3] - '0') * 10 + (text[4] - '0');
  return TRUE;
}

gboolean
_roster_time_check (const char  *text,
                    GError     **error)
{
  int hour, minute;

  if (_roster_time_parse (text, &hour, &minute))
    return TRUE;
  g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID,
               _("“%s” is not a time of day. Write hours and minutes, like 09:30."), text);
  return FALSE;
}

GDateTime *
_roster_date_from_string (const char *text)
{
  int y, m, d;

  if (text == NULL || sscanf (text, "%4d-%2d-%2d", &y, &m, &d) != 3)
    return NULL;
  if (!g_date_valid_dmy (d, m, y))
    return NULL;

  return g_date_time_new_utc (y, m, d, 0, 0, 0);
}

char *
_roster_date_to_string (GDateTime *date)
{
  if (date == NULL)
    return NULL;

  return g_date_time_format (date, "%Y-%m-%d");
}
